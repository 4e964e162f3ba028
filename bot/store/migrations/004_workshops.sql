-- Workshops posted in a channel, with registration, a waiting list and reminders.
CREATE TABLE workshops (
  id bigserial PRIMARY KEY,
  form_id text NOT NULL UNIQUE,
  conversation_id text NOT NULL,
  organiser_aad text NOT NULL,
  organiser_teams_id text NOT NULL,
  organiser_name text NOT NULL,
  title text NOT NULL,
  starts_at timestamptz NOT NULL,
  place text NOT NULL,
  capacity int NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  description text,
  deadline date,
  activity_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per person and workshop; `seq` is arrival order, which is also the order of the queue.
CREATE TABLE registrations (
  workshop_id bigint NOT NULL REFERENCES workshops (id),
  person_aad text NOT NULL,
  person_teams_id text NOT NULL,
  person_name text NOT NULL,
  organisation text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('plats', 'digitalt')),
  status text NOT NULL CHECK (status IN ('registered', 'queued', 'cancelled')),
  seq bigserial NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workshop_id, person_aad)
);
CREATE INDEX registrations_queue ON registrations (workshop_id, status, seq);

-- Reminders the day before, each person once.
CREATE TABLE workshop_reminders (
  workshop_id bigint NOT NULL,
  person_aad text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workshop_id, person_aad)
);

-- Secrets the bot makes itself and every instance must share (the key that signs export links).
CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);
