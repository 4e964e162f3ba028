// `npm run playground`: chat with the bot locally in the Microsoft 365 Agents Playground.
import { startPlayground } from './playground-lib.mjs';

const botPort = Number(process.env.PORT || 3978);
const dataDir = process.env.DATA_DIR || './data';

const starting = new AbortController();
let playground;
let exitCode;

async function shutdown(code) {
  if (exitCode !== undefined) return;
  exitCode = code;
  // Still starting: startPlayground stops what it has started, then throws (see below).
  if (!playground) return starting.abort();
  await playground.stop();
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));

console.log('Bygger och startar boten och playground…');
try {
  playground = await startPlayground({
    botPort,
    dataDir,
    signal: starting.signal,
    // One without the other is of no use. (During the start, startPlayground reports it itself.)
    onUnexpectedExit: (name, how) => {
      if (!playground) return;
      console.error(`${name} avslutades oväntat (${how}).`);
      shutdown(1);
    },
  });
  console.log(`\nÖppna ${playground.url} i webbläsaren\n(Ctrl-C avslutar boten och playground.)\n`);
} catch (err) {
  if (exitCode === undefined) console.error(err.message);
  process.exit(exitCode ?? 1);
}
