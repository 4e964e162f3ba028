import { FakeConnector, cardOf, readable, type SentActivity } from '../helpers/connector';
import { cardAction, message, person, type Person } from '../helpers/activities';
import { startBotAndConnector, startTestBot, stopBotAndConnector, tempDir, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions, cardText, checkEverySentCard, inputs, notice } from '../helpers/cards';
import { DAY, isoDay, swedishDay } from '../helpers/dates';
import { sleep, until } from '../helpers/wait';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';
import { stockholmToUtc } from '../../bot/stockholm';

const author = person('author', 'Anna Författare');
const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');

let connector: FakeConnector;
let bot: TestBot;
let n = 0;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector()));
afterAll(() => stopBotAndConnector({ bot, connector }));

checkEverySentCard(() => connector);

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

interface Scene {
  bot: TestBot;
  conversationId: string;
  /** Clicks a button as `who`: the action's data merged with the inputs, as Teams sends it. */
  click(who: Person, action: any, inputValues?: Record<string, unknown>, replyToId?: string, trigger?: 'manual' | 'automatic'): Promise<any>;
  /** Writes a message to the bot here, @mentioning it as in a channel. */
  say(who: Person, text: string): Promise<void>;
  posts(): SentActivity[];
  puts(): SentActivity[];
  lastPut(): any;
}

function scene(target: TestBot = bot, conversationId = `19:drafts-${++n}@thread.tacv2`): Scene {
  return {
    bot: target,
    conversationId,
    async click(who, action, inputValues = {}, replyToId, trigger = 'manual') {
      const res = await target.post(
        cardAction({ serviceUrl: connector.url, conversationId, conversationType: 'channel', from: who, verb: action.verb, data: { ...action.data, ...inputValues }, replyToId, trigger }),
      );
      expect(res.status).toBe(200);
      if (res.body?.type === CARD) expect(cardProblems(res.body.value)).toEqual([]);
      return res.body;
    },
    async say(who, text) {
      const res = await target.post(message({ serviceUrl: connector.url, conversationId, conversationType: 'channel', from: who, text, mention: true }));
      expect(res.status).toBe(200);
    },
    posts: () => connector.inConversation(conversationId).filter((a) => a.method === 'POST'),
    puts: () => connector.inConversation(conversationId).filter((a) => a.method === 'PUT'),
    lastPut: () => {
      const put = connector.inConversation(conversationId).filter((a) => a.method === 'PUT').at(-1);
      return put && cardOf(put.body);
    },
  };
}

/** The status a draft card shows beside its title. */
const statusOf = (card: any): string => card.body[0].columns[1].items[0].text;
/** The approvers and their decisions on a draft card. */
const decisionsOf = (card: any): Array<{ title: string; value: string }> => card.body.filter((e: any) => e.type === 'FactSet').at(-1).facts;

/** Personal messages the bot sent to `who` (in a 1:1 conversation it made for them) that contain `text`. */
const personal = (who: Person, text: string) => connector.personalTo(who.id).filter((a) => readable(a.body).includes(text));

/** `ny viljeriktning` from the author: the new form's "Skicka för beslut" button. */
async function openDraftForm(s: Scene): Promise<any> {
  const before = connector.inConversation(s.conversationId).length;
  await s.say(author, 'ny viljeriktning');
  const [formMessage] = (await connector.waitFor(s.conversationId, before + 1)).slice(before);
  return actions(cardOf(formMessage.body))['Skicka för beslut'];
}

/** The text of the personal message to `who` that contains `text`, once it has come. */
async function toldPersonally(who: Person, text: string): Promise<string> {
  await until(() => personal(who, text).length > 0);
  const [told] = personal(who, text);
  if (!told) throw new Error(`no personal message to ${who.name} containing "${text}"`);
  return readable(told.body);
}

/** `ny viljeriktning` in the conversation, then the form filled and sent: returns the posted draft card activity. */
async function createDraft(s: Scene, fields: Record<string, string>, approvers: Person[] = [alice, bob]): Promise<{ posted: SentActivity; formAction: any; response: any; draftId: number }> {
  const before = connector.inConversation(s.conversationId).length;
  const formAction = await openDraftForm(s);
  const response = await s.click(author, formAction, { approvers: approvers.map((p) => p.aadObjectId).join(','), rule: 'all', ...fields });
  expect(response.type).toBe(CARD);
  const sent = await connector.waitFor(s.conversationId, before + 2);
  const posted = sent[before + 1];
  return { posted, formAction, response, draftId: cardOf(posted.body).refresh.action.data.draftId };
}

