import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { knowledgeDir } from '../paths';
import { swedishList } from '../teams/text';

export const ENTRY_TYPES = ['begrepp', 'uppdrag', 'fas', 'arbetspaket', 'pilotprojekt', 'aktör', 'beslut', 'tidsfrist', 'dokument'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

const text = z.string().trim().min(1);
const scalar = z.union([z.string(), z.number()]).transform(String).pipe(text);

/** Where text comes from: a document in sources.yaml and, where given, its section; one or a list. */
const sourceRef = z.object({ dokument: text, avsnitt: scalar.optional() }).strict();
const sourceRefs = z.union([sourceRef, z.array(sourceRef).min(1)]).transform((r) => (Array.isArray(r) ? r : [r]));

const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and hyphens'),
    typ: z.enum(ENTRY_TYPES),
    titel: text,
    synonymer: z.array(scalar).default([]),
    /** The lead passage's source, and every section's that avsnittskällor does not name. */
    källa: sourceRefs,
    /** A section's own source, by its heading exactly as written after `## `. */
    avsnittskällor: z.record(z.string(), sourceRefs).default({}),
    status: scalar.optional(),
    period: scalar.optional(),
    relaterat: z.array(text).default([]),
    frågor: z.array(text.max(120)).default([]),
  })
  .strict();

const sourcesSchema = z.array(
  z.object({ id: text, fil: text, titel: text, utgivare: text, datum: scalar.optional(), beskrivning: text }).strict(),
);

export type Source = z.infer<typeof sourcesSchema>[number];

/** A document and, where given, the section in it that a passage's words come from. */
export interface PassageSource {
  document: Source;
  section?: string;
}

/** One passage: what the bot shows as an answer, cited to its own sources. The lead passage has no heading. */
export interface Passage {
  heading?: string;
  text: string;
  sources: PassageSource[];
}

export interface Entry {
  id: string;
  typ: EntryType;
  title: string;
  synonyms: string[];
  status?: string;
  period?: string;
  related: string[];
  questions: string[];
  passages: Passage[];
}

export interface KnowledgeBase {
  entries: Entry[];
  byId: Map<string, Entry>;
  sources: Source[];
  /** Changes whenever any knowledge file does: a saved index is only used with the same hash. */
  contentHash: string;
}

/** A knowledge file the bot cannot use; the message names the file and the reason. */
export class KnowledgeError extends Error {}

type PassageText = Omit<Passage, 'sources'>;

/** The body as passages: the text before the first `## ` heading, then one per heading. */
export function splitPassages(body: string): PassageText[] {
  const passages: PassageText[] = [];
  let current: PassageText = { text: '' };
  const flush = () => {
    const trimmed = current.text.trim();
    if (trimmed) passages.push({ ...current, text: trimmed });
  };
  for (const line of body.split(/\r?\n/)) {
    const heading = line.match(/^##\s+(.+?)\s*$/);
    if (heading) {
      flush();
      current = { heading: heading[1], text: '' };
    } else current.text += `${line}\n`;
  }
  flush();
  return passages;
}

function describe(issues: z.ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`).join('; ');
}

/** Reads `knowledge/`, checks every file and every reference between them, or throws a KnowledgeError. */
export function loadKnowledgeBase(dir = knowledgeDir): KnowledgeBase {
  const hash = createHash('sha256');
  const sourcesFile = path.join(dir, 'sources.yaml');
  let sourcesText: string;
  try {
    sourcesText = readFileSync(sourcesFile, 'utf8');
  } catch {
    throw new KnowledgeError(`${sourcesFile}: the list of source documents is missing`);
  }
  hash.update(sourcesText);
  const sources = sourcesSchema.safeParse(parseYaml(sourcesText));
  if (!sources.success) throw new KnowledgeError(`${sourcesFile}: ${describe(sources.error.issues)}`);
  const sourceById = new Map(sources.data.map((s) => [s.id, s]));

  const entriesDir = path.join(dir, 'entries');
  const files = readdirSync(entriesDir).filter((f) => f.endsWith('.md')).sort();
  const entries: Entry[] = [];
  for (const file of files) {
    const where = path.join(entriesDir, file);
    const raw = readFileSync(where, 'utf8');
    hash.update(file).update(raw);
    let parsed: matter.GrayMatterFile<string>;
    try {
      // A fresh options object: gray-matter caches by content otherwise, and we want errors every time.
      parsed = matter(raw, {});
    } catch (err) {
      throw new KnowledgeError(`${where}: the front matter is not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
    const front = frontMatterSchema.safeParse(parsed.data);
    if (!front.success) throw new KnowledgeError(`${where}: ${describe(front.error.issues)}`);
    const f = front.data;
    if (`${f.id}.md` !== file) throw new KnowledgeError(`${where}: id "${f.id}" must equal the file name`);
    const resolve = (refs: z.infer<typeof sourceRefs>, field: string): PassageSource[] =>
      refs.map((r) => {
        const document = sourceById.get(r.dokument);
        if (!document) throw new KnowledgeError(`${where}: ${field}.dokument "${r.dokument}" is not in sources.yaml`);
        return { document, section: r.avsnitt };
      });
    const entrySources = resolve(f.källa, 'källa');
    const texts = splitPassages(parsed.content);
    if (texts.length === 0) throw new KnowledgeError(`${where}: the entry has no text`);
    const headings = new Set(texts.map((p) => p.heading));
    for (const heading of Object.keys(f.avsnittskällor)) {
      if (!headings.has(heading)) throw new KnowledgeError(`${where}: avsnittskällor names "${heading}", which is not a ## heading in the text`);
    }
    const passages = texts.map((p) => {
      const own = p.heading === undefined ? undefined : f.avsnittskällor[p.heading];
      return { ...p, sources: own ? resolve(own, `avsnittskällor."${p.heading}"`) : entrySources };
    });
    entries.push({
      id: f.id,
      typ: f.typ,
      title: f.titel,
      synonyms: f.synonymer,
      status: f.status,
      period: f.period,
      related: f.relaterat,
      questions: f.frågor,
      passages,
    });
  }
  if (entries.length === 0) throw new KnowledgeError(`${entriesDir}: no entries`);

  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const e of entries) {
    const missing = e.related.filter((id) => !byId.has(id));
    if (missing.length) throw new KnowledgeError(`${path.join(entriesDir, `${e.id}.md`)}: relaterat names unknown entries: ${missing.join(', ')}`);
  }
  return { entries, byId, sources: sources.data, contentHash: hash.digest('hex') };
}

/**
 * "Källa: …" for a passage as people read it: each of its documents once, with publisher and date,
 * and the sections in it (a section named like the document itself is not repeated).
 */
export function citation(passage: Passage): string {
  const sections = new Map<Source, string[]>();
  for (const { document, section } of passage.sources) {
    const list = sections.get(document) ?? [];
    if (section && section !== document.titel && !list.includes(section)) list.push(section);
    sections.set(document, list);
  }
  return [...sections]
    .map(([d, s]) => `${d.utgivare}: ${d.titel}${d.datum ? ` (${d.datum})` : ''}${s.length ? `, ${swedishList(s)}` : ''}`)
    .join('; ');
}
