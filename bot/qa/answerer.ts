import type { Entry, KnowledgeBase } from './knowledge-base';
import { fold, stem, type lunr } from './lunr-sv';
import { isStopWord, tokenize } from './swedish';
import { analyzeQuestion, coverage, phrasesOf, runQuery, Vocabulary, type Abbreviations, type QueryWord } from './query';
import { parsePassageRef } from './search-index';

/** An entry as a candidate answer: its best passage, how well it scored and how much of the question it covers. */
export interface Candidate {
  entry: Entry;
  passage: number;
  score: number;
  coverage: number;
}

export type Answer =
  /**
   * Confident: show this passage. `alsoClose` are runners-up that fit about as well ("Menade du …?");
   * `closest` the next ones, for related questions.
   */
  | { kind: 'answer'; best: Candidate; alsoClose: Candidate[]; closest: Candidate[] }
  /** Nothing fits well enough: say so, offer the closest topics. */
  | { kind: 'none'; closest: Candidate[] }
  /** No words to search for (empty, emoji, only stop words). */
  | { kind: 'empty' };

/** Share of the question's words an answer must cover; a word the knowledge base has never seen counts against it more. */
const MIN_COVERAGE = 0.5;
const MIN_COVERAGE_WITH_UNKNOWN_WORD = 0.75;
/** Runners-up this close to the best make the question ambiguous. */
const CLOSE = 0.92;
const SECOND_PASSAGE_WEIGHT = 0.25;
const MAX_CANDIDATES = 40;
const NAME_WEIGHT = 0.6;

export class QuestionAnswerer {
  private readonly vocabulary: Vocabulary;
  /** Each entry's title and synonyms as stem sequences: a question that names an entry is about it. */
  private readonly names: Array<{ entry: Entry; stems: string[] }>;
  private readonly abbreviations: Abbreviations;
  /** Each entry's title as stems, to see when a question names several entries' titles alike. */
  private readonly titleStems: Map<Entry, Set<string>>;

  constructor(
    readonly kb: KnowledgeBase,
    private readonly index: lunr.Index,
  ) {
    this.vocabulary = new Vocabulary(index);
    this.names = kb.entries.flatMap((entry) =>
      [entry.title, ...entry.synonyms]
        .map((name) => tokenize(name).filter((w) => !isStopWord(w)).map((w) => stem(fold(w))))
        .filter((stems) => stems.length > 0)
        .map((stems) => ({ entry, stems })),
    );
    this.abbreviations = abbreviationsOf(kb, this.vocabulary);
    this.titleStems = new Map(kb.entries.map((e) => [e, new Set(tokenize(e.title).filter((w) => !isStopWord(w)).map((w) => stem(fold(w))))]));
  }

  /**
   * Entries whose titles all hold every word of the question, when the best answer's title is more
   * than the question: "Regiondirektörens förslag" fits two proposals, "delrapport" two reports.
   */
  private alikeTitles(words: QueryWord[], best: Candidate, others: Candidate[]): Candidate[] {
    const forms = words.map((w) => new Set([stem(fold(w.word)), ...(w.own ?? w.groups.flat())]));
    const holdsAll = (e: Entry) => forms.every((f) => [...f].some((s) => this.titleStems.get(e)!.has(s)));
    if (forms.length === 0 || !holdsAll(best.entry) || this.titleStems.get(best.entry)!.size <= forms.length) return [];
    return others.filter((c) => holdsAll(c.entry));
  }

  /** For each entry the question names, the length in words of the longest name it uses. */
  private namedIn(words: QueryWord[]): Map<Entry, number> {
    const forms = words.map((w) => new Set([stem(fold(w.word)), ...w.groups.flat()]));
    const named = new Map<Entry, number>();
    for (const { entry, stems } of this.names) {
      for (let start = 0; start + stems.length <= forms.length; start++) {
        if (stems.every((s, k) => forms[start + k].has(s))) {
          named.set(entry, Math.max(named.get(entry) ?? 0, stems.length));
          break;
        }
      }
    }
    return named;
  }

