import {MongoClient} from '/work/main/node_modules/mongodb/lib/index.js';
const c = new MongoClient(`mongodb://127.0.0.1:37019/?directConnection=true`); await c.connect();
console.log(await c.db('admin').command({createUser:'root', pwd:'rootpw', roles:['root']}));
await c.close();
