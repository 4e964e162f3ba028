import { batched } from './batched';
import type { Database } from './database';

interface Delivery {
  conversationId: string;
  activityId: string;
}

/** Remembers handled activity ids so that Teams' redelivery of a slow turn runs it once. */
export class ActivityLedger {
  /** True when this delivery is the first of the activity; false for a redelivery. */
  readonly claim: (conversationId: string, activityId: string) => Promise<boolean>;

  constructor(private readonly db: Database) {
    const claimAll = batched((deliveries: readonly Delivery[]) => this.claimAll(deliveries));
    this.claim = (conversationId, activityId) => claimAll({ conversationId, activityId });
  }

  /** One insert for deliveries arriving together (migration 013); of the same activity twice, only the first is new. */
  private async claimAll(deliveries: readonly Delivery[]): Promise<boolean[]> {
    const rows = await this.db.query<{ conversation_id: string; activity_id: string }>(
      'SELECT conversation_id, activity_id FROM claim_activities($1, $2)',
      [deliveries.map((d) => d.conversationId), deliveries.map((d) => d.activityId)],
    );
    const claimed = new Set(rows.map((r) => JSON.stringify([r.conversation_id, r.activity_id])));
    return deliveries.map((d) => claimed.delete(JSON.stringify([d.conversationId, d.activityId])));
  }

  /** Lets a redelivery run a turn that failed before it could answer. */
  async release(conversationId: string, activityId: string): Promise<void> {
    await this.db.query('DELETE FROM handled_activities WHERE conversation_id = $1 AND activity_id = $2', [conversationId, activityId]);
  }

  /** Teams redelivers within minutes; older ids only take room. */
  async forgetOlderThan(days: number): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM handled_activities WHERE handled_at < now() - make_interval(days => $1) RETURNING activity_id`,
      [days],
    );
    return rows.length;
  }
}
