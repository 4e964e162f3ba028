import type { OutboxStore } from '../outbox/outbox-store';
import { stockholmDay } from '../stockholm';
import { REMINDER_KEY_PREFIX, reminderNotice } from './workshop-notices';
import type { WorkshopStore } from './workshop-store';

/**
 * The day before a workshop each registered person gets a personal reminder: written to the outbox
 * under a key of workshop and person, so it goes once and a failed send is tried again, not lost.
 * Returns how many were written; the caller kicks the outbox.
 */
export async function queueWorkshopReminders(workshops: WorkshopStore, outbox: OutboxStore, now = new Date()): Promise<number> {
  let written = 0;
  for (const { workshop, person } of await workshops.dueForReminder(stockholmDay(now, 1), REMINDER_KEY_PREFIX)) {
    if (await outbox.enqueue(reminderNotice(workshop, person))) written++;
  }
  return written;
}
