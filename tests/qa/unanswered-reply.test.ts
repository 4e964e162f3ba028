import { openDatabase, type Database } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { createLogger } from '../../bot/logger';
import { loadKnowledgeBase } from '../../bot/qa/knowledge-base';
import { buildIndex } from '../../bot/qa/search-index';
import { QuestionAnswerer } from '../../bot/qa/answerer';
import { questionAnswering } from '../../bot/qa/qa-feature';
import { UnansweredStore } from '../../bot/qa/unanswered-store';
import type { OutgoingMessage, Turn } from '../../bot/teams/turn';
import { tempDir } from '../helpers/bot';

const kb = loadKnowledgeBase();
const answerer = new QuestionAnswerer(kb, buildIndex(kb));
const OFF_TOPIC = 'Hur blir vädret i Östersund i helgen?';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ DATA_DIR: tempDir() });
  await migrate(db);
});
afterAll(() => db.close());

/** Asks the question-answering feature as a turn would; `onSend` sees each reply as it is sent. */
async function ask(question: string, unanswered = new UnansweredStore(db), onSend: (message: OutgoingMessage) => Promise<void> = async () => undefined) {
  const { fallback } = questionAnswering({ answerer, unanswered, retentionDays: 90 });
  const sent: OutgoingMessage[] = [];
  const turn: Turn = {
    text: question,
    command: question.toLowerCase(),
    conversationId: 'c-unanswered',
    homeConversationId: 'c-unanswered',
    conversationType: 'personal',
    actor: { id: '29:asker', aadObjectId: 'aad-asker' },
    log: createLogger('silent', false),
    send: async (message) => {
      sent.push(message);
      await onSend(message);
      return 'reply';
    },
  };
  await fallback!(turn);
  return sent;
}

test('a question without an answer is stored before the reply says it is kept for the editors', async () => {
  const storedWhenReplying: number[] = [];
  const [reply] = await ask(OFF_TOPIC, undefined, async () => {
    storedWhenReplying.push((await db.query('SELECT 1 FROM unanswered_questions WHERE question = $1', [OFF_TOPIC])).length);
  });
  expect(reply.text).toContain('hittade inget');
  expect(reply.text).toContain('Frågan är sparad så att redaktörerna kan se den.');
  expect(storedWhenReplying).toEqual([1]);
});

test('when it cannot be stored the person still gets the reply, which then does not say it was kept', async () => {
  const broken = await openDatabase({ DATA_DIR: tempDir() });
  await broken.close();
  const sent = await ask(OFF_TOPIC, new UnansweredStore(broken));
  expect(sent).toHaveLength(1);
  expect(sent[0].text).toContain('hittade inget');
  expect(sent[0].text).not.toContain('sparad');
});

test('an answered question stores nothing', async () => {
  const [reply] = await ask('Vad är strategisk planering?');
  expect(reply.text).toContain('Källa:');
  expect(await db.query("SELECT 1 FROM unanswered_questions WHERE question = 'Vad är strategisk planering?'")).toHaveLength(0);
});
