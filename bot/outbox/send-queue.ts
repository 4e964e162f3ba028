import type { Logger } from '../logger';
import { UnknownConversationError, type Messenger } from '../teams/messenger';
import type { OutgoingMessage } from '../teams/turn';
import type { Recipient } from './outbox-store';

/** sent; gone: the bot was removed or blocked there (403, 404); retry: worth another try later; failed: never will be. */
export type SendResult = 'sent' | 'gone' | 'retry' | 'failed';

export interface SendQueueOptions {
  /** Teams allows 7 messages a second per conversation. */
  perSecond?: number;
  /** Tries within one send, for throttling and server errors, before it is left to a later retry. */
  attempts?: number;
  baseDelayMs?: number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** Lanes remembered for the rate limit before the quiet ones are forgotten. */
const MAX_LANES = 1000;
const RETRY = new Set([412, 429, 500, 502, 503, 504]);
const GONE = new Set([403, 404]);

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

/** Teams' own reason, when it gives one (MessageWritesBlocked, ConversationNotFound …). */
function teamsCode(err: unknown): string | undefined {
  const e = err as { code?: string; body?: { error?: { code?: string } } };
  return e?.body?.error?.code ?? (typeof e?.code === 'string' ? e.code : undefined);
}

/**
 * The one way proactive messages leave the bot: per conversation (or person) in order and within
 * Teams' rate limit, retrying throttling and server errors with exponential backoff and jitter.
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

  send(to: Recipient, message: OutgoingMessage): Promise<SendResult> {
    const lane = to.personTeamsId ?? to.conversationId;
    this.depth++;
    const run = (this.tails.get(lane) ?? Promise.resolve()).then(() => this.deliver(lane, to, message));
    const tail = run.catch(() => undefined).finally(() => {
      this.depth--;
      if (this.tails.get(lane) === tail) this.tails.delete(lane);
    });
    this.tails.set(lane, tail);
    return run;
  }

  private async deliver(lane: string, to: Recipient, message: OutgoingMessage): Promise<SendResult> {
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      await this.waitForRate(lane);
      try {
        if (to.personTeamsId) await this.messenger.sendPersonal(to.conversationId, to.personTeamsId, message);
        else await this.messenger.send(to.conversationId, message);
        return 'sent';
      } catch (err) {
        const status = statusOf(err);
        const log = { conversationId: to.conversationId, person: to.personTeamsId, status, code: teamsCode(err), attempt };
        if (status !== undefined && GONE.has(status)) {
          this.options.logger.warn(log, 'the bot was removed or blocked there');
          return 'gone';
        }
        // No status is the network (worth another try), unless the conversation is simply unknown.
        if (err instanceof UnknownConversationError || (status !== undefined && !RETRY.has(status))) {
          this.options.logger.error({ err, ...log }, 'proactive send failed');
          return 'failed';
        }
        if (attempt >= attempts) {
          this.options.logger.warn(log, 'proactive send throttled or refused; tried again later');
          return 'retry';
        }
        const base = (this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1);
        await this.sleep(base / 2 + Math.random() * base);
      }
    }
  }

  /** A lane quiet for a second holds nothing worth keeping. */
  private forgetQuietLanes(now: number): void {
    for (const [lane, times] of this.recent) if (now - times[times.length - 1] >= 1000) this.recent.delete(lane);
  }

  private async waitForRate(lane: string): Promise<void> {
    const limit = this.options.perSecond ?? 7;
    for (;;) {
      const now = Date.now();
      const times = (this.recent.get(lane) ?? []).filter((t) => now - t < 1000);
      if (times.length < limit) {
        times.push(now);
        this.recent.set(lane, times);
        if (this.recent.size > MAX_LANES) this.forgetQuietLanes(now);
        return;
      }
      await this.sleep(1000 - (now - times[0]) + 1);
    }
  }
}
