import { randomUUID } from 'node:crypto';
import type { Features } from '../app';
import { formIdOf, positiveInt } from '../teams/card-input';
import type { LinkSigner } from '../http/signed-links';
import type { Logger } from '../logger';
import type { CardActionResult, CardActionTurn } from '../teams/card-actions';
import type { Messenger } from '../teams/messenger';
import { attendeesCard, workshopCard, workshopForm, workshopMessage, WORKSHOP_VERB } from './workshop-cards';
import { csvPath, icsPath } from './workshop-exports';
import { closedReason, readWorkshopForm, type Mode, type Workshop } from './workshop-rules';
import { swedishWhen } from '../stockholm';
import type { WorkshopStore } from './workshop-store';

export interface WorkshopsDependencies {
  workshops: WorkshopStore;
  signer: LinkSigner;
  messenger: Messenger;
  /** Where people's browsers reach this bot, for export links. */
  publicUrl: string;
  logger: Logger;
  now?: () => Date;
}

const CSV_LINK_HOURS = 24;
const NOT_FOUND: CardActionResult = { message: 'Workshoppen finns inte (längre).' };


/** Workshops: published from a form, registered for with one click, with a queue, lists and reminders. */
export function workshopsFeature(deps: WorkshopsDependencies): Features {
  const { workshops, signer, messenger, publicUrl, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const link = (path: string, expiresAt: Date) => `${publicUrl}${signer.sign(path, expiresAt)}`;

  /** The card as this person sees it now. */
  async function viewFor(w: Workshop, aad: string | undefined, notice = ''): Promise<object> {
    const registration = aad ? await workshops.registrationOf(w.id, aad) : undefined;
    const queuePosition = registration?.status === 'queued' ? (await workshops.registrations(w.id)).filter((r) => r.status === 'queued' && r.seq <= registration.seq).length : undefined;
    const calendarUrl = registration?.status === 'registered' ? link(icsPath(w.id), new Date(w.startsAt.getTime() + 86_400_000)) : undefined;
    return workshopCard(w, await workshops.seatsTaken(w.id), now(), { aadObjectId: aad, registration, queuePosition, calendarUrl }, notice);
  }

  /** The actor's view, and the posted card updated for everyone. */
  async function afterChange(w: Workshop, aad: string, notice: string): Promise<CardActionResult> {
    const card = await viewFor(w, aad, notice);
    if (!w.activityId) return { card };
    const shared = { conversationId: w.conversationId, activityId: w.activityId, render: async () => workshopCard(w, await workshops.seatsTaken(w.id), now()) };
    return { card, shared };
  }

  const load = async (action: CardActionTurn) => workshops.get(positiveInt(action.data.workshopId) ?? 0);

  const create = async (action: CardActionTurn): Promise<CardActionResult> => {
    const { aadObjectId, id: teamsId, name } = action.actor;
    if (!aadObjectId) return { message: 'Teams skickade inte vem du är, så workshoppen kan inte publiceras.' };
    const formId = formIdOf(action.data);
    const { form, problems } = readWorkshopForm(action.data, now());
    if (!form) return { card: workshopForm(formId, now(), action.data, problems) };
    const { workshop, created } = await workshops.create(formId, action.conversationId, { aadObjectId, teamsId, name: name || 'Okänd' }, form);
    if (created) {
      const activityId = await action.send(workshopMessage(workshop, 0, now()));
      if (activityId) await workshops.setActivityId(workshop.id, activityId);
    }
    return { card: await viewFor(workshop, aadObjectId, 'Workshoppen är publicerad.') };
  };

  const view = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    return w ? { card: await viewFor(w, action.actor.aadObjectId) } : NOT_FOUND;
  };

  const register = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    if (!w) return NOT_FOUND;
    const { aadObjectId, id: teamsId, name } = action.actor;
    if (!aadObjectId) return { message: 'Teams skickade inte vem du är, så jag kan inte anmäla dig.' };
    const closed = closedReason(w, now());
    if (closed) return { card: await viewFor(w, aadObjectId, closed) };
    const organisation = typeof action.data.organisation === 'string' ? action.data.organisation.trim().slice(0, 200) : '';
    const mode: Mode | undefined = action.data.mode === 'digitalt' ? 'digitalt' : action.data.mode === 'plats' || action.data.mode === undefined ? 'plats' : undefined;
    if (!organisation || !mode) return { card: await viewFor(w, aadObjectId, organisation ? 'Välj hur du deltar.' : 'Skriv din organisation för att anmäla dig.') };
    const outcome = await workshops.register(w.id, { aadObjectId, teamsId, name: name || 'Okänd' }, organisation, mode);
    if (outcome.kind === 'not-found') return NOT_FOUND;
    const notice =
      outcome.kind === 'registered'
        ? outcome.already ? 'Du var redan anmäld.' : 'Du är anmäld. Välkommen!'
        : `Det är fullt. Du står som nummer ${outcome.position} i kö och får ett meddelande om en plats blir ledig.`;
    return afterChange(w, aadObjectId, notice);
  };

  const cancel = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    if (!w) return NOT_FOUND;
    const aad = action.actor.aadObjectId;
    if (!aad) return { message: 'Teams skickade inte vem du är.' };
    const outcome = await workshops.cancel(w.id, aad);
    if (outcome.kind === 'not-found') return NOT_FOUND;
    if (outcome.kind === 'not-registered') return { card: await viewFor(w, aad, 'Du var inte anmäld.') };
    if (outcome.promoted) {
      const promoted = outcome.promoted;
      messenger
        .sendPersonal(w.conversationId, promoted.teamsId, {
          text: `En plats blev ledig: du är nu anmäld till "${w.title}", ${swedishWhen(w.startsAt)}, ${w.place}. Kan du inte komma, avanmäl dig på kortet.`,
        })
        .catch((err) => logger.warn({ err, workshopId: w.id }, 'could not tell the promoted person'));
    }
    return afterChange(w, aad, 'Du är avanmäld.');
  };

  const attendees = async (action: CardActionTurn): Promise<CardActionResult> => {
    const w = await load(action);
    if (!w) return NOT_FOUND;
    if (action.actor.aadObjectId !== w.organiser.aadObjectId) return { card: await viewFor(w, action.actor.aadObjectId, 'Deltagarlistan är bara för den som ordnar workshoppen.') };
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
