/**
 * Dates as precise as their source: a day, a month, a year, a season or a turn of the year.
 * Each becomes a period [start, end] in Stockholm days, for ordering and for "days left".
 */

export type When =
  | { kind: 'day'; date: string }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'year'; year: number }
  | { kind: 'season'; year: number; season: Season }
  | { kind: 'turn'; from: number };

export type Season = 'vår' | 'sommar' | 'höst' | 'vinter';

export const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const SEASON_MONTHS: Record<Season, [number, number]> = { vår: [3, 5], sommar: [6, 8], höst: [9, 11], vinter: [12, 12] };
const SEASON_NAME: Record<Season, string> = { vår: 'våren', sommar: 'sommaren', höst: 'hösten', vinter: 'vintern' };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The first and last day the date can mean, as YYYY-MM-DD. "Vintern 2028" is read as the end of 2028, after its February. */
export function period(when: When): { start: string; end: string } {
  switch (when.kind) {
    case 'day':
      return { start: when.date, end: when.date };
    case 'month':
      return { start: `${when.year}-${pad(when.month)}-01`, end: `${when.year}-${pad(when.month)}-${lastDay(when.year, when.month)}` };
    case 'year':
      return { start: `${when.year}-01-01`, end: `${when.year}-12-31` };
    case 'season': {
      const [from, to] = SEASON_MONTHS[when.season];
      return { start: `${when.year}-${pad(from)}-01`, end: `${when.year}-${pad(to)}-${lastDay(when.year, to)}` };
    }
    case 'turn':
      return { start: `${when.from}-12-31`, end: `${when.from + 1}-01-01` };
  }
}

/** As people write it: "8 oktober 2025", "februari 2027", "2026", "vintern 2028", "årsskiftet 2026/2027". */
export function label(when: When): string {
  switch (when.kind) {
    case 'day': {
      const [y, m, d] = when.date.split('-').map(Number);
      return `${d} ${MONTHS[m - 1]} ${y}`;
    }
    case 'month':
      return `${MONTHS[when.month - 1]} ${when.year}`;
    case 'year':
      return String(when.year);
    case 'season':
      return `${SEASON_NAME[when.season]} ${when.year}`;
    case 'turn':
      return `årsskiftet ${when.from}/${when.from + 1}`;
  }
}

const dayNumber = (isoDate: string) => Date.UTC(+isoDate.slice(0, 4), +isoDate.slice(5, 7) - 1, +isoDate.slice(8, 10)) / 86_400_000;

/** Whole days from `today` to the date's first day (0 while it is under way, negative once it has passed). */
export function daysUntil(when: When, today: string): number {
  const { start, end } = period(when);
  if (today > end) return dayNumber(end) - dayNumber(today);
  return Math.max(0, dayNumber(start) - dayNumber(today));
}

/** "i dag", "i morgon", "om 12 dagar", "pågår", "om ca 3 månader": exact only where the date is. */
export function timeLeft(when: When, today: string): string {
  const days = daysUntil(when, today);
  const { start } = period(when);
  if (days === 0) return when.kind === 'day' ? 'i dag' : today >= start ? 'pågår nu' : 'i dag';
  if (days === 1 && when.kind === 'day') return 'i morgon';
  if (when.kind === 'day') return `om ${days} dagar`;
  return days < 60 ? `om ca ${days} dagar` : `om ca ${Math.round(days / 30.4)} månader`;
}
