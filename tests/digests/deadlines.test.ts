import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDeadlines } from '../../bot/digests/deadlines';
import { KnowledgeError, type Source } from '../../bot/qa/knowledge-base';
import { tempDir } from '../helpers/bot';

const sources = [{ id: 'tillvaxtverket-uppdraget', utgivare: 'Tillväxtverket', titel: 'Regeringsuppdraget' }] as Source[];
const entry = (id: string, when: string) => `
- id: ${id}
  titel: Slutredovisning
  beskrivning: Ur källan.
  ${when}
  källa: { dokument: tillvaxtverket-uppdraget }
`;

/** Writes a deadlines file and loads it: what it made, or the message that stops the start. */
function load(...entries: string[]): { file: string; result: ReturnType<typeof loadDeadlines> | string } {
  const file = path.join(tempDir('pb-deadlines-'), 'deadlines.yaml');
  writeFileSync(file, entries.join(''));
  try {
    return { file, result: loadDeadlines(sources, file) };
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeError);
    return { file, result: (err as Error).message };
  }
}

describe('knowledge/deadlines.yaml is checked at start, naming the file and the entry', () => {
  test('a correct file gives one deadline per entry and per year of a recurring one', () => {
    const { result } = load(entry('slut', 'årstid: { år: 2028, årstid: vinter }'), entry('delrapport', 'återkommande: { månad: februari, från: 2027, till: 2028 }'));
    expect(typeof result === 'string' ? result : result.map((d) => d.key)).toEqual(['slut', 'delrapport-2027', 'delrapport-2028']);
  });

  test('an id used twice (the second would never be reminded of)', () => {
    const { file, result } = load(entry('forum', 'dag: 2027-10-08'), entry('forum', 'dag: 2027-11-08'));
    expect(result).toBe(`${file}: forum: two entries have this id; give each entry an id of its own`);
  });

  test("an id that is one of a recurring entry's years", () => {
    const { file, result } = load(entry('delrapport', 'återkommande: { månad: februari, från: 2027, till: 2028 }'), entry('delrapport-2028', 'dag: 2028-02-15'));
    expect(result).toBe(`${file}: delrapport-2028: its deadline "delrapport-2028" has the same id as one of "delrapport"; give each entry an id of its own`);
  });

  test('a dag that is no day of the calendar', () => {
    const { file, result } = load(entry('forum', 'dag: 2027-02-30'));
    expect(result).toBe(`${file}: forum: dag: dag is not a date in the calendar`);
  });

  test('a recurring entry whose till is before its från', () => {
    const { file, result } = load(entry('ok', 'år: 2027'), entry('delrapport', 'återkommande: { månad: februari, från: 2028, till: 2025 }'));
    expect(result).toBe(`${file}: delrapport: återkommande: till is before från`);
  });

  test('a field problem names the entry by its id', () => {
    const { file, result } = load(entry('forum', 'dag: 2027-10-08'), entry('slut', 'årstid: { år: 2028, årstid: midvinter }'));
    expect(result).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: slut: årstid\\.årstid: `));
  });
});
