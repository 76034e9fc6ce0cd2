import {MongoClient} from '/work/main/node_modules/mongodb/lib/index.js';
const [port] = process.argv.slice(2);
const c = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`); await c.connect();
const p = c.db('hc').collection('patients');
const id = i => (BigInt(i) * 0x9E3779B97F4A7C15n & 0xffffffffffffffffn).toString(16).padStart(16,'0');
let t = Date.now(); const n = await p.countDocuments({}); console.log(`countDocuments({}) = ${n} in ${Date.now()-t} ms`);
t = Date.now(); const n2 = await p.estimatedDocumentCount(); console.log(`estimatedDocumentCount = ${n2} in ${Date.now()-t} ms`);
for (const i of [0, 500000, 944999]) { t = Date.now(); const d = await p.findOne({_id: id(i)}); console.log(`findOne({_id:${id(i)}}) found=${!!d} in ${Date.now()-t} ms`); }
t = Date.now(); const d = await p.findOne({Hospital: 'nonexistent'}); console.log(`findOne({Hospital:x}) (no index, collection scan) found=${!!d} in ${Date.now()-t} ms`);
t = Date.now(); await c.db('admin').command({ping:1}); console.log(`ping ${Date.now()-t} ms`);
await c.close();
