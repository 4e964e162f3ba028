// Starts the bot and the Microsoft 365 Agents Playground (an offline Teams-like client) together.
// Used by `npm run playground` (scripts/playground.mjs) and by the end-to-end test's driver.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLAYGROUND_CLI = path.join(ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');

/**
 * Builds, starts the bot, waits for /readyz, then starts the playground and waits for it.
 * logDir: write bot.log and playground.log there; without it the children share our terminal.
 * signal: an AbortSignal that cancels the start (and stops what has started).
 * onUnexpectedExit(name, codeOrSignal): called when the bot or the playground ends before stop().
 * botEnv: extra environment for the bot only, e.g. DIGEST_CRON (a cron pattern with seconds) for frequent digests.
 * Returns { url, botUrl, stop }; stop() ends both children and is safe to call twice.
 */
export async function startPlayground({ botPort = 3978, playgroundPort = 56150, dataDir = './data', logDir, build = true, signal, onUnexpectedExit, botEnv: extraBotEnv = {} } = {}) {
  // Both must be free: the bot would fail late, and the playground silently moves to a random port.
  for (const port of [botPort, playgroundPort]) {
    if (!(await isPortFree(port))) throw new Error(`Port ${port} används redan; välj en annan.`);
  }
  if (build) {
    // Output captured, not inherited: the test's driver keeps its stdout for its JSON result.
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`Bygget (tsc) misslyckades:\n${tsc.stdout}${tsc.stderr}`);
  }

  const children = [];
  let stopping = false;
  const stop = () => {
    stopping = true;
    return Promise.all(children.map(stopChild));
  };
  const start = (name, args, env) => {
    const child = launch(name, args, env, logDir);
    child.exited.then((how) => stopping || onUnexpectedExit?.(name, how));
    children.push(child);
    return child;
  };
  try {
    const botUrl = `http://127.0.0.1:${botPort}`;
    // Set to '' rather than left out, because dotenv never overrides a variable that is already set:
    // no app id, as the playground sends no Bot Framework token (local mode, loopback only), and
    // no DATABASE_URL, so the sandbox keeps its data in PGlite under dataDir, never in a shared server.
    // The caller's extra variables come before these, so they cannot undo that.
    const botEnv = { ...process.env, ...extraBotEnv, PORT: String(botPort), DATA_DIR: path.resolve(ROOT, dataDir), MicrosoftAppId: '', HOST: '', DATABASE_URL: '' };
    const bot = start('bot', [path.join(ROOT, 'dist/bot/index.js')], botEnv);
    // Generous: opening PGlite and loading the knowledge base take seconds, more on a busy machine.
    await waitFor(`${botUrl}/readyz`, bot, 60_000, signal);

    const url = `http://localhost:${playgroundPort}`;
    // No browser of its own (we print the address, or the test drives one), and no telemetry.
    const pgEnv = { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' };
    const pgArgs = [PLAYGROUND_CLI, '-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(playgroundPort), '--disable-telemetry'];
    const playground = start('playground', pgArgs, pgEnv);
    await waitFor(`${url}/_debug/ping`, playground, 30_000, signal);
    return { url, botUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs a Node script as a child (no npx in between, so signals reach the real process). */
function launch(name, args, env, logDir) {
  let log;
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    log = createWriteStream(path.join(logDir, `${name}.log`));
  }
  // In the project folder: the bot finds its files there, and the playground its .m365agentsplayground.yml.
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: log ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (log) {
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
  }
  child.label = name;
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    log?.end();
    resolve(code ?? signal);
  }));
  return child;
}

/** SIGTERM (the bot closes its database cleanly), then SIGKILL if it lingers. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

async function waitFor(url, child, timeoutMs, signal) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${child.label} avslutades innan ${url} svarade (${child.exitCode ?? child.signalCode}).`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.label} svarade inte på ${url} inom ${timeoutMs / 1000} s.`);
}

/** Tries to listen on the port on all interfaces, as the playground does. */
function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
