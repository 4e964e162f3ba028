import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
const rss = () => (Number(readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024).toFixed(0);
const opts = process.env.MEM ? { initialMemory: Number(process.env.MEM) * 2 ** 20 } : {};
const db = await PGlite.create(process.argv[2], opts);
const m = db.mod;
console.log('rss', rss(), 'wasm mem', (m.wasmMemory?.buffer.byteLength ?? m.HEAPU8?.length) / 2 ** 20, Object.keys(m).filter((k) => /HEAP|emory/.test(k)).join(','));
await db.query('create table if not exists t(a int, b text)'); await db.query("insert into t select g, repeat('x', 100) from generate_series(1,1000) g");
console.log('after work rss', rss(), JSON.stringify(process.memoryUsage()));
