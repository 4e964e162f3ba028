import { FakeConnector, cardOf, readable, type SentActivity } from '../helpers/connector';
import { cardAction, message, person, type Person } from '../helpers/activities';
import { startBotAndConnector, startTestBot, stopBotAndConnector, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions, cardText, inputs } from '../helpers/cards';
import { sleep, until } from '../helpers/wait';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';

const author = person('author', 'Anna Författare');
const alice = person('alice');
const bob = person('bob');
const mallory = person('mallory');

let connector: FakeConnector;
let bot: TestBot;
let n = 0;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector()));
afterAll(() => stopBotAndConnector({ bot, connector }));

const tomorrow = () => new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

interface Scene {
  bot: TestBot;
  conversationId: string;
  /** Clicks a button as `who`: the action's data merged with the inputs, as Teams sends it. */
  click(who: Person, action: any, inputValues?: Record<string, string>, replyToId?: string, trigger?: 'manual' | 'automatic'): Promise<any>;
}

function scene(target: TestBot = bot): Scene {
  const conversationId = `19:drafts-${++n}@thread.tacv2`;
  return {
    bot: target,
    conversationId,
    async click(who, action, inputValues = {}, replyToId, trigger = 'manual') {
      const res = await target.post(
        cardAction({ serviceUrl: connector.url, conversationId, conversationType: 'channel', from: who, verb: action.verb, data: { ...action.data, ...inputValues }, replyToId, trigger }),
      );
      expect(res.status).toBe(200);
      if (res.body?.type === 'application/vnd.microsoft.card.adaptive') expect(cardProblems(res.body.value)).toEqual([]);
      return res.body;
    },
  };
}

/** `ny viljeriktning` in the conversation, then the form filled and sent: returns the posted draft card activity. */
async function createDraft(s: Scene, fields: Record<string, string>, approvers: Person[] = [alice, bob]): Promise<{ posted: SentActivity; formAction: any }> {
  const before = connector.inConversation(s.conversationId).length;
  await s.bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, conversationType: 'channel', from: author, text: 'ny viljeriktning', mention: true }));
  const [formMessage] = (await connector.waitFor(s.conversationId, before + 1)).slice(before);
  const formAction = actions(cardOf(formMessage.body))['Skicka för beslut'];
  const response = await s.click(author, formAction, { approvers: approvers.map((p) => p.aadObjectId).join(','), rule: 'all', ...fields });
  expect(response.type).toBe('application/vnd.microsoft.card.adaptive');
  const sent = await connector.waitFor(s.conversationId, before + 2);
  return { posted: sent[before + 1], formAction };
}


describe('the form', () => {
  test('ny viljeriktning answers with the form: fixed input ids, the people picker, Skicka för beslut', async () => {
    const s = scene();
    await bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: 'ny viljeriktning', from: author }));
    const [reply] = await connector.waitFor(s.conversationId);
    const card = cardOf(reply.body);
    expect(cardProblems(card)).toEqual([]);
    const fields = inputs(card);
    expect(Object.keys(fields).sort()).toEqual(['approvers', 'dueDate', 'rule', 'text', 'title']);
    expect(fields.approvers).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, 'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } });
    expect(fields.dueDate.type).toBe('Input.Date');
    expect(fields.rule.choices.map((c: any) => c.value)).toEqual(['all', 'first']);
    expect(actions(card)['Skicka för beslut']).toMatchObject({ type: 'Action.Execute' });
  });

  test.each([
    ['no title', { title: '', text: 'En punkt' }, 'Skriv en titel'],
    ['no points', { title: 'T', text: '  \n ' }, 'punkter'],
    ['no approver', { title: 'T', text: 'En punkt', approvers: '' }, 'godkännare'],
    ['a due date in the past', { title: 'T', text: 'En punkt', dueDate: '2020-01-01' }, 'redan passerat'],
  ])('%s: the form comes back with the problem, what was typed kept, and nothing is saved', async (_name, fields, problem) => {
    const s = scene();
    await bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: 'ny viljeriktning', from: author }));
    const [formMessage] = await connector.waitFor(s.conversationId);
    const submit = actions(cardOf(formMessage.body))['Skicka för beslut'];
    const response = await s.click(author, submit, { approvers: alice.aadObjectId, rule: 'all', ...fields });
    expect(cardText(response.value)).toContain(problem);
    expect(inputs(response.value).title.value).toBe(fields.title);
    await bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: 'utkast', from: author }));
    const sent = await connector.waitFor(s.conversationId, 2);
    expect(readable(sent[1].body)).toContain('Inga öppna utkast');
  });
});

