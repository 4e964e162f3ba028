import type { Database } from '../store/database';
import type { Deadline } from './deadlines';

export type Cadence = 'weekly' | 'daily';

export interface Subscription {
  conversationId: string;
  cadence: Cadence;
  subscribedAt: Date;
}

/** How long a claimed but unsent delivery stays claimed before another try may take it. */
export const CLAIM_EXPIRY_SECONDS = 120;

/** The only place with SQL about subscriptions, deliveries and own deadlines. */
export class DigestStore {
  constructor(private readonly db: Database) {}

  /** Subscribes, or changes the cadence; returns what it was before (for the undo button). */
  async subscribe(conversationId: string, cadence: Cadence, by: string): Promise<Cadence | undefined> {
    const [before] = await this.db.query<{ cadence: Cadence }>('SELECT cadence FROM digest_subscriptions WHERE conversation_id = $1', [conversationId]);
    await this.db.query(
      `INSERT INTO digest_subscriptions (conversation_id, cadence, subscribed_by) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id) DO UPDATE SET cadence = EXCLUDED.cadence`,
      [conversationId, cadence, by],
    );
    return before?.cadence;
  }

  async unsubscribe(conversationId: string): Promise<Cadence | undefined> {
    const [gone] = await this.db.query<{ cadence: Cadence }>('DELETE FROM digest_subscriptions WHERE conversation_id = $1 RETURNING cadence', [conversationId]);
    return gone?.cadence;
  }

  async subscription(conversationId: string): Promise<Subscription | undefined> {
    const [row] = await this.db.query<{ conversation_id: string; cadence: Cadence; subscribed_at: Date }>(
      'SELECT * FROM digest_subscriptions WHERE conversation_id = $1',
      [conversationId],
    );
    return row && { conversationId: row.conversation_id, cadence: row.cadence, subscribedAt: new Date(row.subscribed_at) };
  }

  async subscriptions(): Promise<Subscription[]> {
    const rows = await this.db.query<{ conversation_id: string; cadence: Cadence; subscribed_at: Date }>('SELECT * FROM digest_subscriptions ORDER BY conversation_id');
    return rows.map((r) => ({ conversationId: r.conversation_id, cadence: r.cadence, subscribedAt: new Date(r.subscribed_at) }));
  }

  /** True for the one caller that may send this delivery now: unclaimed, or claimed long ago and never sent. */
  async claim(conversationId: string, slot: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO digest_deliveries (conversation_id, slot) VALUES ($1, $2)
       ON CONFLICT (conversation_id, slot) DO UPDATE SET claimed_at = now()
         WHERE digest_deliveries.sent_at IS NULL AND digest_deliveries.claimed_at < now() - make_interval(secs => $3)
       RETURNING slot`,
      [conversationId, slot, CLAIM_EXPIRY_SECONDS],
    );
    return rows.length === 1;
  }

  async markSent(conversationId: string, slot: string): Promise<void> {
    await this.db.query('UPDATE digest_deliveries SET sent_at = now() WHERE conversation_id = $1 AND slot = $2', [conversationId, slot]);
  }

  /** A failed send: the next tick may try again at once. */
  async release(conversationId: string, slot: string): Promise<void> {
    await this.db.query('DELETE FROM digest_deliveries WHERE conversation_id = $1 AND slot = $2 AND sent_at IS NULL', [conversationId, slot]);
  }

  async addOwnDeadline(formId: string, conversationId: string, title: string, dueDate: string, description: string | undefined, author: { aadObjectId: string; name: string }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO own_deadlines (form_id, conversation_id, title, due_date, description, author_aad, author_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (form_id) DO NOTHING RETURNING id`,
      [formId, conversationId, title, dueDate, description ?? null, author.aadObjectId, author.name],
    );
    return rows.length === 1;
  }

  /** Removes it if `aad` wrote it; returns whether it did. */
  async removeOwnDeadline(id: number, aad: string | undefined): Promise<'removed' | 'not-author' | 'not-found'> {
    const [row] = await this.db.query<{ author_aad: string }>('SELECT author_aad FROM own_deadlines WHERE id = $1', [id]);
    if (!row) return 'not-found';
    if (row.author_aad !== aad) return 'not-author';
    await this.db.query('DELETE FROM own_deadlines WHERE id = $1', [id]);
    return 'removed';
  }

  async ownDeadlines(conversationId: string): Promise<Deadline[]> {
    const rows = await this.db.query<{ id: string; title: string; due: string; description: string | null; author_aad: string; author_name: string }>(
      `SELECT id, title, to_char(due_date, 'YYYY-MM-DD') AS due, description, author_aad, author_name FROM own_deadlines WHERE conversation_id = $1`,
      [conversationId],
    );
    return rows.map((r) => ({
      key: `own-${r.id}`,
      title: r.title,
      description: r.description ?? `Tillagd av ${r.author_name}.`,
      when: { kind: 'day', date: r.due },
      own: { id: Number(r.id), authorAad: r.author_aad },
    }));
  }
}