/** The approver's own view of the posted card (what their Teams shows after refreshing it): their buttons. */
async function buttonsOf(s: Scene, who: Person, posted: SentActivity): Promise<Record<string, any>> {
  return actions((await s.click(who, cardOf(posted.body).refresh.action, {}, posted.id, 'automatic')).value);
}

async function decisionLogText(s: Scene, draftId: number, who = author): Promise<string> {
  const before = connector.inConversation(s.conversationId).length;
  await s.say(who, `beslutslogg ${draftId}`);
  const [log] = (await connector.waitFor(s.conversationId, before + 1)).slice(before);
  return log.body.text;
}

describe('the form', () => {
  test('ny viljeriktning answers with the form: fixed input ids, the people picker, Skicka för beslut', async () => {
    const s = scene();
    await s.say(author, 'ny viljeriktning');
    const [reply] = await connector.waitFor(s.conversationId);
    const card = cardOf(reply.body);
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
    ['too many points', { title: 'T', text: Array.from({ length: 31 }, (_, i) => `Punkt ${i}`).join('\n') }, 'Högst 30 punkter'],
    ['too much text', { title: 'T', text: Array.from({ length: 20 }, () => 'å'.repeat(300)).join('\n') }, 'högst 4000 tecken tillsammans'],
  ])('%s: the form comes back with the problem, what was typed kept, and nothing is saved', async (_name, fields, problem) => {
    const s = scene();
    const submit = await openDraftForm(s);
    const response = await s.click(author, submit, { approvers: alice.aadObjectId, rule: 'all', ...fields });
    expect(cardText(response.value)).toContain(problem);
    expect(inputs(response.value).title.value).toBe(fields.title);
    await s.say(author, 'utkast');
    const sent = await connector.waitFor(s.conversationId, 2);
    expect(readable(sent[1].body)).toContain('Inga öppna utkast');
  });

  test('an approver who is not in the conversation is refused by name; the others stay picked and nothing is saved', async () => {
    const s = scene();
    const submit = await openDraftForm(s);
    const response = await s.click(author, submit, { title: 'Med en utomstående', text: 'En punkt', approvers: `${alice.aadObjectId},outsider-0c5e` });
    expect(cardText(response.value)).toContain('Okänd användare (outsider) är inte med i den här konversationen');
    expect(inputs(response.value).approvers.value).toBe(alice.aadObjectId);
    expect(s.posts()).toHaveLength(1); // the form only: no draft card
    await s.say(author, 'utkast');
    expect(readable((await connector.waitFor(s.conversationId, 2))[1].body)).toContain('Inga öppna utkast');
  });

  test('what a forged form sends is shown back as text: numbers and objects never reach the card as they are', async () => {
    const s = scene();
    const submit = await openDraftForm(s);
    const response = await s.click(author, submit, { title: 42, text: { nested: '${1+1}' }, approvers: alice.aadObjectId, rule: ['all'], dueDate: 7 });
    const fields = inputs(response.value);
    expect(fields.title.value).toBe('42');
    expect(fields.text.value).toBe('');
    expect(fields.rule.value).toBe('all');
    expect(fields.dueDate.value).toBe('');
    expect(cardText(response.value)).toContain('Skriv viljeriktningens punkter');
  });
});

