-- Bringing an organisation in (app/org/): OpenID Connect providers, the
-- sign-ins under way with them, and the identities they vouch for.
--
-- oidc_providers: configured by a site admin. domains is the e-mail
-- domains whose people may sign in through it, comma-separated, folded.
-- client_secret is NULL for a public client (PKCE alone).
CREATE TABLE oidc_providers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret TEXT,
  redirect_uri TEXT NOT NULL,
  domains TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (issuer, client_id)
);

-- A sign-in under way: only the keyed hash of its state is kept; the
-- nonce and the PKCE verifier are random and used once. A row is deleted
-- when its callback arrives (so a state is good once) or by the jobs ten
-- minutes after it began.
CREATE TABLE oidc_flows (
  state_hash BLOB PRIMARY KEY,
  provider_id INTEGER NOT NULL REFERENCES oidc_providers(id) ON DELETE CASCADE,
  nonce TEXT NOT NULL,
  verifier TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- A provider's subject linked to a person (by verified e-mail).
CREATE TABLE oidc_identities (
  provider_id INTEGER NOT NULL REFERENCES oidc_providers(id) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  linked_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, subject)
);
CREATE INDEX oidc_identities_person ON oidc_identities(person_id);

-- A verified sign-in waiting for the account's password once, because
-- the account it would link already has a password. By token hash, used
-- once, valid ten minutes.
CREATE TABLE oidc_pending_links (
  token_hash BLOB PRIMARY KEY,
  provider_id INTEGER NOT NULL REFERENCES oidc_providers(id) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);

-- An account that signs in only through single sign-on.
ALTER TABLE persons ADD COLUMN sso_only INTEGER NOT NULL DEFAULT 0;
