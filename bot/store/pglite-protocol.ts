import type { MessagePort } from 'node:worker_threads';

/** The messages between the bot's thread and the PGlite thread (pglite-worker.ts). */
export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  /** Answered once the transaction holds the database. */
  | { id: number; op: 'begin'; tx: number }
  /** Answered once PGlite has committed (or rolled back). */
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** Request 0 is the opening of the database. */
export type WorkerReply = { id: number; rows: unknown[] } | { id: number; error: Record<string, unknown> };

/** What the PGlite thread starts with: its data folder, and the port its replies go to. */
export interface WorkerData {
  dir: string;
  replies: MessagePort;
}
