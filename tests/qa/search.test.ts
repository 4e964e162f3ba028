import fc from 'fast-check';
import { QuestionAnswerer } from '../../bot/qa/answerer';
import { loadKnowledgeBase } from '../../bot/qa/knowledge-base';
import { analyzeQuestion, splitCompound, Vocabulary } from '../../bot/qa/query';
import { buildIndex } from '../../bot/qa/search-index';
import { tokenize } from '../../bot/qa/swedish';

const kb = loadKnowledgeBase();
const index = buildIndex(kb);
const vocabulary = new Vocabulary(index);
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
