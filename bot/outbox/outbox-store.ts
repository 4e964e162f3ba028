import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/database';
import type { OutgoingMessage } from '../teams/turn';

/** Where a message goes: a conversation, or one person personally (reached through a conversation they are in). */
export interface Recipient {
  conversationId: string;
  personTeamsId?: string;
}

export interface OutboxItem extends Recipient {
  /** What makes the message once: the same key is never written twice. */
  key: string;
  message: OutgoingMessage;
  /** Not sent before this moment (a retry's backoff). */
  notBefore?: Date;
}

export interface ClaimedItem extends OutboxItem {
  id: number;
  attempts: number;
  claimToken: string;
}

interface Row {
  id: string;
  key: string;
  conversation_id: string;
  person_teams_id: string | null;
  message: OutgoingMessage;
  attempts: number;
  claim_token: string;
}

/** The only place with SQL about the outbox. */
export class OutboxStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Writes the message to be sent, in `tx` when given (the transaction of the change it tells of);
   * true if it is new, false if a message with this key was written before.
   */
  async enqueue(item: OutboxItem, tx: Queryable = this.db): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO outbox (key, conversation_id, person_teams_id, message, not_before)
       VALUES ($1, $2, $3, $4, coalesce($5, now())) ON CONFLICT (key) DO NOTHING RETURNING id`,
      [item.key, item.conversationId, item.personTeamsId ?? null, JSON.stringify(item.message), item.notBefore ?? null],
    );
    return rows.length === 1;
  }

  /** Leases up to `limit` due messages to this caller for `leaseSeconds`; another instance's lease is left alone. */
  async claimDue(limit: number, leaseSeconds: number): Promise<ClaimedItem[]> {
    const token = randomUUID();
    const rows = await this.db.query<Row>(
      `UPDATE outbox SET claim_token = $1, claimed_until = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM outbox
         WHERE outcome IS NULL AND not_before <= now() AND (claimed_until IS NULL OR claimed_until < now())
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, key, conversation_id, person_teams_id, message, attempts, claim_token`,
      [token, leaseSeconds, limit],
    );
    return rows
      .map((r) => ({
        id: Number(r.id),
        key: r.key,
        conversationId: r.conversation_id,
        personTeamsId: r.person_teams_id ?? undefined,
        message: r.message,
        attempts: r.attempts,
        claimToken: r.claim_token,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Records how it ended; only the lease holder may (a lease that ran out was perhaps taken by another). */
  async finish(item: ClaimedItem, outcome: 'sent' | 'gone' | 'failed'): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE outbox SET outcome = $3, ended_at = now(), sent_at = CASE WHEN $3 = 'sent' THEN now() END, claimed_until = NULL
       WHERE id = $1 AND claim_token = $2 AND outcome IS NULL RETURNING id`,
      [item.id, item.claimToken, outcome],
    );
    return rows.length === 1;
  }

  /** Gives the message back for another try after `delaySeconds`. */
  async retryLater(item: ClaimedItem, delaySeconds: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET claim_token = NULL, claimed_until = NULL, not_before = now() + make_interval(secs => $3)
       WHERE id = $1 AND claim_token = $2 AND outcome IS NULL`,
      [item.id, item.claimToken, delaySeconds],
    );
  }

  /** The outcome of the message with this key, if it was written: for tests and operators. */
  async outcomeOf(key: string): Promise<{ outcome: string | null; attempts: number } | undefined> {
    const [row] = await this.db.query<{ outcome: string | null; attempts: number }>('SELECT outcome, attempts FROM outbox WHERE key = $1', [key]);
    return row;
  }

  /** Finished messages older than `days` only take room. */
  async forgetOlderThan(days: number): Promise<number> {
    const rows = await this.db.query(`DELETE FROM outbox WHERE outcome IS NOT NULL AND ended_at < now() - make_interval(days => $1) RETURNING id`, [days]);
    return rows.length;
  }
}
