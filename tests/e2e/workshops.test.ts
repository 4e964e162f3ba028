import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { cardAction, message, person, type Person } from '../helpers/activities';
import { startBotAndConnector, startTestBot, stopBotAndConnector, tempDir, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions, cardText, inputs } from '../helpers/cards';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';
import { sleep, until } from '../helpers/wait';

const organiser = person('organiser', 'Olle Organisatör');
let connector: FakeConnector;
let bot: TestBot;
let clock = Date.now();
let n = 0;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector({}, { now: () => new Date(clock) })));
afterAll(() => stopBotAndConnector({ bot, connector }));

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

interface Scene {
  conversationId: string;
  click(who: Person, action: any, values?: Record<string, string>, trigger?: 'manual' | 'automatic'): Promise<any>;
}

function scene(target: { post: TestBot['post'] } = bot): Scene {
  const conversationId = `19:workshops-${++n}@thread.tacv2`;
  return {
    conversationId,
    async click(who, action, values = {}, trigger = 'manual') {
      const res = await target.post(
        cardAction({ serviceUrl: connector.url, conversationId, conversationType: 'channel', from: who, verb: action.verb, data: { ...action.data, ...values }, trigger }),
      );
      expect(res.status).toBe(200);
      if (res.body?.type === 'application/vnd.microsoft.card.adaptive') expect(cardProblems(res.body.value)).toEqual([]);
      return res.body;
    },
  };
}

/** Publishes a workshop through the form; returns the posted card's activity and its register button. */
async function publish(s: Scene, fields: Record<string, string>, target: { post: TestBot['post'] } = bot) {
  const before = connector.inConversation(s.conversationId).length;
  await target.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, conversationType: 'channel', from: organiser, text: 'ny workshop', mention: true }));
  const [form] = (await connector.waitFor(s.conversationId, before + 1)).slice(before);
  const response = await s.click(organiser, actions(cardOf(form.body))['Publicera'], fields);
  expect(cardText(response.value)).toContain('Workshoppen är publicerad');
  const posted = (await connector.waitFor(s.conversationId, before + 2))[before + 1];
  return { posted, register: actions(cardOf(posted.body))['Anmäl mig'], organiserView: response.value };
}

const defaults = (over: Record<string, string> = {}) => ({
  title: 'Workshop om rumsliga analyser',
  date: isoDay(clock + 10 * DAY),
  time: '09:30',
  place: 'Östersund, Regionens hus',
  capacity: '2',
  description: 'Arbetspaket 1: gapet mellan dagens situation och önskat läge.',
  ...over,
});

describe('publishing', () => {
  test('ny workshop answers with the form: fixed input ids and Publicera', async () => {
    const s = scene();
    await bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: 'ny workshop', from: organiser }));
    const [reply] = await connector.waitFor(s.conversationId);
    const card = cardOf(reply.body);
    expect(cardProblems(card)).toEqual([]);
    const fields = inputs(card);
    expect(Object.keys(fields).sort()).toEqual(['capacity', 'date', 'deadline', 'description', 'place', 'time', 'title']);
    expect(fields.capacity).toMatchObject({ type: 'Input.Number', min: 1, max: 10000 });
    expect(fields.time.type).toBe('Input.Time');
    expect(actions(card)['Publicera'].type).toBe('Action.Execute');
  });

  test.each([
    ['a date in the past', { date: '2020-01-01' }, 'redan passerat'],
    ['capacity 0', { capacity: '0' }, 'mellan 1 och 10 000'],
    ['no title', { title: '' }, 'Skriv en titel'],
  ])('%s: the form comes back with the problem and nothing is published', async (_name, over, problem) => {
    const s = scene();
    await bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: 'ny workshop', from: organiser }));
    const [form] = await connector.waitFor(s.conversationId);
    const response = await s.click(organiser, actions(cardOf(form.body))['Publicera'], defaults(over));
    expect(cardText(response.value)).toContain(problem);
    expect(inputs(response.value).place.value).toBe('Östersund, Regionens hus');
    expect(connector.inConversation(s.conversationId)).toHaveLength(1);
  });
});

