import type { PassageQuery } from './passage-query';

/** Bounds are sums of floats added in another order than the scores: this much slack keeps a tie from being pruned. */
const SLACK = 1e-9;

const MET = 1;
const CANDIDATE = 2;
const EXACT = 3;

/** The entries a query ranks highest, and a passage's exact score for a closer look at them. */
export interface TopEntries {
  /** Best first; on equal scores the lower entry number first. */
  entries: number[];
  scoreOf(doc: number): number;
}

/**
 * Finds the entries whose best passages score highest without scoring every passage (MaxScore,
 * term at a time). The query's posting lists are added one by one, in the query's order (those
 * that can add most for their length first). Once the lists left can add less, together, than a
 * score `limit` entries are known to reach, a passage that none of the lists added holds cannot
 * place, and the lists left (on a large knowledge base, the long lists of common words) are only
 * looked up for the passages that still can.
 */
export class EntryRanker {
  /** Per passage: its score so far, and how far it got (0, MET, CANDIDATE, EXACT). */
  private readonly scores: Float64Array;
  private readonly state: Uint8Array;
  /** The passages met by this query, so that the next one resets only them; and those still in the running. */
  private readonly met: Int32Array;
  private metCount = 0;
  private readonly candidates: Int32Array;
  /** Scratch for finishing the candidates: their scores so far, and their order. */
  private readonly partials: Float64Array;
  private readonly ordered: Int32Array;
  /** Per entry, for the entries met: its best passage so far and that passage's score. */
  private readonly entryBest: Float64Array;
  private readonly bestDoc: Int32Array;
  private readonly entries: Int32Array;
  private readonly values: Float64Array;

  constructor(
    private readonly entryOf: Int32Array,
    entryCount: number,
  ) {
    this.scores = new Float64Array(entryOf.length);
    this.state = new Uint8Array(entryOf.length);
    this.met = new Int32Array(entryOf.length);
    this.candidates = new Int32Array(entryOf.length);
    this.partials = new Float64Array(entryOf.length);
    this.ordered = new Int32Array(entryOf.length);
    this.entryBest = new Float64Array(entryCount);
    this.bestDoc = new Int32Array(entryCount);
    this.entries = new Int32Array(entryCount);
    this.values = new Float64Array(entryCount);
  }

  /** At most `limit` of the entries marked 1 in `accepted`, ranked by their best passage. The result holds until the next call. */
  top(query: PassageQuery, limit: number, accepted: Uint8Array): TopEntries {
    const { scores, state, met } = this;
    for (let i = 0; i < this.metCount; i++) {
      scores[met[i]] = 0;
      state[met[i]] = 0;
    }
    this.metCount = 0;
    const { starts, docs, weights } = query.postings;
    const lists = query.slots.length;
    let threshold = 0;
    let highest = 0;
    let metAtThreshold = 0;
    let k = 0;
    for (; k < lists; k++) {
      if (threshold > 0 && query.remaining[k] < threshold * (1 - SLACK)) break;
      const { slot, factor } = query.slots[k];
      for (let i = starts[slot], end = starts[slot + 1]; i < end; i++) {
        const doc = docs[i];
        if (state[doc] === 0) {
          state[doc] = MET;
          met[this.metCount++] = doc;
        }
        const score = (scores[doc] += factor * weights[i]);
        if (score > highest) highest = score;
      }
      // A threshold can cut the lists left only once they add less than the best score so far. Being
      // exact scores, the first threshold is close to the last: it is looked for again only when
      // four times as many passages are met, which keeps its cost in proportion.
      const left = query.remaining[k + 1];
      if (left < highest && threshold <= left && (threshold === 0 || this.metCount >= 4 * metAtThreshold)) {
        threshold = Math.max(threshold, this.threshold(query, limit, accepted));
        metAtThreshold = this.metCount;
      }
    }
    if (k === lists) {
      for (let i = 0; i < this.metCount; i++) state[met[i]] = EXACT;
      // Every list was walked: a passage none of them holds scores 0.
      return this.ranked(met, this.metCount, limit, accepted, () => 0);
    }
    // Lists k and after are left: look them up only for the passages that can still place. While
    // those are many, each list is walked once for all of them; then they are finished one by one.
    let count = this.keep(met, this.metCount, query.remaining[k], threshold);
    let j = k;
    for (; j < lists && count > 0 && this.manyFor(query, j, count); j++) {
      this.walk(query, j);
      count = this.keep(this.candidates, count, query.remaining[j + 1], threshold);
    }
    count = this.finish(query, j, count, threshold, limit, accepted);
    return this.ranked(this.candidates, count, limit, accepted, (doc) => query.score(doc));
  }

