import { label, daysUntil, timeLeft, type When } from '../../bot/digests/deadline-dates';
import { coming, inOrder, loadDeadlines, type Deadline } from '../../bot/digests/deadlines';
import { DEFAULT_PATTERNS, dueSlot, nextSlots } from '../../bot/digests/schedule';
import { loadKnowledgeBase } from '../../bot/qa/knowledge-base';

const at = (iso: string) => new Date(iso);

describe('the weekly schedule, Monday 08:00 in Stockholm', () => {
  test('stays 08:00 across the daylight-saving changes', () => {
    const runs = nextSlots(DEFAULT_PATTERNS.weekly, at('2026-03-20T00:00:00Z'), 3).map((d) => d.toISOString());
    expect(runs).toEqual(['2026-03-23T07:00:00.000Z', '2026-03-30T06:00:00.000Z', '2026-04-06T06:00:00.000Z']);
    const autumn = nextSlots(DEFAULT_PATTERNS.weekly, at('2026-10-20T00:00:00Z'), 2).map((d) => d.toISOString());
    expect(autumn).toEqual(['2026-10-26T07:00:00.000Z', '2026-11-02T07:00:00.000Z']);
  });

  test('a digest is due from its moment on, not before, and not for a subscription made after it', () => {
    const since = at('2026-01-01T00:00:00Z');
    expect(dueSlot(DEFAULT_PATTERNS.weekly, at('2026-03-30T05:59:59Z'), since)?.toISOString()).toBeUndefined();
    expect(dueSlot(DEFAULT_PATTERNS.weekly, at('2026-03-30T06:00:00Z'), since)?.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(dueSlot(DEFAULT_PATTERNS.weekly, at('2026-03-30T09:00:00Z'), at('2026-03-30T08:00:00Z'))).toBeUndefined();
  });

  test('after downtime the latest missed digest is due once, within a day, never every missed one', () => {
    const since = at('2026-01-01T00:00:00Z');
    // Down from Saturday to Monday noon: Monday 08:00 is due.
    expect(dueSlot(DEFAULT_PATTERNS.weekly, at('2026-03-30T10:00:00Z'), since)?.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    // Back only on Tuesday afternoon: more than a day late, so none.
    expect(dueSlot(DEFAULT_PATTERNS.weekly, at('2026-03-31T12:00:00Z'), since)).toBeUndefined();
    // Daily, down three days: only this morning's.
    expect(dueSlot(DEFAULT_PATTERNS.daily, at('2026-05-04T09:00:00Z'), since)?.toISOString()).toBe('2026-05-04T06:00:00.000Z');
  });
});

describe('dates as precise as their source', () => {
  const day: When = { kind: 'day', date: '2027-01-15' };
  const month: When = { kind: 'month', year: 2027, month: 2 };
  const season: When = { kind: 'season', year: 2028, season: 'vinter' };
  const turn: When = { kind: 'turn', from: 2026 };
  const year: When = { kind: 'year', year: 2027 };

  test('are shown as written', () => {
    expect([day, month, season, turn, year].map(label)).toEqual(['15 januari 2027', 'februari 2027', 'vintern 2028', 'årsskiftet 2026/2027', '2027']);
  });

  test('are ordered sensibly', () => {
    const d = (title: string, when: When): Deadline => ({ key: title, title, description: '', when });
    expect(inOrder([d('vinter', season), d('feb', month), d('dag', day), d('år', year), d('skifte', turn)]).map((x) => x.title)).toEqual([
      'skifte', 'år', 'dag', 'feb', 'vinter',
    ]);
  });

  test('days left are exact only for a day; a period under way is under way', () => {
    expect(daysUntil(day, '2027-01-14')).toBe(1);
    expect(timeLeft(day, '2027-01-14')).toBe('i morgon');
    expect(timeLeft(day, '2026-12-16')).toBe('om 30 dagar');
    expect(timeLeft(month, '2027-01-10')).toBe('om ca 22 dagar');
    expect(timeLeft(year, '2027-06-01')).toBe('pågår nu');
    expect(timeLeft(season, '2026-11-22')).toBe('om ca 24 månader');
  });

  test("the documents' deadlines: delrapport every February, slutredovisning vintern 2028", () => {
    const all = loadDeadlines(loadKnowledgeBase().sources);
    const upcoming = coming(all, '2026-11-22').map((d) => `${label(d.when)}: ${d.title}`);
    expect(upcoming).toEqual(expect.arrayContaining(['februari 2027: Delrapport till Regeringskansliet', 'februari 2028: Delrapport till Regeringskansliet', 'vintern 2028: Slutredovisning av regeringsuppdraget', 'årsskiftet 2026/2027: Arbetspaket 2: stöd klart']));
    expect(upcoming.at(-1)).toBe('vintern 2028: Slutredovisning av regeringsuppdraget');
    expect(upcoming.some((u) => u.includes('2025'))).toBe(false);
    for (const d of all) expect(d.source).toMatch(/^Tillväxtverket: /);
  });
});
