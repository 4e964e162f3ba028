-- teams-ai's conversation and user state, as botbuilder Storage documents with an eTag.
CREATE TABLE bot_state (
  key text PRIMARY KEY,
  document jsonb NOT NULL,
  etag bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Activity ids already handled, so Teams' redeliveries of a slow turn do not run it twice.
CREATE TABLE handled_activities (
  conversation_id text NOT NULL,
  activity_id text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, activity_id)
);
CREATE INDEX handled_activities_handled_at ON handled_activities (handled_at);

-- The latest reference to each conversation, for proactive messages.
CREATE TABLE conversation_references (
  conversation_id text PRIMARY KEY,
  conversation_type text,
  reference jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Conversations the bot has greeted, so it greets each once however often it is installed.
CREATE TABLE greeted_conversations (
  conversation_id text PRIMARY KEY,
  greeted_at timestamptz NOT NULL DEFAULT now()
);
