import { label, daysUntil, timeLeft, type When } from '../../bot/digests/deadline-dates';
import { coming, inOrder, loadDeadlines, type Deadline } from '../../bot/digests/deadlines';
import { DEFAULT_PATTERNS, dueSlot } from '../../bot/digests/schedule';
import { loadKnowledgeBase } from '../../bot/qa/knowledge-base';

const at = (iso: string) => new Date(iso);
const since = at('2026-01-01T00:00:00Z');
const due = (pattern: string, now: string) => dueSlot(pattern, at(now), since)?.toISOString();

describe('the weekly schedule, Monday 08:00 in Stockholm', () => {
  test('stays 08:00 across the daylight-saving changes: due at 07:00 UTC in winter, 06:00 UTC in summer', () => {
    // Winter time (UTC+1) on 23 March, summer time (UTC+2) from 29 March.
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-23T06:59:59Z')).toBeUndefined();
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-23T07:00:00Z')).toBe('2026-03-23T07:00:00.000Z');
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-30T05:59:59Z')).toBeUndefined();
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-30T06:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    // Back to winter time on 25 October.
    expect(due(DEFAULT_PATTERNS.weekly, '2026-10-19T06:00:00Z')).toBe('2026-10-19T06:00:00.000Z');
    expect(due(DEFAULT_PATTERNS.weekly, '2026-10-26T06:59:59Z')).toBeUndefined();
    expect(due(DEFAULT_PATTERNS.weekly, '2026-10-26T07:00:00Z')).toBe('2026-10-26T07:00:00.000Z');
  });

  test('a digest is due from its moment on, not before, and not for a subscription made after it', () => {
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-30T05:59:59Z')).toBeUndefined();
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-30T06:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    expect(dueSlot(DEFAULT_PATTERNS.weekly, at('2026-03-30T09:00:00Z'), at('2026-03-30T08:00:00Z'))).toBeUndefined();
  });

  test('after downtime the latest missed digest is due once, within a day, never every missed one', () => {
    // Down from Saturday to Monday noon: Monday 08:00 is due.
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-30T10:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    // Back only on Tuesday afternoon: more than a day late, so none.
    expect(due(DEFAULT_PATTERNS.weekly, '2026-03-31T12:00:00Z')).toBeUndefined();
    // Daily, down three days: only this morning's.
    expect(due(DEFAULT_PATTERNS.daily, '2026-05-04T09:00:00Z')).toBe('2026-05-04T06:00:00.000Z');
  });
});

describe('dates as precise as their source', () => {
  const day: When = { kind: 'day', date: '2027-01-15' };
  const month: When = { kind: 'month', year: 2027, month: 2 };
  const winter: When = { kind: 'season', year: 2028, season: 'vinter' };
  const spring: When = { kind: 'season', year: 2026, season: 'vår' };
  const turn: When = { kind: 'turn', from: 2026 };
  const year: When = { kind: 'year', year: 2027 };

  test('are shown as written', () => {
    expect([day, month, winter, turn, year].map(label)).toEqual(['15 januari 2027', 'februari 2027', 'vintern 2028', 'årsskiftet 2026/2027', '2027']);
  });

  test('are ordered by when they are due at the latest: "vintern 2028" may be December, so after "februari 2028"', () => {
    const d = (title: string, when: When): Deadline => ({ key: title, title, description: '', when });
    const feb2028 = d('feb 2028', { kind: 'month', year: 2028, month: 2 });
    expect(inOrder([d('vinter', winter), feb2028, d('feb', month), d('dag', day), d('år', year), d('skifte', turn)]).map((x) => x.title)).toEqual([
      'skifte', 'dag', 'feb', 'år', 'feb 2028', 'vinter',
    ]);
  });

  test('days left are exact only for a day; a period under way is under way', () => {
    expect(daysUntil(day, '2027-01-14')).toBe(1);
    expect(timeLeft(day, '2027-01-14')).toBe('i morgon');
    expect(timeLeft(day, '2026-12-16')).toBe('om 30 dagar');
    expect(timeLeft(month, '2027-01-10')).toBe('om ca 22 dagar');
    expect(timeLeft(year, '2027-06-01')).toBe('pågår nu');
    expect(timeLeft(spring, '2026-02-01')).toBe('om ca 4 veckor');
    expect(timeLeft(spring, '2025-11-22')).toBe('om ca 3 månader');
  });

  test('"vintern 2028" is January–February or December 2028, as the source leaves it: never an exact count of days', () => {
    expect(timeLeft(winter, '2026-11-22')).toBe('tidigast om ca 13 månader');
    expect(timeLeft(winter, '2027-12-10')).toBe('tidigast om ca 3 veckor');
    expect(timeLeft(winter, '2028-01-05')).toBe('pågår nu');
    expect(timeLeft(winter, '2028-02-29')).toBe('pågår nu');
    // Between the two it may already have been, or come in December.
    expect(timeLeft(winter, '2028-03-01')).toBe('möjligen i december');
    expect(timeLeft(winter, '2028-12-20')).toBe('pågår nu');
    // Still listed all through 2028, gone after it; between the two, the days count to December.
    expect(daysUntil(winter, '2028-02-10')).toBe(0);
    expect(daysUntil(winter, '2028-06-01')).toBe(183);
    expect(daysUntil(winter, '2029-01-01')).toBeLessThan(0);
  });

  test("the documents' deadlines: delrapport every February, slutredovisning vintern 2028", () => {
    const all = loadDeadlines(loadKnowledgeBase().sources);
    const upcoming = coming(all, '2026-11-22').map((d) => `${label(d.when)}: ${d.title}`);
    expect(upcoming).toEqual(expect.arrayContaining(['februari 2027: Delrapport till Regeringskansliet', 'februari 2028: Delrapport till Regeringskansliet', 'vintern 2028: Slutredovisning av regeringsuppdraget', 'årsskiftet 2026/2027: Arbetspaket 2: stöd klart']));
    expect(upcoming.slice(-2)).toEqual(['februari 2028: Delrapport till Regeringskansliet', 'vintern 2028: Slutredovisning av regeringsuppdraget']);
    expect(upcoming.some((u) => u.includes('2025'))).toBe(false);
    // In March 2028 the slutredovisning is still to come (it may be December); after 2028 it has passed.
    expect(coming(all, '2028-03-15').map((d) => d.title)).toContain('Slutredovisning av regeringsuppdraget');
    expect(coming(all, '2029-01-01')).toEqual([]);
    for (const d of all) expect(d.source).toMatch(/^Tillväxtverket: /);
  });
});
