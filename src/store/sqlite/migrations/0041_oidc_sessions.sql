-- Single sign-on, continued (app/org/): the confidential client's secret
-- sealed, the password re-check through a provider, and signing out at
-- the provider (RP-initiated logout).
--
-- client_secret_ct: the client secret sealed with the server's own data
-- key (relationship 0, like the outbox; crypto/seal.h), bound to its
-- provider's row; NULL for a public client. The plain client_secret
-- column of earlier releases is sealed into it, and emptied, when the
-- database is next opened with its key file (app_sso_seal_secrets).
ALTER TABLE oidc_providers ADD COLUMN client_secret_ct BLOB;

-- A flow begun by a signed-in session to re-check its person at the
-- provider (prompt=login, max_age=0): the keyed hash of that session's
-- token. NULL for a sign-in.
ALTER TABLE oidc_flows ADD COLUMN session_hash BLOB;

-- A session signed in through a provider: which one, and the ID token it
-- gave (sealed like the client secret, bound to the session's row; NULL
-- when the session was opened by linking, with the password), for the
-- provider's logout (id_token_hint). Goes with its session.
CREATE TABLE oidc_sessions (
  session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  provider_id INTEGER NOT NULL REFERENCES oidc_providers(id) ON DELETE CASCADE,
  id_token_ct BLOB
);
CREATE INDEX oidc_sessions_provider ON oidc_sessions(provider_id);
