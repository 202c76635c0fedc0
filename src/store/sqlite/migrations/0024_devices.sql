-- The devices an account signed in from (app/people/auth.c): the keyed
-- hash of the long-lived random device cookie of the browser, per account
-- (never the cookie itself), the browser's family as its User-Agent told
-- it ("Firefox on Linux"), and when it was first and last seen. A sign-in
-- from a device not in the list, on an account that has one, is mailed
-- to the account.
CREATE TABLE devices (
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  token_hash BLOB NOT NULL,
  family TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (person_id, token_hash)
);
