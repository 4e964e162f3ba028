import { isCalendarDate, stockholmDay, stockholmToUtc } from '../stockholm';

/** Workshops as plain data, and the rules about dates, seats and closing. No I/O here. */

export type Mode = 'plats' | 'digitalt';
export const MODE_LABEL: Record<Mode, string> = { plats: 'På plats', digitalt: 'Digitalt' };

export interface Workshop {
  id: number;
  conversationId: string;
  organiser: { aadObjectId: string; teamsId: string; name: string };
  title: string;
  startsAt: Date;
  place: string;
  capacity: number;
  description?: string;
  deadline?: string; // YYYY-MM-DD, the last day to register
  activityId?: string;
}

export interface Registration {
  aadObjectId: string;
  teamsId: string;
  name: string;
  organisation: string;
  mode: Mode;
  status: 'registered' | 'queued' | 'cancelled';
  seq: number;
}

/** Once a workshop has begun nothing about it changes: no registration, no cancellation, no promotion. */
export const hasStarted = (w: Pick<Workshop, 'startsAt'>, now: Date) => now >= w.startsAt;

/** Why registration is closed, or undefined while it is open. */
export function closedReason(w: Pick<Workshop, 'startsAt' | 'deadline'>, now: Date): string | undefined {
  if (hasStarted(w, now)) return 'Workshopen har ägt rum; anmälan är stängd.';
  if (w.deadline && stockholmDay(now) > w.deadline) return 'Sista anmälningsdag har passerat; anmälan är stängd.';
  return undefined;
}

export interface WorkshopForm {
  title: string;
  startsAt: Date;
  place: string;
  capacity: number;
  description?: string;
  deadline?: string;
}

/** The form's inputs (untrusted: they come from the card) as a workshop, or the problems to show. */
export function readWorkshopForm(data: Record<string, unknown>, now: Date): { form?: WorkshopForm; problems: string[] } {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
  const problems: string[] = [];
  const title = text(data.title);
  const date = text(data.date);
  const time = text(data.time);
  const place = text(data.place);
  const capacityText = text(data.capacity);
  const capacity = /^\d{1,6}$/.test(capacityText) ? Number(capacityText) : NaN;
  const description = text(data.description) || undefined;
  const deadline = text(data.deadline) || undefined;
  const isDate = isCalendarDate;
  const isTime = /^([01]\d|2[0-3]):[0-5]\d(:00)?$/.test(time);

  if (!title) problems.push('Skriv en titel.');
  else if (title.length > 200) problems.push('Titeln får vara högst 200 tecken.');
  if (!isDate(date)) problems.push('Välj ett datum.');
  if (!isTime) problems.push('Välj en tid.');
  if (!place) problems.push('Skriv var workshopen hålls, eller en möteslänk.');
  else if (place.length > 500) problems.push('Platsen får vara högst 500 tecken.');
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000) problems.push('Antal platser ska vara mellan 1 och 10 000.');
  if (description && description.length > 2000) problems.push('Beskrivningen får vara högst 2 000 tecken.');
  if (deadline && !isDate(deadline)) problems.push('Sista anmälningsdag ska vara ett datum.');
  // A deadline already passed would publish the workshop closed.
  else if (deadline && deadline < stockholmDay(now)) problems.push('Sista anmälningsdag har redan passerat.');
  const startsAt = isDate(date) && isTime ? stockholmToUtc(date, time.slice(0, 5)) : undefined;
  if (startsAt && startsAt <= now) problems.push('Datum och tid har redan passerat.');
  if (startsAt && deadline && isDate(deadline) && deadline > stockholmDay(startsAt)) problems.push('Sista anmälningsdag ska vara senast samma dag som workshopen.');

  if (problems.length || !startsAt) return { problems };
  return { form: { title, startsAt, place, capacity, description, deadline }, problems };
}

/** What every view of a workshop shares, read from storage when the card is drawn. */
export interface WorkshopState {
  taken: number;
  /** Teams ids of registered and queued people, those with a seat first: their view differs from the shared one. */
  registeredTeamsIds: string[];
}
