import type { Database } from '../../bot/store/database';
import { migrate, readMigrations } from '../../bot/store/migrate';
import { DatabaseStateStorage } from '../../bot/store/state-storage';
import { ActivityLedger } from '../../bot/store/activity-ledger';
import { ConversationStore } from '../../bot/store/conversation-store';
import { backends, postgres } from '../helpers/backends';

describe.each(backends)('storage on $name', (backend) => {
  let db: Database;
  let reopen: () => Promise<Database>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ db, reopen, cleanup } = await backend.open());
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  test('migrations are applied once each, in order, and recorded', async () => {
    const recorded = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY applied_at, id');
    expect(recorded.map((r) => r.id)).toEqual(readMigrations().map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
  });

  test('a failing migration is rolled back and not recorded; the next start retries it', async () => {
    const bad = { id: '999_broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' };
    await expect(migrate(db, [bad])).rejects.toThrow();
    expect(await db.query("SELECT 1 FROM schema_migrations WHERE id = '999_broken'")).toHaveLength(0);
    expect(await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toHaveLength(0);
  });

  // Several instances share a PostgreSQL server; PGlite's folder belongs to one process.
  (backend === postgres ? test : test.skip)('instances migrating at the same time apply each migration once', async () => {
    const second = await reopen();
    try {
      const extra = [{ id: '900_test_concurrent', sql: 'CREATE TABLE concurrent_probe (id int PRIMARY KEY);' }];
      const results = await Promise.all([migrate(db, extra), migrate(second, extra)]);
      expect(results.flat()).toEqual(['900_test_concurrent']);
    } finally {
      await second.close();
    }
  });

  test('a transaction that throws leaves nothing behind', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('rolled-back')");
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await db.query("SELECT 1 FROM greeted_conversations WHERE conversation_id = 'rolled-back'")).toHaveLength(0);
  });

  describe('botbuilder Storage', () => {
    let storage: DatabaseStateStorage;
    beforeAll(() => (storage = new DatabaseStateStorage(db)));

    test('writes, reads with an eTag, and deletes', async () => {
      await storage.write({ 'a/conversation': { count: 1, nested: { list: [1, 2] } } });
      const read = await storage.read(['a/conversation', 'missing']);
      expect(read['a/conversation']).toMatchObject({ count: 1, nested: { list: [1, 2] } });
      expect(typeof read['a/conversation'].eTag).toBe('string');
      expect(read.missing).toBeUndefined();
      await storage.delete(['a/conversation']);
      expect(await storage.read(['a/conversation'])).toEqual({});
    });

    test('a write with a stale eTag is rejected and changes nothing', async () => {
      await storage.write({ k: { v: 'first' } });
      const { k } = await storage.read(['k']);
      await storage.write({ k: { ...k, v: 'second' } });
      await expect(storage.write({ k: { ...k, v: 'stale' } })).rejects.toThrow(/eTag conflict/);
      expect((await storage.read(['k'])).k.v).toBe('second');
    });

    test('of two writers holding the same eTag exactly one wins', async () => {
      await storage.write({ race: { v: 0 } });
      const { race } = await storage.read(['race']);
      const results = await Promise.allSettled([1, 2, 3, 4].map((v) => storage.write({ race: { ...race, v } })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    test("'*' and a missing eTag overwrite", async () => {
      await storage.write({ star: { v: 1 } });
      await storage.write({ star: { v: 2, eTag: '*' } });
      await storage.write({ star: { v: 3 } });
      expect((await storage.read(['star'])).star.v).toBe(3);
    });

    test('each read gives the eTag that the next write must carry, as often as it is written', async () => {
      await storage.write({ chain: { v: 1 } });
      const first = (await storage.read(['chain'])).chain;
      await storage.write({ chain: { ...first, v: 2 } });
      const second = (await storage.read(['chain'])).chain;
      expect(second.eTag).not.toBe(first.eTag);
      await expect(storage.write({ chain: { ...first, v: 'stale' } })).rejects.toThrow(/eTag conflict/);
      await storage.write({ chain: { ...second, v: 3 } });
      const third = (await storage.read(['chain'])).chain;
      expect(third).toMatchObject({ v: 3 });
      // What a read hands out is the caller's own: changing it changes nothing stored.
      third.v = 'changed in memory';
      expect((await storage.read(['chain'])).chain.v).toBe(3);
    });

    test('two storages over one database see each other\'s writes and deletes', async () => {
      const other = new DatabaseStateStorage(db);
      expect(await other.read(['shared'])).toEqual({});
      await storage.write({ shared: { by: 'first' } });
      expect((await other.read(['shared'])).shared.by).toBe('first');
      const { shared } = await other.read(['shared']);
      await other.write({ shared: { ...shared, by: 'other' } });
      expect((await storage.read(['shared'])).shared.by).toBe('other');
      await other.delete(['shared']);
      expect(await storage.read(['shared'])).toEqual({});
    });

    test('arguments are checked at the boundary', async () => {
      await expect(storage.read('k' as unknown as string[])).rejects.toThrow(/keys must be an array/);
    });
  });

  test('an activity id is claimed once, even by concurrent deliveries', async () => {
    const ledger = new ActivityLedger(db);
    const claims = await Promise.all([1, 2, 3, 4, 5].map(() => ledger.claim('conv', 'activity-1')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await ledger.release('conv', 'activity-1');
    expect(await ledger.claim('conv', 'activity-1')).toBe(true);
  });

  test('a conversation reference is written when the conversation changes, not when another person speaks', async () => {
    const conversations = new ConversationStore(db);
    const reference = (user: string, serviceUrl = 'https://smba.example/emea/') => ({
      activityId: `activity-${user}`,
      user: { id: `29:${user}`, name: user },
      bot: { id: '28:bot', name: 'Planeringsboten' },
      conversation: { id: '19:channel@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' },
      channelId: 'msteams',
      serviceUrl,
    });
    const stored = async () =>
      (await db.query<{ reference: Record<string, any>; updated_at: Date }>('SELECT reference, updated_at FROM conversation_references WHERE conversation_id = $1', ['19:channel@thread.tacv2']))[0];

    await conversations.saveReference(reference('anna'));
    const first = await stored();
    expect(first.reference).toEqual({ bot: { id: '28:bot', name: 'Planeringsboten' }, conversation: reference('anna').conversation, channelId: 'msteams', serviceUrl: 'https://smba.example/emea/' });
    await new Promise((r) => setTimeout(r, 20));
    await conversations.saveReference(reference('bertil'));
    expect((await stored()).updated_at).toEqual(first.updated_at);
    await conversations.saveReference(reference('bertil', 'https://smba.example/emea2/'));
    const moved = await stored();
    expect(moved.reference.serviceUrl).toBe('https://smba.example/emea2/');
    expect(moved.updated_at.getTime()).toBeGreaterThan(first.updated_at.getTime());
  });

  test('what was committed is there after the database is closed and opened again', async () => {
    await new DatabaseStateStorage(db).write({ durable: { v: 'kept' } });
    await db.close();
    db = await reopen();
    expect((await new DatabaseStateStorage(db).read(['durable'])).durable.v).toBe('kept');
    expect(await migrate(db)).toEqual([]);
  });
});
