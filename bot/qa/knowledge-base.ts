import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { knowledgeDir } from '../paths';

export const ENTRY_TYPES = ['begrepp', 'uppdrag', 'fas', 'arbetspaket', 'pilotprojekt', 'aktör', 'beslut', 'tidsfrist', 'dokument'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

const text = z.string().trim().min(1);
const scalar = z.union([z.string(), z.number()]).transform(String).pipe(text);

const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and hyphens'),
    typ: z.enum(ENTRY_TYPES),
    titel: text,
    synonymer: z.array(scalar).default([]),
    källa: z.object({ dokument: text, avsnitt: scalar.optional() }).strict(),
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

/** One passage: what the bot shows as an answer. The lead passage has no heading. */
export interface Passage {
  heading?: string;
  text: string;
}

export interface Entry {
  id: string;
  typ: EntryType;
  title: string;
  synonyms: string[];
  source: { document: Source; section?: string };
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

/** The body as passages: the text before the first `## ` heading, then one per heading. */
export function splitPassages(body: string): Passage[] {
  const passages: Passage[] = [];
  let current: Passage = { text: '' };
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
    const document = sourceById.get(f.källa.dokument);
    if (!document) throw new KnowledgeError(`${where}: källa.dokument "${f.källa.dokument}" is not in sources.yaml`);
    const passages = splitPassages(parsed.content);
    if (passages.length === 0) throw new KnowledgeError(`${where}: the entry has no text`);
    entries.push({
      id: f.id,
      typ: f.typ,
      title: f.titel,
      synonyms: f.synonymer,
      source: { document, section: f.källa.avsnitt },
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

/** "Källa: …" as people read it: the document, its publisher and date, and where in it. */
export function citation(entry: Entry): string {
  const d = entry.source.document;
  const where = entry.source.section ? `, ${entry.source.section}` : '';
  return `${d.utgivare}: ${d.titel}${d.datum ? ` (${d.datum})` : ''}${where}`;
}
