import fc from 'fast-check';
import { QuestionAnswerer } from '../../bot/qa/answerer';
import { loadKnowledgeBase } from '../../bot/qa/knowledge-base';
import { analyzeQuestion, phrasesOf, queryClauses, splitCompound } from '../../bot/qa/query';
import { buildIndex, buildLunrIndex } from '../../bot/qa/search-index';
import questionSet from './questions.json';
import { tokenize } from '../../bot/qa/swedish';

const kb = loadKnowledgeBase();
const index = buildIndex(kb);
const vocabulary = index;
const answerer = new QuestionAnswerer(kb, index);
const topEntry = (q: string) => {
  const a = answerer.answer(q);
  return a.kind === 'answer' ? a.best.entry.id : a.kind;
};

describe('reading a question', () => {
  test("lunr's operators never survive tokenizing", () => {
    expect(tokenize('title:viljeriktning^10 +spin -spelplan~2 plan*')).toEqual(['title', 'viljeriktning', '10', 'spin', 'spelplan', '2', 'plan']);
    expect(tokenize('anslag 1:1')).toEqual(['anslag', '1:1']);
  });

  test('stop words are dropped, not required', () => {
    expect(analyzeQuestion(vocabulary, 'Vad är det som är en').map((w) => w.word)).toEqual([]);
  });

  test('a compound is split against the index vocabulary', () => {
    expect(splitCompound(vocabulary, 'planeringsfragor')).toBeDefined();
    const [word] = analyzeQuestion(vocabulary, 'kommunikationsarbete');
    expect(word.kind).toBe('compound');
  });

  test('one typo in a longer word is tolerated', () => {
    const [word] = analyzeQuestion(vocabulary, 'länspartnerskpet');
    expect(word.kind).toBe('fuzzy');
    expect(topEntry('länspartnerskpet')).toBe('lanspartnerskapet');
  });

  test('an abbreviation typed apart is joined: AP 1', () => {
    expect(topEntry('AP 1')).toBe('arbetspaket-1');
    expect(topEntry('ap1')).toBe('arbetspaket-1');
  });

  test.each([
    ['Vad är viljeriktningen?', 'viljeriktning'],
    ['VAD AR VILJERIKTNINGEN', 'viljeriktning'],
    ['vad ar lanspartnerskapet', 'lanspartnerskapet'],
    ['planeringsprocesserna', 'planeringsprocesser'],
    ['Vilka är följeregionerna?', 'foljeregioner'],
    ['den rumsliga nyttan', 'rumsliga-nyttan'],
  ])('%s → %s', (q, id) => expect(topEntry(q)).toBe(id));

  test('a passage that answers the question is preferred over the entry lead', () => {
    const a = answerer.answer('Vilka aktörer bjuds in till Länspartnerskapet?');
    expect(a.kind).toBe('answer');
    if (a.kind === 'answer') expect(a.best.entry.passages[a.best.passage].text).toContain('Strukturfondspartnerskapets presidium');
  });

  test('no input throws, and nothing is evaluated', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const a = answerer.answer(text);
        expect(['answer', 'none', 'empty']).toContain(a.kind);
      }),
      { numRuns: 2000 },
    );
    for (const text of ['', '   ', '🙂🎉', ':^~*+-', '${1+1}', '<script>alert(1)</script>', 'x'.repeat(10_000), 'title:foo^3 bar~1 +baz -qux*']) {
      expect(() => answerer.answer(text)).not.toThrow();
    }
  });
});

describe('the compiled index', () => {
  const lunrIndex = buildLunrIndex(kb);

  test("scores every question's passages exactly as lunr's own query does", () => {
    for (const { q } of questionSet as Array<{ q: string }>) {
      const words = analyzeQuestion(index, q);
      const clauses = queryClauses(words, phrasesOf(index, words));
      // Without clauses lunr returns every passage (an empty query is all negations); the compiled index, none.
      if (clauses.length === 0) continue;
      const expected = lunrIndex.query((query) => {
        for (const c of clauses) query.term(c.term, { usePipeline: false, boost: c.boost, ...(c.fields && { fields: [...c.fields] }) });
      });
      const query = index.query(clauses);
      const got = index.refs.map((ref, doc) => ({ ref, score: query.score(doc) })).filter((h) => h.score > 0);
      expect(got.map((h) => h.ref).sort()).toEqual(expected.map((r) => r.ref).sort());
      const score = new Map(got.map((h) => [h.ref, h.score]));
      for (const r of expected) expect(score.get(r.ref)).toBeCloseTo(r.score, 4);
    }
  });

  test('finds terms by prefix and by one typo', () => {
    expect(index.startingWith('lanspartner')).toContain('lanspartnerskap');
    expect(index.near('lanspartnerskp')).toContain('lanspartnerskap');
    expect(index.startingWith('zzz')).toEqual([]);
  });
});
