import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeBase } from './knowledge-base';
import { fold, INDEX_PIPELINE, lunr, stem } from './lunr-sv';
import { isStopWord, tokenize } from './swedish';
import { projectRoot } from '../paths';

/** Where `npm run build` saves the index; start loads it when the knowledge files are unchanged. */
export const SAVED_INDEX = path.join(projectRoot, 'dist', 'knowledge-index.json');

/** Field boosts: a word in the title or among the synonyms says more than one in the text. */
const FIELDS = { title: 10, synonyms: 8, phrases: 1, heading: 4, questions: 3, text: 1, tails: 0.5 } as const;

/** A passage's reference in the index: `entryId#passageNumber`. */
export const passageRef = (entryId: string, passage: number) => `${entryId}#${passage}`;
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
export function buildIndex(kb: KnowledgeBase): lunr.Index {
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

/** Raise when the way the index is built changes, so that an index saved by older code is rebuilt. */
const INDEX_FORMAT = 1;

export function saveIndex(index: lunr.Index, contentHash: string, file = SAVED_INDEX): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ format: INDEX_FORMAT, contentHash, index }));
}

/** The saved index if it was built from exactly these knowledge files, else undefined. */
export function loadSavedIndex(contentHash: string, file = SAVED_INDEX): lunr.Index | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    if (saved.format !== INDEX_FORMAT || saved.contentHash !== contentHash) return undefined;
    return lunr.Index.load(saved.index);
  } catch {
    return undefined; // a damaged file is rebuilt, never fatal
  }
}

/** The saved index when it is current, else a fresh one: the bot never answers from stale knowledge. */
export function indexFor(kb: KnowledgeBase, file = SAVED_INDEX): { index: lunr.Index; loaded: boolean } {
  const saved = loadSavedIndex(kb.contentHash, file);
  return saved ? { index: saved, loaded: true } : { index: buildIndex(kb), loaded: false };
}
