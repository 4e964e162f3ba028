import type { Entry, KnowledgeBase } from './knowledge-base';
import { fold, stem } from './lunr-sv';
import type { PassageIndex } from './passage-index';
import { isStopWord, tokenize } from './swedish';
import { analyzeQuestion, phrasesOf, queryClauses, type Abbreviations, type QueryWord } from './query';
import { parsePassageRef } from './search-index';
import { EntryRanker, type TopEntries } from './top-entries';

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
/**
 * Entries, by their best passage's BM25 score, that get the closer look (coverage, names). On the
 * question sets the answer and its runners-up come from the first nine.
 */
const MAX_CANDIDATES = 20;
const NAME_WEIGHT = 0.6;

export class QuestionAnswerer {
  /** Each entry's title and synonyms as stem sequences: a question that names an entry is about it. */
  private readonly namesOf: string[][][];
  private readonly abbreviations: Abbreviations;
  /** Each entry's title as stems, to see when a question names several entries' titles alike. */
  private readonly titleStems: Map<Entry, Set<string>>;

  /** Each passage's entry and its number within the entry, and each entry's passages, by their numbers in the index. */
  private readonly entryOfDoc: Int32Array;
  private readonly passageOfDoc: Int32Array;
  private readonly docsOfEntry: number[][];
  /** Scratch for one entry's matching passages and their scores, made once: the closer look runs 20 times a question. */
  private readonly matchedDocs: Int32Array;
  private readonly matchedScores: Float64Array;
  private readonly ranker: EntryRanker;
  private readonly typMasks = new Map<Entry['typ'] | undefined, Uint8Array>();
  private readonly namingFields: number;

