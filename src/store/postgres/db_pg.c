/* db_pg.c: the PostgreSQL implementation of db.h (libpq).
 *
 * A connection per server thread, as on SQLite. Statements are prepared
 * once per connection (PQprepare, named "r<n>") and kept in a small
 * open-addressing table keyed by the SQL text's address. Parameters go as
 * text (bytea as binary), their types inferred by the server from the SQL;
 * results come as text: integers and reals are parsed, booleans ('t'/'f')
 * read as 1/0, and bytea ('\x...') decoded once per row and column.
 *
 * Transactions. Writers lock with transaction-scoped advisory locks right
 * after BEGIN, from every instance on the database, and then read what the
 * writers before them committed (READ COMMITTED after the locks):
 *  - a write of one relationship (db_begin_write_rel) holds WRITE_LOCK
 *    shared and that relationship's lock (REL_LOCK_SPACE, id): writes to
 *    one relationship serialise, writes to different ones run side by side.
 *    The counts the triggers keep all live on the relationship's row, whose
 *    UPDATE takes the row's lock and adds to the latest committed value, so
 *    they stay exact either way;
 *    A write named by an item's id (db_begin_write_item) locks the item's
 *    relationship the same way, found from the item by the lock's statement;
 *  - a rebuild (db_begin_rebuild) holds WRITE_LOCK shared and the locks of
 *    its relationships;
 *  - any other write (db_begin_write) holds WRITE_LOCK exclusive, as
 *    SQLite's BEGIN IMMEDIATE: it waits for all of the above and they for it;
 *  - every appender of the access log, whatever it holds, takes LOG_LOCK
 *    (db_lock_log) before reading the head, last of its locks, so the chain
 *    stays one and no two transactions wait for each other in a circle.
 * A read transaction is REPEATABLE READ: one snapshot from its first
 * statement to its end, as a SQLite read transaction sees.
 *
 * Round trips. Each exchange with the server costs a wake-up on both sides,
 * far more than the work of a small statement, so the driver saves those it
 * can without changing what a transaction sees. BEGIN (and a writer's lock)
 * is not sent when store/ asks for it but queued, and goes in one pipeline
 * (libpq's pipeline mode) with the transaction's first statement: the
 * snapshot of a REPEATABLE READ transaction is taken at its first statement
 * anyway, and the writer's lock is taken before anything else of its
 * transaction runs, as before. A transaction that ends before any statement
 * ran never reaches the server. The end of a read transaction that changed
 * nothing (every statement a SELECT, no script) is sent at once but its
 * answer is read only before the connection's next use: its outcome cannot
 * matter, and the server releases the snapshot while the thread goes on.
 * Commits of anything written are awaited as before. A read begun with
 * db_begin_read_one sends its first statement alone, outside any
 * transaction block (a statement is its own snapshot), and queues the
 * BEGIN for the statement after it, if any: a GET whose one statement
 * reads its session with the row it asks for is one round trip, and
 * nothing is left to end.
 *
 * The same queue takes statements of store/: a read whose answer can wait
 * for the next statement (db_send_ahead: a write's key and the ids of its
 * new rows go with its BEGIN, locks and first read), kept for its step,
 * and a write whose answer nobody reads (db_exec_later: an insert whose id
 * was taken before, a sealed text, the warnings' changes), checked as the
 * queued BEGIN is: a failure is the answer of the statement it went with.
 * Statements run in the order they were given, so whatever follows sees
 * them. A COMMIT goes in one pipeline with what is still queued. So a note
 * write holds its relationship's lock for three round trips: BEGIN, the
 * locks, the key, the ids and the relationship; the note, its event, the
 * warnings' reads and their check; the warnings' writes and COMMIT.
 *
 * A write named by an item's id (db_begin_write_item) takes its
 * relationship's lock over a SELECT of the item's relationship, queued
 * with the BEGIN; the relationship it locked is kept for db_item_rel.
 *
 * Group commit. Writers of one relationship (and writers of the whole
 * database) queue on advisory locks, and a transaction's locks go only when
 * its COMMIT returned; were COMMIT to wait for the disk, no two commits of
 * one relationship could ever share a flush of the log. So
 * store/ commits through db_commit_unsynced (this commit alone with
 * synchronous_commit off: it reaches the log and releases the lock at once)
 * and, with the lock released, waits in db_sync until the log is on disk
 * past it; writers that ran meanwhile wait for the same flush. An answer
 * leaves only after its write is on disk, as with synchronous_commit on.
 *
 * After a failed statement PostgreSQL refuses everything but ROLLBACK in
 * that transaction; store/ never goes on after an error, so this changes
 * nothing it relies on.
 */
#include "store/db_driver.h"
#include "base/log.h"

#include <assert.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 4096 /* multi-row writes (store/recompute.c) bind hundreds */
#define MAX_COLS 48
#define QUEUE_MAX 32 /* statements waiting to go with the next one */

/* The advisory lock every write transaction holds (any constant will do;
 * this one spells "RAPPORTW"). */
#define WRITE_LOCK "5927128461347737431"
/* The access log's own advisory lock ("RAPPORTL"): every appender of the
 * log holds it, so the chain has one head however the writers lock. */
#define LOG_LOCK "5927106890454684748"
/* The key space of the relationships' advisory locks (two-int keys, apart
 * from the bigint keys above): (REL_LOCK_SPACE, id % 2^31-1). Ids past
 * 2^31 share keys, which only makes two writers wait for each other. */
#define REL_LOCK_SPACE "1380012114"

typedef struct pg_db pg_db;

typedef struct pg_stmt {
  db_stmt base;
  pg_db *owner;
  char name[16];
  int nparams;
  char **vals; /* [nparams + 1], malloc'd, NULL for SQL NULL; [0] unused */
  int *lens;   /* [nparams + 1] */
  int *fmts;   /* [nparams + 1] */
  PGresult *res; /* the result of the running execution, NULL before it */
  int row, nrows;
  bool finished; /* the last step answered done or an error: the next one runs it again */
  bool ahead;    /* res came from pg_run_ahead: the next step takes it as its run's */
  bool queued;   /* waits in the queue (db_send_ahead) to go with the next statement sent */
  unsigned char *blob[MAX_COLS]; /* bytea of the current row, decoded on demand */
  size_t blob_len[MAX_COLS];
  bool blobs; /* some blob[] is set */
} pg_stmt;

