-- The triggers of the SQLite migration of the same number, as PostgreSQL
-- spells them (trigger functions); tools/embed_pg_migrations.py puts them
-- after the rest of that migration, which both backends share.

CREATE FUNCTION checkins_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE relationships SET n_checkins = n_checkins + 1,
      n_checkins_held = n_checkins_held + CASE WHEN NEW.outcome = 'held' THEN 1 ELSE 0 END
    WHERE id = NEW.relationship_id;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE relationships SET n_checkins_held = n_checkins_held
      + CASE WHEN NEW.outcome = 'held' THEN 1 ELSE 0 END
      - CASE WHEN OLD.outcome = 'held' THEN 1 ELSE 0 END
    WHERE id = NEW.relationship_id;
  ELSE
    UPDATE relationships SET n_checkins = n_checkins - 1,
      n_checkins_held = n_checkins_held - CASE WHEN OLD.outcome = 'held' THEN 1 ELSE 0 END
    WHERE id = OLD.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER checkins_count_insert AFTER INSERT ON checkins
  FOR EACH ROW EXECUTE FUNCTION checkins_count();
CREATE TRIGGER checkins_count_update AFTER UPDATE OF outcome ON checkins
  FOR EACH ROW EXECUTE FUNCTION checkins_count();
CREATE TRIGGER checkins_count_delete AFTER DELETE ON checkins
  FOR EACH ROW EXECUTE FUNCTION checkins_count();

CREATE FUNCTION commitments_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE relationships SET n_commitments = n_commitments + 1,
      n_commitments_open = n_commitments_open + CASE WHEN NEW.state = 'open' THEN 1 ELSE 0 END
    WHERE id = NEW.relationship_id;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE relationships SET n_commitments_open = n_commitments_open
      + CASE WHEN NEW.state = 'open' THEN 1 ELSE 0 END
      - CASE WHEN OLD.state = 'open' THEN 1 ELSE 0 END
    WHERE id = NEW.relationship_id;
  ELSE
    UPDATE relationships SET n_commitments = n_commitments - 1,
      n_commitments_open = n_commitments_open - CASE WHEN OLD.state = 'open' THEN 1 ELSE 0 END
    WHERE id = OLD.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER commitments_count_insert AFTER INSERT ON commitments
  FOR EACH ROW EXECUTE FUNCTION commitments_count();
CREATE TRIGGER commitments_count_update AFTER UPDATE OF state ON commitments
  FOR EACH ROW EXECUTE FUNCTION commitments_count();
CREATE TRIGGER commitments_count_delete AFTER DELETE ON commitments
  FOR EACH ROW EXECUTE FUNCTION commitments_count();

CREATE FUNCTION goals_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE relationships SET n_goals = n_goals + 1 WHERE id = NEW.relationship_id;
  ELSE
    UPDATE relationships SET n_goals = n_goals - 1 WHERE id = OLD.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER goals_count_insert AFTER INSERT ON goals FOR EACH ROW EXECUTE FUNCTION goals_count();
CREATE TRIGGER goals_count_delete AFTER DELETE ON goals FOR EACH ROW EXECUTE FUNCTION goals_count();

CREATE FUNCTION notes_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE relationships SET n_notes = n_notes + 1 WHERE id = NEW.relationship_id;
  ELSE
    UPDATE relationships SET n_notes = n_notes - 1 WHERE id = OLD.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_count();
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes FOR EACH ROW EXECUTE FUNCTION notes_count();

CREATE FUNCTION feedback_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE relationships SET n_feedback = n_feedback + 1 WHERE id = NEW.relationship_id;
  ELSE
    UPDATE relationships SET n_feedback = n_feedback - 1 WHERE id = OLD.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER feedback_count_insert AFTER INSERT ON feedback FOR EACH ROW EXECUTE FUNCTION feedback_count();
CREATE TRIGGER feedback_count_delete AFTER DELETE ON feedback FOR EACH ROW EXECUTE FUNCTION feedback_count();

CREATE FUNCTION requests_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE relationships SET n_requests = n_requests + 1 WHERE id = NEW.relationship_id;
  ELSE
    UPDATE relationships SET n_requests = n_requests - 1 WHERE id = OLD.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER requests_count_insert AFTER INSERT ON requests FOR EACH ROW EXECUTE FUNCTION requests_count();
CREATE TRIGGER requests_count_delete AFTER DELETE ON requests FOR EACH ROW EXECUTE FUNCTION requests_count();

CREATE FUNCTION agreements_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relationships SET agreement_latest = GREATEST(agreement_latest, NEW.version)
  WHERE id = NEW.relationship_id;
  RETURN NULL;
END $$;
CREATE TRIGGER agreements_count_insert AFTER INSERT ON agreements
  FOR EACH ROW EXECUTE FUNCTION agreements_count();

CREATE FUNCTION agreement_acks_in_force() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relationships SET agreement_in_force = GREATEST(agreement_in_force, (
    SELECT CASE WHEN (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2
                THEN a.version ELSE 0 END
    FROM agreements a WHERE a.id = NEW.agreement_id))
  WHERE id = (SELECT relationship_id FROM agreements WHERE id = NEW.agreement_id);
  RETURN NULL;
END $$;
CREATE TRIGGER agreement_acks_in_force AFTER INSERT ON agreement_acks
  FOR EACH ROW EXECUTE FUNCTION agreement_acks_in_force();
