import type { CloudAdapter } from 'botbuilder';
import type { ConversationStore } from '../store/conversation-store';
import { toActivity, type OutgoingMessage } from './turn';

/** Sends a message to a conversation outside any turn (reminders, digests), with its stored reference. */
export interface Messenger {
  /** The new message's activity id; throws when the conversation is unknown or Teams refuses. */
  send(conversationId: string, message: OutgoingMessage): Promise<string | undefined>;
  /** Replaces a message the bot posted (a card) with `message`. */
  update(conversationId: string, activityId: string, message: OutgoingMessage): Promise<void>;
  /** A personal (1:1) message to a person met in `viaConversationId`, whose tenant and service it uses. */
  sendPersonal(viaConversationId: string, personTeamsId: string, message: OutgoingMessage): Promise<void>;
}

/** The bot has never been in that conversation (or forgot it): no retry will help. */
export class UnknownConversationError extends Error {}

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

/**
 * The adapter hands an error thrown inside a proactive turn to onTurnError and returns normally;
 * the caller needs it (429: retry; 403: stop sending there), so it is captured and thrown again.
 */
async function rethrowing(run: (capture: <T>(work: () => Promise<T>) => Promise<T>) => Promise<void>): Promise<void> {
  let failure: unknown;
  await run(async (work) => {
    try {
      return await work();
    } catch (err) {
      failure = err;
      throw err;
    }
  }).catch((err) => (failure ??= err));
  if (failure) throw failure;
}

export function createMessenger(adapter: CloudAdapter, botAppId: string | undefined, conversations: ConversationStore): Messenger {
  return {
    async send(conversationId, message) {
      const reference = await conversations.findReference(conversationId);
      if (!reference) throw new UnknownConversationError(`no conversation reference for ${conversationId}`);
      let id: string | undefined;
      await rethrowing((capture) =>
        adapter.continueConversationAsync(botAppId ?? '', reference, async (context) => {
          id = await capture(async () => (await context.sendActivity(toActivity(message)))?.id);
        }),
      );
      return id;
    },
    async update(conversationId, activityId, message) {
      const reference = await conversations.findReference(conversationId);
      if (!reference) throw new UnknownConversationError(`no conversation reference for ${conversationId}`);
      await rethrowing((capture) =>
        adapter.continueConversationAsync(botAppId ?? '', reference, async (context) => {
          await capture(() => context.updateActivity({ ...toActivity(message), id: activityId }));
        }),
      );
    },
    async sendPersonal(viaConversationId, personTeamsId, message) {
      const reference = await conversations.findReference(viaConversationId);
      if (!reference?.serviceUrl) throw new UnknownConversationError(`no conversation reference for ${viaConversationId}`);
      const tenantId = reference.conversation?.tenantId;
      await rethrowing((capture) =>
        adapter.createConversationAsync(
          botAppId ?? '',
          reference.channelId ?? 'msteams',
          reference.serviceUrl!,
          BOT_FRAMEWORK_AUDIENCE,
          { isGroup: false, bot: reference.bot!, members: [{ id: personTeamsId, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
          async (context) => void (await capture(() => context.sendActivity(toActivity(message)))),
        ),
      );
    },
  };
}
