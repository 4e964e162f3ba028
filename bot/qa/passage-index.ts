import type { lunr } from './lunr-sv';
import { PassageQuery } from './passage-query';

/** One term of a query: its weight, and the fields it may match in (all when absent). */
export interface Clause {
  term: string;
  boost: number;
  fields?: readonly string[];
}

/** The index's numbers: postings by term and field, and each passage's terms by field. */
export interface PostingArrays {
  starts: Uint32Array;
  docs: Uint32Array;
  weights: Float32Array;
  termStarts: Uint32Array;
  termsOf: Uint32Array;
}

interface LunrIndexData {
  fields: string[];
  invertedIndex: Record<string, { _index: number }>;
  fieldVectors: Record<string, { elements: number[] }>;
}

/**
 * A lunr index compiled to flat arrays. Lunr builds it (Swedish pipeline, BM25 weights per field);
 * this runs the queries. lunr's own `Index.query` keys every (field, passage) pair by a fresh
 * string and allocates match data per posting, which costs milliseconds per question on a small
 * knowledge base and a second on a large one; here a posting is two numbers. The scores are
 * lunr's, exactly: per field, the query vector's dot product with the passage's field vector
 * divided by the query vector's length, summed over the fields.
 */
export class PassageIndex {
  private readonly termIds: Map<string, number>;
  /** The letters and digits the terms are made of: what a typo may have replaced or left out. */
  private readonly alphabet: string[];
  /** The largest weight in each (term, field) posting list: the most that list can add to a score. */
  private readonly maxWeights: Float32Array;

  /**
   * `terms` sorted. The postings of term t in field f are entries `starts[t*F+f]` up to
   * `starts[t*F+f+1]` of `docs` (ascending) and `weights`; the terms of passage d's field f are
   * entries `termStarts[d*F+f]` up to `termStarts[d*F+f+1]` of `termsOf` (ascending).
   */
  constructor(
    readonly fields: readonly string[],
    readonly refs: readonly string[],
    readonly terms: readonly string[],
    private readonly postings: PostingArrays,
  ) {
    const { starts, docs, weights, termStarts, termsOf } = postings;
    const F = fields.length;
    if (
      starts.length !== terms.length * F + 1 ||
      docs.length !== weights.length ||
      starts[starts.length - 1] !== docs.length ||
      termStarts.length !== refs.length * F + 1 ||
      termsOf.length !== docs.length ||
      termStarts[termStarts.length - 1] !== termsOf.length
    ) {
      throw new Error('PassageIndex: the postings do not match the terms, passages and fields');
    }
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.alphabet = [...new Set(terms.join(''))];
    this.maxWeights = new Float32Array(starts.length - 1);
    for (let slot = 0; slot < this.maxWeights.length; slot++) {
      for (let i = starts[slot]; i < starts[slot + 1]; i++) if (weights[i] > this.maxWeights[slot]) this.maxWeights[slot] = weights[i];
    }
  }

  /** Compiles what lunr built: the field vectors hold each term's weight in each passage's field. */
  static fromLunr(index: lunr.Index): PassageIndex {
    const data = index as unknown as LunrIndexData;
    const fields = data.fields;
    const terms = Object.keys(data.invertedIndex).sort();
    const termOfLunrIndex: number[] = [];
    terms.forEach((t, i) => (termOfLunrIndex[data.invertedIndex[t]._index] = i));
    const refs: string[] = [];
    const docOfRef = new Map<string, number>();
    const postings: Array<Array<[number, number]>> = Array.from({ length: terms.length * fields.length }, () => []);
    for (const [fieldRef, vector] of Object.entries(data.fieldVectors)) {
      const slash = fieldRef.indexOf('/');
      const field = fields.indexOf(fieldRef.slice(0, slash));
      const ref = fieldRef.slice(slash + 1);
      let doc = docOfRef.get(ref);
      if (doc === undefined) {
        doc = refs.push(ref) - 1;
        docOfRef.set(ref, doc);
      }
      const e = vector.elements;
      for (let i = 0; i < e.length; i += 2) postings[termOfLunrIndex[e[i]] * fields.length + field].push([doc, e[i + 1]]);
    }
    const starts = new Uint32Array(postings.length + 1);
    postings.forEach((p, slot) => (starts[slot + 1] = starts[slot] + p.length));
    const docs = new Uint32Array(starts[postings.length]);
    const weights = new Float32Array(docs.length);
    // Each passage's terms by field: counted first, then filled in term order, which keeps them sorted.
    const termStarts = new Uint32Array(refs.length * fields.length + 1);
    postings.forEach((p, slot) => p.forEach(([doc]) => termStarts[doc * fields.length + (slot % fields.length) + 1]++));
    for (let i = 1; i < termStarts.length; i++) termStarts[i] += termStarts[i - 1];
    const termsOf = new Uint32Array(docs.length);
    const filled = termStarts.slice(0, -1);
    postings.forEach((p, slot) => {
      p.sort((a, b) => a[0] - b[0]).forEach(([doc, weight], k) => {
        docs[starts[slot] + k] = doc;
        weights[starts[slot] + k] = weight;
        termsOf[filled[doc * fields.length + (slot % fields.length)]++] = Math.floor(slot / fields.length);
      });
    });
    return new PassageIndex(fields, refs, terms, { starts, docs, weights, termStarts, termsOf });
  }