describe('deciding on the card', () => {
  test('with "all": each approver decides once, the posted card is updated for everyone, Godkänd when all approved', async () => {
    const s = scene();
    const { posted, formAction } = await createDraft(s, { title: 'Viljeriktning för strategisk planering', text: 'Inleda ett arbete\nUtveckla det rumsliga perspektivet' });
    const card = cardOf(posted.body);
    expect(cardText(card)).toContain('Väntar på beslut');
    expect(cardText(card)).toContain('1. Inleda ett arbete');
    expect(card.refresh.userIds.sort()).toEqual([alice.id, bob.id]);
    expect(Object.keys(actions(card))).toEqual([]); // the shared view has no buttons

    // A second click on the form's button creates nothing new.
    await s.click(author, formAction, { title: 'Viljeriktning för strategisk planering', text: 'Inleda ett arbete', approvers: alice.aadObjectId });
    expect(connector.inConversation(s.conversationId).filter((a) => a.method === 'POST' && cardOf(a.body)?.refresh)).toHaveLength(1);

    // Alice's Teams refreshes the card for her: she gets the buttons; nothing shared changes.
    const refreshed = await s.click(alice, card.refresh.action, {}, posted.id, 'automatic');
    const buttons = actions(refreshed.value);
    expect(Object.keys(buttons)).toEqual(['Godkänn', 'Avslå', 'Begär ändring']);
    expect(inputs(refreshed.value).comment).toBeDefined();
    expect(connector.inConversation(s.conversationId).some((a) => a.method === 'PUT')).toBe(false);

    const afterAlice = await s.click(alice, buttons['Godkänn'], { comment: 'Bra start' }, posted.id);
    expect(cardText(afterAlice.value)).toContain('Godkänd');
    expect(Object.keys(actions(afterAlice.value))).toEqual([]);
    const [put] = connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT');
    expect(put.updates).toBe(posted.id);
    expect(cardText(cardOf(put.body))).toContain('Väntar på beslut');
    expect(cardOf(put.body).refresh.userIds).toEqual([bob.id]);

    // Alice again, and Mallory who is no approver: a clear message, nothing changes.
    const again = await s.click(alice, buttons['Avslå'], {}, posted.id);
    expect(cardText(again.value)).toContain('redan beslutat');
    const forged = await s.click(mallory, buttons['Avslå'], {}, posted.id);
    expect(cardText(forged.value)).toContain('inte godkännare');
    expect(connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT')).toHaveLength(1);

    await s.click(bob, buttons['Godkänn'], {}, posted.id);
    const last = connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT').at(-1)!;
    expect(cardText(cardOf(last.body))).toContain('Godkänd');
    expect(cardOf(last.body).refresh).toBeUndefined();
    expect(Object.keys(actions(cardOf(last.body)))).toEqual(['Beslutslogg']);
    const announcement = connector.inConversation(s.conversationId).filter((a) => a.method === 'POST').at(-1)!;
    expect(readable(announcement.body)).toMatch(/Godkänd/);

    // A click on the settled draft changes nothing.
    const late = await s.click(alice, buttons['Begär ändring'], {}, posted.id);
    expect(cardText(late.value)).toContain('redan avgjort');
  });

  test('with "all": the first rejection settles it as Avslagen', async () => {
    const s = scene();
    const { posted } = await createDraft(s, { title: 'Avslås', text: 'En punkt' });
    const buttons = actions((await s.click(alice, cardOf(posted.body).refresh.action, {}, posted.id, 'automatic')).value);
    await s.click(alice, buttons['Avslå'], { comment: 'Inte nu' }, posted.id);
    const last = connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT').at(-1)!;
    expect(cardText(cardOf(last.body))).toContain('Avslagen');
    const bobTries = await s.click(bob, buttons['Godkänn'], {}, posted.id);
    expect(cardText(bobTries.value)).toContain('redan avgjort');
  });

  test('with "first": Begär ändring sends it back; the author revises; decisions start over; the old revision stays read-only', async () => {
    const s = scene();
    const { posted } = await createDraft(s, { title: 'Första version', text: 'Punkt ett\nPunkt två', rule: 'first' });
    const buttons = actions((await s.click(bob, cardOf(posted.body).refresh.action, {}, posted.id, 'automatic')).value);
    await s.click(bob, buttons['Begär ändring'], { comment: 'Förtydliga punkt två' }, posted.id);
    const sentBack = connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT').at(-1)!;
    expect(cardText(cardOf(sentBack.body))).toContain('Ändring begärd');
    expect(cardOf(sentBack.body).refresh.userIds).toEqual([author.id]);

    // Only the author may revise.
    const notAuthor = await s.click(alice, { verb: 'draft.reviseForm', data: { draftId: cardOf(posted.body).body ? undefined : 0 } }, {}, posted.id);
    expect(notAuthor.type).toBe('application/vnd.microsoft.activity.message');
    const authorView = await s.click(author, cardOf(sentBack.body).refresh.action, {}, posted.id, 'automatic');
    const form = await s.click(author, actions(authorView.value)['Revidera'], {}, posted.id);
    expect(inputs(form.value).title.value).toBe('Första version');
    const revised = await s.click(author, actions(form.value)['Skicka för beslut'], { title: 'Andra version', text: 'Punkt ett\nPunkt två, förtydligad', approvers: `${alice.aadObjectId},${bob.aadObjectId}`, rule: 'first' }, posted.id);
    expect(cardText(revised.value)).toContain('ersatt av revision 2');

    const posts = connector.inConversation(s.conversationId).filter((a) => a.method === 'POST' && cardOf(a.body));
    const second = posts.at(-1)!;
    const text = cardText(cardOf(second.body));
    expect(text).toContain('revision 2');
    expect(text).toContain('+ Punkt två, förtydligad');
    expect(text).toContain('− Punkt två');
    expect(text).toContain('Väntar på beslut');
    const oldUpdate = connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT' && a.updates === posted.id).at(-1)!;
    expect(cardText(cardOf(oldUpdate.body))).toContain('ersatt av revision 2');

    // A click on the old revision changes nothing and shows that card as it is.
    const old = await s.click(alice, buttons['Godkänn'], {}, posted.id);
    expect(cardText(old.value)).toContain('nyare revision');

    const newButtons = actions((await s.click(alice, cardOf(second.body).refresh.action, {}, second.id, 'automatic')).value);
    await s.click(alice, newButtons['Godkänn'], {}, second.id);
    await bot.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: `beslutslogg ${cardOf(second.body).refresh.action.data.draftId}`, from: author }));
    const log = connector.inConversation(s.conversationId).at(-1)!;
    expect(cardProblems(cardOf(log.body))).toEqual([]);
    expect(log.body.text).toContain('### Revision 1');
    expect(log.body.text).toContain('Person bob (aad-bob): Ändring begärd');
    expect(log.body.text).toContain('"Förtydliga punkt två"');
    expect(log.body.text).toContain('### Revision 2');
    expect(log.body.text).toMatch(/Person alice \(aad-alice\): Godkänd \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  });
});

