import type { Features } from '../app';
import type { Turn } from '../teams/turn';
import type { QuestionAnswerer } from './answerer';
import { messageFor } from './answer-messages';
import { conceptsMessage, projectsMessage, sourcesMessage, statusMessage, unansweredMessage } from './catalog-messages';
import type { UnansweredStore } from './unanswered-store';

export interface QaDependencies {
  answerer: QuestionAnswerer;
  unanswered: UnansweredStore;
  /** Azure AD object ids (lower case) of those who may see the unanswered questions; undefined: everyone. */
  editors?: string[];
  /** How many days back the unanswered questions go (they are kept no longer). */
  retentionDays: number;
  /** Told whether each question got an answer (for the metrics). */
  onOutcome?: (outcome: 'answered' | 'not_answered') => void;
}

/** Question answering: the commands over the knowledge base, and every other message as a question. */
export function questionAnswering({ answerer, unanswered, editors, retentionDays, onOutcome }: QaDependencies): Features {
  const kb = answerer.kb;

  const answer = async (turn: Turn, question: string, typ?: 'begrepp') => {
    const result = answerer.answer(question, typ);
    onOutcome?.(result.kind === 'answer' ? 'answered' : 'not_answered');
    // The reply says the question is kept for the editors only once it is stored; a failed write is
    // not the asker's problem, so they get their answer all the same, without that sentence.
    let kept = false;
    if (result.kind === 'none') {
      try {
        await unanswered.record(question, turn.conversationId);
        kept = true;
      } catch (err) {
        turn.log.warn({ err }, 'could not store an unanswered question');
      }
    }
    await turn.send(messageFor(kb, result, question, kept));
  };

  return {
    commands: [
      {
        pattern: /^begrepp$/,
        help: { usage: 'begrepp', description: 'Alla begrepp, eller "begrepp rumsligt perspektiv" för ett.', button: 'Begrepp' },
        run: async (turn) => void (await turn.send(conceptsMessage(kb))),
      },
      {
        pattern: /^begrepp (.+)$/,
        run: async (turn) => answer(turn, turn.text.replace(/^\W*begrepp\W*/i, ''), 'begrepp'),
      },
      {
        pattern: /^status$/,
        help: { usage: 'status', description: 'Uppdraget i korthet: faser, arbetspaket och pilotprojekt.', button: 'Status' },
        run: async (turn) => void (await turn.send(statusMessage(kb))),
      },
      {
        pattern: /^(projekt|pilotprojekt(en)?)$/,
        help: { usage: 'projekt', description: 'De åtta pilotprojekten.', button: 'Pilotprojekt' },
        run: async (turn) => void (await turn.send(projectsMessage(kb))),
      },
      {
        pattern: /^kallor(na)?$/,
        help: { usage: 'källor', description: 'Dokumenten som svaren kommer ifrån.', button: 'Källor' },
        run: async (turn) => void (await turn.send(sourcesMessage(kb))),
      },
      {
        pattern: /^obesvarade( fragor)?$/,
        help: { usage: 'obesvarade', description: 'För redaktörer: vanligaste frågorna utan svar.' },
        run: async (turn) => {
          // People's own words, from every conversation: only for the editors, when they are named.
          if (editors && !editors.includes(turn.actor.aadObjectId?.toLowerCase() ?? '')) {
            await turn.send({ text: 'Listan över obesvarade frågor är bara för kunskapsbasens redaktörer.' });
            return;
          }
          await turn.send(unansweredMessage(await unanswered.mostFrequent(10, retentionDays)));
        },
      },
    ],
    fallback: (turn) => answer(turn, turn.text),
  };
}
