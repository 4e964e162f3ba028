/** People remembered before those with a full bucket again are forgotten. */
const MAX_REMEMBERED = 10_000;

/**
 * A per-person limit on messages, as a token bucket: `perMinute` on average, with room for a short
 * burst of half as many again (pasting a few questions at once is fine). Beyond it a message is not
 * handled, and the person is told so once, not once per extra message. Kept in memory per instance.
 */
export class UserRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number; told: boolean }>();
  private readonly capacity: number;
  private prunedAt = 0;

  constructor(private readonly perMinute: number) {
    this.capacity = Math.ceil(perMinute * 1.5);
  }

  /** 'ok' to handle it; 'tell' to refuse it and say why; 'quiet' to refuse it without a word. */
  check(user: string, now = Date.now()): 'ok' | 'tell' | 'quiet' {
    const bucket = this.buckets.get(user) ?? { tokens: this.capacity, at: now, told: false };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    if (!this.buckets.has(user)) {
      this.buckets.set(user, bucket);
      this.prune(now);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.told = false;
      return 'ok';
    }
    if (bucket.told) return 'quiet';
    bucket.told = true;
    return 'tell';
  }

  /** Forgets people whose bucket has filled up again, so the map does not grow without end. */
  private prune(now: number): void {
    if (this.buckets.size < MAX_REMEMBERED || now - this.prunedAt < 60_000) return;
    this.prunedAt = now;
    const full = (60_000 * this.capacity) / this.perMinute;
    for (const [user, b] of this.buckets) if (now - b.at > full) this.buckets.delete(user);
  }
}
