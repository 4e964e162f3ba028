import { addDays } from '../stockholm';
import { daysUntil, type When } from './deadline-dates';

/** Days before a dated deadline that a subscribed conversation is reminded, the last mark first. */
const REMINDER_DAYS = [1, 7, 30];

interface DueReminder {
  /** The mark it is sent once under: 30, 7 or 1. */
  mark: number;
  /** Days actually left, which the message says (a late reminder says so truthfully). */
  days: number;
}

/**
 * The reminder a dated deadline is due on `today`: the latest mark reached while the deadline is
 * still ahead. A reminder missed while the bot was down thus comes late, once, and an older missed
 * one never; a mark whose day came before `since` (the subscription, or the deadline itself, did not
 * exist yet) is not due.
 */
export function dueReminder(when: When, today: string, since: string): DueReminder | undefined {
  if (when.kind !== 'day') return undefined;
  const days = daysUntil(when, today);
  if (days < 1) return undefined;
  const mark = REMINDER_DAYS.find((m) => m >= days);
  if (mark === undefined || addDays(when.date, -mark) < since) return undefined;
  return { mark, days };
}
