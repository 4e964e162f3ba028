import { ActivityTypes, Storage, TurnContext } from 'botbuilder';
// Application and TeamsAdapter from their own modules: the package's index also loads the AI planners and
// their tokenizers, 11 MB of heap and a quarter of a second of start that a bot without an LLM never uses;
// Application also without user sign-in, which loads botbuilder-dialogs (see the module).
import { Application } from './teams/teams-ai-application';
import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { findCommand, type Command } from './commands';
import { helpCommand, welcomeMessage } from './help';
import { smallTalk } from './small-talk';
import type { Metrics } from './ops/metrics';
import type { ConversationStore } from './store/conversation-store';
import { answerCardAction, type CardAction } from './teams/card-actions';
import type { SharedCards } from './teams/shared-cards';
import { turnFrom, toActivity, type Turn } from './teams/turn';

/** What a feature adds to the bot: commands people type, card buttons, and the fallback. */
export interface Features {
  /** Matched in order after `hjälp`. */
  commands?: Command[];
  /** Card buttons (Action.Execute), by verb. */
  cardActions?: CardAction[];
  /** What a message that is no command gets. */
  fallback?: (turn: Turn) => Promise<void>;
}

export interface BotDependencies {
  /** Each feature's commands, buttons and fallback; on conflict the earlier feature wins. */
  features: Features[];
  adapter: TeamsAdapter;
  botAppId?: string;
  storage: Storage;
  conversations: ConversationStore;
  /** Brings posted cards up to date after a click. */
  sharedCards: SharedCards;
  metrics: Metrics;
}

const notUnderstood = async (turn: Turn) =>
  void (await turn.send({ text: 'Det förstod jag inte. Skriv "hjälp" så visar jag vad jag kan.' }));

/** The teams-ai Application with our routes: greeting on install, commands, then the fallback. */
export function createBotApplication(deps: BotDependencies): Application {
  const app = new Application({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    storage: deps.storage,
    removeRecipientMention: true,
    // Its one typing timer is shared by all turns and cancels itself under concurrency.
    startTypingTimer: false,
  });

  const commands: Command[] = [];
  commands.push(helpCommand(() => commands), ...smallTalk, ...deps.features.flatMap((f) => f.commands ?? []));
  const fallback = deps.features.find((f) => f.fallback)?.fallback ?? notUnderstood;

  const greetOnce = async (context: TurnContext) => {
    if (!(await deps.conversations.markGreeted(context.activity.conversation.id))) return;
    await context.sendActivity(toActivity(welcomeMessage()));
  };

  for (const action of deps.features.flatMap((f) => f.cardActions ?? [])) {
    app.adaptiveCards.actionExecute(action.verb, async (context) => {
      deps.metrics.cardActions.inc({ verb: action.verb, trigger: context.activity.value?.trigger === 'automatic' ? 'automatic' : 'manual' });
      await answerCardAction(context, action, deps.sharedCards);
      return ''; // answered above; teams-ai sends nothing more
    });
  }

  // A button whose verb no feature knows (an old card, a forged click) still gets an answer.
  app.adaptiveCards.actionExecute(/.*/, async () => 'Den här knappen stöds inte längre. Skriv "hjälp" för att se vad jag kan.');

  app.activity('installationUpdate', async (context) => {
    if (context.activity.action === 'remove' || context.activity.action === 'remove-upgrade') return;
    await greetOnce(context);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient.id;
    if (context.activity.membersAdded?.some((m) => m.id === botId)) await greetOnce(context);
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const turn = turnFrom(context);
    // A card's Action.Submit without imBack arrives as a message with a value and no text: not a question.
    if (!turn.text && context.activity.value) return;
    const found = findCommand(commands, turn.command);
    if (found) await found.command.run(turn, found.match);
    else await fallback(turn);
  });

  return app;
}
