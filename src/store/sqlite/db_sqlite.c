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
#include "store/db.h"
#include "base/log.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#define MAX_PARAMS 32
#define CACHE_SLOTS 512 /* power of two, more than Rapport has statements */

struct db_stmt {
  const char *sql;
  sqlite3_stmt *st;
  db *owner;
  unsigned char param_index[MAX_PARAMS + 1]; /* $n -> SQLite's index */
};

struct db {
  sqlite3 *h;
  db_stmt *slots[CACHE_SLOTS];
};

static rp_rc map_error(db *d, int rc, rp_err *e) {
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

rp_rc db_checkpoint_passive(db *d, const char *schema, rp_err *e) {
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

rp_rc db_open(const char *path, db **out, rp_err *e) {
  pthread_once(&g_config_once, configure_sqlite);
  db *d = rp_xcalloc(1, sizeof *d);
  int rc = sqlite3_open_v2(path, &d->h,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    rp_rc r = rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "Cannot open %s: %s", path,
                      d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
    db_close(d);
    return r;
  }
  sqlite3_extended_result_codes(d->h, 1);
  sqlite3_busy_timeout(d->h, 5000);
  rp_rc r = db_exec_script(d,
                           "PRAGMA journal_mode=WAL;"
                           "PRAGMA synchronous=FULL;"
                           "PRAGMA foreign_keys=ON;"
                           "PRAGMA secure_delete=ON;",
                           e);
  if (r) {
    db_close(d);
    return r;
  }
  sqlite3_wal_hook(d->h, wal_hook, NULL);
  *out = d;
  return RP_OK;
}

/* Durability of the audit database: NORMAL (app/privacy/audit.c says why); the
 * bench's comparison build waits for the disk on every log commit. */
#ifdef RAPPORT_ACCESS_FULL_SYNC
#define AUDIT_SYNC "PRAGMA audit.synchronous=FULL;"
#else
#define AUDIT_SYNC "PRAGMA audit.synchronous=NORMAL;"
#endif

rp_rc db_attach(db *d, const char *path, rp_err *e) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(d->h, "ATTACH DATABASE ?1 AS audit", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "storage_error", "Cannot open %s: %s", path,
                   sqlite3_errmsg(d->h));
  return db_exec_script(d,
                        "PRAGMA audit.journal_mode=WAL;" AUDIT_SYNC
                        "PRAGMA audit.secure_delete=ON;",
                        e);
}

void db_close(db *d) {
  if (!d) return;
  for (int i = 0; i < CACHE_SLOTS; i++) {
    if (d->slots[i]) {
      sqlite3_finalize(d->slots[i]->st);
      free(d->slots[i]);
    }
  }
  sqlite3_close(d->h);
  free(d);
}

static size_t slot_of(const char *sql) {
  uintptr_t p = (uintptr_t)sql;
  p ^= p >> 17;
  p *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(p >> 7) & (CACHE_SLOTS - 1);
}

static db_stmt *stmt_new(db *d, const char *sql, rp_err *e) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) {
    log_error("prepare failed: %s in: %.120s", sqlite3_errmsg(d->h), sql);
    map_error(d, rc, e);
    return NULL;
  }
  db_stmt *s = rp_xcalloc(1, sizeof *s);
  s->sql = sql;
  s->st = st;
  s->owner = d;
  char name[8];
  for (int n = 1; n <= MAX_PARAMS; n++) {
    snprintf(name, sizeof name, "$%d", n);
    s->param_index[n] = (unsigned char)sqlite3_bind_parameter_index(st, name);
  }
  return s;
}

db_stmt *db_prep(db *d, const char *sql, rp_err *e) {
  size_t i = slot_of(sql);
  for (size_t probe = 0; probe < CACHE_SLOTS; probe++, i = (i + 1) & (CACHE_SLOTS - 1)) {
    db_stmt *s = d->slots[i];
    if (!s) {
      s = stmt_new(d, sql, e);
      if (s) d->slots[i] = s;
      return s;
    }
    if (s->sql == sql) return s;
  }
  rp_fail(e, RP_ERR_INTERNAL, "storage_error", "Statement cache is full.");
  return NULL;
}

