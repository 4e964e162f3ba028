import fc from 'fast-check';
import { FakeConnector, cardOf, readable } from '../helpers/connector';
import { cardAction, message, person } from '../helpers/activities';
import { postJson, startTestBot, tempDir, type TestBot } from '../helpers/bot';
import { startBotProcess } from '../helpers/bot-process';
import { actions, cardText } from '../helpers/cards';
import { DAY, isoDay } from '../helpers/dates';
import { until } from '../helpers/wait';

let connector: FakeConnector;
let n = 0;
beforeAll(async () => (connector = await FakeConnector.start()));
afterAll(() => connector.close());
const conv = () => `ops-${++n}`;

describe('who may talk to the bot', () => {
  test('with ALLOWED_TENANTS, an activity from another tenant is refused without a turn', async () => {
    const bot = await startTestBot({ ALLOWED_TENANTS: 'tenant-1, tenant-9' });
    try {
      const outsider = conv();
      const res = await bot.post(message({ serviceUrl: connector.url, conversationId: outsider, text: 'hjälp', tenantId: 'tenant-2' }));
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('inte öppen');
      const insider = conv();
      expect((await bot.post(message({ serviceUrl: connector.url, conversationId: insider, text: 'hjälp', tenantId: 'tenant-9' }))).status).toBe(200);
      await connector.waitFor(insider);
      expect(connector.inConversation(outsider)).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  });

  test('beyond the per-person rate limit: one polite Swedish message, then quiet; others unaffected', async () => {
    const bot = await startTestBot({ RATE_LIMIT_PER_MINUTE: '4' }); // a burst of 6, then 4 a minute
    try {
      const c = conv();
      const eager = person('eager');
      for (let i = 0; i < 10; i++) await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'hjälp', from: eager }));
      const replies = connector.inConversation(c).map((a) => readable(a.body));
      expect(replies.filter((t) => t.includes('Planeringsboten hjälper dig'))).toHaveLength(6);
      expect(replies.filter((t) => t.includes('Vänta en minut'))).toHaveLength(1);
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'hjälp', from: person('calm') }));
      expect(readable(connector.inConversation(c).at(-1)!.body)).toContain('Planeringsboten hjälper dig');
    } finally {
      await bot.stop();
    }
  });
});

