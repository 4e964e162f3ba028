/** Viljeriktning drafts as plain data, and the rules that decide them. No I/O here. */

import { isCalendarDate, swedishDate, swedishStamp } from '../stockholm';
import { oneLine, shorten } from '../teams/text';

export type Rule = 'all' | 'first';
export type DraftStatus = 'pending' | 'approved' | 'rejected' | 'changes_requested';
export type Decision = 'approve' | 'reject' | 'request_changes';

export const STATUS_LABEL: Record<DraftStatus, string> = {
  pending: 'Väntar på beslut',
  approved: 'Godkänd',
  rejected: 'Avslagen',
  changes_requested: 'Ändring begärd',
};
/** The status in a sentence about "utkastet" ("det är godkänt"): the labels above are headings, not Swedish clauses. */
export const STATUS_PHRASE: Record<DraftStatus, string> = {
  pending: 'väntar på beslut',
  approved: 'är godkänt',
  rejected: 'har avslagits',
  changes_requested: 'har skickats tillbaka för ändring',
};
export const DECISION_LABEL: Record<Decision, string> = { approve: 'Godkänd', reject: 'Avslagen', request_changes: 'Ändring begärd' };
export const RULE_LABEL: Record<Rule, string> = { all: 'Alla måste godkänna', first: 'Första beslutet avgör' };

export interface Approver {
  aadObjectId: string;
  teamsId?: string;
  name: string;
  decision?: Decision;
  comment?: string;
  decidedAt?: Date;
}

export interface Revision {
  revision: number;
  title: string;
  points: string[];
  dueDate?: string; // YYYY-MM-DD
  changes?: string;
  /** The message showing this revision's card, once posted, and the conversation (or thread) it is in. */
  activityId?: string;
  conversationId?: string;
  approvers: Approver[];
  createdAt: Date;
}

export interface Draft {
  id: number;
  /** Where the draft was sent for decision (in a channel: the thread). */
  conversationId: string;
  /** The conversation it belongs to (in a channel: the channel itself), for lists and who may read it. */
  homeConversationId: string;
  author: { aadObjectId: string; teamsId: string; name: string };
  rule: Rule;
  status: DraftStatus;
  revision: number;
  version: number;
  revisions: Revision[]; // oldest first; the last is the current one
}

export const currentRevision = (d: Draft): Revision => d.revisions[d.revisions.length - 1];

/** The draft's status once the approvers of its current revision have decided as they have. */
export function settle(rule: Rule, approvers: Approver[]): DraftStatus {
  const decided = approvers.filter((a) => a.decision).sort((a, b) => (a.decidedAt?.getTime() ?? 0) - (b.decidedAt?.getTime() ?? 0));
  if (rule === 'first') {
    const first = decided[0]?.decision;
    return first === 'approve' ? 'approved' : first === 'reject' ? 'rejected' : first === 'request_changes' ? 'changes_requested' : 'pending';
  }
  if (decided.some((a) => a.decision === 'reject')) return 'rejected';
  if (decided.some((a) => a.decision === 'request_changes')) return 'changes_requested';
  return decided.length === approvers.length && approvers.length > 0 ? 'approved' : 'pending';
}

/** Why `aadObjectId` may not decide revision `revision` of the draft now, or undefined when they may. */
export function refusal(draft: Draft, revision: number, aadObjectId: string | undefined): string | undefined {
  const current = currentRevision(draft);
  if (revision !== current.revision) return `Det här var revision ${revision}. Utkastet har en nyare revision (${current.revision}); besluta på den. Inget ändrades.`;
  if (draft.status === 'changes_requested') return `Utkastet ${STATUS_PHRASE.changes_requested} och väntar på en ny revision. Inget ändrades.`;
  if (draft.status !== 'pending') return `Utkastet är redan avgjort: det ${STATUS_PHRASE[draft.status]}. Inget ändrades.`;
  const approver = current.approvers.find((a) => a.aadObjectId === aadObjectId);
  if (!aadObjectId || !approver) return 'Du är inte godkännare för det här utkastet, så du kan inte besluta om det. Inget ändrades.';
  if (approver.decision) return `Du har redan beslutat (${DECISION_LABEL[approver.decision].toLowerCase()}). Ett beslut per revision; inget ändrades.`;
  return undefined;
}

