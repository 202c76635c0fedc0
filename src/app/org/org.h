/* org.h: the org room of app/: bringing an organisation in.
 *
 * It owns single sign-on through OpenID Connect providers (their
 * configuration by site admins, with a confidential client's secret
 * sealed; the authorization code flow with PKCE, state and nonce,
 * verifying the ID token, linking a provider's identity to an account by
 * verified e-mail, sso-only accounts, the re-check of a session through
 * the provider, and signing out there too), roster imports
 * from CSV (the dry run and applying it) and the program exports for
 * admins (metadata only, each one an access-log entry of its taker).
 *
 * It may call the core (app/core/core.h), the privacy room
 * (app/privacy/privacy.h), the people room (app/people/people.h) and the
 * trust room (app/trust/trust.h) for program health, nothing else of app/.
 */
#ifndef RAPPORT_APP_ORG_ORG_H
#define RAPPORT_APP_ORG_ORG_H

#include "app/core/core.h"
#include "app/people/people.h"
#include "app/privacy/privacy.h"
#include "app/trust/trust.h"
#include "store/org.h"

/* ---- roster import (app/org/roster.c) ---- */

#define APP_ROSTER_BYTES_MAX (8u << 20) /* the largest file accepted */
#define APP_ROSTER_ROWS_MAX 50000       /* people in one file */

typedef enum app_roster_action {
  ROSTER_CREATE,    /* a new account (invited) joins the program */
  ROSTER_UPDATE,    /* an existing account takes the role in the program */
  ROSTER_UNCHANGED, /* the person has the role already */
  ROSTER_REFUSED    /* nothing done: see code and detail */
} app_roster_action;
#define ROSTER_NACTION 4

typedef struct app_roster_row {
  size_t line;          /* of the file, from 1 (the header is line 1) */
  const char *email;    /* folded when valid, else as given (NULL when missing) */
  const char *name, *role;
  app_roster_action action;
  const char *code;     /* refused: a stable reason ("invalid_email", ...) */
  const char *detail;   /* a sentence: what is (or would be) done, or why not */
  int64_t person_id;    /* once applied, for a row not refused */
} app_roster_row;

typedef struct app_roster_column {
  const char *name;     /* as in the header */
  const char *status;   /* "imported" or "not imported: ..." */
} app_roster_column;

typedef struct app_roster_report {
  bool applied;
  app_roster_row *rows;
  size_t nrows;
  size_t counts[ROSTER_NACTION];
  app_roster_column *columns;
  size_t ncolumns;
} app_roster_report;

/* The action's name: "create", "update", "unchanged", "refused". */
const char *app_roster_action_name(app_roster_action a);

/* Reads a roster (RFC 4180 CSV, UTF-8, with or without a BOM; a header of
 * email, name, role and optional columns) for program_id, which the actor
 * must administer, and says row by row what it would do; with `apply`
 * does it in one write transaction. Importing the same file again changes
 * nothing: rows are matched by e-mail address. RP_ERR_INVALID for a file
 * that is not CSV ("csv_malformed", "csv_too_large") or lacks a column
 * ("roster_columns"); a bad row refuses that row only. data NULL (the
 * body was not CSV) is RP_ERR_UNSUPPORTED, once the actor is known to
 * administer the program. */
rp_rc app_roster_import(app_ctx *c, int64_t program_id, const char *data, size_t len, bool apply,
                        app_roster_report *out, rp_err *e);

/* ---- exports (app/org/exports.c) ---- */

typedef enum app_export_kind {
  EXPORT_MEMBERS,       /* members and their roles */
  EXPORT_RELATIONSHIPS, /* relationships with their states and dates */
  EXPORT_COUNTS,        /* members by role, relationships by state */
  EXPORT_HEALTH         /* the health page's figures, k-anonymous */
} app_export_kind;

typedef struct app_export_count {
  const char *what;     /* "members", "relationships" */
  const char *group;    /* a role or a state */
  int64_t n;
} app_export_count;

typedef struct app_program_export {
  app_export_kind kind;
  program prog;
  rp_time at;
  store_member *members;
  size_t nmembers;
  relationship *rels;
  size_t nrels;
  app_export_count *counts;
  size_t ncounts;
  app_health health;
} app_program_export;

/* "members", "relationships", "counts", "health"; parse returns false for
 * another name. */
const char *app_export_kind_name(app_export_kind k);
bool app_export_kind_parse(const char *s, app_export_kind *out);

/* Everything of kind for program_id, which the actor must administer,
 * and one access-log entry: the actor exported it (in the caller's write
 * transaction, app_access_begin with APP_PURPOSE_EXPORT). Never any text
 * but names and e-mail addresses of members. */
rp_rc app_program_export_take(app_ctx *c, int64_t program_id, app_export_kind kind,
                              app_program_export *out, rp_err *e);

/* ---- single sign-on (app/org/sso.c) ---- */

typedef struct app_sso_provider_in {
  const char *name, *issuer, *client_id, *client_secret, *redirect_uri;
  const char **domains;
  size_t ndomains;
} app_sso_provider_in;

