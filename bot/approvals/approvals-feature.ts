import { randomUUID } from 'node:crypto';
import type { Features } from '../app';
import { formIdOf, positiveInt } from '../teams/card-input';
import type { Logger } from '../logger';
import type { CardActionResult, CardActionTurn } from '../teams/card-actions';
import type { SharedCard } from '../teams/shared-cards';
import type { Turn } from '../teams/turn';
import { decisionLog, draftCard, draftForm, draftMessage, VERB } from './draft-cards';
import { stockholmDay, swedishDate } from '../stockholm';
import { currentRevision, describeChanges, readDraftForm, STATUS_LABEL, type Approver, type Decision, type Draft, type Revision } from './draft-rules';
import type { DraftStore, Person } from './draft-store';

const DECISIONS: readonly Decision[] = ['approve', 'reject', 'request_changes'];
const MAX_COMMENT = 1000;

export interface ApprovalsDependencies {
  drafts: DraftStore;
  logger: Logger;
}


function actorOf(turn: { actor: { aadObjectId?: string; id: string; name?: string } }): Person | undefined {
  const { aadObjectId, id, name } = turn.actor;
  return aadObjectId ? { aadObjectId, teamsId: id, name: name || 'Okänd' } : undefined;
}

const NOT_FOUND: CardActionResult = { message: 'Utkastet finns inte (längre). Skriv "utkast" för att se öppna utkast.' };
const NO_IDENTITY: CardActionResult = { message: 'Teams skickade inte vem du är, så jag kan inte ta emot beslutet. Inget ändrades.' };

