import type { PostingArrays } from './passage-index';

/** One (term, field) posting list of a query, and what each of its weights is multiplied by. */
export interface QuerySlot {
  slot: number;
  factor: number;
}

/**
 * A query compiled against a PassageIndex. A passage's score is the sum over the query's posting
 * lists of factor × weight, added in one fixed order, so that every way of computing it gives the
 * same number to the last bit. The order puts first the lists that can add most for their length:
 * a rare word's short list before a common word's long one.
 */
export class PassageQuery {
  readonly slots: readonly QuerySlot[];
  /** `remaining[k]`: the most lists k and after can add to a passage's score, together. */
  readonly remaining: number[];

  constructor(
    readonly postings: PostingArrays,
    slots: QuerySlot[],
    maxWeights: Float32Array,
  ) {
    const bound = (s: QuerySlot) => s.factor * maxWeights[s.slot];
    const length = (s: QuerySlot) => postings.starts[s.slot + 1] - postings.starts[s.slot];
    this.slots = [...slots].sort((a, b) => bound(b) / length(b) - bound(a) / length(a));
    this.remaining = new Array<number>(this.slots.length + 1).fill(0);
    for (let k = this.slots.length - 1; k >= 0; k--) this.remaining[k] = this.remaining[k + 1] + bound(this.slots[k]);
  }

  /** What list k adds to passage `doc`'s score: 0 when the passage is not in it. */
  contribution(k: number, doc: number): number {
    const { starts, docs, weights } = this.postings;
    const { slot, factor } = this.slots[k];
    let lo = starts[slot];
    const end = starts[slot + 1];
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (docs[mid] < doc) lo = mid + 1;
      else hi = mid;
    }
    return lo < end && docs[lo] === doc ? factor * weights[lo] : 0;
  }

  /** Passage `doc`'s score; 0 when it holds none of the query's terms. */
  score(doc: number): number {
    let sum = 0;
    for (let k = 0; k < this.slots.length; k++) sum += this.contribution(k, doc);
    return sum;
  }
}
