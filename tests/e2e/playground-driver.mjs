// Drives the Agents Playground in headless Chromium as a person would, for tests/e2e/playground.test.ts.
// It runs the compiled bot (the test's global setup builds it; by hand: npm run build first), inside a network
// namespace with only loopback, so nothing leaves the machine:
//   unshare -n sh -c 'ip link set lo up && exec node tests/e2e/playground-driver.mjs <artifactsDir> <tmpDir>'
// Screenshots and the children's logs go to artifactsDir; the database and browser profile to tmpDir.
// With UPDATE_DOCS_SCREENSHOT=1 it also writes docs/playground.png (the README's picture); by default
// that picture goes to artifactsDir only, so a test run does not change a committed file.
// Prints one JSON line, { ok, steps, failedStep?, error? }, and exits 0 only when every step passed.
//
// What the playground (0.2.x) does differently from Teams, and how the steps live with it:
// - It never runs a card's `refresh` (it logs "User specific view is not supported"), so a posted
//   draft card shows everyone the read-only view. The author who picks themselves as approver gets
//   the approver's view anyway: it is the card that replaces the form after "Skicka för beslut".
// - It splits a message with text and a card into two messages (unless attachmentLayout is
//   "carousel") and then answers the bot 202 without an activity id, so the bot cannot update the
//   posted card later (Teams gives one message, one id).
//   The steps check the card the clicker gets back, which is what the bot returns for the click.
// - Its people picker offers its mock directory (not the card's static choices) and returns each
//   person's `id`; .m365agentsplayground.yml makes that id the aadObjectId, as Teams returns.
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startPlayground } from '../../scripts/playground-lib.mjs';

const [artifactsDir, tmpDir] = process.argv.slice(2);
if (!artifactsDir || !tmpDir) {
  console.error('usage: playground-driver.mjs <artifactsDir> <tmpDir>');
  process.exit(2);
}
mkdirSync(artifactsDir, { recursive: true });
const DOCS_SCREENSHOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/playground.png');

const WAIT_MS = 15_000;
// DIGEST_CRON fires every 5 s; the digest is claimed, rendered and sent through the queue after that.
const DIGEST_CRON = '*/5 * * * * *';
const DIGEST_WAIT_MS = 20_000;
const HELP_TITLE = 'Planeringsboten hjälper dig';
const DRAFT_TITLE = 'Gemensam planeringsbild för länet';
const WORKSHOP_TITLE = 'Workshop: regional planeringsbild';
const DEADLINE_TITLE = 'Remissvar om regionplanen';
// The list of deadlines ("tidsfrister"); its title alone also appears on the help card.
const DEADLINES_INTRO = 'Datumen har den precision källorna ger.';
const steps = [];
const unexpectedExits = [];
let currentStep = 'start';
let playground;
let context;
let page;

async function start() {
  // A fresh database, so the bot greets as on a first install and the draft is #1.
  playground = await startPlayground({
    botPort: 3978,
    playgroundPort: 56150,
    dataDir: mkdtempSync(path.join(tmpDir, 'data-')),
    logDir: artifactsDir,
    // Built once by the test's global setup; compiling again would only add time.
    build: false,
    botEnv: { DIGEST_CRON },
    onUnexpectedExit: (name, how) => unexpectedExits.push(`${name} exited during the test (${how})`),
  });
  context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpDir, 'profile-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    // The calendar's day buttons are named in the page's locale ("15, December, 2026").
    locale: 'en-US',
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

/**
 * Runs one step, times it and saves a numbered screenshot named after it. The action may return
 * the element the step is about: it is scrolled into view first, so the screenshot shows it.
 */
async function step(name, action) {
  currentStep = name;
  const started = Date.now();
  const subject = await action();
  await subject?.first().scrollIntoViewIfNeeded().catch(() => {});
  await page.screenshot({ path: path.join(artifactsDir, `${String(steps.length + 1).padStart(2, '0')}-${name}.png`) });
  steps.push({ name, ms: Date.now() - started });
}

/** Waits for a locator to be visible, or fails with a sentence saying what was missing. */
async function expectVisible(locator, what, timeout = WAIT_MS) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`${what} did not appear within ${timeout / 1000} s`);
  }
}