  /** True when walking list k costs less than looking up each of `count` passages in it. */
  private manyFor(query: PassageQuery, k: number, count: number): boolean {
    const { starts } = query.postings;
    const length = starts[query.slots[k].slot + 1] - starts[query.slots[k].slot];
    return count * Math.log2(length + 1) > length;
  }

  /** Adds list k to the scores of the CANDIDATE passages in it. */
  private walk(query: PassageQuery, k: number): void {
    const { starts, docs, weights } = query.postings;
    const { slot, factor } = query.slots[k];
    for (let i = starts[slot], end = starts[slot + 1]; i < end; i++) {
      if (this.state[docs[i]] === CANDIDATE) this.scores[docs[i]] += factor * weights[i];
    }
  }

  /**
   * Adds lists `from` and after to each of the `count` candidates, one passage at a time, and stops
   * for a passage as soon as it cannot reach the threshold. Every finished passage can raise the
   * threshold, which stops the others sooner, so the most promising go first. Leaves the finished
   * passages, marked EXACT, in `candidates`; their count.
   */
  private finish(query: PassageQuery, from: number, count: number, threshold: number, limit: number, accepted: Uint8Array): number {
    const { candidates, scores, state, entryOf, partials } = this;
    const lists = query.slots.length;
    const board = new Leaderboard(limit);
    // The promising: those whose score so far is among the best few.
    for (let i = 0; i < count; i++) partials[i] = scores[candidates[i]];
    const promising = count > 4 * limit ? nthLargest(partials, count, 4 * limit) : 0;
    const order = this.ordered;
    let n = 0;
    for (let i = 0; i < count; i++) if (scores[candidates[i]] >= promising) order[n++] = candidates[i];
    for (let i = 0; i < count; i++) if (scores[candidates[i]] < promising) order[n++] = candidates[i];
    let finished = 0;
    for (let i = 0; i < n; i++) {
      const doc = order[i];
      let score = scores[doc];
      let j = from;
      while (j < lists && score + query.remaining[j] >= threshold * (1 - SLACK)) score += query.contribution(j++, doc);
      if (j < lists || score < threshold * (1 - SLACK)) {
        state[doc] = MET;
        continue;
      }
      scores[doc] = score;
      state[doc] = EXACT;
      candidates[finished++] = doc;
      const entry = entryOf[doc];
      if (entry >= 0 && score > 0 && accepted[entry] === 1) threshold = Math.max(threshold, board.offer(entry, score));
    }
    return finished;
  }

  /**
   * A score that `limit` accepted entries are sure to reach: the lowest exact score among the best
   * passages so far of the `limit` entries that lead; 0 while fewer are met.
   */
  private threshold(query: PassageQuery, limit: number, accepted: Uint8Array): number {
    const { entries, entryBest, bestDoc, values } = this;
    const count = this.bestByEntry(this.met, this.metCount, accepted);
    let lowest = Infinity;
    if (count >= limit) {
      for (let i = 0; i < count; i++) values[i] = entryBest[entries[i]];
      const cutoff = nthLargest(values, count, limit);
      for (let i = 0, taken = 0; i < count && taken < limit; i++) {
        if (entryBest[entries[i]] < cutoff) continue;
        lowest = Math.min(lowest, query.score(bestDoc[entries[i]]));
        taken++;
      }
    }
    for (let i = 0; i < count; i++) entryBest[entries[i]] = 0;
    return count >= limit ? lowest : 0;
  }

