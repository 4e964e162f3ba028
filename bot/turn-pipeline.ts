import { ActivityTypes, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { Logger } from './logger';
import type { ActivityLedger } from './store/activity-ledger';
import type { ConversationStore } from './store/conversation-store';

export interface TurnPipelineDependencies {
  app: Application;
  ledger: ActivityLedger;
  conversations: ConversationStore;
  logger: Logger;
}

const APOLOGY = 'Något gick fel hos mig. Försök igen om en stund.';

/**
 * What runs around every authenticated turn: skip Teams' redeliveries, remember the
 * conversation for proactive messages, and turn a handler's error into a proper answer.
 */
export function createTurnPipeline(deps: TurnPipelineDependencies) {
  return async function runTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const conversationId = activity.conversation.id;
    const log = deps.logger.child({ activityId: activity.id, conversationId, type: activity.type });
    // Card clicks are made idempotent by the features themselves and must always get an answer.
    const deduplicate = activity.type !== ActivityTypes.Invoke && Boolean(activity.id);
    if (deduplicate && !(await deps.ledger.claim(conversationId, activity.id!))) {
      log.info('redelivered activity ignored');
      return;
    }
    try {
      await deps.conversations.saveReference(TurnContext.getConversationReference(activity));
      await deps.app.run(context);
    } catch (err) {
      log.error({ err }, 'turn failed');
      if (deduplicate) await deps.ledger.release(conversationId, activity.id!).catch(() => undefined);
      await answerFailure(context).catch((sendErr) => log.warn({ err: sendErr }, 'could not tell the user about the failure'));
    }
  };
}

/** Invokes need an invoke response (teams-ai would leave a 501); messages get an apology. */
async function answerFailure(context: TurnContext): Promise<void> {
  if (context.activity.type !== ActivityTypes.Invoke) {
    await context.sendActivity(APOLOGY);
    return;
  }
  if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
  const body =
    context.activity.name === 'adaptiveCard/action'
      ? { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message: APOLOGY } }
      : { message: APOLOGY };
  await context.sendActivity({ type: 'invokeResponse', value: { status: context.activity.name === 'adaptiveCard/action' ? 200 : 500, body } });
}
