import { addDays, isCalendarDate, stockholmDay, stockholmToUtc } from '../../bot/stockholm';

describe('Stockholm days', () => {
  test('"tomorrow" is the next calendar day, also late on the evening before a change of clock', () => {
    // 23:30 on 28 March 2026 (winter time); the night has only 23 hours.
    expect(stockholmDay(stockholmToUtc('2026-03-28', '23:30'), 1)).toBe('2026-03-29');
    // 00:30 on 25 October 2026 (summer time); the day has 25 hours.
    expect(stockholmDay(stockholmToUtc('2026-10-25', '00:30'), 1)).toBe('2026-10-26');
    expect(stockholmDay(new Date('2026-12-31T22:59:00Z'), 1)).toBe('2027-01-01');
  });

  test('adds days across months and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  test('only real calendar days are dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const text of ['2026-02-30', '2026-13-01', '2026-00-10', '2026-2-3', '20260203', '', '2026-02-28T00:00']) expect(isCalendarDate(text)).toBe(false);
  });

  test('wall-clock times in summer and winter', () => {
    expect(stockholmToUtc('2026-07-01', '09:00').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(stockholmToUtc('2026-12-01', '09:00').toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });
});
