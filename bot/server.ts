import restify, { Request, Response, Server } from 'restify';
import type { Logger } from './logger';
import { checkActivity, checkContentEncoding, checkContentType } from './http/activity-request';
import type { ActivityResponse } from './teams/bot-adapter';

export const MAX_BODY_BYTES = 1024 * 1024;
const STARTUP_WAIT_MS = 30_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A file served at a signed link (CSV, .ics). */
export interface Download {
  status: number;
  contentType: string;
  body: string;
  filename?: string;
}

/** What the HTTP layer needs from the rest of the bot. */
export interface ServerDependencies {
  logger: Logger;
  /** Authenticates an activity and runs its turn; what to answer. */
  processActivity(body: object, authHeader: string): Promise<ActivityResponse>;
  /** Undefined when ready; otherwise why not, for /readyz. */
  notReadyReason(): string | undefined;
  /** Once ready: undefined while storage answers; otherwise what is wrong with it, for /readyz. */
  storageProblem(): Promise<string | undefined>;
  /** Resolves once ready; activities that arrive while the bot starts wait for it. */
  untilReady(): Promise<void>;
  /** Extra details for /readyz. */
  readiness(): Record<string, unknown>;
  /** Prometheus text for GET /metrics. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Counts a request refused before any turn. */
  onRejected(reason: string): void;
  /** The file at `path` under /exports, if the link is good; undefined for no such path. */
  download(path: string, query: Record<string, unknown>): Promise<Download | undefined>;
}

const SWEDISH_ERRORS: Record<number, string> = {
  400: 'Begäran kunde inte läsas: ogiltig JSON.',
  413: `Begäran är för stor (högst ${MAX_BODY_BYTES / 1024 / 1024} MB).`,
  404: 'Det finns ingen sådan adress.',
  405: 'Metoden stöds inte här.',
};

export function createServer(deps: ServerDependencies): { server: Server; drain(): Promise<void> } {
  const server = restify.createServer({ name: 'planeringsboten', handleUncaughtExceptions: false });
  let inFlight = 0;
  let drained: (() => void) | undefined;

  // restify's own errors (bad JSON, too large, unknown route) answer in Swedish, briefly.
  server.on('restifyError', (_req: Request, _res: Response, err: { statusCode?: number; toJSON?: () => unknown }, done: () => void) => {
    const message = SWEDISH_ERRORS[err.statusCode ?? 0];
    if (message) err.toJSON = () => ({ message });
    done();
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const reason = deps.notReadyReason() ?? (await deps.storageProblem());
    res.send(reason ? 503 : 200, { status: reason ? 'starting' : 'ready', ...(reason ? { reason } : {}), ...deps.readiness() });
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    const { contentType, body } = await deps.metrics();
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  });

  server.get('/exports/*', restify.plugins.queryParser({ mapParams: false }), async (req: Request, res: Response) => {
    if (deps.notReadyReason()) return void res.send(503, { message: 'Boten startar, försök igen om en stund.' });
    const file = await deps.download(req.getPath(), (req.query ?? {}) as Record<string, unknown>);
    if (!file) return void res.send(404, { message: SWEDISH_ERRORS[404] });
    res.writeHead(file.status, {
      'content-type': file.contentType,
      'cache-control': 'no-store',
      ...(file.filename ? { 'content-disposition': `attachment; filename="${file.filename}"` } : {}),
    });
    res.end(file.body);
  });

  server.post(
    '/api/messages',
    (req, res, next) => {
      // Counted from arrival, so that a shutdown waits for requests held while the bot starts too.
      inFlight++;
      res.once('close', () => {
        inFlight--;
        if (inFlight === 0) drained?.();
      });
      void (async () => {
        // A message that arrives while storage opens is held, not refused: Teams would show the person an error.
        if (deps.notReadyReason()) await Promise.race([deps.untilReady().catch(() => undefined), delay(STARTUP_WAIT_MS)]);
        if (deps.notReadyReason()) {
          res.header('Retry-After', '2');
          res.send(503, { message: 'Boten startar eller stängs av, försök igen om en stund.' });
          return next(false);
        }
        const problem = checkContentType(req.header('content-type')) ?? checkContentEncoding(req.header('content-encoding'));
        if (problem) {
          deps.onRejected('bad-request');
          res.send(problem.status, { message: problem.message });
          return next(false);
        }
        return next();
      })();
    },
    restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }),
    async (req, res) => {
      const problem = checkActivity(req.body);
      if (problem) {
        deps.onRejected('bad-request');
        res.send(problem.status, { message: problem.message });
        return;
      }
      try {
        const { status, body } = await deps.processActivity(req.body, req.header('authorization') ?? '');
        if (body === undefined) {
          res.status(status);
          res.end();
        } else res.send(status, body);
      } catch (err) {
        deps.logger.error({ err }, 'processing an activity failed');
        if (!res.headersSent) res.send(500, { message: 'Internt fel.' });
      }
    },
  );

  return {
    server,
    /** Resolves once no turn is running (after the listener has stopped taking new ones). */
    drain: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve))),
  };
}
