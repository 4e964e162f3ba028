import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { installationUpdate, membersAdded, message } from '../helpers/activities';
import { postJson, startBotAndConnector, startTestBot, stopBotAndConnector, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';
import { actions } from '../helpers/cards';
import { gzipSync } from 'node:zlib';

let connector: FakeConnector;
let bot: TestBot;
let n = 0;
const conv = () => `conv-${++n}`;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector()));
afterAll(() => stopBotAndConnector({ bot, connector }));

const serviceUrl = () => connector.url;

describe('talking to the bot as Teams does', () => {
  test('hjälp answers with the help card, listing what the bot can do, with buttons', async () => {
    const conversationId = conv();
    const res = await bot.post(message({ serviceUrl: serviceUrl(), conversationId, text: 'hjälp' }));
    expect(res.status).toBe(200);
    const [reply] = await connector.waitFor(conversationId);
    const card = cardOf(reply.body);
    expect(cardProblems(card)).toEqual([]);
    expect(readable(reply.body)).toContain('Planeringsboten hjälper dig');
    expect(card.body.find((b: any) => b.type === 'FactSet').facts.map((f: any) => f.title)).toContain('hjälp');
    expect(Object.keys(actions(card))).toEqual(expect.arrayContaining(['Begrepp', 'Status', 'Pilotprojekt']));
    // Clients without cards and notifications get the same in plain text.
    expect(reply.body.summary).toContain('hjälp');
    expect(reply.body.text).toBeUndefined();
  });

  test.each(['Hjälp!', 'HJALP', '  hjälp?  '])('"%s" is the same command', async (text) => {
    const conversationId = conv();
    await bot.post(message({ serviceUrl: serviceUrl(), conversationId, text }));
    const [reply] = await connector.waitFor(conversationId);
    expect(readable(reply.body)).toContain('Planeringsboten hjälper dig');
  });

  test('in a channel the @mention is removed and the reply goes into the thread', async () => {
    const conversationId = `19:general@thread.tacv2;messageid=${Date.now()}`;
    const activity = message({ serviceUrl: serviceUrl(), conversationId, conversationType: 'channel', text: 'hjälp', mention: true });
    await bot.post(activity);
    const [reply] = await connector.waitFor(conversationId);
    expect(readable(reply.body)).toContain('Planeringsboten hjälper dig');
    expect(reply.body.replyToId).toBe(activity.id);
  });

  test('a text it cannot place gets a Swedish pointer to hjälp', async () => {
    const conversationId = conv();
    await bot.post(message({ serviceUrl: serviceUrl(), conversationId, text: 'blorp', conversationType: 'groupChat', mention: true }));
    const [reply] = await connector.waitFor(conversationId);
    expect(readable(reply.body)).toMatch(/hjälp/);
  });

  test('install greets once with the welcome card, however many install events arrive', async () => {
    const conversationId = conv();
    await bot.post(installationUpdate({ serviceUrl: serviceUrl(), conversationId }));
    await bot.post(membersAdded({ serviceUrl: serviceUrl(), conversationId }));
    await bot.post(installationUpdate({ serviceUrl: serviceUrl(), conversationId }));
    await connector.waitFor(conversationId);
    await new Promise((r) => setTimeout(r, 200));
    const sent = connector.inConversation(conversationId);
    expect(sent).toHaveLength(1);
    expect(readable(sent[0].body)).toContain('Hej! Jag är Planeringsboten');
    expect(cardProblems(cardOf(sent[0].body))).toEqual([]);
  });

  test('a conversationUpdate that adds only other people does not greet', async () => {
    const conversationId = conv();
    const res = await bot.post(membersAdded({ serviceUrl: serviceUrl(), conversationId, members: ['29:someone-else'] }));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.inConversation(conversationId)).toHaveLength(0);
  });

  test('a redelivered activity id runs the turn once', async () => {
    const conversationId = conv();
    const activity = message({ serviceUrl: serviceUrl(), conversationId, text: 'hjälp' });
    const results = await Promise.all([bot.post(activity), bot.post(activity), bot.post(activity)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await connector.waitFor(conversationId);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.inConversation(conversationId)).toHaveLength(1);
  });

  test('a turn whose answer could not be sent runs again when Teams redelivers it', async () => {
    const conversationId = conv();
    const activity = message({ serviceUrl: serviceUrl(), conversationId, text: 'hjälp' });
    // The answer and then the apology are refused: the person got nothing, so the redelivery must run.
    connector.failNext(400, 400);
    expect((await bot.post(activity)).status).toBe(200);
    expect(connector.pendingFailures()).toBe(0);
    expect(connector.inConversation(conversationId)).toHaveLength(0);
    expect((await bot.post(activity)).status).toBe(200);
    const [sent] = await connector.waitFor(conversationId);
    expect(readable(sent.body)).toContain('Planeringsboten hjälper dig');
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.inConversation(conversationId)).toHaveLength(1);
  });
});

