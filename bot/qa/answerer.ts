import type { Entry, KnowledgeBase } from './knowledge-base';
import { fold, stem } from './lunr-sv';
import type { PassageIndex } from './passage-index';
import { isStopWord, tokenize } from './swedish';
import { analyzeQuestion, phrasesOf, queryClauses, type Abbreviations, type QueryWord } from './query';
import { parsePassageRef } from './search-index';
import { EntryRanker } from './top-entries';

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

  /** Each passage's entry, and each entry's passages, by their numbers in the index. */
  private readonly entryOfDoc: Int32Array;
  private readonly docsOfEntry: number[][];
  private readonly ranker: EntryRanker;
  private readonly namingFields: number;

  constructor(
    readonly kb: KnowledgeBase,
    private readonly index: PassageIndex,
  ) {
    const entryNumber = new Map(kb.entries.map((e, i) => [e.id, i]));
    this.entryOfDoc = Int32Array.from(index.refs, (ref) => entryNumber.get(parsePassageRef(ref).entryId) ?? -1);
    this.docsOfEntry = kb.entries.map(() => []);
    this.entryOfDoc.forEach((entry, doc) => entry >= 0 && this.docsOfEntry[entry].push(doc));
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
        if (stems.every((s, k) => forms[start + k].has(s))) longest = stems.length;
      }
    }
    return longest;
  }

  /** Entries ranked for the question, best first; `typ` limits them to one kind (for `begrepp <ord>`). */
  rank(question: string, typ?: Entry['typ']): { words: QueryWord[]; candidates: Candidate[] } {
    const words = analyzeQuestion(this.index, question, this.abbreviations);
    const query = this.index.query(queryClauses(words, phrasesOf(this.index, words)));
    const accept = typ ? (entry: number) => this.kb.entries[entry].typ === typ : () => true;
    // Only the entries with the best-scoring passages are worth the closer look.
    const top = this.ranker.top(query, MAX_CANDIDATES, accept);
    // Each word of the question as every form it may take in a name.
    const forms = words.map((w) => new Set([stem(fold(w.word)), ...w.groups.flat()]));
    const candidates = top.entries.map((number) => {
      const entry = this.kb.entries[number];
      const scored = this.docsOfEntry[number]
        .map((doc) => ({ doc, score: top.scoreOf(doc) }))
        .filter((p) => p.score > 0)
        .sort((a, b) => b.score - a.score);
      const matched = scored.map((p) => p.doc);
      const fields = matched.map((doc) => this.fieldsMatched(words, doc));
      const covered = coverageOf(words, fields);
      const score = scored[0].score + SECOND_PASSAGE_WEIGHT * (scored[1]?.score ?? 0);
      // Words common to the whole knowledge base weigh little in BM25, so naming an entry, and
      // covering more of the question, must count on top of it; a longer name is more specific.
      const nameFactor = 1 + NAME_WEIGHT * this.nameUsed(number, forms) ** 2;
      return { entry, passage: this.choosePassage(matched, fields), score: score * nameFactor * covered * covered, coverage: covered };
    });
    candidates.sort((a, b) => b.score - a.score);
    return { words, candidates };
  }

  /** For each word of the question and each of its groups, the fields of passage `doc` that hold one of the group's terms. */
  private fieldsMatched(words: QueryWord[], doc: number): number[][] {
    return words.map((w) => w.groups.map((group) => group.reduce((mask, term) => mask | this.index.fieldsHolding(doc, term), 0)));
  }

  /**
   * The passage to show: the one whose own text (not the entry's title or synonyms, which every
   * passage carries) matches most of the question; the lead passage when none does, as for
   * "Vad är X?", where the question only names the entry. `matched` comes best score first, so on
   * equal hits the rarer words win.
   */
  private choosePassage(matched: number[], fields: number[][][]): number {
    let best = 0;
    let bestHits = 0;
    matched.forEach((doc, k) => {
      // A word that names the entry is in every passage's title or synonyms: it says nothing about which passage.
      const hits = fields[k].filter((groups) => {
        const mask = groups.reduce((all, m) => all | m, 0);
        return mask !== 0 && (mask & this.namingFields) === 0;
      }).length;
      if (hits > bestHits) {
        best = parsePassageRef(this.index.refs[doc]).passage;
        bestHits = hits;
      }
    });
    return best;
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

const NAMING_FIELDS = new Set(['title', 'synonyms', 'phrases', 'questions']);

function requiredCoverage(words: QueryWord[]): number {
  return words.some((w) => !w.kind) ? MIN_COVERAGE_WITH_UNKNOWN_WORD : MIN_COVERAGE;
}

/**
 * The share of the question's words that the entry's matching passages cover, together: a word
 * counts when each of its groups (each part of a compound) is in some passage.
 */
function coverageOf(words: QueryWord[], fieldsByPassage: number[][][]): number {
  if (words.length === 0) return 0;
  const covered = words.filter((w, i) => w.groups.length > 0 && w.groups.every((_, g) => fieldsByPassage.some((passage) => passage[i][g] !== 0)));
  return covered.length / words.length;
}
