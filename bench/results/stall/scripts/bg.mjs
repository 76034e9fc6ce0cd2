// usage: node bg.mjs <port> <outfile>; mimics other workers/ops during the build: every 1s
// insertOne into hc.chunkResults (w:1,j:true), findOne hc.loads, countDocuments hc.chunkResults, findOne patients by _id
import {MongoClient} from '/work/main/node_modules/mongodb/lib/index.js';
import fs from 'fs';
const [port, out] = process.argv.slice(2);
const f = fs.openSync(out, 'a'); const w = s => fs.writeSync(f, new Date().toISOString()+' '+s+'\n');
const client = new MongoClient(`mongodb://${process.env.CREDS||""}127.0.0.1:${port}/?directConnection=true${process.env.CREDS?"&authSource=admin":""}`, {serverSelectionTimeoutMS: 3600000, socketTimeoutMS: 0, maxPoolSize: 4});
await client.connect();
const db = client.db('hc');
await db.collection('loads').updateOne({_id:'L1'}, {$set:{chunksTotal: 1000}}, {upsert:true});
let i = 0;
while (true) {
  const t = Date.now(); const step = {};
  let s = Date.now(); await db.collection('chunkResults').insertOne({loadId:'L1', chunk: i++, at: new Date()}, {writeConcern:{w:1,j:true}}); step.ins = Date.now()-s;
  s = Date.now(); await db.collection('loads').findOne({_id:'L1'}, {projection:{chunksTotal:1}}); step.findLoad = Date.now()-s;
  s = Date.now(); await db.collection('chunkResults').countDocuments({loadId:'L1'}); step.count = Date.now()-s;
  const d = Date.now()-t;
  if (d > 1000) w(`SLOW bg round ${d}ms ${JSON.stringify(step)}`);
  await new Promise(r => setTimeout(r, Math.max(0, 1000-d)));
}
