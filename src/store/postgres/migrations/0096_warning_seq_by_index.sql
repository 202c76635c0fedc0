-- The warnings' insert trigger of 0080, its relationships looked up by
-- their ids (an index scan whatever the planner guesses of the new rows),
-- not joined against the whole table: the same values.
CREATE OR REPLACE FUNCTION trust_seq_bump_new_warnings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relationships r SET trust_seq = r.trust_seq + n.c
    FROM (SELECT relationship_id, COUNT(*) AS c FROM new_warnings GROUP BY relationship_id) n
   WHERE r.id = n.relationship_id
     AND r.id = ANY (ARRAY(SELECT relationship_id FROM new_warnings));
  RETURN NULL;
END $$;
