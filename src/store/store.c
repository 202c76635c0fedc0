/* store.c: opening the store, transactions and migrations.
 *
 * Migrations are the numbered files in sqlite/migrations/ compiled into the
 * binary (NNNN_name.sql). Each is applied in its own write transaction
 * together with its row in schema_migrations, so a crash leaves the schema
 * at a whole number.
 */
#include "store/store_internal.h"
#include "base/embedded.h"
#include "store/access_log.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/strbuf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const rp_embedded store_sqlite_migrations[];
extern const rp_embedded store_postgres_migrations[];

/* The migrations of s's backend (the same numbers and names on both). */
static const rp_embedded *migrations(const store *s) {
  return db_kind_of(s->db) == DB_POSTGRES ? store_postgres_migrations : store_sqlite_migrations;
}

char *store_audit_path(const char *db_path) {
  size_t n = strlen(db_path);
  if (n == 0 || strcmp(db_path, ":memory:") == 0) return rp_xstrdup(":memory:");
  return rp_path_beside(db_path, ".db", ".audit.db", ".audit");
}

/* On SQLite the access log's own file is attached as the schema "audit"
 * (access_log.h, "The audit database"); on PostgreSQL it is the schema
 * "audit" of the same database. */
rp_rc store_open(const char *path, store **out, rp_err *e) {
  db *d;
  rp_rc rc = db_open(path, &d, e);
  if (rc) return rc;
  char *audit = store_audit_path(path); /* the driver's: nothing to attach on PostgreSQL */
  rc = db_attach(d, audit, e);
  free(audit);
  if (rc) {
    db_close(d);
    return rc;
  }
  store *s = rp_xcalloc(1, sizeof *s);
  s->db = d;
  *out = s;
  return RP_OK;
}

bool store_is_postgres(const char *path) { return db_kind_of_path(path) == DB_POSTGRES; }

rp_rc store_exists(const char *path, bool *out, rp_err *e) {
  *out = false;
  if (db_kind_of_path(path) == DB_SQLITE) {
    *out = access(path, F_OK) == 0;
    return RP_OK;
  }
  db *d;
  rp_rc rc = db_open(path, &d, e);
  if (rc) return rc;
  db_stmt *st = db_prep(d, "SELECT to_regclass('public.schema_migrations') IS NOT NULL", e);
  if (!st) rc = e ? e->rc : RP_ERR_INTERNAL;
  else {
    int r = db_step(st, e);
    if (r < 0) rc = e->rc;
    else *out = r == 1 && db_col_i64(st, 0) != 0;
    db_done(st);
  }
  db_close(d);
  return rc;
}

bool store_connected(store *s) { return db_connected(s->db); }

void store_close(store *s) {
  if (!s) return;
  db_close(s->db);
  free(s);
}

/* Writers of one process queue on this lock before BEGIN IMMEDIATE, so they
 * wait their turn in order instead of polling in SQLite's busy handler
 * (whose sleeps of up to 100 ms ruin tail latency). Other processes are
 * still kept out by SQLite's own locking and busy_timeout. */
static pthread_mutex_t g_write_mu = PTHREAD_MUTEX_INITIALIZER;

static void acquire_write(store *s) {
  if (pthread_mutex_trylock(&g_write_mu) != 0) { /* only a wait is timed */
    double t0 = metric_now();
    pthread_mutex_lock(&g_write_mu);
    metric_observe(&g_metrics.write_lock_wait, metric_now() - t0);
  } else {
    metric_observe(&g_metrics.write_lock_wait, 0);
  }
  s->writing = true;
}

static void release_write(store *s) {
  if (!s->writing) return;
  s->writing = false;
  pthread_mutex_unlock(&g_write_mu);
}

/* The process-wide page cap and how many times it was set; a store whose
 * page_cap_gen differs applies the cap before its next write. */
static _Atomic int64_t g_page_cap;
static _Atomic unsigned g_page_cap_gen;

