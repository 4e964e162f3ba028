import type { CloudAdapter } from 'botbuilder';
import type { ConversationStore } from '../store/conversation-store';
import { toActivity, type OutgoingMessage } from './turn';

/** Sends a message to a conversation outside any turn (reminders, digests), with its stored reference. */
export interface Messenger {
  /** The new message's activity id; throws when the conversation is unknown or Teams refuses. */
  send(conversationId: string, message: OutgoingMessage): Promise<string | undefined>;
}

export function createMessenger(adapter: CloudAdapter, botAppId: string | undefined, conversations: ConversationStore): Messenger {
  return {
    async send(conversationId, message) {
      const reference = await conversations.findReference(conversationId);
      if (!reference) throw new Error(`no conversation reference for ${conversationId}`);
      let id: string | undefined;
      await adapter.continueConversationAsync(botAppId ?? '', reference, async (context) => {
        id = (await context.sendActivity(toActivity(message)))?.id;
      });
      return id;
    },
  };
}
