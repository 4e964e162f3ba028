import { openDatabase, type Database } from '../../bot/store/database';
import { tempDir } from './bot';
import { freshPostgresDatabase, postgresUrl } from './postgres';

/** A database a storage test runs against, freshly made. */
export interface Backend {
  name: string;
  open(): Promise<{ db: Database; reopen(): Promise<Database>; cleanup(): Promise<void> }>;
}

export const pglite: Backend = {
  name: 'PGlite',
  async open() {
    const DATA_DIR = tempDir();
    return { db: await openDatabase({ DATA_DIR }), reopen: () => openDatabase({ DATA_DIR }), cleanup: async () => undefined };
  },
};

export const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    const fresh = await freshPostgresDatabase();
    const settings = { DATA_DIR: '', DATABASE_URL: fresh.url };
    return { db: await openDatabase(settings), reopen: () => openDatabase(settings), cleanup: fresh.drop };
  },
};

/** PGlite always; PostgreSQL too when the test server is there. */
export const backends = postgresUrl ? [pglite, postgres] : [pglite];
