/** Viljeriktning drafts as plain data, and the rules that decide them. No I/O here. */

import { isCalendarDate } from '../stockholm';

export type Rule = 'all' | 'first';
export type DraftStatus = 'pending' | 'approved' | 'rejected' | 'changes_requested';
export type Decision = 'approve' | 'reject' | 'request_changes';

export const STATUS_LABEL: Record<DraftStatus, string> = {
  pending: 'Väntar på beslut',
  approved: 'Godkänd',
  rejected: 'Avslagen',
  changes_requested: 'Ändring begärd',
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
  activityId?: string;
  approvers: Approver[];
  createdAt: Date;
}

export interface Draft {
  id: number;
  conversationId: string;
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
  if (revision !== current.revision) return `Det här är revision ${revision}. Utkastet har en nyare revision (${current.revision}); besluta på den.`;
  if (draft.status !== 'pending') return `Utkastet är redan avgjort: ${STATUS_LABEL[draft.status]}. Inget ändrades.`;
  const approver = current.approvers.find((a) => a.aadObjectId === aadObjectId);
  if (!aadObjectId || !approver) return 'Du är inte godkännare för det här utkastet, så du kan inte besluta om det. Inget ändrades.';
  if (approver.decision) return `Du har redan beslutat (${DECISION_LABEL[approver.decision].toLowerCase()}). Ett beslut per revision; inget ändrades.`;
  return undefined;
}

export interface DraftForm {
  title: string;
  points: string[];
  approvers: string[];
  rule: Rule;
  dueDate?: string;
}

const MAX_TITLE = 200;
const MAX_POINTS = 50;
const MAX_POINT = 1000;
const MAX_APPROVERS = 50;

/** Reads the form's inputs (untrusted: they come from the card) into a draft, or the problems to show. */
export function readDraftForm(data: Record<string, unknown>, today: string): { form?: DraftForm; problems: string[] } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const problems: string[] = [];
  const title = text(data.title);
  const points = text(data.text)
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-•*]|\d+[.)])\s*/, '').trim())
    .filter(Boolean);
  const approvers = [...new Set(text(data.approvers).split(',').map((s) => s.trim()).filter(Boolean))];
  const rule = text(data.rule) || 'all';
  const dueDate = text(data.dueDate) || undefined;

  if (!title) problems.push('Skriv en titel.');
  else if (title.length > MAX_TITLE) problems.push(`Titeln får vara högst ${MAX_TITLE} tecken.`);
  if (points.length === 0) problems.push('Skriv viljeriktningens punkter, en per rad.');
  else if (points.length > MAX_POINTS || points.some((p) => p.length > MAX_POINT)) problems.push(`Högst ${MAX_POINTS} punkter om högst ${MAX_POINT} tecken var.`);
  if (approvers.length === 0) problems.push('Välj minst en godkännare.');
  else if (approvers.length > MAX_APPROVERS || approvers.some((a) => !/^[\w-]{1,64}$/.test(a))) problems.push('Godkännarna kunde inte läsas; välj dem igen.');
  if (rule !== 'all' && rule !== 'first') problems.push('Välj hur utkastet avgörs.');
  if (dueDate && !isCalendarDate(dueDate)) problems.push('Sista dag för beslut ska vara ett datum.');
  else if (dueDate && dueDate < today) problems.push('Sista dag för beslut har redan passerat.');

  if (problems.length) return { problems };
  return { form: { title, points, approvers, rule: rule as Rule, dueDate }, problems };
}

/** What a new revision changed, in words people read on the new card. */
export function describeChanges(before: Pick<Revision, 'title' | 'points' | 'dueDate'>, after: Pick<Revision, 'title' | 'points' | 'dueDate'>): string {
  const lines: string[] = [];
  if (before.title !== after.title) lines.push(`Ny titel (tidigare "${before.title}").`);
  const added = after.points.filter((p) => !before.points.includes(p));
  const removed = before.points.filter((p) => !after.points.includes(p));
  for (const p of added) lines.push(`+ ${p}`);
  for (const p of removed) lines.push(`− ${p}`);
  if (!added.length && !removed.length && before.points.join('\n') !== after.points.join('\n')) lines.push('Punkterna har fått ny ordning.');
  if (before.dueDate !== after.dueDate) lines.push(`Sista dag för beslut: ${after.dueDate ?? 'ingen'} (tidigare ${before.dueDate ?? 'ingen'}).`);
  return lines.length ? lines.join('\n') : 'Inga ändringar i texten.';
}
