-- Every message the bot sends on its own (digests, reminders, notices): written in the same
-- transaction as the change it tells of, under a key that makes it once, and sent by whichever
-- instance claims it. A claim is a lease with a token: only its holder may record the outcome, and
-- a holder that died (kill -9 mid-send) loses the lease when it runs out.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  key text NOT NULL UNIQUE,
  conversation_id text NOT NULL,
  -- Set: a personal (1:1) message to this person, reached through conversation_id's tenant and service.
  person_teams_id text,
  message jsonb NOT NULL,
  not_before timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  claim_token text,
  claimed_until timestamptz,
  sent_at timestamptz,
  -- Given up: the bot was removed there (gone) or every attempt failed (failed).
  ended_at timestamptz,
  outcome text CHECK (outcome IN ('sent', 'gone', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_waiting ON outbox (not_before) WHERE outcome IS NULL;