void store_limit_pages_all(int64_t pages) {
  atomic_store(&g_page_cap, pages);
  atomic_fetch_add(&g_page_cap_gen, 1u);
}

static rp_rc apply_page_cap(store *s, rp_err *e) {
  unsigned gen = atomic_load(&g_page_cap_gen);
  if (gen == s->page_cap_gen) return RP_OK;
  rp_rc rc = db_set_max_pages(s->db, atomic_load(&g_page_cap), e);
  if (!rc) s->page_cap_gen = gen;
  return rc;
}

rp_rc store_set_durable(store *s, bool durable, rp_err *e) {
  return db_set_durable(s->db, durable, e);
}

rp_rc store_begin_write(store *s, rp_err *e) {
  if (s->depth)
    return rp_fail(e, RP_ERR_INTERNAL, "nested_write", "A write began inside another transaction.");
  acquire_write(s);
  rp_rc rc = apply_page_cap(s, e);
  if (!rc) rc = db_begin_write(s->db, e);
  if (rc) release_write(s);
  else s->depth = 1;
  return rc;
}

rp_rc store_begin_write_rel(store *s, int64_t rel_id, rp_err *e) {
  if (db_kind_of(s->db) == DB_SQLITE) return store_begin_write(s, e);
  if (s->depth)
    return rp_fail(e, RP_ERR_INTERNAL, "nested_write", "A write began inside another transaction.");
  rp_rc rc = apply_page_cap(s, e); /* no process lock: writers of other relationships go on */
  if (!rc) rc = db_begin_write_rel(s->db, rel_id, e);
  if (!rc) s->depth = 1;
  if (!rc) store_id_ahead(s, STORE_ID_EVENT); /* the event such a write records */
  return rc;
}

static db_stmt *id_stmt(store *s, store_id_of table, rp_err *e) {
  static const char *const sql[][2] = {
      [STORE_ID_NOTE] = {"SELECT nextval(pg_get_serial_sequence('notes', 'id'))",
                         "SELECT COALESCE(MAX(id), 0) + 1 FROM notes"},
      [STORE_ID_EVENT] = {"SELECT nextval(pg_get_serial_sequence('events', 'id'))",
                          "SELECT COALESCE(MAX(id), 0) + 1 FROM events"},
  };
  return db_prep(s->db, sql[table][db_kind_of(s->db) == DB_POSTGRES ? 0 : 1], e);
}

rp_rc store_id_new(store *s, store_id_of table, int64_t *id, rp_err *e) {
  db_stmt *st = id_stmt(s, table, e);
  if (!st) return e ? e->rc : RP_ERR_INTERNAL;
  return store_insert_id(st, id, e);
}

void store_id_ahead(store *s, store_id_of table) {
  if (db_kind_of(s->db) != DB_POSTGRES) return; /* SQLite's is read when taken */
  rp_err e = {0};
  db_stmt *st = id_stmt(s, table, &e);
  if (st) db_send_ahead(st); /* a failure shows when it is read */
}

rp_rc store_begin_write_item(store *s, store_item kind, int64_t id, rp_err *e) {
  static const char *const rel_of[] = {
      [STORE_ITEM_GOAL] = "SELECT relationship_id FROM goals WHERE id = $1",
      [STORE_ITEM_MILESTONE] = "SELECT g.relationship_id FROM milestones m"
                               " JOIN goals g ON g.id = m.goal_id WHERE m.id = $1",
      [STORE_ITEM_REQUEST] = "SELECT relationship_id FROM requests WHERE id = $1",
      [STORE_ITEM_CHECKIN] = "SELECT relationship_id FROM checkins WHERE id = $1",
      [STORE_ITEM_INCIDENT] = "SELECT relationship_id FROM incidents WHERE id = $1",
      [STORE_ITEM_REPAIR_PLAN] = "SELECT relationship_id FROM repair_plans WHERE id = $1",
      [STORE_ITEM_COMMITMENT] = "SELECT relationship_id FROM commitments WHERE id = $1",
  };
  if (db_kind_of(s->db) == DB_SQLITE) return store_begin_write(s, e);
  if (s->depth)
    return rp_fail(e, RP_ERR_INTERNAL, "nested_write", "A write began inside another transaction.");
  rp_rc rc = apply_page_cap(s, e); /* no process lock: writers of other relationships go on */
  if (!rc) rc = db_begin_write_item(s->db, rel_of[kind], id, e);
  if (!rc) s->depth = 1;
  if (!rc) store_id_ahead(s, STORE_ID_EVENT); /* the event such a write records */
  return rc;
}

