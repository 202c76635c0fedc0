-- The triggers of the SQLite migration of the same number, as PostgreSQL
-- spells them (trigger functions); tools/embed_pg_migrations.py puts them
-- after the rest of that migration (the tables, in the schema `audit`).

-- Append-only: the store refuses to change or remove either table (the
-- chain and the signed heads detect anyone who drops these triggers).
CREATE FUNCTION audit.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON audit.access_log
  FOR EACH ROW EXECUTE FUNCTION audit.append_only();
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON audit.access_log
  FOR EACH ROW EXECUTE FUNCTION audit.append_only();
CREATE TRIGGER access_log_heads_no_update BEFORE UPDATE ON audit.access_log_heads
  FOR EACH ROW EXECUTE FUNCTION audit.append_only();
CREATE TRIGGER access_log_heads_no_delete BEFORE DELETE ON audit.access_log_heads
  FOR EACH ROW EXECUTE FUNCTION audit.append_only();
