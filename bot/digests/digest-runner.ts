import type { Logger } from '../logger';
import { daysUntil } from './deadline-dates';
import { coming, type Deadline } from './deadlines';
import { digestMessage, reminderMessage } from './digest-cards';
import type { DigestStore } from './digest-store';
import { DEFAULT_PATTERNS, dueSlot } from './schedule';
import { stockholmDay, stockholmHour } from '../stockholm';
import type { OutboxStore } from '../outbox/outbox-store';

export const REMINDER_DAYS = [30, 7, 1];
/** Reminders go out from this hour (Stockholm) on their day, like the digest. */
const REMINDER_HOUR = 8;

export interface DigestRunnerDependencies {
  store: DigestStore;
  outbox: OutboxStore;
  /** The documents' deadlines. */
  deadlines: Deadline[];
  logger: Logger;
  /** Overrides every subscription's schedule (DIGEST_CRON). */
  pattern?: string;
}


/**
 * One pass over the subscriptions: each digest and reminder that is due is written to the outbox
 * under a key of its conversation and moment, so each goes out once, whatever the restarts and instances.
 */
export async function runDigests(deps: DigestRunnerDependencies, now: Date): Promise<void> {
  const day = stockholmDay(now);
  const hour = stockholmHour(now);
  for (const sub of await deps.store.subscriptions()) {
    const all = coming([...deps.deadlines, ...(await deps.store.ownDeadlines(sub.conversationId))], day);
    const slot = dueSlot(deps.pattern ?? DEFAULT_PATTERNS[sub.cadence], now, sub.subscribedAt);
    if (slot) await deliver(deps, sub.conversationId, `digest:${slot.toISOString()}`, () => digestMessage(all, day));
    if (hour < REMINDER_HOUR && !deps.pattern) continue;
    for (const d of all.filter((x) => x.when.kind === 'day')) {
      const days = daysUntil(d.when, day);
      if (REMINDER_DAYS.includes(days)) await deliver(deps, sub.conversationId, `reminder:${d.key}:${days}`, () => reminderMessage(d, days));
    }
  }
}

async function deliver(deps: DigestRunnerDependencies, conversationId: string, slot: string, message: () => ReturnType<typeof digestMessage>): Promise<void> {
  if (await deps.outbox.enqueue({ key: `${slot}@${conversationId}`, conversationId, message: message() })) {
    deps.logger.info({ conversationId, slot }, 'scheduled message written to the outbox');
  }
}
