// `npm run bench`: speed and size figures, printed, never pass/fail. Runs on the compiled code in dist/.
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { createRequire } from 'node:module';
import { startConnector, messageActivity, runLoad, startProcess, percentile } from './load.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { loadKnowledgeBase } = require(`${root}/dist/bot/qa/knowledge-base.js`);
const { buildIndex, saveIndex, loadSavedIndex } = require(`${root}/dist/bot/qa/search-index.js`);
const { QuestionAnswerer } = require(`${root}/dist/bot/qa/answerer.js`);

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const questions = JSON.parse(readFileSync(`${root}/tests/qa/questions.json`, 'utf8')).map((q) => q.q);
const fmt = (n, d = 2) => n.toFixed(d);
const freePort = () => new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });

function queryLatencies(answerer, rounds = 5) {
  for (const q of questions) answerer.answer(q); // warm up
  const times = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t0 = performance.now();
      answerer.answer(q);
      times.push(performance.now() - t0);
    }
  }
  return times.sort((a, b) => a - b);
}

/** A knowledge base of `size` entries made of the real one's words, in a temporary folder. */
function generatedKnowledge(size, real) {
  const dir = mkdtempSync(path.join(tmpdir(), `pb-bench-kb-${size}-`));
  mkdirSync(path.join(dir, 'entries'));
  copyFileSync(`${root}/knowledge/sources.yaml`, path.join(dir, 'sources.yaml'));
  const words = real.entries.flatMap((e) => e.passages.flatMap((p) => p.text.split(/\s+/))).filter((w) => /^[\p{L}]{3,}$/u.test(w));
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (n) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
  for (let i = 0; i < size; i++) {
    const body = [`${pick(50)}.`, `## ${pick(3)}\n${pick(60)}.`, `## ${pick(3)}\n${pick(60)}.`].join('\n\n');
    writeFileSync(
      path.join(dir, 'entries', `gen-${i}.md`),
      `---\nid: gen-${i}\ntyp: begrepp\ntitel: ${pick(3)} ${i}\nsynonymer: [${pick(1)}]\nkälla:\n  dokument: reglab-presentation\n---\n${body}\n`,
    );
  }
  return dir;
}

async function httpThroughput(concurrency) {
  const connector = await startConnector();
  const results = {};
  const questionFor = (w, i) => questions[(w * 7 + i) % questions.length];
  for (const [name, script, env] of [
    ['echo bot', `${root}/tests/bench/echo-bot.mjs`, {}],
    ['Planeringsboten', `${root}/dist/bot/index.js`, { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'pb-bench-data-')) }],
  ]) {
    // Each bench conversation is one person sending as fast as the bot answers: far past the per-person limit.
    const bot = await startProcess(script, { ...env, RATE_LIMIT_PER_MINUTE: '10000', PORT: String(await freePort()) });
    const nextActivity = (w, i) => messageActivity(connector.url, `bench-${w}`, questionFor(w, i));
    await runLoad({ botUrl: bot.url, concurrency, seconds: 1, nextActivity }); // warm up
    results[name] = await runLoad({ botUrl: bot.url, concurrency, seconds: SECONDS, nextActivity });
    await bot.stop();
  }
  await connector.close();
  return results;
}

console.log(`Planeringsboten bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);

const real = loadKnowledgeBase();
const realAnswerer = new QuestionAnswerer(real, buildIndex(real));
const q = queryLatencies(realAnswerer);
console.log(`Question answering on the knowledge base (${real.entries.length} entries), ${questions.length} questions × 5:`);
console.log(`  p50 ${fmt(percentile(q, 50), 3)} ms   p99 ${fmt(percentile(q, 99), 3)} ms   (target p99 ≤ 2 ms at 10 000 entries)\n`);

console.log('Generated knowledge bases:');
for (const size of [1000, 10000]) {
  const dir = generatedKnowledge(size, real);
  const kb = loadKnowledgeBase(dir);
  let t0 = performance.now();
  const index = buildIndex(kb);
  const buildMs = performance.now() - t0;
  const file = path.join(dir, 'index.json');
  saveIndex(index, kb.contentHash, file);
  t0 = performance.now();
  const loaded = loadSavedIndex(kb.contentHash, file);
  const loadMs = performance.now() - t0;
  const times = queryLatencies(new QuestionAnswerer(kb, loaded), 3);
  console.log(
    `  ${String(size).padStart(6)} entries: build ${fmt(buildMs / 1000)} s, saved ${fmt(statSync(file).size / 2 ** 20, 1)} MB, ` +
      `load ${fmt(loadMs / 1000, 3)} s (target ≤ 0.5 s at 10 000), query p50 ${fmt(percentile(times, 50), 3)} ms p99 ${fmt(percentile(times, 99), 3)} ms`,
  );
}

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
console.log(`\nQuestions over HTTP as Teams sends them, ${concurrency} concurrent conversations, ${SECONDS} s each:`);
const http = await httpThroughput(concurrency);
for (const [name, r] of Object.entries(http)) {
  console.log(`  ${name.padEnd(16)} ${fmt(r.perSecond, 0).padStart(6)} turns/s   p50 ${fmt(r.p50, 1)} ms   p95 ${fmt(r.p95, 1)} ms   p99 ${fmt(r.p99, 1)} ms   errors ${r.errors}`);
}
const ratio = http['Planeringsboten'].perSecond / http['echo bot'].perSecond;
console.log(`  ratio ${fmt(ratio)} of the echo bot's turns per second (target ≥ 0.7)`);
