/**
 * End to end in Microsoft's offline Teams-like client: the bot, the Agents Playground and headless
 * Chromium run inside a network namespace with only loopback (tests/e2e/playground-driver.mjs does
 * the clicking, and says there what the playground does differently from Teams). Screenshots and
 * logs: test-artifacts/playground/. To refresh the README's picture, docs/playground.png, run it with
 * UPDATE_DOCS_SCREENSHOT=1.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/playground');
const DRIVER = path.join(__dirname, 'playground-driver.mjs');
const CHROMIUM = '/usr/bin/chromium';
// A run takes one to two minutes: about a minute of steps (5 s of it waiting for the first digest) and the
// start of the bot and the playground; the limit leaves room for a busy machine.
const DRIVER_TIMEOUT_MS = 180_000;

/** Why this machine cannot run the test, or undefined when it can. */
function missingPrerequisite(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install -y chromium)`;
  const ns = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
  if (ns.status !== 0) {
    return `cannot create a network namespace with loopback (unshare -n: ${(ns.stderr || ns.error?.message || `exit ${ns.status}`).trim()})`;
  }
  return undefined;
}

const missing = missingPrerequisite();
// On a developer's machine a missing browser or namespace skips, visibly; in CI it must fail.
const skip = missing !== undefined && process.env.CI !== 'true';
if (skip) console.warn(`Skipping the Agents Playground e2e test: ${missing}`);

interface DriverResult {
  ok: boolean;
  steps: { name: string; ms: number }[];
  failedStep?: string;
  error?: string;
}

let driver: ChildProcess | undefined;
let tmpDir: string | undefined;

/** Pids in the driver's process group (bot, playground) or naming our temp dir (Chromium, its own group). */
function leftovers(pgid: number, dir: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (group === pgid || cmdline.includes(dir)) found.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

// Even when the test fails or times out: nothing it started may outlive it.
afterAll(() => {
  if (driver?.pid && tmpDir) killAll(leftovers(driver.pid, tmpDir));
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

(skip ? test.skip : test)(
  'a person asks in every kind of chat, decides on a draft, signs up for a workshop and off again, and follows deadlines in the Agents Playground',
  async () => {
    if (missing) throw new Error(`CI=true requires this test to run, but ${missing}`);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planeringsboten-e2e-'));
    tmpDir = dir;

    // detached: the driver leads its own process group, so one signal reaches the bot and the playground.
    const child = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec node "$0" "$1" "$2"', DRIVER, ARTIFACTS, dir], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    driver = child;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));

    // SIGTERM lets the driver close the browser and stop its children; SIGKILL if it does not.
    let timedOut = false;
    const term = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGTERM');
    }, DRIVER_TIMEOUT_MS);
    const kill = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), DRIVER_TIMEOUT_MS + 15_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(term);
    clearTimeout(kill);

    // The driver has stopped everything it started before exiting; anything left is a cleanup bug.
    let left = leftovers(child.pid!, dir);
    for (let i = 0; left.length > 0 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = leftovers(child.pid!, dir);
    }
    killAll(left);

    const lastLine = stdout.trim().split('\n').pop() ?? '';
    let result: DriverResult | undefined;
    try {
      result = JSON.parse(lastLine) as DriverResult;
    } catch {
      // Reported below with the driver's stderr.
    }
    const where = `Screenshots and logs are in ${path.relative(ROOT, ARTIFACTS)}/`;
    if (timedOut) throw new Error(`The driver did not finish within ${DRIVER_TIMEOUT_MS / 1000} s.\n${where}\n${stderr.slice(-2000)}`);
    if (!result) throw new Error(`The driver exited with ${code} and no result.\n${where}\n${stderr.slice(-2000)}`);
    if (!result.ok) throw new Error(`Step "${result.failedStep}" failed: ${result.error}\n${where}`);
    expect(code).toBe(0);
    expect(result.steps.map((s) => s.name)).toEqual([
      'personal-chat-greeting',
      'personal-chat-help',
      'personal-chat-question',
      'draft-form',
      'draft-submit',
      'draft-approve',
      'workshop-form',
      'workshop-publish',
      'workshop-register',
      'workshop-cancel',
      'deadline-form',
      'deadline-save',
      'deadlines',
      'subscribe',
      'digest',
      'unsubscribe',
      'group-chat-question',
      'channel-general',
      'channel-mention-menu',
      'channel-help',
      'channel-question',
    ]);
    expect(left).toEqual([]);
  },
  DRIVER_TIMEOUT_MS + 30_000,
);
