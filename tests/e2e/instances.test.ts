import { FakeConnector, cardOf } from '../helpers/connector';
import { cardAction, message, person, type Person } from '../helpers/activities';
import { startTestBot, type TestBot } from '../helpers/bot';
import { actions, cardText } from '../helpers/cards';
import { freshPostgresDatabase, postgresUrl } from '../helpers/postgres';
import { DAY, isoDay } from '../helpers/dates';

/**
 * Two bot processes' worth of instances sharing one PostgreSQL, requests spread over them: the
 * guarantees of approvals and registrations hold across instances. (Digests: tests/e2e/digests.)
 */
(postgresUrl ? describe : describe.skip)('two instances on one PostgreSQL', () => {
  let connector: FakeConnector;
  let instances: TestBot[];
  let drop: () => Promise<void>;
  let turn = 0;
  const spread = (activity: unknown) => instances[turn++ % instances.length].post(activity);

  beforeAll(async () => {
    connector = await FakeConnector.start();
    const db = await freshPostgresDatabase();
    drop = db.drop;
    instances = [await startTestBot({ DATABASE_URL: db.url }), await startTestBot({ DATABASE_URL: db.url })];
  });
  afterAll(async () => {
    for (const i of instances) await i.stop();
    await drop();
    await connector.close();
  });

  const organiser = person('org');
  const click = (c: string, who: Person, action: any, values: object = {}) =>
    spread(cardAction({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', from: who, verb: action.verb, data: { ...action.data, ...values } }));

  test('30 approvers clicking at once on either instance: all recorded once, the draft approved', async () => {
    const c = '19:instances-drafts@thread.tacv2';
    const approvers = Array.from({ length: 30 }, (_, i) => person(`i-approver-${i}`));
    await spread(message({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', text: 'ny viljeriktning', from: organiser }));
    const [form] = await connector.waitFor(c);
    await click(c, organiser, actions(cardOf(form.body))['Skicka för beslut'], { title: 'Två instanser', text: 'En punkt', approvers: approvers.map((a) => a.aadObjectId).join(',') });
    const [, posted] = await connector.waitFor(c, 2);
    const approve = { verb: 'draft.decide', data: { draftId: cardOf(posted.body).refresh.action.data.draftId, revision: 1, decision: 'approve' } };
    await Promise.all([...approvers, approvers[0]].map((a) => click(c, a, approve)));
    await spread(message({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', text: `beslutslogg ${approve.data.draftId}`, from: organiser }));
    const log = connector.inConversation(c).at(-1)!.body.text as string;
    expect(log.match(/: Godkänd /g)).toHaveLength(30);
    expect(log).toContain('Status: Godkänd');
  });

  test('200 people registering at once for 20 seats on either instance: 20 registered, 180 queued, no one twice', async () => {
    const c = '19:instances-workshops@thread.tacv2';
    await spread(message({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', text: 'ny workshop', from: organiser }));
    const [form] = await connector.waitFor(c);
    const date = isoDay(Date.now() + 20 * DAY);
    const created = await click(c, organiser, actions(cardOf(form.body))['Publicera'], { title: 'Delad workshop', date, time: '10:00', place: 'Sundsvall', capacity: '20' });
    const register = actions((await connector.waitFor(c, 2))[1].body.attachments[0].content)['Anmäl mig'];
    const people = Array.from({ length: 200 }, (_, i) => person(`i-p${i}`));
    await Promise.all([...people, people[3]].map((p) => click(c, p, register, { organisation: 'Org', mode: 'digitalt' })));
    const list = cardText((await click(c, organiser, actions(created.body.value)['Deltagarlista'])).body.value);
    expect(list).toContain('20 av 20 platser tagna, 180 i kö');
  });
});
