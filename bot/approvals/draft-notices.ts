/** Texts the bot sends about a draft on its own: to the author when it is decided, to approvers before the due date. */

import type { OutboxItem } from '../outbox/outbox-store';
import { swedishDate } from '../stockholm';
import type { OutgoingMessage } from '../teams/turn';
import { oneLine, shorten } from '../teams/text';
import { currentRevision, STATUS_PHRASE, type Approver, type Draft } from './draft-rules';

const TITLE = 100;
const COMMENT = 300;

const named = (draft: Draft) => `utkast #${draft.id} "${shorten(currentRevision(draft).title, TITLE)}"`;

/** The approver whose decision settled the current revision: the last one to decide. */
function settler(draft: Draft): Approver | undefined {
  return currentRevision(draft)
    .approvers.filter((a) => a.decidedAt)
    .sort((a, b) => a.decidedAt!.getTime() - b.decidedAt!.getTime())
    .at(-1);
}

const commentOf = (a: Approver | undefined) => (a?.comment ? `: "${shorten(oneLine(a.comment), COMMENT)}"` : '');

/** The short announcement in the draft's conversation after the decision that settled it or sent it back. */
export function outcomeAnnouncement(draft: Draft): OutgoingMessage {
  const next =
    draft.status === 'changes_requested'
      ? ` ${draft.author.name}: klicka på Revidera på kortet, eller skriv "revidera ${draft.id}".`
      : ` Skriv "beslutslogg ${draft.id}" för hela beslutsloggen.`;
  return { text: `${capitalise(named(draft))} ${STATUS_PHRASE[draft.status]}.${next}` };
}

/** The author's personal notice that their draft was settled or sent back; once per revision. */
export function authorNotice(draft: Draft): OutboxItem {
  const by = settler(draft);
  const text =
    draft.status === 'changes_requested'
      ? `${by?.name ?? 'En godkännare'} har begärt ändring i ditt ${named(draft)}${commentOf(by)}. ` +
        `Klicka på Revidera på kortet, eller skriv "revidera ${draft.id}" i konversationen där utkastet lades ut.`
      : `Ditt ${named(draft)} ${STATUS_PHRASE[draft.status]}` +
        `${draft.status === 'rejected' && by ? ` (${by.name}${commentOf(by)})` : ''}. Skriv "beslutslogg ${draft.id}" för hela beslutsloggen.`;
  return {
    key: `draft-outcome:${draft.id}:${draft.revision}`,
    conversationId: draft.conversationId,
    personTeamsId: draft.author.teamsId,
    message: { text },
  };
}

/** A pending approver's personal reminder the day before the due date; once per approver and revision. */
export function dueReminder(draft: Draft, approver: Approver & { teamsId: string }): OutboxItem {
  const revision = currentRevision(draft);
  const text =
    `Hej ${approver.name}! I morgon, ${swedishDate(revision.dueDate!)}, är sista dag för beslut om ${named(draft)} av ${draft.author.name}. ` +
    'Godkänn, avslå eller begär ändring på kortet i konversationen där utkastet lades ut.';
  return {
    key: `draft-reminder:${draft.id}:${revision.revision}:${approver.aadObjectId}`,
    conversationId: revision.conversationId ?? draft.conversationId,
    personTeamsId: approver.teamsId,
    message: { text },
  };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