  constructor(
    readonly kb: KnowledgeBase,
    private readonly index: PassageIndex,
  ) {
    const entryNumber = new Map(kb.entries.map((e, i) => [e.id, i]));
    this.entryOfDoc = Int32Array.from(index.refs, (ref) => entryNumber.get(parsePassageRef(ref).entryId) ?? -1);
    this.passageOfDoc = Int32Array.from(index.refs, (ref) => parsePassageRef(ref).passage);
    this.docsOfEntry = kb.entries.map(() => []);
    this.entryOfDoc.forEach((entry, doc) => entry >= 0 && this.docsOfEntry[entry].push(doc));
    const mostPassages = this.docsOfEntry.reduce((most, docs) => Math.max(most, docs.length), 0);
    this.matchedDocs = new Int32Array(mostPassages);
    this.matchedScores = new Float64Array(mostPassages);
    this.ranker = new EntryRanker(this.entryOfDoc, kb.entries.length);
    this.namingFields = index.fieldMask(NAMING_FIELDS);
    this.namesOf = kb.entries.map((entry) =>
      [entry.title, ...entry.synonyms].map((name) => tokenize(name).filter((w) => !isStopWord(w)).map((w) => stem(fold(w)))).filter((stems) => stems.length > 0),
    );
    this.abbreviations = abbreviationsOf(kb, index);
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

  /** The length in words of the longest of the entry's names that the question uses, 0 if none. */
  private nameUsed(entry: number, forms: Array<Set<string>>): number {
    let longest = 0;
    for (const stems of this.namesOf[entry]) {
      for (let start = 0; stems.length > longest && start + stems.length <= forms.length; start++) {
        let k = 0;
        while (k < stems.length && forms[start + k].has(stems[k])) k++;
        if (k === stems.length) longest = stems.length;
      }
    }
    return longest;
  }

  /** The entries of one kind, or all, as a mask over the entry numbers: made once per kind. */
  private entriesOfTyp(typ?: Entry['typ']): Uint8Array {
    let mask = this.typMasks.get(typ);
    if (!mask) {
      mask = Uint8Array.from(this.kb.entries, (e) => (!typ || e.typ === typ ? 1 : 0));
      this.typMasks.set(typ, mask);
    }
    return mask;
  }

  /** Entries ranked for the question, best first; `typ` limits them to one kind (for `begrepp <ord>`). */
  rank(question: string, typ?: Entry['typ']): { words: QueryWord[]; candidates: Candidate[] } {
    const words = analyzeQuestion(this.index, question, this.abbreviations);
    const query = this.index.query(queryClauses(words, phrasesOf(this.index, words)));
    // Only the entries with the best-scoring passages are worth the closer look.
    const top = this.ranker.top(query, MAX_CANDIDATES, this.entriesOfTyp(typ));
    // Each word of the question as every form it may take in a name.
    const forms = words.map((w) => new Set([stem(fold(w.word)), ...w.groups.flat()]));
    const groups = words.flatMap((w, word) => w.groups.map((terms) => ({ word, terms: this.termIds(terms) })));
    const found = { groups: new Uint8Array(groups.length), wordFields: new Int32Array(words.length) };
    const candidates = top.entries.map((number) => this.lookCloser(number, words, groups, forms, top, found));
    candidates.sort((a, b) => b.score - a.score);
    return { words, candidates };
  }

  /**
   * An entry as a candidate: its passages' scores, how much of the question they cover, whether the
   * question names it, and the passage to show. Words common to the whole knowledge base weigh
   * little in BM25, so naming an entry, and covering more of the question, count on top of it; a
   * longer name is more specific.
   */
  private lookCloser(number: number, words: QueryWord[], groups: WordGroup[], forms: Array<Set<string>>, top: TopEntries, found: Found): Candidate {
    // The entry's passages that match, best score first (on equal scores, in their order).
    const { matchedDocs: matched, matchedScores: scores } = this;
    let matchCount = 0;
    for (const doc of this.docsOfEntry[number]) {
      const score = top.scoreOf(doc);
      if (score <= 0) continue;
      let at = matchCount++;
      for (; at > 0 && scores[at - 1] < score; at--) {
        matched[at] = matched[at - 1];
        scores[at] = scores[at - 1];
      }
      matched[at] = doc;
      scores[at] = score;
    }
    const { groups: groupFound, wordFields } = found;
    groupFound.fill(0);
    let passage = 0;
    let passageHits = 0;
    // Plain loops: this runs for every passage of every candidate, and closures here cost garbage.
    for (let m = 0; m < matchCount; m++) {
      const doc = matched[m];
      wordFields.fill(0);
      for (let g = 0; g < groups.length; g++) {
        let fields = 0;
        for (const term of groups[g].terms) fields |= this.index.fieldsHolding(doc, term);
        if (fields !== 0) groupFound[g] = 1;
        wordFields[groups[g].word] |= fields;
      }
      // The passage to show is the one whose own text (not the entry's title or synonyms, which every
      // passage carries) matches most of the question; the lead passage when none does, as for
      // "Vad är X?". On equal hits the better score, where the rarer words are, wins.
      let hits = 0;
      for (const fields of wordFields) if (fields !== 0 && (fields & this.namingFields) === 0) hits++;
      if (hits > passageHits) {
        passage = this.passageOfDoc[doc];
        passageHits = hits;
      }
    }
    // A word is covered when each of its groups (each part of a compound) is in some passage.
    let coveredWords = 0;
    for (let i = 0; i < words.length; i++) {
      let covered = words[i].groups.length > 0;
      for (let g = 0; covered && g < groups.length; g++) if (groups[g].word === i && groupFound[g] === 0) covered = false;
      if (covered) coveredWords++;
    }
    const coverage = words.length === 0 ? 0 : coveredWords / words.length;
    // A candidate is among the best entries by its best passage, so one passage at least matches.
    const score = scores[0] + SECOND_PASSAGE_WEIGHT * (matchCount > 1 ? scores[1] : 0);
    const nameFactor = 1 + NAME_WEIGHT * this.nameUsed(number, forms) ** 2;
    return { entry: this.kb.entries[number], passage, score: score * nameFactor * coverage * coverage, coverage };
  }

  /** The terms' numbers in the index; a term it does not know holds no passage. */
  private termIds(terms: string[]): number[] {
    const ids: number[] = [];
    for (const term of terms) {
      const id = this.index.termId(term);
      if (id !== undefined) ids.push(id);
    }
    return ids;
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
function abbreviationsOf(kb: KnowledgeBase, vocabulary: PassageIndex): Abbreviations {
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

/** One group of a question's word (a compound has one per part): its index terms, by number. */
interface WordGroup {
  word: number;
  terms: number[];
}

/** Scratch for the closer look, made once per question: which groups some passage holds, and a passage's fields per word. */
interface Found {
  groups: Uint8Array;
  wordFields: Int32Array;
}

const NAMING_FIELDS = new Set(['title', 'synonyms', 'phrases', 'questions']);

function requiredCoverage(words: QueryWord[]): number {
  return words.some((w) => !w.kind) ? MIN_COVERAGE_WITH_UNKNOWN_WORD : MIN_COVERAGE;
}
