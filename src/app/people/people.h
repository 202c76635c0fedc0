/* people.h: the people room of app/: accounts, sessions, programs and
 * relationships.
 *
 * It owns signing in and out, sessions and their throttling, invitations,
 * the password re-check before a sensitive action, programs and their
 * members, the signed-in person's own view (app_me_get), and relationships:
 * proposing a match, its state machine and its event list.
 *
 * It may call the core (app/core/core.h) and the privacy room
 * (app/privacy/privacy.h), nothing else of app/.
 */
#ifndef RAPPORT_APP_PEOPLE_PEOPLE_H
#define RAPPORT_APP_PEOPLE_PEOPLE_H

#include "app/core/core.h"
#include "app/privacy/privacy.h"

/* ---- accounts and sessions (app/people/auth.c) ---- */

typedef struct app_session {
  char token[44];
  char csrf[44];
  person who;
  char device[44]; /* the device cookie to set ("" when none) */
} app_session;

/* The browser a sign-in comes from: the device cookie it presented (NULL,
 * or anything: a value that is not a well-formed token is replaced), and
 * its User-Agent header (NULL: none). */
typedef struct app_device {
  const char *token;
  const char *user_agent;
} app_device;

/* A device not seen for this long is forgotten (the cookie lives as long). */
#define APP_DEVICE_KEEP_S (400 * 86400)

/* Signs in with e-mail and password from the client at `address` (its IP
 * address as text, for throttling; NULL when unknown). RP_ERR_AUTH when
 * either is wrong; RP_ERR_RATE with e->retry_after when too many sign-ins
 * failed lately for the account or the address (auth.c says how many). A
 * password hashed with older parameters is hashed again. A prior_token
 * (the token the client presented, if any) is the session it replaces:
 * that session ends when the sign-in succeeds. */
/* dev is the browser (NULL: one without a cookie or User-Agent). Every
 * way of signing in (this one, app_sign_in_as, app_invitation_accept)
 * records it in the transaction that opens the session: each account
 * keeps the keyed hashes of the device cookies it signed in from, and a
 * sign-in from one it does not know, on an account that knows one already
 * (never its first), is mailed to the account ("new_device", with the
 * browser's family); out->device is the cookie to set (the same one when
 * it was well formed, else a new random one). */
rp_rc app_login(app_ctx *c, const char *email, const char *password, const char *address,
                const char *prior_token, const app_device *dev, app_session *out, rp_err *e);
rp_rc app_logout(app_ctx *c, const char *token, rp_err *e);
/* Opens a session for who, proven by other means than the password (how:
 * "sso"), as a successful sign-in does: the prior token's session ends,
 * the throttling rows of clear_key (NULL: none) are forgotten, the device
 * dev is recorded (app_login), and the security event is logged. */
rp_rc app_sign_in_as(app_ctx *c, const person *who, const char *clear_key, const char *address,
                     const char *prior_token, const app_device *dev, const char *how,
                     app_session *out, rp_err *e);
/* Logs a refused sign-in of another kind as a security event. */
void app_sign_in_failed(app_ctx *c, const char *reason, const char *address);
/* Resolves a bearer token to a person, enforcing the idle and absolute
 * timeouts; RP_ERR_AUTH when there is no valid session. Sets c->actor and
 * c->site_admin, and *touch when the session's last use should be
 * recorded (at most once a minute) with app_session_touch, outside any
 * read transaction. */
rp_rc app_authenticate(app_ctx *c, const char *token, bool *touch, rp_err *e);
/* For a GET that reads its session in its first statement, with the row it
 * asks for (one statement, one round trip on PostgreSQL): takes the token
 * as the request's unchecked (c->token, c->session_unchecked); RP_ERR_AUTH
 * at once when it cannot be one. The handler then reads the session with
 * the key of app_session_key and admits it with app_session_admit; the
 * server checks that it did. */
rp_rc app_authenticate_later(app_ctx *c, const char *token, rp_err *e);
/* The store's key of the session of c->token. */
void app_session_key(const app_ctx *c, unsigned char hash[32]);
/* Admits the session read (rc: how reading it went, RP_ERR_NOT_FOUND when
 * there is none) as app_authenticate does: the same checks and answers,
 * c->actor and c->site_admin set, c->session_touch when its last use is to
 * be recorded. Then, with the session admitted, RP_ERR_NOT_FOUND ("No
 * such <what>.") when the row read with it does not exist (who->found). */
