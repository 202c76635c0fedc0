/* org.h: store operations for bringing an organisation in (migrations
 * 0040 and 0041): OpenID Connect providers, the sign-ins and re-checks
 * under way, the identities linked to persons, links waiting for a
 * password, sso-only accounts, and the sessions signed in through a
 * provider. Sealed columns (a client secret, a session's ID token) are
 * written through app_seal_row (store/keyring.h's sealed columns).
 */
#ifndef RAPPORT_STORE_ORG_H
#define RAPPORT_STORE_ORG_H

#include "store/store.h"

typedef struct store_oidc_provider {
  int64_t id;
  const char *name, *issuer, *client_id;
  rp_blob client_secret_ct;  /* sealed (SEAL_OIDC_SECRET); empty for a public client */
  const char *redirect_uri;
  const char *domains;       /* folded, comma-separated */
  rp_time created_at;
} store_oidc_provider;

/* Fills p->id; RP_ERR_CONFLICT "provider_exists" for the same issuer and
 * client. The secret is not written here: app_seal_row seals it into the
 * new row. */
rp_rc store_oidc_provider_insert(store *s, store_oidc_provider *p, rp_err *e);
rp_rc store_oidc_provider_get(store *s, int64_t id, arena *a, store_oidc_provider *out,
                              rp_err *e);
/* Deletes a provider with its flows, identities and pending links
 * (RP_ERR_NOT_FOUND when there is none). */
rp_rc store_oidc_provider_delete(store *s, int64_t id, rp_err *e);
/* Every provider, by id. */
rp_rc store_oidc_providers(store *s, arena *a, store_oidc_provider **items, size_t *n, rp_err *e);

/* Client secrets stored plain by an earlier release: ids[i] and
 * secrets[i], for sealing; store_oidc_plain_secret_clear empties one. */
rp_rc store_oidc_plain_secrets(store *s, arena *a, int64_t **ids, const char ***secrets,
                               size_t *n, rp_err *e);
rp_rc store_oidc_plain_secret_clear(store *s, int64_t id, rp_err *e);

/* A flow under way; session_hash is the keyed hash of the session that
 * began a re-check, NULL for a sign-in. */
typedef struct store_oidc_flow {
  int64_t provider_id;
  const char *nonce, *verifier;
  rp_time created_at;
  bool recheck;                   /* began by a session: session_hash is set */
  unsigned char session_hash[32];
  const char *back;               /* a re-check's page to return to; NULL when none */
} store_oidc_flow;

rp_rc store_oidc_flow_insert(store *s, const unsigned char state_hash[32], int64_t provider_id,
                             const char *nonce, const char *verifier,
                             const unsigned char *session_hash, const char *back, rp_time now,
                             rp_err *e);
/* Reads and deletes the flow of state_hash (RP_ERR_NOT_FOUND when none). */
rp_rc store_oidc_flow_take(store *s, const unsigned char state_hash[32], arena *a,
                           store_oidc_flow *out, rp_err *e);
/* Deletes flows and pending links begun before `before`. */
rp_rc store_oidc_prune(store *s, rp_time before, rp_err *e);

/* The person linked to (provider_id, subject); RP_ERR_NOT_FOUND when none. */
rp_rc store_oidc_identity_find(store *s, int64_t provider_id, const char *subject,
                               int64_t *person_id, rp_err *e);
rp_rc store_oidc_identity_insert(store *s, int64_t provider_id, const char *subject,
                                 int64_t person_id, rp_time now, rp_err *e);
/* How many identities are linked to person_id. */
rp_rc store_oidc_identities_of(store *s, int64_t person_id, int64_t *n, rp_err *e);

/* The identities linked to person_id, by provider id, then time. */
typedef struct store_oidc_link {
  int64_t provider_id;
  const char *provider_name;
  const char *subject;
  rp_time linked_at;
} store_oidc_link;
rp_rc store_oidc_links_of(store *s, int64_t person_id, arena *a, store_oidc_link **items,
                          size_t *n, rp_err *e);

/* Records that the session of token_hash was signed in (or re-checked)
 * through provider_id: *session_id is its row, whose id_token_ct starts
 * empty (app_seal_row seals the token into it). RP_ERR_NOT_FOUND when the
 * session has ended. */
rp_rc store_oidc_session_put(store *s, const unsigned char token_hash[32], int64_t provider_id,
                             int64_t *session_id, rp_err *e);
/* The provider and sealed ID token (empty when none) of the session of
 * token_hash; RP_ERR_NOT_FOUND when it was not signed in through one. */
rp_rc store_oidc_session_get(store *s, const unsigned char token_hash[32], arena *a,
                             int64_t *session_id, int64_t *provider_id, rp_blob *id_token_ct,
                             rp_err *e);

rp_rc store_oidc_pending_insert(store *s, const unsigned char hash[32], int64_t provider_id,
                                const char *subject, int64_t person_id, rp_time now, rp_err *e);
/* Reads the pending link of hash (RP_ERR_NOT_FOUND when none). */
rp_rc store_oidc_pending_get(store *s, const unsigned char hash[32], int64_t *person_id,
                             rp_time *created_at, rp_err *e);
/* Reads and deletes the pending link of hash (RP_ERR_NOT_FOUND when none). */
rp_rc store_oidc_pending_take(store *s, const unsigned char hash[32], arena *a,
                              int64_t *provider_id, const char **subject, int64_t *person_id,
                              rp_time *created_at, rp_err *e);

rp_rc store_person_sso_only(store *s, int64_t person_id, bool *out, rp_err *e);
rp_rc store_person_set_sso_only(store *s, int64_t person_id, bool on, rp_err *e);
/* Sets the name of person_id. */
rp_rc store_person_set_name(store *s, int64_t person_id, const char *name, rp_err *e);

#endif