async function expectHidden(locator, what, timeout = WAIT_MS) {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout });
  } catch {
    throw new Error(`${what} was still there after ${timeout / 1000} s`);
  }
}

/** Does something to the page; if it cannot (an element missing, disabled…), says what it tried. */
async function act(what, action) {
  try {
    await action();
  } catch (err) {
    throw new Error(`Could not ${what}: ${String(err?.message ?? err).split('\n')[0]}`);
  }
}

/** Adaptive Cards with this text; a bare getByText would also match the log panel. */
const card = (scope, text) => scope.locator('.ac-adaptiveCard', { hasText: text });
/** The workshop card as posted for everyone (the organiser's own view has "Deltagarlista"). */
const postedWorkshop = () => card(page, WORKSHOP_TITLE).filter({ hasText: '20 av 20 platser kvar' }).filter({ hasNot: page.getByRole('button', { name: 'Deltagarlista' }) });
const deadlineList = () => card(page, 'Kommande tidsfrister').filter({ hasText: DEADLINES_INTRO });
const deadlineForm = () => card(page, 'Ny tidsfrist').filter({ has: page.getByRole('button', { name: 'Spara' }) }).last();
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The message box: in personal chat the only rich-text editor; in a channel the first one is
 * "Start a new post" (each thread below has its own reply box). A card's inputs are plain inputs,
 * so a form posted earlier in the chat cannot take the text.
 */
const messageBox = () => page.locator('[data-lexical-editor="true"]').first();

/** Writes a message in personal chat and sends it. */
async function say(text) {
  await act(`write "${text}" in the message box`, () => messageBox().pressSequentially(text));
  await act('click "Send Message"', () => page.getByRole('button', { name: 'Send Message' }).click());
}

/**
 * Writes "@Test Bot <text>", picking the bot from the mention menu, and sends it: as a new post in the
 * open channel ("Post") or as a message in a group chat ("Send Message").
 */
async function mentionBot(text, send = 'Post') {
  await act('type "@" in the message box', () => messageBox().pressSequentially('@'));
  await expectVisible(page.getByRole('menuitem', { name: /^Test Bot/ }), 'The mention menu entry "Test Bot"');
  await act('choose "Test Bot" in the mention menu', () => page.getByRole('menuitem', { name: /^Test Bot/ }).click());
  await act(`type " ${text}" after the mention`, () => messageBox().pressSequentially(` ${text}`));
  await act(`click "${send}"`, () => page.getByRole('button', { name: send }).click());
}

/** A thread in the open channel: the group holding a post that mentioned the bot, and its replies. */
const threadOf = (text) => page.getByRole('group').filter({ hasText: new RegExp(`Test Bot\\s*${escapeRegExp(text)}`) });

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A day of next month: always in the future, and always one "Next month" click away in the calendar. */
function nextMonthDay(day) {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth() + 1, day);
}

const SWEDISH_MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/**
 * How a deadline row reads: its title, the days left as the bot counts them (Stockholm calendar days), and the
 * date. Counted now; a card drawn just before midnight in Stockholm may say one day more.
 */
function deadlineRow(title, date) {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(new Date()).split('-').map(Number);
  const days = Math.round((Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) - Date.UTC(y, m - 1, d)) / 86_400_000);
  const label = `${date.getDate()} ${SWEDISH_MONTHS[date.getMonth()]} ${date.getFullYear()}`;
  return new RegExp(`${escapeRegExp(title)}\\s*om (${days}|${days + 1}) dagar\\s*${label}`);
}

