import { cardProblems } from './adaptive-card';
import { cardOf, readable, type FakeConnector } from './connector';

/** Every button (Action.Execute, Action.Submit or Action.OpenUrl) in a card, by title; the card's refresh action is no button. */
export function actions(card: any): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (['Action.Execute', 'Action.Submit', 'Action.OpenUrl'].includes(node.type)) out[node.title] = node;
    for (const [key, value] of Object.entries(node)) if (key !== 'refresh') walk(value);
  };
  walk(card);
  return out;
}

/** Every input in a card, by id. */
export function inputs(card: any): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) out[node.id] = node;
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}

/** The element with this id in a card. */
function element(card: any, id: string): any {
  if (!card || typeof card !== 'object') return undefined;
  if (card.id === id) return card;
  for (const value of Object.values(card)) {
    const found = element(value, id);
    if (found) return found;
  }
  return undefined;
}

/** What a card tells the person about their click (its element "notice"), and in which colour; undefined when it tells nothing. */
export function notice(card: any): { text: string; color: string } | undefined {
  const block = element(card, 'notice');
  return block && { text: block.text, color: block.color };
}

/** What a person reads on a card. */
export const cardText = (card: any) => readable({ attachments: [{ content: card }] });

/** After every test of the file: each card the bot posted or updated in it renders in Teams and fits in a Teams message (28 KB). */
export function checkEverySentCard(connector: () => FakeConnector): void {
  let checked = 0;
  afterEach(() => {
    const sent = connector().sent;
    for (const activity of sent.slice(checked)) {
      const card = cardOf(activity.body);
      if (card) expect(cardProblems(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(activity.body))).toBeLessThan(28 * 1024);
    }
    checked = sent.length;
  });
}
