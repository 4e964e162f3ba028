import { QuestionAnswerer } from '../../bot/qa/answerer';
import { messageFor } from '../../bot/qa/answer-messages';
import { loadKnowledgeBase } from '../../bot/qa/knowledge-base';
import { buildIndex } from '../../bot/qa/search-index';

const kb = loadKnowledgeBase();
const answerer = new QuestionAnswerer(kb, buildIndex(kb));

/** The answer card's follow-up buttons, as a person sees them. */
function followUps(question: string): string[] {
  const card = messageFor(kb, answerer.answer(question), question).card as { body: Array<{ items?: Array<{ actions?: Array<{ title: string }> }> }> };
  return card.body.flatMap((block) => block.items ?? []).flatMap((item) => item.actions ?? []).map((action) => action.title);
}

describe('answer cards, filled once and shared', () => {
  test('the same answer gives the same card every time, and nobody can change it for the others', () => {
    const first = messageFor(kb, answerer.answer('Vad betyder viljeriktning?'), 'Vad betyder viljeriktning?').card as { body: unknown[] };
    const again = messageFor(kb, answerer.answer('Vad betyder viljeriktning?'), 'Vad betyder viljeriktning?').card;
    expect(again).toEqual(first);
    expect(JSON.stringify(first)).toContain('Källa: ');
    expect(() => first.body.push({ type: 'TextBlock', text: 'ändrad' })).toThrow(TypeError);
    expect(JSON.stringify(again)).not.toContain('ändrad');
  });

  test('a follow-up is never the question just asked, whichever of the entry\'s questions that was', () => {
    expect(followUps('Vad betyder viljeriktning?')).not.toContain('Vad betyder viljeriktning?');
    expect(followUps('Vad betyder viljeriktning?')).toContain('Vilka fyra punkter har viljeriktningen?');
    expect(followUps('Vilka fyra punkter har viljeriktningen?')).not.toContain('Vilka fyra punkter har viljeriktningen?');
    expect(followUps('Vilka fyra punkter har viljeriktningen?')).toContain('Vad betyder viljeriktning?');
    expect(followUps('Vad är en viljeriktning?')).toEqual(expect.arrayContaining(['Vad betyder viljeriktning?', 'Vilka fyra punkter har viljeriktningen?']));
  });
});
