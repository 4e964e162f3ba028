import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../../bot/store/database';
import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { cardAction, message, person } from '../helpers/activities';
import { startTestBot, tempDir, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions, cardText } from '../helpers/cards';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';
import { sleep, until } from '../helpers/wait';
import { DAY, isoDay } from '../helpers/dates';

const EVERY_2S = '*/2 * * * * *';
let connector: FakeConnector;
let n = 0;
const me = person('planner', 'Petra Planerare');

beforeAll(async () => (connector = await FakeConnector.start()));
afterAll(() => connector.close());

/** A Teams channel, and a thread in it as Teams names it: the channel's id with `;messageid=<the first post>`. */
const channel = () => `19:digests-${++n}@thread.tacv2`;
const thread = (channelId: string, post = 1) => `${channelId};messageid=${1764600000000 + post}`;
const say = (bot: TestBot, conversationId: string, text: string, from = me) =>
  bot.post(message({ serviceUrl: connector.url, conversationId, conversationType: 'channel', text, from, mention: true }));
const click = (bot: TestBot, conversationId: string, action: { verb: string; data: object }, data: object = {}, from = me) =>
  bot.post(cardAction({ serviceUrl: connector.url, conversationId, conversationType: 'channel', from, verb: action.verb, data: { ...action.data, ...data } }));
const texts = (conversationId: string) => connector.inConversation(conversationId).map((a) => readable(a.body));
const digests = (conversationId: string) => texts(conversationId).filter((t) => t.includes('Sammanfattning: tidsfrister'));
/** The reply to what was just said: the n-th activity in that thread. */
const reply = async (conversationId: string, count: number) => readable((await connector.waitFor(conversationId, count))[count - 1].body);

/** Adds an own deadline through the form, as a person would. */
async function addDeadline(bot: TestBot, conversationId: string, title: string, date: string) {
  const form = connector.inConversation(conversationId).length + 1;
  await say(bot, conversationId, 'ny tidsfrist');
  const save = actions(cardOf((await connector.waitFor(conversationId, form))[form - 1].body))['Spara'];
  return click(bot, conversationId, save, { title, date });
}

describe('commands, in a channel thread', () => {
  let bot: TestBot;
  beforeAll(async () => (bot = await startTestBot()));
  afterAll(() => bot.stop());

  test('tidsfrister lists what is coming with its precision and days left', async () => {
    const t = thread(channel());
    await say(bot, t, 'tidsfrister');
    const [answer] = await connector.waitFor(t);
    expect(cardProblems(cardOf(answer.body))).toEqual([]);
    const text = readable(answer.body);
    expect(text).toContain('februari 2027');
    expect(text).toMatch(/vintern 2028 \(tidigast om ca \d+ månader\)/);
    expect(text).toContain('Källa: Tillväxtverket');
  });

  test('prenumerera subscribes the channel, whichever thread it is said in; avsluta prenumeration with nothing subscribed says so', async () => {
    const c = channel();
    const [one, two] = [thread(c, 1), thread(c, 2)];
    await say(bot, one, 'prenumerera');
    const confirm = (await connector.waitFor(one))[0];
    expect(readable(confirm.body)).toContain('Kanalen får en sammanfattning av kommande tidsfrister varje måndag kl. 08.00 som ett nytt inlägg');
    expect(cardProblems(cardOf(confirm.body))).toEqual([]);

    // Another thread of the same channel: the subscription is already there.
    await say(bot, two, 'prenumerera dagligen');
    expect(await reply(two, 1)).toContain('varje dag kl. 08.00');
    expect(actions(cardOf(connector.inConversation(two)[0].body))['Ångra (tillbaka till veckovis)']).toBeDefined();
    await say(bot, two, 'avsluta prenumeration');
    expect(await reply(two, 2)).toContain('Prenumerationen är avslutad');

    await say(bot, one, 'avsluta prenumeration');
    const nothing = await reply(one, 2);
    expect(nothing).toContain('Ingen prenumeration att avsluta');
    expect(nothing).not.toContain('avslutad');
    const subscribe = actions(cardOf(connector.inConversation(one)[1].body))['Prenumerera'];
    const clicked = await click(bot, one, subscribe);
    expect(cardText(clicked.body.value)).toContain('Kanalen får en sammanfattning');
  });

  test('the undo button undoes, in the thread where it was pressed', async () => {
    const t = thread(channel());
    await say(bot, t, 'prenumerera');
    const undo = actions(cardOf((await connector.waitFor(t))[0].body))['Ångra'];
    expect(cardText((await click(bot, t, undo)).body.value)).toContain('Prenumerationen är avslutad');
    await say(bot, t, 'avsluta prenumeration');
    expect(await reply(t, 2)).toContain('Ingen prenumeration att avsluta');
  });

  test("ny tidsfrist adds the channel's own deadline, seen from every thread; only its author can remove it", async () => {
    const c = channel();
    const date = isoDay(Date.now() + 20 * DAY);
    await say(bot, thread(c, 1), 'ny tidsfrist');
    const form = cardOf((await connector.waitFor(thread(c, 1)))[0].body);
    expect(cardText(form)).toContain('En egen tidsfrist för hela kanalen, alla trådar.');
    const save = actions(form)['Spara'];
    const bad = await click(bot, thread(c, 1), save, { title: '', date: '2020-01-01' });
    expect(cardText(bad.body.value)).toMatch(/Skriv en titel[\s\S]*redan passerat/);
    const saved = await click(bot, thread(c, 1), save, { title: 'Remissvar till länsstyrelsen', date, description: 'Vårt eget datum' });
    expect(cardText(saved.body.value)).toContain('om 20 dagar');

    await say(bot, thread(c, 2), 'tidsfrister');
    const list = cardOf((await connector.waitFor(thread(c, 2)))[0].body);
    expect(cardText(list)).toContain('Remissvar till länsstyrelsen');
    const remove = actions(list)['Ta bort'];
    const notMine = await click(bot, thread(c, 2), remove, {}, person('other'));
    expect(notMine.body.value).toContain('Bara den som lade till');
    const removed = await click(bot, thread(c, 2), remove);
    expect(cardText(removed.body.value)).not.toContain('Remissvar till länsstyrelsen');
  });

  test('skicka sammanfattning sends the digest here now', async () => {
    const t = thread(channel());
    await say(bot, t, 'skicka sammanfattning');
    expect(await reply(t, 1)).toContain('Sammanfattning: tidsfrister');
  });
});