/** Viljeriktning drafts: written in a form, decided on the posted card, revised, and logged for the protocol. */
export function approvals({ drafts, logger }: ApprovalsDependencies): Features {
  /** The approvers as people: names and Teams ids from Teams where it knows them, the form's ids otherwise. */
  async function resolveApprovers(action: CardActionTurn, ids: string[]): Promise<Approver[]> {
    return Promise.all(
      ids.map(async (aadObjectId) => {
        const member = await action.findMember(aadObjectId);
        return { aadObjectId, teamsId: member?.teamsId, name: member?.name ?? `Okänd användare (${aadObjectId.slice(0, 8)})` };
      }),
    );
  }

  /** Puts the revision's card in the conversation and remembers which message it is, for later updates. */
  async function post(send: (m: ReturnType<typeof draftMessage>) => Promise<string | undefined>, draft: Draft): Promise<void> {
    const revision = currentRevision(draft);
    const activityId = await send(draftMessage(draft, revision));
    if (activityId) await drafts.setActivityId(draft.id, revision.revision, activityId);
  }

  async function tellOutcome(action: CardActionTurn, draft: Draft): Promise<void> {
    if (draft.status === 'pending') return;
    const title = currentRevision(draft).title;
    const next =
      draft.status === 'changes_requested'
        ? ` ${draft.author.name}: klicka på Revidera på kortet, eller skriv "revidera ${draft.id}".`
        : ` Skriv "beslutslogg ${draft.id}" för hela beslutsloggen.`;
    await action.send({ text: `Utkast #${draft.id} "${title}": ${STATUS_LABEL[draft.status]}.${next}` });
  }

  const create = async (action: CardActionTurn): Promise<CardActionResult> => {
    const author = actorOf(action);
    if (!author) return NO_IDENTITY;
    const formId = formIdOf(action.data);
    const { form, problems } = readDraftForm(action.data, stockholmDay(new Date()));
    if (!form) {
      const approvers = await resolveApprovers(action, String(action.data.approvers ?? '').split(',').map((s) => s.trim()).filter((s) => /^[\w-]{1,64}$/.test(s)).slice(0, 50));
      return { card: draftForm(formId, { ...(action.data as Record<string, string>), approvers, suggested: await suggestions(action) }, problems) };
    }
    const { draft, created } = await drafts.create(formId, action.conversationId, author, form, await resolveApprovers(action, form.approvers));
    if (created) await post(action.send, draft);
    const names = currentRevision(draft).approvers.map((a) => a.name).join(', ');
    return { card: draftCard(draft, currentRevision(draft), author.aadObjectId, `Skickat för beslut till ${names}.`) };
  };

  const view = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await drafts.get(positiveInt(action.data.draftId) ?? 0);
    if (!draft) return NOT_FOUND;
    const revision = draft.revisions.find((r) => r.revision === positiveInt(action.data.revision)) ?? currentRevision(draft);
    return { card: draftCard(draft, revision, action.actor.aadObjectId) };
  };

  /** A revision's posted card, drawn from the draft as stored when the update runs. */
  const sharedCard = (draft: Draft, revision: Revision): SharedCard | undefined =>
    revision.activityId
      ? {
          conversationId: draft.conversationId,
          activityId: revision.activityId,
          render: async () => {
            const now = (await drafts.get(draft.id))!;
            return draftCard(now, now.revisions.find((r) => r.revision === revision.revision)!);
          },
        }
      : undefined;

  const decide = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draftId = positiveInt(action.data.draftId);
    const revision = positiveInt(action.data.revision);
    const decision = DECISIONS.find((d) => d === action.data.decision);
    if (!draftId || !revision || !decision) return { message: 'Knappen saknar uppgifter om utkastet. Inget ändrades.' };
    const actor = actorOf(action);
    if (!actor) return NO_IDENTITY;
    const comment = typeof action.data.comment === 'string' ? action.data.comment.trim().slice(0, MAX_COMMENT) : undefined;
    const outcome = await drafts.decide(draftId, revision, actor, decision, comment);
    if (!outcome) return NOT_FOUND;
    const { draft } = outcome;
    const clicked = draft.revisions.find((r) => r.revision === revision) ?? currentRevision(draft);
    if (!outcome.recorded) return { card: draftCard(draft, clicked, actor.aadObjectId, outcome.reason) };
    await tellOutcome(action, draft).catch((err) => logger.warn({ err, draftId }, 'could not announce the outcome'));
    const current = currentRevision(draft);
    return { card: draftCard(draft, current, actor.aadObjectId), shared: sharedCard(draft, current) };
  };

  const reviseForm = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await drafts.get(positiveInt(action.data.draftId) ?? 0);
    if (!draft) return NOT_FOUND;
    const refused = revisionRefusal(draft, action.actor.aadObjectId);
    if (refused) return { card: draftCard(draft, currentRevision(draft), action.actor.aadObjectId, refused) };
    return { card: formFor(draft) };
  };

  const revise = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await drafts.get(positiveInt(action.data.draftId) ?? 0);
    if (!draft) return NOT_FOUND;
    const formId = formIdOf(action.data);
    const { form, problems } = readDraftForm(action.data, stockholmDay(new Date()));
    const before = currentRevision(draft);
    if (!form) return { card: draftForm(formId, { ...(action.data as Record<string, string>), approvers: before.approvers }, problems, draft.id) };
    const result = await drafts.revise(draft.id, action.actor.aadObjectId, form, describeChanges(before, { ...form }), await resolveApprovers(action, form.approvers));
    if (!result) return NOT_FOUND;
    if (result.reason) return { card: draftCard(result.draft, currentRevision(result.draft), action.actor.aadObjectId, result.reason) };
    await post(action.send, result.draft);
    const old = result.draft.revisions.find((r) => r.revision === before.revision)!;
    return { card: draftCard(result.draft, old), shared: sharedCard(result.draft, old) };
  };

  const log = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await drafts.get(positiveInt(action.data.draftId) ?? 0);
    if (!draft) return NOT_FOUND;
    await action.send(decisionLog(draft));
    return { card: draftCard(draft, currentRevision(draft), action.actor.aadObjectId) };
  };

  /** Recent approvers here, else the author: the picker always offers someone before a search. */
  const suggestions = async (turn: { conversationId: string; actor: { aadObjectId?: string; id: string; name?: string } }): Promise<Approver[]> => {
    const recent = await drafts.recentApprovers(turn.conversationId);
    const me = actorOf(turn);
    return recent.length || !me ? recent : [{ aadObjectId: me.aadObjectId, teamsId: me.teamsId, name: `${me.name} (du)` }];
  };

  const sendLog = async (turn: Turn, id: string) => {
    const draft = await drafts.get(positiveInt(id) ?? 0);
    await turn.send(draft ? decisionLog(draft) : { text: `Det finns inget utkast #${id}.` });
  };

  const sendReviseForm = async (turn: Turn, id: string) => {
    const draft = await drafts.get(positiveInt(id) ?? 0);
    if (!draft) return void (await turn.send({ text: `Det finns inget utkast #${id}.` }));
    const refused = revisionRefusal(draft, turn.actor.aadObjectId);
    await turn.send(refused ? { text: refused } : { text: `Revidera utkast #${draft.id}`, card: formFor(draft) });
  };

  const listOpen = async (turn: Turn) => {
    const open = await drafts.openInConversation(turn.conversationId);
    if (open.length === 0) return void (await turn.send({ text: 'Inga öppna utkast i den här konversationen. Skriv "ny viljeriktning" för att börja ett.' }));
    const lines = open.map((d) => {
      const r = currentRevision(d);
      const waiting = r.approvers.filter((a) => !a.decision).map((a) => a.name);
      const due = r.dueDate ? `, senast ${swedishDate(r.dueDate)}` : '';
      return `• #${d.id} ${r.title}: ${STATUS_LABEL[d.status]}${d.status === 'pending' ? ` (väntar på ${waiting.join(', ')}${due})` : ''}`;
    });
    await turn.send({ text: `Öppna utkast:\n${lines.join('\n')}` });
  };

  return {
    commands: [
      {
        pattern: /^ny viljeriktning$/,
        help: { usage: 'ny viljeriktning', description: 'Skriv ett utkast till viljeriktning och låt godkännarna besluta på kortet.', button: 'Ny viljeriktning' },
        run: async (turn) => void (await turn.send({ text: 'Ny viljeriktning', card: draftForm(randomUUID(), { suggested: await suggestions(turn) }) })),
      },
      { pattern: /^utkast$/, help: { usage: 'utkast', description: 'Öppna utkast i den här konversationen.' }, run: listOpen },
      { pattern: /^beslutslogg (\d+)$/, help: { usage: 'beslutslogg <nr>', description: 'Hela beslutsloggen för ett utkast, klar för protokollet.' }, run: (turn, m) => sendLog(turn, m[1]) },
      { pattern: /^revidera (\d+)$/, run: (turn, m) => sendReviseForm(turn, m[1]) },
    ],
    cardActions: [
      { verb: VERB.create, run: create },
      { verb: VERB.view, run: view },
      { verb: VERB.decide, run: decide },
      { verb: VERB.reviseForm, run: reviseForm },
      { verb: VERB.revise, run: revise },
      { verb: VERB.log, run: log },
    ],
  };
}

function revisionRefusal(draft: Draft, actorAad: string | undefined): string | undefined {
  if (draft.author.aadObjectId !== actorAad) return 'Bara den som skrev utkastet kan revidera det.';
  if (draft.status !== 'changes_requested') return `Utkastet kan revideras när någon har begärt ändring; det är nu ${STATUS_LABEL[draft.status].toLowerCase()}.`;
  return undefined;
}

function formFor(draft: Draft): object {
  const r = currentRevision(draft);
  return draftForm(randomUUID(), { title: r.title, text: r.points.join('\n'), approvers: r.approvers, rule: draft.rule, dueDate: r.dueDate }, [], draft.id);
}
