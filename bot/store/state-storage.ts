import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { batched } from './batched';
import type { Database } from './database';

/**
 * botbuilder `Storage` over our database, for teams-ai's conversation and user state.
 * Optimistic concurrency as in botbuilder's MemoryStorage: a write that carries an eTag other
 * than '*' succeeds only if the stored document still has that eTag.
 */
export class DatabaseStateStorage implements Storage {
  /** Every turn reads its state: turns reading at the same moment share one query. */
  private readonly readOne: (key: string) => Promise<StoreItem | undefined>;

  constructor(private readonly db: Database) {
    this.readOne = batched((keys: readonly string[]) => this.readAll(keys));
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('DatabaseStateStorage.read: keys must be an array of strings');
    const items: StoreItems = {};
    const found = await Promise.all(keys.map((key) => this.readOne(key)));
    keys.forEach((key, i) => found[i] && (items[key] = found[i]));
    return items;
  }

  private async readAll(keys: readonly string[]): Promise<Array<StoreItem | undefined>> {
    const rows = await this.db.query<{ key: string; document: Record<string, unknown>; etag: string }>(
      'SELECT key, document, etag FROM bot_state WHERE key = ANY($1::text[])',
      [[...new Set(keys)]],
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    // Each caller gets its own copy: turns must not share one object they may change.
    return keys.map((key) => {
      const row = byKey.get(key);
      return row && { ...structuredClone(row.document), eTag: String(row.etag) };
    });
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new Error('DatabaseStateStorage.write: changes must be an object');
    await this.db.transaction(async (tx) => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...document } = (item ?? {}) as { eTag?: string };
        if (eTag === undefined || eTag === '*') {
          await tx.query(
            `INSERT INTO bot_state (key, document) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET document = EXCLUDED.document, etag = bot_state.etag + 1, updated_at = now()`,
            [key, JSON.stringify(document)],
          );
          continue;
        }
        // As botbuilder's MemoryStorage: an eTag only guards a document that exists.
        const written = await tx.query(
          `INSERT INTO bot_state (key, document) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET document = EXCLUDED.document, etag = bot_state.etag + 1, updated_at = now()
           WHERE bot_state.etag::text = $3 RETURNING key`,
          [key, JSON.stringify(document), eTag],
        );
        if (written.length === 0) throw new Error(`eTag conflict for "${key}": it was changed by another turn`);
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new Error('DatabaseStateStorage.delete: keys must be an array of strings');
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}