struct pg_db {
  db base;
  PGconn *conn;
  db_stmt_cache cache;
  unsigned nprepared;
  int64_t changes;
  /* What goes in one pipeline with the next statement sent: BEGIN and the
   * writer's locks by name, and statements of store/ with their parameters
   * (db_send_ahead, db_exec_later). */
  struct pg_queued {
    const char *name; /* a prepared statement's name */
    char param[24];   /* a control statement's one parameter, or "" */
    pg_stmt *stmt;    /* a statement of store/, or NULL */
    int nparams;      /* its parameters, copied when it was queued */
    char **vals;      /* pointing into bytes */
    int *lens, *fmts;
    char *bytes;      /* the parameters' bytes */
    /* Room in vals, lens, fmts and bytes: kept with the slot for its next
     * statement, so that queueing allocates only when a slot first takes
     * more parameters or bytes (freed with the connection). */
    int cap;
    size_t nbytes;
    bool keep;        /* its result is kept for its first step (db_send_ahead) */
  } queued[QUEUE_MAX];
  int nqueued;
  pg_stmt *kept[QUEUE_MAX]; /* statements given a result ahead by the queue */
  int nkept;
  pg_stmt *item_lock; /* db_begin_write_item's lock, its answer not read yet */
  PGresult *committed; /* the answer of a COMMIT sent by pg_run_ahead_commit, for pg_commit */
  bool owed;  /* an ending ROLLBACK was sent whose answer is not read yet */
  bool lead;  /* db_begin_read_one: the next statement runs alone, BEGIN goes with the one after */
  bool wrote; /* the open transaction ran something other than a SELECT */
  bool relaxed;  /* db_set_durable(false): no commit waits for the disk */
  bool unsynced; /* a commit of this connection may not be on disk yet */
};

static pg_db *PG(db *d) { return (pg_db *)(void *)d; }
static void queue(pg_db *d, const char *name, int64_t param);
static pg_stmt *PS(db_stmt *s) { return (pg_stmt *)(void *)s; }

/* An error of res (NULL: of the connection) as an rp_rc, by SQLSTATE. */
static rp_rc map_error(pg_db *d, const PGresult *res, rp_err *e) {
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(d->conn);
  if (!state) state = "";
  if (strncmp(state, "23", 2) == 0)
    return rp_fail(e, RP_ERR_CONFLICT, "constraint", "The change conflicts with stored data.");
  if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "busy", "The database is busy; try again.");
  if (strcmp(state, "53100") == 0)
    return rp_fail(e, RP_ERR_FULL, "storage_full", "The database is out of space.");
  if (!*state || strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
      strncmp(state, "53", 2) == 0) {
    log_error("postgres: %s", msg);
    return rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "The database could not be used.");
  }
  log_error("postgres: %s (%s)", msg, state);
  return rp_fail(e, RP_ERR_INTERNAL, "storage_error", "The database failed unexpectedly.");
}

static void quiet(void *arg, const char *message) {
  (void)arg;
  (void)message; /* NOTICEs ("relation exists, skipping") are not news */
}

static void pg_close(db *dd);
static rp_rc pg_exec_script(db *dd, const char *sql, rp_err *e);

/* The statements that begin and end transactions, prepared once per
 * connection (parsing them each time is most of what the server does for
 * them): queued by name, sent in a pipeline with the next statement. */
#define BEGIN_READ "b_read"
#define BEGIN_WRITE "b_write"
#define TAKE_WRITE_LOCK "b_lock"
#define END_READ "e_read"
#define TAKE_WRITE_LOCK_SHARED "b_shared"
#define TAKE_REL_LOCK "b_rel"
#define TAKE_LOG_LOCK "b_log"
#define END_WRITE "e_write"
#define COMMIT_LAZY "e_lazy"
static const struct {
  const char *name, *sql;
} CONTROL[] = {
    {BEGIN_READ, "BEGIN ISOLATION LEVEL REPEATABLE READ"},
    {BEGIN_WRITE, "BEGIN ISOLATION LEVEL READ COMMITTED"},
    {TAKE_WRITE_LOCK, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")"},
    {END_READ, "ROLLBACK"},
    {TAKE_WRITE_LOCK_SHARED, "SELECT pg_advisory_xact_lock_shared(" WRITE_LOCK ")"},
    {TAKE_REL_LOCK,
     "SELECT pg_advisory_xact_lock(" REL_LOCK_SPACE ", ($1::bigint % 2147483647)::int)"},
    {TAKE_LOG_LOCK, "SELECT pg_advisory_xact_lock(" LOG_LOCK ")"},
    {END_WRITE, "COMMIT"},
    /* SET LOCAL synchronous_commit = off, as a statement a pipeline takes */
    {COMMIT_LAZY, "SELECT set_config('synchronous_commit', 'off', true)"},
};

/* Sends queued statement i in the pipeline. */
static bool send_one_queued(pg_db *d, int i) {
  const struct pg_queued *q = &d->queued[i];
  if (q->stmt)
    return PQsendQueryPrepared(d->conn, q->name, q->nparams, (const char *const *)q->vals, q->lens,
                               q->fmts, 0) != 0;
  const char *param = q->param;
  return PQsendQueryPrepared(d->conn, q->name, *param ? 1 : 0, *param ? &param : NULL, NULL, NULL,
                             0) != 0;
}

/* Empties the queue (what was not sent is dropped). */
static void queue_clear(pg_db *d) {
  for (int i = 0; i < d->nqueued; i++) {
    struct pg_queued *q = &d->queued[i];
    if (!q->stmt) continue;
    if (q->keep) q->stmt->queued = false;
    q->stmt = NULL;
  }
  d->nqueued = 0;
}

/* Whether the queue begins the transaction (nothing of it reached the
 * server yet). */
static bool begin_queued(const pg_db *d) {
  return d->nqueued && !d->queued[0].stmt &&
         (strcmp(d->queued[0].name, BEGIN_READ) == 0 || strcmp(d->queued[0].name, BEGIN_WRITE) == 0);
}

