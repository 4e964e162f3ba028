/**
 * Dates as precise as their source: a day, a month, a year, a season or a turn of the year.
 * Each becomes the Stockholm days it can mean, for ordering and for "days left".
 */

export type When =
  | { kind: 'day'; date: string }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'year'; year: number }
  | { kind: 'season'; year: number; season: Season }
  | { kind: 'turn'; from: number };

export type Season = 'vår' | 'sommar' | 'höst' | 'vinter';

/** First and last day, as YYYY-MM-DD. */
export interface Period {
  start: string;
  end: string;
}

export const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const SEASON_MONTHS: Record<Exclude<Season, 'vinter'>, [number, number]> = { vår: [3, 5], sommar: [6, 8], höst: [9, 11] };
const SEASON_NAME: Record<Season, string> = { vår: 'våren', sommar: 'sommaren', höst: 'hösten', vinter: 'vintern' };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const months = (year: number, from: number, to: number): Period => ({ start: `${year}-${pad(from)}-01`, end: `${year}-${pad(to)}-${lastDay(year, to)}` });

/**
 * The stretches of days the date can mean. Only "vintern <år>" has two: the winter months of that
 * year are January–February (the end of one winter) and December (the start of the next), and a
 * source that says "slutredovisas vintern 2028" does not say which.
 */
function windows(when: When): Period[] {
  switch (when.kind) {
    case 'day':
      return [{ start: when.date, end: when.date }];
    case 'month':
      return [months(when.year, when.month, when.month)];
    case 'year':
      return [months(when.year, 1, 12)];
    case 'season':
      if (when.season === 'vinter') return [months(when.year, 1, 2), months(when.year, 12, 12)];
      return [months(when.year, ...SEASON_MONTHS[when.season])];
    case 'turn':
      return [{ start: `${when.from}-12-31`, end: `${when.from + 1}-01-01` }];
  }
}

/** The first and the last day the date can mean: "vintern 2028" spans all of 2028. */
export function period(when: When): Period {
  const all = windows(when);
  return { start: all[0].start, end: all[all.length - 1].end };
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

const under = (w: Period, today: string) => w.start <= today && today <= w.end;

/** Whole days from `today` to the next day the date can fall on (0 while it may be now, negative once it has passed). */
export function daysUntil(when: When, today: string): number {
  const all = windows(when);
  const last = all[all.length - 1].end;
  if (today > last) return dayNumber(last) - dayNumber(today);
  if (all.some((w) => under(w, today))) return 0;
  return dayNumber(all.find((w) => w.start > today)!.start) - dayNumber(today);
}

const about = (n: number, one: string, many: string) => `om ca ${n} ${n === 1 ? one : many}`;

/**
 * "i dag", "i morgon", "om 12 dagar" for a day; for a month or a turn of the year "om ca 22 dagar";
 * for a season or a year weeks or months, never days; "pågår nu" while it is under way. Where the
 * source leaves two stretches open, "tidigast …" before the first and "möjligen i …" between them
 * (it may have been in the first).
 */
export function timeLeft(when: When, today: string): string {
  const days = daysUntil(when, today);
  if (when.kind === 'day') return days === 0 ? 'i dag' : days === 1 ? 'i morgon' : `om ${days} dagar`;
  const all = windows(when);
  if (all.some((w) => under(w, today))) return 'pågår nu';
  const next = all.find((w) => w.start > today);
  if (!next) return 'har passerat';
  if (next !== all[0]) return `möjligen i ${MONTHS[+next.start.slice(5, 7) - 1]}`;
  if (when.kind === 'month' || when.kind === 'turn') return days < 60 ? `om ca ${days} dagar` : about(Math.round(days / 30.4), 'månad', 'månader');
  return (all.length > 1 ? 'tidigast ' : '') + (days < 45 ? about(Math.max(1, Math.round(days / 7)), 'vecka', 'veckor') : about(Math.round(days / 30.4), 'månad', 'månader'));
}
