import { runDigests, type DigestRunnerDependencies } from '../../bot/digests/digest-runner';
import { DigestStore } from '../../bot/digests/digest-store';
import type { Deadline } from '../../bot/digests/deadlines';
import { createLogger } from '../../bot/logger';
import { OutboxStore } from '../../bot/outbox/outbox-store';
import { stockholmToUtc } from '../../bot/stockholm';
import type { Database } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { pglite } from '../helpers/backends';

/** A Stockholm wall-clock moment: the controlled clock of every pass below. */
const at = (date: string, time: string) => stockholmToUtc(date, time);
const remiss: Deadline = { key: 'remiss', title: 'Regionens remissvar', description: 'Till länsstyrelsen.', when: { kind: 'day', date: '2027-03-31' } };

let db: Database;
let cleanup: () => Promise<void>;
let n = 0;

beforeAll(async () => {
  ({ db, cleanup } = await pglite.open());
  await migrate(db);
});
afterAll(async () => {
  await db.close();
  await cleanup();
});
// A pass goes over every subscription: each test starts with none but its own.
beforeEach(() => db.query('DELETE FROM digest_subscriptions'));

/** A new subscribed conversation, and a pass of the runner at a given moment; what reached the outbox for it. */
async function subscribed(since: Date, { cadence = 'weekly' as const, deadlines = [remiss], pattern = undefined as string | undefined, store = new DigestStore(db) } = {}) {
  const conversationId = `19:runner-${String(++n).padStart(3, '0')}@thread.tacv2`;
  await store.subscribe(conversationId, cadence, 'aad-planner', since);
  const deps: DigestRunnerDependencies = { store, outbox: new OutboxStore(db), deadlines, logger: createLogger('silent'), pattern };
  return {
    conversationId,
    pass: (now: Date) => runDigests(deps, now),
    outbox: async () =>
      (await db.query<{ key: string; text: string }>(`SELECT key, message->>'text' AS text FROM outbox WHERE conversation_id = $1 ORDER BY id`, [conversationId])).map((r) => ({
        key: r.key.replace(`@${conversationId}`, ''),
        text: r.text,
      })),
  };
}

const reminders = async (c: Awaited<ReturnType<typeof subscribed>>) => (await c.outbox()).filter((m) => m.key.startsWith('reminder:'));
const digests = async (c: Awaited<ReturnType<typeof subscribed>>) => (await c.outbox()).filter((m) => m.key.startsWith('digest:')).map((m) => m.key);

test('the weekly digest is written at Monday 08:00 Stockholm time, before and after the change to summer time', async () => {
  const c = await subscribed(new Date('2026-01-01T00:00:00Z'), { deadlines: [] });
  await c.pass(new Date('2026-03-23T06:59:00Z')); // 07:59 winter time
  expect(await digests(c)).toEqual([]);
  await c.pass(new Date('2026-03-23T07:00:30Z'));
  await c.pass(new Date('2026-03-30T05:59:00Z')); // 07:59 summer time
  expect(await digests(c)).toEqual(['digest:2026-03-23T07:00:00.000Z']);
  await c.pass(new Date('2026-03-30T06:00:30Z'));
  await c.pass(new Date('2026-03-30T06:01:30Z'));
  expect(await digests(c)).toEqual(['digest:2026-03-23T07:00:00.000Z', 'digest:2026-03-30T06:00:00.000Z']);
  expect((await c.outbox())[0].text).toContain('Sammanfattning: tidsfrister');
});

