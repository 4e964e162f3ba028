import type { Logger } from '../logger';
import type { Messenger } from './messenger';

/** A posted card that shows one thing to everyone (a draft, a workshop), and how to draw it from what is stored now. */
export interface SharedCard {
  conversationId: string;
  activityId: string;
  render(): Promise<object>;
}

/**
 * Brings posted cards up to date after a change. Each update draws the card from the stored state
 * when its turn comes, and updates of one card run one after another, so an older picture never
 * replaces a newer one; clicks arriving while an update waits share that update (500 people
 * registering at once make a handful of updates, not 500). A failed update is logged, never the
 * clicker's problem: their change is already stored, and the card refreshes when people look at it.
 */
export class SharedCards {
  private readonly lanes = new Map<string, { running: Promise<void>; next?: Promise<void> }>();

  constructor(
    private readonly messenger: Messenger,
    private readonly logger: Logger,
  ) {}

  update(card: SharedCard): Promise<void> {
    const key = `${card.conversationId}|${card.activityId}`;
    const lane = this.lanes.get(key);
    if (!lane) {
      const running = this.draw(card).finally(() => this.advance(key));
      this.lanes.set(key, { running });
      return running;
    }
    // Not started yet, so it will draw what this change stored too.
    lane.next ??= lane.running.then(() => this.draw(card));
    return lane.next;
  }

  private advance(key: string): void {
    const lane = this.lanes.get(key)!;
    if (!lane.next) {
      this.lanes.delete(key);
      return;
    }
    const running = lane.next.finally(() => this.advance(key));
    this.lanes.set(key, { running });
  }

  private async draw(card: SharedCard): Promise<void> {
    try {
      await this.messenger.update(card.conversationId, card.activityId, { text: '', card: await card.render() });
    } catch (err) {
      this.logger.warn({ err, conversationId: card.conversationId, activityId: card.activityId }, 'could not update a posted card');
    }
  }
}