/* Whether the queue holds a write of store/ (db_exec_later). */
static bool writes_queued(const pg_db *d) {
  for (int i = 0; i < d->nqueued; i++)
    if (d->queued[i].stmt && !d->queued[i].keep) return true;
  return false;
}

static void stmt_reset(pg_stmt *s);

/* At a transaction's end: results the queue gave ahead and nobody
 * stepped are dropped, never taken by a later use of their statement. */
static void forget_kept(pg_db *d) {
  d->item_lock = NULL;
  for (int i = 0; i < d->nkept; i++)
    if (d->kept[i]->ahead) stmt_reset(d->kept[i]);
  d->nkept = 0;
}

/* The next result of a pipeline (each query and each sync gives exactly
 * one), or NULL when the connection failed. */
static PGresult *next_result(pg_db *d) {
  for (int nulls = 0; nulls < 4; nulls++) {
    PGresult *r = PQgetResult(d->conn);
    if (r) return r;
    if (PQstatus(d->conn) == CONNECTION_BAD) break;
  }
  return NULL;
}

/* Reads the answer of an ending ROLLBACK sent earlier (still in pipeline
 * mode: more may have been sent behind it). */
static void read_owed(pg_db *d) {
  if (!d->owed) return;
  d->owed = false;
  for (int i = 0; i < 2; i++) { /* the ROLLBACK, then the sync */
    PGresult *r = next_result(d);
    if (!r) break;
    if (PQresultStatus(r) == PGRES_FATAL_ERROR)
      log_error("postgres: ending a read: %s", PQresultErrorMessage(r));
    PQclear(r);
  }
}

/* read_owed, then out of pipeline mode: the connection is ready for
 * anything. */
static void settle(pg_db *d) {
  if (!d->owed) return;
  read_owed(d);
  if (!PQexitPipelineMode(d->conn)) log_error("postgres: %s", PQerrorMessage(d->conn));
}

static rp_rc pg_open(const char *uri, db **out, rp_err *e) {
  pg_db *d = rp_xcalloc(1, sizeof *d);
  d->base.drv = &db_postgres_driver;
  d->conn = PQconnectdb(uri);
  if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
    /* The URI may hold a password: name the database by its message only. */
    rp_rc r = rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "Cannot connect to PostgreSQL: %s",
                      d->conn ? PQerrorMessage(d->conn) : "out of memory");
    pg_close(&d->base);
    return r;
  }
  PQsetNoticeProcessor(d->conn, quiet, NULL);
  rp_rc r = pg_exec_script(&d->base,
                           "SET client_min_messages = warning;"
                           "SET synchronous_commit = on;"
                           "SET lock_timeout = '5s';",
                           e);
  for (size_t i = 0; !r && i < sizeof CONTROL / sizeof *CONTROL; i++) {
    PGresult *res = PQprepare(d->conn, CONTROL[i].name, CONTROL[i].sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) r = map_error(d, res, e);
    PQclear(res);
  }
  if (r) {
    pg_close(&d->base);
    return r;
  }
  *out = &d->base;
  return RP_OK;
}

/* Frees the bytea values decoded from the current row. */
static void free_blobs(pg_stmt *s) {
  if (!s->blobs) return;
  for (int c = 0; c < MAX_COLS; c++) {
    PQfreemem(s->blob[c]);
    s->blob[c] = NULL;
  }
  s->blobs = false;
}

static void stmt_reset(pg_stmt *s) {
  PQclear(s->res);
  s->res = NULL;
  s->row = -1;
  s->nrows = 0;
  s->ahead = false;
  free_blobs(s);
}

static void pg_close(db *dd) {
  pg_db *d = PG(dd);
  for (int i = 0; i < DB_CACHE_SLOTS; i++) {
    pg_stmt *s = PS(d->cache.slots[i]);
    if (!s) continue;
    stmt_reset(s);
    for (int n = 1; n <= s->nparams; n++) free(s->vals[n]);
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    free(s);
  }
  for (int i = 0; i < QUEUE_MAX; i++) {
    free(d->queued[i].vals);
    free(d->queued[i].lens);
    free(d->queued[i].fmts);
    free(d->queued[i].bytes);
  }
  PQclear(d->committed);
  PQfinish(d->conn);
  free(d);
}

static pg_stmt *stmt_new(pg_db *d, const char *sql, rp_err *e) {
  settle(d);
  pg_stmt *s = rp_xcalloc(1, sizeof *s);
  s->base.drv = &db_postgres_driver;
  s->base.sql = sql;
  s->owner = d;
  s->row = -1;
  snprintf(s->name, sizeof s->name, "r%u", d->nprepared++);
  PGresult *res = PQprepare(d->conn, s->name, sql, 0, NULL);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (ok) {
    PQclear(res);
    res = PQdescribePrepared(d->conn, s->name);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (ok) s->nparams = PQnparams(res);
  }
  if (!ok) {
    log_error("prepare failed: %s in: %.200s", PQresultErrorMessage(res), sql);
    map_error(d, res, e);
    PQclear(res);
    free(s);
    return NULL;
  }
  PQclear(res);
  assert(s->nparams <= MAX_PARAMS);
  s->vals = rp_xcalloc((size_t)s->nparams + 1, sizeof *s->vals);
  s->lens = rp_xcalloc((size_t)s->nparams + 1, sizeof *s->lens);
  s->fmts = rp_xcalloc((size_t)s->nparams + 1, sizeof *s->fmts);
  return s;
}

static db_stmt *make_stmt(db *d, const char *sql, rp_err *e) {
  pg_stmt *s = stmt_new(PG(d), sql, e);
  return s ? &s->base : NULL;
}

static db_stmt *pg_prep(db *d, const char *sql, rp_err *e) {
  return db_cache_get(&PG(d)->cache, d, sql, make_stmt, e);
}

/* A statement queued by db_send_ahead goes all the same, its answer
 * unread. */
static void unqueue(pg_stmt *s) {
  for (int i = 0; s->queued && i < s->owner->nqueued; i++)
    if (s->owner->queued[i].stmt == s) s->owner->queued[i].keep = false;
  s->queued = false;
}

/* Sets parameter n to len bytes of v (NULL: SQL NULL) in format fmt. A
 * statement run ahead, or queued to be, with another value there runs anew
 * at its step: a result is only ever taken for the bindings it ran with. */
