// usage: node probe.mjs <port> <pid> <outprefix>; pings every 1s on 2 conns (A fresh, B has touched storage), logs stalls + RSS
import {MongoClient} from '/work/main/node_modules/mongodb/lib/index.js';
import fs from 'fs';
const [port, pid, out] = process.argv.slice(2);
const f = fs.openSync(out, 'a');
const w = s => fs.writeSync(f, s + '\n');
function rss() { try { const s = fs.readFileSync(`/proc/${pid}/status`,'utf8'); const g = k => parseInt((s.match(new RegExp(k+':\\s+(\\d+)'))||[0,0])[1]); return [g('VmRSS'), g('VmHWM')]; } catch { return [0,0]; } }
const st = {A:{pending:false,start:0,max:0}, B:{pending:false,start:0,max:0}, C:{pending:false,start:0,max:0}};
setInterval(() => {
  const [r,h] = rss(); const now = Date.now();
  const o = k => (st[k].pending ? (now-st[k].start)/1000 : 0).toFixed(1);
  w(`${new Date().toISOString()} rss_mb=${(r/1024).toFixed(0)} hwm_mb=${(h/1024).toFixed(0)} pingA_out_s=${o('A')} pingB_out_s=${o('B')} pingC_out_s=${o('C')} maxA=${st.A.max.toFixed(1)} maxB=${st.B.max.toFixed(1)} maxC=${st.C.max.toFixed(1)}`);
}, 1000);
async function loop(name, touch) {
  const client = new MongoClient(`mongodb://${process.env.CREDS||""}127.0.0.1:${port}/?directConnection=true${process.env.CREDS?"&authSource=admin":""}`, {serverSelectionTimeoutMS: 3600000, socketTimeoutMS: 0, maxPoolSize: 1, minPoolSize: 1});
  await client.connect();
  const admin = client.db('admin');
  if (touch) await client.db('probe').collection('p').findOne({});
  const s = st[name];
  while (true) {
    s.start = Date.now(); s.pending = true;
    try { await admin.command({ping:1}); } catch(e) { w(`ping${name} error `+e.message); }
    const d = (Date.now()-s.start)/1000; s.pending = false;
    if (d > s.max) s.max = d;
    if (d > 1) w(`${new Date().toISOString()} STALL${name} ping took ${d.toFixed(1)}s`);
    await new Promise(r => setTimeout(r, Math.max(0, 1000 - d*1000)));
  }
}
loop('A', false); loop('B', true); loopC();
async function loopC() { // fresh connection per ping (a healthcheck)
  const s = st.C;
  while (true) {
    s.start = Date.now(); s.pending = true;
    const c = new MongoClient(`mongodb://${process.env.CREDS||""}127.0.0.1:${port}/?directConnection=true${process.env.CREDS?"&authSource=admin":""}`, {serverSelectionTimeoutMS: 3600000, socketTimeoutMS: 0, maxPoolSize: 1});
    try { await c.connect(); await c.db('admin').command({ping:1}); } catch(e) { w('pingC error '+e.message); }
    c.close().catch(()=>{});
    const d = (Date.now()-s.start)/1000; s.pending = false;
    if (d > s.max) s.max = d;
    if (d > 1) w(`${new Date().toISOString()} STALLC ping took ${d.toFixed(1)}s`);
    await new Promise(r => setTimeout(r, Math.max(0, 1000 - d*1000)));
  }
}
