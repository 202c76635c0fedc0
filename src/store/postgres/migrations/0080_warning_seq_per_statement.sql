-- The warnings' insert trigger of 0005, per statement: each relationship's
-- trust_seq goes up by the number of warnings the statement gave it (what
-- the per-row trigger did one by one), in one UPDATE, so that a statement
-- inserting many warnings (`rapport trust recompute`, store/recompute.c)
-- does not update their relationships row after row.

DROP TRIGGER trust_seq_warning_new ON warnings;

CREATE FUNCTION trust_seq_bump_new_warnings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relationships r SET trust_seq = r.trust_seq + n.c
    FROM (SELECT relationship_id, COUNT(*) AS c FROM new_warnings GROUP BY relationship_id) n
   WHERE r.id = n.relationship_id;
  RETURN NULL;
END $$;
CREATE TRIGGER trust_seq_warning_new AFTER INSERT ON warnings
  REFERENCING NEW TABLE AS new_warnings
  FOR EACH STATEMENT EXECUTE FUNCTION trust_seq_bump_new_warnings();
