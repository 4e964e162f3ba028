import { renderCard } from '../../cards/render';
import type { OutgoingMessage } from '../teams/turn';
import { daysUntil, label, timeLeft } from './deadline-dates';
import type { Deadline } from './deadlines';
import type { Cadence } from './digest-store';

export const DIGEST_DAYS = 90;
export const CADENCE_LABEL: Record<Cadence, string> = { weekly: 'varje måndag kl. 08.00', daily: 'varje dag kl. 08.00' };

function item(d: Deadline, today: string, viewerAad?: string) {
  const days = daysUntil(d.when, today);
  return {
    title: d.title,
    when: label(d.when),
    left: timeLeft(d.when, today),
    color: d.when.kind === 'day' && days <= 7 ? 'Attention' : days <= 30 ? 'Warning' : 'Default',
    description: d.description,
    source: d.source ?? (d.own ? 'egen tidsfrist i den här konversationen' : ''),
    removeId: d.own && d.own.authorAad === viewerAad ? d.own.id : 0,
  };
}

function list(title: string, intro: string, deadlines: Deadline[], today: string, footer = '', viewerAad?: string): OutgoingMessage {
  const lines = deadlines.map((d) => `• ${label(d.when)} (${timeLeft(d.when, today)}): ${d.title}`);
  return {
    text: [title, intro, ...lines, footer].filter(Boolean).join('\n'),
    card: renderCard('deadlines', { title, intro, items: deadlines.map((d) => item(d, today, viewerAad)), footer }),
  };
}

/** `tidsfrister`: everything still to come, the viewer's own ones removable. */
export function deadlinesMessage(coming: Deadline[], today: string, viewerAad?: string): OutgoingMessage {
  if (coming.length === 0) return { text: 'Inga kommande tidsfrister. Lägg till en egen med "ny tidsfrist".' };
  return list('Kommande tidsfrister', 'Datumen har den precision källorna ger.', coming, today, 'Lägg till en egen med "ny tidsfrist". Få dem varje vecka: "prenumerera".', viewerAad);
}

/** The digest: the coming 90 days, or the next deadline beyond when none falls within them. */
export function digestMessage(coming: Deadline[], today: string): OutgoingMessage {
  const soon = coming.filter((d) => daysUntil(d.when, today) <= DIGEST_DAYS);
  const shown = soon.length ? soon : coming.slice(0, 1);
  const intro = soon.length ? `Det här händer de närmaste ${DIGEST_DAYS} dagarna.` : `Inget de närmaste ${DIGEST_DAYS} dagarna; nästa tidsfrist:`;
  return list('Sammanfattning: tidsfrister', shown.length ? intro : 'Inga kommande tidsfrister.', shown, today, 'Skriv "tidsfrister" för alla, "avsluta prenumeration" för att sluta få sammanfattningen.');
}

export function reminderMessage(d: Deadline, days: number): OutgoingMessage {
  const when = days === 1 ? 'i morgon' : `om ${days} dagar`;
  return { text: `Påminnelse: "${d.title}" ${when}, ${label(d.when)}. ${d.description}` };
}

/** The confirmation, with the button that undoes it. */
export function subscriptionMessage(now: Cadence | undefined, before: Cadence | undefined): OutgoingMessage {
  const title = now ? 'Prenumeration på tidsfrister' : 'Prenumerationen är avslutad';
  const text = now
    ? `Den här konversationen får en sammanfattning av kommande tidsfrister ${CADENCE_LABEL[now]}, och påminnelser 30, 7 och 1 dag före tidsfrister med datum.`
    : 'Inga fler sammanfattningar eller påminnelser hit. Skriv "prenumerera" för att börja igen.';
  const undoCadence = before ?? 'none';
  const undoTitle = now ? (before ? `Ångra (tillbaka till ${before === 'weekly' ? 'veckovis' : 'dagligen'})` : 'Ångra') : 'Ångra';
  return { text: `${title}. ${text}`, card: renderCard('subscription', { title, text, undoTitle, undoCadence }) };
}
