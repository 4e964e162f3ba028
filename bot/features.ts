import { Cron } from 'croner';
import type { CloudAdapter } from 'botbuilder';
import type { Features } from './app';
import { REMINDER_HOUR, ZONE, stockholmDay, stockholmHour } from './stockholm';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Metrics } from './ops/metrics';
import { ActivityLedger } from './store/activity-ledger';
import type { Download } from './server';
import { approvals } from './approvals/approvals-feature';
import { queueDueReminders } from './approvals/draft-reminders';
import { DraftStore } from './approvals/draft-store';
import { runDigests } from './digests/digest-runner';
import { DigestStore } from './digests/digest-store';
import { digestsFeature } from './digests/digests-feature';
import type { Deadline } from './digests/deadlines';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { OutboxStore } from './outbox/outbox-store';
import { SendQueue } from './outbox/send-queue';
import { LinkSigner } from './http/signed-links';
import type { QuestionAnswerer } from './qa/answerer';
import { questionAnswering } from './qa/qa-feature';
import { UnansweredStore } from './qa/unanswered-store';
import type { ConversationStore } from './store/conversation-store';
import type { Database } from './store/database';
import { createMessenger } from './teams/messenger';
import { SharedCards } from './teams/shared-cards';
import { workshopDownloads } from './workshops/workshop-downloads';
import { queueWorkshopReminders } from './workshops/workshop-reminders';
import { WorkshopStore } from './workshops/workshop-store';
import { workshopsFeature } from './workshops/workshops-feature';

/** How often due-date reminders for drafts and workshops are looked for; each is sent once. */
const REMINDER_INTERVAL_MS = 15 * 60_000;
const RETENTION_INTERVAL_MS = 24 * 3_600_000;
const LEDGER_DAYS = 7;
/** Sent and ended proactive messages are kept this long, for looking into what went out. */
const OUTBOX_DAYS = 30;
/** How often the outbox is looked at besides right after something is written to it. */
const OUTBOX_INTERVAL_MS = 5_000;
/** How often digests are looked for without DIGEST_CRON: every minute, so a retry never waits long. */
const DIGEST_TICK = '* * * * *';

export interface ProductDependencies {
  db: Database;
  config: Config;
  adapter: CloudAdapter;
  conversations: ConversationStore;
  answerer: QuestionAnswerer;
  deadlines: Deadline[];
  publicUrl: string;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

export interface Product {
  features: Features[];
  sharedCards: SharedCards;
  download(path: string, query: Record<string, unknown>): Promise<Download | undefined>;
  /** Stops the schedules and waits for a pass under way. */
  stop(): Promise<void>;
}

/** Every feature of the product over one database, and the schedules that send on their own. */
export async function startProduct(deps: ProductDependencies): Promise<Product> {
  const { db, config, adapter, conversations, logger, metrics, now } = deps;
  const messenger = createMessenger(adapter, config.MicrosoftAppId, conversations);
  const drafts = new DraftStore(db);
  const workshops = new WorkshopStore(db);
  const digests = new DigestStore(db);
  const signer = await LinkSigner.fromDatabase(db);
  const queue = new SendQueue(messenger, { logger });
  metrics.queueDepthSource = () => queue.queueDepth;
  const outbox = new OutboxStore(db);
  const dispatcher = new OutboxDispatcher({
    store: outbox,
    queue,
    logger,
    // Removed from a conversation: its digests stop. A person who blocked the bot keeps nothing to stop.
    onGone: async (to) => void (to.personTeamsId || (await digests.unsubscribe(to.conversationId))),
    onResult: (result) => metrics.proactiveSends.inc({ result }),
  });
  const sendOutbox = () => void dispatcher.runOnce().catch((err) => logger.error({ err }, 'outbox pass failed'));
  const unanswered = new UnansweredStore(db);
  const ledger = new ActivityLedger(db);
  // People's free text is kept RETENTION_DAYS (own deadlines: after their day); handled activity ids only as long as Teams may redeliver.
  const forget = () =>
    Promise.all([
      unanswered.forgetOlderThan(config.RETENTION_DAYS),
      ledger.forgetOlderThan(LEDGER_DAYS),
      outbox.forgetOlderThan(OUTBOX_DAYS),
      digests.forgetPassedOwnDeadlines(config.RETENTION_DAYS, stockholmDay(now())),
    ])
      .then(([questions, ids, messages, deadlines]) => (questions || ids || messages || deadlines) && logger.info({ questions, ids, messages, deadlines }, 'retention: old rows deleted'))
      .catch((err) => logger.error({ err }, 'retention failed'));

  // The day-before reminders wait for the morning: the first pass after midnight must not wake anyone.
  const remind = () =>
    stockholmHour(now()) < REMINDER_HOUR
      ? Promise.resolve()
      : Promise.all([queueDueReminders(drafts, outbox, now()), queueWorkshopReminders(workshops, outbox, now())])
          .then(sendOutbox)
          .catch((err) => logger.error({ err }, 'reminders failed'));
  const digest = () =>
    runDigests({ store: digests, outbox, deadlines: deps.deadlines, logger, pattern: config.DIGEST_CRON }, now())
      .then(sendOutbox)
      .catch((err) => logger.error({ err }, 'digests failed'));
  const reminderTimer = setInterval(remind, REMINDER_INTERVAL_MS).unref();
  const outboxTimer = setInterval(sendOutbox, OUTBOX_INTERVAL_MS).unref();
  const retentionTimer = setInterval(forget, RETENTION_INTERVAL_MS).unref();
  void forget();
  // protect: a slow pass is never overlapped by the next one.
  const digestJob = new Cron(config.DIGEST_CRON ?? DIGEST_TICK, { timezone: ZONE, protect: true, unref: true }, digest);
  void remind();
  void digest(); // catches up on a digest missed while the bot was down

  return {
    features: [
      approvals({ drafts, outbox, sendOutbox, now }),
      workshopsFeature({ workshops, signer, outbox, sendOutbox, now, publicUrl: deps.publicUrl }),
      digestsFeature({ store: digests, deadlines: deps.deadlines, now, pattern: config.DIGEST_CRON }),
      questionAnswering({
        answerer: deps.answerer,
        unanswered,
        editors: config.EDITORS,
        retentionDays: config.RETENTION_DAYS,
        onOutcome: (outcome) => metrics.questions.inc({ outcome }),
      }),
    ],
    sharedCards: new SharedCards(messenger, logger),
    download: workshopDownloads(workshops, signer, now),
    stop: async () => {
      clearInterval(reminderTimer);
      clearInterval(retentionTimer);
      clearInterval(outboxTimer);
      digestJob.stop();
      await dispatcher.idle();
    },
  };
}
