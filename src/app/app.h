/* app.h: Rapport's use cases, one function per action.
 *
 * Each action takes an app_ctx (who acts, when, with which store and
 * arena), does its own authorisation, runs in one transaction, and returns
 * an rp_rc with details in rp_err (base/err.h). What a caller may not see is
 * RP_ERR_NOT_FOUND, never RP_ERR_FORBIDDEN, so existence does not leak.
 *
 * Times: every action that records an event accepts an optional `at` (a
 * pointer, NULL for "now"); it may not be in the future nor before the
 * relationship was proposed.
 */
#ifndef RAPPORT_APP_APP_H
#define RAPPORT_APP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "crypto/keys.h"
#include "crypto/seal.h"
#include "domain/program.h"
#include "domain/relationship.h"
#include "store/store.h"

/* Process-wide settings, read-only once the server runs. */
typedef struct app_env {
  const keys *keys;
  bool dev;             /* --dev: fixed clock allowed, invitation links logged */
  int session_idle_s;   /* 30 minutes */
  int session_max_s;    /* 12 hours */
  /* --public-url https://...: Rapport is reached over HTTPS (through the TLS
   * proxy), so answers carry HSTS and the session cookie is Secure and
   * named __Host-rapport_session. False on plain http (make run, tests). */
  bool https;
  /* The server's cache of unwrapped data keys (app/keycache.h); NULL in
   * the CLI and tests, which unwrap per request. The pointer is fixed, the
   * cache locks itself. */
  struct app_key_cache *key_cache;
} app_env;

#define APP_TOUCHED_MAX 16
#define APP_DATA_KEYS_MAX 8

typedef struct app_ctx {
  const app_env *env;
  store *st;
  arena *a;
  rp_time now;      /* the clock reading for this request */
  int64_t actor;    /* the signed-in person; 0 for the operator's CLI and jobs */
  bool site_admin;  /* the actor may create programs and administer all */
  /* Relationships that got an event in the open transaction: app_finish
   * refreshes their warnings before committing (beyond APP_TOUCHED_MAX the
   * daily job catches up). */
  int64_t touched[APP_TOUCHED_MAX];
  int ntouched;
  /* Confidential data opened for the actor in this request (app/audit.c):
   * one entry per relationship, in the arena, however many there are; each
   * becomes access-log rows committed before the answer leaves. */
  struct app_access *accessed;
  size_t naccessed;
  /* The parties of the relationship app_rel_load read last (they never
   * change), so that its access-log rows need not read it again. */
  struct {
    int64_t id, guide_id, learner_id;
  } rel_parties;
  const char *purpose; /* why it is opened: "shown in Rapport" (NULL), "export", ... */
  const char *token;   /* the request's session token (app_authenticate); NULL for CLI, jobs */
  /* Data keys unwrapped in this request (app/crypt.c only): wiped with
   * sodium_memzero by app_crypt_forget, which app_finish and the end of
   * every request call. */
  struct app_data_key {
    int64_t relationship_id;
    int64_t author_id; /* 0: the relationship's shared key */
    uint32_t version;
    bool cached; /* came from env->key_cache: a failed open retries from the store */
    unsigned char key[SEAL_KEY_LEN];
  } data_keys[APP_DATA_KEYS_MAX];
  int ndata_keys;
  bool created_key; /* a key was created in the open transaction: none goes to key_cache */
  uint32_t data_version; /* the data-key version for new writes; 0 until read */
  bool shredded; /* keys were destroyed: app_finish checkpoints the WAL after commit */
} app_ctx;

/* Default page size and its maximum for list actions. */
#define APP_PAGE_DEFAULT 50
#define APP_PAGE_MAX 100

/* ---- the clock (app/clock.c) ---- */

/* The current time: the wall clock, or the fixed dev clock when set. */
rp_time app_clock_now(void);
/* Fixes the clock at t (dev and tests only); 0 returns to the wall clock. */
void app_clock_fix(rp_time t);
bool app_clock_is_fixed(void);

/* ---- the access log (app/audit.c) ---- */

/* Notes that confidential text of kind `kind` in relationship rel_id was
 * opened for the actor in this request; the access log records it in the
 * request's transaction. Called by the one place that opens sealed text. */
