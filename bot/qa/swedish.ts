import { fold } from './lunr-sv';

/**
 * Words into tokens for the index and for questions alike: lower case, letters and digits,
 * "1:1" kept whole (it names an anslag), everything else a separator. Lunr's own operators
 * (: ^ ~ * + -) never survive, so no input can become query syntax.
 */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFC')
      .match(/\d+:\d+|[\p{L}\p{N}]+/gu) ?? []
  );
}

// Swedish stop words (lunr-languages' list) and the words of asking, folded: none of them says what a question is about.
const STOP_WORDS = `alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där då efter ej
  eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan
  men mig min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin sina sitta själv skulle som så sådan sådana
  sådant till under upp ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över
  finns fanns heter hette betyder betydde innebär innebar menas menar menat handlar gäller ingår ingick göra gör gjort görs ska skall skulle
  kommer kom få får fått fick kallas kallad egentligen ungefär exakt kort snälla tack hej berätta beskriv förklara förklaring vet veta undrar
  någonting lite mer mera info information fråga frågan begreppet begrepp ordet uttrycket`;
const STOP = new Set(STOP_WORDS.split(/\s+/).filter(Boolean).map(fold));

export function isStopWord(token: string): boolean {
  return STOP.has(fold(token));
}