rp_rc app_session_admit(app_ctx *c, rp_rc rc, const store_signed_in *who, const char *what,
                        rp_err *e);
rp_rc app_session_touch(app_ctx *c, const char *token, rp_err *e);
/* For the metrics and the readiness check: the sessions in use (seen
 * within the idle limit) and the database's size in bytes; fails when the
 * database does not answer. */
rp_rc app_ops_figures(app_ctx *c, int64_t *sessions, int64_t *bytes, rp_err *e);
/* The CSRF token that goes with a session token. */
void app_csrf_for(const app_ctx *c, const char *token, char out[44]);
/* Creates a person with a password (the operator's `user add` and `init`). */
rp_rc app_user_add(app_ctx *c, const char *email, const char *name, const char *password,
                   bool site_admin, int64_t *id, rp_err *e);
/* Sets the password of an invited person from their invitation token
 * (once; RP_ERR_NOT_FOUND for a used, expired or unknown token) and signs
 * them in from the browser dev (recorded as app_login says). */
rp_rc app_invitation_accept(app_ctx *c, const char *token, const char *password,
                            const app_device *dev, app_session *out, rp_err *e);
/* Password reset: when `email` is that of an account, queues a mail with a
 * one-time link (the same as an invitation's) valid for an hour, at most
 * PASSWORD_RESET_MAX per PASSWORD_RESET_WINDOW_S; RP_OK either way, so the
 * answer never tells whether the address has an account. Setting the
 * password through the link ends every session of the account. */
#define PASSWORD_RESET_VALID_S 3600
#define PASSWORD_RESET_WINDOW_S 3600
#define PASSWORD_RESET_MAX 3
rp_rc app_password_reset_request(app_ctx *c, const char *email, rp_err *e);
/* The actor's live sessions, marking the one whose token is `token`. */
rp_rc app_sessions_list(app_ctx *c, const char *token, int64_t after, int limit,
                        store_session **items, size_t *n, int64_t *next, rp_err *e);
/* Ends the actor's session id (RP_ERR_NOT_FOUND when it is not theirs);
 * *was_current says whether it was the current one (c->token). Any other
 * needs a password re-check (RP_ERR_FORBIDDEN "password_check_needed"). */
rp_rc app_session_end(app_ctx *c, int64_t id, bool *was_current, rp_err *e);
/* Ends every session of the actor but the one of `token`; needs a
 * password re-check (RP_ERR_FORBIDDEN "password_check_needed"). */
rp_rc app_sessions_end_others(app_ctx *c, const char *token, int64_t *ended, rp_err *e);
/* For the jobs, inside their write transaction: deletes sessions an hour
 * after they expired and sign-in failures older than the throttling window. */
rp_rc app_auth_sweep(app_ctx *c, rp_err *e);
/* Counts an attempt to prove the password of `email` from `address` as a
 * sign-in does (the limits above): RP_ERR_RATE with e->retry_after when
 * too many failed lately, else records the attempt (a success clears it
 * with store_login_failures_clear). */
rp_rc app_login_throttle(app_ctx *c, const char *email, const char *address, rp_err *e);

/* ---- the password re-check (app/people/auth.c) ---- */

#define APP_CONFIRM_S 300 /* a password re-check lasts 5 minutes */

/* Re-checks the actor's password for the current session (c->token),
 * confirming it until *until: RP_ERR_FORBIDDEN "wrong_password" (counted
 * as a failed sign-in), RP_ERR_RATE as app_login throttles; for an
 * account set to sso only, RP_ERR_FORBIDDEN "sso_only" once the password
 * was right (it re-checks through its provider). */
rp_rc app_session_confirm(app_ctx *c, const char *password, const char *address, rp_time *until,
                          rp_err *e);
/* The actor and their password hash (*pw_hash NULL when the account has
 * no password), in a read of its own. */
