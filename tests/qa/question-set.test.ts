import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadAnswerer } from '../../bot/qa/load';

/** The project's own questions, written from the documents: typos, compounds, abbreviations and off-topic ones. */
interface Question {
  q: string;
  id?: string;
  /** Other entries that quote the same fact, so answer the question as well. */
  also?: string[];
  none?: true;
}
const questions: Question[] = JSON.parse(readFileSync(path.join(__dirname, 'questions.json'), 'utf8'));
const { answerer } = loadAnswerer();

function outcome(q: string): string {
  const a = answerer.answer(q);
  return a.kind === 'answer' ? a.best.entry.id : a.kind;
}

test('the question set is large enough and different from the development set', () => {
  expect(questions.filter((q) => !q.none).length).toBeGreaterThanOrEqual(60);
  expect(questions.filter((q) => q.none).length).toBeGreaterThanOrEqual(10);
});

test('at least 95 % of the in-domain questions get the right entry first', () => {
  const inDomain = questions.filter((q) => !q.none);
  const misses = inDomain.filter((q) => ![q.id, ...(q.also ?? [])].includes(outcome(q.q))).map((q) => `${q.q} → ${outcome(q.q)} (want ${q.id})`);
  const right = inDomain.length - misses.length;
  console.log(`question set: ${right}/${inDomain.length} right${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
  expect(right / inDomain.length).toBeGreaterThanOrEqual(0.95);
});

test('every off-topic question is declined', () => {
  const answered = questions.filter((q) => q.none && outcome(q.q) !== 'none' && outcome(q.q) !== 'empty');
  expect(answered.map((q) => `${q.q} → ${outcome(q.q)}`)).toEqual([]);
});
