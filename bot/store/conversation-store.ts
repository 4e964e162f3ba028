import type { ConversationReference } from 'botbuilder';
import type { Database } from './database';
import { homeConversationId } from '../teams/turn';

const MAX_REMEMBERED = 10_000;

/** Conversations the bot is in: their references for proactive messages, and whom it has greeted. */
export class ConversationStore {
  /** What this process last wrote per conversation: the reference rarely changes, so most turns skip the write. */
  private readonly written = new Map<string, string>();

  constructor(private readonly db: Database) {}

  /**
   * Remembers how to reach the conversation. For a thread in a channel, also the channel itself,
   * so that a proactive message there (a digest) starts a new post instead of burying itself in an old thread.
   */
  async saveReference(reference: Partial<ConversationReference>): Promise<void> {
    const id = reference.conversation?.id;
    if (!id) return;
    const home = homeConversationId(id);
    if (home !== id) await this.saveReference({ ...reference, conversation: { ...reference.conversation!, id: home } });
    // Proactive messages need neither the activity id, which differs every turn, nor the person who
    // spoke last: in a channel that changes with every speaker, and each change would be a write.
    const { activityId: _activityId, user: _user, ...lasting } = reference;
    const json = JSON.stringify(lasting);
    if (this.written.get(id) === json) return;
    await this.db.query(
      `INSERT INTO conversation_references (conversation_id, conversation_type, reference) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id) DO UPDATE
       SET conversation_type = EXCLUDED.conversation_type, reference = EXCLUDED.reference, updated_at = now()`,
      [id, reference.conversation?.conversationType ?? null, json],
    );
    if (this.written.size >= MAX_REMEMBERED) this.written.delete(this.written.keys().next().value!);
    this.written.set(id, json);
  }

  async findReference(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    const rows = await this.db.query<{ reference: Partial<ConversationReference> }>(
      'SELECT reference FROM conversation_references WHERE conversation_id = $1',
      [conversationId],
    );
    return rows[0]?.reference;
  }

  /** True the first time only: the caller greets, every later install stays quiet. */
  async markGreeted(conversationId: string): Promise<boolean> {
    const rows = await this.db.query(
      'INSERT INTO greeted_conversations (conversation_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING conversation_id',
      [conversationId],
    );
    return rows.length === 1;
  }
}
