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
