import { renderCard } from '../../cards/render';
import { swedishDate, swedishStamp } from '../stockholm';
import { oneLine, shorten } from '../teams/text';
import type { OutgoingMessage } from '../teams/turn';
import { currentRevision, DECISION_LABEL, decisionSummary, RULE_LABEL, STATUS_LABEL, type Draft, type Revision } from './draft-rules';

/** Teams refuses a message over about 28 KB; a log message stays well under it. */
const MESSAGE_BYTES = 24_000;
/** A part of the Markdown record sent as a message of its own, when the record is long. */
const PART_BYTES = 20_000;
/** What the log card shows; the Markdown record holds everything. */
const ON_CARD = { name: 60, comment: 100, changes: 500, earlierRevisions: 5, earlierLine: 300 } as const;

const bytes = (value: unknown) => Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value));

/** The record for a protocol as Markdown lines: every revision, every point, every decision with who, when and comment. */
function recordLines(draft: Draft): string[] {
  const lines = [
    `## Beslutslogg: ${currentRevision(draft).title}`,
    `Utkast #${draft.id}, skrivet av ${oneLine(draft.author.name)}. Beslutsregel: ${RULE_LABEL[draft.rule]}. Status: ${STATUS_LABEL[draft.status]}.`,
  ];
  for (const r of draft.revisions) {
    lines.push('', `### Revision ${r.revision} (${swedishStamp(r.createdAt)})`);
    if (r.changes) lines.push(`Ändringar: ${oneLine(r.changes.replace(/\n/g, '; '))}`);
    r.points.forEach((p, i) => lines.push(`${i + 1}. ${p}`));
    if (r.dueDate) lines.push(`Sista dag för beslut: ${swedishDate(r.dueDate)}`);
    for (const a of r.approvers) lines.push(`- ${oneLine(a.name)} (${a.aadObjectId}): ${decisionSummary(a)}`);
  }
  return lines;
}

/** Lines joined into texts of at most `max` bytes each, split between lines (no line comes near `max`). */
function parts(lines: string[], max: number): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let size = 0;
  for (const line of lines) {
    const lineBytes = bytes(line) + 1;
    if (part.length && size + lineBytes > max) {
      out.push(part.join('\n'));
      part = [];
      size = 0;
    }
    part.push(line);
    size += lineBytes;
  }
  if (part.length) out.push(part.join('\n'));
  return out;
}

/** An earlier revision in one line: who decided what. */
function earlierRevisionLine(r: Revision): string {
  const decided = r.approvers.filter((a) => a.decision).map((a) => `${oneLine(a.name)}: ${DECISION_LABEL[a.decision!].toLowerCase()}`);
  return shorten(`Revision ${r.revision} (${swedishStamp(r.createdAt)}): ${decided.join(', ') || 'inga beslut'}`, ON_CARD.earlierLine);
}

/** The log as a card of bounded size: the current revision's decisions, a line per earlier revision. */
function logCard(draft: Draft, whereText: string): object {
  const current = currentRevision(draft);
  const earlier = draft.revisions.slice(0, -1);
  const shown = earlier.slice(-ON_CARD.earlierRevisions);
  return renderCard('draft-log', {
    draftId: draft.id,
    title: current.title,
    statusLabel: STATUS_LABEL[draft.status],
    ruleLabel: RULE_LABEL[draft.rule],
    author: shorten(oneLine(draft.author.name), ON_CARD.name),
    revision: current.revision,
    created: swedishStamp(current.createdAt),
    changes: shorten(current.changes ?? '', ON_CARD.changes),
    dueLabel: current.dueDate ? swedishDate(current.dueDate) : '',
    decisions: current.approvers.map((a) => ({ name: shorten(oneLine(a.name), ON_CARD.name), summary: decisionSummary(a, ON_CARD.comment) })),
    earlier: [...(earlier.length > shown.length ? [`${earlier.length - shown.length} äldre revisioner står i texten.`] : []), ...shown.map(earlierRevisionLine)],
    whereText,
  });
}

/**
 * The full record, for a protocol: a card with the gist and the Markdown text with everything.
 * A short record travels beside the card in one message; a long one follows it in parts, so no
 * message comes near Teams' size limit.
 */
export function decisionLog(draft: Draft): OutgoingMessage[] {
  const record = parts(recordLines(draft), PART_BYTES);
  const together = logCard(draft, 'Hela beslutsloggen som text för protokollet står ovanför kortet.');
  if (record.length === 1 && bytes(together) + bytes(record[0]) <= MESSAGE_BYTES) return [{ text: record[0], card: together, textAlongside: true }];
  const title = currentRevision(draft).title;
  return [
    { text: `Beslutslogg: ${title} (utkast #${draft.id})`, card: logCard(draft, `Hela beslutsloggen som text för protokollet följer i ${record.length} meddelanden.`) },
    ...record.map((text) => ({ text })),
  ];
}
