import type { Logger } from '../logger';
import type { OutboxStore } from '../outbox/outbox-store';
import { REMINDER_HOUR, stockholmDay, stockholmHour } from '../stockholm';
import type { OutgoingMessage } from '../teams/turn';
import { coming, type Deadline } from './deadlines';
import { digestMessage, reminderMessage } from './digest-cards';
import type { DigestStore, Subscription } from './digest-store';
import { dueReminder } from './reminders';
import { DEFAULT_PATTERNS, dueSlot } from './schedule';

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
 * One conversation's failure is logged and the others still get theirs.
 */
export async function runDigests(deps: DigestRunnerDependencies, now: Date): Promise<void> {
  for (const sub of await deps.store.subscriptions()) {
    await runFor(deps, sub, now).catch((err) => deps.logger.error({ err, conversationId: sub.conversationId }, 'digests for a conversation failed; the next pass tries again'));
  }
}

async function runFor(deps: DigestRunnerDependencies, sub: Subscription, now: Date): Promise<void> {
  const day = stockholmDay(now);
  const all = coming([...deps.deadlines, ...(await deps.store.ownDeadlines(sub.conversationId))], day);
  const slot = dueSlot(deps.pattern ?? DEFAULT_PATTERNS[sub.cadence], now, sub.subscribedAt);
  if (slot) await deliver(deps, sub.conversationId, `digest:${slot.toISOString()}`, () => digestMessage(all, day));
  // With DIGEST_CRON (tests, demos) reminders do not wait for the morning either.
  if (!deps.pattern && stockholmHour(now) < REMINDER_HOUR) return;
  const subscribedOn = stockholmDay(sub.subscribedAt);
  for (const d of all) {
    const since = d.own && d.own.addedOn > subscribedOn ? d.own.addedOn : subscribedOn;
    const due = dueReminder(d.when, day, since);
    if (due) await deliver(deps, sub.conversationId, `reminder:${d.key}:${due.mark}`, () => reminderMessage(d, due.days));
  }
}

async function deliver(deps: DigestRunnerDependencies, conversationId: string, slot: string, message: () => OutgoingMessage): Promise<void> {
  if (await deps.outbox.enqueue({ key: `${slot}@${conversationId}`, conversationId, message: message() })) {
    deps.logger.info({ conversationId, slot }, 'scheduled message written to the outbox');
  }
}
