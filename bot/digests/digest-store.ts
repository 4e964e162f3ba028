import type { Database } from '../store/database';
import { stockholmDay } from '../stockholm';
import type { Deadline } from './deadlines';

export type Cadence = 'weekly' | 'daily';

export interface Subscription {
  /** In a channel, the channel itself: digests start new posts there. */
  conversationId: string;
  cadence: Cadence;
  subscribedAt: Date;
}

/** The only place with SQL about subscriptions and own deadlines (what is sent is the outbox's). */
export class DigestStore {
  constructor(private readonly db: Database) {}

  /** Subscribes as of `at`, or changes the cadence; returns what it was before (for the undo button). */
  async subscribe(conversationId: string, cadence: Cadence, by: string, at: Date): Promise<Cadence | undefined> {
    const [before] = await this.db.query<{ cadence: Cadence }>('SELECT cadence FROM digest_subscriptions WHERE conversation_id = $1', [conversationId]);
    await this.db.query(
      `INSERT INTO digest_subscriptions (conversation_id, cadence, subscribed_by, subscribed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id) DO UPDATE SET cadence = EXCLUDED.cadence`,
      [conversationId, cadence, by, at],
    );
    return before?.cadence;
  }

  /** Ends the subscription; returns what it was, or undefined when there was none. */
  async unsubscribe(conversationId: string): Promise<Cadence | undefined> {
    const [gone] = await this.db.query<{ cadence: Cadence }>('DELETE FROM digest_subscriptions WHERE conversation_id = $1 RETURNING cadence', [conversationId]);
    return gone?.cadence;
  }

  async subscriptions(): Promise<Subscription[]> {
    const rows = await this.db.query<{ conversation_id: string; cadence: Cadence; subscribed_at: Date }>('SELECT * FROM digest_subscriptions ORDER BY conversation_id');
    return rows.map((r) => ({ conversationId: r.conversation_id, cadence: r.cadence, subscribedAt: new Date(r.subscribed_at) }));
  }

  /** Adds it once per form (a second click on Spara adds nothing); `at` is when, for its reminders. */
  async addOwnDeadline(
    formId: string,
    conversationId: string,
    deadline: { title: string; dueDate: string; description?: string },
    author: { aadObjectId: string; name: string },
    at: Date,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO own_deadlines (form_id, conversation_id, title, due_date, description, author_aad, author_name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (form_id) DO NOTHING RETURNING id`,
      [formId, conversationId, deadline.title, deadline.dueDate, deadline.description ?? null, author.aadObjectId, author.name, at],
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
    const rows = await this.db.query<{ id: string; title: string; due: string; description: string | null; author_aad: string; author_name: string; created_at: Date }>(
      `SELECT id, title, to_char(due_date, 'YYYY-MM-DD') AS due, description, author_aad, author_name, created_at FROM own_deadlines WHERE conversation_id = $1 ORDER BY due_date, id`,
      [conversationId],
    );
    return rows.map((r) => ({
      key: `own-${r.id}`,
      title: r.title,
      description: r.description ?? `Tillagd av ${r.author_name}.`,
      when: { kind: 'day', date: r.due },
      own: { id: Number(r.id), authorAad: r.author_aad, addedOn: stockholmDay(new Date(r.created_at)) },
    }));
  }

  /** People's own words are not kept forever: own deadlines whose day is more than `days` before `today` go. */
  async forgetPassedOwnDeadlines(days: number, today: string): Promise<number> {
    const rows = await this.db.query(`DELETE FROM own_deadlines WHERE due_date < $1::date - $2::integer RETURNING id`, [today, days]);
    return rows.length;
  }
}
