import { stockholmDay, ZONE } from '../stockholm';

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

/** The UTC instant of a wall-clock date and time in Stockholm (summer or winter time alike). */
export function stockholmToUtc(date: string, time: string): Date {
  const naive = new Date(`${date}T${time}:00Z`);
  // The offset at that instant, read back from the zone; twice, so a change of offset in between is caught.
  let guess = naive.getTime();
  for (let i = 0; i < 2; i++) guess = naive.getTime() - offsetMs(new Date(guess));
  return new Date(guess);
}

function offsetMs(at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return local - Math.floor(at.getTime() / 1000) * 1000;
}


/** Why registration is closed, or undefined while it is open. */
export function closedReason(w: Pick<Workshop, 'startsAt' | 'deadline'>, now: Date): string | undefined {
  if (now >= w.startsAt) return 'Workshoppen har ägt rum; anmälan är stängd.';
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
  const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));

  if (!title) problems.push('Skriv en titel.');
  else if (title.length > 200) problems.push('Titeln får vara högst 200 tecken.');
  if (!isDate(date)) problems.push('Välj ett datum.');
  if (!/^([01]\d|2[0-3]):[0-5]\d(:00)?$/.test(time)) problems.push('Välj en tid.');
  if (!place) problems.push('Skriv var workshoppen hålls, eller en möteslänk.');
  else if (place.length > 500) problems.push('Platsen får vara högst 500 tecken.');
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000) problems.push('Antal platser ska vara mellan 1 och 10 000.');
  if (description && description.length > 2000) problems.push('Beskrivningen får vara högst 2 000 tecken.');
  if (deadline && !isDate(deadline)) problems.push('Sista anmälningsdag ska vara ett datum.');
  const startsAt = isDate(date) && problems.every((p) => !p.includes('tid')) ? stockholmToUtc(date, time.slice(0, 5)) : undefined;
  if (startsAt && startsAt <= now) problems.push('Datum och tid har redan passerat.');
  if (startsAt && deadline && isDate(deadline) && deadline > stockholmDay(startsAt)) problems.push('Sista anmälningsdag ska vara senast samma dag som workshoppen.');

  if (problems.length || !startsAt) return { problems };
  return { form: { title, startsAt, place, capacity, description, deadline }, problems };
}
