-- Digests and reminders are written to the outbox (006) under a key of their moment, which makes
-- them once; the claims table before it has no use left.
DROP TABLE digest_deliveries;

-- In a channel, a subscription and own deadlines belong to the channel, not to the thread they were
-- made in (Teams gives each thread an id of its own: "<channel>;messageid=<post>"). Rows made in a
-- thread move to their channel; of several threads' subscriptions the earliest is kept.
INSERT INTO digest_subscriptions (conversation_id, cadence, subscribed_by, subscribed_at)
SELECT DISTINCT ON (home) home, cadence, subscribed_by, subscribed_at
FROM (SELECT split_part(conversation_id, ';messageid=', 1) AS home, * FROM digest_subscriptions WHERE conversation_id LIKE '%;messageid=%') AS threads
ORDER BY home, subscribed_at
ON CONFLICT (conversation_id) DO NOTHING;
DELETE FROM digest_subscriptions WHERE conversation_id LIKE '%;messageid=%';

UPDATE own_deadlines SET conversation_id = split_part(conversation_id, ';messageid=', 1) WHERE conversation_id LIKE '%;messageid=%';

-- A digest to the channel needs the channel's own reference; the bot keeps one since it learnt
-- threads, but a channel last spoken in before that has only its threads'.
INSERT INTO conversation_references (conversation_id, conversation_type, reference)
SELECT DISTINCT ON (home) home, conversation_type, jsonb_set(reference, '{conversation,id}', to_jsonb(home))
FROM (SELECT split_part(conversation_id, ';messageid=', 1) AS home, * FROM conversation_references WHERE conversation_id LIKE '%;messageid=%') AS threads
WHERE home IN (SELECT conversation_id FROM digest_subscriptions)
ORDER BY home, updated_at DESC
ON CONFLICT (conversation_id) DO NOTHING;
