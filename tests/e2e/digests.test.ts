import { Client } from 'pg';
import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { cardAction, message, person } from '../helpers/activities';
import { startTestBot, tempDir, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions, cardText } from '../helpers/cards';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';
import { sleep, until } from '../helpers/wait';

const EVERY_2S = '*/2 * * * * *';
let connector: FakeConnector;
let n = 0;
const me = person('planner', 'Petra Planerare');

beforeAll(async () => (connector = await FakeConnector.start()));
afterAll(() => connector.close());

const conv = () => `19:digests-${++n}@thread.tacv2`;
const say = (bot: TestBot, conversationId: string, text: string, from = me) =>
  bot.post(message({ serviceUrl: connector.url, conversationId, conversationType: 'channel', text, from, mention: true }));
const digests = (conversationId: string) => connector.inConversation(conversationId).filter((a) => readable(a.body).includes('Sammanfattning: tidsfrister'));


describe('commands', () => {
  let bot: TestBot;
  beforeAll(async () => (bot = await startTestBot()));
  afterAll(() => bot.stop());

  test('tidsfrister lists what is coming with its precision and days left', async () => {
    const c = conv();
    await say(bot, c, 'tidsfrister');
    const [reply] = await connector.waitFor(c);
    expect(cardProblems(cardOf(reply.body))).toEqual([]);
    const text = readable(reply.body);
    expect(text).toContain('februari 2027');
    expect(text).toContain('vintern 2028');
    expect(text).toContain('Källa: Tillväxtverket');
  });

  test('prenumerera, with the undo button; dagligen; avsluta prenumeration', async () => {
    const c = conv();
    await say(bot, c, 'prenumerera');
    const [confirm] = await connector.waitFor(c);
    expect(readable(confirm.body)).toContain('varje måndag kl. 08.00');
    const undo = actions(cardOf(confirm.body))['Ångra'];
    const undone = await bot.post(cardAction({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', from: me, verb: undo.verb, data: undo.data }));
    expect(cardText(undone.body.value)).toContain('avslutad');

    await say(bot, c, 'prenumerera dagligen');
    await say(bot, c, 'Prenumerera veckovis!');
    const [, daily, weekly] = await connector.waitFor(c, 3);
    expect(readable(daily.body)).toContain('varje dag kl. 08.00');
    expect(readable(weekly.body)).toContain('varje måndag');
    expect(actions(cardOf(weekly.body))['Ångra (tillbaka till dagligen)']).toBeDefined();
    await say(bot, c, 'avsluta prenumeration');
    expect(readable((await connector.waitFor(c, 4))[3].body)).toContain('avslutad');
  });

  test('ny tidsfrist adds an own deadline; only its author can remove it', async () => {
    const c = conv();
    await say(bot, c, 'ny tidsfrist');
    const [form] = await connector.waitFor(c);
    const save = actions(cardOf(form.body))['Spara'];
    const date = new Date(Date.now() + 20 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const click = (who: typeof me, action: any, data: object = {}) =>
      bot.post(cardAction({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', from: who, verb: action.verb, data: { ...action.data, ...data } }));
    const bad = await click(me, save, { title: '', date: '2020-01-01' });
    expect(cardText(bad.body.value)).toMatch(/Skriv en titel[\s\S]*redan passerat/);
    const saved = await click(me, save, { title: 'Remissvar till länsstyrelsen', date, description: 'Vårt eget datum' });
    expect(cardText(saved.body.value)).toContain('Remissvar till länsstyrelsen');
    expect(cardText(saved.body.value)).toContain('om 20 dagar');
    const remove = actions(saved.body.value)['Ta bort'];
    const notMine = await click(person('other'), remove);
    expect(notMine.body.value).toContain('Bara den som lade till');
    const removed = await click(me, remove);
    expect(cardText(removed.body.value)).not.toContain('Remissvar till länsstyrelsen');
  });

  test('skicka sammanfattning sends the digest here now', async () => {
    const c = conv();
    await say(bot, c, 'skicka sammanfattning');
    const [digest] = await connector.waitFor(c);
    expect(readable(digest.body)).toContain('Sammanfattning: tidsfrister');
  });
});

describe('on schedule', () => {
  test('digests arrive on the schedule and continue after a restart', async () => {
    const DATA_DIR = tempDir();
    const c = conv();
    let bot = await startTestBot({ DATA_DIR, DIGEST_CRON: EVERY_2S });
    await say(bot, c, 'prenumerera');
    await until(() => digests(c).length >= 2);
    expect(digests(c).length).toBeGreaterThanOrEqual(2);
    await bot.stop();
    const before = digests(c).length;
    bot = await startTestBot({ DATA_DIR, DIGEST_CRON: EVERY_2S });
    await until(() => digests(c).length > before);
    await bot.stop();
    expect(digests(c).length).toBeGreaterThan(before);
  });

  test('a 429 is retried until it goes through; a 403 ends the subscription', async () => {
    const c = conv();
    const bot = await startTestBot({ DIGEST_CRON: EVERY_2S });
    try {
      await say(bot, c, 'prenumerera');
      await connector.waitFor(c);
      connector.failNext(429);
      await until(() => digests(c).length >= 1);
      expect(digests(c).length).toBeGreaterThanOrEqual(1);
      connector.failNext(403);
      await until(() => connector.pendingFailures() === 0);
      await sleep(500);
      const after = digests(c).length;
      await sleep(4500);
      expect(digests(c).length).toBe(after);
    } finally {
      await bot.stop();
    }
  });

  test('reminders 30, 7 and 1 days before a dated deadline, each once', async () => {
    let clock = Date.parse('2027-03-01T09:00:00Z');
    const bot = await startTestBot({ DIGEST_CRON: '* * * * * *' }, { now: () => new Date(clock) });
    const c = conv();
    try {
      await say(bot, c, 'prenumerera');
      await say(bot, c, 'ny tidsfrist');
      const [, form] = await connector.waitFor(c, 2);
      const save = actions(cardOf(form.body))['Spara'];
      await bot.post(cardAction({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', from: me, verb: save.verb, data: { ...save.data, title: 'Regionens remissvar', date: '2027-03-31' } }));
      const reminders = () => connector.inConversation(c).map((a) => readable(a.body)).filter((t) => t.startsWith('Påminnelse'));
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
    } finally {
      await bot.stop();
    }
  });

  (postgresUrl ? test : test.skip)('two instances on one PostgreSQL deliver each scheduled digest exactly once', async () => {
    const db = await freshPostgresDatabase();
    const c = conv();
    const one = await startTestBot({ DATABASE_URL: db.url, DIGEST_CRON: EVERY_2S });
    const two = await startTestBot({ DATABASE_URL: db.url, DIGEST_CRON: EVERY_2S });
    try {
      await say(one, c, 'prenumerera');
      await sleep(9000);
    } finally {
      await one.stop();
      await two.stop();
    }
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const rows = (await pg.query("SELECT slot FROM digest_deliveries WHERE conversation_id = $1 AND sent_at IS NOT NULL ORDER BY slot", [c])).rows;
    await pg.end();
    await db.drop();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(digests(c)).toHaveLength(rows.length);
    const times = rows.map((r) => Date.parse(r.slot.replace('digest:', '')));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(2000); // none skipped
  });
});