describe('what the digest holds', () => {
  // After the mission's own deadlines: only the channel's own ones are left to show.
  let clock = Date.parse('2029-01-10T09:00:00Z');
  let bot: TestBot;
  beforeAll(async () => (bot = await startTestBot({}, { now: () => new Date(clock) })));
  afterAll(() => bot.stop());

  test('the coming 90 days with days left, and nothing beyond them', async () => {
    const t = thread(channel());
    await addDeadline(bot, t, 'Yttrande om regionplanen', '2029-04-10');
    await addDeadline(bot, t, 'Budgetunderlag', '2029-04-11');
    await addDeadline(bot, t, 'Styrgruppsmöte', '2029-01-11');
    await say(bot, t, 'skicka sammanfattning');
    const digest = await reply(t, 4);
    expect(digest).toContain('Det här händer de närmaste 90 dagarna.');
    expect(digest).toContain('• 11 januari 2029 (i morgon): Styrgruppsmöte');
    expect(digest).toContain('• 10 april 2029 (om 90 dagar): Yttrande om regionplanen');
    expect(digest).not.toContain('Budgetunderlag');
  });

  test('when none falls within 90 days, the next one beyond', async () => {
    const t = thread(channel());
    await addDeadline(bot, t, 'Budgetunderlag', '2029-06-01');
    await addDeadline(bot, t, 'Årsredovisning', '2029-09-01');
    await say(bot, t, 'skicka sammanfattning');
    const digest = await reply(t, 3);
    expect(digest).toContain('Inget de närmaste 90 dagarna; nästa tidsfrist:');
    expect(digest).toContain('• 1 juni 2029 (om 142 dagar): Budgetunderlag');
    expect(digest).not.toContain('Årsredovisning');
  });
});

