/** Dates as people in Sweden read them: every feature's days and times are Stockholm's. */

export const ZONE = 'Europe/Stockholm';
const DAY_MS = 86_400_000;

/** The calendar day in Stockholm `plusDays` after `at`, as YYYY-MM-DD. */
export const stockholmDay = (at: Date, plusDays = 0) => new Date(at.getTime() + plusDays * DAY_MS).toLocaleDateString('sv-SE', { timeZone: ZONE });

/** The hour of the day in Stockholm (0–23). */
export const stockholmHour = (at: Date) => Number(at.toLocaleTimeString('sv-SE', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' }));

/** "15 december 2026" for a YYYY-MM-DD day. */
export const swedishDate = (isoDate: string) =>
  new Date(`${isoDate}T12:00:00Z`).toLocaleDateString('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE });

/** "2026-12-15 09:30", for records. */
export const swedishStamp = (at: Date) => at.toLocaleString('sv-SE', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short' });

/** "tisdag 1 december 2026 kl. 09:00" */
export function swedishWhen(at: Date): string {
  const day = at.toLocaleDateString('sv-SE', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const time = at.toLocaleTimeString('sv-SE', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });
  return `${day} kl. ${time}`;
}
