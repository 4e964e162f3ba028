import { ZONE } from '../stockholm';
import { Cron } from 'croner';
import type { Cadence } from './digest-store';

/** Monday 08:00 and every day 08:00, Stockholm time, summer and winter alike. */
export const DEFAULT_PATTERNS: Record<Cadence, string> = { weekly: '0 8 * * 1', daily: '0 8 * * *' };
/** A missed digest is sent late, once, if the bot comes back within this long. */
const CATCH_UP_MS = 24 * 3_600_000;

export function isValidPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true, timezone: ZONE }).stop();
    return true;
  } catch {
    return false;
  }
}

/**
 * The scheduled moment a digest is due for now: the latest one at or before `now`, provided it is
 * not older than the subscription and not older than the catch-up window. After downtime this is
 * the one latest missed moment, never every missed one.
 */
export function dueSlot(pattern: string, now: Date, since: Date): Date | undefined {
  const cron = new Cron(pattern, { paused: true, timezone: ZONE });
  const [latest] = cron.previousRuns(1, new Date(now.getTime() + 1));
  cron.stop();
  if (!latest || latest < since || now.getTime() - latest.getTime() > CATCH_UP_MS) return undefined;
  return latest;
}

/** The next moment of a schedule after `from`, for telling people when their digest comes. */
export function nextSlot(pattern: string, from: Date): Date | undefined {
  const cron = new Cron(pattern, { paused: true, timezone: ZONE });
  const next = cron.nextRun(from) ?? undefined;
  cron.stop();
  return next;
}