/* Site admins configure a provider: its issuer (https, or http on a
 * loopback address), client, redirect URI and the e-mail domains it may
 * sign in. A client secret is sealed with the server's own key
 * (SEAL_OIDC_SECRET) in the write that stores the provider. The issuer's
 * discovery document is not fetched here. */
rp_rc app_sso_provider_add(app_ctx *c, const app_sso_provider_in *in, store_oidc_provider *out,
                           rp_err *e);
/* Site admins read one provider's configuration (its secret is never
 * shown) and delete it, with the identities linked through it: its
 * people sign in with a password again, or through another provider. */
rp_rc app_sso_provider_get(app_ctx *c, int64_t id, store_oidc_provider *out, rp_err *e);
rp_rc app_sso_provider_delete(app_ctx *c, int64_t id, rp_err *e);
/* Every provider (for the sign-in page: ids and names only are shown). */
rp_rc app_sso_providers(app_ctx *c, store_oidc_provider **items, size_t *n, rp_err *e);

/* Begins a sign-in with provider_id: fetches the provider's discovery
 * document (cached) and returns the authorization URL (in the arena) and
 * the state, which the client keeps in a cookie for the callback. */
rp_rc app_sso_begin(app_ctx *c, int64_t provider_id, const char **url, const char **state,
                    rp_err *e);

/* Seals the client secrets an earlier release stored plain, and empties
 * the plain column (one write transaction; when the database is opened
 * with its key file). *sealed counts them. */
rp_rc app_sso_seal_secrets(app_ctx *c, int *sealed, rp_err *e);

/* Begins a re-check of the actor's session (c->token) through
 * provider_id, which the actor must be linked to (else RP_ERR_NOT_FOUND,
 * as for a provider that does not exist): as app_sso_begin, with prompt=login and max_age=0,
 * and the flow bound to this session. Its callback (app_sso_callback)
 * confirms the session as a password re-check does, and hands back
 * `back` (NULL for none): the web client's page to return to, a path
 * ("/..." of at most 200 printable characters, no "//", no backslash;
 * else RP_ERR_INVALID at "/back"). */
rp_rc app_sso_recheck_begin(app_ctx *c, int64_t provider_id, const char *back, const char **url,
                            const char **state, rp_err *e);

/* How the actor signs in: whether with a password, whether only through
 * single sign-on, and the providers their account is linked through (one
 * item each). */
typedef struct app_sso_me_info {
  bool password, sso_only;
  store_oidc_link *links;
  size_t nlinks;
} app_sso_me_info;
rp_rc app_sso_me(app_ctx *c, app_sso_me_info *out, rp_err *e);

/* Signs out: ends the session of token (app_logout) whatever follows;
 * then, for a session signed in through a provider whose discovery
 * document names an end_session_endpoint, *logout_url (in the arena, else
 * NULL) is the provider's logout URL for the browser to follow. */
rp_rc app_sso_sign_out(app_ctx *c, const char *token, const char **logout_url, rp_err *e);

/* The outcome of a callback that verified. */
typedef struct app_sso_result {
  bool rechecked;           /* a re-check: the session is confirmed until confirmed_until */
  rp_time confirmed_until;
  const char *back;         /* rechecked: the page its beginning named, or NULL */
  bool signed_in;           /* else a password is needed once to link */
  app_session session;      /* signed_in */
  const char *link_token;   /* !signed_in: for app_sso_link, valid ten minutes */
  const char *email;        /* the verified address */
} app_sso_result;

/* The provider sent the browser back with code and state; cookie_state is
 * the state the client kept (NULL when none). Takes the flow (a state is
 * good once), redeems the code, verifies the ID token in full (signature
 * against the JWKS, refetched once for an unknown key; iss, aud, azp,
 * exp, iat, nonce; a verified e-mail of an allowed domain), then signs
 * in the linked or matching account. Every refusal is RP_ERR_AUTH (or 502
 * RP_ERR_UNAVAILABLE when the provider cannot be reached) with its code,
 * and nothing is signed in. A re-check's flow (app_sso_recheck_begin)
 * signs no one in: it needs prior_token to be the session that began it
 * ("sso_recheck_session"), an auth_time since it began
 * ("sso_recheck_stale") and the identity linked to that session's person
 * ("sso_recheck_other_account"), then confirms that session. */
rp_rc app_sso_callback(app_ctx *c, const char *code, const char *state, const char *cookie_state,
                       const char *address, const char *prior_token, const app_device *dev,
                       app_sso_result *out, rp_err *e);
/* Links the identity of a pending link to its account with the account's
 * password (throttled as a sign-in) and signs in. Both sign-ins record
 * the browser dev as app_login does (a new device mailed, never on the
 * account's first sign-in). */
rp_rc app_sso_link(app_ctx *c, const char *link_token, const char *password, const char *address,
                   const char *prior_token, const app_device *dev, app_session *out,
                   rp_err *e);
/* Sets whether the actor signs in only through single sign-on: needs a
 * confirmed session and, to turn it on, a linked identity. */
rp_rc app_sso_only_set(app_ctx *c, bool on, rp_err *e);

/* For the jobs: deletes flows and pending links older than ten minutes. */
rp_rc app_sso_sweep(app_ctx *c, rp_err *e);

#endif
