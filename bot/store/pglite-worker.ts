import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { seedIfNew } from './pglite-seed';
import type { WorkerData, WorkerReply, WorkerRequest } from './pglite-protocol';

/**
 * The bot's data is a few MB and the operating system caches its files as well: PostgreSQL's
 * default 128 MB of shared buffers, which in WebAssembly live in the process's own memory, would
 * only double the bot's footprint. 4 MB instead of 16: 7-12 MB less resident memory, the same
 * turns per second under the mixed load (tests/bench/RESULTS.md).
 */
const SHARED_BUFFERS = '4MB';

/** PGlite in its own thread (see pglite-database.ts): statements come in as messages, rows or errors go back. */
async function serve({ dir, replies }: WorkerData): Promise<void> {
  const reply = (message: WorkerReply) => replies.postMessage(message);
  const failed = (id: number, err: unknown) => reply({ id, error: describeError(err) });

  let db: PGlite;
  try {
    mkdirSync(dir, { recursive: true });
    seedIfNew(dir);
    db = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] });
  } catch (err) {
    return failed(0, err);
  }
  reply({ id: 0, rows: [] });

  /** Open transactions by id, each waiting inside PGlite's `transaction()` for the bot to end it. */
  const open = new Map<number, { tx: Transaction; end: (commit: boolean, replyId: number) => void }>();

  const begin = (txId: number, replyId: number) => {
    let endReplyId = replyId;
    db.transaction(
      (tx) =>
        new Promise<void>((commit, rollback) => {
          open.set(txId, {
            tx,
            end: (yes, id) => {
              endReplyId = id;
              if (yes) commit();
              else rollback(ROLLBACK);
            },
          });
          reply({ id: replyId, rows: [] });
        }),
    )
      .catch((err) => (err === ROLLBACK ? undefined : Promise.reject(err)))
      .then(
        () => reply({ id: endReplyId, rows: [] }),
        // Before the transaction began this answers the `begin`, after it the `end`.
        (err) => failed(endReplyId, err),
      )
      .finally(() => open.delete(txId));
  };

  const run = async (request: Exclude<WorkerRequest, { op: 'begin' | 'end' }>): Promise<unknown[]> => {
    switch (request.op) {
      case 'query':
        return (await (request.tx === undefined ? db : open.get(request.tx)!.tx).query(request.sql, request.params)).rows;
      case 'exec':
        await (request.tx === undefined ? db : open.get(request.tx)!.tx).exec(request.sql);
        return [];
      case 'close':
        await db.close();
        return [];
    }
  };

  parentPort!.on('message', (request: WorkerRequest) => {
    if (request.op === 'begin') return begin(request.tx, request.id);
    if (request.op === 'end') return open.get(request.tx)!.end(request.commit, request.id);
    run(request).then(
      (rows) => reply({ id: request.id, rows }),
      (err) => failed(request.id, err),
    );
  });
}

const ROLLBACK = Symbol('rollback');

/** PostgreSQL's error fields (code, detail, constraint …) cross the thread as plain data. */
function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields: Record<string, unknown> = { message: err.message };
  for (const [key, value] of Object.entries(err)) if (typeof value !== 'object' && typeof value !== 'function') fields[key] = value;
  return fields;
}

void serve(workerData as WorkerData);
