import type { Database, Queryable } from '../store/database';
import type { Person } from '../approvals/draft-store';
import { ZONE } from '../stockholm';
import type { Mode, Registration, Workshop, WorkshopForm, WorkshopState } from './workshop-rules';

export type RegisterOutcome =
  | { kind: 'registered' | 'queued'; position?: number; already: boolean }
  | { kind: 'not-found' };

/** A workshop as one person sees it now (`viewOf`). */
export interface WorkshopView {
  workshop: Workshop;
  state: WorkshopState;
  registration?: Registration;
  queuePosition?: number;
}

export type CancelOutcome = { kind: 'cancelled'; promoted?: Registration } | { kind: 'not-registered' } | { kind: 'not-found' };

interface WorkshopRow {
  id: string;
  conversation_id: string;
  organiser_aad: string;
  organiser_teams_id: string;
  organiser_name: string;
  title: string;
  starts_at: Date;
  place: string;
  capacity: number;
  description: string | null;
  deadline: string | null;
  activity_id: string | null;
}

const workshopColumns = (t = '') =>
  `${t}id, ${t}conversation_id, ${t}organiser_aad, ${t}organiser_teams_id, ${t}organiser_name, ${t}title, ${t}starts_at, ${t}place,
   ${t}capacity, ${t}description, to_char(${t}deadline, 'YYYY-MM-DD') AS deadline, ${t}activity_id`;

const toWorkshop = (r: WorkshopRow): Workshop => ({
  id: Number(r.id),
  conversationId: r.conversation_id,
  organiser: { aadObjectId: r.organiser_aad, teamsId: r.organiser_teams_id, name: r.organiser_name },
  title: r.title,
  startsAt: new Date(r.starts_at),
  place: r.place,
  capacity: r.capacity,
  description: r.description ?? undefined,
  deadline: r.deadline ?? undefined,
  activityId: r.activity_id ?? undefined,
});

interface RegistrationRow {
  person_aad: string;
  person_teams_id: string;
  person_name: string;
  organisation: string;
  mode: Mode;
  status: Registration['status'];
  seq: string;
}

const toRegistration = (r: RegistrationRow): Registration => ({
  aadObjectId: r.person_aad,
  teamsId: r.person_teams_id,
  name: r.person_name,
  organisation: r.organisation,
  mode: r.mode,
  status: r.status,
  seq: Number(r.seq),
});

/**
 * The only place with SQL about workshops. Seats are given out by a database function that holds
 * the workshop's row lock (migrations 010 and 011), so no concurrency, on any number of instances,
 * exceeds the capacity. The seats taken are kept on the workshop's row, under that lock: the function
 * adds the seat it gives, `cancel` counts them again when it frees one.
 */
export class WorkshopStore {
  constructor(private readonly db: Database) {}

