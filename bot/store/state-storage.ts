import type { Storage, StoreItems } from 'botbuilder';
import type { Database } from './database';

/**
 * botbuilder `Storage` over our database, for teams-ai's conversation and user state.
 * Optimistic concurrency as in botbuilder's MemoryStorage: a write that carries an eTag other
 * than '*' succeeds only if the stored document still has that eTag.
 */
export class DatabaseStateStorage implements Storage {
  constructor(private readonly db: Database) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('DatabaseStateStorage.read: keys must be an array of strings');
    if (keys.length === 0) return {};
    const rows = await this.db.query<{ key: string; document: Record<string, unknown>; etag: string }>(
      'SELECT key, document, etag FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...row.document, eTag: String(row.etag) };
    return items;
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
        const updated = await tx.query(
          `UPDATE bot_state SET document = $2, etag = etag + 1, updated_at = now()
           WHERE key = $1 AND etag::text = $3 RETURNING key`,
          [key, JSON.stringify(document), eTag],
        );
        if (updated.length === 0) throw new Error(`eTag conflict for "${key}": it was changed by another turn`);
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new Error('DatabaseStateStorage.delete: keys must be an array of strings');
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}