describe('under load and faults', () => {
  async function fiftyApprovers(target: TestBot) {
    const s = scene(target);
    const approvers = Array.from({ length: 50 }, (_, i) => person(`approver-${i}`));
    const { posted } = await createDraft(s, { title: 'Femtio godkännare', text: 'En punkt' }, approvers);
    const decide = actions((await s.click(approvers[0], cardOf(posted.body).refresh.action, {}, posted.id, 'automatic')).value)['Godkänn'];
    const responses = await Promise.all([...approvers, approvers[0], approvers[1]].map((p) => s.click(p, decide, {}, posted.id)));
    // The two second clicks count once each: "already decided", or "already settled" if all 50 were in first.
    expect(responses.filter((r) => /redan (beslutat|avgjort)/.test(cardText(r.value)))).toHaveLength(2);
    await target.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: `beslutslogg ${decide.data.draftId}`, from: author }));
    const log = connector.inConversation(s.conversationId).at(-1)!;
    expect(log.body.text.match(/: Godkänd /g)).toHaveLength(50);
    expect(log.body.text).toContain('Status: Godkänd');
    const lastPut = connector.inConversation(s.conversationId).filter((a) => a.method === 'PUT').at(-1)!;
    expect(cardText(cardOf(lastPut.body))).toContain('Godkänd');
  }

  test('50 approvers clicking at once on PGlite: all 50 recorded once, the card consistent', () => fiftyApprovers(bot));

  (postgresUrl ? test : test.skip)('50 approvers clicking at once on PostgreSQL', async () => {
    const db = await freshPostgresDatabase();
    const pgBot = await startTestBot({ DATABASE_URL: db.url });
    try {
      await fiftyApprovers(pgBot);
    } finally {
      await pgBot.stop();
      await db.drop();
    }
  });

  test('the draft card stays under 28 KB with 20 approvers and 30 points', async () => {
    const s = scene();
    const approvers = Array.from({ length: 20 }, (_, i) => person(`big-${i}`, `Förnamn Efternamnsson ${i}`));
    const points = Array.from({ length: 30 }, (_, i) => `Punkt ${i + 1}: Region Jämtland Härjedalen vill utveckla arbetssätt och modeller kring regional strategisk planering.`);
    const { posted } = await createDraft(s, { title: 'Stort utkast', text: points.join('\n') }, approvers);
    expect(Buffer.byteLength(JSON.stringify(cardOf(posted.body)))).toBeLessThan(28 * 1024);
    expect(cardProblems(cardOf(posted.body))).toEqual([]);
  });
});

