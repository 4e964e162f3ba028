import type { Database } from '../store/database';
import { commandText } from '../teams/text';

export interface FrequentQuestion {
  question: string;
  count: number;
  lastAsked: Date;
}

const MAX_STORED_LENGTH = 500;

/** Questions the bot could not answer, for the knowledge editors. */
export class UnansweredStore {
  constructor(private readonly db: Database) {}

  async record(question: string, conversationId: string): Promise<void> {
    const text = question.slice(0, MAX_STORED_LENGTH);
    await this.db.query('INSERT INTO unanswered_questions (question, normalized, conversation_id) VALUES ($1, $2, $3)', [
      text,
      commandText(text),
      conversationId,
    ]);
  }

  /** Deletes questions older than `days`: they are people's own words, kept only as long as useful. */
  async forgetOlderThan(days: number): Promise<number> {
    const rows = await this.db.query('DELETE FROM unanswered_questions WHERE asked_at < now() - make_interval(days => $1) RETURNING id', [days]);
    return rows.length;
  }

  /** The most often asked, the same question however it was cased or punctuated counted together. */
  async mostFrequent(limit = 10, days = 90): Promise<FrequentQuestion[]> {
    const rows = await this.db.query<{ question: string; count: string; last_asked: Date }>(
      `SELECT (array_agg(question ORDER BY asked_at DESC))[1] AS question, count(*) AS count, max(asked_at) AS last_asked
       FROM unanswered_questions
       WHERE asked_at > now() - make_interval(days => $2)
       GROUP BY normalized
       ORDER BY count(*) DESC, max(asked_at) DESC
       LIMIT $1`,
      [limit, days],
    );
    return rows.map((r) => ({ question: r.question, count: Number(r.count), lastAsked: new Date(r.last_asked) }));
  }
}
