import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { FakeConnector, cardOf, type SentActivity } from '../helpers/connector';
import { cardAction, membersAdded, message, person } from '../helpers/activities';
import { startBotAndConnector, stopBotAndConnector, type TestBot } from '../helpers/bot';
import { actions } from '../helpers/cards';
import { DAY, isoDay } from '../helpers/dates';

// The bot sends its activities as their own JSON instead of through the SDK's Activity model
// (bot/teams/plain-activity-bodies.ts). Whatever it sends, the SDK's way must give the same body.

let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector()));
afterAll(() => stopBotAndConnector({ bot, connector }));

/** What the SDK's own client, with its serializer, sends for the same activity. */
async function viaTheSdk(sent: SentActivity): Promise<unknown> {
  const sdkConnector = await FakeConnector.start();
  try {
    const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: sdkConnector.url });
    if (sent.method === 'PUT') await client.conversations.updateActivity(sent.conversationId, sent.updates!, sent.body);
    else await client.conversations.sendToConversation(sent.conversationId, sent.body);
    return sdkConnector.sent[0].body;
  } finally {
    await sdkConnector.close();
  }
}

test('every kind of activity the bot sends reaches Teams exactly as the SDK would have sent it', async () => {
  const serviceUrl = connector.url;
  const channel = '19:bodies@thread.tacv2';
  const organiser = person('organiser', 'Olle Organisatör');
  await bot.post(membersAdded({ serviceUrl, conversationId: 'bodies-welcome' }));
  for (const text of ['Vad är strategisk planering?', 'hjälp', 'status', 'tidsfrister', 'qwerty zxcvb', 'begrepp RUS']) {
    await bot.post(message({ serviceUrl, conversationId: `bodies-${text}`, text }));
  }
  await bot.post(message({ serviceUrl, conversationId: channel, conversationType: 'channel', from: organiser, text: 'ny workshop', mention: true }));
  const [form] = await connector.waitFor(channel);
  const publicera = actions(cardOf(form.body))['Publicera'];
  const fields = { title: 'Workshop', date: isoDay(Date.now() + 10 * DAY), time: '09:30', place: 'Östersund', capacity: '5' };
  await bot.post(cardAction({ serviceUrl, conversationId: channel, conversationType: 'channel', from: organiser, verb: publicera.verb, data: { ...publicera.data, ...fields } }));
  const [, posted] = await connector.waitFor(channel, 2);
  const register = actions(cardOf(posted.body))['Anmäl mig'];
  await bot.post(cardAction({ serviceUrl, conversationId: channel, conversationType: 'channel', from: person('kim'), verb: register.verb, data: { ...register.data, organisation: 'Region Jämtland Härjedalen', mode: 'digitalt' } }));
  await connector.waitFor(channel, 3);

  const sent = connector.sent;
  expect(sent.map((s) => s.method)).toEqual(expect.arrayContaining(['POST', 'PUT']));
  expect(sent.length).toBeGreaterThanOrEqual(9);
  for (const activity of sent) expect(await viaTheSdk(activity)).toEqual(activity.body);
});