  /** Entries ranked for the question, best first; `typ` limits them to one kind (for `begrepp <ord>`). */
  rank(question: string, typ?: Entry['typ']): { words: QueryWord[]; candidates: Candidate[] } {
    const words = analyzeQuestion(this.vocabulary, question, this.abbreviations);
    const results = runQuery(this.index, words, phrasesOf(this.vocabulary, words));
    // Results come best first; only the best entries are worth the closer look below.
    const byEntry = new Map<string, { entry: Entry; matched: lunr.Index.Result[] }>();
    for (const r of results) {
      const { entryId } = parsePassageRef(r.ref);
      const entry = this.kb.byId.get(entryId);
      if (!entry || (typ && entry.typ !== typ)) continue;
      const seen = byEntry.get(entryId);
      if (seen) seen.matched.push(r);
      else if (byEntry.size < MAX_CANDIDATES) byEntry.set(entryId, { entry, matched: [r] });
    }
    const named = this.namedIn(words);
    const candidates = [...byEntry.values()].map(({ entry, matched }) => {
      const covered = entryCoverage(words, matched);
      const best = { entry, passage: choosePassage(words, matched), score: matched[0].score };
      const second = matched[1]?.score ?? 0;
      // Words common to the whole knowledge base weigh little in BM25, so naming an entry, and
      // covering more of the question, must count on top of it; a longer name is more specific.
      const nameFactor = 1 + NAME_WEIGHT * (named.get(best.entry) ?? 0) ** 2;
      return { ...best, score: (best.score + SECOND_PASSAGE_WEIGHT * second) * nameFactor * covered * covered, coverage: covered };
    });
    candidates.sort((a, b) => b.score - a.score);
    return { words, candidates };
  }

  answer(question: string, typ?: Entry['typ']): Answer {
    const { words, candidates } = this.rank(question, typ);
    if (words.length === 0) return { kind: 'empty' };
    const confident = candidates.filter((c) => c.coverage >= requiredCoverage(words));
    if (confident.length === 0) return { kind: 'none', closest: candidates.slice(0, 3) };
    const [best, ...rest] = confident;
    const alsoClose = [...new Set([...rest.filter((c) => c.score >= CLOSE * best.score), ...this.alikeTitles(words, best, rest)])].slice(0, 2);
    const closest = candidates.filter((c) => c.entry !== best.entry && !alsoClose.includes(c)).slice(0, 3);
    return { kind: 'answer', best, alsoClose, closest };
  }
}

/**
 * Synonyms written as abbreviations (one word, capitals, at most five characters: TVV, RUS, AP1)
 * mapped to the stems of their entry's title, where the index knows them.
 */
function abbreviationsOf(kb: KnowledgeBase, vocabulary: Vocabulary): Abbreviations {
  const map: Abbreviations = new Map();
  for (const entry of kb.entries) {
    const meaning = tokenize(entry.title)
      .filter((w) => !isStopWord(w))
      .map((w) => stem(fold(w)))
      .filter((s) => vocabulary.has(s));
    for (const synonym of entry.synonyms) {
      if (!/^[A-ZÅÄÖ][A-ZÅÄÖ0-9]{1,4}$/.test(synonym)) continue;
      const key = fold(synonym.toLowerCase());
      map.set(key, [...new Set([...(map.get(key) ?? []), ...meaning])]);
    }
  }
  return map;
}

const NAMING_FIELDS = new Set(['title', 'synonyms', 'phrases', 'questions']);

/**
 * The passage to show: the one whose own text (not the entry's title or synonyms, which every
 * passage carries) matches most of the question; the lead passage when none does, as for
 * "Vad är X?", where the question only names the entry.
 */
function choosePassage(words: QueryWord[], matched: lunr.Index.Result[]): number {
  let best = 0;
  let bestHits = 0;
  // `matched` comes best score first, so on equal hits the rarer words win.
  for (const result of matched) {
    const metadata = result.matchData.metadata as Record<string, Record<string, unknown>>;
    const fieldsOf = (w: QueryWord) => w.groups.flat().flatMap((t) => Object.keys(metadata[t] ?? {}));
    // A word that names the entry is in every passage's title or synonyms: it says nothing about which passage.
    const hits = words.filter((w) => {
      const fields = fieldsOf(w);
      return fields.length > 0 && !fields.some((f) => NAMING_FIELDS.has(f));
    }).length;
    const passage = parsePassageRef(result.ref).passage;
    if (hits > bestHits) {
      best = passage;
      bestHits = hits;
    }
  }
  return best;
}

function requiredCoverage(words: QueryWord[]): number {
  return words.some((w) => !w.kind) ? MIN_COVERAGE_WITH_UNKNOWN_WORD : MIN_COVERAGE;
}

/** Coverage over all the entry's matching passages: a question's words may be spread over them. */
function entryCoverage(words: QueryWord[], matched: lunr.Index.Result[]): number {
  const merged = { matchData: { metadata: Object.assign({}, ...matched.map((m) => m.matchData.metadata)) } } as lunr.Index.Result;
  return coverage(words, merged);
}