rp_rc store_item_locked(store *s, int64_t rel_id, rp_err *e) {
  int64_t locked = 0;
  int r = db_item_rel(s->db, &locked, e);
  if (r < 0) return e ? e->rc : RP_ERR_INTERNAL;
  return r == 1 && locked != rel_id ? RP_ERR_NOT_FOUND : RP_OK;
}

rp_rc store_access_lock(store *s, rp_err *e) {
  /* On PostgreSQL the log has a lock of its own, which every appender
   * takes whatever else it holds (writers of one relationship run side by
   * side); on SQLite its file is written under the database's lock. */
  if (db_kind_of(s->db) == DB_POSTGRES) return db_lock_log(s->db, e);
  if (s->writing) return RP_OK;
  acquire_write(s);
  rp_rc rc = apply_page_cap(s, e); /* the caller's rollback or commit releases the lock */
  return rc ? rc : db_lock_log(s->db, e);
}

static rp_rc begin_read(store *s, rp_rc (*begin)(db *d, rp_err *e), rp_err *e) {
  if (s->depth) {
    s->depth++;
    return RP_OK;
  }
  rp_rc rc = begin(s->db, e);
  if (!rc) s->depth = 1;
  return rc;
}

rp_rc store_begin_read(store *s, rp_err *e) { return begin_read(s, db_begin_read, e); }
rp_rc store_begin_read_one(store *s, rp_err *e) { return begin_read(s, db_begin_read_one, e); }

rp_rc store_commit(store *s, rp_err *e) {
  if (s->depth > 1) {
    s->depth--;
    return RP_OK;
  }
  s->depth = 0;
  /* The write lock goes before the wait for the disk, so that the next
   * writer runs meanwhile and commits queued behind it share one flush. */
  rp_rc rc = db_commit_unsynced(s->db, e);
  release_write(s);
  return rc ? rc : db_sync(s->db, e);
}

void store_rollback(store *s) {
  if (s->depth > 1) {
    s->depth--;
    return;
  }
  s->depth = 0;
  db_rollback(s->db);
  release_write(s);
}

void store_end_all(store *s) {
  s->depth = 0;
  db_rollback(s->db);
  release_write(s);
}
/* The audit file goes beside the backup under the same naming rule, so
 * that opening (or restoring from) the backup attaches it. */
rp_rc store_backup(store *s, const char *path, rp_err *e) {
  rp_rc rc = db_backup(s->db, "main", path, e);
  if (rc) return rc;
  char *audit = store_audit_path(path);
  rc = db_backup(s->db, "audit", audit, e);
  free(audit);
  return rc;
}
/* Checkpoints of the audit WAL, from the server's job thread: past
 * AUDIT_CKPT_PAGES, first the bulk while the log writer goes on
 * committing, then, under the write lock so that nothing is appended
 * meanwhile, the few pages those commits added. Only a checkpoint that
 * reaches the WAL's last frame lets the next commit start the WAL over
 * from its beginning; one that never does (the writer is always ahead)
 * lets the file grow without end. */
#define AUDIT_CKPT_PAGES 1000

