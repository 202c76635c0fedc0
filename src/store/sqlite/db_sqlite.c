/* db_sqlite.c: the SQLite implementation of db.h.
 *
 * Settings (DESIGN.md): WAL, synchronous=FULL, foreign_keys=ON,
 * busy_timeout=5000, secure_delete=ON. The access log's own file is
 * attached as "audit" (db_attach) with the same settings but
 * synchronous=NORMAL. One connection per server thread;
 * the connection keeps its prepared statements in a small open-addressing
 * table keyed by the SQL text's address. "$n" parameters are bound through
 * sqlite3_bind_parameter_index, so their order in the text does not matter.
 */
#include "store/db_driver.h"
#include "base/log.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#define MAX_PARAMS 4096 /* multi-row writes (store/recompute.c) bind hundreds */

typedef struct sq_db sq_db;

typedef struct sq_stmt {
  db_stmt base;
  sqlite3_stmt *st;
  sq_db *owner;
  int *param_index; /* [nparam + 1]: $n -> SQLite's index (0: none) */
  int nparam;       /* the largest n of a $n in the SQL */
} sq_stmt;

struct sq_db {
  db base;
  sqlite3 *h;
  db_stmt_cache cache;
};

/* The SQLite handle and statement behind db.h's (db_driver.h). */
static sq_db *SQ(db *d) { return (sq_db *)(void *)d; }
static sq_stmt *SS(db_stmt *s) { return (sq_stmt *)(void *)s; }

static rp_rc map_error(sq_db *d, int rc, rp_err *e) {
  const char *msg = d && d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
  case SQLITE_FULL:
    return rp_fail(e, RP_ERR_FULL, "storage_full", "The database is out of space.");
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return rp_fail(e, RP_ERR_UNAVAILABLE, "busy", "The database is busy; try again.");
  case SQLITE_CONSTRAINT:
    return rp_fail(e, RP_ERR_CONFLICT, "constraint", "The change conflicts with stored data.");
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    log_error("sqlite: %s", msg);
    return rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "The database could not be used.");
  default:
    log_error("sqlite: %s (%d)", msg, rc);
    return rp_fail(e, RP_ERR_INTERNAL, "storage_error", "The database failed unexpectedly.");
  }
}

/* WAL pages after which a commit checkpoints: SQLite's default for the
 * main database. The audit database's commits (the access log's) hold the
 * write lock while every read of text waits for them, so a checkpoint
 * there, with its two fsyncs, would stall those reads for as long as the
 * disk takes (20 ms and more on this machine): the server checkpoints it
 * from its job thread instead (store_checkpoint_audit, which reads the WAL
 * size the commits report here), and a commit does so itself only past
 * CKPT_AUDIT_PAGES, a backstop for processes without that thread. This
 * hook replaces SQLite's own autocheckpoint hook, which has one threshold
 * for every attached file. */
#define CKPT_MAIN_PAGES 1000
#define CKPT_AUDIT_PAGES 50000

static _Atomic int g_audit_wal_pages; /* the audit WAL's size at this process's last commit */

