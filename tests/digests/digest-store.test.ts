import { DigestStore } from '../../bot/digests/digest-store';
import type { Database } from '../../bot/store/database';
import { migrate, readMigrations } from '../../bot/store/migrate';
import { backends } from '../helpers/backends';

const channel = '19:store@thread.tacv2';
const author = { aadObjectId: 'aad-planner', name: 'Petra Planerare' };

describe.each(backends)('subscriptions and own deadlines on $name', (backend) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let store: DigestStore;

  beforeAll(async () => {
    ({ db, cleanup } = await backend.open());
    // Rows as they were before 009: made in channel threads, deliveries claimed in their own table.
    await migrate(db, readMigrations().filter((m) => m.id < '009'));
    const thread = (n: number) => `${channel};messageid=${n}`;
    const reference = (id: string) => JSON.stringify({ conversation: { id, conversationType: 'channel' }, serviceUrl: 'https://smba.example/' });
    await db.query(`INSERT INTO digest_subscriptions (conversation_id, cadence, subscribed_by, subscribed_at) VALUES ($1, 'daily', 'a', '2026-05-01'), ($2, 'weekly', 'b', '2026-04-01')`, [thread(1), thread(2)]);
    await db.query(`INSERT INTO own_deadlines (form_id, conversation_id, title, due_date, author_aad, author_name) VALUES ('f-1', $1, 'Remissvar', '2027-03-31', 'aad-planner', 'Petra')`, [thread(1)]);
    await db.query(`INSERT INTO conversation_references (conversation_id, conversation_type, reference) VALUES ($1, 'channel', $2)`, [thread(2), reference(thread(2))]);
    await migrate(db);
    store = new DigestStore(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  test("009: a thread's subscription and own deadlines move to its channel, which can then be reached; the claims table is gone", async () => {
    expect((await store.subscriptions()).map((s) => [s.conversationId, s.cadence])).toEqual([[channel, 'weekly']]);
    expect((await store.ownDeadlines(channel)).map((d) => d.title)).toEqual(['Remissvar']);
    const [ref] = await db.query<{ reference: { conversation: { id: string } } }>('SELECT reference FROM conversation_references WHERE conversation_id = $1', [channel]);
    expect(ref.reference.conversation.id).toBe(channel);
    expect(await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'digest_deliveries'`)).toHaveLength(0);
  });

  test('subscribing twice changes the cadence and tells what it was; ending tells whether there was one', async () => {
    const c = '19:store-2@thread.tacv2';
    expect(await store.subscribe(c, 'weekly', 'aad-planner', new Date('2027-01-04T09:00:00Z'))).toBeUndefined();
    expect(await store.subscribe(c, 'daily', 'aad-planner', new Date('2027-02-04T09:00:00Z'))).toBe('weekly');
    expect((await store.subscriptions()).find((s) => s.conversationId === c)?.subscribedAt.toISOString()).toBe('2027-01-04T09:00:00.000Z');
    expect(await store.unsubscribe(c)).toBe('daily');
    expect(await store.unsubscribe(c)).toBeUndefined();
  });

  test('retention: own deadlines go once their day is more than RETENTION_DAYS past; the rest stay', async () => {
    const c = '19:store-3@thread.tacv2';
    const add = (form: string, dueDate: string) => store.addOwnDeadline(form, c, { title: `Frist ${dueDate}`, dueDate }, author, new Date('2026-12-01T10:00:00Z'));
    await add('r-1', '2027-01-19');
    await add('r-2', '2027-01-20');
    await add('r-3', '2027-06-01');
    expect(await store.forgetPassedOwnDeadlines(90, '2027-04-20')).toBe(1);
    expect((await store.ownDeadlines(c)).map((d) => d.title)).toEqual(['Frist 2027-01-20', 'Frist 2027-06-01']);
    expect((await store.ownDeadlines(c))[0].own?.addedOn).toBe('2026-12-01');
  });
});
