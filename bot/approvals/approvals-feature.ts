import { randomUUID } from 'node:crypto';
import type { Features } from '../app';
import { swedishDate } from '../stockholm';
import type { Turn } from '../teams/turn';
import { draftActions, formFor, readableDraft, type DraftActionsDependencies } from './draft-actions';
import { draftForm } from './draft-cards';
import { decisionLog } from './draft-log';
import { suggestedApprovers } from './draft-people';
import { currentRevision, revisionRefusal, STATUS_LABEL } from './draft-rules';

/** Viljeriktning drafts: written in a form, decided on the posted card, revised, and logged for the protocol. */
export function approvals(deps: DraftActionsDependencies): Features {
  const { drafts } = deps;

  const readable = (turn: Turn, id: string) => readableDraft(drafts, id, turn);
  const notHere = (id: string) => ({ text: `Det finns inget utkast #${id} här.` });

  const sendLog = async (turn: Turn, id: string) => {
    const draft = await readable(turn, id);
    if (!draft) return void (await turn.send(notHere(id)));
    for (const message of decisionLog(draft)) await turn.send(message);
  };

  const sendReviseForm = async (turn: Turn, id: string) => {
    const draft = await readable(turn, id);
    if (!draft) return void (await turn.send(notHere(id)));
    const refused = revisionRefusal(draft, turn.actor.aadObjectId, turn.homeConversationId);
    await turn.send(refused ? { text: refused } : { text: `Revidera utkast #${draft.id}`, card: formFor(draft) });
  };

  const listOpen = async (turn: Turn) => {
    const open = await drafts.openInConversation(turn.homeConversationId);
    if (open.length === 0) return void (await turn.send({ text: 'Inga öppna utkast i den här konversationen. Skriv "ny viljeriktning" för att börja ett.' }));
    const lines = open.map((d) => {
      const r = currentRevision(d);
      const waiting = r.approvers.filter((a) => !a.decision).map((a) => a.name);
      const due = r.dueDate ? `, senast ${swedishDate(r.dueDate)}` : '';
      return `• #${d.id} ${r.title}: ${STATUS_LABEL[d.status]}${d.status === 'pending' ? ` (väntar på ${waiting.join(', ')}${due})` : ''}`;
    });
    await turn.send({ text: `Öppna utkast:\n${lines.join('\n')}` });
  };

  const newDraftForm = async (turn: Turn) =>
    void (await turn.send({ text: 'Ny viljeriktning', card: draftForm({ formId: randomUUID() }, { suggested: await suggestedApprovers(drafts, turn.homeConversationId, turn.actor) }) }));

  return {
    commands: [
      {
        pattern: /^ny viljeriktning$/,
        help: { usage: 'ny viljeriktning', description: 'Skriv ett utkast till viljeriktning och låt godkännarna besluta på kortet.', button: 'Ny viljeriktning' },
        run: newDraftForm,
      },
      { pattern: /^utkast$/, help: { usage: 'utkast', description: 'Öppna utkast i den här konversationen.' }, run: listOpen },
      { pattern: /^beslutslogg (\d+)$/, help: { usage: 'beslutslogg <nr>', description: 'Hela beslutsloggen för ett utkast, klar för protokollet.' }, run: (turn, m) => sendLog(turn, m[1]) },
      { pattern: /^revidera (\d+)$/, run: (turn, m) => sendReviseForm(turn, m[1]) },
    ],
    cardActions: draftActions(deps),
  };
}
