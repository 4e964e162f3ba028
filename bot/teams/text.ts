const MENTION = /<at[^>]*>(.*?)<\/at>/gis;
const LEADING_OR_TRAILING_MENTIONS = /^(\s*<at[^>]*>.*?<\/at>)+|(<at[^>]*>.*?<\/at>\s*)+$/gis;

/**
 * Mention markup left in a message: teams-ai removes the bot's own mention, but only the first,
 * and a mention of the bot by another display name stays. A leading or trailing mention is
 * never part of what the person asks; one inside a sentence ("vad gör <at>Anna</at>?") is a name.
 */
export function stripMentions(text: string): string {
  return text
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(LEADING_OR_TRAILING_MENTIONS, ' ')
    .replace(MENTION, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Folds text for matching commands: "Hjälp!" and "hjalp" are the same command. */
export function commandText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** One line of text: a forged invoke may send line breaks and control characters where a form allows none. */
export const oneLine = (text: string) => text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();

/** `text` cut to at most `max` characters (never inside a character made of two code units), with "…" when something was cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** "Anna", "Anna och Bo", "Anna, Bo och Cecilia". */
export const swedishList = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} och ${items.at(-1)}`);
