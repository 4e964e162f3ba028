import type { OutboxStore } from '../outbox/outbox-store';
import { stockholmDay } from '../stockholm';
import type { CardAction, CardActionResult, CardActionTurn } from '../teams/card-actions';
import { formIdOf, positiveInt } from '../teams/card-input';
import type { SharedCard } from '../teams/shared-cards';
import { draftCard, draftForm, draftMessage, VERB, type FormTarget } from './draft-cards';
import { decisionLog } from './draft-log';
import { authorNotice, outcomeAnnouncement } from './draft-notices';
import { actorOf, pickApprovers, suggestedApprovers } from './draft-people';
import { approverIds, currentRevision, describeChanges, LIMITS, mayRead, readDraftForm, revisionRefusal, someNames, type Decision, type Draft, type Revision } from './draft-rules';
import type { DraftStore } from './draft-store';

export interface DraftActionsDependencies {
  drafts: DraftStore;
  /** Where notices to the author are written, in the transaction of the decision they tell of. */
  outbox: OutboxStore;
  /** Sends what was just written to the outbox; called after the commit. */
  sendOutbox: () => void;
  now: () => Date;
}

const DECISIONS: readonly Decision[] = ['approve', 'reject', 'request_changes'];
const NOT_FOUND: CardActionResult = { message: 'Utkastet finns inte här. Skriv "utkast" för att se öppna utkast i konversationen.' };
const NO_IDENTITY: CardActionResult = { message: 'Teams skickade inte vem du är, så jag kan inte ta emot det. Inget ändrades.' };

