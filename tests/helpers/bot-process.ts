import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { postJson } from './bot';

const root = path.resolve(__dirname, '../..');

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote to stdout so far (its JSON log lines). */
  output(): string;
  post(activity: unknown): Promise<{ status: number; body: any }>;
  /** kill -9: no shutdown code runs. */
  crash(): Promise<void>;
  /** SIGTERM, as a platform stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** The compiled bot (built by the tests' global setup) as its own process, the way it runs in production. */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', path.join(root, 'dist/bot/index.js')], {
    // PGlite unless the test asks for a server: CI exports DATABASE_URL for the tests that are about PostgreSQL.
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env, PORT: String(port), MicrosoftAppId: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`bot process did not become ready: ${stderr}\n${stdout}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url,
    child,
    output: () => stdout,
    post: (activity) => postJson(`${url}/api/messages`, activity),
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
