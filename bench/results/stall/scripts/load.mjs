// usage: node load.mjs <port> <ndocs> <mode: load|index|both|pre> [indexMode: all|each]
import {MongoClient} from '/work/main/node_modules/mongodb/lib/index.js';
const [port, nStr, mode='both', indexMode='all'] = process.argv.slice(2);
const N = parseInt(nStr);
const uri = `mongodb://${process.env.CREDS||""}127.0.0.1:${port}/?directConnection=true${process.env.CREDS?"&authSource=admin":""}`;
const client = new MongoClient(uri, {serverSelectionTimeoutMS: 3600000, socketTimeoutMS: 0});
await client.connect();
const db = client.db('hc');
const coll = db.collection('patients');
const t0 = Date.now();
const log = (...a) => console.log(new Date().toISOString(), ((Date.now()-t0)/1000).toFixed(1)+'s', ...a);
const specs = [{'Medical Condition':1},{'Date of Admission':1},{Hospital:1},{'_ingest.loadId':1}];
const names = ['Medical Condition_1','Date of Admission_1','Hospital_1','_ingest.loadId_1'];
async function buildIndexes() {
  const ti = Date.now();
  if (indexMode === 'all') {
    const r = await db.command({createIndexes:'patients', indexes: specs.map((k,i)=>({key:k,name:names[i]}))}, {timeoutMS: 0});
    log('createIndexes(all 4) done', JSON.stringify(r));
  } else {
    for (let i=0;i<4;i++) {
      const t1 = Date.now();
      const r = await db.command({createIndexes:'patients', indexes:[{key:specs[i],name:names[i]}]});
      log(`createIndexes(${names[i]}) done in ${((Date.now()-t1)/1000).toFixed(1)}s`, JSON.stringify(r));
    }
  }
  const s = (Date.now()-ti)/1000;
  log(`RESULT index_build_s=${s.toFixed(1)}`);
}
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = a => a[Math.floor(rnd()*a.length)];
const first = ['James','Mary','John','Patricia','Robert','Jennifer','Michael','Linda','William','Elizabeth','David','Barbara','Richard','Susan','Joseph','Jessica'];
const last = ['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez','Hernandez','Lopez','Gonzalez','Wilson'];
const conds = ['Cancer','Obesity','Diabetes','Asthma','Hypertension','Arthritis'];
const hosp = Array.from({length:5000},(_,i)=>`${pick(last)} ${pick(['Inc','Ltd','Group','and Sons','LLC','PLC'])} ${i}`);
const doctors = Array.from({length:10000},(_,i)=>`Dr. ${pick(first)} ${pick(last)} ${i}`);
const ins = ['Aetna','Blue Cross','Cigna','Medicare','UnitedHealthcare'];
const meds = ['Aspirin','Ibuprofen','Lipitor','Paracetamol','Penicillin'];
const loadId = 'load-' + Date.now().toString(16);
function mkDoc(i) {
  const adm = new Date(Date.UTC(2019,0,1) + Math.floor(rnd()*5*365)*86400000);
  return {
    _id: (BigInt(i) * 0x9E3779B97F4A7C15n & 0xffffffffffffffffn).toString(16).padStart(16,'0'),
    Name: `${pick(first)} ${pick(last)}`, Age: 18+Math.floor(rnd()*70), Gender: pick(['Male','Female']),
    'Blood Type': pick(['A+','A-','B+','B-','AB+','AB-','O+','O-']), 'Medical Condition': pick(conds),
    'Date of Admission': adm, Doctor: pick(doctors), Hospital: pick(hosp), 'Insurance Provider': pick(ins),
    'Billing Amount': Math.round(rnd()*5000000)/100, 'Room Number': 100+Math.floor(rnd()*400),
    'Admission Type': pick(['Urgent','Emergency','Elective']),
    'Discharge Date': new Date(adm.getTime() + Math.floor(1+rnd()*30)*86400000),
    Medication: pick(meds), 'Test Results': pick(['Normal','Abnormal','Inconclusive']),
    _ingest: {loadId, row: i, at: new Date()},
  };
}
if (mode === 'pre') await buildIndexes();
if (mode !== 'index') {
  const ti = Date.now();
  let next = 0; const B = 1000; let done = 0; let maxBatch = 0;
  async function worker() {
    while (true) {
      const start = next; if (start >= N) return; next += B;
      const docs = []; for (let i=start;i<Math.min(N,start+B);i++) docs.push(mkDoc(i));
      const tb = Date.now();
      await coll.insertMany(docs, {ordered:false, writeConcern:{w:1,j:true}});
      maxBatch = Math.max(maxBatch, Date.now()-tb);
      done += docs.length;
      if (done % 100000 === 0) log(`inserted ${done}`);
    }
  }
  await Promise.all([worker(), worker()]);
  log(`RESULT insert_s=${((Date.now()-ti)/1000).toFixed(1)} docs=${done} max_batch_ms=${maxBatch}`);
}
if (mode === 'both' || mode === 'index') await buildIndexes();
await client.close();