static void bind(pg_stmt *s, int n, const void *v, size_t len, int fmt) {
  assert(n >= 1 && n <= s->nparams && "SQL has no such $n parameter");
  if (s->ahead || s->queued) {
    const char *old = s->vals[n];
    bool same = v ? old && s->lens[n] == (int)len && s->fmts[n] == fmt && memcmp(old, v, len) == 0
                  : !old;
    if (!same) {
      unqueue(s);
      stmt_reset(s);
    }
  }
  free(s->vals[n]);
  s->vals[n] = NULL;
  s->lens[n] = 0;
  s->fmts[n] = fmt;
  if (!v) return;
  s->vals[n] = rp_xmalloc(len + 1);
  memcpy(s->vals[n], v, len);
  s->vals[n][len] = '\0';
  s->lens[n] = (int)len;
}

static void pg_bind_i64(db_stmt *ss, int n, int64_t v) {
  char text[24];
  int len = snprintf(text, sizeof text, "%lld", (long long)v);
  bind(PS(ss), n, text, (size_t)len, 0);
}

static void pg_bind_f64(db_stmt *ss, int n, double v) {
  char text[32];
  int len = snprintf(text, sizeof text, "%.17g", v);
  bind(PS(ss), n, text, (size_t)len, 0);
}

static void pg_bind_null(db_stmt *ss, int n) { bind(PS(ss), n, NULL, 0, 0); }

static void pg_bind_text(db_stmt *ss, int n, const char *v) {
  bind(PS(ss), n, v, v ? strlen(v) : 0, 0);
}

static void pg_bind_blob(db_stmt *ss, int n, const void *v, size_t len) {
  bind(PS(ss), n, v, len, 1); /* NULL binds NULL, as sqlite3_bind_blob does */
}

static void keep_result(pg_stmt *s, PGresult *r) {
  s->res = r;
  s->ahead = true;
  s->finished = false;
}

/* Sends the queue, then the statements ss[0..n) with their own bindings,
 * then a sync, in one pipeline, and reads every answer: each of ss keeps
 * its result for its next step (as db_run_ahead's), and so does a queued
 * statement of db_send_ahead. A failed BEGIN, lock or queued write is the
 * first of ss's answer in place of its own (the server skipped the rest,
 * whose answers say so); with no ss it is returned in *fail (else NULL).
 * False when the pipeline could not be sent. */
static bool pipeline(pg_db *d, pg_stmt **ss, size_t n, bool then_commit, PGresult **failed) {
  *failed = NULL;
  if (!d->owed && !PQenterPipelineMode(d->conn)) return false;
  size_t nq = (size_t)d->nqueued;
  bool sent = true;
  for (size_t i = 0; i < nq; i++) sent = sent && send_one_queued(d, (int)i);
  for (size_t i = 0; i < n && sent; i++) {
    pg_stmt *s = ss[i];
    stmt_reset(s);
    sent = PQsendQueryPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals + 1,
                               s->lens + 1, s->fmts + 1, 0) != 0;
  }
  size_t nc = then_commit && sent ? 1 : 0; /* the COMMIT, when it went */
  if (nc) sent = PQsendQueryPrepared(d->conn, END_WRITE, 0, NULL, NULL, NULL, 0) != 0;
  sent = sent && PQpipelineSync(d->conn);
  read_owed(d); /* an earlier ROLLBACK's answer comes first */
  PGresult *fail = NULL;
  for (size_t i = 0; i < nq + n + nc + 1; i++) { /* queued, statements, COMMIT, sync */
    PGresult *r = next_result(d);
    if (!r) break;
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (i < nq) {
      struct pg_queued *q = &d->queued[i];
      if (q->stmt && q->keep) {
        keep_result(q->stmt, r);
        if (d->nkept < QUEUE_MAX) d->kept[d->nkept++] = q->stmt;
      } else if (!ok && !fail) {
        fail = r;
      } else {
        PQclear(r);
      }
    } else if (i < nq + n) {
      if (fail && i == nq) { /* the first statement answers for the queue */
        PQclear(r);
        r = fail;
        fail = NULL;
      }
      keep_result(ss[i - nq], r);
    } else if (i < nq + n + nc) {
      PQclear(d->committed);
      d->committed = r;
    } else {
      PQclear(r);
    }
  }
  queue_clear(d);
  (void)PQexitPipelineMode(d->conn);
  if (!sent) log_error("postgres: %s", PQerrorMessage(d->conn));
  *failed = fail;
  return sent;
}

/* Runs s with vals, together with the queue when there is one, in one
 * round trip. A failed BEGIN (or lock, or queued write) is the answer in
 * place of the statement's, which the server then skipped. */
static PGresult *send_prepared(pg_db *d, pg_stmt *s, const char *const *vals) {
  if (!d->nqueued && !d->owed)
    return PQexecPrepared(d->conn, s->name, s->nparams, vals, s->lens + 1, s->fmts + 1, 0);
  PGresult *fail;
  (void)pipeline(d, &s, 1, false, &fail);
  PGresult *res = s->res;
  s->res = NULL;
  s->ahead = false;
  return res;
}

/* send_prepared; the first statement of a db_begin_read_one read alone,
 * queueing the BEGIN of those after it. */
static PGresult *exec_prepared(pg_db *d, pg_stmt *s, const char *const *vals) {
  bool lead = d->lead;
  d->lead = false;
  PGresult *res = send_prepared(d, s, vals);
  if (lead) queue(d, BEGIN_READ, 0);
  return res;
}

/* Like sqlite3_step: the first step runs the statement with its bindings,
 * later ones move through its rows; a step after the last row (or after an
 * error) runs it again, as SQLite's automatic reset does. */
