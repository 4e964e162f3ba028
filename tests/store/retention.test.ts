import { openDatabase, type Database } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { UnansweredStore } from '../../bot/qa/unanswered-store';
import { ActivityLedger } from '../../bot/store/activity-ledger';
import { tempDir } from '../helpers/bot';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ DATA_DIR: tempDir() });
  await migrate(db);
});
afterAll(() => db.close());

test('people’s unanswered questions are deleted after the retention period; records of decisions stay', async () => {
  const store = new UnansweredStore(db);
  await store.record('en gammal fråga', 'c1');
  await store.record('en ny fråga', 'c1');
  await db.query("UPDATE unanswered_questions SET asked_at = now() - interval '91 days' WHERE question = 'en gammal fråga'");
  await db.query(
    `INSERT INTO drafts (form_id, conversation_id, author_aad, author_teams_id, author_name, rule, status, created_at)
     VALUES ('old', 'c1', 'a', '29:a', 'A', 'all', 'approved', now() - interval '400 days')`,
  );
  expect(await store.forgetOlderThan(90)).toBe(1);
  expect((await store.mostFrequent()).map((q) => q.question)).toEqual(['en ny fråga']);
  expect(await db.query("SELECT 1 FROM drafts WHERE form_id = 'old'")).toHaveLength(1);
});

test('handled activity ids are forgotten after a week', async () => {
  const ledger = new ActivityLedger(db);
  await ledger.claim('c', 'old-activity');
  await ledger.claim('c', 'new-activity');
  await ledger.flush();
  await db.query("UPDATE handled_activities SET handled_at = now() - interval '8 days' WHERE activity_id = 'old-activity'");
  expect(await ledger.forgetOlderThan(7)).toBe(1);
  expect(await ledger.claim('c', 'new-activity')).toBe(false);
});
