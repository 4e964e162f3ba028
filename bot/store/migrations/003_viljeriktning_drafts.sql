-- Viljeriktning drafts put before the people who decide, decided from Adaptive Cards.
CREATE TABLE drafts (
  id bigserial PRIMARY KEY,
  -- The form's own id: a second click on "Skicka för beslut" finds the draft the first one made.
  form_id text NOT NULL UNIQUE,
  conversation_id text NOT NULL,
  author_aad text NOT NULL,
  author_teams_id text NOT NULL,
  author_name text NOT NULL,
  rule text NOT NULL CHECK (rule IN ('all', 'first')),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'changes_requested')),
  revision int NOT NULL DEFAULT 1,
  -- Raised by every change; a decision is written only against the version it read.
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drafts_conversation ON drafts (conversation_id, status);

CREATE TABLE draft_revisions (
  draft_id bigint NOT NULL REFERENCES drafts (id),
  revision int NOT NULL,
  title text NOT NULL,
  points jsonb NOT NULL,
  due_date date,
  changes text,
  -- The message that shows this revision's card, updated for everyone after each decision.
  activity_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (draft_id, revision)
);

-- Who is asked to decide each revision, and what they decided: the record for the protocol.
CREATE TABLE draft_decisions (
  draft_id bigint NOT NULL,
  revision int NOT NULL,
  approver_aad text NOT NULL,
  approver_teams_id text,
  approver_name text NOT NULL,
  position int NOT NULL,
  decision text CHECK (decision IN ('approve', 'reject', 'request_changes')),
  comment text,
  decided_at timestamptz,
  PRIMARY KEY (draft_id, revision, approver_aad),
  FOREIGN KEY (draft_id, revision) REFERENCES draft_revisions (draft_id, revision)
);

-- Reminders sent the day before a due date, each once.
CREATE TABLE draft_reminders (
  draft_id bigint NOT NULL,
  revision int NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (draft_id, revision)
);
