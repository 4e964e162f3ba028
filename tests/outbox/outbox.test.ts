import type { Database } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { OutboxDispatcher } from '../../bot/outbox/outbox-dispatcher';
import { OutboxStore } from '../../bot/outbox/outbox-store';
import { SendQueue } from '../../bot/outbox/send-queue';
import { UnknownConversationError, type Messenger } from '../../bot/teams/messenger';
import { createLogger } from '../../bot/logger';
import { backends } from '../helpers/backends';

const logger = createLogger('silent');

/** Teams as the messenger meets it: each conversation answers with the statuses it is given, then 201. */
class FakeTeams implements Messenger {
  readonly delivered: Array<{ to: string; text: string }> = [];
  private readonly answers = new Map<string, Array<number | 'unknown'>>();

  answer(to: string, ...statuses: Array<number | 'unknown'>) {
    this.answers.set(to, statuses);
  }

  async send(conversationId: string, message: { text: string }) {
    this.fail(conversationId);
    this.delivered.push({ to: conversationId, text: message.text });
    return 'activity-id';
  }

  async sendPersonal(_via: string, person: string, message: { text: string }) {
    this.fail(person);
    this.delivered.push({ to: person, text: message.text });
  }

  private fail(to: string) {
    const next = this.answers.get(to)?.shift();
    if (next === 'unknown') throw new UnknownConversationError(to);
    if (next !== undefined) throw Object.assign(new Error(`HTTP ${next}`), { statusCode: next });
  }
}

const noSleep = async () => undefined;

