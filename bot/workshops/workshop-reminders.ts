import type { Logger } from '../logger';
import type { Messenger } from '../teams/messenger';
import { stockholmDay, swedishWhen } from '../stockholm';
import type { WorkshopStore } from './workshop-store';

/** The day before a workshop each registered person gets a personal reminder, claimed first so it goes once. */
export async function sendWorkshopReminders(workshops: WorkshopStore, messenger: Messenger, logger: Logger, now = new Date()): Promise<number> {
  const tomorrow = stockholmDay(now, 1);
  let sent = 0;
  for (const { workshop, person } of await workshops.dueForReminder(tomorrow)) {
    if (!(await workshops.claimReminder(workshop.id, person.aadObjectId))) continue;
    try {
      await messenger.sendPersonal(workshop.conversationId, person.teamsId, {
        text: `Påminnelse: i morgon är det "${workshop.title}", ${swedishWhen(workshop.startsAt)}, ${workshop.place}. Du är anmäld (${person.organisation}).`,
      });
      sent++;
    } catch (err) {
      logger.warn({ err, workshopId: workshop.id }, 'could not send a workshop reminder');
    }
  }
  return sent;
}
