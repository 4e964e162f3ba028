import { renderCard } from '../../cards/render';
import { swedishWhen } from '../stockholm';
import type { OutgoingMessage } from '../teams/turn';
import { daysUntil, label, timeLeft } from './deadline-dates';
import type { Deadline } from './deadlines';
import type { Cadence } from './digest-store';
import { nextSlot } from './schedule';

const DIGEST_DAYS = 90;
const CADENCE_LABEL: Record<Cadence, string> = { weekly: 'varje måndag kl. 08.00', daily: 'varje dag kl. 08.00' };
const CADENCE_NAME: Record<Cadence, string> = { weekly: 'veckovis', daily: 'dagligen' };

/** When the digest comes: the cadence's own words, or DIGEST_CRON's schedule (which then replaces both cadences) and its next moment. */
export function scheduleLabel(cadence: Cadence, pattern: string | undefined, now: Date): string {
  if (!pattern) return CADENCE_LABEL[cadence];
  const next = nextSlot(pattern, now);
  return `enligt driftens schema "${pattern}" (svensk tid)${next ? `, nästa gång ${swedishWhen(next)}` : ''}`;
}

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

/** `days` is what is actually left: a reminder sent late after downtime says so. */
export function reminderMessage(d: Deadline, days: number): OutgoingMessage {
  const when = days === 1 ? 'i morgon' : `om ${days} dagar`;
  return { text: `Påminnelse: "${d.title}" ${when}, ${label(d.when)}. ${d.description}` };
}

export interface SubscriptionChange {
  /** The cadence now; undefined when there is no subscription now. */
  now?: Cadence;
  before?: Cadence;
  /** How `now` reads, from scheduleLabel. */
  schedule?: string;
  /** In a channel the subscription is the whole channel's, whichever thread it was made in. */
  inChannel: boolean;
}

/** The confirmation, with the button that undoes it; or, when there was nothing to end, one that subscribes. */
export function subscriptionMessage({ now, before, schedule, inChannel }: SubscriptionChange): OutgoingMessage {
  const here = inChannel ? 'Kanalen' : 'Den här konversationen';
  let title: string, text: string, buttonTitle: string;
  if (now) {
    title = 'Prenumeration på tidsfrister';
    text = `${here} får en sammanfattning av kommande tidsfrister ${schedule}${inChannel ? ' som ett nytt inlägg' : ''}, och påminnelser 30, 7 och 1 dag före tidsfrister med datum.`;
    buttonTitle = before ? `Ångra (tillbaka till ${CADENCE_NAME[before]})` : 'Ångra';
  } else if (before) {
    title = 'Prenumerationen är avslutad';
    text = 'Inga fler sammanfattningar eller påminnelser hit. Skriv "prenumerera" för att börja igen.';
    buttonTitle = 'Ångra';
  } else {
    title = 'Ingen prenumeration att avsluta';
    text = `${here} prenumererar inte på tidsfrister, så det fanns inget att avsluta.`;
    buttonTitle = 'Prenumerera';
  }
  const buttonCadence = now ? (before ?? 'none') : (before ?? 'weekly');
  return { text: `${title}. ${text}`, card: renderCard('subscription', { title, text, buttonTitle, buttonCadence }) };
}
