import { FakeConnector, cardOf, readable, type SentActivity } from '../helpers/connector';
import { message, type ConversationType } from '../helpers/activities';
import { startBotAndConnector, stopBotAndConnector, type TestBot } from '../helpers/bot';
import { cardProblems } from '../helpers/adaptive-card';

let connector: FakeConnector;
let bot: TestBot;
let n = 0;

beforeAll(async () => ({ bot, connector } = await startBotAndConnector()));
afterAll(() => stopBotAndConnector({ bot, connector }));

/** Sends `text` as a person would and returns the bot's one reply, after checking its card renders. */
async function ask(text: string, options: { conversationType?: ConversationType; mention?: boolean } = {}): Promise<SentActivity> {
  const conversationId = `qa-${++n}`;
  const res = await bot.post(message({ serviceUrl: connector.url, conversationId, text, ...options }));
  expect(res.status).toBe(200);
  const [reply] = await connector.waitFor(conversationId);
  const card = cardOf(reply.body);
  if (card) expect(cardProblems(card)).toEqual([]);
  return reply;
}

const imBackValues = (card: any): string[] => {
  const out: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (node.msteams?.type === 'imBack') out.push(node.msteams.value);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
};

describe('answers, quoted and cited', () => {
  test('a question gets the answer card: the quote, a Källa line, related questions as buttons, and plain text', async () => {
    const reply = await ask('Vad är strategisk planering?');
    const card = cardOf(reply.body);
    expect(card.version).toBe('1.5');
    const text = readable(reply.body);
    expect(text).toContain('samspelet mellan olika planeringsprocesser');
    expect(text).toMatch(/Källa: Tillväxtverket: /);
    const buttons = imBackValues(card);
    expect(buttons.length).toBeGreaterThanOrEqual(1);
    expect(buttons.length).toBeLessThanOrEqual(3);
    // Clients without cards read the same answer.
    expect(reply.body.text).toContain('samspelet mellan olika planeringsprocesser');
    expect(reply.body.text).toContain('Källa:');
  });

  test('a related-question button asks a question the bot answers', async () => {
    const first = await ask('Vad är viljeriktningen?');
    const [followUp] = imBackValues(cardOf(first.body));
    const reply = await ask(followUp);
    expect(readable(reply.body)).not.toContain('hittade inget');
  });

  test.each([
    ['vad ar lanspartnerskapet', 'strategiskt forum'],
    ['VAD ÄR LÄNSPARTNERSKAPET???', 'strategiskt forum'],
    ['AP 2', 'kommunikation'],
    ['strategsk planering', 'samspelet'],
    ['planeringsprocesserna', 'planeringsprocess'],
  ])('"%s" is understood', async (q, expected) => {
    expect(readable((await ask(q)).body)).toContain(expected);
  });

  test('when two topics fit the question alike, the card also asks "Menade du …?" with a button for the other', async () => {
    const reply = await ask('Regiondirektörens förslag');
    const text = readable(reply.body);
    expect(text).toContain('Regiondirektörens förslag om strategisk planering');
    expect(text).toContain('Menade du …?');
    expect(imBackValues(cardOf(reply.body))).toContain('Regiondirektörens förslag om påverkansagendan');
    const other = await ask('Regiondirektörens förslag om påverkansagendan');
    expect(readable(other.body)).toContain('länsgemensam påverkansagenda i dess nuvarande form avslutas');
    expect(readable((await ask('Vad är viljeriktningen?')).body)).not.toContain('Menade du');
  });

  test('in a channel, with the @mention first, the answer goes into the thread', async () => {
    const reply = await ask('Vilka pilotprojekt finns?', { conversationType: 'channel', mention: true });
    expect(readable(reply.body)).toContain('SPELPLAN');
    expect(reply.body.replyToId).toBeDefined();
  });
});

describe('when the documents do not say', () => {
  test('an off-topic question is declined plainly, with the closest topics, and stored for the editors', async () => {
    const reply = await ask('Hur blir vädret i Östersund i helgen?');
    expect(readable(reply.body)).toContain('hittade inget');
    await ask('Hur blir vädret i Östersund i helgen');
    await ask('Skriv en dikt om hösten');
    const list = await ask('obesvarade');
    const text = readable(list.body);
    expect(text).toContain('Hur blir vädret i Östersund i helgen');
    expect(text).toMatch(/2 gånger/);
    expect(text.indexOf('Östersund')).toBeLessThan(text.indexOf('dikt'));
  });

  test.each([
    ['empty text', ' '],
    ['only emoji', '🙂🎉👍'],
    ["lunr's operators", 'title:spin^10 +planering -x~2 *'],
    ['HTML', '<script>alert(1)</script><b>hej</b>'],
    ['template syntax', "${concat('zq','xv')} ${1+1} {{x}}"],
    ['10 000 characters', 'strategisk '.repeat(1000)],
  ])('%s gets a sensible reply, and nothing is evaluated', async (_name, text) => {
    const reply = await ask(text);
    const shown = readable(reply.body);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain('zqxv'); // the expression was not run
    expect(JSON.stringify(reply.body)).not.toMatch(/"\$\{/);
  });
});

describe('commands', () => {
  test('begrepp lists the concepts, each a button that explains it', async () => {
    const reply = await ask('begrepp');
    const values = imBackValues(cardOf(reply.body));
    expect(values).toEqual(expect.arrayContaining(['begrepp Viljeriktning', 'begrepp Strategisk planering']));
    const explained = await ask('Begrepp: rumsligt perspektiv!');
    expect(readable(explained.body)).toMatch(/geografiska perspektiv/);
  });

  test('status gives the mission at a glance: phases, arbetspaket and pilot projects', async () => {
    const text = readable((await ask('status')).body);
    for (const part of ['2024–2028', 'Uppstart', 'Grunda', 'Genomföra', 'Slutföra', 'Arbetspaket 1', 'Arbetspaket 3', 'SPIN', 'SPELPLAN']) {
      expect(text).toContain(part);
    }
  });

  test('projekt lists the eight pilot projects and the följeregioner', async () => {
    const text = readable((await ask('projekt')).body);
    expect(text).toContain('8 pilotprojekt');
    expect(text).toContain('Region Kronoberg');
  });

  test('källor lists the four source documents', async () => {
    const text = readable((await ask('kallor')).body);
    expect(text).toContain('Länsgemensam påverkansagenda');
    expect(text).toContain('RUN/168/2020');
    expect(text).toContain('20 maj 2025');
  });

  test('a greeting and a thank-you get a human answer', async () => {
    expect(readable((await ask('Hej!')).body)).toMatch(/^Hej Alex!/);
    expect(readable((await ask('tack så mycket')).body)).toContain('Varsågod');
  });

  test('hjälp advertises the commands with buttons', async () => {
    const values = imBackValues(cardOf((await ask('hjälp')).body));
    expect(values).toEqual(expect.arrayContaining(['begrepp', 'status', 'projekt', 'källor']));
  });
});
