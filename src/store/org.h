/* org.h: store operations for bringing an organisation in (migration
 * 0040): OpenID Connect providers, the sign-ins under way, the identities
 * linked to persons, links waiting for a password, and sso-only accounts.
 */
#ifndef RAPPORT_STORE_ORG_H
#define RAPPORT_STORE_ORG_H

#include "store/store.h"

typedef struct store_oidc_provider {
  int64_t id;
  const char *name, *issuer, *client_id;
  const char *client_secret; /* NULL for a public client */
  const char *redirect_uri;
  const char *domains;       /* folded, comma-separated */
  rp_time created_at;
} store_oidc_provider;

/* Fills p->id; RP_ERR_CONFLICT "provider_exists" for the same issuer and client. */
rp_rc store_oidc_provider_insert(store *s, store_oidc_provider *p, rp_err *e);
rp_rc store_oidc_provider_get(store *s, int64_t id, arena *a, store_oidc_provider *out,
                              rp_err *e);
/* Deletes a provider with its flows, identities and pending links
 * (RP_ERR_NOT_FOUND when there is none). */
rp_rc store_oidc_provider_delete(store *s, int64_t id, rp_err *e);
/* Every provider, by id. */
rp_rc store_oidc_providers(store *s, arena *a, store_oidc_provider **items, size_t *n, rp_err *e);

rp_rc store_oidc_flow_insert(store *s, const unsigned char state_hash[32], int64_t provider_id,
                             const char *nonce, const char *verifier, rp_time now, rp_err *e);
/* Reads and deletes the flow of state_hash (RP_ERR_NOT_FOUND when none). */
rp_rc store_oidc_flow_take(store *s, const unsigned char state_hash[32], arena *a,
                           int64_t *provider_id, const char **nonce, const char **verifier,
                           rp_time *created_at, rp_err *e);
/* Deletes flows and pending links begun before `before`. */
rp_rc store_oidc_prune(store *s, rp_time before, rp_err *e);

/* The person linked to (provider_id, subject); RP_ERR_NOT_FOUND when none. */
rp_rc store_oidc_identity_find(store *s, int64_t provider_id, const char *subject,
                               int64_t *person_id, rp_err *e);
rp_rc store_oidc_identity_insert(store *s, int64_t provider_id, const char *subject,
                                 int64_t person_id, rp_time now, rp_err *e);
/* How many identities are linked to person_id. */
rp_rc store_oidc_identities_of(store *s, int64_t person_id, int64_t *n, rp_err *e);

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
