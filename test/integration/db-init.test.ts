import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { COLUMNS } from '@hcingest/shared';
import { signedIn } from '../harness/accounts.js';
import { row } from '../harness/chunks.js';
import { isolatedEnv, run, SCRIPTS } from '../harness/processes.js';
import { openDb } from '../harness/store.js';

const DB_INIT = SCRIPTS.dbInit;
const UNAUTHORIZED = 13;

const secret = (label: string) => `${label}-${randomBytes(9).toString('hex')}`;

function codeOf(err: unknown): number | undefined {
  return err instanceof MongoServerError ? Number(err.code) : undefined;
}

describe('db:init: MongoDB accounts and indexes', function () {
  const tag = randomBytes(3).toString('hex');
  const users = {
    ADMIN_USER: `adm_${tag}`,
    ADMIN_PASS: secret('adm'),
    WRITER_USER: `wrt_${tag}`,
    WRITER_PASS: secret('wrt'),
    READER_USER: `rdr_${tag}`,
    READER_PASS: secret('rdr'),
  };
  const env = isolatedEnv('dbinit', { ...users, LOG_LEVEL: 'info' });
  const passwords = [users.ADMIN_PASS, users.WRITER_PASS, users.READER_PASS];
  let client: MongoClient;
  let db: Db;

  before(async () => {
    ({ client, db } = await openDb(env));
  });
  after(async () => {
    await db?.command({ dropAllUsersFromDatabase: 1 }).catch(() => undefined);
    await db?.dropDatabase().catch(() => undefined);
    await client?.close();
  });

  describe('usage and refusing to start', function () {
    it('answers --help with its usage and exit 0', async () => {
      const r = await run(DB_INIT, ['--help'], env);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(/^Usage: db:init /);
      expect(r.stdout).to.include('ADMIN_PASS').and.to.include('Exit codes');
    });

    it('refuses to start without the passwords, naming them (exit 2), unless --skip-users', async () => {
      const r = await run(DB_INIT, [], { ...env, WRITER_PASS: '', READER_PASS: '' });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('WRITER_PASS').and.to.include('READER_PASS');
      expect(r.stderr).to.not.include(users.ADMIN_PASS);
    });
  });

  describe('indexes', function () {
    it('runs twice, succeeding both times; creates the report indexes, and the query indexes once patients exist', async () => {
      const first = await run(DB_INIT, ['--json'], env);
      expect(first.code, first.stderr).to.equal(0);
      const second = await run(DB_INIT, ['--json'], env);
      expect(second.code, second.stderr).to.equal(0);
      type Out = { db: string; users: { user: string; roles: string[]; action: string }[]; queryIndexes: string };
      const [a, b] = [first, second].map((r) => JSON.parse(r.stdout) as Out);
      for (const r of [first, second]) {
        const out = JSON.parse(r.stdout) as Out;
        expect(out.db).to.equal(env.DB_NAME);
        // No patients collection yet: its query indexes wait for the first load.
        expect(out.queryIndexes).to.equal('deferred');
        for (const pw of passwords) expect(r.stdout + r.stderr).to.not.include(pw);
      }
      const names = async (coll: string) =>
        (
          await db
            .collection(coll)
            .listIndexes()
            .toArray()
            .catch(() => [])
        ).map((i) => String(i.name));
      expect(await names('patients')).to.not.include('hospital');
      expect(await names('rejects')).to.include('load_row');
      expect(await names('chunk_results')).to.include('load');
      expect(await names('chunk_failures')).to.include('load');
      // The archive (mirror loads): what a load archived, and an admission's copies; the rows of a mirror load.
      expect(await names('patients_archive')).to.have.members(['_id_', 'load', 'admission']);
      expect(await names('mirror_rows')).to.have.members(['_id_', 'load']);
      const listed = (JSON.parse(first.stdout) as { indexes: Record<string, string[]> }).indexes;
      expect(listed.patients_archive).to.have.members(['_id_', 'load', 'admission']);
      expect(listed.mirror_rows).to.have.members(['_id_', 'load']);
      expect(a!.users).to.deep.equal([
        { user: users.ADMIN_USER, roles: ['dbAdmin', 'userAdmin'], action: 'created' },
        { user: users.WRITER_USER, roles: ['readWrite'], action: 'created' },
        { user: users.READER_USER, roles: ['read'], action: 'created' },
      ]);
      expect(b!.users.map((u) => u.action)).to.deep.equal(['updated', 'updated', 'updated']);

      await db.collection('patients').insertOne({ _id: 'someone' } as never);
      const third = await run(DB_INIT, ['--json'], env);
      await db.collection('patients').deleteOne({ _id: 'someone' } as never);
      expect(third.code, third.stderr).to.equal(0);
      const out = JSON.parse(third.stdout) as Out & { indexes: Record<string, string[]> };
      expect(out.queryIndexes).to.equal('present');
      expect(out.indexes.patients).to.have.members([
        '_id_',
        'medical_condition',
        'date_of_admission',
        'hospital',
        'ingest_load',
      ]);
    });

    it('with QUERY_INDEXES=upfront, creates the query indexes of a patients collection that does not exist yet', async () => {
      const upfront = { ...env, DB_NAME: `${env.DB_NAME}_up` };
      const r = await run(DB_INIT, ['--json'], {
        ...upfront,
        QUERY_INDEXES: 'upfront',
        ARCHIVE_COLLECTION_NAME: 'old_admissions',
      });
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout) as { queryIndexes: string; indexes: Record<string, string[]> };
      expect(out.queryIndexes).to.equal('present');
      expect(out.indexes.patients).to.include.members(['hospital', 'ingest_load']);
      // The archive is the collection ARCHIVE_COLLECTION_NAME names.
      expect(out.indexes.old_admissions).to.have.members(['_id_', 'load', 'admission']);
      expect(out.indexes).to.not.have.property('patients_archive');
      const bad = await run(DB_INIT, ['--json'], { ...upfront, QUERY_INDEXES: 'sometimes' });
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.include('QUERY_INDEXES');
    });
  });

  describe('accounts and roles', function () {
    it('creates the three users with their roles on DB_NAME', async function () {
      const info = await db.command({ usersInfo: 1 });
      const roles = Object.fromEntries(
        (info.users as { user: string; roles: { role: string; db: string }[] }[]).map((u) => [
          u.user,
          u.roles.map((r) => `${r.role}@${r.db}`).sort(),
        ]),
      );
      expect(roles).to.deep.equal({
        [users.ADMIN_USER]: [`dbAdmin@${env.DB_NAME}`, `userAdmin@${env.DB_NAME}`],
        [users.WRITER_USER]: [`readWrite@${env.DB_NAME}`],
        [users.READER_USER]: [`read@${env.DB_NAME}`],
      });
    });

    it('enforces the roles: no anonymous access, the reader cannot write, the writer cannot manage users or drop the database, the admin cannot write data', async function () {
      const base = process.env.MONGO_URL!;
      const anonymous = new MongoClient(
        base.replace(/^(mongodb(?:\+srv)?:\/\/)[^/?#]*@/, '$1').replace(/([?&])auth(Source|Mechanism)=[^&]*&?/g, '$1'),
        { serverSelectionTimeoutMS: 10_000 },
      );
      try {
        const err = await anonymous
          .db(env.DB_NAME)
          .collection('probe')
          .insertOne({ anonymous: true })
          .catch((e: unknown) => e);
        // Not skipped: a store that lets anyone in cannot show that the roles hold. The harness's
        // own server runs with --auth; a MONGO_URL of your own must point at one that does too.
        expect(codeOf(err), 'anonymous insert refused (is the server started with --auth?)').to.equal(UNAUTHORIZED);
      } finally {
        await anonymous.close();
      }

      const as = (user: string, pwd: string) =>
        new MongoClient(signedIn(base, user, pwd, env.DB_NAME!), { serverSelectionTimeoutMS: 10_000 });
      const reader = as(users.READER_USER, users.READER_PASS);
      const writer = as(users.WRITER_USER, users.WRITER_PASS);
      const admin = as(users.ADMIN_USER, users.ADMIN_PASS);
      try {
        type Probe = { _id: string };
        const rdb = reader.db(env.DB_NAME);
        const wdb = writer.db(env.DB_NAME);
        const adb = admin.db(env.DB_NAME);

        await wdb.collection<Probe>('patients').insertOne({ _id: 'probe' });
        expect(await rdb.collection<Probe>('patients').countDocuments({ _id: 'probe' })).to.equal(1);

        let err = await rdb
          .collection<Probe>('patients')
          .insertOne({ _id: 'reader-write' })
          .catch((e: unknown) => e);
        expect(codeOf(err), 'reader insert').to.equal(UNAUTHORIZED);

        err = await wdb.command({ createUser: `x_${tag}`, pwd: secret('x'), roles: [] }).catch((e: unknown) => e);
        expect(codeOf(err), 'writer createUser').to.equal(UNAUTHORIZED);

        err = await wdb.dropDatabase().catch((e: unknown) => e);
        expect(codeOf(err), 'writer dropDatabase').to.equal(UNAUTHORIZED);

        err = await writer
          .db(`${env.DB_NAME}_other`)
          .collection<Probe>('patients')
          .insertOne({ _id: 'elsewhere' })
          .catch((e: unknown) => e);
        expect(codeOf(err), 'writer on another database').to.equal(UNAUTHORIZED);

        err = await adb
          .collection<Probe>('patients')
          .insertOne({ _id: 'admin-write' })
          .catch((e: unknown) => e);
        expect(codeOf(err), 'admin insert').to.equal(UNAUTHORIZED);
        expect(await rdb.collection<Probe>('patients').countDocuments(), 'only the writer wrote').to.equal(1);

        // The admin account can run db:init itself (users and indexes on DB_NAME), e.g. to rotate passwords.
        const again = await run(DB_INIT, [], {
          ...env,
          MONGO_URL: signedIn(base, users.ADMIN_USER, users.ADMIN_PASS, env.DB_NAME!),
        });
        expect(again.code, again.stderr).to.equal(0);
        expect(again.stdout).to.include(`user ${users.READER_USER}: updated (read)`);
      } finally {
        await Promise.all([reader.close(), writer.close(), admin.close()]);
      }
    });

    it('lets the writer move an admission to the archive and back, and the reader read the archive but not write it', async function () {
      const base = process.env.MONGO_URL!;
      const as = (user: string, pwd: string) =>
        new MongoClient(signedIn(base, user, pwd, env.DB_NAME!), { serverSelectionTimeoutMS: 10_000 });
      const reader = as(users.READER_USER, users.READER_PASS);
      const writer = as(users.WRITER_USER, users.WRITER_PASS);
      try {
        type Doc = { _id: string; admissionId?: string; loadId?: string; doc?: { _id: string } };
        const [wdb, rdb] = [writer.db(env.DB_NAME), reader.db(env.DB_NAME)];
        const [wPatients, wArchive] = [wdb.collection<Doc>('patients'), wdb.collection<Doc>('patients_archive')];
        const [rPatients, rArchive] = [rdb.collection<Doc>('patients'), rdb.collection<Doc>('patients_archive')];
        // The archive step's moves, as the writer (the workers' account): copy into the archive, delete from patients.
        await wPatients.insertOne({ _id: 'gone' });
        await wArchive.insertOne({ _id: 'L1:gone', admissionId: 'gone', loadId: 'L1', doc: { _id: 'gone' } });
        expect((await wPatients.deleteMany({ _id: 'gone' })).deletedCount).to.equal(1);
        await wdb.collection<Doc>('mirror_rows').insertOne({ _id: 'L1:kept', loadId: 'L1' });
        // restore's, as the writer: back into patients, the archive document marked.
        await wPatients.insertOne({ _id: 'gone' });
        await wArchive.updateOne({ _id: 'L1:gone' }, { $set: { restoredAt: new Date() } });

        expect(await rArchive.find({ loadId: 'L1' }).toArray()).to.have.length(1);
        expect(await rPatients.countDocuments({ _id: 'gone' })).to.equal(1);
        for (const [what, op] of [
          ['reader archive insert', () => rArchive.insertOne({ _id: 'L1:reader' })],
          ['reader archive update', () => rArchive.updateOne({ _id: 'L1:gone' }, { $set: { loadId: 'L2' } })],
          ['reader archive delete', () => rArchive.deleteMany({})],
          ['reader patients delete', () => rPatients.deleteMany({ _id: 'gone' })],
        ] as const) {
          expect(codeOf(await op().catch((e: unknown) => e)), what).to.equal(UNAUTHORIZED);
        }
        expect(await rArchive.countDocuments({ _id: 'L1:gone', restoredAt: { $exists: true } })).to.equal(1);
        await wPatients.deleteMany({ _id: 'gone' });
        await wArchive.deleteMany({ loadId: 'L1' });
        await wdb.collection<Doc>('mirror_rows').deleteMany({ loadId: 'L1' });
      } finally {
        await Promise.all([reader.close(), writer.close()]);
      }
    });

    it('tells a command run with an account that lacks its role which account it needs (exit 2)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hc-role-'));
      try {
        const file = join(dir, 'one.csv');
        writeFileSync(file, `${COLUMNS.join(',')}\n${row('Una Role', '1')}\n`);
        const asReader = signedIn(process.env.MONGO_URL!, users.READER_USER, users.READER_PASS, env.DB_NAME!);
        const r = await run(SCRIPTS.enqueue, [file], { ...env, MONGO_URL: asReader });
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.include(`user "${users.READER_USER}"`).and.to.include('the writer account');
        expect(r.stdout + r.stderr).to.not.include(users.READER_PASS);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a wrong password with a clear error that does not echo it', async () => {
      const wrong = secret('wrong');
      const r = await run(DB_INIT, [], {
        ...env,
        MONGO_URL: signedIn(process.env.MONGO_URL!, users.ADMIN_USER, wrong, env.DB_NAME!),
      });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/authentication failed/i);
      expect(r.stderr).to.include(`user "${users.ADMIN_USER}"`).and.to.include(`authSource "${env.DB_NAME}"`);
      expect(r.stdout + r.stderr).to.not.include(wrong);
    });
  });
});
