import type { Database, Queryable } from '../store/database';
import { currentRevision, refusal, revisionRefusal, settle, type Approver, type Decision, type Draft, type DraftForm, type Revision } from './draft-rules';

export interface Person {
  aadObjectId: string;
  teamsId: string;
  name: string;
}

export type DecisionOutcome = { recorded: true; draft: Draft } | { recorded: false; draft: Draft; reason: string };

/**
 * Another turn changed the draft between our read and our write: read again and retry. Under the
 * row lock this cannot happen; the version check stays as a guard against a writer that took no lock.
 */
class VersionConflict extends Error {}
const MAX_ATTEMPTS = 20;

interface DraftRow {
  id: string;
  conversation_id: string;
  home_conversation_id: string;
  author_aad: string;
  author_teams_id: string;
  author_name: string;
  rule: Draft['rule'];
  status: Draft['status'];
  revision: number;
  version: number;
}

/** Work done in the transaction of a change, with the draft as changed (a notice written to the outbox). */
export type InTransaction = (draft: Draft, tx: Queryable) => Promise<void>;

/**
 * The only place with SQL about drafts. Every change is one transaction that holds the draft's
 * row lock and still checks its version.
 */
export class DraftStore {
  constructor(private readonly db: Database) {}

  /**
   * Creates the draft, or returns the one this author's form already created (a second click);
   * undefined when the form's id is someone else's draft's (a forged click).
   */
  async create(formId: string, conversationId: string, author: Person, form: DraftForm, approvers: Approver[]): Promise<Draft | undefined> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `INSERT INTO drafts (form_id, conversation_id, author_aad, author_teams_id, author_name, rule, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT (form_id) DO NOTHING RETURNING id`,
        [formId, conversationId, author.aadObjectId, author.teamsId, author.name, form.rule],
      );
      if (rows.length === 1) await insertRevision(tx, Number(rows[0].id), 1, form, undefined, approvers);
    });
    const [row] = await this.db.query<{ id: string }>('SELECT id FROM drafts WHERE form_id = $1 AND author_aad = $2', [formId, author.aadObjectId]);
    return row ? this.get(Number(row.id)) : undefined;
  }

  async get(id: number, q: Queryable = this.db): Promise<Draft | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const [row] = await q.query<DraftRow>('SELECT * FROM drafts WHERE id = $1', [id]);
    if (!row) return undefined;
    const revisions = await q.query<{ revision: number; title: string; points: string[]; due_date: string | null; changes: string | null; activity_id: string | null; conversation_id: string | null; created_at: Date }>(
      `SELECT revision, title, points, to_char(due_date, 'YYYY-MM-DD') AS due_date, changes, activity_id, conversation_id, created_at
       FROM draft_revisions WHERE draft_id = $1 ORDER BY revision`,
      [id],
    );
    const decisions = await q.query<{ revision: number; approver_aad: string; approver_teams_id: string | null; approver_name: string; decision: Decision | null; comment: string | null; decided_at: Date | null }>(
      'SELECT * FROM draft_decisions WHERE draft_id = $1 ORDER BY revision, position',
      [id],
    );
    return {
      id: Number(row.id),
      conversationId: row.conversation_id,
      homeConversationId: row.home_conversation_id,
      author: { aadObjectId: row.author_aad, teamsId: row.author_teams_id, name: row.author_name },
      rule: row.rule,
      status: row.status,
      revision: row.revision,
      version: row.version,
      revisions: revisions.map<Revision>((r) => ({
        revision: r.revision,
        title: r.title,
        points: r.points,
        dueDate: r.due_date ?? undefined,
        changes: r.changes ?? undefined,
        activityId: r.activity_id ?? undefined,
        conversationId: r.conversation_id ?? undefined,
        createdAt: new Date(r.created_at),
        approvers: decisions
          .filter((d) => d.revision === r.revision)
          .map((d) => ({
            aadObjectId: d.approver_aad,
            teamsId: d.approver_teams_id ?? undefined,
            name: d.approver_name,
            decision: d.decision ?? undefined,
            comment: d.comment ?? undefined,
            decidedAt: d.decided_at ? new Date(d.decided_at) : undefined,
          })),
      })),
    };
  }

  /** Remembers the message that shows the revision's card, so that later changes update it. */
  async setPosted(draftId: number, revision: number, conversationId: string, activityId: string): Promise<void> {
    await this.db.query('UPDATE draft_revisions SET conversation_id = $3, activity_id = $4 WHERE draft_id = $1 AND revision = $2', [draftId, revision, conversationId, activityId]);
  }

  /**
   * Records one approver's decision on one revision and settles the draft by its rule, in one
   * transaction under the draft's row lock (50 approvers at once wait their turn instead of
   * retrying); `then` runs in it with the draft as decided.
   */
  async decide(draftId: number, revision: number, actor: Person, decision: Decision, comment: string | undefined, then?: InTransaction): Promise<DecisionOutcome | undefined> {
    return this.withRetry(async (tx) => {
      const draft = await this.lockAndGet(draftId, tx);
      if (!draft) return undefined;
      const reason = refusal(draft, revision, actor.aadObjectId);
      if (reason) return { recorded: false, draft, reason };
      const updated = await tx.query(
        `UPDATE draft_decisions SET decision = $4, comment = $5, decided_at = clock_timestamp(), approver_teams_id = $6, approver_name = $7
         WHERE draft_id = $1 AND revision = $2 AND approver_aad = $3 AND decision IS NULL RETURNING approver_aad`,
        [draftId, revision, actor.aadObjectId, decision, comment || null, actor.teamsId, actor.name],
      );
      if (updated.length === 0) throw new VersionConflict();
      const approvers = currentRevision(draft).approvers.map((a) =>
        a.aadObjectId === actor.aadObjectId ? { ...a, decision, decidedAt: new Date() } : a,
      );
      await this.bumpVersion(tx, draft, settle(draft.rule, approvers));
      const decided = (await this.get(draftId, tx))!;
      await then?.(decided, tx);
      return { recorded: true, draft: decided };
    });
  }

  /** The author's new revision after "Ändring begärd": decisions start over, the old revision stays as it was. */
  async revise(draftId: number, actorAad: string | undefined, form: DraftForm, changes: string, approvers: Approver[]): Promise<{ draft: Draft; reason?: string } | undefined> {
    return this.withRetry(async (tx) => {
      const draft = await this.lockAndGet(draftId, tx);
      if (!draft) return undefined;
      const reason = revisionRefusal(draft, actorAad);
      if (reason) return { draft, reason };
      const next = draft.revision + 1;
      await insertRevision(tx, draftId, next, form, changes, approvers);
      await tx.query('UPDATE drafts SET rule = $2 WHERE id = $1', [draftId, form.rule]);
      await this.bumpVersion(tx, draft, 'pending', next);
      return { draft: (await this.get(draftId, tx))! };
    });
  }

  /** People recently asked to decide in this conversation, newest first: the form offers them first. */
  async recentApprovers(homeConversationId: string, limit = 10): Promise<Approver[]> {
    const rows = await this.db.query<{ approver_aad: string; approver_teams_id: string | null; approver_name: string }>(
      `SELECT * FROM (
         SELECT DISTINCT ON (c.approver_aad) c.approver_aad, c.approver_teams_id, c.approver_name, d.id
         FROM draft_decisions c JOIN drafts d ON d.id = c.draft_id
         WHERE d.home_conversation_id = $1 ORDER BY c.approver_aad, d.id DESC
       ) latest ORDER BY id DESC, approver_aad LIMIT $2`,
      [homeConversationId, limit],
    );
    return rows.map((r) => ({ aadObjectId: r.approver_aad, teamsId: r.approver_teams_id ?? undefined, name: r.approver_name }));
  }

  /** Names drafts have recorded for these people (as approvers or authors), for telling who someone is. */
  async knownNames(aadObjectIds: string[]): Promise<Map<string, string>> {
    if (aadObjectIds.length === 0) return new Map();
    const rows = await this.db.query<{ aad: string; name: string }>(
      `SELECT approver_aad AS aad, approver_name AS name FROM draft_decisions WHERE approver_aad = ANY($1::text[])
       UNION SELECT author_aad, author_name FROM drafts WHERE author_aad = ANY($1::text[])`,
      [aadObjectIds],
    );
    return new Map(rows.map((r) => [r.aad, r.name]));
  }

  async openInConversation(homeConversationId: string): Promise<Draft[]> {
    const rows = await this.db.query<{ id: string }>(
      "SELECT id FROM drafts WHERE home_conversation_id = $1 AND status IN ('pending', 'changes_requested') ORDER BY id",
      [homeConversationId],
    );
    return Promise.all(rows.map(async (r) => (await this.get(Number(r.id)))!));
  }

  /** Pending drafts whose current revision is due on `date` (YYYY-MM-DD). */
  async pendingDueOn(date: string): Promise<Draft[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT d.id FROM drafts d JOIN draft_revisions r ON r.draft_id = d.id AND r.revision = d.revision
       WHERE d.status = 'pending' AND r.due_date = $1::date ORDER BY d.id`,
      [date],
    );
    return Promise.all(rows.map(async (r) => (await this.get(Number(r.id)))!));
  }

  /** The draft, its row locked until the transaction ends: changes to one draft are made one at a time. */
  private async lockAndGet(draftId: number, tx: Queryable): Promise<Draft | undefined> {
    if (!Number.isSafeInteger(draftId) || draftId <= 0) return undefined;
    await tx.query('SELECT id FROM drafts WHERE id = $1 FOR UPDATE', [draftId]);
    return this.get(draftId, tx);
  }

  private async bumpVersion(tx: Queryable, draft: Draft, status: Draft['status'], revision = draft.revision): Promise<void> {
    const rows = await tx.query(
      'UPDATE drafts SET status = $3, revision = $4, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id',
      [draft.id, draft.version, status, revision],
    );
    if (rows.length === 0) throw new VersionConflict();
  }

  private async withRetry<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(work);
      } catch (err) {
        if (!(err instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }
}

async function insertRevision(tx: Queryable, draftId: number, revision: number, form: DraftForm, changes: string | undefined, approvers: Approver[]): Promise<void> {
  await tx.query('INSERT INTO draft_revisions (draft_id, revision, title, points, due_date, changes) VALUES ($1, $2, $3, $4, $5, $6)', [
    draftId,
    revision,
    form.title,
    JSON.stringify(form.points),
    form.dueDate ?? null,
    changes ?? null,
  ]);
  for (const [position, a] of approvers.entries()) {
    await tx.query(
      'INSERT INTO draft_decisions (draft_id, revision, approver_aad, approver_teams_id, approver_name, position) VALUES ($1, $2, $3, $4, $5, $6)',
      [draftId, revision, a.aadObjectId, a.teamsId ?? null, a.name, position],
    );
  }
}
