import type { OutboxItem } from '../outbox/outbox-store';
import { swedishWhen } from '../stockholm';
import type { Registration, Workshop } from './workshop-rules';

/** What the bot tells people about a workshop on its own, as outbox items: each key is written once. */

export const REMINDER_KEY_PREFIX = 'workshop-reminder:';

/** The day-before reminder: once per workshop and person. */
export function reminderNotice(w: Workshop, person: Registration): OutboxItem {
  return {
    key: `${REMINDER_KEY_PREFIX}${w.id}:${person.aadObjectId}`,
    conversationId: w.conversationId,
    personTeamsId: person.teamsId,
    message: { text: `Påminnelse: i morgon är det "${w.title}", ${swedishWhen(w.startsAt)}, ${w.place}. Du är anmäld (${person.organisation}).` },
  };
}

/** A seat came free and went to this person: once per registration (`seq`), so a later promotion after re-registering is told too. */
export function promotionNotice(w: Workshop, person: Registration): OutboxItem {
  return {
    key: `workshop-promotion:${w.id}:${person.aadObjectId}:${person.seq}`,
    conversationId: w.conversationId,
    personTeamsId: person.teamsId,
    message: { text: `En plats blev ledig: du är nu anmäld till "${w.title}", ${swedishWhen(w.startsAt)}, ${w.place}. Kan du inte komma, avanmäl dig på kortet.` },
  };
}
