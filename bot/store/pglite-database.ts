import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database';
import { seedIfNew } from './pglite-seed';

/**
 * The bot's data is a few MB and the operating system caches its files as well: PostgreSQL's
 * default 128 MB of shared buffers, which in WebAssembly live in the process's own memory, would
 * only double the bot's footprint.
 */
const SHARED_BUFFERS = '16MB';

/** Embedded PostgreSQL (WASM) in this process, its files under `dataDir/pglite`. */
export async function openPglite(dataDir: string): Promise<Database> {
  const dir = path.resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  seedIfNew(dir);
  const db = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <Row>(sql: string, params: unknown[] = []) => (await q.query<Row>(sql, params)).rows,
    exec: async (sql: string) => void (await q.exec(sql)),
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}
