import 'dotenv/config';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { KnowledgeError } from './qa/knowledge-base';
import { startService } from './service';

// Under steady load V8 lets the heap grow to up to four times what is live before it collects the
// old space, which took the bot from about 310 to 455 MB within 20 s of 16 conversations; at 1.5 times
// it stays near 345 MB at the same throughput (tests/bench/RESULTS.md). V8 reads this at every
// collection, so setting it here, before the load, takes effect.
setFlagsFromString('--heap-growing-percent=50');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let service;
  try {
    service = await startService(config, logger);
  } catch (err) {
    if (err instanceof KnowledgeError) {
      console.error(`Kunskapsbasen är felaktig: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  service.ready.catch((err) => {
    logger.fatal({ err }, 'could not start');
    process.exit(1);
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    service.stop().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // A handler's stray rejection is a bug to log, not a reason to drop everyone's turns.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

main().catch((err) => {
  console.error('Planeringsboten could not start:', err);
  process.exit(1);
});
