/* oidc_net.h: what the org room asks of an OpenID provider over HTTP
 * (libcurl): its discovery document, its key set and the token endpoint.
 * Private to app/org/.
 *
 * Discovery documents and key sets are cached per provider in the
 * process for OIDC_CACHE_S seconds; a key set is fetched again at once
 * when a token names a key it lacks (the provider rotated its keys).
 * Nothing here is called inside a transaction: a slow provider holds no
 * lock. Every failure to reach the provider, or an answer that is not
 * what the protocol says, is RP_ERR_UNAVAILABLE "sso_provider_unreachable".
 */
#ifndef RAPPORT_APP_ORG_OIDC_NET_H
#define RAPPORT_APP_ORG_OIDC_NET_H

#include "app/org/org.h"

#include <jansson.h>

#define OIDC_CACHE_S 3600

typedef struct oidc_meta {
  const char *authorization_endpoint, *token_endpoint, *jwks_uri; /* in the arena */
  const char *end_session_endpoint; /* RP-initiated logout; NULL when the provider has none */
} oidc_meta;

/* The provider's discovery document (its issuer must be p->issuer exactly). */
rp_rc oidc_discover(app_ctx *c, const store_oidc_provider *p, oidc_meta *out, rp_err *e);
/* The provider's key set (a new reference); `fresh` fetches it again. */
rp_rc oidc_jwks(app_ctx *c, const store_oidc_provider *p, const oidc_meta *m, bool fresh,
                json_t **out, rp_err *e);
/* Redeems an authorization code with its PKCE verifier (and the client
 * secret of a confidential client, NULL for a public one); *id_token in
 * the arena. A refusal by the provider (a used or unknown code) is
 * RP_ERR_AUTH "sso_code_refused". */
rp_rc oidc_redeem(app_ctx *c, const store_oidc_provider *p, const oidc_meta *m, const char *code,
                  const char *verifier, const char *secret, const char **id_token, rp_err *e);
/* Whether url is https, or http to a loopback host (for tests and demos). */
bool oidc_url_acceptable(const char *url);
/* s percent-encoded for a URL query, in the arena. */
const char *oidc_escape(arena *a, const char *s);

#endif
