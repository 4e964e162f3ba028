import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { cardAction, message, person, type Person } from '../helpers/activities';
import { startBotAndConnector, startTestBot, stopBotAndConnector, tempDir, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions, cardText, checkEverySentCard, inputs, notice } from '../helpers/cards';
import { DAY, isoDay } from '../helpers/dates';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';
import { sleep, until } from '../helpers/wait';
import { stockholmToUtc } from '../../bot/stockholm';

const organiser = person('organiser', 'Olle Organisatör');
const PUBLIC_URL = 'https://planeringsboten.example.se';
let connector: FakeConnector;
let bot: TestBot;
let clock = Date.now();
let n = 0;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector({ PUBLIC_URL: `${PUBLIC_URL}/` }, { now: () => new Date(clock) })));
afterAll(() => stopBotAndConnector({ bot, connector }));

checkEverySentCard(() => connector);


interface Scene {
  conversationId: string;
  click(who: Person, action: any, values?: Record<string, string>, trigger?: 'manual' | 'automatic'): Promise<any>;
  /** Updates of the posted card (PUT), oldest first. */
  updates(): any[];
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
    updates: () => connector.inConversation(conversationId).filter((x) => x.method === 'PUT').map((x) => cardOf(x.body)),
  };
}

async function openForm(s: Scene, target: { post: TestBot['post'] } = bot) {
  const before = connector.inConversation(s.conversationId).length;
  await target.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, conversationType: 'channel', from: organiser, text: 'ny workshop', mention: true }));
  const [form] = (await connector.waitFor(s.conversationId, before + 1)).slice(before);
  return actions(cardOf(form.body))['Publicera'];
}