/** Picks a date of next month in an Input.Date, as a person does: open the calendar, next month, the day. */
async function pickDate(input, date, what) {
  await act(`open the calendar of ${what}`, () => input.click());
  const calendar = page.getByRole('dialog');
  await act(`go to next month in the calendar of ${what}`, () => calendar.getByTitle(/^Next month/).click());
  const dayName = `${date.getDate()}, ${MONTHS[date.getMonth()]}, ${date.getFullYear()}`;
  await act(`click ${dayName} in the calendar of ${what}`, () => calendar.getByRole('button', { name: dayName, exact: true }).click());
}

/** Saves the README's picture: the client without its developer log, about 1280 wide. */
async function saveReadmeScreenshot() {
  const file = path.join(artifactsDir, 'readme.png');
  await act('hide the log panel', () => page.getByTitle('Hide log panel').click());
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: file });
  await page.setViewportSize({ width: 1400, height: 900 });
  await act('show the log panel again', () => page.getByTitle('Toggle Log Panel').click());
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
    copyFileSync(file, DOCS_SCREENSHOT);
  }
}

async function run() {
  await start();

  await step('personal-chat-greeting', async () => {
    await page.goto(playground.url);
    await expectVisible(card(page, 'Hej! Jag är Planeringsboten'), 'The welcome card "Hej! Jag är Planeringsboten" in personal chat');
  });

  await step('personal-chat-help', async () => {
    await say('hjälp');
    await expectVisible(card(page, HELP_TITLE), `The help card "${HELP_TITLE}" in personal chat`);
    return card(page, HELP_TITLE);
  });

  await step('personal-chat-question', async () => {
    await say('Vad är strategisk planering?');
    // The answer quotes the source's own words and names it: both are the point of the bot.
    const answer = card(page, 'Strategisk planering').filter({ hasText: /"samspelet mellan olika planeringsprocesser[^"]*"/ });
    await expectVisible(answer, 'The answer card quoting "samspelet mellan olika planeringsprocesser"');
    await expectVisible(answer.getByText(/^Källa: Tillväxtverket/), 'The line "Källa: Tillväxtverket: …" on the answer card');
    await expectVisible(answer.getByText('Relaterade frågor'), 'The heading "Relaterade frågor" on the answer card');
    await expectVisible(answer.getByRole('button'), 'A related question button on the answer card');
    await saveReadmeScreenshot();
    return answer;
  });

  // Alex writes a draft, picks themselves as approver, sends it, and approves it.
  await step('draft-form', async () => {
    await say('ny viljeriktning');
    const form = card(page, 'Godkännare').filter({ has: page.getByRole('button', { name: 'Skicka för beslut' }) }).last();
    await expectVisible(form, 'The form "Ny viljeriktning" with "Skicka för beslut"');
    await act('fill in "Titel"', () => form.getByLabel('Titel').fill(DRAFT_TITLE));
    await act('fill in "Punkter (en per rad)"', () => form.getByLabel('Punkter (en per rad)').fill('Samordna RUS och översiktsplanerna\nEtt gemensamt kunskapsunderlag'));
    // The people picker searches the playground's mock directory; its list opens in a layer of its own.
    await act('search "Alex" in the Godkännare people picker', () => form.getByRole('combobox', { name: 'People Picker' }).pressSequentially('Alex'));
    const suggestion = page.locator('#test-tool-people-picker-layer-host').getByRole('option', { name: /Alex Wilber/ });
    await expectVisible(suggestion, 'The suggestion "Alex Wilber" of the people picker');
    await act('choose "Alex Wilber" in the people picker', () => suggestion.first().click());
    // The chosen people are the picker's list items ("Selected contacts").
    await expectVisible(form.getByRole('listitem').filter({ hasText: 'Alex Wilber' }), 'Alex Wilber as chosen approver in the people picker');
    return form;
  });

  await step('draft-submit', async () => {
    const form = card(page, 'Godkännare').filter({ has: page.getByRole('button', { name: 'Skicka för beslut' }) }).last();
    await act('click "Skicka för beslut"', () => form.getByRole('button', { name: 'Skicka för beslut' }).click());
    // The posted card everyone sees, waiting for Alex's decision…
    const posted = card(page, `Viljeriktning: ${DRAFT_TITLE}`).filter({ hasText: 'Väntar på beslut' }).filter({ hasNotText: 'Skickat för beslut' });
    await expectVisible(posted, `The posted draft card "Viljeriktning: ${DRAFT_TITLE}" with status "Väntar på beslut"`);
    // …and, in the form's place, Alex's own view as approver, with the decision buttons.
    const mine = card(page, 'Skickat för beslut till Alex Wilber');
    await expectVisible(mine.getByRole('button', { name: 'Godkänn' }), 'The button "Godkänn" on Alex\'s view of the draft');
    return mine;
  });

  await step('draft-approve', async () => {
    const mine = card(page, 'Skickat för beslut till Alex Wilber');
    await act('write a comment on the draft', () => mine.getByLabel('Kommentar (valfritt)').fill('Bra underlag.'));
    await act('click "Godkänn"', () => mine.getByRole('button', { name: 'Godkänn' }).click());
    const approved = card(page, `Viljeriktning: ${DRAFT_TITLE}`).filter({ hasText: /Alex Wilber\s*Godkänd \d{4}-\d{2}-\d{2}/ });
    await expectVisible(approved, 'The draft card with Alex Wilber\'s decision "Godkänd <date>"');
    await expectVisible(approved.getByText('Godkänd', { exact: true }), 'The status "Godkänd" on the draft card');
    await expectVisible(approved.getByRole('button', { name: 'Beslutslogg' }), 'The button "Beslutslogg" on the approved draft card');
    return approved;
  });

  // Alex publishes a workshop and then signs up for it on the posted card.
  await step('workshop-form', async () => {
    await say('ny workshop');
    const form = card(page, 'Antal platser').filter({ has: page.getByRole('button', { name: 'Publicera' }) }).last();
    await expectVisible(form, 'The form "Ny workshop" with "Publicera"');
    await act('fill in "Titel"', () => form.getByLabel('Titel').fill(WORKSHOP_TITLE));
    await pickDate(form.getByLabel('Datum'), nextMonthDay(15), '"Datum"');
    await act('open the time list of "Tid"', () => form.getByLabel('Tid').click());
    await act('choose 1:00 PM in "Tid"', () => page.getByRole('listbox').getByRole('option', { name: '1:00 PM', exact: true }).click());
    await act('fill in "Plats eller möteslänk"', () => form.getByLabel('Plats eller möteslänk').fill('Regionens hus, Göteborg'));
    await act('fill in "Antal platser"', () => form.getByLabel('Antal platser').fill('20'));
    await act('fill in "Beskrivning"', () => form.getByLabel('Beskrivning (valfritt)').fill('Vi tar fram en gemensam planeringsbild för länet.'));
    await pickDate(form.getByLabel('Sista anmälningsdag (valfritt)'), nextMonthDay(10), '"Sista anmälningsdag"');
    return form;
  });

  await step('workshop-publish', async () => {
    const form = card(page, 'Antal platser').filter({ has: page.getByRole('button', { name: 'Publicera' }) }).last();
    await act('click "Publicera"', () => form.getByRole('button', { name: 'Publicera' }).click());
    // The posted card is the shared view, without "Deltagarlista": the organiser's own view replaces the form.
    const posted = postedWorkshop();
    await expectVisible(posted, `The posted workshop card "${WORKSHOP_TITLE}" with "20 av 20 platser kvar"`);
    await expectVisible(posted.getByText(/ 15 \S+ \d{4} kl\. 13:00$/), 'The chosen date and time "… 15 <månad> <år> kl. 13:00" on the workshop card');
    await expectVisible(posted.getByRole('button', { name: 'Anmäl mig' }), 'The button "Anmäl mig" on the posted workshop card');
    return posted;
  });

  await step('workshop-register', async () => {
    const posted = postedWorkshop();
    await act('fill in "Organisation"', () => posted.getByLabel('Organisation').fill('Region Västra Götaland'));
    await act('choose "Digitalt"', () => posted.getByRole('radio', { name: 'Digitalt' }).check());
    await act('click "Anmäl mig"', () => posted.getByRole('button', { name: 'Anmäl mig' }).click());
    const registered = card(page, WORKSHOP_TITLE).filter({ hasText: 'Du är anmäld' });
    // The bot updates the posted card for everyone before it answers the click, but the playground
    // has no per-person views and may draw that update after the answer, over it. Teams would then
    // refresh the card for the person (it lists them); here they ask for their view as a person would.
    const answered = await registered.first().waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
    if (!answered) await act('click "Visa min anmälan"', () => card(page, WORKSHOP_TITLE).filter({ hasText: '19 av 20 platser kvar' }).last().getByRole('button', { name: 'Visa min anmälan' }).click());
    await expectVisible(registered, 'The workshop card saying "Du är anmäld"');
    await expectVisible(registered.getByText('19 av 20 platser kvar'), 'The seat count "19 av 20 platser kvar" after registering');
    await expectVisible(registered.getByRole('button', { name: 'Avanmäl mig' }), 'The button "Avanmäl mig" after registering');
    // An Action.OpenUrl renders as a link (it opens the signed .ics download).
    await expectVisible(registered.getByRole('link', { name: 'Lägg till i kalendern' }), 'The button "Lägg till i kalendern" after registering');
    return registered;
  });

  // Alex changes their mind: the seat is free again and the card offers "Anmäl mig" anew.
  await step('workshop-cancel', async () => {
    const registered = card(page, WORKSHOP_TITLE).filter({ hasText: 'Du är anmäld' });
    await act('click "Avanmäl mig"', () => registered.getByRole('button', { name: 'Avanmäl mig' }).click());
    // The clicked card shows "Du är avanmäld" until the posted card, redrawn for everyone, replaces it;
    // in the playground the two race, so what must hold is what everyone sees after: the registration
    // gone from the card, the seat free again and "Anmäl mig" offered.
    await expectHidden(registered, 'The card saying "Du är anmäld"');
    const cancelled = card(page, WORKSHOP_TITLE).last();
    await expectVisible(cancelled.getByText('20 av 20 platser kvar'), 'The seat count "20 av 20 platser kvar" on the card after cancelling');
    await expectVisible(cancelled.getByRole('button', { name: 'Anmäl mig' }), 'The button "Anmäl mig" after cancelling');
    return cancelled;
  });

  // An own deadline, a day of next month: the list and the digest must show it with its days left, whatever
  // the date of the run (the documents' deadlines come and go with the calendar).
  const deadlineDate = nextMonthDay(20);
  await step('deadline-form', async () => {
    await say('ny tidsfrist');
    const form = deadlineForm();
    await expectVisible(form, 'The form "Ny tidsfrist" with "Spara"');
    await act('fill in "Titel"', () => form.getByLabel('Titel').fill(DEADLINE_TITLE));
    await pickDate(form.getByLabel('Datum'), deadlineDate, '"Datum"');
    return form;
  });

  await step('deadline-save', async () => {
    const form = deadlineForm();
    await act('click "Spara"', () => form.getByRole('button', { name: 'Spara' }).click());
    // The form gives way to the list, where the author may remove their own deadline.
    const list = deadlineList().filter({ hasText: deadlineRow(DEADLINE_TITLE, deadlineDate) });
    await expectVisible(list, `The list "Kommande tidsfrister" with "${DEADLINE_TITLE}", its days left and date`);
    await expectVisible(list.getByRole('button', { name: 'Ta bort' }), 'The button "Ta bort" on the own deadline');
    return list.getByText(DEADLINE_TITLE);
  });

  await step('deadlines', async () => {
    await say('tidsfrister');
    // The second list in the chat: the first replaced the form.
    const list = deadlineList().nth(1);
    await expectVisible(list, 'The card "Kommande tidsfrister" answering "tidsfrister"');
    await expectVisible(list.filter({ hasText: deadlineRow(DEADLINE_TITLE, deadlineDate) }), `The row "${DEADLINE_TITLE}" with its days left and date`);
    // The documents' deadlines run to the final report of the mission (winter 2028), each with its source.
    await expectVisible(list.getByText(/^Källa: /), 'A deadline from the documents with its "Källa: …"');
    return list.getByText(DEADLINE_TITLE);
  });

  await step('subscribe', async () => {
    await say('prenumerera');
    const confirmation = card(page, 'Prenumeration på tidsfrister');
    await expectVisible(confirmation, 'The confirmation card "Prenumeration på tidsfrister"');
    await expectVisible(confirmation.getByRole('button', { name: 'Ångra' }), 'The button "Ångra" on the subscription card');
    return confirmation;
  });

  await step('digest', async () => {
    const digest = card(page, 'Sammanfattning: tidsfrister');
    await expectVisible(digest, `The digest card "Sammanfattning: tidsfrister" (DIGEST_CRON ${DIGEST_CRON})`, DIGEST_WAIT_MS);
    const row = digest.filter({ hasText: deadlineRow(DEADLINE_TITLE, deadlineDate) });
    await expectVisible(row, `The digest's row "${DEADLINE_TITLE}" with its days left and date`);
    return row.getByText(DEADLINE_TITLE);
  });

  await step('unsubscribe', async () => {
    await say('avsluta prenumeration');
    const confirmation = card(page, 'Prenumerationen är avslutad');
    await expectVisible(confirmation, 'The card "Prenumerationen är avslutad"');
    return confirmation;
  });

  await step('group-chat-question', async () => {
    await act('open Group Chat', () => page.getByRole('treeitem', { name: /Group Chat/ }).click());
    const question = 'Vad är en viljeriktning?';
    await mentionBot(question, 'Send Message');
    const answer = card(page, 'Viljeriktning').filter({ hasText: /Källa: / });
    await expectVisible(answer.getByText('Viljeriktning', { exact: true }), 'The answer card "Viljeriktning" in the group chat');
    // It quotes its source and names it, as in personal chat.
    await expectVisible(answer.getByText(/"[^"]{20,}"/), 'A quoted passage on the answer card in the group chat');
    await expectVisible(answer.getByText(/^Källa: /), 'The line "Källa: …" on the answer card in the group chat');
    return answer;
  });

  await step('channel-general', async () => {
    await act('open channel General of My Team', () => page.getByRole('treeitem', { name: 'My Team - General' }).click());
    await expectVisible(page.getByRole('button', { name: 'Post' }), 'The "Post" button of channel General in My Team');
  });

  await step('channel-mention-menu', async () => {
    await act('type "@" in "Start a new post"', () => messageBox().pressSequentially('@'));
    await expectVisible(page.getByRole('menuitem', { name: /^Test Bot/ }), 'The mention menu entry "Test Bot"');
  });

  await step('channel-help', async () => {
    await act('choose "Test Bot" in the mention menu', () => page.getByRole('menuitem', { name: /^Test Bot/ }).click());
    await act('type " hjälp" after the mention', () => messageBox().pressSequentially(' hjälp'));
    await act('click "Post"', () => page.getByRole('button', { name: 'Post' }).click());
    // A thread is a group holding the post and its replies: the card must be in the post's own.
    const thread = threadOf('hjälp');
    await expectVisible(thread, 'The new post "@Test Bot hjälp" in channel General');
    await expectVisible(card(thread, HELP_TITLE), `The help card "${HELP_TITLE}" in the thread of that post`);
    return card(thread, HELP_TITLE);
  });

  await step('channel-question', async () => {
    const question = 'Vilka pilotprojekt finns?';
    await mentionBot(question);
    const thread = threadOf(question);
    await expectVisible(thread, `The new post "@Test Bot ${question}" in channel General`);
    const answer = card(thread, 'SPELPLAN').filter({ hasText: 'SPIN' });
    await expectVisible(answer, 'The answer card listing "SPELPLAN" and "SPIN" in the thread of that post');
    await expectVisible(answer.getByText(/^Källa: /), 'The line "Källa: …" on the pilot projects answer');
    return answer;
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
