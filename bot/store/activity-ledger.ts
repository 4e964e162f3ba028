import { batched } from './batched';
import type { Database } from './database';

interface Delivery {
  conversationId: string;
  activityId: string;
}

/** How long this process remembers a claim itself (PGlite): Teams redelivers within seconds or minutes. */
const REMEMBERED_MS = 60 * 60_000;
/**
 * How many claims it remembers at most (about 3 MB): the hour's, or the last 20 000 when more came in
 * it, which is still minutes at a hundred activities a second. Under sustained load the hour's claims
 * grew the bot's memory by 7 MB a minute (tests/bench/RESULTS.md).
 */
const MOST_REMEMBERED = 20_000;
/**
 * How often claims remembered in memory are written to the database (PGlite). Often enough that a
 * write is a few milliseconds of the database thread, not a burst that a turn's own statement waits behind.
 */
const WRITE_EVERY_MS = 100;

/**
 * Remembers handled activity ids so that Teams' redelivery of a slow turn runs it once.
 *
 * On a PostgreSQL server, which other instances share, each claim is an insert that the database
 * decides (turns arriving together share one). PGlite's files are opened by this process alone, so
 * there the process decides: it remembers the last hour of claims (at most 20 000), starting from
 * those the database holds, and writes new ones to the database ten times a second and at shutdown.
 * That spares the statement that was a fifth of a question turn's CPU; what it gives up is the last
 * tenth of a second of claims after a crash, whose redeliveries then run again, as they would have
 * had the crash come before the claim.
 */
export class ActivityLedger {
  /** True when this delivery is the first of the activity; false for a redelivery. */
  readonly claim: (conversationId: string, activityId: string) => Promise<boolean>;
  private memory?: RememberedClaims;

  constructor(
    private readonly db: Database,
    onWriteFailed: (err: unknown) => void = () => undefined,
    mostRemembered = MOST_REMEMBERED,
  ) {
    if (db.kind === 'pglite') {
      this.claim = async (conversationId, activityId) => {
        this.memory ??= new RememberedClaims(db, onWriteFailed, mostRemembered);
        return this.memory.claim(conversationId, activityId);
      };
    } else {
      const claimAll = batched((deliveries: readonly Delivery[]) => claimInDatabase(db, deliveries));
      this.claim = (conversationId, activityId) => claimAll({ conversationId, activityId });
    }
  }

  /** Lets a redelivery run a turn that failed before it could answer. */
  async release(conversationId: string, activityId: string): Promise<void> {
    this.memory?.forget(conversationId, activityId);
    await this.db.query('DELETE FROM handled_activities WHERE conversation_id = $1 AND activity_id = $2', [conversationId, activityId]);
  }

  /** Writes the claims not yet in the database (PGlite); at shutdown, before the database closes. */
  async flush(): Promise<void> {
    await this.memory?.write();
  }

  /** Stops writing in the background, after writing what is left. */
  async close(): Promise<void> {
    await this.memory?.close();
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

/** One insert for deliveries (migration 013); of the same activity twice, only the first is new. */
async function claimInDatabase(db: Database, deliveries: readonly Delivery[]): Promise<boolean[]> {
  const rows = await db.query<{ conversation_id: string; activity_id: string }>(
    'SELECT conversation_id, activity_id FROM claim_activities($1, $2)',
    [deliveries.map((d) => d.conversationId), deliveries.map((d) => d.activityId)],
  );
  const claimed = new Set(rows.map((r) => keyOf(r.conversation_id, r.activity_id)));
  return deliveries.map((d) => claimed.delete(keyOf(d.conversationId, d.activityId)));
}

const keyOf = (conversationId: string, activityId: string) => `${conversationId}\n${activityId}`;

/** The claims of the last hour (at most `mostRemembered`) in memory, oldest first, written to the database behind. */
class RememberedClaims {
  /** Claim key → when it was claimed (ms); a Map keeps insertion order, so the oldest come first. */
  private readonly claims = new Map<string, number>();
  private unwritten: Delivery[] = [];
  private readonly loaded: Promise<void>;
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    onWriteFailed: (err: unknown) => void,
    private readonly mostRemembered: number,
  ) {
    this.loaded = this.load();
    // A database that refuses writes is reported once, not ten times a second, until a write succeeds.
    let failing = false;
    const writeNow = () =>
      this.write().then(
        () => {
          failing = false;
        },
        (err) => {
          if (!failing) onWriteFailed(err);
          failing = true;
        },
      );
    this.timer = setInterval(writeNow, WRITE_EVERY_MS).unref();
  }

  async claim(conversationId: string, activityId: string): Promise<boolean> {
    await this.loaded;
    const key = keyOf(conversationId, activityId);
    if (this.claims.has(key)) return false;
    this.claims.set(key, Date.now());
    if (this.claims.size > this.mostRemembered) this.claims.delete(this.claims.keys().next().value!);
    this.unwritten.push({ conversationId, activityId });
    return true;
  }

  forget(conversationId: string, activityId: string): void {
    this.claims.delete(keyOf(conversationId, activityId));
    this.unwritten = this.unwritten.filter((d) => d.conversationId !== conversationId || d.activityId !== activityId);
  }

  /** Writes the unwritten claims in one statement; one write at a time, each after the last, failed or not. */
  write(): Promise<void> {
    this.writing = this.writing.catch(() => undefined).then(async () => {
      this.dropOlderThan(Date.now() - REMEMBERED_MS);
      if (this.unwritten.length === 0) return;
      const batch = this.unwritten;
      this.unwritten = [];
      try {
        await claimInDatabase(this.db, batch);
      } catch (err) {
        // Kept for the next write, but for those released meanwhile.
        this.unwritten = batch.filter((d) => this.claims.has(keyOf(d.conversationId, d.activityId))).concat(this.unwritten);
        throw err;
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.write();
  }

  /** The latest claims the database holds from the last hour: redeliveries across a restart are still caught. */
  private async load(): Promise<void> {
    const rows = await this.db.query<{ conversation_id: string; activity_id: string; ms: number | string }>(
      `SELECT conversation_id, activity_id, (extract(epoch FROM handled_at) * 1000)::float8 AS ms FROM handled_activities
       WHERE handled_at > now() - make_interval(secs => $1) ORDER BY handled_at DESC LIMIT $2`,
      [REMEMBERED_MS / 1000, this.mostRemembered],
    );
    for (const r of rows.reverse()) this.claims.set(keyOf(r.conversation_id, r.activity_id), Number(r.ms));
  }

  private dropOlderThan(ms: number): void {
    for (const [key, at] of this.claims) {
      if (at >= ms) break;
      this.claims.delete(key);
    }
  }
}
