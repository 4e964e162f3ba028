import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QuestionAnswerer } from '../../bot/qa/answerer';
import { answerMessage } from '../../bot/qa/answer-messages';
import { citation, KnowledgeError, loadKnowledgeBase, splitPassages } from '../../bot/qa/knowledge-base';
import { buildIndex, indexFor, loadSavedIndex, saveIndex } from '../../bot/qa/search-index';
import { knowledgeDir } from '../../bot/paths';

/** A copy of knowledge/ that a test may break. */
function knowledgeCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-kb-'));
  cpSync(knowledgeDir, dir, { recursive: true });
  return dir;
}

describe('the knowledge base', () => {
  const kb = loadKnowledgeBase();

  test('covers what the product promises, each entry citing its source', () => {
    for (const id of [
      'strategisk-planering', 'rumsligt-perspektiv', 'rumsliga-nyttan', 'viljeriktning', 'regeringsuppdraget',
      'fas-uppstart', 'fas-grunda', 'fas-genomfora', 'fas-slutfora', 'aktiviteter-i-uppdraget', 'pilotprojekt',
      'foljeregioner', 'arbetspaket-1', 'arbetspaket-2', 'arbetspaket-3', 'myndigheter', 'delrapport-2',
      'utlysning-2025', 'regionalt-forum', 'regionala-rummet', 'jamtland-projektet', 'lanspartnerskapet', 'paverkansagenda',
    ]) {
      expect(kb.byId.get(id)).toBeDefined();
    }
    expect(kb.entries.filter((e) => e.typ === 'pilotprojekt' && e.id !== 'pilotprojekt')).toHaveLength(8);
    for (const p of kb.entries.flatMap((e) => e.passages)) expect(citation(p)).toMatch(/^(Region Jämtland Härjedalen|Tillväxtverket): /);
  });

  test('cites each passage to its own source: a section from another document than the entry is cited with that document', () => {
    const [lead, presidium] = kb.byId.get('kommunforbundet')!.passages;
    expect(presidium.heading).toBe('Kommunförbundet i Länspartnerskapets presidium');
    expect(citation(lead)).toBe('Region Jämtland Härjedalen: Projekt: Strategisk planering i det regionala utvecklingsarbetet – förberedande steg, Utdrag till och Ärendebeskrivning');
    expect(citation(presidium)).toBe('Region Jämtland Härjedalen: Länsgemensam påverkansagenda, Ärendebeskrivning');
  });

  test('a passage drawing on two documents cites both, each once with its sections', () => {
    expect(citation(kb.byId.get('boverket')!.passages[0])).toBe(
      'Tillväxtverket: Erbjuda stöd om strategisk planering i det regionala utvecklingsarbetet (20 maj 2025), Om uppdraget och Vilka myndigheter är med...; ' +
        'Tillväxtverket: Regeringsuppdraget om att erbjuda stöd om strategisk planering i det regionala utvecklingsarbetet',
    );
  });

  test('an answer quoting such a section cites it in the text and on the card', () => {
    const entry = kb.byId.get('kommunforbundet')!;
    const message = answerMessage(kb, { entry, passage: 1, score: 1, coverage: 1 }, [], 'Är Kommunförbundet med i Länspartnerskapet?');
    expect(message.text).toContain('Källa: Region Jämtland Härjedalen: Länsgemensam påverkansagenda, Ärendebeskrivning');
    expect(JSON.stringify(message.card)).toContain('Länsgemensam påverkansagenda, Ärendebeskrivning');
  });

  test('quotes the documents: the four points of the viljeriktning are there word for word', () => {
    const text = kb.byId.get('viljeriktning')!.passages.map((p) => p.text).join('\n');
    expect(text).toContain('Region Jämtland Härjedalen avser söka lämpliga projekt för att föra arbetet framåt.');
    expect(text).toContain('vill utveckla det rumsliga perspektivet');
  });

  test('keeps a date as precise as its source: seasons stay seasons', () => {
    const all = kb.entries.flatMap((e) => e.passages.map((p) => p.text)).join('\n');
    expect(all).toContain('vintern 2028');
    expect(all).toContain('årsskiftet 2026/2027');
  });

  test('splits a body into a lead passage and one passage per ## heading', () => {
    expect(splitPassages('Inledning.\n\n## Första\nEtt.\n## Andra\nTvå.\n')).toEqual([
      { text: 'Inledning.' },
      { heading: 'Första', text: 'Ett.' },
      { heading: 'Andra', text: 'Två.' },
    ]);
  });

  test.each([
    ['a front matter that is not YAML', (t: string) => t.replace(/^titel: .*$/m, 'titel: [unclosed'), /not valid YAML/],
    ['an unknown typ', (t: string) => t.replace(/^typ: .*$/m, 'typ: recept'), /typ/],
    ['a missing titel', (t: string) => t.replace(/^titel: .*\n/m, ''), /titel/],
    ['an id that differs from the file name', (t: string) => t.replace(/^id: .*$/m, 'id: nagot-annat'), /must equal the file name/],
    ['an unknown source document', (t: string) => t.replace(/^  dokument: .*$/m, '  dokument: finns-inte'), /källa.dokument "finns-inte"/],
    ['a related entry that does not exist', (t: string) => t.replace(/^relaterat: .*$/m, 'relaterat: [saknas]'), /relaterat names unknown entries: saknas/],
    ['an unknown field', (t: string) => t.replace(/^titel:/m, 'hemligt: x\ntitel:'), /hemligt/],
    ['no text', (t: string) => t.replace(/\n---\n[\s\S]*$/, '\n---\n'), /no text/],
  ])('%s stops loading with the file name and the reason', (_name, breakIt, reason) => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'entries', 'viljeriktning.md');
    writeFileSync(file, breakIt(readFileSync(file, 'utf8')));
    expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledgeBase(dir)).toThrow(new RegExp(`viljeriktning\\.md: .*${reason.source}`));
  });

  test.each([
    ['a section source for a heading that is not in the text', 'Finns inte', 'reglab-presentation', /testbegrepp\.md: avsnittskällor names "Finns inte", which is not a ## heading/],
    ['a section source with an unknown document', 'Ett avsnitt', 'finns-inte', /testbegrepp\.md: avsnittskällor\."Ett avsnitt"\.dokument "finns-inte" is not in sources\.yaml/],
  ])('%s stops loading with the file name and the reason', (_name, heading, dokument, reason) => {
    const dir = knowledgeCopy();
    writeFileSync(
      path.join(dir, 'entries', 'testbegrepp.md'),
      `---\nid: testbegrepp\ntyp: begrepp\ntitel: Test\nkälla: { dokument: reglab-presentation }\navsnittskällor:\n  "${heading}": { dokument: ${dokument} }\n---\nInledning.\n\n## Ett avsnitt\nText.\n`,
    );
    expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledgeBase(dir)).toThrow(reason);
  });

  test('an editor adds an entry by adding a file, and the bot can answer from it', () => {
    const dir = knowledgeCopy();
    writeFileSync(
      path.join(dir, 'entries', 'testbegrepp.md'),
      '---\nid: testbegrepp\ntyp: begrepp\ntitel: Blåbärsmodellen\nsynonymer: [BBM]\nkälla:\n  dokument: reglab-presentation\n---\nBlåbärsmodellen är ett påhittat begrepp i ett test.\n',
    );
    const edited = loadKnowledgeBase(dir);
    expect(edited.contentHash).not.toBe(kb.contentHash);
    const answer = new QuestionAnswerer(edited, buildIndex(edited)).answer('vad är BBM?');
    expect(answer.kind === 'answer' && answer.best.entry.id).toBe('testbegrepp');
  });
});

describe('the saved index', () => {
  const kb = loadKnowledgeBase();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pb-index-')), 'index.json');

  test('is loaded (with lunr.sv registered) when the knowledge files are unchanged, rebuilt when they changed', () => {
    saveIndex(buildIndex(kb), kb.contentHash, file);
    expect(loadSavedIndex(kb.contentHash, file)).toBeDefined();
    expect(indexFor(kb, file).loaded).toBe(true);
    expect(loadSavedIndex('another-hash', file)).toBeUndefined();
    expect(indexFor({ ...kb, contentHash: 'changed' }, file).loaded).toBe(false);
  });

  test('a damaged file is rebuilt, not fatal', () => {
    writeFileSync(file, '{"format":1,"contentHash":"x",');
    expect(indexFor(kb, file).loaded).toBe(false);
  });
});