describe('registering', () => {
  test('seats, the queue, cancelling and promotion, the organiser list, CSV and .ics', async () => {
    const s = scene();
    const { posted, register } = await publish(s, defaults());
    const shared = cardOf(posted.body);
    expect(cardText(shared)).toContain('2 av 2 platser kvar');
    expect(cardText(shared)).toMatch(/kl\. 09:30/);
    expect(shared.refresh.action.verb).toBe('workshop.view');

    const [a, b, c, d] = ['anna', 'bertil', 'cecilia', 'david'].map((k) => person(k));
    const ra = await s.click(a, register, { organisation: 'Region Jämtland Härjedalen', mode: 'plats' });
    expect(cardText(ra.value)).toContain('Du är anmäld');
    expect(Object.keys(actions(ra.value))).toEqual(expect.arrayContaining(['Avanmäl mig', 'Lägg till i kalendern']));
    const lastShared = () => cardText(cardOf(connector.inConversation(s.conversationId).filter((x) => x.method === 'PUT').at(-1)!.body));
    expect(lastShared()).toContain('1 av 2 platser kvar');

    await s.click(b, register, { organisation: 'Länsstyrelsen', mode: 'digitalt' });
    expect(lastShared()).toContain('Fullt');
    const rc = await s.click(c, register, { organisation: 'Trafikverket', mode: 'plats' });
    expect(cardText(rc.value)).toContain('nummer 1 i kö');
    const rd = await s.click(d, register, { organisation: 'Boverket', mode: 'digitalt' });
    expect(cardText(rd.value)).toContain('nummer 2 i kö');
    expect(cardText((await s.click(a, register, { organisation: 'X', mode: 'plats' })).value)).toContain('redan anmäld');

    // A registration needs an organisation.
    expect(cardText((await s.click(person('eva'), register, { organisation: ' ' })).value)).toContain('Skriv din organisation');

    // Anna cancels: her seat goes to Cecilia, who is told in a personal message; David moves up.
    await s.click(a, actions(ra.value)['Avanmäl mig']);
    const told = await new Promise<any>((resolve, reject) => {
      const t0 = Date.now();
      const look = () => {
        const hit = connector.sent.find((x) => x.conversationId !== s.conversationId && readable(x.body).includes('En plats blev ledig'));
        if (hit) return resolve(hit);
        if (Date.now() - t0 > 5000) return reject(new Error('Cecilia was not told'));
        setTimeout(look, 50);
      };
      look();
    });
    expect(told.body.recipient?.id ?? told.body.conversation?.id).toBeDefined();
    const viewD = await s.click(d, shared.refresh.action, {}, 'automatic');
    expect(cardText(viewD.value)).toContain('nummer 1 i kö');
    const viewC = await s.click(c, shared.refresh.action, {}, 'automatic');
    expect(cardText(viewC.value)).toContain('Du är anmäld');

    // Only the organiser sees and opens the list.
    expect(actions(viewC.value)['Deltagarlista']).toBeUndefined();
    const organiserView = await s.click(organiser, shared.refresh.action, {}, 'automatic');
    const listButton = actions(organiserView.value)['Deltagarlista'];
    expect(cardText((await s.click(c, listButton)).value)).toContain('bara för den som ordnar');
    const list = (await s.click(organiser, listButton)).value;
    const listText = cardText(list);
    expect(listText).toMatch(/Person bertil[\s\S]*Länsstyrelsen, digitalt/);
    expect(listText).toMatch(/Person cecilia[\s\S]*Trafikverket, på plats/);
    expect(listText).toMatch(/I kö[\s\S]*1\. Person david/);
    expect(listText).toMatch(/På plats\s+1/);
    expect(listText).toMatch(/Digitalt\s+1/);

    const csvUrl = new URL(actions(list)['Ladda ner som CSV'].url);
    const local = (u: URL) => `${bot.url}${u.pathname}${u.search}`;
    const csv = await fetch(local(csvUrl));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const csvText = await csv.text();
    expect(csvText).toContain('Anmäld,Person cecilia,Trafikverket,På plats');
    expect(csvText).toContain('I kö (1),Person david,Boverket,Digitalt');
    expect(csvText).not.toContain('Person anna');

    const forged = new URL(csvUrl);
    forged.searchParams.set('sig', 'x'.repeat(43));
    expect((await fetch(local(forged))).status).toBe(403);
    const otherWorkshop = new URL(csvUrl);
    otherWorkshop.pathname = otherWorkshop.pathname.replace(/\/\d+\//, '/999/');
    expect((await fetch(local(otherWorkshop))).status).toBe(403);
    expect((await fetch(`${bot.url}${csvUrl.pathname}`)).status).toBe(403);

    const ics = await fetch(local(new URL(actions(viewC.value)['Lägg till i kalendern'].url)));
    const icsText = await ics.text();
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    expect(icsText).toContain('BEGIN:VEVENT');
    expect(icsText).toContain('SUMMARY:Workshop om rumsliga analyser');
    expect(icsText).toMatch(/DTSTART:\d{8}T0[78]3000Z/); // 09:30 in Stockholm, in UTC
    expect(icsText).toContain('LOCATION:Östersund\\, Regionens hus');

    // A link that has expired.
    const saved = clock;
    clock += 2 * DAY;
    try {
      expect((await fetch(local(csvUrl))).status).toBe(403);
    } finally {
      clock = saved;
    }
  });

  test('after the last registration day, and once it has taken place, the card is closed', async () => {
    const s = scene();
    const { register } = await publish(s, defaults({ deadline: isoDay(clock + 2 * DAY), capacity: '10' }));
    const saved = clock;
    try {
      clock += 3 * DAY;
      const late = await s.click(person('sen'), register, { organisation: 'Sen AB', mode: 'plats' });
      expect(cardText(late.value)).toContain('Sista anmälningsdag har passerat');
      expect(actions(late.value)['Anmäl mig']).toBeUndefined();
      clock += 30 * DAY;
      expect(cardText((await s.click(person('sen'), register, { organisation: 'Sen AB' })).value)).toContain('ägt rum');
    } finally {
      clock = saved;
    }
  });
});

describe('under load and faults', () => {
  async function burst(target: TestBot) {
    const s = scene(target);
    const { register, organiserView } = await publish(s, defaults({ capacity: '50' }), target);
    const people = Array.from({ length: 500 }, (_, i) => person(`p${i}`));
    const responses = await Promise.all([...people, people[0], people[7]].map((p) => s.click(p, register, { organisation: 'Org', mode: 'plats' })));
    const texts = responses.map((r) => cardText(r.value));
    expect(texts.filter((t) => t.includes('Du är anmäld. Välkommen'))).toHaveLength(50);
    const positions = texts.map((t) => t.match(/nummer (\d+) i kö och får/)?.[1]).filter(Boolean).map(Number);
    expect(positions).toHaveLength(450);
    expect(new Set(positions).size).toBe(450);
    expect(Math.max(...positions)).toBe(450);
    const list = cardText((await s.click(organiser, actions(organiserView)['Deltagarlista'])).value);
    expect(list).toContain('50 av 50 platser tagna, 450 i kö');
  }

  test('500 people registering at once for 50 seats on PGlite: 50 registered, 450 queued in order, no one twice', () => burst(bot));

  (postgresUrl ? test : test.skip)('the same on PostgreSQL', async () => {
    const db = await freshPostgresDatabase();
    const pgBot = await startTestBot({ DATABASE_URL: db.url });
    try {
      await burst(pgBot);
    } finally {
      await pgBot.stop();
      await db.drop();
    }
  });

  test('kill -9 in the middle of a burst loses no registration that was confirmed', async () => {
    const { startBotProcess } = await import('../helpers/bot-process');
    const DATA_DIR = tempDir();
    let proc = await startBotProcess({ DATA_DIR });
    const target = { post: (a: unknown) => proc.post(a) };
    const s = scene(target);
    const { register, organiserView } = await publish(s, defaults({ capacity: '1000' }), target);
    const people = Array.from({ length: 400 }, (_, i) => person(`k${i}`));
    const confirmed: string[] = [];
    const clicks = people.map((p) =>
      target.post(cardAction({ serviceUrl: connector.url, conversationId: s.conversationId, conversationType: 'channel', from: p, verb: register.verb, data: { ...register.data, organisation: 'Org', mode: 'plats' } })).then(
        (res) => {
          if (res.status === 200 && cardText(res.body?.value).includes('Du är anmäld')) confirmed.push(p.name);
        },
        () => undefined,
      ),
    );
    // Crash once some registrations are confirmed and others are still on their way.
    await until(() => confirmed.length >= 20, 20_000);
    await proc.crash();
    await Promise.all(clicks);
    proc = await startBotProcess({ DATA_DIR });
    try {
      const list = cardText((await s.click(organiser, actions(organiserView)['Deltagarlista'])).value);
      expect(confirmed.length).toBeGreaterThan(0);
      expect(confirmed.length).toBeLessThan(people.length); // the crash really was mid-burst
      for (const name of confirmed) expect(list).toContain(name);
    } finally {
      await proc.stop();
    }
  });
});

describe('reminders', () => {
  test('registered people are reminded personally the day before, once, across restarts', async () => {
    const DATA_DIR = tempDir();
    const first = await startTestBot({ DATA_DIR });
    const s = scene(first);
    const { register } = await publish(s, { ...defaults(), date: isoDay(Date.now() + DAY), time: '23:30' }, first);
    await s.click(person('remindme'), register, { organisation: 'Kommunförbundet', mode: 'digitalt' });
    await first.stop();
    const reminders = () => connector.sent.filter((x) => readable(x.body).startsWith('Påminnelse: i morgon är det "Workshop om rumsliga analyser"'));
    for (let i = 0; i < 2; i++) {
      const again = await startTestBot({ DATA_DIR }); // looks for workshops tomorrow at start
      await until(() => reminders().length > 0);
      await sleep(1000); // time enough for a second one, were it to come
      await again.stop();
    }
    expect(reminders()).toHaveLength(1);
  });
});
