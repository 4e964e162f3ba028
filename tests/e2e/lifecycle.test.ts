import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { cardAction, installationUpdate, message } from '../helpers/activities';
import { startTestBot, tempDir } from '../helpers/bot';
import { CARD_ACTION_FAILED } from '../../bot/teams/card-actions';
import { until } from '../helpers/wait';

let connector: FakeConnector;
beforeAll(async () => (connector = await FakeConnector.start()));
afterAll(() => connector.close());

test('what the bot remembers survives a restart on PGlite', async () => {
  const DATA_DIR = tempDir();
  const conversationId = 'restart-conv';
  const first = await startTestBot({ DATA_DIR });
  const hello = message({ serviceUrl: connector.url, conversationId, text: 'hjälp' });
  await first.post(installationUpdate({ serviceUrl: connector.url, conversationId }));
  await first.post(hello);
  await connector.waitFor(conversationId, 2);
  await first.stop();

  const second = await startTestBot({ DATA_DIR });
  try {
    // Already greeted, and the redelivered message was already handled: nothing is sent twice.
    await second.post(installationUpdate({ serviceUrl: connector.url, conversationId }));
    await second.post(hello);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.inConversation(conversationId)).toHaveLength(2);
    // And it still serves new turns.
    await second.post(message({ serviceUrl: connector.url, conversationId, text: 'hjälp' }));
    await connector.waitFor(conversationId, 3);
  } finally {
    await second.stop();
  }
});

test('shutting down lets a running turn finish, then refuses new connections', async () => {
  const bot = await startTestBot();
  connector.delayMs = 800; // the reply to Teams takes a while: the turn is still running at stop()
  try {
    const conversationId = 'slow-conv';
    const before = connector.arrived;
    const inFlight = bot.post(message({ serviceUrl: connector.url, conversationId, text: 'hjälp' }));
    await until(() => connector.arrived > before); // the turn is now sending its reply
    const stopped = bot.stop();
    expect((await inFlight).status).toBe(200);
    await stopped;
    expect(readable(connector.inConversation(conversationId)[0].body)).toContain('Planeringsboten hjälper dig');
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();
  } finally {
    connector.delayMs = 0;
  }
});

describe('card buttons', () => {
  test('a handler that throws still answers the invoke with a Swedish error, and the bot keeps serving', async () => {
    const bot = await startTestBot({}, {
      features: { cardActions: [{ verb: 'explode', run: async () => { throw new Error('boom'); } }] },
    });
    try {
      const res = await bot.post(cardAction({ serviceUrl: connector.url, conversationId: 'invoke-conv', verb: 'explode' }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ statusCode: 500, type: 'application/vnd.microsoft.error', value: { message: CARD_ACTION_FAILED } });
      const ok = await bot.post(message({ serviceUrl: connector.url, conversationId: 'invoke-conv', text: 'hjälp' }));
      expect(ok.status).toBe(200);
    } finally {
      await bot.stop();
    }
  });

  test('a click updates the shared card; an automatic refresh never does', async () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'uppdaterad' }] };
    const bot = await startTestBot({}, { features: { cardActions: [{ verb: 'touch', run: async () => ({ card, shared: { conversationId: 'update-conv', activityId: 'card-1', render: async () => card } }) }] } });
    try {
      const conversationId = 'update-conv';
      const refresh = await bot.post(cardAction({ serviceUrl: connector.url, conversationId, verb: 'touch', replyToId: 'card-1', trigger: 'automatic' }));
      expect(refresh.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
      expect(connector.inConversation(conversationId)).toHaveLength(0);

      await bot.post(cardAction({ serviceUrl: connector.url, conversationId, verb: 'touch', replyToId: 'card-1' }));
      const [update] = await connector.waitFor(conversationId);
      expect(update).toMatchObject({ method: 'PUT', updates: 'card-1' });
      expect(cardOf(update.body)).toEqual(card);
    } finally {
      await bot.stop();
    }
  });

  test('a button no feature knows gets a polite message, not a 501', async () => {
    const bot = await startTestBot();
    try {
      const res = await bot.post(cardAction({ serviceUrl: connector.url, conversationId: 'old-card', verb: 'gammal-knapp' }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      expect(res.body.value).toMatch(/stöds inte längre/);
    } finally {
      await bot.stop();
    }
  });
});
