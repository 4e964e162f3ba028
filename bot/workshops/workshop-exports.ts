import { stringify } from 'csv-stringify/sync';
import { createEvent } from 'ics';
import { MODE_LABEL, type Registration, type Workshop } from './workshop-rules';

export const csvPath = (id: number) => `/exports/workshops/${id}/deltagare.csv`;
export const icsPath = (id: number) => `/exports/workshops/${id}/workshop.ics`;

/** A cell a spreadsheet would run as a formula gets a leading apostrophe. */
const inert = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** The attendee list as CSV for Excel (UTF-8 with BOM, so å, ä and ö survive). */
export function attendeesCsv(registrations: Registration[]): string {
  const seated = registrations.filter((r) => r.status === 'registered').length;
  const rows = registrations.map((r, i) => [
    r.status === 'registered' ? 'Anmäld' : `I kö (${i + 1 - seated})`,
    inert(r.name),
    inert(r.organisation),
    MODE_LABEL[r.mode],
  ]);
  return `\uFEFF${stringify([['Status', 'Namn', 'Organisation', 'Deltar'], ...rows])}`;
}

const DEFAULT_DURATION_HOURS = 2;

/** The workshop as a calendar event (.ics). */
export function workshopIcs(w: Workshop): string {
  const { error, value } = createEvent({
    uid: `workshop-${w.id}@planeringsboten`,
    title: w.title,
    start: w.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { hours: DEFAULT_DURATION_HOURS },
    location: w.place,
    description: w.description ?? '',
    organizer: { name: w.organiser.name },
    productId: 'planeringsboten',
  });
  if (error || !value) throw error ?? new Error('could not build the calendar event');
  return value;
}
