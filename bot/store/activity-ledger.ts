import type { Database } from './database';

/** Remembers handled activity ids so that Teams' redelivery of a slow turn runs it once. */
export class ActivityLedger {
  constructor(private readonly db: Database) {}

  /** True when this delivery is the first of the activity; false for a redelivery. */
  async claim(conversationId: string, activityId: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO handled_activities (conversation_id, activity_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING activity_id`,
      [conversationId, activityId],
    );
    return rows.length === 1;
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