  async create(formId: string, conversationId: string, organiser: Person, form: WorkshopForm): Promise<{ workshop: Workshop; created: boolean }> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO workshops (form_id, conversation_id, organiser_aad, organiser_teams_id, organiser_name, title, starts_at, place, capacity, description, deadline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (form_id) DO NOTHING RETURNING id`,
      [formId, conversationId, organiser.aadObjectId, organiser.teamsId, organiser.name, form.title, form.startsAt, form.place, form.capacity, form.description ?? null, form.deadline ?? null],
    );
    const id = rows[0]?.id ?? (await this.db.query<{ id: string }>('SELECT id FROM workshops WHERE form_id = $1', [formId]))[0].id;
    return { workshop: (await this.get(Number(id)))!, created: rows.length === 1 };
  }

  async get(id: number, q: Queryable = this.db): Promise<Workshop | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const [row] = await q.query<WorkshopRow>(`SELECT ${workshopColumns()} FROM workshops WHERE id = $1`, [id]);
    return row && toWorkshop(row);
  }

  /**
   * The right to post the workshop's card, for `seconds`: false once it is posted, or while someone
   * else is posting it (a double click). A post that failed gives the right back with `releasePosting`.
   */
  async claimPosting(id: number, seconds: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE workshops SET posting_until = now() + make_interval(secs => $2)
       WHERE id = $1 AND activity_id IS NULL AND (posting_until IS NULL OR posting_until < now()) RETURNING id`,
      [id, seconds],
    );
    return rows.length === 1;
  }

  async releasePosting(id: number): Promise<void> {
    await this.db.query('UPDATE workshops SET posting_until = NULL WHERE id = $1', [id]);
  }

  async setActivityId(id: number, activityId: string): Promise<void> {
    await this.db.query('UPDATE workshops SET activity_id = $2, posting_until = NULL WHERE id = $1', [id, activityId]);
  }

  /** Everyone not cancelled, in arrival order: the registered first come, then the queue. */
  async registrations(id: number, q: Queryable = this.db): Promise<Registration[]> {
    const rows = await q.query<RegistrationRow>(
      "SELECT * FROM registrations WHERE workshop_id = $1 AND status <> 'cancelled' ORDER BY seq",
      [id],
    );
    return rows.map(toRegistration);
  }

  /**
   * One statement per view of the workshop: the workshop, its seats taken, the Teams ids of up to
   * `limit` people with a registration (those with a seat first, then the queue, each in arrival
   * order) and, for a person, their registration and place in the queue; undefined for no such
   * workshop. The ids come from the first `limit` of each status, which the (workshop, status, seq)
   * index gives in order: sorting every registration took half the view's time once a workshop had a
   * thousand. The statement is a function (migration 012), planned once per database session.
   */
  async viewOf(id: number, aad: string | undefined, limit: number): Promise<WorkshopView | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const [row] = await this.db.query<WorkshopRow & { taken: number; ids: string[] | null; queue_position: string | number | null } & Partial<RegistrationRow>>(
      'SELECT * FROM workshop_view($1, $2, $3)',
      [id, limit, aad ?? null],
    );
    if (!row) return undefined;
    return {
      workshop: toWorkshop(row),
      state: { taken: Number(row.taken), registeredTeamsIds: row.ids ?? [] },
      registration: row.person_aad ? toRegistration(row as RegistrationRow) : undefined,
      queuePosition: row.queue_position === null ? undefined : Number(row.queue_position),
    };
  }

  /** A seat if one is free, else a place in the queue; a second registration of the same person changes nothing (migration 010). */
  async register(id: number, person: Person, organisation: string, mode: Mode): Promise<RegisterOutcome> {
    const [row] = await this.db.query<{ outcome: 'registered' | 'queued' | 'not-found'; already: boolean; queue_position: string | number | null }>(
      'SELECT outcome, already, queue_position FROM register_for_workshop($1, $2, $3, $4, $5, $6)',
      [id, person.aadObjectId, person.teamsId, person.name, organisation, mode],
    );
    if (row.outcome === 'not-found') return { kind: 'not-found' };
    return { kind: row.outcome, position: row.queue_position === null ? undefined : Number(row.queue_position), already: row.already };
  }

  /**
   * Frees the person's seat (or place in the queue); a freed seat goes to the first in the queue.
   * `onPromoted` runs in the same transaction, so what it writes (the notice) commits with the promotion or not at all.
   */
  async cancel(id: number, aad: string, onPromoted?: (promoted: Registration, tx: Queryable) => Promise<unknown>): Promise<CancelOutcome> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query('SELECT id FROM workshops WHERE id = $1 FOR UPDATE', [id]);
      if (!locked) return { kind: 'not-found' };
      const [was] = await tx.query<{ status: string }>(
        "SELECT status FROM registrations WHERE workshop_id = $1 AND person_aad = $2 AND status <> 'cancelled'",
        [id, aad],
      );
      if (!was) return { kind: 'not-registered' };
      await tx.query("UPDATE registrations SET status = 'cancelled', updated_at = now() WHERE workshop_id = $1 AND person_aad = $2", [id, aad]);
      if (was.status !== 'registered') return { kind: 'cancelled' };
      const [promoted] = await tx.query<RegistrationRow>(
        `UPDATE registrations SET status = 'registered', updated_at = now()
         WHERE workshop_id = $1 AND person_aad = (
           SELECT person_aad FROM registrations WHERE workshop_id = $1 AND status = 'queued' ORDER BY seq LIMIT 1)
         RETURNING *`,
        [id],
      );
      // Counted again rather than decremented: a freed seat is rare, and a count is right whatever came
      // before it (a cancellation by an instance older than migration 011, during an upgrade).
      await tx.query(
        "UPDATE workshops SET taken = (SELECT count(*) FROM registrations WHERE workshop_id = $1 AND status = 'registered') WHERE id = $1",
        [id],
      );
      if (!promoted) return { kind: 'cancelled' };
      await onPromoted?.(toRegistration(promoted), tx);
      return { kind: 'cancelled', promoted: toRegistration(promoted) };
    });
  }

  /**
   * Workshops starting on `day` (Stockholm) and their registered people whose reminder is not in
   * the outbox yet (its key: `<reminderKeyPrefix><workshop id>:<aad>`), so each pass writes only what is new.
   */
  async dueForReminder(day: string, reminderKeyPrefix: string): Promise<Array<{ workshop: Workshop; person: Registration }>> {
    const rows = await this.db.query<WorkshopRow & RegistrationRow>(
      `SELECT ${workshopColumns('w.')}, r.person_aad, r.person_teams_id, r.person_name, r.organisation, r.mode, r.status, r.seq
       FROM workshops w JOIN registrations r ON r.workshop_id = w.id AND r.status = 'registered'
       WHERE (w.starts_at AT TIME ZONE $2::text)::date = $1::date
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = $3::text || w.id::text || ':' || r.person_aad)`,
      [day, ZONE, reminderKeyPrefix],
    );
    return rows.map((r) => ({ workshop: toWorkshop(r), person: toRegistration(r) }));
  }
}
