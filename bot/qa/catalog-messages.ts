import { renderCard } from '../../cards/render';
import { stockholmDay } from '../stockholm';
import type { OutgoingMessage } from '../teams/turn';
import type { Entry, KnowledgeBase } from './knowledge-base';
import type { FrequentQuestion } from './unanswered-store';

const PHASE_ORDER = ['fas-uppstart', 'fas-grunda', 'fas-genomfora', 'fas-slutfora'];
const NOT_GIVEN = 'anges inte i källorna';

interface ListItem {
  title: string;
  detail?: string;
  ask?: string;
}

function topicList(title: string, intro: string, items: ListItem[], footer = ''): OutgoingMessage {
  const card = renderCard('topic-list', {
    title,
    intro,
    footer,
    items: items.map((i) => ({ title: i.title, detail: i.detail ?? '', ask: i.ask ?? '' })),
  });
  const lines = items.map((i) => `• ${i.title}${i.detail ? ` – ${i.detail}` : ''}`);
  return { text: [title, intro, ...lines, footer].filter(Boolean).join('\n'), card };
}

/** The bullet points of an entry's lead passage ("Systemanalys, Dialog regioner, …"), or its first sentence. */
export function gist(entry: Entry): string {
  const lead = entry.passages[0].text;
  const bullets = lead.split('\n').filter((l) => /^\s*(?:[-•*]|\d+\.)\s+/.test(l)).map((l) => l.replace(/^\s*(?:[-•*]|\d+\.)\s+/, '').trim());
  if (bullets.length) return bullets.join(', ');
  const sentence = lead.match(/^.*?[.!?](?=\s|$)/s)?.[0] ?? lead;
  return sentence.length > 240 ? `${sentence.slice(0, 237)}…` : sentence;
}

export function conceptsMessage(kb: KnowledgeBase): OutgoingMessage {
  const concepts = kb.entries.filter((e) => e.typ === 'begrepp').sort((a, b) => a.title.localeCompare(b.title, 'sv'));
  return topicList(
    'Begrepp',
    `${concepts.length} begrepp från källorna. Välj ett, eller skriv "begrepp" och ordet.`,
    concepts.map((e) => ({ title: e.title, ask: `begrepp ${e.title}` })),
  );
}

export function projectsMessage(kb: KnowledgeBase): OutgoingMessage {
  const projects = kb.entries.filter((e) => e.typ === 'pilotprojekt' && e.id !== 'pilotprojekt');
  const followers = kb.byId.get('foljeregioner');
  return topicList(
    'Pilotprojekt inom regional strategisk planering',
    `${projects.length} pilotprojekt enligt Tillväxtverkets presentation för Reglab RUS-nätverk. Välj ett för att läsa mer.`,
    projects.map((e) => ({ title: e.title, detail: e.status ? `Status: ${e.status}` : undefined, ask: e.title })),
    followers ? followers.passages[0].text : '',
  );
}

export function sourcesMessage(kb: KnowledgeBase): OutgoingMessage {
  return topicList(
    'Källor',
    'Allt jag svarar kommer ur de här dokumenten:',
    kb.sources.map((s) => ({ title: s.titel, detail: `${s.utgivare}${s.datum ? `, ${s.datum}` : ''}. ${s.beskrivning}` })),
  );
}

/** The mission at a glance: what it is, its phases, the work packages and the pilot projects. */
export function statusMessage(kb: KnowledgeBase): OutgoingMessage {
  const mission = kb.entries.find((e) => e.typ === 'uppdrag' && e.id === 'regeringsuppdraget') ?? kb.entries.find((e) => e.typ === 'uppdrag');
  const phases = PHASE_ORDER.map((id) => kb.byId.get(id)).filter((e): e is Entry => Boolean(e));
  const packages = kb.entries.filter((e) => e.typ === 'arbetspaket' && /^arbetspaket-\d+$/.test(e.id)).sort((a, b) => a.id.localeCompare(b.id));
  const projects = kb.entries.filter((e) => e.typ === 'pilotprojekt' && e.id !== 'pilotprojekt');
  const sections = [
    { heading: 'Faser (långsiktig tidplan 24–28)', rows: phases.map((e) => ({ title: e.title.replace(/^Fasen?\s+/i, ''), value: gist(e) })) },
    {
      heading: 'Arbetspaket',
      rows: packages.map((e) => ({ title: e.title, value: `Tid: ${e.period ?? NOT_GIVEN}. Status: ${e.status ?? NOT_GIVEN}.` })),
    },
    {
      heading: `Pilotprojekt (${projects.length})`,
      rows: projects.map((e) => ({ title: e.title, value: `Status: ${e.status ?? NOT_GIVEN}.` })),
    },
  ];
  const title = `${mission?.title ?? 'Regeringsuppdraget'}${mission?.period ? ` ${mission.period}` : ''}`;
  const summary = mission ? gist(mission) : '';
  const footer = 'Källor: Tillväxtverkets bilder om uppdraget och presentationen för Reglab RUS-nätverk (20 maj 2025). Skriv "källor" för detaljer.';
  const text = [title, summary, ...sections.flatMap((s) => [s.heading, ...s.rows.map((r) => `• ${r.title} ${r.value}`)]), footer].join('\n');
  return { text, card: renderCard('status', { title, summary, sections, footer }) };
}

export function unansweredMessage(questions: FrequentQuestion[]): OutgoingMessage {
  if (questions.length === 0) return { text: 'Inga obesvarade frågor de senaste 90 dagarna.' };
  return topicList(
    'Obesvarade frågor',
    'De vanligaste frågorna som jag inte hittade något säkert svar på, de senaste 90 dagarna:',
    questions.map((q) => ({ title: q.question, detail: `${q.count} gång${q.count === 1 ? '' : 'er'}, senast ${stockholmDay(q.lastAsked)}` })),
  );
}
