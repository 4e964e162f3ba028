/** `npm run ask -- "fråga"`: the answer, its source and score in the terminal, without the server. */
import { citation } from './knowledge-base';
import { loadAnswerer } from './load';

const question = process.argv.slice(2).join(' ');
if (!question.trim()) {
  console.error('Användning: npm run ask -- "Vad är strategisk planering?"');
  process.exit(2);
}
const { answerer } = loadAnswerer();
const result = answerer.answer(question);
const { candidates } = answerer.rank(question);
const line = (c: (typeof candidates)[number]) => `${c.entry.id} (score ${c.score.toFixed(2)}, täckning ${Math.round(c.coverage * 100)} %)`;

if (result.kind === 'answer') {
  const passage = result.best.entry.passages[result.best.passage];
  console.log(`${result.best.entry.title}${passage.heading ? ` – ${passage.heading}` : ''}\n\n${passage.text}\n`);
  console.log(`Källa: ${citation(passage)}`);
  console.log(`Svar:  ${line(result.best)}`);
  if (result.alsoClose.length) console.log(`Menade du: ${result.alsoClose.map(line).join('; ')}`);
} else {
  console.log(result.kind === 'empty' ? 'Inga ord att söka på.' : 'Jag hittade inget säkert svar.');
}
console.log(`\nBästa träffar:\n${candidates.slice(0, 5).map((c) => `  ${line(c)}`).join('\n') || '  (inga)'}`);
