/** Dates as people in Sweden read them: every feature's days and times are Stockholm's. */

export const ZONE = 'Europe/Stockholm';

/** Reminders go out from this hour (Stockholm) on their day, like the digests: never in the night. */
export const REMINDER_HOUR = 8;

/** A YYYY-MM-DD that names a real day (not 2026-02-30, which Date.parse would take for 2 March). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return day.getUTCFullYear() === +m[1] && day.getUTCMonth() === +m[2] - 1 && day.getUTCDate() === +m[3];
}

/** The day `days` calendar days after a YYYY-MM-DD day: counted in days, so a 23- or 25-hour day changes nothing. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// Made once: a formatter is costly to make, and toLocaleString makes a new one at every call.
const format = (locale: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: ZONE, ...options });
const DAY = format('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit' });
const PARTS = format('en-GB', { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const HOUR = format('sv-SE', { hour: '2-digit', hourCycle: 'h23' });
const SWEDISH_DATE = format('sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });
const STAMP = format('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
const WEEKDAY_DATE = format('sv-SE', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const TIME = format('sv-SE', { hour: '2-digit', minute: '2-digit' });

/** The calendar day in Stockholm `plusDays` days after the day of `at`, as YYYY-MM-DD. */
export const stockholmDay = (at: Date, plusDays = 0) => addDays(DAY.format(at), plusDays);

/** The UTC instant of a wall-clock date and time in Stockholm (summer or winter time alike). */
export function stockholmToUtc(date: string, time: string): Date {
  const naive = new Date(`${date}T${time}:00Z`);
  // The offset at that instant, read back from the zone; twice, so a change of offset in between is caught.
  let guess = naive.getTime();
  for (let i = 0; i < 2; i++) guess = naive.getTime() - offsetMs(new Date(guess));
  return new Date(guess);
}

function offsetMs(at: Date): number {
  const parts = Object.fromEntries(PARTS.formatToParts(at).map((p) => [p.type, p.value]));
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** The hour of the day in Stockholm (0–23). */
export const stockholmHour = (at: Date) => Number(HOUR.format(at));

/** "15 december 2026" for a YYYY-MM-DD day. */
export const swedishDate = (isoDate: string) => SWEDISH_DATE.format(new Date(`${isoDate}T12:00:00Z`));

/** "2026-12-15 09:30", for records. */
export const swedishStamp = (at: Date) => STAMP.format(at);

/** "tisdag 1 december 2026 kl. 09:00" */
export function swedishWhen(at: Date): string {
  return `${WEEKDAY_DATE.format(at)} kl. ${TIME.format(at)}`;
}
