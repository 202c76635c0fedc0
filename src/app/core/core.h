/* core.h: the core of app/, the room every other room stands on.
 *
 * It owns the request's context (app_ctx: who acts, when, with which store
 * and arena), the clock, the transaction and its ending (app_finish), who
 * may see what (app_rel_load, app_is_program_admin, app_row_of_party), the
 * times an action may record (app_event_time), the recording of an event
 * (app_event) and the terms a relationship runs on. It calls no other room
 * of app/: only store/, domain/, crypto/ and base/.
 *
 * The rooms above act at three moments of a transaction without the core
 * knowing them by name: an event recorded, before a commit, and after the
 * end (app_moments below). app/app.c, the composer at the top of app/,
 * fills the table once, in one written order; docs/architecture.md says
 * why it is a table and not registration.
 *
 * Conventions of every action in app/: it takes an app_ctx, does its own
 * authorisation, runs in one transaction, and returns an rp_rc with details
 * in rp_err (base/err.h). What a caller may not see is RP_ERR_NOT_FOUND,
 * never RP_ERR_FORBIDDEN, so existence does not leak. Every action that
 * records an event accepts an optional `at` (a pointer, NULL for "now"); it
 * may not be in the future nor before the relationship was proposed.
 */
#ifndef RAPPORT_APP_CORE_CORE_H
#define RAPPORT_APP_CORE_CORE_H


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

struct app_ctx;

/* Something a person is told of that is not an event of a relationship
 * (app_notice below): the rooms above decide how (mail, in-app). */
typedef struct app_notice {
  const char *kind;   /* "invitation", "password_reset", "new_device" */
  int64_t person_id;
  const char *email;  /* folded */
  const char *name;
  const char *about;  /* invitation: the program's name; new_device: the browser */
  const char *token;  /* invitation, password_reset: the one-time link's secret */
  rp_time expires_at; /* ... and until when it works */
} app_notice;

/* The moments of a transaction at which the rooms above the core act
 * (app/app.c fills them; every app_env carries the table). Each runs
 * inside the open transaction, on the request's context. */
typedef struct app_moments {
  /* An event was recorded (ev->id set) with its optional reason: seals the
   * reason into the event's row and records the trust evidence it carries.
   * A failure fails the action. */
  rp_rc (*event_recorded)(struct app_ctx *c, const rel_event *ev, const char *reason, rp_err *e);
  /* A write transaction is about to commit: refreshes the warnings of the
   * relationships it touched and writes the access-log rows of what it
   * opened. A failure rolls the transaction back. */
  rp_rc (*before_commit)(struct app_ctx *c, rp_err *e);
  /* The transaction ended, committed or not: wipes the request's data
   * keys, and after a commit that destroyed keys clears them from the WAL. */
  void (*after_end)(struct app_ctx *c, bool committed);
  /* A person is to be told of something (app_notice): queues the mail in
   * the open transaction. NULL: nobody is told (unit tests of the core). */
  rp_rc (*noticed)(struct app_ctx *c, const app_notice *n, rp_err *e);
} app_moments;


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
  /* The server's cache of unwrapped data keys (app/privacy/keycache.h); NULL in
   * the CLI and tests, which unwrap per request. The pointer is fixed, the
   * cache locks itself. */
  struct app_key_cache *key_cache;
  /* What the rooms above do at the moments of a transaction; never NULL
   * (app_env_default in app/app.h sets it). */
  const app_moments *moments;
  /* Where people reach Rapport, for the links in mail: --public-url, else
   * the address the server listens on (http/server.c sets it then). */
  const char *public_url;
  /* The From address of mail (--mail-from); NULL: mail waits in the outbox
   * with "Rapport <rapport@localhost>" until an operator configures it. */
  const char *mail_from;
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
  /* Relationships whose warnings the open transaction may have moved
   * (app_touch): app_finish refreshes them before committing (beyond
   * APP_TOUCHED_MAX the daily job catches up). */
  int64_t touched[APP_TOUCHED_MAX];
  int ntouched;
  /* Confidential data opened for the actor in this request (app/privacy/audit.c):
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
  /* The token is not checked yet: the GET's handler reads the session in
   * its first statement (app_authenticate_later, app/people/people.h), and
   * until then actor is 0 but stands for nobody. */
  bool session_unchecked;
  bool session_touch; /* the session's last use is to be recorded (app_session_touch) */
  /* Data keys unwrapped in this request (app/privacy/crypt.c only): wiped with
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

/* ---- the clock (app/core/clock.c) ---- */

/* The current time: the wall clock, or the fixed dev clock when set. */
rp_time app_clock_now(void);
/* Fixes the clock at t (dev and tests only); 0 returns to the wall clock. */
void app_clock_fix(rp_time t);
bool app_clock_is_fixed(void);

/* ---- shared rules (app/core/access.c, transaction.c) ---- */

typedef enum app_need {
  APP_NEED_META,  /* parties and the program's admins: states, dates, counts */
  APP_NEED_PARTY  /* the guide or the learner only: content */
} app_need;

/* Loads relationship id if the actor may see it at `need`, setting *role;
 * RP_ERR_NOT_FOUND otherwise. */
rp_rc app_rel_load(app_ctx *c, int64_t id, app_need need, relationship *r, rel_role *role,
                   rp_err *e);
/* The same for a relationship r already read (with more in the same
 * statement, as store_relationship_get_counted reads). */
rp_rc app_rel_admit(app_ctx *c, const relationship *r, app_need need, rel_role *role,
                    rp_err *e);
/* app_rel_admit when whether the actor administers r's program is known
 * (program_admin; a site admin does), so that nothing is read. */
rp_rc app_rel_admit_as(app_ctx *c, const relationship *r, app_need need, bool program_admin,
                       rel_role *role, rp_err *e);
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
/* Records an event on r by the actor in the open transaction. reason may
 * be NULL; the event_recorded moment seals it, records the event's trust
 * evidence and, when the event can move r's warnings, notes r as touched. */
rp_rc app_event(app_ctx *c, int64_t rel, const char *kind, int64_t subject, rp_time at,
                const char *from_state, const char *to_state, const char *reason, rp_err *e);
/* Notes rel as touched in the open transaction: its warnings are refreshed
 * before the commit (up to APP_TOUCHED_MAX relationships). */
void app_touch(app_ctx *c, int64_t rel);
/* The terms a relationship runs on: the agreement in force, or else the
 * program's defaults. */
rp_rc app_rel_terms(app_ctx *c, const relationship *r, int *cadence_days, int *reply_window_hours,
                    rp_err *e);
/* Tells a person of n in the open write transaction (the noticed moment):
 * the mail is queued with the action that causes it, or not at all. */
rp_rc app_notice_queue(app_ctx *c, const app_notice *n, rp_err *e);
/* Ends a transaction: when rc is RP_OK, runs the before_commit moment and
 * commits, else (or when that failed) rolls back; then the after_end
 * moment. Returns the final rc. */
rp_rc app_finish(app_ctx *c, rp_rc rc, rp_err *e);
/* Clamps a requested page size to 1..APP_PAGE_MAX (0 means the default). */
int app_page_limit(int limit);


#endif
