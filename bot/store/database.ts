/** What our code needs of PostgreSQL: one dialect, whether embedded (PGlite) or a server (pg). */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Settles the statements whose results have arrived but wait for the event loop to get to them
   * (PGlite: its thread's replies). Under load the loop has taken up many requests by then, and the
   * turns waiting on a statement waited that long too: at 64 conversations p99 142 → 102 ms
   * (tests/bench/RESULTS.md). The service calls it as each activity arrives.
   */
  settleArrived?(): void;
  /** For logs and /readyz: which kind of database this is. */
  readonly kind: 'pglite' | 'postgres';
}

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATA_DIR: string;
}

/**
 * A PostgreSQL server when DATABASE_URL is set, else PGlite files under DATA_DIR. `onConnectionLost`
 * hears of what no statement was waiting for: a server dropping an idle connection (the next query
 * reconnects), PGlite's thread stopping (every query fails from then on).
 */
export async function openDatabase(settings: DatabaseSettings, onConnectionLost?: (err: Error) => void): Promise<Database> {
  if (settings.DATABASE_URL) {
    const { openPostgres } = await import('./postgres-database');
    return openPostgres(settings.DATABASE_URL, onConnectionLost);
  }
  const { openPglite } = await import('./pglite-database');
  return openPglite(settings.DATA_DIR, onConnectionLost);
}
