import { renderCard } from '../../cards/render';
import { swedishDate, swedishStamp } from '../stockholm';
import type { OutgoingMessage } from '../teams/turn';
import { currentRevision, DECISION_LABEL, RULE_LABEL, STATUS_LABEL, type Approver, type Draft, type DraftStatus, type Revision } from './draft-rules';

export const VERB = {
  create: 'draft.create',
  view: 'draft.view',
  decide: 'draft.decide',
  reviseForm: 'draft.reviseForm',
  revise: 'draft.revise',
  log: 'draft.log',
} as const;

const STATUS_COLOR: Record<DraftStatus, string> = { pending: 'Warning', approved: 'Good', rejected: 'Attention', changes_requested: 'Accent' };


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

/** The form for a new draft, or for the next revision of `draftId`, with what was typed and what is wrong. */
export function draftForm(formId: string, values: FormValues = {}, problems: string[] = [], draftId?: number): object {
  return renderCard('draft-form', {
    heading: draftId ? `Revidera utkast #${draftId}` : 'Ny viljeriktning',
    intro: draftId
      ? 'Ändra det som begärdes. Den nya revisionen skickas till samma godkännare, och deras beslut börjar om.'
      : 'Skriv utkastet och välj vilka som ska besluta. Det läggs ut här i konversationen när du skickar det.',
    problems,
    title: values.title ?? '',
    text: values.text ?? '',
    knownApprovers: uniqueByAad([...(values.approvers ?? []), ...(values.suggested ?? [])]),
    approvers: (values.approvers ?? []).map((a) => a.aadObjectId).join(','),
    rule: values.rule ?? 'all',
    dueDate: values.dueDate ?? '',
    verb: draftId ? VERB.revise : VERB.create,
    submitData: draftId ? { formId, draftId } : { formId },
  });
}

const uniqueByAad = (people: Approver[]) => [...new Map(people.map((p) => [p.aadObjectId, p])).values()];

function decisionText(a: Approver): string {
  if (!a.decision) return 'Väntar';
  const comment = a.comment ? `: "${a.comment}"` : '';
  return `${DECISION_LABEL[a.decision]} ${a.decidedAt ? swedishStamp(a.decidedAt) : ''}${comment}`.trim();
}

/**
 * The card of one revision as `viewerAad` sees it: a pending approver of the current revision gets
 * the buttons, the author the Revidera button when changes were asked for, everyone else the read-only
 * view. The card refreshes for exactly those who would see something else than the shared view.
 */
export function draftCard(draft: Draft, revision: Revision, viewerAad?: string, notice = ''): object {
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
    author: draft.author.name,
    revisionLabel: isCurrent ? `revision ${revision.revision}` : `revision ${revision.revision}, ersatt av revision ${current.revision}`,
    statusLabel: STATUS_LABEL[status],
    statusColor: STATUS_COLOR[status],
    changes: revision.changes ?? '',
    points: revision.points.map((text, i) => ({ n: i + 1, text })),
    ruleLabel: RULE_LABEL[draft.rule],
    dueLabel: revision.dueDate ? swedishDate(revision.dueDate) : 'ingen',
    approvers: revision.approvers.map((a) => ({ name: a.name, decision: decisionText(a) })),
    notice,
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

/** The full record, for a protocol: every revision, every decision with who, when and comment. */
export function decisionLog(draft: Draft): OutgoingMessage {
  const lines = [
    `## Beslutslogg: ${currentRevision(draft).title}`,
    `Utkast #${draft.id}, skrivet av ${draft.author.name}. Beslutsregel: ${RULE_LABEL[draft.rule]}. Status: ${STATUS_LABEL[draft.status]}.`,
  ];
  for (const r of draft.revisions) {
    lines.push('', `### Revision ${r.revision} (${swedishStamp(r.createdAt)})`);
    if (r.changes) lines.push(`Ändringar: ${r.changes.replace(/\n/g, '; ')}`);
    r.points.forEach((p, i) => lines.push(`${i + 1}. ${p}`));
    if (r.dueDate) lines.push(`Sista dag för beslut: ${swedishDate(r.dueDate)}`);
    for (const a of r.approvers) lines.push(`- ${a.name} (${a.aadObjectId}): ${decisionText(a)}`);
  }
  const markdown = lines.join('\n');
  const card = renderCard('draft-log', {
    draftId: draft.id,
    title: currentRevision(draft).title,
    statusLabel: STATUS_LABEL[draft.status],
    ruleLabel: RULE_LABEL[draft.rule],
    author: draft.author.name,
    revisions: draft.revisions.map((r) => ({
      revision: r.revision,
      created: swedishStamp(r.createdAt),
      changes: r.changes ?? '',
      points: r.points.map((text, i) => ({ n: i + 1, text })),
      decisions: r.approvers.map((a) => ({ name: a.name, summary: decisionText(a) })),
    })),
    markdown,
  });
  return { text: markdown, card, textAlongside: true };
}
