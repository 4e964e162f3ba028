import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { knowledgeDir } from '../paths';
import { KnowledgeError, type Source } from '../qa/knowledge-base';
import { isCalendarDate } from '../stockholm';
import { MONTHS, period, type When } from './deadline-dates';

export interface Deadline {
  /** Unique: `delrapport-2027`, `own-12`. */
  key: string;
  title: string;
  description: string;
  when: When;
  /** "Källa: …" for the documents' deadlines; none for an organisation's own. */
  source?: string;
  /** For an organisation's own deadline: its id, who may remove it, and the Stockholm day it was added (no reminder is due before it). */
  own?: { id: number; authorAad: string; addedOn: string };
}

const text = z.string().trim().min(1);
const isoDate = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/));
const year = z.number().int().min(2000).max(2100);
const month = z.enum(MONTHS as [string, ...string[]]);

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    titel: text,
    beskrivning: text,
    källa: z.object({ dokument: text, avsnitt: text.optional() }).strict(),
    dag: isoDate.optional(),
    månad: z.object({ år: year, månad: month }).strict().optional(),
    år: year.optional(),
    årstid: z.object({ år: year, årstid: z.enum(['vår', 'sommar', 'höst', 'vinter']) }).strict().optional(),
    årsskifte: z.string().regex(/^\d{4}\/\d{4}$/).optional(),
    återkommande: z.object({ månad: month, från: year, till: year }).strict().optional(),
  })
  .strict()
  .refine((e) => ['dag', 'månad', 'år', 'årstid', 'årsskifte', 'återkommande'].filter((k) => k in e && (e as Record<string, unknown>)[k] !== undefined).length === 1, {
    message: 'give exactly one of dag, månad, år, årstid, årsskifte, återkommande',
  })
  .refine((e) => !e.dag || isCalendarDate(e.dag), { message: 'dag is not a date in the calendar', path: ['dag'] })
  .refine((e) => !e.återkommande || e.återkommande.till >= e.återkommande.från, { message: 'till is before från', path: ['återkommande'] })
  .refine((e) => !e.årsskifte || Number(e.årsskifte.slice(5)) === Number(e.årsskifte.slice(0, 4)) + 1, { message: 'årsskifte must be two years in a row, like "2026/2027"', path: ['årsskifte'] });

type Entry = z.infer<typeof entrySchema>;

function whens(e: Entry): Array<{ suffix: string; when: When }> {
  if (e.dag) return [{ suffix: '', when: { kind: 'day', date: e.dag } }];
  if (e.månad) return [{ suffix: '', when: { kind: 'month', year: e.månad.år, month: MONTHS.indexOf(e.månad.månad) + 1 } }];
  if (e.år) return [{ suffix: '', when: { kind: 'year', year: e.år } }];
  if (e.årstid) return [{ suffix: '', when: { kind: 'season', year: e.årstid.år, season: e.årstid.årstid } }];
  if (e.årsskifte) return [{ suffix: '', when: { kind: 'turn', from: Number(e.årsskifte.slice(0, 4)) } }];
  const r = e.återkommande!;
  return Array.from({ length: r.till - r.från + 1 }, (_, i) => ({ suffix: `-${r.från + i}`, when: { kind: 'month' as const, year: r.från + i, month: MONTHS.indexOf(r.månad) + 1 } }));
}

/** Reads `knowledge/deadlines.yaml`, checked: a wrong entry stops the start with the reason. */
export function loadDeadlines(sources: Source[], file = path.join(knowledgeDir, 'deadlines.yaml')): Deadline[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = z.array(entrySchema).safeParse(raw);
  if (!parsed.success) throw new KnowledgeError(`${file}: ${parsed.error.issues.map((i) => `${where(raw, i.path)}${i.message}`).join('; ')}`);
  const byId = new Map(sources.map((s) => [s.id, s]));
  const deadlines = parsed.data.flatMap((e) => {
    const source = byId.get(e.källa.dokument);
    if (!source) throw new KnowledgeError(`${file}: ${e.id}: källa.dokument "${e.källa.dokument}" is not in sources.yaml`);
    const cite = `${source.utgivare}: ${source.titel}${e.källa.avsnitt ? `, ${e.källa.avsnitt}` : ''}`;
    return whens(e).map(({ suffix, when }) => ({ id: e.id, key: `${e.id}${suffix}`, title: e.titel, description: e.beskrivning, when, source: cite }));
  });
  // Reminders are sent once per key: a second deadline under a key already used would never be reminded of.
  const seen = new Map<string, string>();
  for (const { id, key } of deadlines) {
    const first = seen.get(key);
    if (first === id) throw new KnowledgeError(`${file}: ${id}: two entries have this id; give each entry an id of its own`);
    if (first !== undefined) throw new KnowledgeError(`${file}: ${id}: its deadline "${key}" has the same id as one of "${first}"; give each entry an id of its own`);
    seen.set(key, id);
  }
  return deadlines.map(({ id: _id, ...deadline }) => deadline);
}

/** "delrapport: återkommande.till: " for an issue at entry 0's `återkommande.till`: the entry by its id where it has one. */
function where(raw: unknown, path: Array<string | number>): string {
  if (path.length === 0) return '';
  const [index, ...rest] = path;
  const id = Array.isArray(raw) ? (raw[Number(index)] as { id?: unknown } | undefined)?.id : undefined;
  const entry = typeof id === 'string' && id ? id : `entry ${Number(index) + 1}`;
  return `${entry}: ${rest.length ? `${rest.join('.')}: ` : ''}`;
}

/**
 * In order of when they are due: by the last day they can fall, then by the first. So "vintern 2028",
 * which may be as late as December, comes after "februari 2028", and "2027" after "februari 2027".
 */
export function inOrder(deadlines: Deadline[]): Deadline[] {
  return [...deadlines].sort((a, b) => {
    const pa = period(a.when);
    const pb = period(b.when);
    return pa.end.localeCompare(pb.end) || pa.start.localeCompare(pb.start) || a.title.localeCompare(b.title, 'sv');
  });
}

/** Those not yet over on `today`. */
export const coming = (deadlines: Deadline[], today: string) => inOrder(deadlines.filter((d) => period(d.when).end >= today));
