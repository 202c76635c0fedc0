-- The triggers of the SQLite migration of the same number, as PostgreSQL
-- spells them (trigger functions); tools/embed_pg_migrations.py puts them
-- after the rest of that migration, which both backends share: the
-- triggers of 0002 that counted every note go, the new ones count what a
-- viewer may see.

DROP TRIGGER notes_count_insert ON notes;
DROP TRIGGER notes_count_delete ON notes;
DROP FUNCTION notes_count();

CREATE FUNCTION notes_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n notes%ROWTYPE;
  sign BIGINT;
BEGIN
  IF TG_OP = 'INSERT' THEN n := NEW; sign := 1; ELSE n := OLD; sign := -1; END IF;
  UPDATE relationships SET
    n_notes_shared = n_notes_shared + sign * (n.visibility = 'shared')::int,
    n_notes_private_guide = n_notes_private_guide
                            + sign * (n.visibility = 'private' AND n.author_id = guide_id)::int,
    n_notes_private_learner = n_notes_private_learner
                              + sign * (n.visibility = 'private' AND n.author_id = learner_id)::int
  WHERE id = n.relationship_id;
  RETURN NULL;
END $$;
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes
  FOR EACH ROW EXECUTE FUNCTION notes_count();
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION notes_count();