static int pg_step(db_stmt *ss, rp_err *e) {
  pg_stmt *s = PS(ss);
  if (s->res && s->finished) stmt_reset(s);
  if (s->queued) { /* db_send_ahead: the queue goes now, with it */
    PGresult *fail;
    (void)pipeline(s->owner, NULL, 0, false, &fail);
    if (fail) { /* what went before it failed: that is its answer */
      PQclear(s->res);
      keep_result(s, fail);
    }
  }
  if (!s->res || s->ahead) {
    s->finished = false;
    if (!s->ahead) s->res = exec_prepared(s->owner, s, (const char *const *)s->vals + 1);
    s->ahead = false;
    ExecStatusType st = PQresultStatus(s->res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      map_error(s->owner, s->res, e);
      s->finished = true;
      return -1;
    }
    if (strncmp(PQcmdStatus(s->res), "SELECT", 6) != 0) s->owner->wrote = true;
    const char *changed = PQcmdTuples(s->res);
    s->owner->changes = *changed ? strtoll(changed, NULL, 10) : 0;
    s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
    s->row = -1;
  }
  free_blobs(s);
  if (s->row + 1 >= s->nrows) {
    s->row = s->nrows;
    s->finished = true;
    return 0;
  }
  s->row++;
  return 1;
}

/* Sends every statement (after the queued BEGIN, when there is one) in one
 * pipeline and keeps each one's result for its first step. A failed BEGIN
 * or lock is the first statement's answer (the server skipped the rest,
 * whose answers say so); one failed statement aborts those after it. When
 * the pipeline cannot be sent, nothing is kept: each runs at its step. */
static void run_ahead(db_stmt **ss, size_t n, bool then_commit) {
  pg_db *d = PS(ss[0])->owner;
  if (d->lead) { /* a read of one statement that turned out longer: a transaction from here */
    d->lead = false;
    queue_clear(d);
    queue(d, BEGIN_READ, 0);
  }
  PGresult *fail;
  (void)pipeline(d, (pg_stmt **)ss, n, then_commit, &fail); /* db_stmt: each pg_stmt's first */
}

static void pg_run_ahead(db_stmt **ss, size_t n) { run_ahead(ss, n, false); }

/* pg_run_ahead with the transaction's COMMIT after the statements, in the
 * same pipeline: the next commit answers with its outcome (a statement
 * that failed made the server skip it, and the transaction is left in
 * error for pg_rollback). Only for a transaction whose commit need not
 * wait in pg_sync: the COMMIT is the session's, synchronous_commit as
 * db_set_durable left it. */
static void pg_run_ahead_commit(db_stmt **ss, size_t n) { run_ahead(ss, n, true); }

/* The statement goes to the server with the next one sent, its result kept
 * for its first step; nothing is sent now. */
static void enqueue(pg_stmt *s, bool keep) {
  pg_db *d = s->owner;
  struct pg_queued *q = &d->queued[d->nqueued++];
  q->name = s->name;
  q->param[0] = '\0';
  q->stmt = s;
  q->keep = keep;
  q->nparams = s->nparams;
  if (s->nparams > q->cap) {
    q->cap = s->nparams;
    q->vals = rp_xrealloc(q->vals, (size_t)q->cap * sizeof *q->vals);
    q->lens = rp_xrealloc(q->lens, (size_t)q->cap * sizeof *q->lens);
    q->fmts = rp_xrealloc(q->fmts, (size_t)q->cap * sizeof *q->fmts);
  }
  size_t need = 0;
  for (int n = 1; n <= s->nparams; n++)
    if (s->vals[n]) need += (size_t)s->lens[n] + 1; /* with the terminating NUL */
  if (need > q->nbytes) {
    q->nbytes = need;
    q->bytes = rp_xrealloc(q->bytes, need);
  }
  char *at = q->bytes;
  for (int n = 0; n < s->nparams; n++) {
    q->lens[n] = s->lens[n + 1];
    q->fmts[n] = s->fmts[n + 1];
    q->vals[n] = NULL;
    if (s->vals[n + 1]) {
      memcpy(at, s->vals[n + 1], (size_t)s->lens[n + 1] + 1);
      q->vals[n] = at;
      at += s->lens[n + 1] + 1;
    }
  }
  stmt_reset(s);
  s->queued = keep;
}

static void pg_send_ahead(db_stmt *ss) {
  pg_stmt *s = PS(ss);
  pg_db *d = s->owner;
  if (s->queued || d->lead || d->nqueued == QUEUE_MAX) return; /* it runs at its step */
  enqueue(s, true);
}

static rp_rc send_queued(pg_db *d, rp_err *e);
static bool pg_in_tx(db *d);

/* 1 when s was queued; 0 when there is nothing for it to go with (the
 * caller runs it now); -1 when sending the full queue failed. */
static int pg_exec_later(db_stmt *ss, rp_err *e) {
  pg_stmt *s = PS(ss);
  pg_db *d = s->owner;
  if (d->lead || !pg_in_tx(&d->base)) return 0;
  if (d->nqueued == QUEUE_MAX && send_queued(d, e)) return -1;
  enqueue(s, false);
  d->wrote = true;
  for (int n = 1; n <= s->nparams; n++) {
    free(s->vals[n]);
    s->vals[n] = NULL;
  }
  return 1;
}

static void pg_done(db_stmt *ss) {
  pg_stmt *s = PS(ss);
  unqueue(s); /* still to be sent: its answer will go unread */
  stmt_reset(s);
  for (int n = 1; n <= s->nparams; n++) bind(s, n, NULL, 0, 0);
}

static bool pg_col_null(db_stmt *ss, int col) {
  pg_stmt *s = PS(ss);
  return PQgetisnull(s->res, s->row, col) != 0;
}

static const char *pg_col_text(db_stmt *ss, int col) {
  pg_stmt *s = PS(ss);
  return PQgetisnull(s->res, s->row, col) ? NULL : PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_i64(db_stmt *ss, int col) {
  const char *v = pg_col_text(ss, col);
  if (!v) return 0;
  /* The common case, a plain integer, without strtoll's generality. */
  const char *p = v + (*v == '-');
  uint64_t x = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9' && digits < 18) {
    x = x * 10 + (uint64_t)(*p++ - '0');
    digits++;
  }
  if (!*p && digits) return *v == '-' ? -(int64_t)x : (int64_t)x;
  if (v[0] == 't' && !v[1]) return 1; /* a boolean */
  if (v[0] == 'f' && !v[1]) return 0;
  if (strpbrk(v, ".eE")) return (int64_t)strtod(v, NULL); /* numeric, as SQLite casts */
  return strtoll(v, NULL, 10);
}

static double pg_col_f64(db_stmt *ss, int col) {
  const char *v = pg_col_text(ss, col);
  return v ? strtod(v, NULL) : 0.0;
}