/**
 * Why `aadObjectId` may not write the next revision now, or undefined when they may. Given the
 * conversation they write from, it must be the draft's own, where the new revision is posted.
 */
export function revisionRefusal(draft: Draft, aadObjectId: string | undefined, fromHomeConversationId?: string): string | undefined {
  if (draft.author.aadObjectId !== aadObjectId) return 'Bara den som skrev utkastet kan revidera det.';
  if (draft.status !== 'changes_requested') return `Utkastet kan revideras när någon har begärt ändring; det ${STATUS_PHRASE[draft.status]}.`;
  if (fromHomeConversationId !== undefined && fromHomeConversationId !== draft.homeConversationId) {
    return 'Revidera utkastet i konversationen där det lades ut, så att den nya revisionen hamnar där.';
  }
  return undefined;
}

/** A draft is read where it was put forward, and by the people it concerns wherever they are. */
export function mayRead(draft: Draft, homeConversationId: string, aadObjectId: string | undefined): boolean {
  if (draft.homeConversationId === homeConversationId) return true;
  if (!aadObjectId) return false;
  return draft.author.aadObjectId === aadObjectId || draft.revisions.some((r) => r.approvers.some((a) => a.aadObjectId === aadObjectId));
}

export interface DraftForm {
  title: string;
  points: string[];
  approvers: string[];
  rule: Rule;
  dueDate?: string;
}

/** Limits that keep every card of a draft well under Teams' 28 KB (tests/e2e/approvals checks the worst case). */
export const LIMITS = { title: 200, points: 30, point: 400, pointsTotal: 4000, approvers: 50, comment: 1000 } as const;

/** One approver's decision: label, when, and the comment on one line (a line break would end a list item), shortened to `commentMax`. */
export function decisionSummary(a: Approver, commentMax = Infinity): string {
  if (!a.decision) return 'Väntar';
  const comment = a.comment ? `: "${shorten(oneLine(a.comment), commentMax)}"` : '';
  return `${DECISION_LABEL[a.decision]} ${a.decidedAt ? swedishStamp(a.decidedAt) : ''}${comment}`.trim();
}

/** The approvers' ids as the picker sends them (comma-separated AAD object ids); anything else is dropped. */
export const approverIds = (value: unknown): string[] =>
  [...new Set((typeof value === 'string' ? value : '').split(',').map((s) => s.trim()).filter((s) => /^[\w-]{1,64}$/.test(s)))];

