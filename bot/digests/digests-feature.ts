import { randomUUID } from 'node:crypto';
import { renderCard } from '../../cards/render';
import type { Features } from '../app';
import { isCalendarDate, stockholmDay } from '../stockholm';
import { formIdOf } from '../teams/card-input';
import type { CardActionResult, CardActionTurn } from '../teams/card-actions';
import type { Turn } from '../teams/turn';
import { coming, type Deadline } from './deadlines';
import { deadlinesMessage, digestMessage, scheduleLabel, subscriptionMessage } from './digest-cards';
import type { Cadence, DigestStore } from './digest-store';

export interface DigestsDependencies {
  store: DigestStore;
  deadlines: Deadline[];
  now: () => Date;
  /** DIGEST_CRON: replaces the weekly and daily schedules, and is what the confirmation describes. */
  pattern?: string;
}

/** What a turn or a click needs to act for its conversation. */
type Where = Pick<Turn, 'homeConversationId' | 'conversationType' | 'actor'>;

const today = (now: Date) => stockholmDay(now);
const inChannel = (where: Where) => where.conversationType === 'channel';
// Subscriptions and own deadlines belong to the channel, not to the thread they were made in
// (Teams gives each thread its own conversation id), and a digest starts a new post there.
const home = (where: Where) => where.homeConversationId;

function deadlineForm(formId: string, now: Date, channel: boolean, values: Record<string, unknown> = {}, problems: string[] = []): object {
  const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  const scope = channel ? 'hela kanalen, alla trådar' : 'den här konversationen';
  return renderCard('deadline-form', { formId, today: today(now), scope, problems, title: v('title'), date: v('date'), description: v('description') });
}

/** Deadlines on demand, an organisation's own ones, and subscriptions to the scheduled digest. */
export function digestsFeature({ store, deadlines, now, pattern }: DigestsDependencies): Features {
  const comingHere = async (where: Where) => coming([...deadlines, ...(await store.ownDeadlines(home(where)))], today(now()));

  const setCadence = async (where: Where, cadence: Cadence | 'none') => {
    const by = where.actor.aadObjectId ?? where.actor.id;
    const before = cadence === 'none' ? await store.unsubscribe(home(where)) : await store.subscribe(home(where), cadence, by, now());
    const current = cadence === 'none' ? undefined : cadence;
    return subscriptionMessage({ now: current, before, schedule: current && scheduleLabel(current, pattern, now()), inChannel: inChannel(where) });
  };

  const createDeadline = async (action: CardActionTurn): Promise<CardActionResult> => {
    const formId = formIdOf(action.data);
    const title = typeof action.data.title === 'string' ? action.data.title.trim() : '';
    const date = typeof action.data.date === 'string' ? action.data.date.trim() : '';
    const description = typeof action.data.description === 'string' ? action.data.description.trim().slice(0, 1000) || undefined : undefined;
    const problems: string[] = [];
    if (!title || title.length > 200) problems.push('Skriv en titel (högst 200 tecken).');
    if (!isCalendarDate(date)) problems.push('Välj ett datum.');
    else if (date < today(now())) problems.push('Datumet har redan passerat.');
    if (!action.actor.aadObjectId) problems.push('Teams skickade inte vem du är.');
    if (problems.length) return { card: deadlineForm(formId, now(), inChannel(action), action.data, problems) };
    const author = { aadObjectId: action.actor.aadObjectId!, name: action.actor.name ?? 'Okänd' };
    await store.addOwnDeadline(formId, home(action), { title, dueDate: date, description }, author, now());
    return { card: deadlinesMessage(await comingHere(action), today(now()), action.actor.aadObjectId).card! };
  };

  const removeDeadline = async (action: CardActionTurn): Promise<CardActionResult> => {
    const id = Number(action.data.deadlineId);
    const result = Number.isSafeInteger(id) && id > 0 ? await store.removeOwnDeadline(id, action.actor.aadObjectId) : 'not-found';
    if (result === 'not-author') return { message: 'Bara den som lade till tidsfristen kan ta bort den.' };
    const list = deadlinesMessage(await comingHere(action), today(now()), action.actor.aadObjectId);
    return list.card ? { card: list.card } : { message: list.text };
  };

  const show = async (turn: Turn) => void (await turn.send(deadlinesMessage(await comingHere(turn), today(now()), turn.actor.aadObjectId)));

  return {
    commands: [
      { pattern: /^tidsfrister$/, help: { usage: 'tidsfrister', description: 'Kommande tidsfrister: delrapporter, slutredovisning, arbetspaketen och era egna.', button: 'Tidsfrister' }, run: show },
      {
        pattern: /^ny tidsfrist$/,
        help: { usage: 'ny tidsfrist', description: 'Lägg till en egen tidsfrist för den här konversationen (i en kanal: för kanalen).' },
        run: async (turn) => void (await turn.send({ text: 'Ny tidsfrist', card: deadlineForm(randomUUID(), now(), inChannel(turn)) })),
      },
      {
        pattern: /^prenumerera( veckovis| dagligen)?$/,
        help: {
          usage: 'prenumerera',
          description: pattern
            ? `Sammanfattning av tidsfrister enligt driftens schema "${pattern}" (svensk tid).`
            : 'Sammanfattning av tidsfrister varje måndag kl. 08 ("prenumerera dagligen" för varje dag).',
          button: 'Prenumerera',
        },
        run: async (turn, m) => void (await turn.send(await setCadence(turn, m[1]?.trim() === 'dagligen' ? 'daily' : 'weekly'))),
      },
      { pattern: /^avsluta prenumeration(en)?$/, help: { usage: 'avsluta prenumeration', description: 'Inga fler sammanfattningar hit.' }, run: async (turn) => void (await turn.send(await setCadence(turn, 'none'))) },
      {
        pattern: /^skicka sammanfattning(en)?$/,
        help: { usage: 'skicka sammanfattning', description: 'Sammanfattningen hit nu.' },
        run: async (turn) => void (await turn.send(digestMessage(await comingHere(turn), today(now())))),
      },
    ],
    cardActions: [
      { verb: 'deadline.create', run: createDeadline },
      { verb: 'deadline.remove', run: removeDeadline },
      {
        verb: 'digest.set',
        run: async (action) => {
          const cadence = action.data.cadence === 'weekly' || action.data.cadence === 'daily' ? action.data.cadence : 'none';
          return { card: (await setCadence(action, cadence)).card! };
        },
      },
    ],
  };
}