static const void *pg_col_blob(db_stmt *ss, int col) {
  pg_stmt *s = PS(ss);
  assert(col >= 0 && col < MAX_COLS);
  if (PQgetisnull(s->res, s->row, col)) return NULL;
  if (!s->blob[col]) {
    size_t len = 0;
    s->blob[col] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &len);
    if (!s->blob[col]) {
      fputs("rapport: out of memory\n", stderr); /* the policy of rp_xmalloc (base/err.h) */
      abort();
    }
    s->blob_len[col] = len;
    s->blobs = true;
  }
  return s->blob[col];
}

static size_t pg_col_len(db_stmt *ss, int col) {
  pg_stmt *s = PS(ss);
  if (PQgetisnull(s->res, s->row, col)) return 0;
  if (PQftype(s->res, col) == 17 /* bytea */) {
    pg_col_blob(ss, col);
    return s->blob_len[col];
  }
  return (size_t)PQgetlength(s->res, s->row, col);
}

/* Sends the queue on its own, before something that cannot go in a
 * pipeline with it. */
static rp_rc send_queued(pg_db *d, rp_err *e) {
  settle(d);
  if (d->lead) { /* the read has to be a transaction from its start */
    d->lead = false;
    queue_clear(d);
    queue(d, BEGIN_READ, 0);
  }
  if (!d->nqueued) return RP_OK;
  PGresult *fail;
  bool sent = pipeline(d, NULL, 0, false, &fail);
  rp_rc rc = fail ? map_error(d, fail, e) : sent ? RP_OK : map_error(d, NULL, e);
  PQclear(fail);
  return rc;
}

static bool pg_in_tx(db *d);

static rp_rc pg_exec_script(db *dd, const char *sql, rp_err *e) {
  pg_db *d = PG(dd);
  rp_rc queued = send_queued(d, e);
  if (queued) return queued;
  if (pg_in_tx(dd)) d->wrote = true; /* a script may change anything */
  PGresult *res = PQexec(d->conn, sql);
  ExecStatusType st = PQresultStatus(res);
  rp_rc rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? RP_OK : map_error(d, res, e);
  PQclear(res);
  return rc;
}

static rp_rc control(db *d, const char *sql, rp_err *e) { return pg_exec_script(d, sql, e); }

static void queue(pg_db *d, const char *name, int64_t param) {
  assert(d->nqueued < QUEUE_MAX);
  d->queued[d->nqueued].stmt = NULL;
  d->queued[d->nqueued].name = name;
  d->queued[d->nqueued].param[0] = '\0';
  if (param)
    snprintf(d->queued[d->nqueued].param, sizeof d->queued[0].param, "%lld", (long long)param);
  d->nqueued++;
}

static void queue_begin(pg_db *d, const char *begin, const char *lock) {
  settle(d);
  d->lead = false;
  queue_clear(d);
  forget_kept(d);
  queue(d, begin, 0);
  if (lock) queue(d, lock, 0);
  d->wrote = false;
}

static rp_rc pg_begin_write(db *d, rp_err *e) {
  (void)e;
  queue_begin(PG(d), BEGIN_WRITE, TAKE_WRITE_LOCK);
  PG(d)->wrote = true; /* its COMMIT is always awaited */
  return RP_OK;
}

static rp_rc pg_begin_read(db *d, rp_err *e) {
  (void)e;
  queue_begin(PG(d), BEGIN_READ, NULL);
  return RP_OK;
}

/* Nothing is sent, and nothing waited for: an earlier read's ROLLBACK is
 * read back in the pipeline of the first statement (send_prepared). */
static rp_rc pg_begin_read_one(db *dd, rp_err *e) {
  (void)e;
  pg_db *d = PG(dd);
  queue_clear(d);
  forget_kept(d);
  d->lead = true;
  d->wrote = false;
  return RP_OK;
}

/* The write of one relationship: the writers' lock shared, then the
 * relationship's own, both queued to go with the first statement. */
static rp_rc pg_begin_write_rel(db *dd, int64_t rel_id, rp_err *e) {
  (void)e;
  pg_db *d = PG(dd);
  queue_begin(d, BEGIN_WRITE, TAKE_WRITE_LOCK_SHARED);
  queue(d, TAKE_REL_LOCK, rel_id);
  d->wrote = true; /* its COMMIT is always awaited */
  return RP_OK;
}

/* The statement that locks the relationship of an item: rel_sql's row and
 * its lock, "SELECT x.rel, pg_advisory_xact_lock(...) FROM (rel_sql) AS
 * x(rel)", written once per rel_sql for the process (statements are kept
 * by the address of their text). NULL when the table is full. */
static const char *item_lock_sql(const char *rel_sql) {
  static struct {
    const char *from;
    char *sql;
  } memo[32];
  static int n;
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  const char *out = NULL;
  pthread_mutex_lock(&mu);
  for (int i = 0; i < n && !out; i++)
    if (memo[i].from == rel_sql) out = memo[i].sql;
  if (!out && n < (int)(sizeof memo / sizeof *memo)) {
    static const char head[] = "SELECT x.rel, pg_advisory_xact_lock(" REL_LOCK_SPACE
                               ", (x.rel % 2147483647)::int) FROM (";
    static const char tail[] = ") AS x(rel)";
    size_t len = strlen(head) + strlen(rel_sql) + strlen(tail) + 1;
    char *sql = rp_xmalloc(len);
    snprintf(sql, len, "%s%s%s", head, rel_sql, tail);
    memo[n].from = rel_sql;
    memo[n++].sql = sql;
    out = sql;
  }
  pthread_mutex_unlock(&mu);
  return out;
}

/* The write of an item's relationship: the writers' lock shared, then
 * the relationship's, taken over rel_sql, queued to go with the first
 * statement; the lock's answer (the relationship locked) is kept for
 * db_item_rel. */