describe('on schedule', () => {
  test('digests arrive on the schedule as new posts in the channel, and continue after a restart', async () => {
    const DATA_DIR = tempDir();
    const c = channel();
    const t = thread(c);
    let bot = await startTestBot({ DATA_DIR, DIGEST_CRON: EVERY_2S });
    await say(bot, t, 'prenumerera');
    expect(await reply(t, 1)).toContain(`enligt driftens schema "${EVERY_2S}"`);
    await until(() => digests(c).length >= 2);
    expect(digests(c).length).toBeGreaterThanOrEqual(2);
    await bot.stop();
    const before = digests(c).length;
    bot = await startTestBot({ DATA_DIR, DIGEST_CRON: EVERY_2S });
    await until(() => digests(c).length > before);
    await bot.stop();
    expect(digests(c).length).toBeGreaterThan(before);
    expect(digests(t)).toEqual([]);
  });

  test('a digest missed while the bot was down is sent once on start', async () => {
    const DATA_DIR = tempDir();
    const c = channel();
    let clock = Date.parse('2027-02-28T11:00:00Z'); // Sunday 12:00 in Stockholm
    const now = () => new Date(clock);
    let bot = await startTestBot({ DATA_DIR }, { now });
    await say(bot, thread(c), 'prenumerera');
    await connector.waitFor(thread(c));
    await bot.stop();
    expect(digests(c)).toEqual([]);

    clock = Date.parse('2027-03-01T09:00:00Z'); // down over Monday 08:00; back at 10:00
    bot = await startTestBot({ DATA_DIR }, { now });
    await until(() => digests(c).length >= 1);
    await sleep(2500);
    await bot.stop();
    expect(digests(c)).toHaveLength(1);

    clock = Date.parse('2027-03-01T10:00:00Z'); // another restart the same morning sends nothing more
    bot = await startTestBot({ DATA_DIR }, { now });
    await sleep(2500);
    await bot.stop();
    expect(digests(c)).toHaveLength(1);
  });

  test('after a 429 the same digest arrives; a 403 ends the subscription', async () => {
    // A still clock: each moment of the schedule (every second) comes only when the clock moves.
    let clock = Date.parse('2027-03-01T09:00:00.500Z');
    const bot = await startTestBot({ DIGEST_CRON: '* * * * * *' }, { now: () => new Date(clock) });
    const c = channel();
    const t = thread(c);
    try {
      await say(bot, t, 'prenumerera');
      await connector.waitFor(t);
      connector.failNext(429);
      clock += 10_000; // the moment 09:00:10
      await until(() => digests(c).length >= 1);
      expect(connector.pendingFailures()).toBe(0);
      await sleep(1500);
      expect(digests(c)).toHaveLength(1);

      connector.failNext(403);
      clock += 10_000; // 09:00:20: Teams says the bot was removed
      await until(() => connector.pendingFailures() === 0);
      await sleep(1000);
      clock += 10_000; // 09:00:30: nothing more is sent
      await sleep(2500);
      expect(digests(c)).toHaveLength(1);
      await say(bot, t, 'avsluta prenumeration');
      expect(await reply(t, 2)).toContain('Ingen prenumeration att avsluta');
    } finally {
      await bot.stop();
    }
    const db = await openDatabase({ DATA_DIR: bot.dataDir });
    const rows = await db.query<{ key: string; outcome: string }>(`SELECT key, outcome FROM outbox WHERE key LIKE 'digest:%' ORDER BY id`);
    await db.close();
    expect(rows).toEqual([
      { key: `digest:2027-03-01T09:00:10.000Z@${c}`, outcome: 'sent' },
      { key: `digest:2027-03-01T09:00:20.000Z@${c}`, outcome: 'gone' },
    ]);
  });

  test('reminders 30, 7 and 1 days before a dated deadline, each once, in the channel', async () => {
    let clock = Date.parse('2027-03-01T09:00:00Z');
    const bot = await startTestBot({ DIGEST_CRON: '* * * * * *' }, { now: () => new Date(clock) });
    const c = channel();
    const t = thread(c);
    try {
      await say(bot, t, 'prenumerera');
      await addDeadline(bot, t, 'Regionens remissvar', '2027-03-31');
      const reminders = () => texts(c).filter((x) => x.startsWith('Påminnelse'));
      await until(() => reminders().length >= 1);
      await sleep(1500); // more ticks: still one
      expect(reminders()).toEqual(['Påminnelse: "Regionens remissvar" om 30 dagar, 31 mars 2027. Tillagd av Petra Planerare.']);
      clock = Date.parse('2027-03-24T09:00:00Z');
      await until(() => reminders().length >= 2);
      clock = Date.parse('2027-03-30T09:00:00Z');
      await until(() => reminders().length >= 3);
      await sleep(1500);
      expect(reminders()).toHaveLength(3);
      expect(reminders()[1]).toContain('om 7 dagar');
      expect(reminders()[2]).toContain('i morgon');
      expect(texts(t).filter((x) => x.startsWith('Påminnelse'))).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  test("own deadlines are deleted RETENTION_DAYS after their day; later ones stay", async () => {
    const DATA_DIR = tempDir();
    const t = thread(channel());
    let clock = Date.parse('2027-01-10T09:00:00Z');
    const now = () => new Date(clock);
    let bot = await startTestBot({ DATA_DIR, RETENTION_DAYS: '90' }, { now });
    await addDeadline(bot, t, 'Gammalt remissvar', '2027-01-20');
    await addDeadline(bot, t, 'Nästa remissvar', '2027-06-01');
    await bot.stop();

    clock = Date.parse('2027-04-21T09:00:00Z'); // 91 days after 20 January
    bot = await startTestBot({ DATA_DIR, RETENTION_DAYS: '90' }, { now });
    await say(bot, t, 'tidsfrister'); // embedded PostgreSQL runs queries in turn: the start's retention pass is done before this answer
    await connector.waitFor(t, 3);
    await bot.stop();
    const db = await openDatabase({ DATA_DIR });
    const rows = await db.query<{ title: string }>('SELECT title FROM own_deadlines ORDER BY due_date');
    await db.close();
    expect(rows.map((r) => r.title)).toEqual(['Nästa remissvar']);
  });

  (postgresUrl ? test : test.skip)('two instances on one PostgreSQL deliver each scheduled digest exactly once', async () => {
    const db = await freshPostgresDatabase();
    const c = channel();
    const one = await startTestBot({ DATABASE_URL: db.url, DIGEST_CRON: EVERY_2S });
    const two = await startTestBot({ DATABASE_URL: db.url, DIGEST_CRON: EVERY_2S });
    try {
      await say(one, thread(c), 'prenumerera');
      await sleep(9000);
    } finally {
      await one.stop();
      await two.stop();
    }
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const rows = (await pg.query("SELECT key FROM outbox WHERE conversation_id = $1 AND key LIKE 'digest:%' AND outcome = 'sent' ORDER BY key", [c])).rows;
    await pg.end();
    await db.drop();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(digests(c)).toHaveLength(rows.length);
    const times = rows.map((r) => Date.parse(/^digest:([^@]+)@/.exec(r.key)![1]));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(2000); // none skipped
  });
});

describe('a wrong deadlines file', () => {
  test('stops the start with a message naming the file, the entry and what is wrong', async () => {
    // The compiled bot in a copy of the project whose knowledge/deadlines.yaml has one id twice.
    const main = path.resolve(__dirname, '../..');
    const root = tempDir('pb-broken-deadlines-');
    cpSync(path.join(main, 'dist'), path.join(root, 'dist'), { recursive: true });
    cpSync(path.join(main, 'package.json'), path.join(root, 'package.json'));
    symlinkSync(path.join(main, 'node_modules'), path.join(root, 'node_modules'));
    mkdirSync(path.join(root, 'knowledge'));
    for (const kept of ['entries', 'sources.yaml']) symlinkSync(path.join(main, 'knowledge', kept), path.join(root, 'knowledge', kept));
    const entry = (date: string) => `- id: regionalt-forum\n  titel: Regionalt forum\n  beskrivning: Ur källan.\n  dag: ${date}\n  källa: { dokument: tillvaxtverket-uppdraget }\n`;
    writeFileSync(path.join(root, 'knowledge', 'deadlines.yaml'), entry('2027-10-08') + entry('2028-10-08'));

    const child = spawn(process.execPath, ['--disable-warning=DEP0111', path.join(root, 'dist/bot/index.js')], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATA_DIR: path.join(root, 'data'), LOG_LEVEL: 'warn', MicrosoftAppId: '', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const started = setTimeout(() => child.kill(), 30_000); // it started after all: the test fails, nothing is left running
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(started);
    expect(code).toBe(2);
    expect(stderr).toContain(`Kunskapsbasen är felaktig: ${path.join(root, 'knowledge', 'deadlines.yaml')}: regionalt-forum: two entries have this id; give each entry an id of its own`);
  });
});