/** Reads the form's inputs (untrusted: they come from the card) into a draft, or the problems to show. */
export function readDraftForm(data: Record<string, unknown>, today: string): { form?: DraftForm; problems: string[] } {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
  const problems: string[] = [];
  const title = oneLine(text(data.title));
  const points = text(data.text)
    .split(/\r?\n/)
    .map((l) => oneLine(l.replace(/^\s*(?:[-•*]|\d+[.)])\s*/, '')))
    .filter(Boolean);
  const picked = text(data.approvers).split(',').map((s) => s.trim()).filter(Boolean);
  const approvers = approverIds(data.approvers);
  const rule = text(data.rule) || 'all';
  const dueDate = text(data.dueDate) || undefined;

  if (!title) problems.push('Skriv en titel.');
  else if (title.length > LIMITS.title) problems.push(`Titeln får vara högst ${LIMITS.title} tecken.`);
  if (points.length === 0) problems.push('Skriv viljeriktningens punkter, en per rad.');
  else if (points.length > LIMITS.points || points.some((p) => p.length > LIMITS.point)) problems.push(`Högst ${LIMITS.points} punkter om högst ${LIMITS.point} tecken var.`);
  else if (points.join('').length > LIMITS.pointsTotal) problems.push(`Punkterna får vara högst ${LIMITS.pointsTotal} tecken tillsammans; korta dem eller dela upp utkastet.`);
  if (picked.length === 0) problems.push('Välj minst en godkännare.');
  else if (approvers.length > LIMITS.approvers) problems.push(`Välj högst ${LIMITS.approvers} godkännare.`);
  else if (approvers.length !== new Set(picked).size) problems.push('Godkännarna kunde inte läsas; välj dem igen.');
  if (rule !== 'all' && rule !== 'first') problems.push('Välj hur utkastet avgörs.');
  if (dueDate && !isCalendarDate(dueDate)) problems.push('Sista dag för beslut ska vara ett datum.');
  else if (dueDate && dueDate < today) problems.push('Sista dag för beslut har redan passerat.');

  if (problems.length) return { problems };
  return { form: { title, points, approvers, rule: rule as Rule, dueDate }, problems };
}

/** What a revision is, for telling what the next one changed. */
export interface RevisionContent {
  title: string;
  points: string[];
  dueDate?: string;
  rule: Rule;
  approvers: Pick<Approver, 'aadObjectId' | 'name'>[];
}

/** Lines of changed points shown; the record keeps every point, the card only needs the gist. */
const MAX_CHANGE_LINES = 10;
const CHANGED_POINT = 150;

/** A few names, shortened, and how many more: a list of 50 people is no summary. */
export function someNames(names: string[]): string {
  const shown = names.slice(0, MAX_CHANGE_LINES).map((n) => shorten(oneLine(n), 60));
  return names.length > shown.length ? `${shown.join(', ')} och ${names.length - shown.length} till` : shown.join(', ');
}

/** What a new revision changed, in words people read on the new card. */
export function describeChanges(before: RevisionContent, after: RevisionContent): string {
  const lines: string[] = [];
  if (before.title !== after.title) lines.push(`Ny titel (tidigare "${shorten(before.title, CHANGED_POINT)}").`);
  const added = after.points.filter((p) => !before.points.includes(p)).map((p) => `+ ${shorten(p, CHANGED_POINT)}`);
  const removed = before.points.filter((p) => !after.points.includes(p)).map((p) => `− ${shorten(p, CHANGED_POINT)}`);
  const changed = [...added, ...removed];
  lines.push(...changed.slice(0, MAX_CHANGE_LINES));
  if (changed.length > MAX_CHANGE_LINES) lines.push(`… och ${changed.length - MAX_CHANGE_LINES} ändrade punkter till.`);
  if (!changed.length && before.points.join('\n') !== after.points.join('\n')) lines.push('Punkterna har fått ny ordning.');
  const day = (d?: string) => (d ? swedishDate(d) : 'ingen');
  if (before.dueDate !== after.dueDate) lines.push(`Sista dag för beslut: ${day(after.dueDate)} (tidigare ${day(before.dueDate)}).`);
  if (before.rule !== after.rule) lines.push(`Beslutsregel: ${RULE_LABEL[after.rule]} (tidigare ${RULE_LABEL[before.rule].toLowerCase()}).`);
  const ids = (people: RevisionContent['approvers']) => new Set(people.map((a) => a.aadObjectId));
  const joined = after.approvers.filter((a) => !ids(before.approvers).has(a.aadObjectId)).map((a) => a.name);
  const left = before.approvers.filter((a) => !ids(after.approvers).has(a.aadObjectId)).map((a) => a.name);
  if (joined.length) lines.push(`Nya godkännare: ${someNames(joined)}.`);
  if (left.length) lines.push(`Inte längre godkännare: ${someNames(left)}.`);
  return lines.length ? lines.join('\n') : 'Inga ändringar i texten.';
}