describe('deciding on the card', () => {
  test('with "all": each approver decides once, the posted card is updated for everyone, Godkänd when all approved, the author told personally', async () => {
    const s = scene();
    const { posted, formAction, response, draftId } = await createDraft(s, { title: 'Viljeriktning för strategisk planering', text: 'Inleda ett arbete\nUtveckla det rumsliga perspektivet' });
    expect(notice(response.value)).toMatchObject({ text: 'Skickat för beslut till Person alice, Person bob.', color: 'Good' });
    const card = cardOf(posted.body);
    expect(statusOf(card)).toBe('Väntar på beslut');
    expect(cardText(card)).toContain('1. Inleda ett arbete');
    expect(card.refresh.userIds.sort()).toEqual([alice.id, bob.id]);
    expect(Object.keys(actions(card))).toEqual([]); // the shared view has no buttons

    // A second click on the form's button creates nothing new.
    await s.click(author, formAction, { title: 'Viljeriktning för strategisk planering', text: 'Inleda ett arbete', approvers: alice.aadObjectId });
    expect(s.posts().filter((a) => cardOf(a.body)?.refresh)).toHaveLength(1);

    // Alice's Teams refreshes the card for her: she gets the buttons; nothing shared changes.
    const buttons = await buttonsOf(s, alice, posted);
    expect(Object.keys(buttons)).toEqual(['Godkänn', 'Avslå', 'Begär ändring']);
    expect(s.puts()).toHaveLength(0);

    const afterAlice = await s.click(alice, buttons['Godkänn'], { comment: 'Bra start' }, posted.id);
    expect(decisionsOf(afterAlice.value)[0].value).toMatch(/^Godkänd .*"Bra start"$/);
    expect(Object.keys(actions(afterAlice.value))).toEqual([]);
    const [put] = s.puts();
    expect(put.updates).toBe(posted.id);
    expect(statusOf(cardOf(put.body))).toBe('Väntar på beslut');
    expect(cardOf(put.body).refresh.userIds).toEqual([bob.id]);

    // Alice again, and Mallory who is no approver: a clear message, nothing changes.
    const again = await s.click(alice, buttons['Avslå'], {}, posted.id);
    expect(cardText(again.value)).toContain('redan beslutat');
    const forged = await s.click(mallory, buttons['Avslå'], {}, posted.id);
    expect(cardText(forged.value)).toContain('inte godkännare');
    expect(s.puts()).toHaveLength(1);

    await s.click(bob, buttons['Godkänn'], {}, posted.id);
    const last = s.lastPut();
    expect(statusOf(last)).toBe('Godkänd');
    expect(last.refresh).toBeUndefined();
    expect(Object.keys(actions(last))).toEqual(['Beslutslogg']);
    expect(readable(s.posts().at(-1)!.body)).toContain(`Utkast #${draftId} "Viljeriktning för strategisk planering" är godkänt.`);
    expect(await toldPersonally(author, `Ditt utkast #${draftId} `)).toBe(
      `Ditt utkast #${draftId} "Viljeriktning för strategisk planering" är godkänt. Skriv "beslutslogg ${draftId}" för hela beslutsloggen.`,
    );

    // A click on the settled draft changes nothing and shows the draft as it is now.
    const late = await s.click(alice, buttons['Begär ändring'], {}, posted.id);
    expect(cardText(late.value)).toContain('Utkastet är redan avgjort: det är godkänt.');
    expect(statusOf(late.value)).toBe('Godkänd');
    expect(s.puts()).toHaveLength(2);
    await sleep(300);
    expect(personal(author, `Ditt utkast #${draftId} `)).toHaveLength(1);
  });

  test('with "all": the first rejection settles it as Avslagen; the author hears who and why', async () => {
    const s = scene();
    const { posted, draftId } = await createDraft(s, { title: 'Avslås', text: 'En punkt' });
    const buttons = await buttonsOf(s, alice, posted);
    await s.click(alice, buttons['Avslå'], { comment: 'Inte nu' }, posted.id);
    expect(statusOf(s.lastPut())).toBe('Avslagen');
    const bobTries = await s.click(bob, buttons['Godkänn'], {}, posted.id);
    expect(cardText(bobTries.value)).toContain('redan avgjort: det har avslagits');
    expect(await toldPersonally(author, `Ditt utkast #${draftId} `)).toContain(`Ditt utkast #${draftId} "Avslås" har avslagits (Person alice: "Inte nu").`);
  });

  test.each([
    ['Godkänn', 'Godkänd', 'är godkänt'],
    ['Avslå', 'Avslagen', 'har avslagits'],
  ])('with "first": the first decision (%s) settles it for everyone', async (button, status, phrase) => {
    const s = scene();
    const { posted, draftId } = await createDraft(s, { title: 'Först avgör', text: 'En punkt', rule: 'first' });
    const bobsButtons = await buttonsOf(s, bob, posted);
    const alicesButtons = await buttonsOf(s, alice, posted);
    const decided = await s.click(bob, bobsButtons[button], {}, posted.id);
    expect(statusOf(decided.value)).toBe(status);
    expect(statusOf(s.lastPut())).toBe(status);
    expect(s.lastPut().refresh).toBeUndefined();
    const alicesTurn = await s.click(alice, alicesButtons['Godkänn'], {}, posted.id);
    expect(cardText(alicesTurn.value)).toContain(`redan avgjort: det ${phrase}`);
    expect(decisionsOf(s.lastPut()).map((f) => f.value)).toEqual(['Väntar', expect.stringMatching(new RegExp(`^${status} `))]);
    expect(await toldPersonally(author, `Ditt utkast #${draftId} `)).toContain(phrase);
  });

  test('with "first": Begär ändring sends it back; only the author revises; decisions start over; a click on the old revision gets the current card', async () => {
    const s = scene();
    const { posted, draftId } = await createDraft(s, { title: 'Första version', text: 'Punkt ett\nPunkt två', rule: 'first' });
    const buttons = await buttonsOf(s, bob, posted);
    await s.click(bob, buttons['Begär ändring'], { comment: 'Förtydliga\npunkt två' }, posted.id);
    const sentBack = s.lastPut();
    expect(statusOf(sentBack)).toBe('Ändring begärd');
    expect(sentBack.refresh.userIds).toEqual([author.id]);
    expect(await toldPersonally(author, `ditt utkast #${draftId} `)).toContain(`Person bob har begärt ändring i ditt utkast #${draftId} "Första version": "Förtydliga punkt två".`);

    const authorView = await s.click(author, sentBack.refresh.action, {}, posted.id, 'automatic');
    const form = await s.click(author, actions(authorView.value)['Revidera'], {}, posted.id);
    expect(inputs(form.value).title.value).toBe('Första version');
    const submit = actions(form.value)['Skicka för beslut'];
    const revision = { title: 'Andra version', text: 'Punkt ett\nPunkt två, förtydligad', approvers: `${alice.aadObjectId},${bob.aadObjectId}`, rule: 'first' };

    // Only the author may revise: Alice sends the revision form as if she wrote it, and nothing changes.
    const cardsBefore = s.posts().length;
    const notAuthor = await s.click(alice, submit, revision, posted.id);
    expect(cardText(notAuthor.value)).toContain('Bara den som skrev utkastet kan revidera det.');
    expect(statusOf(notAuthor.value)).toBe('Ändring begärd');
    expect(s.posts()).toHaveLength(cardsBefore);

    const revised = await s.click(author, submit, revision, posted.id);
    expect(cardText(revised.value)).toContain('ersatt av revision 2');
    expect(notice(revised.value)).toMatchObject({ text: 'Revision 2 är skickad för beslut.', color: 'Good' });

    const second = s.posts().filter((a) => cardOf(a.body)).at(-1)!;
    const text = cardText(cardOf(second.body));
    expect(text).toContain('revision 2');
    expect(text).toContain('+ Punkt två, förtydligad');
    expect(text).toContain('− Punkt två');
    expect(statusOf(cardOf(second.body))).toBe('Väntar på beslut');
    const oldUpdate = s.puts().filter((a) => a.updates === posted.id).at(-1)!;
    expect(cardText(cardOf(oldUpdate.body))).toContain('ersatt av revision 2');

    // A click on the old revision changes nothing and shows the current revision.
    const putsBefore = s.puts().length;
    const old = await s.click(alice, buttons['Godkänn'], {}, posted.id);
    expect(cardText(old.value)).toContain('Utkastet har en nyare revision (2)');
    expect(cardText(old.value)).toContain('revision 2');
    expect(cardText(old.value)).not.toContain('ersatt av');
    expect(Object.keys(actions(old.value))).toEqual(['Godkänn', 'Avslå', 'Begär ändring']);
    expect(s.puts()).toHaveLength(putsBefore);

    const newButtons = await buttonsOf(s, alice, second);
    await s.click(alice, newButtons['Godkänn'], {}, second.id);
    const log = await decisionLogText(s, draftId);
    expect(log).toContain('### Revision 1');
    expect(log).toContain('Person bob (aad-bob): Ändring begärd');
    expect(log).toContain('"Förtydliga punkt två"'); // a comment on several lines stays one line of the record
    expect(log).toContain('### Revision 2');
    expect(log).toMatch(/Person alice \(aad-alice\): Godkänd \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  });

  test('with "all": Begär ändring, then "revidera" typed in another thread with new approvers, rule and due date; the change list says so', async () => {
    const channel = `19:drafts-revise-${++n}@thread.tacv2`;
    const s = scene(bot, `${channel};messageid=100`);
    const due = Date.now() + 10 * DAY;
    const { posted, draftId } = await createDraft(s, { title: 'Regional planering', text: 'Samordna planerna' });
    const alicesButtons = await buttonsOf(s, alice, posted);
    await s.click(alice, alicesButtons['Godkänn'], {}, posted.id);
    await s.click(bob, (await buttonsOf(s, bob, posted))['Begär ändring'], { comment: 'Lägg till ett datum' }, posted.id);
    expect(statusOf(s.lastPut())).toBe('Ändring begärd');

    // The author writes "revidera" in another thread of the channel: the form comes there.
    const elsewhere = scene(bot, `${channel};messageid=200`);
    await elsewhere.say(author, `revidera ${draftId}`);
    const [formMessage] = await connector.waitFor(elsewhere.conversationId);
    const submit = actions(cardOf(formMessage.body))['Skicka för beslut'];
    expect(inputs(cardOf(formMessage.body)).approvers.value).toBe(`${alice.aadObjectId},${bob.aadObjectId}`);

    // A problem in the form keeps the approvers just picked.
    const picked = `${alice.aadObjectId},${carol.aadObjectId}`;
    const problem = await elsewhere.click(author, submit, { title: '', text: 'Samordna planerna', approvers: picked, rule: 'first', dueDate: isoDay(due) });
    expect(cardText(problem.value)).toContain('Skriv en titel');
    expect(inputs(problem.value).approvers.value).toBe(picked);
    expect(inputs(problem.value).rule.value).toBe('first');

    await elsewhere.click(author, submit, { title: 'Regional planering', text: 'Samordna planerna', approvers: picked, rule: 'first', dueDate: isoDay(due) });
    const second = elsewhere.posts().filter((a) => cardOf(a.body)).at(-1)!;
    const card = cardOf(second.body);
    expect(cardText(card)).toContain(`Sista dag för beslut: ${swedishDay(due)} (tidigare ingen).`);
    expect(cardText(card)).toContain('Beslutsregel: Första beslutet avgör (tidigare alla måste godkänna).');
    expect(cardText(card)).toContain('Nya godkännare: Person carol.');
    expect(cardText(card)).toContain('Inte längre godkännare: Person bob.');
    expect(card.refresh.userIds.sort()).toEqual([alice.id, carol.id]);

    // Carol decides on the new revision, in the thread where it was posted; the card there is updated.
    await elsewhere.click(carol, (await buttonsOf(elsewhere, carol, second))['Godkänn'], {}, second.id);
    expect(statusOf(elsewhere.lastPut())).toBe('Godkänd');
    expect(elsewhere.puts().at(-1)!.updates).toBe(second.id);
  });

  test('a refresh (trigger automatic) never changes anything, even when forged with a changing verb', async () => {
    const s = scene();
    const { posted, formAction, draftId } = await createDraft(s, { title: 'Orörd av uppdateringar', text: 'En punkt' });
    const buttons = await buttonsOf(s, alice, posted);
    const sentBefore = connector.inConversation(s.conversationId).length;

    const decide = await s.click(alice, buttons['Avslå'], { comment: 'förfalskad' }, posted.id, 'automatic');
    expect(statusOf(decide.value)).toBe('Väntar på beslut');
    expect(Object.keys(actions(decide.value))).toEqual(['Godkänn', 'Avslå', 'Begär ändring']); // still hers to decide
    const create = await s.click(author, formAction, { formId: 'forged-refresh', title: 'Ny', text: 'En punkt', approvers: alice.aadObjectId }, undefined, 'automatic');
    expect(inputs(create.value).title.value).toBe('Ny');
    const revise = await s.click(author, { verb: 'draft.revise', data: { draftId } }, { title: 'Ändrad', text: 'Annat', approvers: alice.aadObjectId }, posted.id, 'automatic');
    expect(cardText(revise.value)).toContain('Orörd av uppdateringar');
    const log = await s.click(author, { verb: 'draft.log', data: { draftId } }, {}, posted.id, 'automatic');
    expect(log.type).toBe(CARD);

    await sleep(200);
    expect(connector.inConversation(s.conversationId)).toHaveLength(sentBefore); // nothing posted, nothing updated
    await s.say(author, 'utkast');
    const list = readable((await connector.waitFor(s.conversationId, sentBefore + 1)).at(-1)!.body);
    expect(list).toContain(`#${draftId} Orörd av uppdateringar: Väntar på beslut (väntar på Person alice, Person bob)`);
    expect(list).not.toContain('Ny:');
  });

  test('when posting the card fails, the draft is kept and the next click posts it, once', async () => {
    const s = scene();
    const submit = await openDraftForm(s);
    const fields = { title: 'Postas till slut', text: 'En punkt', approvers: `${alice.aadObjectId},${bob.aadObjectId}` };
    connector.failNext(0, 0, 400); // the two member look-ups pass; the post of the card fails
    const failed = await s.click(author, submit, fields);
    expect(failed.statusCode).toBe(500);
    expect(connector.pendingFailures()).toBe(0);
    expect(s.posts()).toHaveLength(1); // the form only

    const retried = await s.click(author, submit, fields);
    expect(retried.type).toBe(CARD);
    const cards = s.posts().filter((a) => cardOf(a.body)?.refresh);
    expect(cards).toHaveLength(1);
    expect(cardText(cardOf(cards[0].body))).toContain('Postas till slut');

    // It is the card decisions update.
    await s.click(alice, (await buttonsOf(s, alice, cards[0]))['Godkänn'], {}, cards[0].id);
    expect(s.puts().at(-1)!.updates).toBe(cards[0].id);
    await s.click(author, submit, fields);
    expect(s.posts().filter((a) => cardOf(a.body)?.refresh)).toHaveLength(1);
  });

  test('the Beslutslogg button on a settled card posts the record as card and Markdown', async () => {
    const s = scene();
    const { posted, draftId } = await createDraft(s, { title: 'Med logg', text: 'En punkt' }, [alice]);
    await s.click(alice, (await buttonsOf(s, alice, posted))['Godkänn'], { comment: 'Första raden\nandra raden' }, posted.id);
    const button = actions(s.lastPut())['Beslutslogg'];
    const before = s.posts().length;
    const response = await s.click(carol, button, {}, posted.id);
    expect(statusOf(response.value)).toBe('Godkänd');
    const [log] = s.posts().slice(before);
    expect(cardText(cardOf(log.body))).toContain('Beslutslogg: Med logg');
    expect(cardText(cardOf(log.body))).toContain('"Första raden andra raden"');
    expect(log.body.text).toContain(`## Beslutslogg: Med logg\nUtkast #${draftId}, skrivet av Anna Författare. Beslutsregel: Alla måste godkänna. Status: Godkänd.`);
    expect(log.body.text).toMatch(/- Person alice \(aad-alice\): Godkänd \d{4}-\d{2}-\d{2} \d{2}:\d{2}: "Första raden andra raden"\n?$/);
  });
});

describe('which conversation a draft belongs to', () => {
  test('utkast lists the open drafts of the channel, from any of its threads; settled ones are left out', async () => {
    const channel = `19:drafts-list-${++n}@thread.tacv2`;
    const threadA = scene(bot, `${channel};messageid=1`);
    const threadB = scene(bot, `${channel};messageid=2`);
    const due = Date.now() + 5 * DAY;
    const first = await createDraft(threadA, { title: 'Öppet med datum', text: 'En punkt', dueDate: isoDay(due) });
    const second = await createDraft(threadB, { title: 'Avgörs snart', text: 'En punkt' }, [bob]);
    await threadB.click(bob, (await buttonsOf(threadB, bob, second.posted))['Godkänn'], {}, second.posted.id);
    await threadA.click(alice, (await buttonsOf(threadA, alice, first.posted))['Godkänn'], {}, first.posted.id);

    const other = scene(bot, `${channel};messageid=3`);
    await other.say(author, 'utkast');
    const [list] = await connector.waitFor(other.conversationId);
    expect(readable(list.body)).toBe(`Öppna utkast:\n• #${first.draftId} Öppet med datum: Väntar på beslut (väntar på Person bob, senast ${swedishDay(due)})`);
  });

  test('a draft is not read from another conversation, except by its author and approvers', async () => {
    const s = scene();
    const { draftId } = await createDraft(s, { title: 'Bara här', text: 'Hemlig punkt' });
    const stranger = scene();
    await stranger.say(mallory, `beslutslogg ${draftId}`);
    await stranger.say(mallory, `revidera ${draftId}`);
    const replies = await connector.waitFor(stranger.conversationId, 2);
    expect(replies.map((r) => readable(r.body))).toEqual([`Det finns inget utkast #${draftId} här.`, `Det finns inget utkast #${draftId} här.`]);
    for (const verb of ['draft.view', 'draft.log', 'draft.reviseForm', 'draft.decide']) {
      const res = await stranger.click(mallory, { verb, data: { draftId, revision: 1, decision: 'approve' } });
      expect(res).toMatchObject({ type: MESSAGE, value: expect.stringContaining('Utkastet finns inte här') });
    }
    expect(connector.inConversation(stranger.conversationId)).toHaveLength(2);

    // Alice, an approver, may read it in her chat with the bot.
    const alicesChat = scene(bot, `a:alice-chat-${n}`);
    await alicesChat.say(alice, `beslutslogg ${draftId}`);
    const [log] = await connector.waitFor(alicesChat.conversationId);
    expect(log.body.text).toContain('1. Hemlig punkt');
  });
});

describe('under load and faults', () => {
  async function fiftyApprovers(target: TestBot) {
    const s = scene(target);
    const approvers = Array.from({ length: 50 }, (_, i) => person(`approver-${i}`));
    const { posted, draftId } = await createDraft(s, { title: 'Femtio godkännare', text: 'En punkt' }, approvers);
    const decide = (await buttonsOf(s, approvers[0], posted))['Godkänn'];
    const responses = await Promise.all([...approvers, approvers[0], approvers[1]].map((p) => s.click(p, decide, {}, posted.id)));
    // The two second clicks count once each: "already decided", or "already settled" if all 50 were in first.
    expect(responses.filter((r) => /redan (beslutat|avgjort)/.test(cardText(r.value)))).toHaveLength(2);
    const log = await decisionLogText(s, draftId);
    expect(log.match(/: Godkänd /g)).toHaveLength(50);
    expect(log).toContain('Status: Godkänd');
    // The shared card ends approved, with all 50 decisions, and no one is asked to refresh it any more.
    await until(() => statusOf(s.lastPut()) === 'Godkänd');
    const final = s.lastPut();
    expect(statusOf(final)).toBe('Godkänd');
    expect(decisionsOf(final)).toHaveLength(50);
    expect(decisionsOf(final).every((f) => /^Godkänd \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(f.value))).toBe(true);
    expect(final.refresh).toBeUndefined();
    expect(Object.keys(actions(final))).toEqual(['Beslutslogg']);
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
  });

  test('the worst case: 50 approvers with long names and comments, every point at its limit, a revision: every card and log message well under 28 KB', async () => {
    const s = scene();
    const approvers = Array.from({ length: 50 }, (_, i) => person(`lang-namn-${i}-${'x'.repeat(44)}`));
    const point = (i: number, v: string) => `${v} ${i}: Region Jämtland Härjedalen vill utveckla arbetssätt för hållbar tillväxt och översiktsplanering i länets kommuner. `.repeat(4).slice(0, 133);
    const text = (v: string) => Array.from({ length: 30 }, (_, i) => point(i, v)).join('\n');
    const title = 'Viljeriktning för den regionala utvecklingsstrategin och länets översiktsplaner '.repeat(3).slice(0, 200);
    const { posted, draftId } = await createDraft(s, { title, text: text('Punkt'), dueDate: isoDay(Date.now() + 20 * DAY) }, approvers);
    const comment = (i: number) => `Synpunkt ${i}: ${'Vi behöver förtydliga hur kommunernas översiktsplaner och regionens strategi hänger ihop. '.repeat(12)}`.slice(0, 1000);
    const decide = await buttonsOf(s, approvers[0], posted);
    for (const [i, p] of approvers.entries()) {
      await s.click(p, i < 49 ? decide['Godkänn'] : decide['Begär ändring'], { comment: comment(i) }, posted.id);
    }
    expect(statusOf(s.lastPut())).toBe('Ändring begärd');
    const form = await s.click(author, { verb: 'draft.reviseForm', data: { draftId } }, {}, posted.id);
    await s.click(author, actions(form.value)['Skicka för beslut'], { title: `${title.slice(0, 190)} (rev 2)`, text: text('Ny punkt'), approvers: approvers.slice(10).map((p) => p.aadObjectId).join(','), rule: 'first' }, posted.id);
    await decisionLogText(s, draftId);

    const cards = connector.inConversation(s.conversationId).filter((a) => cardOf(a.body));
    expect(cards.length).toBeGreaterThan(50);
    for (const activity of connector.inConversation(s.conversationId)) {
      expect(Buffer.byteLength(JSON.stringify(activity.body))).toBeLessThan(24 * 1024);
      if (cardOf(activity.body)) expect(cardProblems(cardOf(activity.body))).toEqual([]);
    }
    // The card shortens long comments; the record keeps them whole.
    expect(cardText(cardOf(s.puts().filter((a) => a.updates === posted.id).at(-1)!.body))).toContain('"Synpunkt 0: Vi behöver förtydliga');
    const log = connector.inConversation(s.conversationId).filter((a) => a.method === 'POST' && !cardOf(a.body)).map((a) => a.body.text).join('\n');
    for (let i = 0; i < 50; i++) expect(log).toContain(`"${comment(i).trim()}"`);
  });
});

