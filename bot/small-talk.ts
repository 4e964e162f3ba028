import type { Command } from './commands';

/** A greeting or a thank-you gets a human answer, not "hittade inget". */
export const smallTalk: Command[] = [
  {
    pattern: /^(hej|hej hej|hejsan|hallo|hello|hi|tja|tjena|god morgon|god dag|goddag)( (planeringsboten|boten|bot))?$/,
    run: async (turn) =>
      void (await turn.send({
        text: `Hej${turn.actor.name ? ` ${turn.actor.name.split(' ')[0]}` : ''}! Fråga mig om regional strategisk planering, till exempel "Vad är en viljeriktning?", eller skriv "hjälp".`,
      })),
  },
  {
    pattern: /^(tack|tack sa mycket|tusen tack|tackar|tack tack|thanks)$/,
    run: async (turn) => void (await turn.send({ text: 'Varsågod! Fråga gärna igen.' })),
  },
];
