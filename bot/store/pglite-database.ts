import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { projectRoot } from '../paths';
import type { Database, Queryable } from './database';
import type { WorkerData, WorkerReply, WorkerRequest } from './pglite-protocol';

/**
 * The compiled worker, also when this module runs from source under ts-jest (whose global setup
 * builds the project first): a worker thread runs JavaScript only.
 */
const WORKER_SCRIPT = path.join(projectRoot, 'dist', 'bot', 'store', 'pglite-worker.js');

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Call = WithoutId<WorkerRequest>;

/**
 * Embedded PostgreSQL (WASM), its files under `dataDir/pglite`, in a worker thread. PostgreSQL's own
 * work was a fifth of the main thread's time on a question turn; there it runs beside the thread
 * that answers people, as a database server would. PGlite's semantics stay as they are: one
 * connection, and a transaction holds it until it ends. `onConnectionLost` hears of a thread that stopped.
 */
export async function openPglite(dataDir: string, onConnectionLost: (err: Error) => void = () => undefined): Promise<Database> {
  // PGlite is the one WebAssembly module in the process. V8 would compile its hot functions a second
  // time with its optimizing compiler: in the first seconds under load that took CPU the bot needed
  // (a fifth fewer turns per second) and left 90 MB more resident memory, and at steady load it
  // bought no measurable speed (tests/bench/RESULTS.md). V8 reads the flag when it compiles a module.
  setFlagsFromString('--liftoff-only');
  // The thread's own JavaScript is PGlite's glue: a small young generation holds what a statement
  // allocates (V8 lets a young generation grow to tens of MB): 5-12 MB less resident memory, the same speed.
  // Replies come on a port of their own, which settleArrived() can read before the event loop gets to it.
  const { port1: replies, port2: repliesForWorker } = new MessageChannel();
  const workerData: WorkerData = { dir: path.resolve(dataDir, 'pglite'), replies: repliesForWorker };
  const worker = new Worker(WORKER_SCRIPT, { workerData, transferList: [repliesForWorker], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void; caller: Error }>();
  let nextId = 1;
  let nextTx = 1;
  let stopped: Error | undefined;

  const settle = (reply: WorkerReply) => {
    const call = waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id);
    if ('rows' in reply) return call.resolve(reply.rows);
    // PostgreSQL's fields (code, detail, constraint …) with the caller's stack: a log should say which of our statements failed.
    const { message, ...fields } = reply.error;
    call.reject(Object.assign(new Error(String(message)), fields, { stack: `Error: ${message}${call.caller.stack!.slice('Error'.length)}` }));
  };
  const stop = (err: Error) => {
    if (stopped) return;
    stopped = err;
    for (const id of [...waiting.keys()]) settle({ id, error: { message: err.message } });
    onConnectionLost(err);
  };
  // Request 0 is the opening: the worker answers it once the database is open.
  const opened = new Promise((resolve, reject) => waiting.set(0, { resolve, reject, caller: new Error() }));
  replies.on('message', settle);
  // The worker keeps the process running while it runs; its replies port need not.
  replies.unref();
  worker.on('error', (err) => stop(new Error(`the database thread failed: ${err.message}`)));
  worker.on('exit', (code) => stop(new Error(`the database thread stopped (exit code ${code})`)));

  const call = <Row>(request: Call): Promise<Row[]> => {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise<Row[]>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (rows: unknown[]) => void, reject, caller: new Error() });
      worker.postMessage({ ...request, id });
    });
  };
  const on = (tx?: number): Queryable => ({
    query: <Row>(sql: string, params: unknown[] = []) => call<Row>({ op: 'query', sql, params, tx }),
    exec: async (sql: string) => void (await call({ op: 'exec', sql, tx })),
  });

  try {
    await opened;
  } catch (err) {
    replies.close();
    await worker.terminate();
    throw err;
  }

  return {
    kind: 'pglite',
    ...on(),
    settleArrived: () => {
      for (let arrived; (arrived = receiveMessageOnPort(replies)); ) settle(arrived.message as WorkerReply);
    },
    transaction: async (work) => {
      const tx = nextTx++;
      await call({ op: 'begin', tx });
      let result;
      try {
        result = await work(on(tx));
      } catch (err) {
        // The work's own error is the one to report, also when the rollback cannot be sent.
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw err;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    close: async () => {
      if (!stopped) await call({ op: 'close' });
      stopped ??= new Error('the database is closed');
      replies.close();
      await worker.terminate();
    },
  };
}