describe('reminders 30, 7 and 1 days before a dated deadline', () => {
  test('wait for 08:00 Stockholm on their day', async () => {
    const c = await subscribed(at('2027-01-01', '12:00'));
    await c.pass(at('2027-03-01', '07:59'));
    expect(await reminders(c)).toEqual([]);
    await c.pass(at('2027-03-01', '08:00'));
    await c.pass(at('2027-03-01', '15:00'));
    expect(await reminders(c)).toEqual([{ key: 'reminder:remiss:30', text: 'Påminnelse: "Regionens remissvar" om 30 dagar, 31 mars 2027. Till länsstyrelsen.' }]);
  });

  test('with DIGEST_CRON they do not wait for the morning', async () => {
    const c = await subscribed(at('2027-01-01', '12:00'), { pattern: '0 * * * *' });
    await c.pass(at('2027-03-01', '06:30'));
    expect((await reminders(c)).map((r) => r.key)).toEqual(['reminder:remiss:30']);
  });

  test('each once, on its day', async () => {
    const c = await subscribed(at('2027-01-01', '12:00'));
    for (const day of ['2027-03-01', '2027-03-02', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-30', '2027-03-31']) {
      await c.pass(at(day, '08:00'));
      await c.pass(at(day, '20:00'));
    }
    expect(await reminders(c)).toEqual([
      { key: 'reminder:remiss:30', text: expect.stringContaining('om 30 dagar') },
      { key: 'reminder:remiss:7', text: expect.stringContaining('om 7 dagar') },
      { key: 'reminder:remiss:1', text: expect.stringContaining('i morgon') },
    ]);
  });

  test('one missed while the bot was down comes on the next pass, late and saying so; never several', async () => {
    const c = await subscribed(at('2027-01-01', '12:00'));
    // Down from before the 30-day mark (1 March) until after the 7-day mark (24 March): only the latest, once.
    await c.pass(at('2027-03-26', '09:15'));
    await c.pass(at('2027-03-26', '09:16'));
    await c.pass(at('2027-03-28', '08:00'));
    expect(await reminders(c)).toEqual([{ key: 'reminder:remiss:7', text: 'Påminnelse: "Regionens remissvar" om 5 dagar, 31 mars 2027. Till länsstyrelsen.' }]);
    // Down over the 1-day mark too: on the deadline's own day it is too late for a reminder.
    await c.pass(at('2027-03-31', '08:00'));
    expect(await reminders(c)).toHaveLength(1);
  });

  test('a missed one waits for 08:00 like any other', async () => {
    const c = await subscribed(at('2027-01-01', '12:00'));
    await c.pass(at('2027-03-03', '06:00'));
    expect(await reminders(c)).toEqual([]);
    await c.pass(at('2027-03-03', '08:00'));
    expect(await reminders(c)).toEqual([{ key: 'reminder:remiss:30', text: expect.stringContaining('om 28 dagar') }]);
  });

  test('none for a mark whose day came before the subscription', async () => {
    const c = await subscribed(at('2027-03-10', '10:00'));
    await c.pass(at('2027-03-10', '10:01'));
    expect(await reminders(c)).toEqual([]);
    await c.pass(at('2027-03-24', '08:00'));
    expect((await reminders(c)).map((r) => r.key)).toEqual(['reminder:remiss:7']);
  });

  test('none for a mark whose day came before an own deadline was added', async () => {
    const own: Deadline = { ...remiss, key: 'own-1', own: { id: 1, authorAad: 'aad-planner', addedOn: '2027-03-20' } };
    const d = await subscribed(at('2027-01-01', '12:00'), { deadlines: [own] });
    await d.pass(at('2027-03-20', '08:00'));
    expect(await reminders(d)).toEqual([]);
    await d.pass(at('2027-03-24', '08:00'));
    expect((await reminders(d)).map((r) => r.key)).toEqual(['reminder:own-1:7']);
  });
});

test("one conversation's failure does not stop the pass for the others", async () => {
  const since = new Date('2026-01-01T00:00:00Z');
  class BrokenFor extends DigestStore {
    broken = new Set<string>();
    override async ownDeadlines(conversationId: string) {
      if (this.broken.has(conversationId)) throw new Error('the database hiccuped');
      return super.ownDeadlines(conversationId);
    }
  }
  const store = new BrokenFor(db);
  const first = await subscribed(since, { store });
  const second = await subscribed(since, { store });
  store.broken.add(first.conversationId);
  await second.pass(new Date('2026-03-30T06:00:30Z'));
  expect(await digests(first)).toEqual([]);
  expect(await digests(second)).toEqual(['digest:2026-03-30T06:00:00.000Z']);
  // Mended, the next pass catches up on it.
  store.broken.clear();
  await second.pass(new Date('2026-03-30T06:01:30Z'));
  expect(await digests(first)).toEqual(['digest:2026-03-30T06:00:00.000Z']);
});
