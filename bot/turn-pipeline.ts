import { ActivityTypes, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { Logger } from './logger';
import type { ActivityLedger } from './store/activity-ledger';
import type { ConversationStore } from './store/conversation-store';
import type { Metrics } from './ops/metrics';
import type { UserRateLimit } from './ops/rate-limit';
import { runWithTurnIds } from './ops/turn-context';

export interface TurnPipelineDependencies {
  app: Application;
  ledger: ActivityLedger;
  conversations: ConversationStore;
  logger: Logger;
  metrics: Metrics;
  rateLimit: UserRateLimit;
}

const SLOW_DOWN = 'Du skickar många meddelanden just nu. Vänta en minut, så svarar jag igen.';

const APOLOGY = 'Något gick fel hos mig. Försök igen om en stund.';

/**
 * What runs around every authenticated turn: skip Teams' redeliveries, remember the
 * conversation for proactive messages, and turn a handler's error into a proper answer.
 */
export function createTurnPipeline(deps: TurnPipelineDependencies) {
  return (context: TurnContext) =>
    runWithTurnIds({ activityId: context.activity.id, conversationId: context.activity.conversation.id }, async () => {
      const stopTimer = deps.metrics.turnSeconds.startTimer({ type: context.activity.type });
      deps.metrics.turns.inc({ type: context.activity.type });
      try {
        await runTurn(context);
      } finally {
        deps.logger.debug({ type: context.activity.type, seconds: stopTimer() }, 'turn handled');
      }
    });

  async function runTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const conversationId = activity.conversation.id;
    const log = deps.logger;
    if (activity.type === ActivityTypes.Message) {
      const verdict = deps.rateLimit.check(activity.from?.aadObjectId ?? activity.from?.id ?? conversationId);
      if (verdict !== 'ok') {
        deps.metrics.rejected.inc({ reason: 'rate-limit' });
        if (verdict === 'tell') await context.sendActivity(SLOW_DOWN);
        return;
      }
    }
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
  }
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
