import type { AddressInfo } from 'node:net';
import { BotAdapter, NotAuthenticated } from './teams/bot-adapter';
import { checkTenant } from './http/activity-request';
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

/** How long /readyz waits for the database to answer. */
const STORAGE_CHECK_MS = 2_000;

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
  let ledger: ActivityLedger | undefined;

  const metrics = new Metrics();
  const adapter = new BotAdapter(botFrameworkAuthSettings(config));
  adapter.onTurnError = async (context, err) =>
    void logger.error({ err, activityId: context.activity.id, conversationId: context.activity.conversation?.id }, 'unhandled turn error');

  const { server, drain } = createServer({
    logger,
    notReadyReason: () => notReady,
    storageProblem: async () => {
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('the database does not answer'), STORAGE_CHECK_MS).unref());
      const answer = db!.query('SELECT 1').then(
        () => undefined,
        (err: Error) => `the database refuses: ${err.message}`,
      );
      return Promise.race([answer, timeout]);
    },
    untilReady: () => ready,
    readiness: () => ({ database: db?.kind ?? null, knowledgeEntries: knowledge.entries }),
    processActivity: async (body, authHeader) => {
      db?.settleArrived?.();
      let request;
      try {
        request = await adapter.authenticate(body, authHeader);
      } catch (err) {
        if (!(err instanceof NotAuthenticated)) throw err;
        logger.warn({ reason: err.message }, 'request refused: no valid Bot Framework token');
        metrics.rejected.inc({ reason: 'auth' });
        return { status: 401, body: { message: 'Begäran saknar en giltig Bot Framework-token.' } };
      }
      const refused = checkTenant(request.activity, config.ALLOWED_TENANTS);
      if (refused) {
        metrics.rejected.inc({ reason: 'tenant' });
        return { status: refused.status, body: { message: refused.message } };
      }
      return adapter.run(request.activity, request.auth, (context) => runTurn!(context));
    },
    download: (path, query) => product!.download(path, query),
    metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
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
    db = await openDatabase(config, (err) => logger.error({ err }, 'a database connection was lost'));
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
      metrics,
      features: [options.features ?? {}, ...product.features],
    });
    ledger = new ActivityLedger(db, (err) => logger.warn({ err }, 'handled activity ids could not be written; trying again'));
    runTurn = createTurnPipeline({ app, ledger, conversations, logger, metrics, rateLimit: new UserRateLimit(config.RATE_LIMIT_PER_MINUTE) });
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
      // The turns are over: what they claimed goes to the database before it closes.
      await ledger?.close().catch((err) => logger.error({ err }, 'handled activity ids could not be written'));
      await db?.close();
      logger.info('stopped');
    })());

  return { port, ready, stop };
}