  /** Keeps, of the first `count` of `docs`, those whose score so far, with `left` more, can reach `threshold`, in `candidates`; their count. */
  private keep(docs: Int32Array, count: number, left: number, threshold: number): number {
    const { scores, state, candidates } = this;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const doc = docs[i];
      if (scores[doc] + left >= threshold * (1 - SLACK)) {
        candidates[kept++] = doc;
        state[doc] = CANDIDATE;
      } else {
        state[doc] = MET;
      }
    }
    return kept;
  }

  /** The best entries among `docs`; `unfinished` scores a passage whose score is not exact yet. */
  private ranked(docs: Int32Array, docCount: number, limit: number, accepted: Uint8Array, unfinished: (doc: number) => number): TopEntries {
    const count = this.bestByEntry(docs, docCount, accepted);
    const board = new Leaderboard(limit);
    for (let i = 0; i < count; i++) {
      board.offer(this.entries[i], this.entryBest[this.entries[i]]);
      this.entryBest[this.entries[i]] = 0;
    }
    return { entries: board.entries, scoreOf: (doc) => (this.state[doc] === EXACT ? this.scores[doc] : unfinished(doc)) };
  }

  /** Each accepted entry's best passage among the first `docCount` of `docs` and its score, into bestDoc and entryBest; the entries, in the order met, into `entries`; their count. */
  private bestByEntry(docs: Int32Array, docCount: number, accepted: Uint8Array): number {
    const { entryOf, scores, entryBest, bestDoc, entries } = this;
    let count = 0;
    for (let i = 0; i < docCount; i++) {
      const doc = docs[i];
      const entry = entryOf[doc];
      const score = scores[doc];
      if (entry < 0 || score <= 0 || accepted[entry] !== 1) continue;
      if (entryBest[entry] === 0) entries[count++] = entry;
      if (score > entryBest[entry]) {
        entryBest[entry] = score;
        bestDoc[entry] = doc;
      }
    }
    return count;
  }

}

/**
 * The best `size` entries by their best score offered so far, best first, the lower entry number
 * first on a tie; what its last one holds is a score `size` entries are sure to reach.
 */
class Leaderboard {
  readonly entries: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly size: number) {}

  /** Records a score for an entry, if it is the entry's best so far; the score the board's last entry holds (0 until it is full). */
  offer(entry: number, score: number): number {
    if (this.entries.length === this.size && !this.ahead(entry, score, this.size - 1)) return this.lowest();
    const at = this.entries.indexOf(entry);
    if (at >= 0) {
      if (score <= this.scores[at]) return this.lowest();
      this.entries.splice(at, 1);
      this.scores.splice(at, 1);
    }
    let i = this.entries.length;
    while (i > 0 && this.ahead(entry, score, i - 1)) i--;
    this.entries.splice(i, 0, entry);
    this.scores.splice(i, 0, score);
    if (this.entries.length > this.size) {
      this.entries.pop();
      this.scores.pop();
    }
    return this.lowest();
  }

  /** Whether the entry with this score goes before place `i`. */
  private ahead(entry: number, score: number, i: number): boolean {
    return score > this.scores[i] || (score === this.scores[i] && entry < this.entries[i]);
  }

  private lowest(): number {
    return this.entries.length < this.size ? 0 : this.scores[this.size - 1];
  }
}

/** The n-th largest (n from 1) of the first `count` of `values`, which it reorders: Hoare's selection. */
function nthLargest(values: Float64Array, count: number, n: number): number {
  const k = n - 1;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}
