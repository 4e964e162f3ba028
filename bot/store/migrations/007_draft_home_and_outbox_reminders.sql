-- Drafts are listed and read per home conversation: in a channel the channel itself, whichever
-- thread the draft was put forward in. Derived from conversation_id as homeConversationId()
-- in bot/teams/turn.ts does, so the two can never disagree.
ALTER TABLE drafts ADD COLUMN home_conversation_id text
  GENERATED ALWAYS AS (split_part(conversation_id, ';messageid=', 1)) STORED;
DROP INDEX drafts_conversation;
CREATE INDEX drafts_home_conversation ON drafts (home_conversation_id, status);

-- Where each revision's card was posted: a revision written from another thread of the channel is posted there.
ALTER TABLE draft_revisions ADD COLUMN conversation_id text;
UPDATE draft_revisions r SET conversation_id = d.conversation_id FROM drafts d WHERE d.id = r.draft_id AND r.activity_id IS NOT NULL;

-- Due-date reminders are personal messages in the outbox, made once by their key there.
DROP TABLE draft_reminders;