describe('reminders', () => {
  test('the day before the due date the pending approvers are reminded, once, even across restarts', async () => {
    const { tempDir } = await import('../helpers/bot');
    const DATA_DIR = tempDir();
    const first = await startTestBot({ DATA_DIR });
    const s = scene(first);
    await createDraft(s, { title: 'Med sista dag', text: 'En punkt', dueDate: tomorrow() });
    await first.stop();
    const reminders = () => connector.inConversation(s.conversationId).filter((a) => readable(a.body).startsWith('Påminnelse'));
    for (let i = 0; i < 2; i++) {
      const again = await startTestBot({ DATA_DIR }); // looks for due drafts at start
      await until(() => reminders().length > 0);
      await sleep(1000); // time enough for a second one, were it to come
      await again.stop();
    }
    expect(reminders()).toHaveLength(1);
    expect(readable(reminders()[0].body)).toContain('Person alice, Person bob');
  });
});

describe('a crash', () => {
  test('kill -9 of the server between clicks loses no decision that was confirmed', async () => {
    const { startBotProcess } = await import('../helpers/bot-process');
    const { tempDir } = await import('../helpers/bot');
    const DATA_DIR = tempDir();
    let proc = await startBotProcess({ DATA_DIR });
    const target = { post: (a: unknown) => proc.post(a) } as unknown as TestBot;
    const s = scene(target);
    const { posted } = await createDraft(s, { title: 'Överlever en krasch', text: 'En punkt' });
    const buttons = actions((await s.click(alice, cardOf(posted.body).refresh.action, {}, posted.id, 'automatic')).value);
    const confirmed = await s.click(alice, buttons['Godkänn'], { comment: 'Före kraschen' }, posted.id);
    expect(cardText(confirmed.value)).toContain('Godkänd');
    await proc.crash();

    proc = await startBotProcess({ DATA_DIR });
    try {
      const again = await s.click(alice, buttons['Godkänn'], {}, posted.id);
      expect(cardText(again.value)).toContain('redan beslutat');
      await s.click(bob, buttons['Godkänn'], {}, posted.id);
      await proc.post(message({ serviceUrl: connector.url, conversationId: s.conversationId, text: `beslutslogg ${buttons['Godkänn'].data.draftId}`, from: author }));
      const log = connector.inConversation(s.conversationId).at(-1)!;
      expect(log.body.text).toContain('"Före kraschen"');
      expect(log.body.text).toContain('Status: Godkänd');
    } finally {
      await proc.stop();
    }
  });
});
