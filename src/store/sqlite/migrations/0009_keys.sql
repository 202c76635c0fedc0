-- The key hierarchy (crypto/seal.h, app/crypt.c).
--
-- data_keys: one random data key per relationship (author_id 0, shared by
-- its parties) and one per relationship and author for private notes
-- (author_id = the author), per data-key version. The key is stored
-- wrapped by the key-wrapping key of wrap_version (derived from the master
-- key file, which never enters the database). key_id is 16 random bytes in
-- hex, never a row id: the destroyed-key log beside the key file lists
-- key ids, and must never match a key created after a backup is restored.
-- relationship_id 0 holds text outside relationships (mail).
CREATE TABLE data_keys (
  id INTEGER PRIMARY KEY,
  key_id TEXT NOT NULL UNIQUE,
  relationship_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  wrap_version INTEGER NOT NULL,
  wrapped BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (relationship_id, author_id, version)
);
CREATE INDEX data_keys_author ON data_keys(author_id);

-- One row: the wrapping version in force, the data-key version new writes
-- use, and the re-encryption job's progress (sealed column number and the
-- last row id done in it; running = 1 while rows may remain on an older
-- format or key version). It starts running: text written before this
-- migration is in format 1 and is rewritten by the job.
CREATE TABLE key_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  wrap_version INTEGER NOT NULL,
  data_version INTEGER NOT NULL,
  reencrypt_running INTEGER NOT NULL,
  reencrypt_column INTEGER NOT NULL,
  reencrypt_after INTEGER NOT NULL
);
INSERT INTO key_state (id, wrap_version, data_version, reencrypt_running, reencrypt_column,
                       reencrypt_after)
VALUES (1, 1, 1, 1, 0, 0);

-- The ids of data keys retired after a re-encryption (their key material is
-- deleted). Shredding a relationship or an author logs these ids too: a
-- backup made before the rotation still holds the old key under its id.
CREATE TABLE retired_key_ids (
  key_id TEXT PRIMARY KEY,
  relationship_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL
);
CREATE INDEX retired_key_ids_relationship ON retired_key_ids(relationship_id);
CREATE INDEX retired_key_ids_author ON retired_key_ids(author_id);
