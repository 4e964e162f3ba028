// Drives the Agents Playground in headless Chromium as a person would, for tests/e2e/playground.test.ts.
// Run it inside a network namespace with only loopback, so nothing leaves the machine:
//   unshare -n sh -c 'ip link set lo up && exec node tests/e2e/playground-driver.mjs <artifactsDir> <tmpDir>'
// Screenshots and the children's logs go to artifactsDir; the database and browser profile to tmpDir.
// Prints one JSON line, { ok, steps, failedStep?, error? }, and exits 0 only when every step passed.
import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startPlayground } from '../../scripts/playground-lib.mjs';

const [artifactsDir, tmpDir] = process.argv.slice(2);
if (!artifactsDir || !tmpDir) {
  console.error('usage: playground-driver.mjs <artifactsDir> <tmpDir>');
  process.exit(2);
}
mkdirSync(artifactsDir, { recursive: true });

const WAIT_MS = 15_000;
const HELP_TITLE = 'Planeringsboten hjälper dig';
const steps = [];
const unexpectedExits = [];
let currentStep = 'start';
let playground;
let context;
let page;

async function start() {
  // A fresh database, so the bot greets as on a first install.
  playground = await startPlayground({
    botPort: 3978,
    playgroundPort: 56150,
    dataDir: mkdtempSync(path.join(tmpDir, 'data-')),
    logDir: artifactsDir,
    onUnexpectedExit: (name, how) => unexpectedExits.push(`${name} exited during the test (${how})`),
  });
  context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpDir, 'profile-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // cleanup() closes the browser on SIGTERM; Playwright's own handlers would exit before the bot stops.
    handleSIGTERM: false,
    handleSIGINT: false,
    handleSIGHUP: false,
  });
  // The namespace has no route out anyway; aborting also spares the wait for the page's CDN fonts.
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort());
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(WAIT_MS);
  // The page's own errors explain most failures of the playground's client.
  const browserLog = createWriteStream(path.join(artifactsDir, 'browser.log'));
  page.on('console', (msg) => browserLog.write(`[${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (err) => browserLog.write(`[pageerror] ${err.stack ?? err.message}\n`));
  // The messages the playground pushes to the page: they tell a reply the page lost from one never sent.
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
    if (String(payload).startsWith('{"action"')) browserLog.write(`[ws] ${String(payload).slice(0, 300)}\n`);
  }));
}

async function cleanup() {
  await context?.close().catch(() => {});
  await playground?.stop();
}
// The test sends SIGTERM when it gives up: still close the browser and stop both children.
process.once('SIGTERM', () => cleanup().finally(() => process.exit(143)));

/** Runs one step, times it and saves a numbered screenshot named after it. */
async function step(name, action) {
  currentStep = name;
  const started = Date.now();
  await action();
  await page.screenshot({ path: path.join(artifactsDir, `${steps.length + 1}-${name}.png`) });
  steps.push({ name, ms: Date.now() - started });
}

/** Waits for a locator to be visible, or fails with a sentence saying what was missing. */
async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: WAIT_MS });
  } catch {
    throw new Error(`${what} did not appear within ${WAIT_MS / 1000} s`);
  }
}

/** Adaptive Cards with this text; a bare getByText would also match the log panel. */
const card = (scope, text) => scope.locator('.ac-adaptiveCard', { hasText: text });

async function run() {
  await start();

  await step('personal-chat-greeting', async () => {
    await page.goto(playground.url);
    await expectVisible(card(page, 'Hej! Jag är Planeringsboten'), 'The welcome card "Hej! Jag är Planeringsboten" in personal chat');
  });

  await step('personal-chat-help', async () => {
    await page.getByRole('textbox').first().pressSequentially('hjälp');
    await page.getByRole('button', { name: 'Send Message' }).click();
    await expectVisible(card(page, HELP_TITLE), `The help card "${HELP_TITLE}" in personal chat`);
  });

  await step('channel-general', async () => {
    await page.getByRole('treeitem', { name: 'My Team - General' }).click();
    await expectVisible(page.getByRole('button', { name: 'Post' }), 'The "Post" button of channel General in My Team');
  });

  await step('channel-mention-menu', async () => {
    // In a channel the first textbox is "Start a new post"; each thread below has its own reply box.
    await page.getByRole('textbox').first().pressSequentially('@');
    await expectVisible(page.getByRole('menuitem', { name: /^Test Bot/ }), 'The mention menu entry "Test Bot"');
  });

  await step('channel-help', async () => {
    await page.getByRole('menuitem', { name: /^Test Bot/ }).click();
    await page.getByRole('textbox').first().pressSequentially(' hjälp');
    await page.getByRole('button', { name: 'Post' }).click();
    // A thread is a group holding the post and its replies: the card must be in the post's own.
    const thread = page.getByRole('group').filter({ hasText: /Test Bot\s*hjälp/ });
    await expectVisible(thread, 'The new post "@Test Bot hjälp" in channel General');
    await expectVisible(card(thread, HELP_TITLE), `The help card "${HELP_TITLE}" in the thread of that post`);
  });
}

let result;
try {
  await run();
  result = { ok: true, steps };
} catch (err) {
  await page?.screenshot({ path: path.join(artifactsDir, `failed-${currentStep}.png`) }).catch(() => {});
  // A child killed from outside explains the missing element better than the element does.
  const error = [String(err?.message ?? err), ...unexpectedExits].join('; ');
  result = { ok: false, steps, failedStep: currentStep, error };
} finally {
  await cleanup();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
