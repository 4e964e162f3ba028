import type { OutboxStore } from '../outbox/outbox-store';
import { stockholmDay } from '../stockholm';
import { dueReminder } from './draft-notices';
import { currentRevision } from './draft-rules';
import type { DraftStore } from './draft-store';

/**
 * The day before a draft's due date each approver who has not decided gets a personal reminder.
 * The outbox makes each one once (its key names draft, revision and approver), whichever pass or
 * instance writes it first; the outbox sends it through the rate-limited queue. Returns how many were new.
 */
export async function queueDueReminders(drafts: DraftStore, outbox: OutboxStore, now: Date): Promise<number> {
  let queued = 0;
  for (const draft of await drafts.pendingDueOn(stockholmDay(now, 1))) {
    for (const approver of currentRevision(draft).approvers) {
      // Every approver is a member with a Teams id (the form refuses others); only a decision leaves one out.
      if (approver.decision || !approver.teamsId) continue;
      if (await outbox.enqueue(dueReminder(draft, { ...approver, teamsId: approver.teamsId }))) queued++;
    }
  }
  return queued;
}
