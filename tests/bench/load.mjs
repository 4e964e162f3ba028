// Drives a bot over HTTP the way Teams does: concurrent conversations POST activities to
// /api/messages, and a local stand-in for the Bot Connector receives the replies.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';

export async function startConnector() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID() }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

export function messageActivity(serviceUrl, conversationId, text) {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${conversationId}`, name: 'Bench', aadObjectId: `aad-${conversationId}` },
    recipient: { id: '28:bot', name: 'Planeringsboten' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    text,
    locale: 'sv-SE',
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

/** A click on an Action.Execute button, as Teams sends it. */
export function cardInvoke(serviceUrl, conversationId, verb, data, userKey = conversationId) {
  const base = messageActivity(serviceUrl, conversationId, '');
  delete base.text;
  return {
    ...base,
    type: 'invoke',
    name: 'adaptiveCard/action',
    from: { id: `29:${userKey}`, name: `Bench ${userKey}`, aadObjectId: `aad-${userKey}` },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * `concurrency` conversations, each sending its next activity as soon as the last is answered,
 * for `seconds`. Returns turns per second and latency percentiles (ms).
 */
export async function runLoad({ botUrl, concurrency, seconds, nextActivity }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const post = (body) =>
    new Promise((resolve) => {
      const data = JSON.stringify(body);
      const req = http.request(`${botUrl}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', () => resolve(0));
      req.end(data);
    });
  const worker = async (w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      const status = await post(nextActivity(w, i));
      if (status !== 200) errors++;
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { turns: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), errors };
}

/**
 * Starts `node script` with `env`, resolves once GET /readyz answers 200 (`database`: the kind it
 * names). The bench's own DATABASE_URL names the server it makes databases on; a bot runs on
 * PostgreSQL only when `env` says so (until 2026-12-02 the PGlite runs inherited it and measured
 * PostgreSQL: tests/bench/RESULTS.md).
 */
export async function startProcess(script, env) {
  const { DATABASE_URL: _benchServer, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', script], { env: { ...inherited, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${env.PORT}`;
  const t0 = performance.now();
  let readiness;
  for (;;) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) {
        readiness = await r.json();
        break;
      }
    } catch {
      /* not yet */
    }
    if (child.exitCode !== null || performance.now() - t0 > 60_000) throw new Error(`${script} did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child, readyMs: performance.now() - t0, database: readiness.database, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}
