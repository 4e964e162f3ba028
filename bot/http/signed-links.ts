import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../store/database';

/**
 * Links to exports (CSV, .ics) that carry an unguessable, expiring signature: whoever holds the link
 * may fetch that one path until it expires, and nothing else. The key lives in the database so that
 * every instance signs and checks alike.
 */
export class LinkSigner {
  private constructor(private readonly key: Buffer) {}

  static async fromDatabase(db: Database): Promise<LinkSigner> {
    await db.query("INSERT INTO app_secrets (name, value) VALUES ('link-signing-key', $1) ON CONFLICT DO NOTHING", [randomBytes(32).toString('base64')]);
    const [row] = await db.query<{ value: string }>("SELECT value FROM app_secrets WHERE name = 'link-signing-key'");
    return new LinkSigner(Buffer.from(row.value, 'base64'));
  }

  /** `path?exp=…&sig=…` valid until `expiresAt`. */
  sign(path: string, expiresAt: Date): string {
    const exp = Math.floor(expiresAt.getTime() / 1000);
    return `${path}?exp=${exp}&sig=${this.signature(path, exp)}`;
  }

  /** Whether `sig` is this key's signature of `path` until `exp`, and `exp` has not passed. */
  verify(path: string, exp: unknown, sig: unknown, now = new Date()): boolean {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return false;
    if (Number(exp) * 1000 < now.getTime()) return false;
    const expected = Buffer.from(this.signature(path, Number(exp)));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(path: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${exp}`).digest('base64url');
  }
}