  /** The arrays, as they are saved. */
  arrays(): PostingArrays {
    return this.postings;
  }

  has(term: string): boolean {
    return this.termIds.has(term);
  }

  /** Index terms one edit away from `term` (a typo: a letter left out, added, replaced or two swapped), in order, at most `limit`. */
  near(term: string, limit = 6): string[] {
    const found = new Set<string>();
    const consider = (candidate: string) => candidate !== term && this.termIds.has(candidate) && found.add(candidate);
    for (let i = 0; i <= term.length; i++) {
      const head = term.slice(0, i);
      const rest = term.slice(i);
      if (rest) consider(head + rest.slice(1));
      if (rest.length > 1) consider(head + rest[1] + rest[0] + rest.slice(2));
      for (const c of this.alphabet) {
        consider(head + c + rest);
        if (rest) consider(head + c + rest.slice(1));
      }
    }
    return [...found].sort().slice(0, limit);
  }

  /** Index terms that start with `prefix`, in order, at most `limit`. */
  startingWith(prefix: string, limit = 8): string[] {
    const found: string[] = [];
    for (let i = lowerBound(this.terms, prefix); i < this.terms.length && found.length < limit && this.terms[i].startsWith(prefix); i++) {
      found.push(this.terms[i]);
    }
    return found;
  }

  /** The clauses as a query: the query vector per field, as lunr builds it, with a term's boosts summed over its clauses. */
  query(clauses: readonly Clause[]): PassageQuery {
    const F = this.fields.length;
    const boosts = new Map<number, number>();
    for (const clause of clauses) {
      const term = this.termIds.get(clause.term);
      if (term === undefined) continue;
      for (const name of clause.fields ?? this.fields) {
        const f = this.fields.indexOf(name);
        if (f < 0) continue;
        const slot = term * F + f;
        boosts.set(slot, (boosts.get(slot) ?? 0) + clause.boost);
      }
    }
    // lunr divides each field's dot product by the query vector's length in that field.
    const squares = new Array<number>(F).fill(0);
    for (const [slot, boost] of boosts) squares[slot % F] += boost * boost;
    const { starts } = this.postings;
    const slots = [...boosts]
      .filter(([slot]) => starts[slot + 1] > starts[slot])
      .map(([slot, boost]) => ({ slot, factor: boost / Math.sqrt(squares[slot % F]) }));
    return new PassageQuery(this.postings, slots, this.maxWeights);
  }

  /** The term's number in the index, for `fieldsHolding`; undefined for a term the index does not know. */
  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** The fields of passage `doc` that hold the term numbered `term`, as a bit mask over `fields`. */
  fieldsHolding(doc: number, term: number): number {
    const { termStarts, termsOf } = this.postings;
    let mask = 0;
    for (let f = 0, F = this.fields.length; f < F; f++) {
      let lo = termStarts[doc * F + f];
      const end = termStarts[doc * F + f + 1];
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (termsOf[mid] < term) lo = mid + 1;
        else hi = mid;
      }
      if (lo < end && termsOf[lo] === term) mask |= 1 << f;
    }
    return mask;
  }

  /** The bit mask of these fields. */
  fieldMask(names: Iterable<string>): number {
    let mask = 0;
    for (const name of names) {
      const f = this.fields.indexOf(name);
      if (f >= 0) mask |= 1 << f;
    }
    return mask;
  }
}

/** The first position in sorted `list` whose item is not below `key`. */
function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