rp_rc app_actor_password(app_ctx *c, person *who, const char **pw_hash, rp_err *e);
/* Confirms the current session (c->token) until *until, as a right
 * password does, once the actor was re-checked by other means (through
 * a sign-in provider): the throttling rows of clear_key (NULL: none) are
 * forgotten. RP_ERR_AUTH "no_session" when the session has ended. */
rp_rc app_session_confirmed_by(app_ctx *c, const char *clear_key, rp_time *until, rp_err *e);
/* RP_OK when the current session was re-checked within APP_CONFIRM_S,
 * else RP_ERR_FORBIDDEN "password_check_needed". */
rp_rc app_require_confirmed(app_ctx *c, rp_err *e);
/* ---- programs (app/people/programs.c) ---- */

typedef struct app_enrolled {
  int64_t person_id;
  member_role role;
  bool invited; /* a new account was created and an invitation queued */
} app_enrolled;

/* Site admins create programs and become their first admin. `at` (NULL for
 * now, never in the future) dates the program, so history can be entered. */
rp_rc app_program_create(app_ctx *c, const char *name, program_kind kind,
                         const program_settings *settings, const rp_time *at, program *out,
                         rp_err *e);
/* Members of a program (any role) and site admins may read it. */
rp_rc app_program_get(app_ctx *c, int64_t id, program *out, rp_err *e);
/* Loads the program inside the caller's transaction and checks the actor
 * administers it (404 for non-members, 403 for members who are not
 * admins). */
rp_rc app_program_admin_load(app_ctx *c, int64_t program_id, program *p, rp_err *e);
/* Program admins enroll by e-mail, creating an invited account if needed. */
rp_rc app_program_enroll(app_ctx *c, int64_t program_id, const char *email, const char *name,
                         member_role role, app_enrolled *out, rp_err *e);
/* The same for one person inside the caller's open write transaction,
 * after its checks (p is the program, email folded and valid, name
 * valid): creates an invited account when nobody has the address, and
 * adds the role; out->invited tells. *added is false when the person had
 * the role already (nothing changed). */
rp_rc app_enroll_locked(app_ctx *c, const program *p, const char *email, const char *name,
                        member_role role, app_enrolled *out, bool *added, rp_err *e);
rp_rc app_program_members(app_ctx *c, int64_t program_id, int64_t after, int limit,
                          store_member **items, size_t *n, int64_t *next, rp_err *e);
rp_rc app_program_relationships(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                relationship **items, size_t *n, int64_t *next, rp_err *e);

/* ---- me (app/people/me.c) ---- */

typedef struct app_me {
  person who;
  store_program_role *roles;
  size_t nroles;
  relationship *rels;
  size_t nrels;
  int64_t rels_next;
} app_me;

rp_rc app_me_get(app_ctx *c, app_me *out, rp_err *e);

/* ---- relationships (app/people/relationships.c) ---- */

typedef struct app_rel_view {
  relationship rel;
  rel_role my_role;
  store_rel_counts counts;
  /* The parties' names, for a party only (each sees who the other is);
   * NULL for an admin, who has the program's member list for that. */
  const char *guide_name, *learner_name;
} app_rel_view;

/* Program admins, or the guide or learner themselves, propose a match. A
 * party who proposes accepts by proposing. */
rp_rc app_relationship_propose(app_ctx *c, int64_t program_id, int64_t guide, int64_t learner,
                               const rp_time *at, relationship *out, rp_err *e);
rp_rc app_relationship_get(app_ctx *c, int64_t id, app_rel_view *out, rp_err *e);
rp_rc app_relationship_transition(app_ctx *c, int64_t id, rel_state to, const char *reason,
                                  const rp_time *at, relationship *out, rp_err *e);
rp_rc app_relationships_mine(app_ctx *c, int64_t after, int limit, relationship **items,
                             size_t *n, int64_t *next, rp_err *e);

/* An event as the API shows it: the reason is opened for the parties. */
typedef struct app_event_view {
  rel_event ev;
  const char *reason; /* NULL when none, or when the caller is not a party */
} app_event_view;

rp_rc app_relationship_events(app_ctx *c, int64_t id, int64_t after, int limit,
                              app_event_view **items, size_t *n, int64_t *next, rp_err *e);

#endif