rp_rc store_checkpoint_audit(store *s, rp_err *e) {
  if (s->depth)
    return rp_fail(e, RP_ERR_INTERNAL, "nested_checkpoint", "A checkpoint began in a transaction.");
  if (db_audit_wal_pages() < AUDIT_CKPT_PAGES) return RP_OK;
  rp_rc rc = db_checkpoint_passive(s->db, "audit", e);
  if (rc) return rc;
  acquire_write(s);
  rc = db_checkpoint_passive(s->db, "audit", e);
  release_write(s);
  return rc;
}

static int migration_number(const rp_embedded *m) { return (int)strtol(m->name, NULL, 10); }

static int latest_known(const store *s) {
  int v = 0;
  for (const rp_embedded *m = migrations(s); m->name; m++)
    if (migration_number(m) > v) v = migration_number(m);
  return v;
}

static rp_rc ensure_table(store *s, rp_err *e) {
  return db_exec_script(s->db,
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        " applied_at INTEGER NOT NULL)",
                        e);
}

static rp_rc current_version(store *s, int *out, rp_err *e) {
  STORE_PREP(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", e);
  int r = db_step(st, e);
  *out = r == 1 ? (int)db_col_i64(st, 0) : 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}


rp_rc store_ready(store *s, bool *migrated, rp_err *e) {
  int cur = 0;
  rp_rc rc = current_version(s, &cur, e);
  *migrated = !rc && cur >= latest_known(s);
  return rc;
}

static rp_rc is_applied(store *s, int version, bool *out, rp_err *e) {
  STORE_PREP(s, "SELECT 1 FROM schema_migrations WHERE version = $1", e);
  db_bind_i64(st, 1, version);
  int r = db_step(st, e);
  db_done(st);
  *out = r == 1;
  return r < 0 ? e->rc : RP_OK;
}

/* Applies m in one write transaction unless it is recorded already, which
 * is checked under the write lock: another process (a second instance
 * starting at the same time) may have applied it meanwhile. *done says
 * whether this call applied it. */
static rp_rc apply_one(store *s, const rp_embedded *m, rp_time now, bool *done, rp_err *e) {
  *done = false;
  rp_rc rc = db_begin_write(s->db, e);
  if (rc) return rc;
  bool recorded = false;
  rc = is_applied(s, migration_number(m), &recorded, e);
  if (!rc && !recorded) rc = db_exec_script(s->db, (const char *)m->data, e);
  if (!rc && !recorded) {
    db_stmt *st = db_prep(s->db,
                          "INSERT INTO schema_migrations (version, name, applied_at)"
                          " VALUES ($1, $2, $3)",
                          e);
    if (!st) rc = e ? e->rc : RP_ERR_INTERNAL;
    else {
      db_bind_i64(st, 1, migration_number(m));
      db_bind_text(st, 2, m->name);
      db_bind_i64(st, 3, now);
      rc = db_exec_stmt(st, e);
    }
  }
  if (!rc) rc = db_commit(s->db, e);
  else db_rollback(s->db);
  if (!rc && !recorded) {
    log_info("applied migration %s", m->name);
    *done = true;
  }
  return rc;
}

rp_rc store_schema_version(store *s, int *current, int *latest, int *pending, rp_err *e) {
  rp_rc rc = ensure_table(s, e);
  if (!rc) rc = current_version(s, current, e);
  *latest = latest_known(s);
  *pending = 0;
  for (const rp_embedded *m = migrations(s); m->name && !rc; m++) {
    bool done = false;
    rc = is_applied(s, migration_number(m), &done, e);
    if (!done) (*pending)++;
  }
  return rc;
}

rp_rc store_migrate(store *s, rp_time now, int *applied, rp_err *e) {
  *applied = 0;
  /* Under the write lock, so that two instances starting together on one
   * PostgreSQL do not race to create the table. */
  rp_rc rc = db_begin_write(s->db, e);
  if (!rc) rc = ensure_table(s, e);
  if (!rc) rc = db_commit(s->db, e);
  else db_rollback(s->db);
  if (rc) return rc;
  /* Every migration not yet recorded is applied, in number order (the
   * embedded table is sorted by name, and names start with the number), so
   * one that arrives with a lower number than those applied still runs. */
  for (const rp_embedded *m = migrations(s); m->name; m++) {
    bool done = false;
    rc = is_applied(s, migration_number(m), &done, e);
    if (!rc && !done) {
      rc = apply_one(s, m, now, &done, e);
      if (!rc && done) (*applied)++;
    }
    if (rc) return rc;
  }
  return RP_OK;
}

/* ---- helpers shared by store/ sources ---- */

const char *store_col_str(db_stmt *st, int col, arena *a) {
  const char *t = db_col_text(st, col);
  return t ? arena_strndup(a, t, db_col_len(st, col)) : NULL;
}

rp_blob store_col_blob(db_stmt *st, int col, arena *a) {
  rp_blob b = {NULL, 0};
  if (db_col_null(st, col)) return b;
  b.len = db_col_len(st, col);
  unsigned char *p = arena_alloc(a, b.len ? b.len : 1);
  if (b.len) memcpy(p, db_col_blob(st, col), b.len);
  b.data = p;
  return b;
}

rp_rc store_exec_one(store *s, db_stmt *st, rp_err *e) {
  rp_rc rc = db_exec_stmt(st, e);
  if (rc) return rc;
  if (db_changes(s->db) != 1) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such record.");
  return RP_OK;
}

rp_rc store_row(db_stmt *st, const char *what, rp_err *e) {
  int r = db_step(st, e);
  if (r == 1) return RP_OK;
  db_done(st);
  if (r == 0) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such %s.", what);
  return e ? e->rc : RP_ERR_INTERNAL;
}

rp_rc store_insert_id(db_stmt *st, int64_t *id, rp_err *e) {
  int r = db_step(st, e);
  if (r == 1) *id = db_col_i64(st, 0);
  db_done(st);
  if (r == 1) return RP_OK;
  if (r == 0) return rp_fail(e, RP_ERR_INTERNAL, "storage_error", "Insert returned no id.");
  return e ? e->rc : RP_ERR_INTERNAL;
}

size_t store_sql_rows(char *buf, size_t cap, const char *head, int rows, int cols) {
  size_t used = (size_t)snprintf(buf, cap, "%s", head);
  for (int r = 0; r < rows; r++)
    for (int c = 1; c <= cols; c++)
      used += (size_t)snprintf(buf + used, cap - used, "%s$%d%s", c > 1 ? ", " : r ? ", (" : "(",
                               r * cols + c, c < cols ? "" : ")");
  return used;
}

rp_rc store_collect(db_stmt *st, size_t elem_size, store_read_fn read, arena *a, void **items,
                    size_t *n, rp_err *e) {
  size_t cap = 8, k = 0;
  unsigned char *out = arena_alloc(a, elem_size * cap);
  int r;
  while ((r = db_step(st, e)) == 1) {
    if (k == cap) {
      unsigned char *grown = arena_alloc(a, elem_size * cap * 2);
      memcpy(grown, out, elem_size * cap);
      out = grown;
      cap *= 2;
    }
    memset(out + elem_size * k, 0, elem_size);
    read(st, a, out + elem_size * k++);
  }
  db_done(st);
  if (r < 0) return e ? e->rc : RP_ERR_INTERNAL;
  *items = out;
  *n = k;
  return RP_OK;
}

rp_rc store_page(db_stmt *st, int limit, int cursor_col, size_t elem_size, store_read_fn read,
                 arena *a, void **items, size_t *n, int64_t *next, rp_err *e) {
  unsigned char *out = arena_alloc(a, elem_size * (size_t)(limit > 0 ? limit : 1));
  size_t k = 0;
  int64_t last_cursor = 0;
  int r;
  *next = 0;
  while ((r = db_step(st, e)) == 1) {
    if (k == (size_t)limit) {
      *next = last_cursor;
      break;
    }
    read(st, a, out + elem_size * k++);
    last_cursor = db_col_i64(st, cursor_col);
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}
