import { randomUUID } from 'node:crypto';
import { renderCard } from '../../cards/render';
import type { Features } from '../app';
import { isCalendarDate, stockholmDay } from '../stockholm';
import { formIdOf } from '../teams/card-input';
import type { CardActionResult } from '../teams/card-actions';
import type { Turn } from '../teams/turn';
import { coming, type Deadline } from './deadlines';
import { deadlinesMessage, digestMessage, subscriptionMessage } from './digest-cards';
import type { Cadence, DigestStore } from './digest-store';

export interface DigestsDependencies {
  store: DigestStore;
  deadlines: Deadline[];
  now: () => Date;
}

const today = (now: Date) => stockholmDay(now);

function deadlineForm(formId: string, now: Date, values: Record<string, unknown> = {}, problems: string[] = []): object {
  const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  return renderCard('deadline-form', { formId, today: today(now), problems, title: v('title'), date: v('date'), description: v('description') });
}

/** Deadlines on demand, an organisation's own ones, and subscriptions to the scheduled digest. */
export function digestsFeature({ store, deadlines, now }: DigestsDependencies): Features {
  const comingHere = async (conversationId: string) => coming([...deadlines, ...(await store.ownDeadlines(conversationId))], today(now()));

  const setCadence = async (turn: { conversationId: string; actor: { aadObjectId?: string; id: string } }, cadence: Cadence | 'none') => {
    const by = turn.actor.aadObjectId ?? turn.actor.id;
    const before = cadence === 'none' ? await store.unsubscribe(turn.conversationId) : await store.subscribe(turn.conversationId, cadence, by);
    return subscriptionMessage(cadence === 'none' ? undefined : cadence, before);
  };

  const createDeadline = async (action: Parameters<NonNullable<Features['cardActions']>[number]['run']>[0]): Promise<CardActionResult> => {
    const formId = formIdOf(action.data);
    const title = typeof action.data.title === 'string' ? action.data.title.trim() : '';
    const date = typeof action.data.date === 'string' ? action.data.date.trim() : '';
    const description = typeof action.data.description === 'string' ? action.data.description.trim().slice(0, 1000) || undefined : undefined;
    const problems: string[] = [];
    if (!title || title.length > 200) problems.push('Skriv en titel (högst 200 tecken).');
    if (!isCalendarDate(date)) problems.push('Välj ett datum.');
    else if (date < today(now())) problems.push('Datumet har redan passerat.');
    if (!action.actor.aadObjectId) problems.push('Teams skickade inte vem du är.');
    if (problems.length) return { card: deadlineForm(formId, now(), action.data, problems) };
    await store.addOwnDeadline(formId, action.conversationId, title, date, description, { aadObjectId: action.actor.aadObjectId!, name: action.actor.name ?? 'Okänd' });
    return { card: deadlinesMessage(await comingHere(action.conversationId), today(now()), action.actor.aadObjectId).card! };
  };

  const removeDeadline: NonNullable<Features['cardActions']>[number]['run'] = async (action) => {
    const id = Number(action.data.deadlineId);
    const result = Number.isSafeInteger(id) && id > 0 ? await store.removeOwnDeadline(id, action.actor.aadObjectId) : 'not-found';
    if (result === 'not-author') return { message: 'Bara den som lade till tidsfristen kan ta bort den.' };
    const list = deadlinesMessage(await comingHere(action.conversationId), today(now()), action.actor.aadObjectId);
    return list.card ? { card: list.card } : { message: list.text };
  };

  const show = async (turn: Turn) => void (await turn.send(deadlinesMessage(await comingHere(turn.conversationId), today(now()), turn.actor.aadObjectId)));

  return {
    commands: [
      { pattern: /^tidsfrister$/, help: { usage: 'tidsfrister', description: 'Kommande tidsfrister: delrapporter, slutredovisning, arbetspaketen och era egna.', button: 'Tidsfrister' }, run: show },
      {
        pattern: /^ny tidsfrist$/,
        help: { usage: 'ny tidsfrist', description: 'Lägg till en egen tidsfrist för den här konversationen.' },
        run: async (turn) => void (await turn.send({ text: 'Ny tidsfrist', card: deadlineForm(randomUUID(), now()) })),
      },
      {
        pattern: /^prenumerera( veckovis| dagligen)?$/,
        help: { usage: 'prenumerera', description: 'Sammanfattning av tidsfrister varje måndag kl. 08 ("prenumerera dagligen" för varje dag).', button: 'Prenumerera' },
        run: async (turn, m) => void (await turn.send(await setCadence(turn, m[1]?.trim() === 'dagligen' ? 'daily' : 'weekly'))),
      },
      { pattern: /^avsluta prenumeration(en)?$/, help: { usage: 'avsluta prenumeration', description: 'Inga fler sammanfattningar hit.' }, run: async (turn) => void (await turn.send(await setCadence(turn, 'none'))) },
      {
        pattern: /^skicka sammanfattning(en)?$/,
        help: { usage: 'skicka sammanfattning', description: 'Sammanfattningen hit nu.' },
        run: async (turn) => void (await turn.send(digestMessage(await comingHere(turn.conversationId), today(now())))),
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
