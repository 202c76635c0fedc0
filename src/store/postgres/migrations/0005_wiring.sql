-- The triggers of the SQLite migration of the same number, as PostgreSQL
-- spells them (trigger functions); tools/embed_pg_migrations.py puts them
-- after the rest of that migration, which both backends share.

CREATE FUNCTION trust_seq_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE relationships SET trust_seq = trust_seq + 1 WHERE id = OLD.relationship_id;
  ELSE
    UPDATE relationships SET trust_seq = trust_seq + 1 WHERE id = NEW.relationship_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER trust_seq_event AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_warning_new AFTER INSERT ON warnings
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_warning_change AFTER UPDATE ON warnings
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_warning_gone AFTER DELETE ON warnings
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
CREATE TRIGGER trust_seq_reveal AFTER UPDATE OF visible_at ON evidence
  FOR EACH ROW EXECUTE FUNCTION trust_seq_bump();
