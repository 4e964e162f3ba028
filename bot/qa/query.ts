import { fold, stem } from './lunr-sv';
import type { Clause, PassageIndex } from './passage-index';
import { isStopWord, tokenize } from './swedish';

/** How a word of the question was found in the index. */
export type MatchKind = 'exact' | 'compound' | 'fuzzy' | 'prefix';

export interface QueryWord {
  word: string;
  kind?: MatchKind;
  /** Index terms that stand for the word; for a compound, one group per part. */
  groups: string[][];
  /** The word's own stems, before an abbreviation adds what it stands for. */
  own?: string[];
}

const BOOST: Record<MatchKind, number> = { exact: 10, compound: 6, fuzzy: 4, prefix: 2 };
const MIN_PART = 3;
/** Longer "words" are noise (pasted links, keyboard mashing); fuzzy matching on them costs memory. */
const MAX_WORD = 40;
const MAX_WORDS = 40;

/** What the query builder needs to know of the index's vocabulary. */
export type Vocabulary = Pick<PassageIndex, 'has' | 'near' | 'startingWith'>;

/** The stem of a word if the index knows it: as is, or without a Swedish linking s. */
function knownStem(vocab: Vocabulary, folded: string): string | undefined {
  for (const candidate of folded.endsWith('s') && folded.length > MIN_PART + 1 ? [folded, folded.slice(0, -1)] : [folded]) {
    const s = stem(candidate);
    if (vocab.has(s)) return s;
    if (vocab.has(candidate)) return candidate;
  }
  return undefined;
}

/** Splits a Swedish compound into parts the index knows: planeringsprocesser → planering + process. */
export function splitCompound(vocab: Vocabulary, folded: string, depth = 0): string[] | undefined {
  for (let i = MIN_PART; i <= folded.length - MIN_PART; i++) {
    const head = knownStem(vocab, folded.slice(0, i));
    if (!head) continue;
    const rest = folded.slice(i);
    const tail = knownStem(vocab, rest);
    if (tail) return [head, tail];
    const more = depth < 1 ? splitCompound(vocab, rest, depth + 1) : undefined;
    if (more) return [head, ...more];
  }
  return undefined;
}

/**
 * Reads a question as index terms, never as lunr syntax: stop words dropped, words folded and
 * stemmed, an abbreviation typed apart joined (AP 1 → ap1), unknown compounds split against the
 * index vocabulary, one typo tolerated in longer words, and a prefix as the last resort.
 */
export function analyzeQuestion(vocab: Vocabulary, text: string, abbreviations: Abbreviations = new Map()): QueryWord[] {
  const tokens = tokenize(text)
    .filter((t) => t.length <= MAX_WORD)
    .slice(0, MAX_WORDS);
  const out: QueryWord[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const joined = i + 1 < tokens.length ? fold(tokens[i] + tokens[i + 1]) : undefined;
    if (joined && tokens[i].length <= 4 && vocab.has(stem(joined))) {
      out.push({ word: `${tokens[i]} ${tokens[i + 1]}`, kind: 'exact', groups: [[stem(joined)]] });
      i++;
      continue;
    }
    const word = tokens[i];
    if (isStopWord(word)) continue;
    out.push(expand(lookUp(vocab, word), abbreviations.get(fold(word))));
  }
  return out;
}

// Definite and genitive endings the Swedish stemmer leaves on: projektet, strategin, uppdragets.
const ENDINGS = ['ets', 'ens', 'et', 'en', 'ns', 'n', 't', 's'];

/** The word's stem and the stems of its forms without a definite or genitive ending, as far as the index knows them. */
function knownForms(vocab: Vocabulary, folded: string): string[] {
  const forms = [folded, ...ENDINGS.filter((e) => folded.length - e.length >= 4 && folded.endsWith(e)).map((e) => folded.slice(0, -e.length))];
  return [...new Set(forms.map(stem))].filter((s) => vocab.has(s));
}

/** Stems joined as the index stores a phrase of two words from a title or synonym. */
export const phraseTerm = (a: string, b: string) => stem(`${stem(fold(a))}_${stem(fold(b))}`);

/** Abbreviations people type (TVV, RUS, AP1), folded, to the stems of what they stand for. */
export type Abbreviations = Map<string, string[]>;

/** An abbreviation also stands for the words it abbreviates: TVV is Tillväxtverket too. */
function expand(word: QueryWord, meaning: string[] | undefined): QueryWord {
  if (!meaning) return word;
  return { word: word.word, kind: word.kind ?? 'exact', groups: [[...new Set([...(word.groups[0] ?? []), ...meaning])]], own: word.groups[0] ?? [] };
}

function lookUp(vocab: Vocabulary, word: string): QueryWord {
  const folded = fold(word);
  const s = stem(folded);
  const forms = knownForms(vocab, folded);
  if (forms.length) return { word, kind: 'exact', groups: [forms] };
  const parts = folded.length >= 2 * MIN_PART ? splitCompound(vocab, folded) : undefined;
  if (parts) return { word, kind: 'compound', groups: parts.map((p) => [p]) };
  if (s.length >= 5) {
    const near = vocab.near(s);
    if (near.length) return { word, kind: 'fuzzy', groups: [near] };
  }
  if (s.length >= 4) {
    const longer = vocab.startingWith(s);
    if (longer.length) return { word, kind: 'prefix', groups: [longer] };
  }
  return { word, groups: [] };
}

/** Two neighbouring words of the question that stand together in some title or synonym: "arbetspaket 1". */
export function phrasesOf(vocab: Vocabulary, words: QueryWord[]): string[] {
  const phrases: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const term = phraseTerm(words[i].word, words[i + 1].word);
    if (vocab.has(term)) phrases.push(term);
  }
  return phrases;
}

const PHRASE_BOOST = 12;

/** The analysed question as clauses: every known term optional, boosted by how surely it stands for the word. */
export function queryClauses(words: QueryWord[], phrases: string[] = []): Clause[] {
  const clauses: Clause[] = [];
  for (const w of words) {
    if (!w.kind) continue;
    for (const group of w.groups) {
      for (const term of group) clauses.push({ term, boost: BOOST[w.kind] / group.length });
    }
  }
  for (const phrase of phrases) clauses.push({ term: phrase, boost: PHRASE_BOOST, fields: ['phrases'] });
  return clauses;
}
