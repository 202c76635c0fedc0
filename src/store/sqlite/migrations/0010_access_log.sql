-- The access log (SECURITY.md, "Access log"; app/audit.c, store/access_log.c).
--
-- One row per (request, relationship, subject): who (actor_id) opened which
-- kinds of confidential text (what: "notes,feedback", in seal-kind order) of
-- which relationship, whose data it was (subject_id: the other party), when
-- and why (purpose). Rows are written in the transaction that opened the
-- text. seq counts 1, 2, 3, ... without gaps; hash = BLAKE2b-256(prev_hash
-- || the canonical encoding of the row's fields, access_log.h), prev_hash of
-- the first row is 32 zero bytes. There are no foreign keys on purpose: the
-- log outlives the people and relationships it names (crypto-shredding
-- deletes relationships; the record that someone read them stays).
--
-- Both tables live in the audit database: their own SQLite file attached to
-- every connection as the schema `audit` ("x.db" -> "x.audit.db"; on
-- PostgreSQL a schema of that name), so that logging a read never writes
-- the main database (store/access_log.h, "The audit database"). This
-- migration is recorded in the main database's schema_migrations like every
-- other; it creates the tables in the file attached when it runs.
CREATE TABLE audit.access_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  relationship_id INTEGER NOT NULL,
  what TEXT NOT NULL,
  purpose TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE INDEX audit.access_log_subject ON access_log(subject_id, seq);

-- Heads of the chain signed with Ed25519 by a job every few minutes. The
-- public key is stored with each signature, so heads signed before a
-- master-key change still verify; `rapport audit verify --key` checks that
-- the latest heads are signed by the key file's own signing key.
CREATE TABLE audit.access_log_heads (
  seq INTEGER PRIMARY KEY,
  hash BLOB NOT NULL,
  signature BLOB NOT NULL,
  public_key BLOB NOT NULL,
  signed_at INTEGER NOT NULL
);

-- Append-only: the store refuses to change or remove either table. (An
-- attacker with the file can drop these triggers; the chain and the signed
-- heads are what detect that. A trigger of an attached database names its
-- table without the schema: it is always the trigger's own.)
CREATE TRIGGER audit.access_log_no_update BEFORE UPDATE ON access_log BEGIN
  SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER audit.access_log_no_delete BEFORE DELETE ON access_log BEGIN
  SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER audit.access_log_heads_no_update BEFORE UPDATE ON access_log_heads BEGIN
  SELECT RAISE(ABORT, 'access_log_heads is append-only');
END;
CREATE TRIGGER audit.access_log_heads_no_delete BEFORE DELETE ON access_log_heads BEGIN
  SELECT RAISE(ABORT, 'access_log_heads is append-only');
END;
