import { QuestionAnswerer } from './answerer';
import { loadKnowledgeBase } from './knowledge-base';
import { indexFor } from './search-index';

/** Knowledge base (validated) and its index: the saved one when the files have not changed. */
export function loadAnswerer(): { answerer: QuestionAnswerer; entries: number; savedIndexUsed: boolean } {
  const kb = loadKnowledgeBase();
  const { index, loaded } = indexFor(kb);
  return { answerer: new QuestionAnswerer(kb, index), entries: kb.entries.length, savedIndexUsed: loaded };
}
