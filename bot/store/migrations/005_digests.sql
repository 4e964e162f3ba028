-- Conversations subscribed to the deadline digest.
CREATE TABLE digest_subscriptions (
  conversation_id text PRIMARY KEY,
  cadence text NOT NULL CHECK (cadence IN ('weekly', 'daily')),
  subscribed_by text NOT NULL,
  subscribed_at timestamptz NOT NULL DEFAULT now()
);

-- Each digest or reminder for one conversation and one scheduled moment: claimed before it is sent
-- (under the primary key, so one instance wins), marked sent after. A claim that is never marked
-- sent (a crash mid-send) expires and is taken again.
CREATE TABLE digest_deliveries (
  conversation_id text NOT NULL,
  slot text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (conversation_id, slot)
);

-- An organisation's own deadlines, per conversation, removable by their author.
CREATE TABLE own_deadlines (
  id bigserial PRIMARY KEY,
  form_id text NOT NULL UNIQUE,
  conversation_id text NOT NULL,
  title text NOT NULL,
  due_date date NOT NULL,
  description text,
  author_aad text NOT NULL,
  author_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX own_deadlines_conversation ON own_deadlines (conversation_id, due_date);