describe.each(backends)('the outbox on $name', (backend) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let n = 0;
  const key = () => `test-${++n}-${Date.now()}`;

  beforeAll(async () => {
    ({ db, cleanup } = await backend.open());
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  function dispatcher(teams: FakeTeams, options: { onGone?: (to: { conversationId: string }) => Promise<void>; maxAttempts?: number } = {}) {
    const store = new OutboxStore(db);
    return { store, dispatcher: new OutboxDispatcher({ store, queue: new SendQueue(teams, { logger, sleep: noSleep }), logger, ...options }) };
  }

  async function makeDue(k: string) {
    await db.query('UPDATE outbox SET not_before = now() WHERE key = $1', [k]);
  }

  test('a message is written once per key, and only with the transaction that writes it', async () => {
    const store = new OutboxStore(db);
    const k = key();
    expect(await store.enqueue({ key: k, conversationId: 'c1', message: { text: 'a' } })).toBe(true);
    expect(await store.enqueue({ key: k, conversationId: 'c1', message: { text: 'b' } })).toBe(false);
    const rolledBack = key();
    await expect(
      db.transaction(async (tx) => {
        await store.enqueue({ key: rolledBack, conversationId: 'c1', message: { text: 'c' } }, tx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await store.outcomeOf(rolledBack)).toBeUndefined();
  });

  test('each message is sent once, to a conversation or to a person', async () => {
    const teams = new FakeTeams();
    const { store, dispatcher: d } = dispatcher(teams);
    const [k1, k2] = [key(), key()];
    await store.enqueue({ key: k1, conversationId: 'conv-a', message: { text: 'till kanalen' } });
    await store.enqueue({ key: k2, conversationId: 'conv-a', personTeamsId: '29:anna', message: { text: 'till Anna' } });
    await Promise.all([d.runOnce(), d.runOnce(), d.runOnce()]);
    await d.idle();
    expect(teams.delivered.filter((m) => m.text === 'till kanalen')).toEqual([{ to: 'conv-a', text: 'till kanalen' }]);
    expect(teams.delivered.filter((m) => m.text === 'till Anna')).toEqual([{ to: '29:anna', text: 'till Anna' }]);
    expect(await store.outcomeOf(k1)).toEqual({ outcome: 'sent', attempts: 1 });
  });

  test('two instances claiming at once never take the same message', async () => {
    const store = new OutboxStore(db);
    for (let i = 0; i < 40; i++) await store.enqueue({ key: key(), conversationId: `burst-${i}`, message: { text: `m${i}` } });
    const [a, b] = await Promise.all([store.claimDue(30, 60), store.claimDue(30, 60)]);
    const ids = [...a, ...b].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of [...a, ...b]) await store.finish(item, 'sent');
  });

  test('throttled (429) then accepted: sent in the end; a 403 ends it as gone and tells whoever sends there', async () => {
    const teams = new FakeTeams();
    const gone: string[] = [];
    const { store, dispatcher: d } = dispatcher(teams, { onGone: async (to) => void gone.push(to.conversationId) });
    const [throttled, blocked] = [key(), key()];
    teams.answer('conv-429', 429, 429);
    teams.answer('conv-403', 403);
    await store.enqueue({ key: throttled, conversationId: 'conv-429', message: { text: 'efter väntan' } });
    await store.enqueue({ key: blocked, conversationId: 'conv-403', message: { text: 'aldrig' } });
    await d.runOnce();
    expect(teams.delivered).toContainEqual({ to: 'conv-429', text: 'efter väntan' });
    expect(await store.outcomeOf(throttled)).toEqual({ outcome: 'sent', attempts: 1 });
    expect(await store.outcomeOf(blocked)).toEqual({ outcome: 'gone', attempts: 1 });
    expect(gone).toEqual(['conv-403']);
  });

  test('still throttled after the quick tries: tried again later, and given up after the last attempt', async () => {
    const teams = new FakeTeams();
    const { store, dispatcher: d } = dispatcher(teams, { maxAttempts: 2 });
    const k = key();
    teams.answer('conv-busy', ...Array(8).fill(503));
    await store.enqueue({ key: k, conversationId: 'conv-busy', message: { text: 'x' } });
    await d.runOnce();
    expect(await store.outcomeOf(k)).toEqual({ outcome: null, attempts: 1 });
    await d.runOnce();
    expect(await store.outcomeOf(k)).toEqual({ outcome: null, attempts: 1 }); // waits for its backoff
    await makeDue(k);
    await d.runOnce();
    expect(await store.outcomeOf(k)).toEqual({ outcome: 'failed', attempts: 2 });
    expect(teams.delivered.filter((m) => m.to === 'conv-busy')).toEqual([]);
  });

  test('a conversation the bot never met fails at once, without retries', async () => {
    const teams = new FakeTeams();
    const { store, dispatcher: d } = dispatcher(teams);
    const k = key();
    teams.answer('conv-unknown', 'unknown');
    await store.enqueue({ key: k, conversationId: 'conv-unknown', message: { text: 'x' } });
    await d.runOnce();
    expect(await store.outcomeOf(k)).toEqual({ outcome: 'failed', attempts: 1 });
  });

  test('a sender that died keeps its lease until it runs out; then another takes it, and only the holder records', async () => {
    const store = new OutboxStore(db);
    const k = key();
    await store.enqueue({ key: k, conversationId: 'conv-crash', message: { text: 'x' } });
    const [first] = (await store.claimDue(100, 1)).filter((i) => i.key === k);
    expect(first).toBeDefined();
    expect((await store.claimDue(100, 1)).some((i) => i.key === k)).toBe(false);
    await new Promise((r) => setTimeout(r, 1_200));
    const [second] = (await store.claimDue(100, 60)).filter((i) => i.key === k);
    expect(second.attempts).toBe(2);
    expect(await store.finish(first, 'sent')).toBe(false);
    expect(await store.finish(second, 'sent')).toBe(true);
    expect(await store.outcomeOf(k)).toEqual({ outcome: 'sent', attempts: 2 });
  });
});

describe('the send queue', () => {
  test('keeps to 7 messages a second in one conversation, and others are not held up', async () => {
    const stamps: Array<{ to: string; at: number }> = [];
    const teams: Messenger = {
      send: async (to) => void stamps.push({ to, at: Date.now() }) as undefined,
      sendPersonal: async () => undefined,
    };
    const queue = new SendQueue(teams, { logger });
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: 15 }, (_, i) => queue.send({ conversationId: 'busy' }, { text: `${i}` })),
      queue.send({ conversationId: 'other' }, { text: 'other' }),
    ]);
    const busy = stamps.filter((s) => s.to === 'busy').map((s) => s.at);
    for (let i = 7; i < busy.length; i++) expect(busy[i] - busy[i - 7]).toBeGreaterThanOrEqual(1000);
    expect(stamps.find((s) => s.to === 'other')!.at - t0).toBeLessThan(500);
  });
});