/** Publishes a workshop through the form; returns the posted card's activity and its register button. */
async function publish(s: Scene, fields: Record<string, string>, target: { post: TestBot['post'] } = bot) {
  const publicera = await openForm(s, target);
  const before = connector.inConversation(s.conversationId).length;
  const response = await s.click(organiser, publicera, fields);
  expect(notice(response.value)).toEqual({ text: 'Workshopen är publicerad.', color: 'Good' });
  const posted = (await connector.waitFor(s.conversationId, before + 1))[before];
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
    const fields = inputs(card);
    expect(Object.keys(fields).sort()).toEqual(['capacity', 'date', 'deadline', 'description', 'place', 'time', 'title']);
    expect(fields.capacity).toMatchObject({ type: 'Input.Number', min: 1, max: 10000 });
    expect(fields.time.type).toBe('Input.Time');
    expect(actions(card)['Publicera'].type).toBe('Action.Execute');
  });

  test.each([
    ['a date in the past', { date: '2020-01-01' }, 'Datum och tid har redan passerat.'],
    ['capacity 0', { capacity: '0' }, 'Antal platser ska vara mellan 1 och 10 000.'],
    ['no title', { title: '' }, 'Skriv en titel.'],
    ['no time', { time: '' }, 'Välj en tid.'],
    ['a last day to register that has passed', { deadline: isoDay(clock - DAY) }, 'Sista anmälningsdag har redan passerat.'],
    ['a last day to register after the workshop', { deadline: isoDay(clock + 11 * DAY) }, 'Sista anmälningsdag ska vara senast samma dag som workshopen.'],
  ])('%s: the form comes back with the problem and nothing is published', async (_name, over, problem) => {
    const s = scene();
    const publicera = await openForm(s);
    const response = await s.click(organiser, publicera, defaults(over));
    expect(cardText(response.value).split('\n')).toContain(problem);
    expect(inputs(response.value).place.value).toBe('Östersund, Regionens hus');
    expect(connector.inConversation(s.conversationId)).toHaveLength(1);
  });

  test('a card that could not be posted is posted when Publicera is clicked again, once however many click', async () => {
    const s = scene();
    const publicera = await openForm(s);
    connector.failNext(403);
    const failed = await s.click(organiser, publicera, defaults());
    expect(cardText(failed.value)).toContain('Workshopen är sparad, men kortet kunde inte läggas ut här. Klicka på Publicera igen.');
    expect(connector.inConversation(s.conversationId)).toHaveLength(1); // the form only
    const again = actions(failed.value)['Publicera'];
    expect(again.data.formId).toBe(publicera.data.formId);
    const [first, second] = await Promise.all([s.click(organiser, again, defaults()), s.click(organiser, again, defaults())]);
    expect([notice(first.value)?.text, notice(second.value)?.text]).toEqual(['Workshopen är publicerad.', 'Workshopen är publicerad.']);
    const [, posted] = await connector.waitFor(s.conversationId, 2);
    await sleep(300);
    expect(connector.inConversation(s.conversationId)).toHaveLength(2);
    // It is the workshop's card: a registration updates it.
    await s.click(person('after-retry'), actions(cardOf(posted.body))['Anmäl mig'], { organisation: 'Region', mode: 'plats' });
    expect(connector.inConversation(s.conversationId).at(-1)).toMatchObject({ method: 'PUT', updates: posted.id });
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
    expect(shared.refresh.userIds).toEqual([organiser.id]);
    const viewMine = actions(shared)['Visa min anmälan'];
    expect(viewMine.verb).toBe('workshop.view');

    const [a, b, c, d] = ['anna', 'bertil', 'cecilia', 'david'].map((k) => person(k));
    const ra = await s.click(a, register, { organisation: 'Region Jämtland Härjedalen', mode: 'plats' });
    expect(notice(ra.value)).toEqual({ text: 'Du är anmäld. Välkommen!', color: 'Good' });
    expect(cardText(ra.value)).toContain('Du är anmäld: Region Jämtland Härjedalen, på plats.');
    expect(Object.keys(actions(ra.value))).toEqual(expect.arrayContaining(['Avanmäl mig', 'Lägg till i kalendern']));
    expect(actions(ra.value)['Visa min anmälan']).toBeUndefined();
    const lastShared = () => s.updates().at(-1);
    expect(cardText(lastShared())).toContain('1 av 2 platser kvar');
    expect(lastShared().refresh.userIds).toEqual([organiser.id, a.id]);

    await s.click(b, register, { organisation: 'Länsstyrelsen', mode: 'digitalt' });
    expect(cardText(lastShared())).toContain('Fullt');
    const rc = await s.click(c, register, { organisation: 'Trafikverket', mode: 'plats' });
    expect(notice(rc.value)).toEqual({ text: 'Det är fullt. Du står som nummer 1 i kö och får ett meddelande om en plats blir ledig.', color: 'Warning' });
    const rd = await s.click(d, register, { organisation: 'Boverket', mode: 'digitalt' });
    expect(cardText(rd.value)).toContain('Du står som nummer 2 i kö.');
    expect(lastShared().refresh.userIds).toEqual([organiser.id, a.id, b.id, c.id, d.id]);

    // Clicking again changes nothing, says so, and leaves the posted card alone.
    const updates = s.updates().length;
    expect(notice((await s.click(a, register, { organisation: 'X', mode: 'plats' })).value)?.text).toBe('Du är redan anmäld.');
    expect(notice((await s.click(d, register, { organisation: 'X', mode: 'plats' })).value)?.text).toBe('Du står redan i kö som nummer 2.');
    expect(s.updates()).toHaveLength(updates);

    // A registration needs an organisation; the refusal is not green.
    expect(notice((await s.click(person('eva'), register, { organisation: ' ' })).value)).toEqual({ text: 'Skriv din organisation för att anmäla dig.', color: 'Attention' });

    // Anna cancels: her seat goes to Cecilia, who is told in a personal message (Teams throttling
    // the first try loses nothing); David moves up.
    connector.failNextCreations(429);
    expect(notice((await s.click(a, actions(ra.value)['Avanmäl mig'])).value)?.text).toBe('Du är avanmäld.');
    await until(() => connector.personalTo(c.id).length > 0, 5000);
    expect(connector.pendingFailures()).toBe(0);
    expect(connector.personalTo(c.id).map((x) => readable(x.body))).toEqual([
      expect.stringMatching(/^En plats blev ledig: du är nu anmäld till "Workshop om rumsliga analyser", \S+ \d+ \S+ \d{4} kl\. 09:30, Östersund, Regionens hus\./),
    ]);
    for (const other of [a, b, d]) expect(connector.personalTo(other.id)).toEqual([]);
    expect(lastShared().refresh.userIds).toEqual([organiser.id, b.id, c.id, d.id]);
    const viewD = await s.click(d, shared.refresh.action, {}, 'automatic');
    expect(cardText(viewD.value)).toContain('Du står som nummer 1 i kö.');
    const viewC = await s.click(c, shared.refresh.action, {}, 'automatic');
    expect(cardText(viewC.value)).toContain('Du är anmäld: Trafikverket, på plats.');

    // Someone Teams does not refresh the card for reaches their own view with a click; the posted card stays.
    const before = s.updates().length;
    expect(cardText((await s.click(d, viewMine)).value)).toContain('Du står som nummer 1 i kö.');
    expect(s.updates()).toHaveLength(before);

    // Only the organiser sees and opens the list.
    expect(actions(viewC.value)['Deltagarlista']).toBeUndefined();
    const organiserView = await s.click(organiser, shared.refresh.action, {}, 'automatic');
    const listButton = actions(organiserView.value)['Deltagarlista'];
    expect(notice((await s.click(c, listButton)).value)).toEqual({ text: 'Deltagarlistan är bara för den som ordnar workshopen.', color: 'Attention' });
    const list = (await s.click(organiser, listButton)).value;
    const listText = cardText(list);
    expect(listText).toMatch(/Person bertil[\s\S]*Länsstyrelsen, digitalt/);
    expect(listText).toMatch(/Person cecilia[\s\S]*Trafikverket, på plats/);
    expect(listText).toMatch(/I kö[\s\S]*1\. Person david/);
    expect(listText).toMatch(/På plats\s+1/);
    expect(listText).toMatch(/Digitalt\s+1/);

    // Links are built from PUBLIC_URL alone.
    const csvUrl = new URL(actions(list)['Ladda ner som CSV'].url);
    const icsUrl = new URL(actions(viewC.value)['Lägg till i kalendern'].url);
    expect(csvUrl.origin).toBe(PUBLIC_URL);
    expect(icsUrl.origin).toBe(PUBLIC_URL);
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

    const ics = await fetch(local(icsUrl));
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

  test('a refresh (trigger automatic) only shows the viewer their card: it changes no data and never the posted card', async () => {
    const s = scene();
    const { register, posted, organiserView } = await publish(s, defaults({ capacity: '1' }));
    const [a, b] = [person('refresh-a'), person('refresh-b')];
    const ra = await s.click(a, register, { organisation: 'Region', mode: 'plats' });
    const updates = s.updates().length;

    const forgedRegister = await s.click(b, register, { organisation: 'Smygande AB', mode: 'plats' }, 'automatic');
    expect(notice(forgedRegister.value)).toBeUndefined();
    expect(actions(forgedRegister.value)['Anmäl mig']).toBeDefined();
    const forgedCancel = await s.click(a, actions(ra.value)['Avanmäl mig'], {}, 'automatic');
    expect(cardText(forgedCancel.value)).toContain('Du är anmäld: Region, på plats.');
    const forgedCreate = await s.click(organiser, await openForm(s), defaults({ title: 'Smygpublicerad' }), 'automatic');
    expect(actions(forgedCreate.value)['Publicera']).toBeDefined();
    for (const who of [a, b, organiser]) await s.click(who, cardOf(posted.body).refresh.action, {}, 'automatic');

    await sleep(300);
    expect(s.updates()).toHaveLength(updates);
    expect(connector.inConversation(s.conversationId).filter((x) => x.method === 'POST')).toHaveLength(3); // form, card, form
    expect(connector.personalTo(b.id)).toEqual([]);
    const list = cardText((await s.click(organiser, actions(organiserView)['Deltagarlista'])).value);
    expect(list).toContain('1 av 1 platser tagna, 0 i kö');
    expect(list).toContain('Person refresh-a');
    expect(list).not.toContain('Person refresh-b');
  });

  test('after the last registration day, and once it has taken place, the card is closed', async () => {
    const s = scene();
    const { register } = await publish(s, defaults({ deadline: isoDay(clock + 2 * DAY), capacity: '10' }));
    const saved = clock;
    try {
      clock += 3 * DAY;
      const late = await s.click(person('sen'), register, { organisation: 'Sen AB', mode: 'plats' });
      expect(cardText(late.value)).toContain('Sista anmälningsdag har passerat; anmälan är stängd.');
      expect(actions(late.value)['Anmäl mig']).toBeUndefined();
      clock += 30 * DAY;
      expect(cardText((await s.click(person('sen'), register, { organisation: 'Sen AB' })).value)).toContain('Workshopen har ägt rum; anmälan är stängd.');
    } finally {
      clock = saved;
    }
  });

  test('once the workshop has begun a cancellation is refused: no one is promoted or told', async () => {
    const s = scene();
    const { register, organiserView } = await publish(s, defaults({ capacity: '1' }));
    const [a, b] = [person('started-a'), person('started-b')];
    const ra = await s.click(a, register, { organisation: 'Region', mode: 'plats' });
    await s.click(b, register, { organisation: 'Kommunen', mode: 'digitalt' });
    const updates = s.updates().length;
    const saved = clock;
    try {
      clock += 11 * DAY; // the workshop began the day before
      const late = await s.click(a, actions(ra.value)['Avanmäl mig']); // a stale card, or a forged click
      expect(notice(late.value)).toEqual({ text: 'Workshopen har redan börjat; anmälan kan inte ändras.', color: 'Attention' });
      expect(actions(late.value)['Avanmäl mig']).toBeUndefined();
      const list = cardText((await s.click(organiser, actions(organiserView)['Deltagarlista'])).value);
      expect(list).toContain('1 av 1 platser tagna, 1 i kö');
      expect(list).toMatch(/Anmälda\s+Person started-a/);
      await sleep(300);
      expect(connector.personalTo(b.id)).toEqual([]);
      expect(s.updates()).toHaveLength(updates);
    } finally {
      clock = saved;
    }
  });
});

