import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { KnowledgeError } from './qa/knowledge-base';
import { startService } from './service';

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
