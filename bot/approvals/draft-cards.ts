import { renderCard } from '../../cards/render';
import { isCalendarDate, swedishDate } from '../stockholm';
import { shorten } from '../teams/text';
import type { OutgoingMessage } from '../teams/turn';
import { currentRevision, decisionSummary, LIMITS, RULE_LABEL, STATUS_LABEL, type Approver, type Draft, type DraftStatus, type Revision } from './draft-rules';

export const VERB = {
  create: 'draft.create',
  view: 'draft.view',
  decide: 'draft.decide',
  reviseForm: 'draft.reviseForm',
  revise: 'draft.revise',
  log: 'draft.log',
} as const;

const STATUS_COLOR: Record<DraftStatus, string> = { pending: 'Warning', approved: 'Good', rejected: 'Attention', changes_requested: 'Accent' };

/** What the card shows of long texts: the decision log keeps them whole. */
const ON_CARD = { name: 60, comment: 80, changes: 1500 } as const;
/** The points as typed, with line breaks and bullets: somewhat more than the points themselves. */
const MAX_FORM_TEXT = 5000;

/** A line above the buttons telling the viewer what just happened: good news in green, a refusal in red. */
export interface Notice {
  text: string;
  good?: boolean;
}

export interface FormValues {
  title?: string;
  text?: string;
  /** Chosen approvers, shown selected. */
  approvers?: Approver[];
  /** People the picker offers before anyone types (Teams finds everyone else). */
  suggested?: Approver[];
  rule?: string;
  dueDate?: string;
}

/** Which form: a new draft's (its own id makes a second click find the first one's draft) or the next revision of a draft. */
export type FormTarget = { formId: string } | { draftId: number };

/** The form for a new draft, or for the next revision of a draft, with what was typed and what is wrong. */
export function draftForm(target: FormTarget, values: FormValues = {}, problems: string[] = []): object {
  const revising = 'draftId' in target;
  return renderCard('draft-form', {
    heading: revising ? `Revidera utkast #${target.draftId}` : 'Ny viljeriktning',
    intro: revising
      ? 'Ändra det som begärdes, och godkännarna om det behövs. Den nya revisionen läggs ut här, och alla beslut börjar om.'
      : 'Skriv utkastet och välj vilka som ska besluta. Det läggs ut här i konversationen när du skickar det.',
    problems,
    title: shorten(values.title ?? '', LIMITS.title),
    text: shorten(values.text ?? '', MAX_FORM_TEXT),
    maxText: MAX_FORM_TEXT,
    knownApprovers: uniqueByAad([...(values.approvers ?? []), ...(values.suggested ?? [])]).map((a) => ({ aadObjectId: a.aadObjectId, name: shorten(a.name, ON_CARD.name) })),
    approvers: (values.approvers ?? []).map((a) => a.aadObjectId).join(','),
    rule: values.rule === 'first' ? 'first' : 'all',
    dueDate: values.dueDate && isCalendarDate(values.dueDate) ? values.dueDate : '',
    verb: revising ? VERB.revise : VERB.create,
    submitData: target,
  });
}

const uniqueByAad = (people: Approver[]) => [...new Map(people.map((p) => [p.aadObjectId, p])).values()];

/**
 * The card of one revision as `viewerAad` sees it: a pending approver of the current revision gets
 * the buttons, the author the Revidera button when changes were asked for, everyone else the read-only
 * view. The card refreshes for exactly those who would see something else than the shared view.
 */
export function draftCard(draft: Draft, revision: Revision, viewerAad?: string, notice?: Notice): object {
  const current = currentRevision(draft);
  const isCurrent = revision.revision === current.revision;
  const viewer = revision.approvers.find((a) => a.aadObjectId === viewerAad);
  const canDecide = isCurrent && draft.status === 'pending' && Boolean(viewer) && !viewer!.decision;
  const canRevise = isCurrent && draft.status === 'changes_requested' && draft.author.aadObjectId === viewerAad;
  const status: DraftStatus = isCurrent ? draft.status : revisionOutcome(revision);
  const card = renderCard('draft', {
    draftId: draft.id,
    revision: revision.revision,
    title: revision.title,
    author: shorten(draft.author.name, ON_CARD.name),
    revisionLabel: isCurrent ? `revision ${revision.revision}` : `revision ${revision.revision}, ersatt av revision ${current.revision}`,
    statusLabel: STATUS_LABEL[status],
    statusColor: STATUS_COLOR[status],
    changes: shorten(revision.changes ?? '', ON_CARD.changes),
    points: revision.points.map((text, i) => ({ n: i + 1, text })),
    ruleLabel: RULE_LABEL[draft.rule],
    dueLabel: revision.dueDate ? swedishDate(revision.dueDate) : 'ingen',
    approvers: revision.approvers.map((a) => ({ name: shorten(a.name, ON_CARD.name), decision: decisionSummary(a, ON_CARD.comment) })),
    notice: notice?.text ?? '',
    noticeColor: notice?.good ? 'Good' : 'Attention',
    canDecide,
    canRevise,
    settled: isCurrent && (draft.status === 'approved' || draft.status === 'rejected'),
  }) as Record<string, unknown>;
  const personal = isCurrent ? refreshUserIds(draft) : [];
  if (personal.length) {
    card.refresh = { action: { type: 'Action.Execute', verb: VERB.view, data: { draftId: draft.id, revision: revision.revision } }, userIds: personal };
  }
  return card;
}

/** Teams ids of those whose view differs from the shared one: pending approvers, and the author when it is their turn. */
function refreshUserIds(draft: Draft): string[] {
  const current = currentRevision(draft);
  const ids = draft.status === 'pending' ? current.approvers.filter((a) => !a.decision && a.teamsId).map((a) => a.teamsId!) : [];
  if (draft.status === 'changes_requested') ids.push(draft.author.teamsId);
  return [...new Set(ids)].slice(0, 60);
}

/** How an old (superseded) revision ended, read from the decisions on it. */
function revisionOutcome(revision: Revision): DraftStatus {
  if (revision.approvers.some((a) => a.decision === 'reject')) return 'rejected';
  return revision.approvers.some((a) => a.decision === 'request_changes') ? 'changes_requested' : 'pending';
}

export function draftMessage(draft: Draft, revision = currentRevision(draft)): OutgoingMessage {
  const text = `Viljeriktning för beslut: ${revision.title} (utkast #${draft.id}, revision ${revision.revision}). ${STATUS_LABEL[draft.status]}.`;
  return { text, card: draftCard(draft, revision) };
}
