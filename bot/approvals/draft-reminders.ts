import type { Logger } from '../logger';
import type { Messenger } from '../teams/messenger';
import { currentRevision } from './draft-rules';
import { stockholmDay, swedishDate } from '../stockholm';
import type { DraftStore } from './draft-store';


/**
 * The day before a draft's due date, its pending approvers are reminded in the draft's conversation.
 * Each reminder is claimed in the database first, so restarts and several instances send it once.
 */
export async function sendDueReminders(drafts: DraftStore, messenger: Messenger, logger: Logger, now = new Date()): Promise<number> {
  const tomorrow = stockholmDay(now, 1);
  let sent = 0;
  for (const draft of await drafts.dueWithoutReminder(tomorrow)) {
    const revision = currentRevision(draft);
    const waiting = revision.approvers.filter((a) => !a.decision);
    if (waiting.length === 0 || !(await drafts.claimReminder(draft.id, revision.revision))) continue;
    const text =
      `Påminnelse: sista dag för beslut om utkast #${draft.id} "${revision.title}" är i morgon, ${swedishDate(tomorrow)}. ` +
      `Väntar på: ${waiting.map((a) => a.name).join(', ')}.`;
    try {
      await messenger.send(draft.conversationId, { text });
      sent++;
    } catch (err) {
      logger.warn({ err, draftId: draft.id }, 'could not send a due-date reminder');
    }
  }
  return sent;
}
