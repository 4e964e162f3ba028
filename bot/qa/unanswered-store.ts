import { batched } from '../store/batched';
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
  /** Questions asked while one is being stored are stored together, with one insert. */
  readonly record: (question: string, conversationId: string) => Promise<void>;

  constructor(private readonly db: Database) {
    // The asker's reply waits for the insert (it says the question is kept): sent at once when none runs.
    const recordAll = batched((asked: ReadonlyArray<{ question: string; conversationId: string }>) => this.recordAll(asked), { gatherRound: false });
    this.record = (question, conversationId) => recordAll({ question: question.slice(0, MAX_STORED_LENGTH), conversationId });
  }

  private async recordAll(asked: ReadonlyArray<{ question: string; conversationId: string }>): Promise<void[]> {
    await this.db.query(
      'INSERT INTO unanswered_questions (question, normalized, conversation_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])',
      [asked.map((a) => a.question), asked.map((a) => commandText(a.question)), asked.map((a) => a.conversationId)],
    );
    return asked.map(() => undefined);
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
