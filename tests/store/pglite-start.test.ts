import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Database } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { seedDir } from '../../bot/store/pglite-seed';
import { pglite } from '../helpers/backends';
import { tempDir } from '../helpers/bot';

// The test run's `npm run build` (global setup) makes the seed, as it does for `npm start`.
test('the build leaves a seed cluster for the installed PGlite version', () => {
  const manifest = path.join(__dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const version = JSON.parse(readFileSync(manifest, 'utf8')).version;
  expect(path.basename(seedDir)).toBe(version);
  expect(existsSync(path.join(seedDir, 'PG_VERSION'))).toBe(true);
});

test('a new data folder starts from a copy of the seed, with small shared buffers, and keeps its data', async () => {
  const DATA_DIR = tempDir();
  const db = await openDatabase({ DATA_DIR });
  try {
    expect(existsSync(path.join(DATA_DIR, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '4MB' }]);
    await migrate(db);
    await db.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('kept')");
  } finally {
    await db.close();
  }
  // A folder that holds a cluster is never seeded again: its data stays.
  writeFileSync(path.join(DATA_DIR, 'pglite', 'marker'), 'ours');
  const again = await openDatabase({ DATA_DIR });
  try {
    expect(await again.query('SELECT conversation_id FROM greeted_conversations')).toEqual([{ conversation_id: 'kept' }]);
    expect(readFileSync(path.join(DATA_DIR, 'pglite', 'marker'), 'utf8')).toBe('ours');
  } finally {
    await again.close();
  }
});

describe('PGlite in its own thread', () => {
  let db: Database;
  beforeAll(async () => {
    ({ db } = await pglite.open());
    await migrate(db);
  });
  afterAll(() => db.close());

  test('values come back as PGlite gives them: dates, JSON, numbers', async () => {
    const [row] = await db.query<{ at: Date; doc: { list: number[] }; n: number; none: null }>(
      "SELECT timestamptz '2027-02-01 09:00+01' AS at, $1::jsonb AS doc, 42 AS n, NULL AS none",
      [JSON.stringify({ list: [1, 2] })],
    );
    // A Date of the main thread's realm (jest's sandbox has its own Date, so no toBeInstanceOf here).
    expect(Object.prototype.toString.call(row.at)).toBe('[object Date]');
    expect(row.at.toISOString()).toBe('2027-02-01T08:00:00.000Z');
    expect(row).toMatchObject({ doc: { list: [1, 2] }, n: 42, none: null });
  });

  test("PostgreSQL's error keeps its code and constraint, and its stack names the statement's caller", async function insertTwice() {
    await db.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('twice')");
    const err = await db.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('twice')").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'greeted_conversations_pkey', message: expect.stringMatching(/duplicate key/) });
    expect((err as Error).stack).toContain('insertTwice');
  });

  test('a statement outside a transaction waits until it ends, as on one connection', async () => {
    const { outside, inside } = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('in-transaction')");
      const waiting = db.query("SELECT 1 FROM greeted_conversations WHERE conversation_id = 'in-transaction'");
      const seen = await tx.query("SELECT 1 FROM greeted_conversations WHERE conversation_id = 'in-transaction'");
      return { outside: waiting, inside: seen };
    });
    expect(inside).toHaveLength(1);
    // Issued before the commit, answered after it: it sees the row.
    expect(await outside).toHaveLength(1);
  });

  test('a transaction that throws is rolled back and its error reaches the caller', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('undone')");
        await tx.query('SELECT no_such_column FROM greeted_conversations');
      }),
    ).rejects.toThrow(/no_such_column/);
    expect(await db.query("SELECT 1 FROM greeted_conversations WHERE conversation_id = 'undone'")).toHaveLength(0);
    // The connection is free again.
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  test('after close every call fails at once instead of waiting', async () => {
    const closing = await openDatabase({ DATA_DIR: tempDir() });
    await closing.close();
    await expect(closing.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
