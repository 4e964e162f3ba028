-- Questions the bot had no confident answer to, for the knowledge editors (`obesvarade`).
CREATE TABLE unanswered_questions (
  id bigserial PRIMARY KEY,
  question text NOT NULL,
  normalized text NOT NULL,
  conversation_id text NOT NULL,
  asked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unanswered_questions_asked_at ON unanswered_questions (asked_at);
CREATE INDEX unanswered_questions_normalized ON unanswered_questions (normalized);
