// Dates as the tests expect them, computed here rather than by the code under test.

export const DAY = 86_400_000;

/** The Stockholm day of a moment (milliseconds), as YYYY-MM-DD. */
export const isoDay = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

/** The Stockholm day of a moment as Swedes write it: "3 mars 2027". */
export const swedishDay = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Stockholm' });