static int wal_hook(void *arg, sqlite3 *h, const char *schema, int pages) {
  (void)arg;
  bool audit = strcmp(schema, "audit") == 0;
  if (audit) atomic_store(&g_audit_wal_pages, pages);
  if (pages >= (audit ? CKPT_AUDIT_PAGES : CKPT_MAIN_PAGES))
    (void)sqlite3_wal_checkpoint_v2(h, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  return SQLITE_OK;
}

int db_audit_wal_pages(void) { return atomic_load(&g_audit_wal_pages); }

static rp_rc sq_checkpoint_passive(db *dd, const char *schema, rp_err *e) {
  sq_db *d = SQ(dd);
  int rc = sqlite3_wal_checkpoint_v2(d->h, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  return rc == SQLITE_OK ? RP_OK : map_error(d, rc, e);
}

/* SQLite's memory statistics take one process-wide mutex on every
 * allocation and free, so the server threads' connections contended for it
 * on every statement (a futex call every other request). Nothing here reads
 * them (sqlite3_memory_used, heap limits), so they are off. sqlite3_config
 * works only before SQLite initializes itself, that is before the first
 * open; a failure leaves them on, which costs time only. */
static pthread_once_t g_config_once = PTHREAD_ONCE_INIT;

static void configure_sqlite(void) { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static void sq_close(db *dd);
static rp_rc sq_exec_script(db *dd, const char *sql, rp_err *e);

static rp_rc sq_open(const char *path, db **out, rp_err *e) {
  pthread_once(&g_config_once, configure_sqlite);
  sq_db *d = rp_xcalloc(1, sizeof *d);
  d->base.drv = &db_sqlite_driver;
  int rc = sqlite3_open_v2(path, &d->h,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    rp_rc r = rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "Cannot open %s: %s", path,
                      d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
    sq_close(&d->base);
    return r;
  }
  sqlite3_extended_result_codes(d->h, 1);
  sqlite3_busy_timeout(d->h, 5000);
  rp_rc r = sq_exec_script(&d->base,
                           "PRAGMA journal_mode=WAL;"
                           "PRAGMA synchronous=FULL;"
                           "PRAGMA foreign_keys=ON;"
                           "PRAGMA secure_delete=ON;",
                           e);
  if (r) {
    sq_close(&d->base);
    return r;
  }
  sqlite3_wal_hook(d->h, wal_hook, NULL);
  *out = &d->base;
  return RP_OK;
}

/* Durability of the audit database: NORMAL (app/privacy/audit.c says why); the
 * bench's comparison build waits for the disk on every log commit. */
#ifdef RAPPORT_ACCESS_FULL_SYNC
#define AUDIT_SYNC "PRAGMA audit.synchronous=FULL;"
#else
#define AUDIT_SYNC "PRAGMA audit.synchronous=NORMAL;"
#endif

static rp_rc sq_attach(db *dd, const char *path, rp_err *e) {
  sq_db *d = SQ(dd);
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(d->h, "ATTACH DATABASE ?1 AS audit", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "Cannot open %s: %s", path,
                   sqlite3_errmsg(d->h));
  return sq_exec_script(dd,
                        "PRAGMA audit.journal_mode=WAL;" AUDIT_SYNC
                        "PRAGMA audit.secure_delete=ON;",
                        e);
}

static void sq_close(db *dd) {
  sq_db *d = SQ(dd);
  for (int i = 0; i < DB_CACHE_SLOTS; i++) {
    sq_stmt *s = SS(d->cache.slots[i]);
    if (s) {
      sqlite3_finalize(s->st);
      free(s->param_index);
      free(s);
    }
  }
  sqlite3_close(d->h);
  free(d);
}

/* n of a parameter named "$n" (the only kind store/ writes), else 0. */
static int param_number(const char *name) {
  if (!name || name[0] != '$') return 0;
  int n = 0;
  for (const char *p = name + 1; *p >= '0' && *p <= '9' && n <= MAX_PARAMS; p++)
    n = n * 10 + (*p - '0');
  return n <= MAX_PARAMS ? n : 0;
}

static sq_stmt *stmt_new(sq_db *d, const char *sql, rp_err *e) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) {
    log_error("prepare failed: %s in: %.120s", sqlite3_errmsg(d->h), sql);
    map_error(d, rc, e);
    return NULL;
  }
  sq_stmt *s = rp_xcalloc(1, sizeof *s);
  s->base.drv = &db_sqlite_driver;
  s->base.sql = sql;
  s->st = st;
  s->owner = d;
  int count = sqlite3_bind_parameter_count(st);
  for (int i = 1; i <= count; i++) {
    int n = param_number(sqlite3_bind_parameter_name(st, i));
    if (n > s->nparam) s->nparam = n;
  }
  assert(s->nparam <= MAX_PARAMS);
  s->param_index = rp_xcalloc((size_t)s->nparam + 1, sizeof *s->param_index);
  for (int i = 1; i <= count; i++) {
    int n = param_number(sqlite3_bind_parameter_name(st, i));
    if (n >= 1) s->param_index[n] = i;
  }
  return s;
}

static db_stmt *make_stmt(db *d, const char *sql, rp_err *e) {
  sq_stmt *s = stmt_new(SQ(d), sql, e);
  return s ? &s->base : NULL;
}

static db_stmt *sq_prep(db *d, const char *sql, rp_err *e) {
  return db_cache_get(&SQ(d)->cache, d, sql, make_stmt, e);
}

static int idx(sq_stmt *s, int n) {
  assert(n >= 1 && n <= s->nparam && "SQL has no such $n parameter");
  int i = s->param_index[n];
  assert(i > 0 && "SQL has no such $n parameter");
  return i;
}

static void sq_bind_i64(db_stmt *ss, int n, int64_t v) {
  sq_stmt *s = SS(ss);
  sqlite3_bind_int64(s->st, idx(s, n), v);
}

static void sq_bind_f64(db_stmt *ss, int n, double v) {
  sq_stmt *s = SS(ss);
  sqlite3_bind_double(s->st, idx(s, n), v);
}

static void sq_bind_null(db_stmt *ss, int n) {
  sq_stmt *s = SS(ss);
  sqlite3_bind_null(s->st, idx(s, n));
}

static void sq_bind_text(db_stmt *ss, int n, const char *v) {
  sq_stmt *s = SS(ss);
  if (v) sqlite3_bind_text(s->st, idx(s, n), v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(s->st, idx(s, n));
}

static void sq_bind_blob(db_stmt *ss, int n, const void *v, size_t len) {
  sq_stmt *s = SS(ss);
  sqlite3_bind_blob64(s->st, idx(s, n), v, len, SQLITE_TRANSIENT);
}

static int sq_step(db_stmt *ss, rp_err *e) {
  sq_stmt *s = SS(ss);
  int rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  map_error(s->owner, rc, e);
  return -1;
}

static void sq_done(db_stmt *ss) {
  sq_stmt *s = SS(ss);
  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
}

static bool sq_col_null(db_stmt *s, int col) {
  return sqlite3_column_type(SS(s)->st, col) == SQLITE_NULL;
}
static int64_t sq_col_i64(db_stmt *s, int col) { return sqlite3_column_int64(SS(s)->st, col); }
static double sq_col_f64(db_stmt *s, int col) { return sqlite3_column_double(SS(s)->st, col); }
static const char *sq_col_text(db_stmt *s, int col) {
  return (const char *)sqlite3_column_text(SS(s)->st, col);
}
static const void *sq_col_blob(db_stmt *s, int col) { return sqlite3_column_blob(SS(s)->st, col); }
static size_t sq_col_len(db_stmt *s, int col) {
  return (size_t)sqlite3_column_bytes(SS(s)->st, col);
}

static rp_rc sq_exec_script(db *dd, const char *sql, rp_err *e) {
  sq_db *d = SQ(dd);
  char *msg = NULL;
  int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return map_error(d, rc, e);
  }
  return RP_OK;
}

/* Transaction control statements are prepared once like any other. */
static rp_rc run_control(db *d, const char *sql, rp_err *e) {
  db_stmt *s = sq_prep(d, sql, e);
  if (!s) return e ? e->rc : RP_ERR_INTERNAL;
  int rc = sq_step(s, e);
  sq_done(s);
  return rc < 0 ? (e ? e->rc : RP_ERR_INTERNAL) : RP_OK;
}

static const char SQL_BEGIN_WRITE[] = "BEGIN IMMEDIATE";
static const char SQL_BEGIN_READ[] = "BEGIN";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static rp_rc sq_begin_write(db *d, rp_err *e) { return run_control(d, SQL_BEGIN_WRITE, e); }
static rp_rc sq_begin_read(db *d, rp_err *e) { return run_control(d, SQL_BEGIN_READ, e); }
static rp_rc sq_begin_rebuild(db *d, int64_t lo, int64_t hi, rp_err *e) {
  (void)lo;
  (void)hi;
  return sq_begin_write(d, e);
}

static rp_rc sq_sync(db *d, rp_err *e) {
  (void)d;
  (void)e;
  return RP_OK;
}

static rp_rc sq_lock_log(db *d, rp_err *e) {
  (void)d;
  (void)e;
  return RP_OK;
}

static void sq_rollback(db *d) {
  if (!sqlite3_get_autocommit(SQ(d)->h)) (void)run_control(d, SQL_ROLLBACK, NULL);
}

static rp_rc sq_commit(db *d, rp_err *e) {
  rp_rc rc = run_control(d, SQL_COMMIT, e);
  if (rc) sq_rollback(d);
  return rc;
}

static bool sq_in_tx(db *d) { return !sqlite3_get_autocommit(SQ(d)->h); }

static int64_t sq_changes(db *d) { return sqlite3_changes64(SQ(d)->h); }

static rp_rc sq_backup(db *dd, const char *schema, const char *path, rp_err *e) {
  sq_db *d = SQ(dd);
  sqlite3 *dst = NULL;
  int rc = sqlite3_open(path, &dst);
  if (rc == SQLITE_OK) {
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", d->h, schema);
    if (b) {
      do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
      } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
      sqlite3_backup_finish(b);
      if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc == SQLITE_OK) rc = sqlite3_errcode(dst);
  }
  if (rc != SQLITE_OK) {
    rp_rc r = rp_fail(e, RP_ERR_UNAVAILABLE, "backup_failed", "Backup to %s failed: %s", path,
                      dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    sqlite3_close(dst);
    return r;
  }
  sqlite3_close(dst);
  return RP_OK;
}

static bool sq_connected(db *d) {
  (void)d;
  return true;
}

static rp_rc sq_checkpoint_truncate(db *d, rp_err *e) {
  return sq_exec_script(d, "PRAGMA wal_checkpoint(TRUNCATE)", e);
}

static rp_rc sq_set_durable(db *d, bool durable, rp_err *e) {
  return sq_exec_script(d, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", e);
}

static rp_rc sq_set_max_pages(db *d, int64_t pages, rp_err *e) {
  char sql[128];
  long long n = pages ? pages : 4294967294LL;
  /* the cap is for the disk, which both files share (store_open attaches audit) */
  snprintf(sql, sizeof sql, "PRAGMA main.max_page_count=%lld; PRAGMA audit.max_page_count=%lld;",
           n, n);
  return sq_exec_script(d, sql, e);
}

/* One process owns a SQLite database's server: there is nobody to tell. */
static rp_rc sq_notify(db *d, const char *channel, rp_err *e) {
  (void)d;
  (void)channel;
  (void)e;
  return RP_OK;
}

static rp_rc sq_listen(db *d, const char *channel, rp_err *e) {
  (void)d;
  (void)channel;
  return rp_fail(e, RP_ERR_INVALID, "not_supported", "SQLite has no notifications.");
}

static int sq_wait(db *d, int timeout_ms, rp_err *e) {
  (void)d;
  (void)timeout_ms;
  rp_fail(e, RP_ERR_INVALID, "not_supported", "SQLite has no notifications.");
  return -1;
}

const db_driver db_sqlite_driver = {
    .kind = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .prep = sq_prep,
    .bind_i64 = sq_bind_i64,
    .bind_f64 = sq_bind_f64,
    .bind_null = sq_bind_null,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .done = sq_done,
    .col_null = sq_col_null,
    .col_i64 = sq_col_i64,
    .col_f64 = sq_col_f64,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_len = sq_col_len,
    .exec_script = sq_exec_script,
    .begin_write = sq_begin_write,
    .begin_read = sq_begin_read,
    .begin_read_one = sq_begin_read, /* a SQLite read takes its snapshot at its first read */
    .lock_log = sq_lock_log,
    .begin_rebuild = sq_begin_rebuild,
    .commit = sq_commit,
    .commit_unsynced = sq_commit,
    .sync = sq_sync,
    .rollback = sq_rollback,
    .in_tx = sq_in_tx,
    .changes = sq_changes,
    .backup = sq_backup,
    .attach = sq_attach,
    .checkpoint_passive = sq_checkpoint_passive,
    .checkpoint_truncate = sq_checkpoint_truncate,
    .set_max_pages = sq_set_max_pages,
    .set_durable = sq_set_durable,
    .notify = sq_notify,
    .listen = sq_listen,
    .wait = sq_wait,
    .connected = sq_connected,
    .size_sql = "SELECT (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size)"
                " + (SELECT page_count * page_size FROM pragma_page_count('audit'),"
                " pragma_page_size('audit'))",
};
