import type { AddressInfo } from 'node:net';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { botFrameworkAuthSettings, type Config } from './config';
import { createBotApplication, type Features } from './app';
import { describeDatabaseUrl, type Logger } from './logger';
import { createServer } from './server';
import { ActivityLedger } from './store/activity-ledger';
import { ConversationStore } from './store/conversation-store';
import { openDatabase, type Database } from './store/database';
import { migrate } from './store/migrate';
import { DatabaseStateStorage } from './store/state-storage';
import { createTurnPipeline } from './turn-pipeline';
import { loadAnswerer } from './qa/load';
import { loadDeadlines } from './digests/deadlines';
import { startProduct, type Product } from './features';
import { Metrics } from './ops/metrics';
import { UserRateLimit } from './ops/rate-limit';

export interface RunningService {
  /** The port it listens on (useful with PORT=0). */
  port: number;
  /** Resolves when storage and the knowledge base are ready. */
  ready: Promise<void>;
  /** Stops taking requests, lets running turns finish, then closes storage. */
  stop(): Promise<void>;
}

/**
 * Starts the bot: it listens at once (so /healthz answers while PGlite opens), then opens and
 * migrates storage and becomes ready; /api/messages answers 503 until then.
 */
export interface ServiceOptions {
  /** Extra commands and buttons (tests use it to exercise the plumbing). */
  features?: Features;
  /** The clock features read; tests move it. */
  now?: () => Date;
}

export async function startService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const now = options.now ?? (() => new Date());
  if (config.localMode) {
    logger.warn(
      '⚠ LOKALT LÄGE: MicrosoftAppId saknas, så Bot Framework-autentiseringen är AV. ' +
        `Boten tar emot oautentiserade anrop och lyssnar bara på ${config.host}. Sätt MicrosoftAppId i drift.`,
    );
  }

  // Before listening: a malformed knowledge file stops the start with its name and the reason.
  const knowledge = loadAnswerer();
  const deadlines = loadDeadlines(knowledge.answerer.kb.sources);
  logger.info({ entries: knowledge.entries, deadlines: deadlines.length, savedIndex: knowledge.savedIndexUsed }, 'knowledge base loaded');

  let notReady: string | undefined = 'storage is opening';
  let db: Database | undefined;
  let runTurn: ReturnType<typeof createTurnPipeline> | undefined;
  let product: Product | undefined;

  const metrics = new Metrics();
  const adapter = new TeamsAdapter(botFrameworkAuthSettings(config));
  adapter.onTurnError = async (_context, err) => void logger.error({ err }, 'unhandled turn error');

  const { server, drain } = createServer({
    logger,
    notReadyReason: () => notReady,
    untilReady: () => ready,
    readiness: () => ({ database: db?.kind ?? null, knowledgeEntries: knowledge.entries }),
    processActivity: async (req, res) => {
      // botbuilder answers 500 when a token fails a check it does not wrap as an AuthenticationError
      // (a bad signature); before any turn has run, a failure can only be the request's token.
      let turnStarted = false;
      const status = res.status.bind(res);
      res.status = ((code: number) => status(code === 500 && !turnStarted ? 401 : code)) as typeof res.status;
      await adapter.process(req, res, (context) => {
        turnStarted = true;
        return runTurn!(context);
      });
    },
    download: (path, query) => product!.download(path, query),
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    allowedTenants: config.ALLOWED_TENANTS,
    onRejected: (reason) => metrics.rejected.inc({ reason }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: config.host, port }, 'listening');

  let stopping: Promise<void> | undefined;
  const ready = (async () => {
    db = await openDatabase(config);
    logger.info({ database: config.DATABASE_URL ? describeDatabaseUrl(config.DATABASE_URL) : `pglite:${config.DATA_DIR}` }, 'storage open');
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    // Told to stop while starting: start nothing that would outlive the database.
    if (stopping) return;
    const conversations = new ConversationStore(db);
    product = await startProduct({
      db,
      config,
      adapter,
      conversations,
      answerer: knowledge.answerer,
      deadlines,
      logger,
      metrics,
      now,
      publicUrl: (config.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    });
    const app = createBotApplication({
      adapter,
      botAppId: config.MicrosoftAppId,
      storage: new DatabaseStateStorage(db),
      conversations,
      sharedCards: product.sharedCards,
      logger,
      metrics,
      features: [options.features ?? {}, ...product.features],
    });
    runTurn = createTurnPipeline({ app, ledger: new ActivityLedger(db), conversations, logger, metrics, rateLimit: new UserRateLimit(config.RATE_LIMIT_PER_MINUTE) });
    if (stopping) return;
    notReady = undefined;
    logger.info('ready');
  })();

  const stop = () =>
    (stopping ??= (async () => {
      notReady = 'shutting down';
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await drain();
      // Keep-alive sockets of finished requests would otherwise hold the listener open for seconds.
      server.server.closeIdleConnections();
      await closed;
      await ready.catch(() => undefined);
      await product?.stop();
      await db?.close();
      logger.info('stopped');
    })());

  return { port, ready, stop };
}
