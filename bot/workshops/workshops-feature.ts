import { randomUUID } from 'node:crypto';
import type { Features } from '../app';
import { formIdOf, positiveInt } from '../teams/card-input';
import type { LinkSigner } from '../http/signed-links';
import type { OutboxStore } from '../outbox/outbox-store';
import type { CardActionResult, CardActionTurn } from '../teams/card-actions';
import type { SharedCard } from '../teams/shared-cards';
import { attendeesCard, MAX_REFRESH_USERS, workshopCard, workshopForm, workshopMessage, WORKSHOP_VERB, type Notice } from './workshop-cards';
import { csvPath, icsPath } from './workshop-exports';
import { promotionNotice } from './workshop-notices';
import { closedReason, hasStarted, readWorkshopForm, type Mode, type Workshop } from './workshop-rules';
import type { WorkshopStore, WorkshopView } from './workshop-store';

export interface WorkshopsDependencies {
  workshops: WorkshopStore;
  signer: LinkSigner;
  /** Where personal notices are written, in the transaction of the change they tell of. */
  outbox: OutboxStore;
  /** Kicks the outbox after a commit wrote to it. */
  sendOutbox: () => void;
  /** Where people's browsers reach this bot (http or https, absolute): export links are built from it alone. */
  publicUrl: string;
  now?: () => Date;
}

const CSV_LINK_HOURS = 24;
/** Longer than posting a card takes: meanwhile a second click does not post it again; after it, a failed post can be retried. */
const POSTING_LEASE_SECONDS = 60;
const NOT_FOUND: CardActionResult = { message: 'Workshopen finns inte (längre).' };

const done = (text: string): Notice => ({ text, kind: 'done' });
const refused = (text: string): Notice => ({ text, kind: 'refused' });

function exportBase(publicUrl: string): string {
  if (!/^https?:\/\/[^/\s]+/.test(publicUrl)) {
    throw new Error(`workshopsFeature needs publicUrl, the absolute http(s) address people's browsers reach the bot at (PUBLIC_URL); got "${publicUrl}".`);
  }
  return publicUrl.replace(/\/+$/, '');
}