static rp_rc pg_begin_write_item(db *dd, const char *rel_sql, int64_t id, rp_err *e) {
  pg_db *d = PG(dd);
  const char *sql = item_lock_sql(rel_sql);
  if (!sql) return rp_fail(e, RP_ERR_INTERNAL, "storage_error", "Too many kinds of item lock.");
  pg_stmt *s = PS(db_cache_get(&d->cache, dd, sql, make_stmt, e));
  if (!s) return e ? e->rc : RP_ERR_INTERNAL;
  queue_begin(d, BEGIN_WRITE, TAKE_WRITE_LOCK_SHARED);
  d->wrote = true; /* its COMMIT is always awaited */
  pg_bind_i64(&s->base, 1, id);
  enqueue(s, true);
  d->item_lock = s;
  return RP_OK;
}

static int pg_item_rel(db *dd, int64_t *rel_id, rp_err *e) {
  pg_db *d = PG(dd);
  pg_stmt *s = d->item_lock;
  if (!s) return 0;
  d->item_lock = NULL;
  int r = pg_step(&s->base, e);
  *rel_id = r == 1 ? pg_col_i64(&s->base, 0) : 0;
  pg_done(&s->base);
  return r < 0 ? -1 : 1;
}

/* The access log's lock: queued with the BEGIN when no statement ran yet
 * (a read's BEGIN becomes a writer's, to read the last committed head),
 * else taken at once, in the transaction's own snapshot (a read that
 * appends to the log at its end, without the log writer: a head that
 * moved meanwhile makes its append fail on the log's key, never forks the
 * chain). */
static rp_rc pg_lock_log(db *dd, rp_err *e) {
  pg_db *d = PG(dd);
  if (d->lead) queue_begin(d, BEGIN_WRITE, NULL); /* no statement ran yet */
  if (begin_queued(d)) d->queued[0].name = BEGIN_WRITE; /* a reader becomes a writer */
  if (d->nqueued && d->nqueued < QUEUE_MAX) {
    if (strcmp(d->queued[d->nqueued - 1].name, TAKE_LOG_LOCK) != 0) queue(d, TAKE_LOG_LOCK, 0);
    d->wrote = true;
    return RP_OK;
  }
  rp_rc rc = send_queued(d, e);
  if (rc) return rc;
  d->wrote = true;
  PGresult *res = PQexecPrepared(d->conn, TAKE_LOG_LOCK, 0, NULL, NULL, NULL, 0);
  rc = PQresultStatus(res) == PGRES_TUPLES_OK ? RP_OK : map_error(d, res, e);
  PQclear(res);
  return rc;
}

/* The advisory locks of relationships (REL_LOCK_SPACE), taken in id order. */
#define REL_LOCKS                                                                                  \
  "SELECT count(pg_advisory_xact_lock(" REL_LOCK_SPACE ", (id % 2147483647)::int))"              \
  " FROM (SELECT id FROM relationships WHERE id BETWEEN $1 AND $2 ORDER BY id) AS r"

static rp_rc pg_begin_rebuild(db *dd, int64_t lo, int64_t hi, rp_err *e) {
  pg_db *d = PG(dd);
  queue_begin(d, BEGIN_WRITE, TAKE_WRITE_LOCK_SHARED);
  d->wrote = true; /* its COMMIT is always awaited */
  rp_rc rc = send_queued(d, e);
  if (rc) return rc;
  char a[24], b[24];
  snprintf(a, sizeof a, "%lld", (long long)lo);
  snprintf(b, sizeof b, "%lld", (long long)hi);
  const char *vals[2] = {a, b};
  PGresult *res = PQexecParams(d->conn, REL_LOCKS, 2, NULL, vals, NULL, NULL, 0);
  rc = PQresultStatus(res) == PGRES_TUPLES_OK ? RP_OK : map_error(d, res, e);
  PQclear(res);
  return rc;
}

static bool pg_in_tx(db *dd) {
  pg_db *d = PG(dd);
  if (d->nqueued || d->lead) return true;
  if (d->owed) return false; /* only the end of the last transaction is under way */
  return PQtransactionStatus(d->conn) != PQTRANS_IDLE;
}

/* Ends a read transaction that changed nothing without waiting for the
 * answer (settle reads it). */
static bool end_read_early(pg_db *d) {
  if (d->wrote || d->owed || PQtransactionStatus(d->conn) != PQTRANS_INTRANS) return false;
  if (!PQenterPipelineMode(d->conn)) return false;
  if (!PQsendQueryPrepared(d->conn, END_READ, 0, NULL, NULL, NULL, 0) ||
      !PQpipelineSync(d->conn)) {
    d->owed = true; /* whatever was sent is read back before the next use */
    settle(d);
    return false;
  }
  d->owed = true;
  return true;
}

static void pg_rollback(db *dd) {
  pg_db *d = PG(dd);
  PQclear(d->committed); /* skipped, or failed: the transaction ended, or is in error */
  d->committed = NULL;
  forget_kept(d);
  if (begin_queued(d) || d->lead) { /* nothing of it is open on the server */
    queue_clear(d);
    d->lead = false;
    return;
  }
  queue_clear(d); /* writes not sent yet go with the transaction */
  if (!pg_in_tx(dd) || end_read_early(d)) return;
  (void)control(dd, "ROLLBACK", NULL);
}

/* Commits; with `unsynced` (and a durable session) without waiting for
 * the disk: SET LOCAL synchronous_commit = off for this commit only, and
 * pg_sync waits for it. */
static rp_rc commit(db *dd, bool unsynced, rp_err *e) {
  pg_db *d = PG(dd);
  forget_kept(d);
  if (d->committed) { /* pg_run_ahead_commit sent it: its answer is here */
    PGresult *res = d->committed;
    d->committed = NULL;
    queue_clear(d);
    rp_rc rc = PQresultStatus(res) == PGRES_COMMAND_OK ? RP_OK : map_error(d, res, e);
    PQclear(res);
    if (rc) pg_rollback(dd);
    return rc;
  }
  if (d->lead || (begin_queued(d) && !writes_queued(d))) { /* nothing of it reached the server */
    queue_clear(d);
    d->lead = false;
    return RP_OK;
  }
  for (int i = 0; i < d->nqueued; i++) /* reads sent ahead and never stepped: no need */
    if (d->queued[i].stmt && d->queued[i].keep) pg_done(&d->queued[i].stmt->base);
  settle(d);
  /* COMMIT of a failed transaction answers ROLLBACK without an error. */
  bool failed = !begin_queued(d) && PQtransactionStatus(d->conn) == PQTRANS_INERROR;
  if (!failed && !d->nqueued && end_read_early(d)) return RP_OK; /* nothing to commit */
  bool lazy = unsynced && !d->relaxed;
  rp_rc rc = RP_OK;
  if (failed) {
    rc = rp_fail(e, RP_ERR_INTERNAL, "storage_error", "The database failed unexpectedly.");
  } else { /* the writes still queued, then the commit, in one pipeline */
    if (d->nqueued + 2 > QUEUE_MAX) rc = send_queued(d, e);
    if (!rc && lazy) queue(d, COMMIT_LAZY, 0);
    if (!rc) queue(d, END_WRITE, 0);
    if (!rc) rc = send_queued(d, e);
  }
  if (rc) pg_rollback(dd);
  else if (lazy) d->unsynced = true;
  return rc;
}

