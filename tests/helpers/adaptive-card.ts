// The adaptivecards library's `lib/` build does not load in Node; its browser bundle does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/**
 * Problems the Adaptive Cards renderer finds in a card: parse events (unknown types, bad values)
 * and validation failures. An empty list means Teams can render it as authored.
 */
export function cardProblems(json: object): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  if ((json as { version?: string }).version !== '1.5') problems.push(`version is ${(json as { version?: string }).version}, not 1.5`);
  return problems;
}
