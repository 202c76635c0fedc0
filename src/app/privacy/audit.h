/* audit.h: the access log as people and operators see it (app/privacy/audit.c).
 *
 * privacy.h declares what every action needs (app_access_saw, app_access_flush,
 * app_access_pending); this header the rest: my access log, signing the
 * head, verifying the chain.
 */
#ifndef RAPPORT_APP_PRIVACY_AUDIT_H
#define RAPPORT_APP_PRIVACY_AUDIT_H

#include "app/core/core.h"
#include "store/access_log.h"

/* What app_access_flush writes when no purpose was set. */
#define APP_PURPOSE_SHOWN "shown in Rapport"
#define APP_PURPOSE_EXPORT "export"

/* ---- requests that open text without changing anything ---- */

/* Whether a route marked `opens` (its purpose, NULL when unmarked) runs
 * as an access-logged transaction: always, except in the bench-only build
 * without encryption and logging (RAPPORT_BENCH_PLAIN). */
bool app_access_route_logs(const char *opens);
/* Begins the transaction such a request runs in: a read transaction for
 * APP_PURPOSE_SHOWN (the write lock is taken only at the flush, for the
 * audit database alone), a write transaction for any other purpose (the
 * export, which also reads the log). audit.c says why. With `one`, a read
 * whose first statement reads what decides the rest (store_begin_read_one). */
rp_rc app_access_begin(app_ctx *c, bool one, rp_err *e);
/* Ends it (app_finish): when rc is RP_OK writes the access-log rows and
 * commits, else rolls back; returns the final rc. The audit database's commits do not
 * wait for the disk (synchronous=NORMAL; WAL keeps it consistent and a
 * process crash loses nothing; audit.c says why). */
rp_rc app_access_commit(app_ctx *c, rp_rc rc, rp_err *e);

/* ---- the log writer (group commit for reads, audit.c) ---- */

typedef struct app_access_writer app_access_writer;

/* How a read waits for its rows: park is called once, while the rows are
 * queued and before the writer can see them; release later, once, from
 * the writer's thread, with NULL when the rows are committed, else the
 * error that kept them out (then nothing of the read may be sent). */
typedef struct app_access_waiter {
  void (*park)(void *arg);
  void (*release)(void *arg, const rp_err *failed);
  void *arg;
} app_access_waiter;

/* Starts the writer thread with its own store connection to db_path;
 * NULL with e set when it cannot (and always NULL in the bench-only build,
 * which logs nothing). */
app_access_writer *app_access_writer_start(const char *db_path, rp_err *e);
/* Writes what is still queued, releases every waiter and stops the thread
 * (NULL is fine). Handoffs after this began are refused, so that once it
 * returned no answer is parked; w stays valid until app_access_writer_free. */
void app_access_writer_stop(app_access_writer *w);
void app_access_writer_free(app_access_writer *w);
/* For a read in its open read transaction (app_access_begin): turns what
 * was opened into rows and queues them for w, parking the waiter (the
 * caller ends its transaction and keeps the answer until release). When w
 * is NULL or stopping, the rows are written in the caller's transaction
 * instead, and the waiter is not parked (app_access_commit appends what is
 * left and commits). */
rp_rc app_access_handoff(app_ctx *c, app_access_writer *w, app_access_waiter waiter, rp_err *e);

/* One entry of my access log, ready to show. */
typedef struct app_access_item {
  int64_t seq;
  rp_time at;
  int64_t actor_id;
  const char *actor_name;   /* "A former member" when the account is gone */
  const char *sentence;     /* "Amara Okafor, your mentor, read notes in your ..." */
  const char **what;        /* the kinds read: "notes", "feedback", ... */
  size_t nwhat;
  const char *purpose;
  int64_t relationship_id;  /* 0 for a circle's text */
  int64_t circle_id;        /* 0 for a relationship's text */
} app_access_item;

/* "Ana Silva, of your circle, read notes and feedback in your circle." */
const char *app_access_circle_sentence(arena *a, const char *actor_name, const char *what,
                                       const char *purpose);

/* The entries whose subject is the actor, in order, paged by seq. */
rp_rc app_access_log_mine(app_ctx *c, int64_t after, int limit, app_access_item **items,
                          size_t *n, int64_t *next, rp_err *e);

/* Signs the head of the chain (in the caller's write transaction) when
 * rows were appended since the last signed head and that head is at least
 * every_s seconds old (0: whenever the head moved); *signed_ tells. */
#define APP_AUDIT_SIGN_EVERY_S 300
rp_rc app_audit_sign_head(app_ctx *c, int every_s, bool *signed_, rp_err *e);

/* The result of verifying the whole log. */
typedef struct app_audit_report {
  int64_t entries, heads;
  int64_t heads_by_key;    /* heads signed by the key file's signing key */
  bool key_checked;        /* a key file was given: the key rules were applied */
  bool ok;
  int64_t bad_seq;         /* the first bad sequence number (of a row or a head) */
  char why[200];           /* what is wrong with it */
} app_audit_report;

/* Checks every row from the first (sequence, previous hash, hash) and every
 * signed head (its row's hash, its signature by its stored public key).
 * With k (may be NULL), also: some head, and every head from the first one
 * signed by k's signing key onwards, must be signed by it, so heads forged
 * with another key pair are caught. RP_OK means the check ran; out->ok
 * says whether the log is intact. */
rp_rc app_audit_verify(store *s, const keys *k, app_audit_report *out, rp_err *e);

/* The words for a seal kind ("notes"), NULL for none. */
const char *app_access_kind_name(int kind);
/* "Amara Okafor, your mentor, read notes and feedback in your mentoring
 * relationship." from its parts (what is "notes,feedback"; relationship
 * fields may be 0/NULL when it has been deleted). In the arena. */
const char *app_access_sentence(arena *a, const char *actor_name, bool actor_is_guide,
                                bool rel_known, const char *prog_kind, const char *what,
                                const char *purpose);

#endif
