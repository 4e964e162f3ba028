import type { Logger } from '../logger';
import type { ClaimedItem, OutboxStore, Recipient } from './outbox-store';
import type { SendQueue, SendResult } from './send-queue';

export interface OutboxDispatcherOptions {
  store: OutboxStore;
  queue: SendQueue;
  logger: Logger;
  /** The bot was removed from a conversation: whatever was sent there regularly should stop. */
  onGone?: (to: Recipient) => Promise<void>;
  onResult?: (result: SendResult) => void;
  /** Longer than any one send can take (the queue's own retries included), so a live sender keeps its lease. */
  leaseSeconds?: number;
  /** Tries over time before a message is given up. */
  maxAttempts?: number;
  batch?: number;
}

/** How long before try n+1: 30 s, 1, 2, 4 … minutes, at most an hour. */
const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** (attempts - 1), 3600);

/**
 * Sends what the outbox holds: claims due messages under a lease, sends them through the queue
 * and records the outcome. Whichever instance claims a message sends it; a message whose sender
 * died is sent again when its lease runs out (so a crash between sending and recording can
 * repeat one message; nothing is ever lost).
 */
export class OutboxDispatcher {
  private running?: Promise<number>;
  private again = false;

  constructor(private readonly options: OutboxDispatcherOptions) {}

  /** One pass over everything due now; a call during a pass runs one more pass after it. */
  runOnce(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.runOnce();
      }
    });
    return this.running;
  }

  /** Waits for the pass under way, if any (before the database closes). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const { store, logger } = this.options;
    let sent = 0;
    for (;;) {
      const due = await store.claimDue(this.options.batch ?? 50, this.options.leaseSeconds ?? 600);
      if (due.length === 0) return sent;
      const results = await Promise.all(due.map((item) => this.send(item).catch((err) => (logger.error({ err, key: item.key }, 'outbox send failed'), 'retry' as const))));
      sent += results.filter((r) => r === 'sent').length;
    }
  }

  private async send(item: ClaimedItem): Promise<SendResult> {
    const { store, queue, logger } = this.options;
    let result = await queue.send(item, item.message);
    if (result === 'retry' && item.attempts >= (this.options.maxAttempts ?? 8)) result = 'failed';
    if (result === 'retry') await store.retryLater(item, retryDelaySeconds(item.attempts));
    else if (await store.finish(item, result)) {
      if (result === 'gone') await this.options.onGone?.(item);
    } else {
      logger.warn({ key: item.key }, 'outbox lease ran out before the send ended; another instance may have sent it too');
    }
    this.options.onResult?.(result);
    logger.info({ key: item.key, conversationId: item.conversationId, result, attempts: item.attempts }, 'proactive message');
    return result;
  }
}