void app_access_saw(app_ctx *c, int64_t rel_id, int kind);
/* The kinds (bit 1u << kind) opened so far in relationship rel_id, and
 * their replay: a response kept in a cache opened the text when it was
 * built, and notes those kinds again each time it is served. */
unsigned app_access_kinds(const app_ctx *c, int64_t rel_id);
void app_access_saw_kinds(app_ctx *c, int64_t rel_id, unsigned kinds);
/* Writes one access-log row per relationship whose text was opened since
 * the last call, in the open write transaction (app_finish calls it before
 * committing; the server before committing a route that opens text). */
rp_rc app_access_flush(app_ctx *c, rp_err *e);
/* Whether text was opened that is not in the access log yet (the server
 * then answers 500 and sends nothing). */
bool app_access_pending(const app_ctx *c);

/* ---- confidential text (app/crypt.c) ----
 *
 * The one boundary through which confidential text is stored: app_seal
 * before the store, app_open after it. ad names the text (kind), its
 * relationship, the ROW that holds it, its author and whether it is sealed
 * with the author's own key (private notes); crypto/seal.h describes the
 * format and the key hierarchy. For a new row, insert it with
 * APP_SEAL_PENDING as its text, then app_seal_row with the row's id. */

#define APP_SEAL_PENDING ((rp_blob){(const unsigned char *)"", 0})

/* Seals text for ad with the data key of its relationship (created when
 * it has none yet; needs a write transaction). */
rp_rc app_seal(app_ctx *c, const seal_ad *ad, const char *text, size_t len, rp_blob *out,
               rp_err *e);
/* app_seal, then stores the blob in the column that holds ad->kind texts,
 * in row ad->row_id; *out (when not NULL) is the blob. */
rp_rc app_seal_row(app_ctx *c, const seal_ad *ad, const char *text, size_t len, rp_blob *out,
                   rp_err *e);
/* Opens a sealed blob into a NUL-terminated string in c->a, and notes the
 * access (app_access_saw). RP_ERR_NOT_FOUND ("text_destroyed") for text
 * whose key was destroyed; RP_ERR_INTERNAL ("sealed_text_damaged") for a
 * blob that does not open for ad. */
rp_rc app_open(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out, rp_err *e);
/* app_open for the server's own processing, whose result shows no word of
 * the text to anyone (a warning that a goal lacks its measurable part, for
 * instance): it notes no access. Never use it for text that is sent. */
rp_rc app_open_for_server(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out,
                          rp_err *e);
/* Wipes the data keys cached in c. */
void app_crypt_forget(app_ctx *c);
/* Called by app_finish once the transaction ended (committed or not):
 * wipes the cached keys and, after a commit that destroyed keys,
 * checkpoints the WAL (TRUNCATE) so their ciphertext leaves it. */
void app_crypt_end(app_ctx *c, bool committed);

/* Crypto-shredding, inside the caller's write transaction: destroys every
 * data key of relationship rel_id (shared and per-author) and empties every
 * sealed column of its rows; or destroys person_id's own keys (their
 * private notes, in every relationship) and deletes those notes. The key
 * ids are appended to the destroyed-key log (fsync'd) before returning,
 * i.e. before the caller commits; app_finish checkpoints the WAL
 * (TRUNCATE) after the commit. */
rp_rc app_keys_shred_relationship(app_ctx *c, int64_t rel_id, rp_err *e);
rp_rc app_keys_shred_author(app_ctx *c, int64_t person_id, rp_err *e);

/* Replays the destroyed-key log at log_path (its own write transaction):
 * every listed key still in the database is destroyed with its
 * ciphertext; *destroyed counts them. */
rp_rc app_keys_replay(app_ctx *c, const char *log_path, int *destroyed, rp_err *e);

typedef struct app_keys_status {
  uint32_t wrap_version;
  uint32_t data_version;
  int64_t keys;          /* data keys stored */
  int64_t keys_old;      /* ... of a data-key version below data_version */
  int64_t keys_old_wrap; /* ... wrapped with an older wrapping key */
  int64_t rows;          /* sealed texts */
  int64_t rows_legacy;   /* ... still in format 1 (the single derived key) */
  int64_t rows_old;      /* ... sealed with a data-key version below data_version */
  int64_t rows_plain;    /* ... stored in the clear by a bench_plain build */
  bool reencrypt_running;
} app_keys_status;

