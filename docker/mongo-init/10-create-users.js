/* global db, print */
// Runs once, on the first start of the compose `mongo` service (empty data volume), as the root
// account: creates on DB_NAME the deployment's three accounts. `npm run db:init` does the same
// (idempotently) for databases where this script never ran. Passwords come from the environment
// and are never printed.
const dbName = process.env.DB_NAME || 'healthcare';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

const accounts = [
  // administration: indexes, statistics, user management on DB_NAME (db:init)
  { user: process.env.ADMIN_USER || 'admin', pwd: required('ADMIN_PASS'), roles: ['dbAdmin', 'userAdmin'] },
  // the producer and the workers
  { user: process.env.WRITER_USER || 'writer', pwd: required('WRITER_PASS'), roles: ['readWrite'] },
  // status and the dashboard
  { user: process.env.READER_USER || 'reader', pwd: required('READER_PASS'), roles: ['read'] },
];

const target = db.getSiblingDB(dbName);
for (const { user, pwd, roles } of accounts) {
  const grants = roles.map((role) => ({ role, db: dbName }));
  if (target.getUser(user)) {
    target.updateUser(user, { pwd, roles: grants });
    print(`hcingest: updated user ${user} on ${dbName} (${roles.join(', ')})`);
  } else {
    target.createUser({ user, pwd, roles: grants });
    print(`hcingest: created user ${user} on ${dbName} (${roles.join(', ')})`);
  }
}
