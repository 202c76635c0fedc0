-- Counts shown with a relationship's metadata, kept on the relationship row
-- by triggers in the same transaction as the change they count, so reading
-- a relationship is one primary-key lookup instead of ten counting scans.
-- (PostgreSQL spells the same triggers with trigger functions.)

ALTER TABLE relationships ADD COLUMN n_checkins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_checkins_held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_commitments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_commitments_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_goals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_notes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_feedback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN n_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN agreement_latest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE relationships ADD COLUMN agreement_in_force INTEGER NOT NULL DEFAULT 0;

UPDATE relationships SET
  n_checkins = (SELECT COUNT(*) FROM checkins c WHERE c.relationship_id = relationships.id),
  n_checkins_held = (SELECT COUNT(*) FROM checkins c
                     WHERE c.relationship_id = relationships.id AND c.outcome = 'held'),
  n_commitments = (SELECT COUNT(*) FROM commitments c WHERE c.relationship_id = relationships.id),
  n_commitments_open = (SELECT COUNT(*) FROM commitments c
                        WHERE c.relationship_id = relationships.id AND c.state = 'open'),
  n_goals = (SELECT COUNT(*) FROM goals g WHERE g.relationship_id = relationships.id),
  n_notes = (SELECT COUNT(*) FROM notes n WHERE n.relationship_id = relationships.id),
  n_feedback = (SELECT COUNT(*) FROM feedback f WHERE f.relationship_id = relationships.id),
  n_requests = (SELECT COUNT(*) FROM requests q WHERE q.relationship_id = relationships.id),
  agreement_latest = (SELECT COALESCE(MAX(a.version), 0) FROM agreements a
                      WHERE a.relationship_id = relationships.id),
  agreement_in_force = (SELECT COALESCE(MAX(a.version), 0) FROM agreements a
                        WHERE a.relationship_id = relationships.id
                        AND (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2);

CREATE TRIGGER checkins_count_insert AFTER INSERT ON checkins BEGIN
  UPDATE relationships SET n_checkins = n_checkins + 1,
    n_checkins_held = n_checkins_held + CASE WHEN NEW.outcome = 'held' THEN 1 ELSE 0 END
  WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER checkins_count_update AFTER UPDATE OF outcome ON checkins BEGIN
  UPDATE relationships SET n_checkins_held = n_checkins_held
    + CASE WHEN NEW.outcome = 'held' THEN 1 ELSE 0 END
    - CASE WHEN OLD.outcome = 'held' THEN 1 ELSE 0 END
  WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER checkins_count_delete AFTER DELETE ON checkins BEGIN
  UPDATE relationships SET n_checkins = n_checkins - 1,
    n_checkins_held = n_checkins_held - CASE WHEN OLD.outcome = 'held' THEN 1 ELSE 0 END
  WHERE id = OLD.relationship_id;
END;

CREATE TRIGGER commitments_count_insert AFTER INSERT ON commitments BEGIN
  UPDATE relationships SET n_commitments = n_commitments + 1,
    n_commitments_open = n_commitments_open + CASE WHEN NEW.state = 'open' THEN 1 ELSE 0 END
  WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER commitments_count_update AFTER UPDATE OF state ON commitments BEGIN
  UPDATE relationships SET n_commitments_open = n_commitments_open
    + CASE WHEN NEW.state = 'open' THEN 1 ELSE 0 END
    - CASE WHEN OLD.state = 'open' THEN 1 ELSE 0 END
  WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER commitments_count_delete AFTER DELETE ON commitments BEGIN
  UPDATE relationships SET n_commitments = n_commitments - 1,
    n_commitments_open = n_commitments_open - CASE WHEN OLD.state = 'open' THEN 1 ELSE 0 END
  WHERE id = OLD.relationship_id;
END;

CREATE TRIGGER goals_count_insert AFTER INSERT ON goals BEGIN
  UPDATE relationships SET n_goals = n_goals + 1 WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER goals_count_delete AFTER DELETE ON goals BEGIN
  UPDATE relationships SET n_goals = n_goals - 1 WHERE id = OLD.relationship_id;
END;
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes BEGIN
  UPDATE relationships SET n_notes = n_notes + 1 WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes BEGIN
  UPDATE relationships SET n_notes = n_notes - 1 WHERE id = OLD.relationship_id;
END;
CREATE TRIGGER feedback_count_insert AFTER INSERT ON feedback BEGIN
  UPDATE relationships SET n_feedback = n_feedback + 1 WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER feedback_count_delete AFTER DELETE ON feedback BEGIN
  UPDATE relationships SET n_feedback = n_feedback - 1 WHERE id = OLD.relationship_id;
END;
CREATE TRIGGER requests_count_insert AFTER INSERT ON requests BEGIN
  UPDATE relationships SET n_requests = n_requests + 1 WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER requests_count_delete AFTER DELETE ON requests BEGIN
  UPDATE relationships SET n_requests = n_requests - 1 WHERE id = OLD.relationship_id;
END;

CREATE TRIGGER agreements_count_insert AFTER INSERT ON agreements BEGIN
  UPDATE relationships SET agreement_latest = MAX(agreement_latest, NEW.version)
  WHERE id = NEW.relationship_id;
END;
CREATE TRIGGER agreement_acks_in_force AFTER INSERT ON agreement_acks BEGIN
  UPDATE relationships SET agreement_in_force = MAX(agreement_in_force, (
    SELECT CASE WHEN (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2
                THEN a.version ELSE 0 END
    FROM agreements a WHERE a.id = NEW.agreement_id))
  WHERE id = (SELECT relationship_id FROM agreements WHERE id = NEW.agreement_id);
END;
