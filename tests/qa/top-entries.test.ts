import fc from 'fast-check';
import lunr from 'lunr';
import { PassageIndex } from '../../bot/qa/passage-index';
import type { PassageQuery } from '../../bot/qa/passage-query';
import { EntryRanker } from '../../bot/qa/top-entries';

// A few words everywhere and many rare ones, as in a large knowledge base: what makes pruning pay.
const VOCABULARY = ['plan', 'region', 'kommun', ...Array.from({ length: 200 }, (_, i) => `ord${i}`)];
const word = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('plan', 'region', 'kommun') }, { weight: 1, arbitrary: fc.constantFrom(...VOCABULARY) });
const passage = fc.record({ entry: fc.nat(59), title: fc.array(word, { minLength: 1, maxLength: 3 }), text: fc.array(word, { minLength: 1, maxLength: 30 }) });
const clause = fc.record({ term: fc.oneof(fc.constantFrom('plan', 'region', 'kommun'), fc.constantFrom(...VOCABULARY, 'saknas')), boost: fc.double({ min: 0.5, max: 12, noNaN: true }), fields: fc.option(fc.constant(['title']), { nil: undefined }) });

function indexOf(passages: Array<{ title: string[]; text: string[] }>): PassageIndex {
  const built = lunr(function () {
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.ref('ref');
    this.field('title', { boost: 5 });
    this.field('text');
    passages.forEach((p, i) => this.add({ ref: String(i), title: p.title.join(' '), text: p.text.join(' ') }));
  });
  return PassageIndex.fromLunr(built);
}

/** Every passage scored, each entry by its best, the best `limit` first, the lower entry first on a tie. */
function exhaustive(query: PassageQuery, entryOf: Int32Array, limit: number, accepted: Uint8Array): number[] {
  const best = new Map<number, number>();
  entryOf.forEach((entry, doc) => {
    const score = query.score(doc);
    if (score > 0 && accepted[entry] === 1) best.set(entry, Math.max(best.get(entry) ?? 0, score));
  });
  return [...best].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit).map(([entry]) => entry);
}

test('the pruned ranking finds the same entries, in the same order, with the same scores, as scoring every passage', () => {
  fc.assert(
    fc.property(
      fc.array(passage, { minLength: 1, maxLength: 300 }),
      fc.array(fc.array(clause, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      (passages, queries, limit, onlyEven) => {
        const index = indexOf(passages);
        const entryOf = Int32Array.from(index.refs, (ref) => passages[Number(ref)].entry);
        const ranker = new EntryRanker(entryOf, 60);
        const accepted = Uint8Array.from({ length: 60 }, (_, e) => (onlyEven && e % 2 === 1 ? 0 : 1));
        // One ranker for several queries in turn, as the answerer uses it: nothing of one query stays for the next.
        for (const clauses of queries) {
          const query = index.query(clauses);
          const top = ranker.top(query, limit, accepted);
          expect(top.entries).toEqual(exhaustive(query, entryOf, limit, accepted));
          for (let doc = 0; doc < entryOf.length; doc++) expect(top.scoreOf(doc)).toBe(query.score(doc));
        }
      },
    ),
    { numRuns: 300 },
  );
});
