-- Note counts a viewer may see (docs/security.md, "Private notes"): the
-- shared notes, and each party's own private notes, kept on the
-- relationship by triggers like the other counts (0002). n_notes counted
-- every note, which no viewer may be shown; it goes.

DROP TRIGGER notes_count_insert;
DROP TRIGGER notes_count_delete;
ALTER TABLE relationships DROP COLUMN n_notes;

ALTER TABLE relationships ADD COLUMN n_notes_shared INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_notes_private_guide INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_notes_private_learner INTEGER NOT NULL DEFAULT 0;

UPDATE relationships SET
  n_notes_shared = (SELECT COUNT(*) FROM notes n WHERE n.relationship_id = relationships.id
                    AND n.visibility = 'shared'),
  n_notes_private_guide = (SELECT COUNT(*) FROM notes n WHERE n.relationship_id = relationships.id
                           AND n.visibility = 'private' AND n.author_id = relationships.guide_id),
  n_notes_private_learner = (SELECT COUNT(*) FROM notes n
                             WHERE n.relationship_id = relationships.id
                             AND n.visibility = 'private'
                             AND n.author_id = relationships.learner_id);

CREATE TRIGGER notes_count_insert AFTER INSERT ON notes BEGIN
  UPDATE relationships SET
    n_notes_shared = n_notes_shared + (NEW.visibility = 'shared'),
    n_notes_private_guide = n_notes_private_guide
                            + (NEW.visibility = 'private' AND NEW.author_id = guide_id),
    n_notes_private_learner = n_notes_private_learner
                              + (NEW.visibility = 'private' AND NEW.author_id = learner_id)
  WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes BEGIN
  UPDATE relationships SET
    n_notes_shared = n_notes_shared - (OLD.visibility = 'shared'),
    n_notes_private_guide = n_notes_private_guide
                            - (OLD.visibility = 'private' AND OLD.author_id = guide_id),
    n_notes_private_learner = n_notes_private_learner
                              - (OLD.visibility = 'private' AND OLD.author_id = learner_id)
  WHERE id = OLD.relationship_id;
END;
