import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { SharedCard, SharedCards } from './shared-cards';
import { turnFrom, type Turn } from './turn';

/** A click on an `Action.Execute` button, or Teams refreshing a card for one viewer. */
export interface CardActionTurn extends Pick<Turn, 'actor' | 'log' | 'conversationId' | 'homeConversationId' | 'conversationType' | 'send'> {
  verb: string;
  /** The action's data merged with the card's input values, as Teams sends them: untrusted. */
  data: Record<string, unknown>;
  /** `automatic` is a card refresh, not a person's click: it must never change anything shared. */
  trigger: 'manual' | 'automatic';
  /** A member of this conversation by Azure AD object id: their Teams id and name, if Teams knows them. */
  findMember(aadObjectId: string): Promise<{ teamsId: string; name: string } | undefined>;
}

export type CardActionResult =
  /** The card the actor sees now; with `shared`, a click (never a refresh) also brings that posted card up to date for everyone. */
  | { card: object; shared?: SharedCard }
  /** A short message Teams shows to the actor, the card unchanged. */
  | { message: string };

export interface CardAction {
  verb: string;
  run(action: CardActionTurn): Promise<CardActionResult>;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';
const ERROR = 'application/vnd.microsoft.error';
export const CARD_ACTION_FAILED = 'Något gick fel när knappen skulle hanteras. Försök igen om en stund.';

/** What Teams shows for a card action that could not be served: an error body, inside an HTTP 200 as Universal Actions want. */
export const cardActionError = (status: 400 | 500, message: string) => ({
  statusCode: status,
  type: ERROR,
  value: { code: status === 400 ? 'BadRequest' : 'InternalError', message },
});

export function cardActionFrom(context: TurnContext): CardActionTurn {
  const turn = turnFrom(context);
  const action = context.activity.value?.action ?? {};
  const data = action.data && typeof action.data === 'object' && !Array.isArray(action.data) ? action.data : {};
  return {
    verb: String(action.verb ?? ''),
    data,
    trigger: context.activity.value?.trigger === 'automatic' ? 'automatic' : 'manual',
    actor: turn.actor,
    log: turn.log,
    conversationId: turn.conversationId,
    homeConversationId: turn.homeConversationId,
    conversationType: turn.conversationType,
    send: turn.send,
    findMember: async (aadObjectId) => {
      try {
        const member = await TeamsInfo.getMember(context, aadObjectId);
        return { teamsId: member.id, name: member.name || aadObjectId };
      } catch {
        return undefined; // not in this conversation, or outside Teams
      }
    },
  };
}

/**
 * Runs a card action and answers the invoke itself, so that teams-ai never decides on its own
 * to update the shared card (it would on every automatic refresh of a card with `refresh`, and
 * Teams would loop), and so that a handler's error still gets a proper invoke answer.
 */
export async function answerCardAction(context: TurnContext, action: CardAction, sharedCards: SharedCards): Promise<void> {
  const turn = cardActionFrom(context);
  let body: object;
  try {
    const result = await action.run(turn);
    if ('message' in result) {
      body = { statusCode: 200, type: MESSAGE, value: result.message };
    } else {
      if (result.shared && turn.trigger === 'manual') await sharedCards.update(result.shared);
      body = { statusCode: 200, type: CARD, value: result.card };
    }
  } catch (err) {
    turn.log.error({ err, verb: action.verb }, 'card action failed');
    body = cardActionError(500, CARD_ACTION_FAILED);
  }
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
}
