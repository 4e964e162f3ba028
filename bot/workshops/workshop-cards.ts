import { renderCard } from '../../cards/render';
import { shorten } from '../teams/text';
import type { OutgoingMessage } from '../teams/turn';
import { closedReason, hasStarted, MODE_LABEL, type Mode, type Registration, type Workshop, type WorkshopState } from './workshop-rules';
import { stockholmDay, swedishDate, swedishWhen } from '../stockholm';

export const WORKSHOP_VERB = {
  create: 'workshop.create',
  view: 'workshop.view',
  register: 'workshop.register',
  cancel: 'workshop.cancel',
  attendees: 'workshop.attendees',
} as const;

/** Teams refreshes a card for at most this many listed users. */
export const MAX_REFRESH_USERS = 60;
/** People listed on the organiser's card; everyone is in the CSV. */
const MAX_LISTED = 100;
/** Teams refuses a message over 28 KB; the card stays well below, whatever people typed. */
const MAX_CARD_BYTES = 24_000;

/** How a notice reads: a refusal must not look like a success. */
export type NoticeKind = 'done' | 'info' | 'waiting' | 'refused';
export interface Notice {
  text: string;
  kind: NoticeKind;
}
const NOTICE_COLOR: Record<NoticeKind, string> = { done: 'Good', info: 'Default', waiting: 'Warning', refused: 'Attention' };

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

/** Who Teams refreshes the card for: the organiser, then people with a registration (Teams lists 60 at most). */
function refreshUserIds(w: Workshop, state: WorkshopState): string[] {
  return [...new Set([w.organiser.teamsId, ...state.registeredTeamsIds])].slice(0, MAX_REFRESH_USERS);
}

/** The workshop card: the shared view (no viewer), or one person's view of their registration. */
export function workshopCard(w: Workshop, state: WorkshopState, now: Date, viewer?: Viewer, notice?: Notice): object {
  const closed = closedReason(w, now) ?? '';
  const left = Math.max(0, w.capacity - state.taken);
  const r = viewer?.registration;
  const mine = !r
    ? ''
    : r.status === 'registered'
      ? `Du är anmäld: ${r.organisation}, ${MODE_LABEL[r.mode].toLowerCase()}.`
      : `Du står som nummer ${viewer?.queuePosition ?? '?'} i kö.`;
  const card = renderCard('workshop', {
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
    notice: notice?.text ?? '',
    noticeColor: NOTICE_COLOR[notice?.kind ?? 'info'],
    mine,
    organisation: '',
    canRegister: !closed && !r,
    // Cancelling frees a seat for the queue until the workshop begins, after the last day to register too.
    canCancel: !hasStarted(w, now) && Boolean(r),
    calendarUrl: r?.status === 'registered' ? viewer?.calendarUrl ?? '' : '',
    isOrganiser: Boolean(viewer?.aadObjectId) && viewer?.aadObjectId === w.organiser.aadObjectId,
    // Whoever Teams does not refresh the card for (beyond the 60) still reaches their own view.
    isShared: !viewer,
  }) as Record<string, unknown>;
  card.refresh = { action: { type: 'Action.Execute', verb: WORKSHOP_VERB.view, data: { workshopId: w.id } }, userIds: refreshUserIds(w, state) };
  return card;
}

export function workshopMessage(w: Workshop, state: WorkshopState, now: Date): OutgoingMessage {
  return { text: `Workshop: ${w.title}, ${swedishWhen(w.startsAt)}, ${w.place}.`, card: workshopCard(w, state, now) };
}

/** A long name or organisation shortens its line, never the list. */
const short = (text: string) => shorten(text, 80);

const detail = (r: Registration) => short(`${r.organisation}, ${MODE_LABEL[r.mode].toLowerCase()}`);

/** For the organiser: who is coming, how, and who waits, with a CSV link. Long lists show their start; the CSV has everyone. */
export function attendeesCard(w: Workshop, registrations: Registration[], csvUrl: string): object {
  const registered = registrations.filter((r) => r.status === 'registered');
  const queued = registrations.filter((r) => r.status === 'queued');
  const totals = (Object.keys(MODE_LABEL) as Mode[]).map((m) => ({ label: MODE_LABEL[m], count: String(registered.filter((r) => r.mode === m).length) }));
  const draw = (listed: number) => {
    const seated = registered.slice(0, listed);
    const waiting = queued.slice(0, listed - seated.length);
    const shown = seated.length + waiting.length;
    return renderCard('workshop-attendees', {
      id: w.id,
      title: w.title,
      summary: `${registered.length} av ${w.capacity} platser tagna, ${queued.length} i kö. ${swedishWhen(w.startsAt)}.`,
      totals,
      registered: seated.length ? seated.map((r) => ({ name: short(r.name), detail: detail(r) })) : [{ name: '–', detail: registered.length ? 'Se CSV-filen' : 'Inga anmälda ännu' }],
      queued: waiting.map((r, i) => ({ name: short(`${i + 1}. ${r.name}`), detail: detail(r) })),
      more: shown < registrations.length ? `Visar de första ${shown} av ${registrations.length}. Se CSV-filen för alla.` : '',
      csvUrl,
    });
  };
  let listed = MAX_LISTED;
  let card = draw(listed);
  // Names and organisations in letters of several bytes can still make 100 lines too many.
  for (let bytes = cardBytes(card); bytes > MAX_CARD_BYTES && listed > 0; bytes = cardBytes(card)) {
    listed = Math.max(0, Math.floor((listed * MAX_CARD_BYTES) / bytes) - 1);
    card = draw(listed);
  }
  return card;
}

const cardBytes = (card: object) => Buffer.byteLength(JSON.stringify(card));
