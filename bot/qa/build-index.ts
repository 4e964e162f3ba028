/** `npm run build`: validates the knowledge base and saves its search index beside the compiled code. */
import { KnowledgeError, loadKnowledgeBase } from './knowledge-base';
import { buildIndex, saveIndex, SAVED_INDEX } from './search-index';

try {
  const kb = loadKnowledgeBase();
  saveIndex(buildIndex(kb), kb.contentHash);
  console.log(`knowledge: ${kb.entries.length} entries, index saved to ${SAVED_INDEX}`);
} catch (err) {
  console.error(err instanceof KnowledgeError ? `Kunskapsbasen är felaktig: ${err.message}` : err);
  process.exit(1);
}