describe('under load and faults', () => {
  // Long names and organisations in letters of two bytes: the worst case for the size of the organiser's list.
  const longName = (i: number) => `${'Åsa-Märta Öström-Ängström '.repeat(5)}${i}`;
  const longOrganisation = 'Länsstyrelsen i Västernorrlands län, enheten för samhällsplanering och kulturmiljö, '.repeat(3).slice(0, 200);
  const FRESH_SEAT = 'Du är anmäld. Välkommen!';
  const FRESH_QUEUE = /^Det är fullt\. Du står som nummer (\d+) i kö och får ett meddelande om en plats blir ledig\.$/;

  async function burst(target: TestBot) {
    const s = scene(target);
    const { posted, register, organiserView } = await publish(s, defaults({ capacity: '50' }), target);
    const people = Array.from({ length: 500 }, (_, i) => person(`p${i}`, longName(i)));
    const clicks = [...people, people[0], people[499]];
    const responses = await Promise.all(clicks.map((p) => s.click(p, register, { organisation: longOrganisation, mode: 'plats' })));
    const said = new Map<string, string[]>();
    responses.forEach((r, i) => said.set(clicks[i].id, [...(said.get(clicks[i].id) ?? []), notice(r.value)!.text]));

    // Each person: one fresh outcome; the one who clicked twice also gets exactly what they already have.
    const seated = new Set<string>();
    const queued = new Map<number, string>();
    for (const [id, texts] of said) {
      const fresh = texts.filter((t) => t === FRESH_SEAT || FRESH_QUEUE.test(t));
      expect(fresh).toHaveLength(1);
      const position = fresh[0].match(FRESH_QUEUE)?.[1];
      if (position) queued.set(Number(position), id);
      else seated.add(id);
      const again = texts.filter((t) => t !== fresh[0]);
      expect(again).toEqual(texts.length === 2 ? [position ? `Du står redan i kö som nummer ${position}.` : 'Du är redan anmäld.'] : []);
    }
    expect(seated.size).toBe(50);
    expect([...queued.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));

    // The posted card, after the last update: full, and refreshed for the organiser, the seated, then the queue's first.
    const final = s.updates().at(-1);
    expect(connector.inConversation(s.conversationId).at(-1)).toMatchObject({ method: 'PUT', updates: posted.id });
    expect(cardText(final)).toContain('Fullt (50 platser)');
    expect(final.refresh.userIds).toHaveLength(60);
    expect(final.refresh.userIds[0]).toBe(organiser.id);
    expect(new Set(final.refresh.userIds.slice(1, 51))).toEqual(seated);
    expect(final.refresh.userIds.slice(51)).toEqual(Array.from({ length: 9 }, (_, i) => queued.get(i + 1)));
    // The last in the queue is beyond the 60: a click shows them where they stand.
    const last = people.find((p) => p.id === queued.get(450))!;
    const mine = (await s.click(last, actions(final)['Visa min anmälan'])).value;
    expect(cardText(mine)).toContain('Du står som nummer 450 i kö.');
    expect(actions(mine)['Avanmäl mig']).toBeDefined();

    // The organiser's list shows its start and fits in a Teams message; the CSV has everyone.
    const list = (await s.click(organiser, actions(organiserView)['Deltagarlista'])).value;
    expect(Buffer.byteLength(JSON.stringify(list))).toBeLessThan(28 * 1024);
    const listText = cardText(list);
    expect(listText).toContain('50 av 50 platser tagna, 450 i kö');
    expect(listText).toMatch(/Visar de första \d+ av 500\. Se CSV-filen för alla\./);
    const csvUrl = new URL(actions(list)['Ladda ner som CSV'].url);
    const csv = await (await fetch(`${target.url}${csvUrl.pathname}${csvUrl.search}`)).text();
    expect(csv.trim().split('\n')).toHaveLength(501);
    expect(csv).toContain(`I kö (450),${last.name},`);
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
          if (res.status === 200 && notice(res.body?.value)?.text === FRESH_SEAT) confirmed.push(p.name);
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
      // The CSV, not the card: the card shows only the first 100 of a long list.
      const list = (await s.click(organiser, actions(organiserView)['Deltagarlista'])).value;
      const csvUrl = new URL(actions(list)['Ladda ner som CSV'].url);
      const csv = await (await fetch(`${proc.url}${csvUrl.pathname}${csvUrl.search}`)).text();
      expect(confirmed.length).toBeGreaterThan(0);
      expect(confirmed.length).toBeLessThan(people.length); // the crash really was mid-burst
      for (const name of confirmed) expect(csv).toContain(`,${name},`);
    } finally {
      await proc.stop();
    }
  });
});

