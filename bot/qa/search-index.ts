import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeBase } from './knowledge-base';
import { fold, INDEX_PIPELINE, lunr, stem } from './lunr-sv';
import { PassageIndex, type PostingArrays } from './passage-index';
import { isStopWord, tokenize } from './swedish';
import { projectRoot } from '../paths';

/** Where `npm run build` saves the index; start loads it when the knowledge files are unchanged. */
export const SAVED_INDEX = path.join(projectRoot, 'dist', 'knowledge-index.bin');

/** Field boosts: a word in the title or among the synonyms says more than one in the text. */
const FIELDS = { title: 10, synonyms: 8, phrases: 1, heading: 4, questions: 3, text: 1, tails: 0.5 } as const;

/** A passage's reference in the index: `entryId#passageNumber`. */
const passageRef = (entryId: string, passage: number) => `${entryId}#${passage}`;
export function parsePassageRef(ref: string): { entryId: string; passage: number } {
  const at = ref.lastIndexOf('#');
  return { entryId: ref.slice(0, at), passage: Number(ref.slice(at + 1)) };
}

const words = (...texts: Array<string | undefined>) => tokenize(texts.filter(Boolean).join(' ')).join(' ');

/** Each pair of neighbouring words in a title or synonym as one term, so "arbetspaket 1" outranks "arbetspaket". */
function phrases(...texts: string[]): string {
  return texts
    .flatMap((t) => {
      const w = tokenize(t).filter((x) => !isStopWord(x));
      return w.slice(1).map((b, i) => `${stem(fold(w[i]))}_${stem(fold(b))}`);
    })
    .join(' ');
}

/**
 * The last part of each compound in `text` that is also a word of its own somewhere in the
 * knowledge base: a regeringsuppdrag is an uppdrag, so "uppdraget" should find it.
 */
export function compoundTails(text: string, simpleStems: Set<string>): string {
  const tails: string[] = [];
  for (const word of new Set(tokenize(text).map(fold))) {
    for (let i = 3; word.length >= 8 && i <= word.length - 4; i++) {
      const head = word.slice(0, i);
      const tail = stem(word.slice(i));
      const headKnown = simpleStems.has(stem(head)) || (head.endsWith('s') && simpleStems.has(stem(head.slice(0, -1))));
      if (headKnown && tail.length >= 3 && simpleStems.has(tail)) {
        tails.push(word.slice(i));
        break;
      }
    }
  }
  return tails.join(' ');
}

/** One document per passage, each carrying its entry's title and synonyms so that either can lead to it. */
export function buildLunrIndex(kb: KnowledgeBase): lunr.Index {
  const simpleStems = new Set(
    kb.entries.flatMap((e) => e.passages.flatMap((p) => tokenize(`${e.title} ${p.text}`).map((w) => stem(fold(w))))),
  );
  return lunr(function () {
    this.pipeline.reset();
    this.pipeline.add(...INDEX_PIPELINE);
    // Questions are folded and stemmed by our query builder, which also needs the stems to look up the vocabulary.
    this.searchPipeline.reset();
    this.ref('ref');
    for (const [field, boost] of Object.entries(FIELDS)) this.field(field, { boost });
    for (const entry of kb.entries) {
      entry.passages.forEach((p, i) => {
        this.add({
          ref: passageRef(entry.id, i),
          title: words(entry.title),
          synonyms: words(...entry.synonyms),
          phrases: phrases(entry.title, ...entry.synonyms),
          heading: words(p.heading),
          questions: i === 0 ? words(...entry.questions) : '',
          text: words(p.text),
          tails: compoundTails(`${entry.title} ${p.text}`, simpleStems),
        });
      });
    }
  });
}

/** Lunr indexes the knowledge base; the compiled form answers the questions. */
export function buildIndex(kb: KnowledgeBase): PassageIndex {
  return PassageIndex.fromLunr(buildLunrIndex(kb));
}

/** Raise when the way the index is built or saved changes, so that an index saved by older code is rebuilt. */
const INDEX_FORMAT = 2;
const MAGIC = 'PBIX';
/** The posting arrays in the order they are saved; every one holds 4-byte numbers. */
const ARRAYS = ['starts', 'docs', 'weights', 'termStarts', 'termsOf'] as const;

/**
 * Saved as a small JSON header (format, content hash, fields, passages, terms) and the posting
 * arrays as raw bytes: loading is a file read, not the parse of a large JSON document.
 */
export function saveIndex(index: PassageIndex, contentHash: string, file = SAVED_INDEX): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const arrays = index.arrays();
  const sizes = ARRAYS.map((name) => arrays[name].length);
  const header = Buffer.from(JSON.stringify({ format: INDEX_FORMAT, contentHash, fields: index.fields, refs: index.refs, terms: index.terms, sizes }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const bytes = ARRAYS.map((name) => Buffer.from(arrays[name].buffer, arrays[name].byteOffset, arrays[name].byteLength));
  writeFileSync(file, Buffer.concat([Buffer.from(MAGIC), length, header, ...bytes]));
}

/** The saved index if it was built from exactly these knowledge files by this code, else undefined. */
export function loadSavedIndex(contentHash: string, file = SAVED_INDEX): PassageIndex | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const buffer = readFileSync(file);
    if (buffer.toString('latin1', 0, 4) !== MAGIC) return undefined;
    let at = 8 + buffer.readUInt32LE(4);
    const header = JSON.parse(buffer.toString('utf8', 8, at));
    if (header.format !== INDEX_FORMAT || header.contentHash !== contentHash) return undefined;
    const arrays = Object.fromEntries(
      ARRAYS.map((name, i) => {
        const bytes = buffer.subarray(at, (at += header.sizes[i] * 4));
        // A copy, so that the array is aligned whatever the buffer's offset.
        const aligned = new Uint8Array(bytes).buffer;
        return [name, name === 'weights' ? new Float32Array(aligned) : new Uint32Array(aligned)];
      }),
    ) as unknown as PostingArrays;
    return new PassageIndex(header.fields, header.refs, header.terms, arrays);
  } catch {
    return undefined; // a damaged file is rebuilt, never fatal
  }
}

/** The saved index when it is current, else a fresh one: the bot never answers from stale knowledge. */
export function indexFor(kb: KnowledgeBase, file = SAVED_INDEX): { index: PassageIndex; loaded: boolean } {
  const saved = loadSavedIndex(kb.contentHash, file);
  return saved ? { index: saved, loaded: true } : { index: buildIndex(kb), loaded: false };
}
