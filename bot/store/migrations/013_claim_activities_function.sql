-- The redelivery check every message runs (bot/store/activity-ledger.ts): the activities of turns
-- arriving together, claimed in one insert; returns those that were new. As a plpgsql function the
-- insert is planned once per database session instead of at every call, a fifth of its cost in PGlite.
CREATE FUNCTION claim_activities(p_conversations text[], p_activities text[])
RETURNS TABLE (conversation_id text, activity_id text)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  INSERT INTO handled_activities AS h (conversation_id, activity_id)
  SELECT * FROM unnest(p_conversations, p_activities)
  ON CONFLICT DO NOTHING
  RETURNING h.conversation_id, h.activity_id;
END
$$;
