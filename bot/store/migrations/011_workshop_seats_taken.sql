-- The seats taken, kept on the workshop's row: every view of a workshop card shows them, and counting
-- the registrations each time took a millisecond once a workshop had a few hundred. The count changes
-- only under the workshop's row lock (registering, here; cancelling, in the bot's transaction), so it
-- stays exact with any number of instances.
ALTER TABLE workshops ADD COLUMN taken integer NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity);
UPDATE workshops w SET taken = (SELECT count(*) FROM registrations r WHERE r.workshop_id = w.id AND r.status = 'registered');

CREATE OR REPLACE FUNCTION register_for_workshop(
  p_workshop bigint, p_aad text, p_teams_id text, p_name text, p_organisation text, p_mode text
) RETURNS TABLE (outcome text, already boolean, queue_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_capacity integer;
  v_taken integer;
  v_status text;
  v_seq bigint;
BEGIN
  SELECT w.capacity, w.taken INTO v_capacity, v_taken FROM workshops w WHERE w.id = p_workshop FOR UPDATE;
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
    v_status := CASE WHEN v_taken < v_capacity THEN 'registered' ELSE 'queued' END;
    -- Someone who cancelled and comes back goes to the end of the queue: a new seq.
    INSERT INTO registrations (workshop_id, person_aad, person_teams_id, person_name, organisation, mode, status)
    VALUES (p_workshop, p_aad, p_teams_id, p_name, p_organisation, p_mode, v_status)
    ON CONFLICT (workshop_id, person_aad) DO UPDATE
      SET status = EXCLUDED.status, organisation = EXCLUDED.organisation, mode = EXCLUDED.mode,
          person_name = EXCLUDED.person_name, seq = nextval(pg_get_serial_sequence('registrations', 'seq')), updated_at = now()
    RETURNING registrations.seq INTO v_seq;
    IF v_status = 'registered' THEN
      UPDATE workshops SET taken = taken + 1 WHERE id = p_workshop;
    END IF;
  END IF;

  outcome := v_status;
  IF v_status = 'queued' THEN
    SELECT count(*) INTO queue_position FROM registrations r
    WHERE r.workshop_id = p_workshop AND r.status = 'queued' AND r.seq <= v_seq;
  END IF;
  RETURN NEXT;
END
$$;
