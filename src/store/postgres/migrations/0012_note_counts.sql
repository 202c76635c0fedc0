-- Note counts a viewer may see (docs/security.md, "Private notes"): the
-- shared notes, and each party's own private notes, kept on the
-- relationship by triggers like the other counts (0002). n_notes counted
-- every note, which no viewer may be shown; it goes. PostgreSQL's spelling
-- of the SQLite migration of the same number.

DROP TRIGGER notes_count_insert ON notes;
DROP TRIGGER notes_count_delete ON notes;
DROP FUNCTION notes_count();
ALTER TABLE relationships DROP COLUMN n_notes;

ALTER TABLE relationships ADD COLUMN n_notes_shared BIGINT NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_notes_private_guide BIGINT NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_notes_private_learner BIGINT NOT NULL DEFAULT 0;

UPDATE relationships SET
  n_notes_shared = (SELECT COUNT(*) FROM notes n WHERE n.relationship_id = relationships.id
                    AND n.visibility = 'shared'),
  n_notes_private_guide = (SELECT COUNT(*) FROM notes n WHERE n.relationship_id = relationships.id
                           AND n.visibility = 'private' AND n.author_id = relationships.guide_id),
  n_notes_private_learner = (SELECT COUNT(*) FROM notes n
                             WHERE n.relationship_id = relationships.id
                             AND n.visibility = 'private'
                             AND n.author_id = relationships.learner_id);

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