describe('reminders', () => {
  test('the day before the due date each pending approver is reminded personally, once, across restarts', async () => {
    const DATA_DIR = tempDir();
    // Reminders wait for the morning: the test's days start at 10:00 Stockholm time, whenever it runs.
    let clock = stockholmToUtc(isoDay(Date.now()), '10:00').getTime();
    const first = await startTestBot({ DATA_DIR }, { now: () => new Date(clock) });
    const s = scene(first);
    const due = clock + 3 * DAY;
    const { posted, draftId } = await createDraft(s, { title: 'Med sista dag', text: 'En punkt', dueDate: isoDay(due) }, [alice, bob, carol]);
    await s.click(alice, (await buttonsOf(s, alice, posted))['Godkänn'], {}, posted.id);
    await first.stop();
    const reminders = () => connector.sent.filter((a) => readable(a.body).includes(`sista dag för beslut om utkast #${draftId} `));
    expect(reminders()).toHaveLength(0);

    clock += 2 * DAY; // the day before the due date
    for (let i = 0; i < 2; i++) {
      const again = await startTestBot({ DATA_DIR }, { now: () => new Date(clock) }); // looks for due drafts at start
      await until(() => reminders().length >= 2);
      await sleep(1000); // time enough for more, were they to come
      await again.stop();
    }
    expect(reminders()).toHaveLength(2);
    for (const who of [bob, carol]) {
      expect(personal(who, `utkast #${draftId} `).map((r) => readable(r.body))).toEqual([
        `Hej ${who.name}! I morgon, ${swedishDay(due)}, är sista dag för beslut om utkast #${draftId} "Med sista dag" av Anna Författare. Godkänn, avslå eller begär ändring på kortet i konversationen där utkastet lades ut.`,
      ]);
    }
    expect(personal(alice, `utkast #${draftId} `)).toEqual([]); // she has decided
  });
});

describe('a crash', () => {
  test('kill -9 of the server between clicks loses no decision that was confirmed', async () => {
    const { startBotProcess } = await import('../helpers/bot-process');
    const DATA_DIR = tempDir();
    let proc = await startBotProcess({ DATA_DIR });
    const target = { post: (a: unknown) => proc.post(a) } as unknown as TestBot;
    const s = scene(target);
    const { posted } = await createDraft(s, { title: 'Överlever en krasch', text: 'En punkt' });
    const buttons = await buttonsOf(s, alice, posted);
    const confirmed = await s.click(alice, buttons['Godkänn'], { comment: 'Före kraschen' }, posted.id);
    expect(decisionsOf(confirmed.value)[0].value).toContain('Godkänd');
    await proc.crash();

    proc = await startBotProcess({ DATA_DIR });
    try {
      const again = await s.click(alice, buttons['Godkänn'], {}, posted.id);
      expect(cardText(again.value)).toContain('redan beslutat');
      await s.click(bob, buttons['Godkänn'], {}, posted.id);
      const log = await decisionLogText(s, buttons['Godkänn'].data.draftId);
      expect(log).toContain('"Före kraschen"');
      expect(log).toContain('Status: Godkänd');
    } finally {
      await proc.stop();
    }
  });
});
