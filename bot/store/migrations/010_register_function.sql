-- A registration in one statement from the bot: the workshop's row is locked first, and each query
-- after it in this (volatile) function takes a new snapshot, so it sees every registration committed
-- before the lock was granted. The lock is held while the function runs, not across the round trips
-- between the bot and the database, so registrations to one workshop follow each other quickly.
CREATE FUNCTION register_for_workshop(
  p_workshop bigint, p_aad text, p_teams_id text, p_name text, p_organisation text, p_mode text
) RETURNS TABLE (outcome text, already boolean, queue_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_capacity integer;
  v_status text;
  v_seq bigint;
BEGIN
  SELECT w.capacity INTO v_capacity FROM workshops w WHERE w.id = p_workshop FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not-found'::text, false, NULL::bigint;
    RETURN;
  END IF;

  SELECT r.status, r.seq INTO v_status, v_seq FROM registrations r
  WHERE r.workshop_id = p_workshop AND r.person_aad = p_aad AND r.status <> 'cancelled';
  IF FOUND THEN
    already := true;
  ELSE
    already := false;
    -- A seat while there is one, else a place in the queue.
    SELECT CASE WHEN count(*) < v_capacity THEN 'registered' ELSE 'queued' END INTO v_status
    FROM registrations r WHERE r.workshop_id = p_workshop AND r.status = 'registered';
    -- Someone who cancelled and comes back goes to the end of the queue: a new seq.
    INSERT INTO registrations (workshop_id, person_aad, person_teams_id, person_name, organisation, mode, status)
    VALUES (p_workshop, p_aad, p_teams_id, p_name, p_organisation, p_mode, v_status)
    ON CONFLICT (workshop_id, person_aad) DO UPDATE
      SET status = EXCLUDED.status, organisation = EXCLUDED.organisation, mode = EXCLUDED.mode,
          person_name = EXCLUDED.person_name, seq = nextval(pg_get_serial_sequence('registrations', 'seq')), updated_at = now()
    RETURNING registrations.seq INTO v_seq;
  END IF;

  outcome := v_status;
  IF v_status = 'queued' THEN
    SELECT count(*) INTO queue_position FROM registrations r
    WHERE r.workshop_id = p_workshop AND r.status = 'queued' AND r.seq <= v_seq;
  END IF;
  RETURN NEXT;
END
$$;
