import { openDatabase, type Database } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { ActivityLedger } from '../../bot/store/activity-ledger';
import { tempDir } from '../helpers/bot';
import { sleep, until } from '../helpers/wait';

// On PGlite the process decides claims from memory and writes them to the database behind
// (bot/store/activity-ledger.ts); what is written must still catch redeliveries after a restart.

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ DATA_DIR: tempDir() });
  await migrate(db);
});
afterAll(() => db.close());

const stored = async (activityId: string) => (await db.query('SELECT 1 FROM handled_activities WHERE activity_id = $1', [activityId])).length;

test('a claim reaches the database by itself soon after (every tenth of a second), and at once when the ledger closes', async () => {
  const ledger = new ActivityLedger(db);
  expect(await ledger.claim('c', 'written-behind')).toBe(true);
  await until(async () => (await stored('written-behind')) === 1, 3000);
  expect(await stored('written-behind')).toBe(1);
  expect(await ledger.claim('c', 'written-at-close')).toBe(true);
  await ledger.close();
  expect(await stored('written-at-close')).toBe(1);
});

test('after a restart, activities handled before it are still redeliveries; new ones are not', async () => {
  const before = new ActivityLedger(db);
  await before.claim('c', 'before-restart');
  await before.close();
  const after = new ActivityLedger(db);
  expect(await after.claim('c', 'before-restart')).toBe(false);
  expect(await after.claim('c', 'after-restart')).toBe(true);
  expect(await after.claim('c', 'after-restart')).toBe(false);
  await after.close();
});

test('claims the database refused to take are written with the next write, and the failure is reported once', async () => {
  let refuse = true;
  let refuseSlowly: ((err: Error) => void) | undefined;
  const failures: unknown[] = [];
  const flaky: Database = {
    ...db,
    kind: 'pglite',
    query: (sql, params) => {
      if (!refuse || !sql.includes('claim_activities')) return db.query(sql, params);
      if (params?.[1] && (params[1] as string[]).includes('released-during-write')) return new Promise((_, reject) => (refuseSlowly = reject));
      return Promise.reject(new Error('disk full'));
    },
  } as Database;
  const ledger = new ActivityLedger(flaky, (err) => failures.push(err));
  await ledger.claim('c', 'refused-once');
  await expect(ledger.flush()).rejects.toThrow('disk full');
  expect(await stored('refused-once')).toBe(0);
  await until(() => failures.length > 0, 3000); // the background write failed too, and said so
  await sleep(350); // and failed three times more, without saying so again
  expect(failures).toHaveLength(1);
  // A claim released while the write that holds it is on its way is not written when that write fails.
  await ledger.claim('c', 'released-during-write');
  const writing = ledger.flush();
  await until(() => refuseSlowly !== undefined, 3000);
  await ledger.release('c', 'released-during-write');
  refuseSlowly!(new Error('disk full'));
  await expect(writing).rejects.toThrow('disk full');
  refuse = false;
  await ledger.flush();
  expect(await stored('refused-once')).toBe(1);
  expect(await stored('released-during-write')).toBe(0);
  expect(await ledger.claim('c', 'refused-once')).toBe(false);
  expect(await ledger.claim('c', 'released-during-write')).toBe(true);
  await ledger.close();
});

test('a released claim lets the redelivery run, also before it was written', async () => {
  const ledger = new ActivityLedger(db);
  await ledger.claim('c', 'released');
  await ledger.release('c', 'released');
  await ledger.flush();
  expect(await stored('released')).toBe(0);
  expect(await ledger.claim('c', 'released')).toBe(true);
  await ledger.close();
});

test('it remembers at most so many claims, the latest, also after a restart; the database keeps them all', async () => {
  const ledger = new ActivityLedger(db, undefined, 3);
  for (const id of ['m1', 'm2', 'm3', 'm4']) {
    expect(await ledger.claim('capped', id)).toBe(true);
    await ledger.flush(); // one write each: the database orders them by when they were handled
  }
  expect(await ledger.claim('capped', 'm4')).toBe(false);
  expect(await ledger.claim('capped', 'm2')).toBe(false);
  // m1, the oldest of four, is no longer remembered: its redelivery would run again (the trade made for memory).
  expect(await ledger.claim('capped', 'm1')).toBe(true);
  await ledger.close();
  for (const id of ['m1', 'm2', 'm3', 'm4']) expect(await stored(id)).toBe(1);
  const restarted = new ActivityLedger(db, undefined, 3);
  expect(await restarted.claim('capped', 'm4')).toBe(false);
  expect(await restarted.claim('capped', 'm2')).toBe(false);
  await restarted.close();
});
