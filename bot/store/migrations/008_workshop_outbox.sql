-- Workshop reminders and promotion notices go through the outbox under their own keys, so the
-- reminders' own claims (taken before sending, never given back after a failed send) go.
DROP TABLE workshop_reminders;

-- Posting a workshop's card is leased, not claimed for good: a second click while it is being posted
-- does not post it twice, and a post that failed (or whose sender died) can be tried again.
ALTER TABLE workshops ADD COLUMN posting_until timestamptz;