static rp_rc pg_commit(db *dd, rp_err *e) { return commit(dd, false, e); }
static rp_rc pg_commit_unsynced(db *dd, rp_err *e) { return commit(dd, true, e); }

/* A commit that waits for the disk flushes the log up to its own record,
 * so everything this connection committed before it too; it must write a
 * record for that (a transaction that changed nothing does not wait), and a
 * transactional logical-decoding message is the smallest that does, at
 * any wal_level, touching no table. */
static rp_rc pg_sync(db *dd, rp_err *e) {
  pg_db *d = PG(dd);
  if (!d->unsynced) return RP_OK;
  d->unsynced = false;
  return pg_exec_script(dd, "BEGIN; SELECT pg_logical_emit_message(true, 'rapport', ''); COMMIT",
                        e);
}

static int64_t pg_changes(db *d) { return PG(d)->changes; }

static rp_rc pg_backup(db *d, const char *schema, const char *path, rp_err *e) {
  (void)d;
  (void)schema;
  (void)path;
  return rp_fail(e, RP_ERR_INVALID, "backup_postgres",
                 "A PostgreSQL database is backed up with pg_dump (rapport db backup).");
}

/* The access log is the schema "audit" of the same database (migration
 * 0010), so there is nothing to attach. */
static rp_rc pg_attach(db *d, const char *path, rp_err *e) {
  (void)d;
  (void)path;
  (void)e;
  return RP_OK;
}

/* PostgreSQL checkpoints itself. */
static rp_rc pg_checkpoint_passive(db *d, const char *schema, rp_err *e) {
  (void)d;
  (void)schema;
  (void)e;
  return RP_OK;
}

static bool pg_connected(db *dd) {
  pg_db *d = (pg_db *)dd;
  return d->conn && PQstatus(d->conn) == CONNECTION_OK;
}

static rp_rc pg_checkpoint_truncate(db *d, rp_err *e) {
  (void)d;
  (void)e;
  return RP_OK;
}

static rp_rc pg_set_max_pages(db *d, int64_t pages, rp_err *e) {
  (void)d;
  if (!pages) return RP_OK;
  return rp_fail(e, RP_ERR_INVALID, "not_supported",
                 "A size cap in pages is SQLite's; PostgreSQL's disk is the operator's.");
}

static rp_rc pg_set_durable(db *d, bool durable, rp_err *e) {
  PG(d)->relaxed = !durable; /* nothing for pg_sync to wait for then */
  return control(d, durable ? "SET synchronous_commit = on" : "SET synchronous_commit = off", e);
}

/* Channels are Rapport's own names (letters and _), never outside input. */
static rp_rc pg_notify(db *d, const char *channel, rp_err *e) {
  char sql[96];
  snprintf(sql, sizeof sql, "NOTIFY %s", channel);
  return control(d, sql, e);
}

static rp_rc pg_listen(db *d, const char *channel, rp_err *e) {
  char sql[96];
  snprintf(sql, sizeof sql, "LISTEN %s", channel);
  return control(d, sql, e);
}

static int pg_wait(db *dd, int timeout_ms, rp_err *e) {
  pg_db *d = PG(dd);
  settle(d);
  int n = 0;
  for (int round = 0; round < 2; round++) {
    if (!PQconsumeInput(d->conn)) {
      map_error(d, NULL, e);
      return -1;
    }
    PGnotify *note;
    while ((note = PQnotifies(d->conn)) != NULL) {
      n++;
      PQfreemem(note);
    }
    if (n || round) return n;
    struct pollfd pfd = {.fd = PQsocket(d->conn), .events = POLLIN};
    if (pfd.fd < 0) {
      map_error(d, NULL, e);
      return -1;
    }
    if (poll(&pfd, 1, timeout_ms) <= 0) return 0; /* a time-out (or a signal) */
  }
  return n;
}

const db_driver db_postgres_driver = {
    .kind = DB_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .prep = pg_prep,
    .bind_i64 = pg_bind_i64,
    .bind_f64 = pg_bind_f64,
    .bind_null = pg_bind_null,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .done = pg_done,
    .run_ahead = pg_run_ahead,
    .run_ahead_commit = pg_run_ahead_commit,
    .send_ahead = pg_send_ahead,
    .exec_later = pg_exec_later,
    .col_null = pg_col_null,
    .col_i64 = pg_col_i64,
    .col_f64 = pg_col_f64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_len = pg_col_len,
    .exec_script = pg_exec_script,
    .begin_write = pg_begin_write,
    .begin_read = pg_begin_read,
    .begin_read_one = pg_begin_read_one,
    .begin_rebuild = pg_begin_rebuild,
    .begin_write_rel = pg_begin_write_rel,
    .begin_write_item = pg_begin_write_item,
    .item_rel = pg_item_rel,
    .lock_log = pg_lock_log,
    .commit = pg_commit,
    .commit_unsynced = pg_commit_unsynced,
    .sync = pg_sync,
    .rollback = pg_rollback,
    .in_tx = pg_in_tx,
    .changes = pg_changes,
    .backup = pg_backup,
    .attach = pg_attach,
    .checkpoint_passive = pg_checkpoint_passive,
    .checkpoint_truncate = pg_checkpoint_truncate,
    .set_max_pages = pg_set_max_pages,
    .set_durable = pg_set_durable,
    .notify = pg_notify,
    .listen = pg_listen,
    .wait = pg_wait,
    .connected = pg_connected,
    .size_sql = "SELECT pg_database_size(current_database())",
};