describe('what the people who run it see', () => {
  test('GET /metrics in Prometheus format: turns, latency, questions, card actions, sends, queue depth', async () => {
    const bot = await startTestBot();
    try {
      const c = conv();
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'Vad är strategisk planering?' }));
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'recept på kanelbullar' }));
      await bot.post(cardAction({ serviceUrl: connector.url, conversationId: c, verb: 'workshop.view', data: { workshopId: 1 } }));
      const res = await fetch(`${bot.url}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toMatch(/planeringsboten_turns_total\{type="message"\} 2/);
      expect(text).toMatch(/planeringsboten_turns_total\{type="invoke"\} 1/);
      expect(text).toMatch(/planeringsboten_turn_duration_seconds_bucket\{le="\+Inf",type="message"\} 2/);
      expect(text).toMatch(/planeringsboten_questions_total\{outcome="answered"\} 1/);
      expect(text).toMatch(/planeringsboten_questions_total\{outcome="not_answered"\} 1/);
      expect(text).toMatch(/planeringsboten_card_actions_total\{verb="workshop.view",trigger="manual"\} 1/);
      expect(text).toMatch(/planeringsboten_send_queue_depth 0/);
      expect(text).toContain('planeringsboten_process_resident_memory_bytes');
    } finally {
      await bot.stop();
    }
  });

  test('proactive messages are counted by how they ended', async () => {
    const bot = await startTestBot({ DIGEST_CRON: '*/2 * * * * *' });
    try {
      const c = conv();
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'prenumerera' }));
      await connector.waitFor(c, 2); // the confirmation, then a digest
      const sent = async () => Number((await (await fetch(`${bot.url}/metrics`)).text()).match(/planeringsboten_proactive_sends_total\{result="sent"\} (\d+)/)?.[1] ?? 0);
      // Counted once the send's outcome is recorded, a moment after the connector has the message.
      await until(async () => (await sent()) >= 1, 5_000);
      expect(await sent()).toBeGreaterThanOrEqual(1);
    } finally {
      await bot.stop();
    }
  });

  test('the unanswered questions are for the editors when EDITORS names them', async () => {
    const bot = await startTestBot({ EDITORS: 'AAD-EDITOR' });
    try {
      const c = conv();
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'recept på kanelbullar', from: person('asker') }));
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'obesvarade', from: person('curious') }));
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, text: 'obesvarade', from: person('editor') }));
      const [, refused, list] = (await connector.waitFor(c, 3)).map((a) => readable(a.body));
      expect(refused).toContain('bara för kunskapsbasens redaktörer');
      expect(refused).not.toContain('kanelbullar');
      expect(list).toContain('recept på kanelbullar');
    } finally {
      await bot.stop();
    }
  });

  test('every log line of a turn carries its activity id and conversation id, and no secret', async () => {
    // A database that cannot be reached stops the start, and its password is not in what was written.
    const failure = await startBotProcess({ DATA_DIR: tempDir(), LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://user:hemligt-losen@127.0.0.1:1/none' }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(failure).toContain('did not become ready');
    expect(failure).not.toContain('hemligt-losen');
    const bot = await startBotProcess({ DATA_DIR: tempDir(), LOG_LEVEL: 'debug' });
    try {
      const c = conv();
      const activity = message({ serviceUrl: connector.url, conversationId: c, text: 'Vad är en viljeriktning?' });
      await bot.post(activity);
      await new Promise((r) => setTimeout(r, 200));
      const lines = bot.output().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const turnLines = lines.filter((l) => l.activityId === activity.id);
      expect(turnLines.length).toBeGreaterThan(0);
      for (const l of turnLines) expect(l.conversationId).toBe(c);
      expect(turnLines.some((l) => l.msg === 'turn handled')).toBe(true);
      // Stopped as a platform stops it: a clean exit, said in the log.
      expect(await bot.stop()).toBe(0);
      expect(bot.output()).toMatch(/"msg":"stopped"/);
    } finally {
      await bot.stop();
    }
  });
});

describe('hostile input', () => {
  let bot: TestBot;
  beforeAll(async () => (bot = await startTestBot()));
  afterAll(() => bot.stop());

  const json = fc.jsonValue({ maxDepth: 4 });
  const base = () => message({ serviceUrl: connector.url, conversationId: 'fuzz', text: 'x' }) as Record<string, unknown>;

  test('thousands of random and malformed activities: never a 5xx, the server stays healthy, memory flat', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          json,
          fc.record({ field: fc.constantFrom('type', 'text', 'conversation', 'from', 'serviceUrl', 'value', 'entities', 'channelData', 'id', 'name', 'recipient'), value: json }).map(({ field, value }) => ({ ...base(), [field]: value })),
          fc.string({ maxLength: 2000 }).map((text) => ({ ...base(), text })),
        ),
        async (body) => {
          const res = await postJson(`${bot.url}/api/messages`, body);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 1500 },
    );
    const raw = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(raw.status).toBe(400);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    global.gc?.();
    // Flat enough: the fuzzing above must not leave per-request state behind.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 2 ** 20);
  });

  test("every card's inputs, fuzzed: never a 5xx, and rejected input changes no stored record", async () => {
    const c = '19:fuzz-cards@thread.tacv2';
    const author = person('fuzz-author');
    // A draft and a workshop that the fuzzing must not change.
    await bot.post(message({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', text: 'ny viljeriktning', from: author }));
    await bot.post(message({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', text: 'ny workshop', from: author }));
    const [draftForm, workshopForm] = await connector.waitFor(c, 2);
    // Clicks by someone who is neither approver nor organiser; registrations are left out below,
    // since registering is what anyone may do.
    const click = (verb: string, data: unknown, from = person('stranger')) =>
      bot.post(cardAction({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', from, verb, data: data as object }));
    await click(actions(cardOf(draftForm.body))['Skicka för beslut'].verb, { ...actions(cardOf(draftForm.body))['Skicka för beslut'].data, title: 'Orörd', text: 'En punkt', approvers: 'aad-fuzz-approver' }, author);
    const date = isoDay(Date.now() + 30 * DAY);
    await click('workshop.create', { ...actions(cardOf(workshopForm.body))['Publicera'].data, title: 'Orörd workshop', date, time: '10:00', place: 'Östersund', capacity: '5' }, author);
    const snapshot = async () => {
      await bot.post(message({ serviceUrl: connector.url, conversationId: c, conversationType: 'channel', text: 'beslutslogg 1', from: author }));
      const log = connector.inConversation(c).at(-1)!.body.text as string;
      const list = (await click('workshop.attendees', { workshopId: 1 }, author)).body;
      return `${log.replace(/\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}\)/g, '')}\n${cardText(list.value)}`;
    };
    const before = await snapshot();
    expect(before).toContain('Orörd');
    expect(before).toContain('Deltagarlista: Orörd workshop');
    const verbs = ['draft.create', 'draft.view', 'draft.decide', 'draft.reviseForm', 'draft.revise', 'draft.log', 'workshop.create', 'workshop.view', 'workshop.cancel', 'workshop.attendees', 'deadline.create', 'deadline.remove', 'digest.set', 'no.such.verb'];
    const value = fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constantFrom('1', '0', '-1', '99999999999999', '${1+1}', '<b>x</b>', 'approve', 'plats'), json);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...verbs),
        fc.dictionary(fc.constantFrom('draftId', 'revision', 'decision', 'comment', 'title', 'text', 'approvers', 'rule', 'dueDate', 'workshopId', 'organisation', 'mode', 'date', 'time', 'place', 'capacity', 'deadline', 'deadlineId', 'cadence', 'formId'), value),
        async (verb, data) => {
          const res = await click(verb, { ...data, draftId: data.draftId ?? 1, workshopId: data.workshopId ?? 1, formId: 'fuzz-form' });
          expect(res.status).toBeLessThan(500);
          expect(res.body?.statusCode ?? 200).toBeLessThan(500);
        },
      ),
      { numRuns: 1000 },
    );
    expect(await snapshot()).toBe(before);
  });
});
