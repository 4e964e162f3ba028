import { renderCard } from '../../cards/render';
import type { OutgoingMessage } from '../teams/turn';
import { closedReason, MODE_LABEL, type Mode, type Registration, type Workshop } from './workshop-rules';
import { stockholmDay, swedishDate, swedishWhen } from '../stockholm';

export const WORKSHOP_VERB = {
  create: 'workshop.create',
  view: 'workshop.view',
  register: 'workshop.register',
  cancel: 'workshop.cancel',
  attendees: 'workshop.attendees',
} as const;


export function workshopForm(formId: string, now: Date, values: Record<string, unknown> = {}, problems: string[] = []): object {
  const v = (k: string) => (typeof values[k] === 'string' || typeof values[k] === 'number' ? String(values[k]) : '');
  return renderCard('workshop-form', {
    formId,
    problems,
    today: stockholmDay(now),
    title: v('title'),
    date: v('date'),
    time: v('time'),
    place: v('place'),
    capacity: v('capacity'),
    description: v('description'),
    deadline: v('deadline'),
  });
}

export interface Viewer {
  aadObjectId?: string;
  registration?: Registration;
  /** 1 for the first in the queue. */
  queuePosition?: number;
  /** A signed link to the .ics, for people with a seat. */
  calendarUrl?: string;
}

/** The workshop card: the shared view (no viewer), or one person's view of their registration. */
export function workshopCard(w: Workshop, taken: number, now: Date, viewer?: Viewer, notice = ''): object {
  const closed = closedReason(w, now) ?? '';
  const left = Math.max(0, w.capacity - taken);
  const r = viewer?.registration;
  const mine = !r
    ? ''
    : r.status === 'registered'
      ? `Du är anmäld: ${r.organisation}, ${MODE_LABEL[r.mode].toLowerCase()}.`
      : `Du står som nummer ${viewer?.queuePosition ?? '?'} i kö.`;
  return renderCard('workshop', {
    id: w.id,
    title: w.title,
    when: swedishWhen(w.startsAt),
    place: w.place,
    seats: left > 0 ? `${left} av ${w.capacity} platser kvar` : `Fullt (${w.capacity} platser)`,
    full: left === 0,
    deadline: w.deadline ? swedishDate(w.deadline) : '',
    organiser: w.organiser.name,
    description: w.description ?? '',
    closed,
    notice,
    mine,
    organisation: '',
    canRegister: !closed && !r,
    canCancel: !closed && Boolean(r),
    calendarUrl: r?.status === 'registered' ? viewer?.calendarUrl ?? '' : '',
    isOrganiser: Boolean(viewer?.aadObjectId) && viewer?.aadObjectId === w.organiser.aadObjectId,
  });
}

export function workshopMessage(w: Workshop, taken: number, now: Date): OutgoingMessage {
  return { text: `Workshop: ${w.title}, ${swedishWhen(w.startsAt)}, ${w.place}.`, card: workshopCard(w, taken, now) };
}

const detail = (r: Registration) => `${r.organisation}, ${MODE_LABEL[r.mode].toLowerCase()}`;

/** For the organiser: who is coming, how, and who waits, with a CSV link. */
export function attendeesCard(w: Workshop, registrations: Registration[], csvUrl: string): object {
  const registered = registrations.filter((r) => r.status === 'registered');
  const queued = registrations.filter((r) => r.status === 'queued');
  const totals = (Object.keys(MODE_LABEL) as Mode[]).map((m) => ({ label: MODE_LABEL[m], count: String(registered.filter((r) => r.mode === m).length) }));
  return renderCard('workshop-attendees', {
    id: w.id,
    title: w.title,
    summary: `${registered.length} av ${w.capacity} platser tagna, ${queued.length} i kö. ${swedishWhen(w.startsAt)}.`,
    totals,
    registered: registered.length ? registered.map((r) => ({ name: r.name, detail: detail(r) })) : [{ name: '–', detail: 'Inga anmälda ännu' }],
    queued: queued.map((r, i) => ({ name: `${i + 1}. ${r.name}`, detail: detail(r) })),
    csvUrl,
  });
}