/** A card input as text: a forged invoke may send numbers, objects or nothing where the form has text. */
const textOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** The buttons of the draft cards and the draft form. */
export function draftActions({ drafts, outbox, sendOutbox, now }: DraftActionsDependencies): CardAction[] {

  /** The draft a button names, if the clicker may see it here. */
  const readable = (action: CardActionTurn) => readableDraft(drafts, action.data.draftId, action);

  const currentCard = (draft: Draft, action: CardActionTurn, notice?: string): CardActionResult => ({
    card: draftCard(draft, currentRevision(draft), action.actor.aadObjectId, notice ? { text: notice } : undefined),
  });

  /** The form again with what was typed, the people picked who may decide, and what is wrong. */
  async function formAgain(action: CardActionTurn, target: FormTarget, problems: string[]): Promise<CardActionResult> {
    const picked = await pickApprovers(action, drafts, approverIds(action.data.approvers).slice(0, LIMITS.approvers));
    const values = { title: textOf(action.data.title), text: textOf(action.data.text), rule: textOf(action.data.rule), dueDate: textOf(action.data.dueDate) };
    const suggested = await suggestedApprovers(drafts, action.homeConversationId, action.actor);
    return { card: draftForm(target, { ...values, approvers: picked.members, suggested }, problems) };
  }

  /**
   * Posts the current revision's card unless it is posted already: a click after a failed post
   * (or a crash between saving and posting) posts it then. Only in the draft's own conversation.
   */
  async function ensurePosted(action: CardActionTurn, draft: Draft): Promise<Draft> {
    const revision = currentRevision(draft);
    if (revision.activityId || draft.homeConversationId !== action.homeConversationId) return draft;
    const activityId = await action.send(draftMessage(draft, revision));
    if (!activityId) return draft;
    await drafts.setPosted(draft.id, revision.revision, action.conversationId, activityId);
    const posted = { ...revision, activityId, conversationId: action.conversationId };
    return { ...draft, revisions: draft.revisions.map((r) => (r.revision === revision.revision ? posted : r)) };
  }

  /** A revision's posted card, drawn from the draft as stored when the update runs. */
  const sharedCard = (draft: Draft, revision: Revision): SharedCard | undefined =>
    revision.activityId
      ? {
          conversationId: revision.conversationId ?? draft.conversationId,
          activityId: revision.activityId,
          render: async () => {
            const stored = (await drafts.get(draft.id))!;
            return draftCard(stored, stored.revisions.find((r) => r.revision === revision.revision)!);
          },
        }
      : undefined;

  /**
   * A refresh (trigger `automatic`) comes from Teams, or from someone forging one: it gets the
   * viewer's current card and never changes anything. Only a person's click does.
   */
  const onClickOnly =
    (run: (action: CardActionTurn) => Promise<CardActionResult>) =>
    async (action: CardActionTurn): Promise<CardActionResult> => {
      if (action.trigger === 'manual') return run(action);
      if (action.data.draftId === undefined) return formAgain(action, { formId: formIdOf(action.data) }, []);
      const draft = await readable(action);
      return draft ? currentCard(draft, action) : NOT_FOUND;
    };

  const create = async (action: CardActionTurn): Promise<CardActionResult> => {
    const author = actorOf(action);
    if (!author) return NO_IDENTITY;
    const target = { formId: formIdOf(action.data) };
    const { form, problems } = readDraftForm(action.data, stockholmDay(now()));
    if (!form) return formAgain(action, target, problems);
    const picked = await pickApprovers(action, drafts, form.approvers);
    if (picked.problem) return formAgain(action, target, [picked.problem]);
    const created = await drafts.create(target.formId, action.conversationId, author, form, picked.members);
    if (!created) return { message: 'Formuläret hör till ett annat utkast. Skriv "ny viljeriktning" för att börja ett eget.' };
    const draft = await ensurePosted(action, created);
    const names = someNames(currentRevision(draft).approvers.map((a) => a.name));
    return { card: draftCard(draft, currentRevision(draft), author.aadObjectId, { text: `Skickat för beslut till ${names}.`, good: true }) };
  };

  const view = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await readable(action);
    if (!draft) return NOT_FOUND;
    const revision = draft.revisions.find((r) => r.revision === positiveInt(action.data.revision)) ?? currentRevision(draft);
    return { card: draftCard(draft, revision, action.actor.aadObjectId) };
  };

  const decide = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draftId = positiveInt(action.data.draftId);
    const revision = positiveInt(action.data.revision);
    const decision = DECISIONS.find((d) => d === action.data.decision);
    if (!draftId || !revision || !decision) return { message: 'Knappen saknar uppgifter om utkastet. Inget ändrades.' };
    const actor = actorOf(action);
    if (!actor) return NO_IDENTITY;
    const comment = typeof action.data.comment === 'string' ? action.data.comment.trim().slice(0, LIMITS.comment) : undefined;
    // The author hears of the outcome from the same transaction that decides it: never one without the other.
    const outcome = await drafts.decide(draftId, revision, actor, decision, comment, async (decided, tx) => {
      if (decided.status !== 'pending') await outbox.enqueue(authorNotice(decided), tx);
    });
    if (!outcome || !mayRead(outcome.draft, action.homeConversationId, actor.aadObjectId)) return NOT_FOUND;
    const { draft } = outcome;
    if (!outcome.recorded) return currentCard(draft, action, outcome.reason);
    sendOutbox();
    if (draft.status !== 'pending' && draft.homeConversationId === action.homeConversationId) {
      await action.send(outcomeAnnouncement(draft)).catch((err) => action.log.warn({ err, draftId }, 'could not announce the outcome'));
    }
    const current = currentRevision(draft);
    return { card: draftCard(draft, current, actor.aadObjectId), shared: sharedCard(draft, current) };
  };

  const reviseForm = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await readable(action);
    if (!draft) return NOT_FOUND;
    const refused = revisionRefusal(draft, action.actor.aadObjectId, action.homeConversationId);
    if (refused) return currentCard(draft, action, refused);
    return { card: formFor(draft) };
  };

  const revise = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await readable(action);
    if (!draft) return NOT_FOUND;
    const refused = revisionRefusal(draft, action.actor.aadObjectId, action.homeConversationId);
    if (refused) return refusedRevision(action, draft, refused);
    const target = { draftId: draft.id };
    const { form, problems } = readDraftForm(action.data, stockholmDay(now()));
    if (!form) return formAgain(action, target, problems);
    const picked = await pickApprovers(action, drafts, form.approvers);
    if (picked.problem) return formAgain(action, target, [picked.problem]);
    const before = currentRevision(draft);
    const changes = describeChanges({ ...before, rule: draft.rule }, { ...form, approvers: picked.members });
    const result = await drafts.revise(draft.id, action.actor.aadObjectId, form, changes, picked.members);
    if (!result) return NOT_FOUND;
    if (result.reason) return refusedRevision(action, result.draft, result.reason);
    const posted = await ensurePosted(action, result.draft);
    const old = posted.revisions.find((r) => r.revision === before.revision)!;
    const notice = { text: `Revision ${posted.revision} är skickad för beslut.`, good: true };
    return { card: draftCard(posted, old, action.actor.aadObjectId, notice), shared: sharedCard(posted, old) };
  };

  /**
   * The current card with why nothing changed. The author's repeated click also posts a revision
   * whose post failed, and then brings the card of the revision before it up to date.
   */
  async function refusedRevision(action: CardActionTurn, draft: Draft, reason: string): Promise<CardActionResult> {
    if (draft.author.aadObjectId !== action.actor.aadObjectId || currentRevision(draft).activityId) return currentCard(draft, action, reason);
    const posted = await ensurePosted(action, draft);
    const previous = posted.revisions.at(-2);
    return { ...currentCard(posted, action, reason), shared: previous && sharedCard(posted, previous) };
  }

  const log = async (action: CardActionTurn): Promise<CardActionResult> => {
    const draft = await readable(action);
    if (!draft) return NOT_FOUND;
    for (const message of decisionLog(draft)) await action.send(message);
    return currentCard(draft, action);
  };

  return [
    { verb: VERB.create, run: onClickOnly(create) },
    { verb: VERB.view, run: view },
    { verb: VERB.decide, run: onClickOnly(decide) },
    { verb: VERB.reviseForm, run: reviseForm },
    { verb: VERB.revise, run: onClickOnly(revise) },
    { verb: VERB.log, run: onClickOnly(log) },
  ];
}

/** The draft numbered `id` (as a button or a command gives it), if this person may see it from this conversation. */
export async function readableDraft(drafts: DraftStore, id: unknown, where: Pick<CardActionTurn, 'homeConversationId' | 'actor'>): Promise<Draft | undefined> {
  const draft = await drafts.get(positiveInt(id) ?? 0);
  return draft && mayRead(draft, where.homeConversationId, where.actor.aadObjectId) ? draft : undefined;
}

/** The form for the author's next revision, filled with the current one. */
export function formFor(draft: Draft): object {
  const r = currentRevision(draft);
  return draftForm({ draftId: draft.id }, { title: r.title, text: r.points.join('\n'), approvers: r.approvers, rule: draft.rule, dueDate: r.dueDate });
}