describe('bad input gets a 4xx and the server keeps serving', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json().catch(() => null)) as { message?: string } | null,
    }));

  test.each([
    ['non-JSON body', '{"type": "message", ', 'application/json', 400],
    ['wrong content type', 'type=message', 'application/x-www-form-urlencoded', 415],
    ['plain text', 'hej', 'text/plain', 415],
    ['a JSON array', '[]', 'application/json', 400],
    ['no type', JSON.stringify({ conversation: { id: 'c' }, serviceUrl: 'http://x' }), 'application/json', 400],
    ['no conversation', JSON.stringify({ type: 'message', serviceUrl: 'http://x' }), 'application/json', 400],
    ['no serviceUrl', JSON.stringify({ type: 'message', conversation: { id: 'c' } }), 'application/json', 400],
    ['a serviceUrl that is no URL', JSON.stringify({ type: 'message', conversation: { id: 'c' }, serviceUrl: 'javascript:alert(1)' }), 'application/json', 400],
  ])('%s → %s', async (_name, body, contentType, status) => {
    const res = await post(body, contentType);
    expect(res.status).toBe(status);
    expect(typeof res.body?.message).toBe('string');
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  test('a compressed body (which could unpack far past 1 MB) → 415, and the server keeps serving', async () => {
    const bomb = gzipSync(JSON.stringify({ type: 'message', text: 'x'.repeat(2_000_000), conversation: { id: 'c' }, serviceUrl: 'http://x' }));
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    expect(res.status).toBe(415);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  test.each([
    ['a task module', { name: 'task/fetch', value: {} }, 400],
    ['a card action that is no Action.Execute', { name: 'adaptiveCard/action', value: { action: { type: 'Action.Submit' } } }, 200],
  ])('an invoke no route answers (%s) gets a clear refusal, never a 5xx', async (_name, invoke, status) => {
    const res = await bot.post({ ...message({ serviceUrl: serviceUrl(), conversationId: conv(), text: '' }), type: 'invoke', ...invoke });
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain('stöds inte');
  });

  test('a body over 1 MB → 413', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(1_100_000), conversation: { id: 'c' }, serviceUrl: 'http://x' });
    const res = await post(big);
    expect(res.status).toBe(413);
    const conversationId = conv();
    await bot.post(message({ serviceUrl: serviceUrl(), conversationId, text: 'hjälp' }));
    await connector.waitFor(conversationId);
  });

  test('health and readiness', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'pglite' });
  });
});

describe('with MicrosoftAppId set', () => {
  test('a request without a Bot Framework token gets 401 and runs no turn', async () => {
    const secured = await startTestBot({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: 'tenant-1' });
    try {
      const conversationId = conv();
      const noToken = await secured.post(message({ serviceUrl: serviceUrl(), conversationId, text: 'hjälp' }));
      expect(noToken.status).toBe(401);
      const badToken = await postJson(`${secured.url}/api/messages`, message({ serviceUrl: serviceUrl(), conversationId, text: 'hjälp' }), {
        authorization: 'Bearer not.a.jwt',
      });
      expect(badToken.status).toBe(401);
      await new Promise((r) => setTimeout(r, 200));
      expect(connector.inConversation(conversationId)).toHaveLength(0);
    } finally {
      await secured.stop();
    }
  });
});
