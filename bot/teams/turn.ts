import { ActivityTypes, CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import { commandText, stripMentions } from './text';

/** Where the turn pipeline puts the service's logger, and where the turn's own logger is kept once made. */
const SERVICE_LOG = Symbol('service log');
const TURN_LOG = Symbol('turn log');

/** Called by the turn pipeline before any route runs. */
export function setServiceLog(context: TurnContext, logger: Logger): void {
  context.turnState.set(SERVICE_LOG, logger);
}

/**
 * The turn's own logger: its lines carry the activity and conversation ids. It is made when the
 * turn first writes a line, as most turns write none and pino runs its redaction over a child's
 * bindings when it makes one (a sixth of the memory a question turn allocated).
 */
export function turnLog(context: TurnContext): Logger {
  let log = context.turnState.get(TURN_LOG) as Logger | undefined;
  if (!log) {
    const service = context.turnState.get(SERVICE_LOG) as Logger | undefined;
    if (!service) throw new Error('turnLog: the turn pipeline sets the service logger before any route runs');
    log = service.child({ activityId: context.activity.id, conversationId: context.activity.conversation?.id });
    context.turnState.set(TURN_LOG, log);
  }
  return log;
}

/** The person acting in a turn, as Teams identifies them. */
export interface Actor {
  /** Teams user id (29:…): what card `refresh.userIds` wants. */
  id: string;
  /** Azure AD object id: what permissions are checked against. */
  aadObjectId?: string;
  name?: string;
}

/**
 * A reply: a card for clients that show cards, and its plain text. With a card the text goes in the
 * activity's `summary` (notifications, clients without cards), unless `textAlongside` asks Teams to
 * show it above the card too: answers and the decision log carry their words as readable text.
 */
export interface OutgoingMessage {
  text: string;
  card?: object;
  textAlongside?: boolean;
}

/**
 * What our features see of a Teams turn. The feature folders never touch teams-ai or botbuilder
 * types; the wiring that does (this folder, app.ts, turn-pipeline.ts, service.ts, the store's
 * botbuilder Storage) is what a move to the Teams SDK v2 rewrites.
 */
export interface Turn {
  /** The message as typed, mentions removed. */
  readonly text: string;
  /** The message folded for command matching: lower case, å/ä/ö as a/o, no punctuation. */
  readonly command: string;
  /** The conversation as Teams names it; in a channel, the thread the message is in. */
  readonly conversationId: string;
  /** Where the conversation's own things belong (subscriptions, lists): in a channel the channel itself, not the thread. */
  readonly homeConversationId: string;
  readonly conversationType: string;
  readonly actor: Actor;
  /** Writes log lines that carry this turn's activity and conversation ids. */
  readonly log: Logger;
  /** Sends a message to the conversation (in a channel: into the thread); returns its activity id. */
  send(message: OutgoingMessage): Promise<string | undefined>;
}

/** A channel's conversation id without the thread part Teams adds to it (`;messageid=…`); any other id as it is. */
export const homeConversationId = (conversationId: string) => conversationId.split(';messageid=')[0];

export function toActivity(message: OutgoingMessage) {
  if (!message.card) return MessageFactory.text(message.text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
  if (message.textAlongside) activity.text = message.text;
  else activity.summary = message.text;
  return activity;
}

export function turnFrom(context: TurnContext): Turn {
  const activity = context.activity;
  const text = activity.type === ActivityTypes.Message ? stripMentions(activity.text ?? '') : '';
  return {
    text,
    command: commandText(text),
    conversationId: activity.conversation.id,
    homeConversationId: homeConversationId(activity.conversation.id),
    conversationType: activity.conversation.conversationType ?? 'personal',
    actor: { id: activity.from.id, aadObjectId: activity.from.aadObjectId, name: activity.from.name },
    get log() {
      return turnLog(context);
    },
    send: async (message) => (await context.sendActivity(toActivity(message)))?.id,
  };
}
