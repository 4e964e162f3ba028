import type { Storage, StoreItems } from 'botbuilder';
import { batched } from './batched';
import type { Database } from './database';

/** A document as stored, with its eTag; null when nothing is stored under the key. */
type Stored = { document: Record<string, unknown>; etag: string } | null;

/** Keys whose documents a process keeps in memory on PGlite; the oldest is forgotten first. */
const MAX_KNOWN_KEYS = 10_000;

/**
 * What is stored under each key, as this process last read or wrote it, per PGlite database. PGlite's
 * files are opened by one process alone, so what it read or wrote is what is there: teams-ai reads a
 * conversation's and a person's state on every turn, and on PGlite the repeated reads need no
 * statement (a statement there costs the process itself). A PostgreSQL server is shared with other
 * instances, which may write any key: there every read asks the server.
 */
const knownByDatabase = new WeakMap<Database, Map<string, Stored>>();

/**
 * botbuilder `Storage` over our database, for teams-ai's conversation and user state.
 * Optimistic concurrency as in botbuilder's MemoryStorage: a write that carries an eTag other
 * than '*' succeeds only if the stored document still has that eTag.
 */
export class DatabaseStateStorage implements Storage {
  /** Every turn reads its state: turns reading at the same moment share one query. */
  private readonly readOne: (key: string) => Promise<Stored>;
  private readonly known?: Map<string, Stored>;

  constructor(private readonly db: Database) {
    this.readOne = batched((keys: readonly string[]) => this.readAll(keys));
    if (db.kind === 'pglite') {
      this.known = knownByDatabase.get(db) ?? new Map();
      knownByDatabase.set(db, this.known);
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('DatabaseStateStorage.read: keys must be an array of strings');
    const items: StoreItems = {};
    const found = await Promise.all(keys.map((key) => this.readKey(key)));
    // Each caller gets its own copy: turns must not share one object they may change.
    keys.forEach((key, i) => {
      const stored = found[i];
      if (stored) items[key] = { ...structuredClone(stored.document), eTag: stored.etag };
    });
    return items;
  }

  private async readKey(key: string): Promise<Stored> {
    const known = this.known?.get(key);
    if (known !== undefined) return known;
    const stored = await this.readOne(key);
    // A write that finished while this read was under way knows better.
    if (this.known && !this.known.has(key)) this.remember(key, stored);
    return stored;
  }

  private async readAll(keys: readonly string[]): Promise<Stored[]> {
    const rows = await this.db.query<{ key: string; document: Record<string, unknown>; etag: string }>(
      'SELECT key, document, etag FROM bot_state WHERE key = ANY($1::text[])',
      [[...new Set(keys)]],
    );
    const byKey = new Map(rows.map((row) => [row.key, { document: row.document, etag: String(row.etag) }]));
    return keys.map((key) => byKey.get(key) ?? null);
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new Error('DatabaseStateStorage.write: changes must be an object');
    const written = new Map<string, Stored>();
    try {
      await this.db.transaction(async (tx) => {
        for (const [key, item] of Object.entries(changes)) {
          const { eTag, ...document } = (item ?? {}) as { eTag?: string };
          const json = JSON.stringify(document);
          // As botbuilder's MemoryStorage: '*' or no eTag overwrites, and an eTag only guards a document that exists.
          const guard = eTag === undefined || eTag === '*' ? null : eTag;
          const [row] = await tx.query<{ etag: string }>(
            `INSERT INTO bot_state (key, document) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET document = EXCLUDED.document, etag = bot_state.etag + 1, updated_at = now()
             WHERE $3::text IS NULL OR bot_state.etag::text = $3 RETURNING etag`,
            [key, json, guard],
          );
          if (!row) throw new Error(`eTag conflict for "${key}": it was changed by another turn`);
          written.set(key, { document: JSON.parse(json), etag: String(row.etag) });
        }
      });
    } catch (err) {
      // Rolled back: what is stored is unchanged, and the next read asks the database.
      for (const key of Object.keys(changes)) this.known?.delete(key);
      throw err;
    }
    for (const [key, stored] of written) this.remember(key, stored);
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new Error('DatabaseStateStorage.delete: keys must be an array of strings');
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
    for (const key of keys) this.remember(key, null);
  }

  private remember(key: string, stored: Stored): void {
    if (!this.known) return;
    this.known.delete(key);
    if (this.known.size >= MAX_KNOWN_KEYS) this.known.delete(this.known.keys().next().value!);
    this.known.set(key, stored);
  }
}
