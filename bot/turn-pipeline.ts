import { ActivityTypes, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import type { Application } from './teams/teams-ai-application';
import type { Logger } from './logger';
import type { ActivityLedger } from './store/activity-ledger';
import type { ConversationStore } from './store/conversation-store';
import type { Metrics } from './ops/metrics';
import type { UserRateLimit } from './ops/rate-limit';
import { cardActionError } from './teams/card-actions';
import { setServiceLog, turnLog } from './teams/turn';

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

/** Where a turn keeps its pending redelivery check until teams-ai asks whether the turn may run. */
const CLAIM = Symbol('redelivery claim');

/**
 * What runs around every authenticated turn: skip Teams' redeliveries, remember the
 * conversation for proactive messages, and turn a handler's error into a proper answer.
 */
export function createTurnPipeline(deps: TurnPipelineDependencies) {
  // teams-ai reads the turn's state before its `beforeTurn` handlers: the redelivery check starts
  // with the turn and is awaited here, so the two reach the database together. Under load one wait
  // instead of two in a row leaves the bot's thread less time idle (about a tenth more turns per
  // second at 16 conversations on PGlite).
  deps.app.turn('beforeTurn', (context) => admit(context));

  return async (context: TurnContext) => {
    // Every line the turn writes says which activity and conversation it belongs to: the turn's
    // own logger goes with its context (not AsyncLocalStorage, whose promise hooks cost every turn
    // a tenth of its time on Node 20).
    setServiceLog(context, deps.logger);
    // A label per activity type Teams sends; anything else one label, so a caller cannot grow the metrics.
    const type = KNOWN_TYPES.has(context.activity.type) ? context.activity.type : 'other';
    const stopTimer = deps.metrics.turnSeconds.startTimer({ type });
    deps.metrics.turns.inc({ type });
    try {
      await runTurn(context);
    } finally {
      const seconds = stopTimer();
      if (deps.logger.isLevelEnabled('debug')) turnLog(context).debug({ type, seconds }, 'turn handled');
    }
  };

  async function runTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // Card clicks are made idempotent by the features themselves and must always get an answer.
    const deduplicate = activity.type !== ActivityTypes.Invoke && Boolean(activity.id);
    const claim = deduplicate ? deps.ledger.claim(activity.conversation.id, activity.id!) : Promise.resolve(true);
    // Awaited in `admit`, or below when the turn fails before it: never an unhandled rejection.
    claim.catch(() => undefined);
    context.turnState.set(CLAIM, claim);
    try {
      await deps.app.run(context);
      if (activity.type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) await answerInvoke(context, 400, UNKNOWN_INVOKE);
    } catch (err) {
      turnLog(context).error({ err }, 'turn failed');
      if (deduplicate && (await claim.catch(() => false))) await deps.ledger.release(activity.conversation.id, activity.id!).catch(() => undefined);
      await answerFailure(context).catch((sendErr) => turnLog(context).warn({ err: sendErr }, 'could not tell the user about the failure'));
    }
  }

  /** Whether the turn's routes may run: not for a redelivery, nor past the person's rate limit. */
  async function admit(context: TurnContext): Promise<boolean> {
    const activity = context.activity;
    if (!(await (context.turnState.get(CLAIM) as Promise<boolean>))) {
      turnLog(context).info('redelivered activity ignored');
      return false;
    }
    // After the redelivery check: Teams resending a slow turn must not use up the person's messages.
    if (activity.type === ActivityTypes.Message) {
      const verdict = deps.rateLimit.check(activity.from?.aadObjectId ?? activity.from?.id ?? activity.conversation.id);
      if (verdict !== 'ok') {
        deps.metrics.rejected.inc({ reason: 'rate-limit' });
        if (verdict === 'tell') await context.sendActivity(SLOW_DOWN);
        return false;
      }
    }
    await deps.conversations.saveReference(TurnContext.getConversationReference(activity));
    return true;
  }
}

const KNOWN_TYPES = new Set<string>(Object.values(ActivityTypes));
const CARD_ACTION = 'adaptiveCard/action';
const UNKNOWN_INVOKE = 'Det här anropet stöds inte av boten.';

/** An invoke that could not be served gets an answer all the same (teams-ai would leave botbuilder to say 501). */
async function answerInvoke(context: TurnContext, status: 400 | 500, message: string): Promise<void> {
  const cardAction = context.activity.name === CARD_ACTION;
  const value = cardAction ? { status: 200, body: cardActionError(status, message) } : { status, body: { message } };
  await context.sendActivity({ type: 'invokeResponse', value });
}

/** Invokes need an invoke response; messages get an apology. */
async function answerFailure(context: TurnContext): Promise<void> {
  if (context.activity.type !== ActivityTypes.Invoke) await context.sendActivity(APOLOGY);
  else if (!context.turnState.get(INVOKE_RESPONSE_KEY)) await answerInvoke(context, 500, APOLOGY);
}
