import { renderCard } from '../cards/render';
import type { Command } from './commands';
import type { OutgoingMessage } from './teams/turn';

const INTRO =
  'Jag svarar på frågor om regional strategisk planering och regeringsuppdraget 2024–2028, ' +
  'med källa till varje svar. Skriv en fråga med egna ord eller använd ett kommando:';
const FOOTER = 'I en kanal eller gruppchatt: nämn mig med @Planeringsboten först.';

/** The help card, built from the commands that are registered: it never advertises one that is not. */
export function helpMessage(commands: readonly Command[]): OutgoingMessage {
  const advertised = commands.flatMap((c) => (c.help ? [c.help] : []));
  const card = renderCard('help', {
    intro: INTRO,
    footer: FOOTER,
    commands: advertised.map((h) => ({ command: h.usage, description: h.description })),
    buttonRows: rows(advertised.filter((h) => h.button).map((h) => ({ title: h.button, value: h.usage }))),
  });
  const text = [INTRO, ...advertised.map((h) => `• ${h.usage}: ${h.description}`)].join('\n');
  return { text, card };
}

/** Teams shows at most a few buttons side by side: three to a row. */
const rows = <T>(items: T[], size = 3) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => ({ buttons: items.slice(i * size, i * size + size) }));

export function welcomeMessage(): OutgoingMessage {
  const greeting =
    'Jag svarar på frågor om regional strategisk planering, regeringsuppdraget 2024–2028 och dess ' +
    'pilotprojekt, med källa till varje svar. Skriv till exempel "Vad är strategisk planering?" eller "hjälp".';
  return { text: `Hej! Jag är Planeringsboten. ${greeting}`, card: renderCard('welcome', { greeting }) };
}

export const helpCommand = (commands: () => readonly Command[]): Command => ({
  pattern: /^(hjalp|help)$/,
  help: { usage: 'hjälp', description: 'Visar vad jag kan.' },
  run: async (turn) => void (await turn.send(helpMessage(commands()))),
});