static int idx(db_stmt *s, int n) {
  assert(n >= 1 && n <= MAX_PARAMS);
  int i = s->param_index[n];
  assert(i > 0 && "SQL has no such $n parameter");
  return i;
}

void db_bind_i64(db_stmt *s, int n, int64_t v) { sqlite3_bind_int64(s->st, idx(s, n), v); }
void db_bind_f64(db_stmt *s, int n, double v) { sqlite3_bind_double(s->st, idx(s, n), v); }
void db_bind_null(db_stmt *s, int n) { sqlite3_bind_null(s->st, idx(s, n)); }

void db_bind_text(db_stmt *s, int n, const char *v) {
  if (v) sqlite3_bind_text(s->st, idx(s, n), v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(s->st, idx(s, n));
}

void db_bind_blob(db_stmt *s, int n, const void *v, size_t len) {
  sqlite3_bind_blob64(s->st, idx(s, n), v, len, SQLITE_TRANSIENT);
}

void db_bind_id_or_null(db_stmt *s, int n, int64_t v) {
  if (v) db_bind_i64(s, n, v);
  else db_bind_null(s, n);
}

int db_step(db_stmt *s, rp_err *e) {
  int rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  map_error(s->owner, rc, e);
  return -1;
}

void db_done(db_stmt *s) {
  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
}

rp_rc db_exec_stmt(db_stmt *s, rp_err *e) {
  int rc = db_step(s, e);
  db_done(s);
  return rc < 0 ? (e ? e->rc : RP_ERR_INTERNAL) : RP_OK;
}

bool db_col_null(db_stmt *s, int col) { return sqlite3_column_type(s->st, col) == SQLITE_NULL; }
int64_t db_col_i64(db_stmt *s, int col) { return sqlite3_column_int64(s->st, col); }
double db_col_f64(db_stmt *s, int col) { return sqlite3_column_double(s->st, col); }
const char *db_col_text(db_stmt *s, int col) { return (const char *)sqlite3_column_text(s->st, col); }
const void *db_col_blob(db_stmt *s, int col) { return sqlite3_column_blob(s->st, col); }
size_t db_col_len(db_stmt *s, int col) { return (size_t)sqlite3_column_bytes(s->st, col); }

rp_rc db_exec_script(db *d, const char *sql, rp_err *e) {
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
  db_stmt *s = db_prep(d, sql, e);
  return s ? db_exec_stmt(s, e) : (e ? e->rc : RP_ERR_INTERNAL);
}

static const char SQL_BEGIN_WRITE[] = "BEGIN IMMEDIATE";
static const char SQL_BEGIN_READ[] = "BEGIN";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

rp_rc db_begin_write(db *d, rp_err *e) { return run_control(d, SQL_BEGIN_WRITE, e); }
rp_rc db_begin_read(db *d, rp_err *e) { return run_control(d, SQL_BEGIN_READ, e); }

rp_rc db_commit(db *d, rp_err *e) {
  rp_rc rc = run_control(d, SQL_COMMIT, e);
  if (rc) db_rollback(d);
  return rc;
}

void db_rollback(db *d) {
  if (!sqlite3_get_autocommit(d->h)) (void)run_control(d, SQL_ROLLBACK, NULL);
}

bool db_in_tx(db *d) { return !sqlite3_get_autocommit(d->h); }

int64_t db_changes(db *d) { return sqlite3_changes64(d->h); }

rp_rc db_backup(db *d, const char *schema, const char *path, rp_err *e) {
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

rp_rc db_set_durable(db *d, bool durable, rp_err *e) {
  return db_exec_script(d, durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", e);
}

rp_rc db_set_max_pages(db *d, int64_t pages, rp_err *e) {
  char sql[128];
  long long n = pages ? pages : 4294967294LL;
  /* the cap is for the disk, which both files share (store_open attaches audit) */
  snprintf(sql, sizeof sql, "PRAGMA main.max_page_count=%lld; PRAGMA audit.max_page_count=%lld;",
           n, n);
  return db_exec_script(d, sql, e);
}
