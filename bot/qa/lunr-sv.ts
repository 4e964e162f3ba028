import lunr from 'lunr';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('lunr-languages/lunr.stemmer.support')(lunr);
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('lunr-languages/lunr.sv')(lunr);

/** lunr with Swedish registered: a saved index names `stemmer-sv`, so this must load before `Index.load`. */
export { lunr };

type Stemmer = (token: lunr.Token) => lunr.Token;
type Filter = (token: lunr.Token) => lunr.Token | null;
const sv = (lunr as unknown as { sv: { stemmer: Stemmer; stopWordFilter: Filter } }).sv;

/** å and ä as a, ö as o, é as e: people type "lanspartnerskapet" as often as "länspartnerskapet". */
export function fold(word: string): string {
  // Most words are plain ASCII, which has nothing to fold; normalizing costs more than looking.
  return /^[\x00-\x7f]*$/.test(word) ? word : word.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

const foldToken = (token: lunr.Token) => token.update((s) => fold(s));
lunr.Pipeline.registerFunction(foldToken, 'fold-sv');

/** Index pipeline: Swedish stop words (before folding, they are spelled with å/ä/ö), fold, stem. */
export const INDEX_PIPELINE = [sv.stopWordFilter, foldToken, sv.stemmer];

/**
 * Stems already made: people's words repeat, and the Snowball stemmer was a twentieth of what
 * answering a question cost. Bounded in number and in word length, as anyone can type new words.
 */
const stems = new Map<string, string>();
const MAX_STEMS = 50_000;
const MAX_REMEMBERED_WORD = 40;

/** The stem of an already folded, lower-case word, exactly as the index stores it. */
export function stem(foldedWord: string): string {
  let stemmed = stems.get(foldedWord);
  if (stemmed === undefined) {
    stemmed = sv.stemmer(new lunr.Token(foldedWord, {})).toString();
    if (foldedWord.length <= MAX_REMEMBERED_WORD) {
      if (stems.size >= MAX_STEMS) stems.clear();
      stems.set(foldedWord, stemmed);
    }
  }
  return stemmed;
}