rp_rc app_keys_status_get(app_ctx *c, app_keys_status *out, rp_err *e);
/* A new key-wrapping key: every data key re-wrapped in one transaction. */
rp_rc app_keys_rotate_wrap(app_ctx *c, int64_t *rewrapped, rp_err *e);
/* A new data-key version: new writes use it at once; the re-encryption job
 * rewrites older rows. */
rp_rc app_keys_rotate_data(app_ctx *c, uint32_t *version, rp_err *e);
/* One batch of the re-encryption job inside the caller's write transaction:
 * rewrites up to `batch` rows on format 1 or an old key version, keeping
 * its progress in the database; *finished when nothing remains (older data
 * keys are then deleted). */
rp_rc app_keys_reencrypt_step(app_ctx *c, int batch, int *rewritten, bool *finished, rp_err *e);
/* The jobs' share (app/jobs.c): one step of APP_KEYS_REENCRYPT_BATCH rows
 * per run, adding the rows rewritten to *changed. */
#define APP_KEYS_REENCRYPT_BATCH 500
rp_rc app_keys_reencrypt_job(app_ctx *c, int *changed, rp_err *e);

/* ---- shared rules (app/access.c) ---- */

typedef enum app_need {
  APP_NEED_META,  /* parties and the program's admins: states, dates, counts */
  APP_NEED_PARTY  /* the guide or the learner only: content */
} app_need;

/* Loads relationship id if the actor may see it at `need`, setting *role;
 * RP_ERR_NOT_FOUND otherwise. */
rp_rc app_rel_load(app_ctx *c, int64_t id, app_need need, relationship *r, rel_role *role,
                   rp_err *e);
/* Finishes loading a row the actor asked for by id: `rc` is how loading the
 * row went and rel_id its relationship. RP_OK, with *r loaded, only when the
 * row exists and the actor is a party; anything else the caller may not see
 * becomes RP_ERR_NOT_FOUND "No such <what>.", so ids do not leak existence. */
rp_rc app_row_of_party(app_ctx *c, rp_rc rc, int64_t rel_id, const char *what, relationship *r,
                       rp_err *e);
/* Whether the actor administers program (site admins administer all). */
rp_rc app_is_program_admin(app_ctx *c, int64_t program_id, bool *out, rp_err *e);
/* Resolves an optional `at` for an event on r into *when. */
rp_rc app_event_time(app_ctx *c, const relationship *r, const rp_time *at, rp_time *when,
                     rp_err *e);
/* app_event_time, and also not before `since`, the time of the thing the
 * event acts on (422 at /at: "The time may not be before <what>."). */
rp_rc app_event_time_since(app_ctx *c, const relationship *r, const rp_time *at, rp_time since,
                           const char *what, rp_time *when, rp_err *e);
/* Records an event on r by the actor, with the trust evidence it carries
 * (app/evidence.h), in the open transaction. reason may be NULL. */
rp_rc app_event(app_ctx *c, int64_t rel, const char *kind, int64_t subject, rp_time at,
                const char *from_state, const char *to_state, const char *reason, rp_err *e);
/* The terms a relationship runs on: the agreement in force, or else the
 * program's defaults. */
rp_rc app_rel_terms(app_ctx *c, const relationship *r, int *cadence_days, int *reply_window_hours,
                    rp_err *e);
/* Ends a transaction: when rc is RP_OK, refreshes the warnings of the
 * relationships it touched and commits, else rolls back; returns the final
 * rc. */
rp_rc app_finish(app_ctx *c, rp_rc rc, rp_err *e);
/* Clamps a requested page size to 1..APP_PAGE_MAX (0 means the default). */
int app_page_limit(int limit);

/* ---- accounts and sessions (app/auth.c) ---- */

typedef struct app_session {
  char token[44];
  char csrf[44];
  person who;
} app_session;

