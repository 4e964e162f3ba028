import { readable } from './connector';

/** Every button (Action.Execute or Action.OpenUrl) in a card, by title; the card's refresh action is no button. */
export function actions(card: any): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'Action.Execute' || node.type === 'Action.OpenUrl') out[node.title] = node;
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

/** What a person reads on a card. */
export const cardText = (card: any) => readable({ attachments: [{ content: card }] });
