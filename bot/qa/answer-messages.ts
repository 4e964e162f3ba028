import { renderKnowledgeCard } from '../../cards/render';
import type { OutgoingMessage } from '../teams/turn';
import type { Answer, Candidate } from './answerer';
import { citation, type Entry, type KnowledgeBase } from './knowledge-base';
import { commandText } from '../teams/text';

export const NO_ANSWER_HEADLINE = 'Jag hittade inget säkert svar i mina källor.';

/** What a button asks to reach an entry: its title, which the ranking treats as naming it. */
const askFor = (entry: Entry) => entry.title;

/** The knowledge base's questions folded as a typed question is: folding is the costly part of a reply's text work. */
const foldedQuestions = new Map<string, string>();
function foldedQuestion(question: string): string {
  let folded = foldedQuestions.get(question);
  if (folded === undefined) foldedQuestions.set(question, (folded = commandText(question)));
  return folded;
}

/** Up to three follow-up questions: the entry's own, then its related entries'; never the one just asked. */
export function relatedQuestions(kb: KnowledgeBase, entry: Entry, asked: string, limit = 3): string[] {
  const askedFolded = commandText(asked);
  const fromRelated = entry.related.flatMap((id) => kb.byId.get(id)?.questions.slice(0, 1) ?? []);
  const picked: string[] = [];
  for (const question of new Set([...entry.questions.slice(0, 2), ...fromRelated, ...entry.questions.slice(2)])) {
    if (picked.length === limit) break;
    if (foldedQuestion(question) !== askedFolded) picked.push(question);
  }
  return picked;
}

function facts(entry: Entry) {
  return [
    ...(entry.period ? [{ title: 'Period', value: entry.period }] : []),
    ...(entry.status ? [{ title: 'Status', value: entry.status }] : []),
  ];
}

/** A passage quoted as the answer, with its source, a "Menade du …?" choice when others fit as well, and follow-ups. */
export function answerMessage(kb: KnowledgeBase, best: Candidate, alsoClose: Candidate[], asked: string): OutgoingMessage {
  const { entry } = best;
  const passage = entry.passages[best.passage];
  const source = citation(passage);
  const card = renderKnowledgeCard('answer', {
    title: entry.title,
    heading: passage.heading ?? '',
    text: passage.text,
    facts: facts(entry),
    source,
    alsoClose: alsoClose.map((c) => ({ title: c.entry.title, ask: askFor(c.entry) })),
    related: relatedQuestions(kb, entry, asked).map((question) => ({ question })),
  });
  const heading = passage.heading ? ` – ${passage.heading}` : '';
  const also = alsoClose.length ? `\n\nMenade du: ${alsoClose.map((c) => c.entry.title).join(' | ')}?` : '';
  return { text: `${entry.title}${heading}\n\n${passage.text}\n\nKälla: ${source}${also}`, card, textAlongside: true };
}

export function noAnswerMessage(closest: Candidate[], explanation: string): OutgoingMessage {
  const card = renderKnowledgeCard('no-answer', {
    headline: NO_ANSWER_HEADLINE,
    explanation,
    closest: closest.map((c) => ({ title: c.entry.title, ask: askFor(c.entry) })),
  });
  const near = closest.length ? `\nNärmast i källorna: ${closest.map((c) => c.entry.title).join(', ')}.` : '';
  return { text: `${NO_ANSWER_HEADLINE} ${explanation}${near}`, card, textAlongside: true };
}

const NOT_IN_SOURCES = 'Källorna (regeringsuppdraget om strategisk planering och Region Jämtland Härjedalens ärenden) verkar inte ta upp det.';
const KEPT_FOR_EDITORS = 'Frågan är sparad så att redaktörerna kan se den.';
const TRY_OTHER_WORDS = 'Pröva gärna andra ord, eller skriv "begrepp" eller "hjälp".';
const EXPLAIN_EMPTY = 'Skriv en fråga med ord, till exempel "Vad är strategisk planering?", eller "hjälp".';

/**
 * Any outcome of the answerer as the message the person gets. `keptForEditors`: a question without
 * an answer has been stored for the editors; the reply says so only then.
 */
export function messageFor(kb: KnowledgeBase, answer: Answer, asked: string, keptForEditors = false): OutgoingMessage {
  switch (answer.kind) {
    case 'answer':
      return answerMessage(kb, answer.best, answer.alsoClose, asked);
    case 'none':
      return noAnswerMessage(answer.closest, [NOT_IN_SOURCES, ...(keptForEditors ? [KEPT_FOR_EDITORS] : []), TRY_OTHER_WORDS].join(' '));
    case 'empty':
      return noAnswerMessage([], EXPLAIN_EMPTY);
  }
}