/** Workshops: published from a form, registered for with one click, with a queue, lists and reminders. */
export function workshopsFeature(deps: WorkshopsDependencies): Features {
  const { workshops, signer, outbox, sendOutbox } = deps;
  const now = deps.now ?? (() => new Date());
  const base = exportBase(deps.publicUrl);
  const link = (path: string, expiresAt: Date) => `${base}${signer.sign(path, expiresAt)}`;

  /** The workshop as stored now, with its seats and `aad`'s registration; workshops are never deleted. */
  async function viewNow(w: Workshop, aad: string | undefined): Promise<WorkshopView> {
    const view = await workshops.viewOf(w.id, aad, MAX_REFRESH_USERS);
    if (!view) throw new Error(`workshop ${w.id} is no longer stored`);
    return view;
  }

  /** The card as this person sees it in `view`. */
  function cardFor({ workshop: w, state, registration, queuePosition }: WorkshopView, aad: string | undefined, notice?: Notice): object {
    const calendarUrl = registration?.status === 'registered' ? link(icsPath(w.id), new Date(w.startsAt.getTime() + 86_400_000)) : undefined;
    return workshopCard(w, state, now(), { aadObjectId: aad, registration, queuePosition, calendarUrl }, notice);
  }

  /** The card as this person sees it now. */
  const viewFor = async (w: Workshop, aad: string | undefined, notice?: Notice): Promise<object> => cardFor(await viewNow(w, aad), aad, notice);

  /** The posted card, drawn from what is stored when its update's turn comes. */
  const sharedCard = (w: Workshop): SharedCard | undefined =>
    w.activityId
      ? {
          conversationId: w.conversationId,
          activityId: w.activityId,
          render: async () => {
            const { workshop, state } = await viewNow(w, undefined);
            return workshopCard(workshop, state, now());
          },
        }
      : undefined;

  /** The actor's view, and the posted card updated for everyone. */
  async function afterChange(w: Workshop, aad: string, notice: Notice): Promise<CardActionResult> {
    const card = await viewFor(w, aad, notice);
    const shared = sharedCard(w);
    return shared ? { card, shared } : { card };
  }

  /** Posts the workshop's card unless it is posted or being posted; false if posting failed, so the organiser can try again. */
  async function post(w: Workshop, action: CardActionTurn): Promise<boolean> {
    if (w.activityId || !(await workshops.claimPosting(w.id, POSTING_LEASE_SECONDS))) return true;
    let activityId: string | undefined;
    try {
      activityId = await action.send(workshopMessage(w, (await viewNow(w, undefined)).state, now()));
    } catch (err) {
      action.log.warn({ err, workshopId: w.id }, 'could not post a workshop card');
      await workshops.releasePosting(w.id);
      return false;
    }
    if (activityId) await workshops.setActivityId(w.id, activityId);
    else action.log.warn({ workshopId: w.id }, 'Teams gave the posted workshop card no id; it will not be updated');
    return true;
  }

  /** The workshop a button is about (0, which none has, for a missing or malformed id). */
  const workshopIdOf = (action: CardActionTurn) => positiveInt(action.data.workshopId) ?? 0;
  const load = async (action: CardActionTurn) => workshops.get(workshopIdOf(action));

  // Only a person's click changes anything: a refresh (trigger automatic, real or forged) gets the viewer's card.

  const create = async (action: CardActionTurn): Promise<CardActionResult> => {
    const formId = formIdOf(action.data);
    if (action.trigger !== 'manual') return { card: workshopForm(formId, now(), action.data) };
    const { aadObjectId, id: teamsId, name } = action.actor;
    if (!aadObjectId) return { message: 'Teams skickade inte vem du är, så workshopen kan inte publiceras.' };
    const { form, problems } = readWorkshopForm(action.data, now());
    if (!form) return { card: workshopForm(formId, now(), action.data, problems) };
    const { workshop } = await workshops.create(formId, action.conversationId, { aadObjectId, teamsId, name: name || 'Okänd' }, form);
    if (!(await post(workshop, action))) {
      return { card: workshopForm(formId, now(), action.data, ['Workshopen är sparad, men kortet kunde inte läggas ut här. Klicka på Publicera igen.']) };
    }
    return { card: await viewFor(workshop, aadObjectId, done('Workshopen är publicerad.')) };
  };

  // One statement: the workshop and the viewer's place in it together.
  const view = async (action: CardActionTurn): Promise<CardActionResult> => {
    const seen = await workshops.viewOf(workshopIdOf(action), action.actor.aadObjectId, MAX_REFRESH_USERS);
    return seen ? { card: cardFor(seen, action.actor.aadObjectId) } : NOT_FOUND;
  };

  const register = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    if (!w) return NOT_FOUND;
    const { aadObjectId, id: teamsId, name } = action.actor;
    if (action.trigger !== 'manual') return { card: await viewFor(w, aadObjectId) };
    if (!aadObjectId) return { message: 'Teams skickade inte vem du är, så jag kan inte anmäla dig.' };
    // The card says why, in red.
    if (closedReason(w, now())) return { card: await viewFor(w, aadObjectId) };
    const organisation = typeof action.data.organisation === 'string' ? action.data.organisation.trim().slice(0, 200) : '';
    const mode: Mode | undefined = action.data.mode === 'digitalt' ? 'digitalt' : action.data.mode === 'plats' || action.data.mode === undefined ? 'plats' : undefined;
    if (!organisation || !mode) return { card: await viewFor(w, aadObjectId, refused(organisation ? 'Välj hur du deltar.' : 'Skriv din organisation för att anmäla dig.')) };
    const outcome = await workshops.register(w.id, { aadObjectId, teamsId, name: name || 'Okänd' }, organisation, mode);
    if (outcome.kind === 'not-found') return NOT_FOUND;
    // A second click changed nothing: the posted card needs no update.
    if (outcome.already) {
      const notice: Notice =
        outcome.kind === 'registered' ? { text: 'Du är redan anmäld.', kind: 'info' } : { text: `Du står redan i kö som nummer ${outcome.position}.`, kind: 'waiting' };
      return { card: await viewFor(w, aadObjectId, notice) };
    }
    const notice: Notice =
      outcome.kind === 'registered'
        ? done('Du är anmäld. Välkommen!')
        : { text: `Det är fullt. Du står som nummer ${outcome.position} i kö och får ett meddelande om en plats blir ledig.`, kind: 'waiting' };
    return afterChange(w, aadObjectId, notice);
  };

  const cancel = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    if (!w) return NOT_FOUND;
    const aad = action.actor.aadObjectId;
    if (action.trigger !== 'manual') return { card: await viewFor(w, aad) };
    if (!aad) return { message: 'Teams skickade inte vem du är.' };
    // After the start a freed seat would go to someone told to come to what is already under way.
    if (hasStarted(w, now())) return { card: await viewFor(w, aad, refused('Workshopen har redan börjat; anmälan kan inte ändras.')) };
    const outcome = await workshops.cancel(w.id, aad, (promoted, tx) => outbox.enqueue(promotionNotice(w, promoted), tx));
    if (outcome.kind === 'not-found') return NOT_FOUND;
    if (outcome.kind === 'not-registered') return { card: await viewFor(w, aad, refused('Du är inte anmäld.')) };
    if (outcome.promoted) sendOutbox();
    return afterChange(w, aad, done('Du är avanmäld.'));
  };

  const attendees = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    if (!w) return NOT_FOUND;
    if (action.actor.aadObjectId !== w.organiser.aadObjectId) return { card: await viewFor(w, action.actor.aadObjectId, refused('Deltagarlistan är bara för den som ordnar workshopen.')) };
    const csvUrl = link(csvPath(w.id), new Date(now().getTime() + CSV_LINK_HOURS * 3_600_000));
    return { card: attendeesCard(w, await workshops.registrations(w.id), csvUrl) };
  };

  return {
    commands: [
      {
        pattern: /^ny workshop$/,
        help: { usage: 'ny workshop', description: 'Publicera en workshop som alla kan anmäla sig till här.', button: 'Ny workshop' },
        run: async (turn) => void (await turn.send({ text: 'Ny workshop', card: workshopForm(randomUUID(), now()) })),
      },
    ],
    cardActions: [
      { verb: WORKSHOP_VERB.create, run: create },
      { verb: WORKSHOP_VERB.view, run: view },
      { verb: WORKSHOP_VERB.register, run: register },
      { verb: WORKSHOP_VERB.cancel, run: cancel },
      { verb: WORKSHOP_VERB.attendees, run: attendees },
    ],
  };
}