describe('reminders', () => {
  test('registered people are reminded personally the day before, once across restarts, and a refused first send is tried again', async () => {
    const DATA_DIR = tempDir();
    // Reminders wait for the morning: the test's day starts at 10:00 Stockholm time, whenever it runs.
    const morning = stockholmToUtc(isoDay(Date.now()), '10:00');
    const first = await startTestBot({ DATA_DIR }, { now: () => morning });
    const s = scene(first);
    const { register } = await publish(s, { ...defaults(), date: isoDay(morning.getTime() + DAY), time: '23:30' }, first);
    const [remindMe, gone] = [person('remindme'), person('cancelled-before')];
    await s.click(remindMe, register, { organisation: 'Kommunförbundet', mode: 'digitalt' });
    const rg = await s.click(gone, register, { organisation: 'Region', mode: 'plats' });
    await s.click(gone, actions(rg.value)['Avanmäl mig']);
    await first.stop();
    const reminders = () => connector.personalTo(remindMe.id).filter((x) => readable(x.body).startsWith('Påminnelse: i morgon är det "Workshop om rumsliga analyser"'));
    connector.failNextCreations(429); // Teams throttles the first try
    for (let i = 0; i < 2; i++) {
      const again = await startTestBot({ DATA_DIR }, { now: () => morning }); // looks for workshops tomorrow at start
      await until(() => reminders().length > 0);
      await sleep(1000); // time enough for a second one, were it to come
      await again.stop();
    }
    expect(connector.pendingFailures()).toBe(0);
    expect(reminders()).toHaveLength(1);
    expect(readable(reminders()[0].body)).toContain('Du är anmäld (Kommunförbundet).');
    expect(connector.personalTo(gone.id)).toEqual([]);
  });
});
