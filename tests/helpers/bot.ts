import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { FakeConnector } from './connector';
import { startService, type RunningService, type ServiceOptions } from '../../bot/service';

export interface TestBot {
  url: string;
  dataDir: string;
  service: RunningService;
  /** POSTs an activity to /api/messages as Teams would; returns status and parsed body. */
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export const tempDir = (prefix = 'pb-test-') => mkdtempSync(path.join(tmpdir(), prefix));

/** The real service in this process, on a free port, with its own PGlite folder unless given env says otherwise. */
export async function startTestBot(env: Record<string, string | undefined> = {}, options: ServiceOptions = {}): Promise<TestBot> {
  const dataDir = env.DATA_DIR ?? tempDir();
  // Tests speak fast through few people; the rate limit has its own test.
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', RATE_LIMIT_PER_MINUTE: '10000', ...env });
  const service = await startService(config, createLogger(config.LOG_LEVEL, false), options);
  await service.ready;
  const url = `http://127.0.0.1:${service.port}`;
  return {
    url,
    dataDir,
    service,
    post: (activity, headers = {}) => postJson(`${url}/api/messages`, activity, headers),
    stop: () => service.stop(),
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed };
}

/** The stand-in Bot Connector and a bot replying to it: what most end-to-end files start with. */
export async function startBotAndConnector(env: Record<string, string | undefined> = {}, options: ServiceOptions = {}) {
  const connector = await FakeConnector.start();
  return { connector, bot: await startTestBot(env, options) };
}

export async function stopBotAndConnector({ bot, connector }: { bot?: TestBot; connector?: FakeConnector }) {
  await bot?.stop();
  await connector?.close();
}