/* Signs in with e-mail and password from the client at `address` (its IP
 * address as text, for throttling; NULL when unknown). RP_ERR_AUTH when
 * either is wrong; RP_ERR_RATE with e->retry_after when too many sign-ins
 * failed lately for the account or the address (auth.c says how many). A
 * password hashed with older parameters is hashed again. A prior_token
 * (the token the client presented, if any) is the session it replaces:
 * that session ends when the sign-in succeeds. */
rp_rc app_login(app_ctx *c, const char *email, const char *password, const char *address,
                const char *prior_token, app_session *out, rp_err *e);
rp_rc app_logout(app_ctx *c, const char *token, rp_err *e);
/* Resolves a bearer token to a person, enforcing the idle and absolute
 * timeouts; RP_ERR_AUTH when there is no valid session. Sets c->actor and
 * c->site_admin, and *touch when the session's last use should be
 * recorded (at most once a minute) with app_session_touch, outside any
 * read transaction. */
rp_rc app_authenticate(app_ctx *c, const char *token, bool *touch, rp_err *e);
rp_rc app_session_touch(app_ctx *c, const char *token, rp_err *e);
/* The CSRF token that goes with a session token. */
void app_csrf_for(const app_ctx *c, const char *token, char out[44]);
/* Creates a person with a password (the operator's `user add` and `init`). */
rp_rc app_user_add(app_ctx *c, const char *email, const char *name, const char *password,
                   bool site_admin, int64_t *id, rp_err *e);
/* Sets the password of an invited person from their invitation token
 * (once; RP_ERR_NOT_FOUND for a used, expired or unknown token). */
rp_rc app_invitation_accept(app_ctx *c, const char *token, const char *password,
                            app_session *out, rp_err *e);
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

/* ---- your data (app/yourdata.c; the export in app/yourdata.h) ---- */

#define APP_CONFIRM_S 300                   /* a password re-check lasts 5 minutes */
#define APP_DELETED_NAME "Deleted member"   /* the name a deleted account leaves */

/* Re-checks the actor's password for the current session (c->token),
 * confirming it until *until: RP_ERR_FORBIDDEN "wrong_password" (counted
 * as a failed sign-in), RP_ERR_RATE as app_login throttles. */
rp_rc app_session_confirm(app_ctx *c, const char *password, const char *address, rp_time *until,
                          rp_err *e);
/* RP_OK when the current session was re-checked within APP_CONFIRM_S,
 * else RP_ERR_FORBIDDEN "password_check_needed". */
rp_rc app_require_confirmed(app_ctx *c, rp_err *e);
/* Deletes the actor's account (confirmed session): relationships declined
 * or ended, private notes shredded, sessions, invitations and memberships
 * deleted, the person a tombstone. RP_ERR_CONFLICT "last_site_admin". */
rp_rc app_account_delete(app_ctx *c, rp_err *e);
/* Deletes relationship id and crypto-shreds it (confirmed session): a
 * party once it is declined, ended or alumni (else RP_ERR_CONFLICT
 * "relationship_running"), a site admin at any time; RP_ERR_NOT_FOUND for
 * anyone else. */
rp_rc app_relationship_delete(app_ctx *c, int64_t id, rp_err *e);

/* ---- programs (app/programs.c) ---- */

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
/* Program admins enroll by e-mail, creating an invited account if needed. */
rp_rc app_program_enroll(app_ctx *c, int64_t program_id, const char *email, const char *name,
                         member_role role, app_enrolled *out, rp_err *e);
rp_rc app_program_members(app_ctx *c, int64_t program_id, int64_t after, int limit,
                          store_member **items, size_t *n, int64_t *next, rp_err *e);
rp_rc app_program_relationships(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                relationship **items, size_t *n, int64_t *next, rp_err *e);

/* ---- me (app/me.c) ---- */

typedef struct app_me {
  person who;
  store_program_role *roles;
  size_t nroles;
  relationship *rels;
  size_t nrels;
  int64_t rels_next;
} app_me;

rp_rc app_me_get(app_ctx *c, app_me *out, rp_err *e);

/* ---- relationships (app/relationships.c) ---- */

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

#include "app/app_activity.h"

#endif
