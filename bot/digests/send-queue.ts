import type { Logger } from '../logger';
import type { Messenger } from '../teams/messenger';
import type { OutgoingMessage } from '../teams/turn';

export type SendResult = 'sent' | 'gone' | 'failed';

export interface SendQueueOptions {
  /** Teams allows 7 messages a second per conversation. */
  perSecond?: number;
  attempts?: number;
  baseDelayMs?: number;
  /** The bot was removed or blocked there: stop sending to that conversation. */
  onGone(conversationId: string, status: number): Promise<void>;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const RETRY = new Set([412, 429, 500, 502, 503, 504]);
const GONE = new Set([403, 404]);

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

/**
 * The one way proactive messages leave the bot: per conversation in order and within Teams' rate
 * limit, retrying throttling and server errors with exponential backoff and jitter.
 */
export class SendQueue {
  private readonly recent = new Map<string, number[]>();
  private readonly tails = new Map<string, Promise<unknown>>();
  private depth = 0;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly messenger: Messenger,
    private readonly options: SendQueueOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Messages waiting or being sent now. */
  get queueDepth(): number {
    return this.depth;
  }

  send(conversationId: string, message: OutgoingMessage): Promise<SendResult> {
    this.depth++;
    const run = (this.tails.get(conversationId) ?? Promise.resolve()).then(() => this.deliver(conversationId, message));
    const tail = run.catch(() => undefined).finally(() => {
      this.depth--;
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    this.tails.set(conversationId, tail);
    return run;
  }

  private async deliver(conversationId: string, message: OutgoingMessage): Promise<SendResult> {
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      await this.waitForRate(conversationId);
      try {
        await this.messenger.send(conversationId, message);
        return 'sent';
      } catch (err) {
        const status = statusOf(err);
        if (status !== undefined && GONE.has(status)) {
          this.options.logger.warn({ conversationId, status }, 'the bot was removed or blocked there; ending the subscription');
          await this.options.onGone(conversationId, status);
          return 'gone';
        }
        if (status === undefined || !RETRY.has(status) || attempt >= attempts) {
          this.options.logger.error({ err, conversationId, status, attempt }, 'proactive send failed');
          return 'failed';
        }
        const base = (this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1);
        await this.sleep(base / 2 + Math.random() * base);
      }
    }
  }

  private async waitForRate(conversationId: string): Promise<void> {
    const limit = this.options.perSecond ?? 7;
    for (;;) {
      const now = Date.now();
      const times = (this.recent.get(conversationId) ?? []).filter((t) => now - t < 1000);
      if (times.length < limit) {
        times.push(now);
        this.recent.set(conversationId, times);
        return;
      }
      await this.sleep(1000 - (now - times[0]) + 1);
    }
  }
}
