-- The access log (SECURITY.md, "Access log"; app/privacy/audit.c,
-- store/access_log.c). PostgreSQL's spelling of the SQLite migration of the
-- same number: the same tables, in the schema `audit` of the same database
-- (on SQLite its own attached file), and the append-only rule as trigger
-- functions. The SQLite file says what each column holds.
CREATE SCHEMA audit;

CREATE TABLE audit.access_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  relationship_id BIGINT NOT NULL,
  what TEXT NOT NULL,
  purpose TEXT NOT NULL,
  prev_hash BYTEA NOT NULL,
  hash BYTEA NOT NULL
);
CREATE INDEX access_log_subject ON audit.access_log(subject_id, seq);

CREATE TABLE audit.access_log_heads (
  seq BIGINT PRIMARY KEY,
  hash BYTEA NOT NULL,
  signature BYTEA NOT NULL,
  public_key BYTEA NOT NULL,
  signed_at BIGINT NOT NULL
);

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
