/* db.c: db.h's calls, each sent to the driver of its handle (db_driver.h).
 * A path that is a postgresql:// (or postgres://) URI opens PostgreSQL;
 * anything else is a SQLite file. */
#include "store/db_driver.h"

#include <string.h>

db_kind db_kind_of_path(const char *path) {
  if (path && (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0))
    return DB_POSTGRES;
  return DB_SQLITE;
}

db_kind db_kind_of(const db *d) { return d->drv->kind; }

rp_rc db_open(const char *path, db **out, rp_err *e) {
  const db_driver *drv =
      db_kind_of_path(path) == DB_POSTGRES ? &db_postgres_driver : &db_sqlite_driver;
  return drv->open(path, out, e);
}

void db_close(db *d) {
  if (d) d->drv->close(d);
}

db_stmt *db_prep(db *d, const char *sql, rp_err *e) { return d->drv->prep(d, sql, e); }
void db_bind_i64(db_stmt *s, int n, int64_t v) { s->drv->bind_i64(s, n, v); }
void db_bind_f64(db_stmt *s, int n, double v) { s->drv->bind_f64(s, n, v); }
void db_bind_null(db_stmt *s, int n) { s->drv->bind_null(s, n); }
void db_bind_text(db_stmt *s, int n, const char *v) { s->drv->bind_text(s, n, v); }
void db_bind_blob(db_stmt *s, int n, const void *v, size_t len) { s->drv->bind_blob(s, n, v, len); }

void db_bind_id_or_null(db_stmt *s, int n, int64_t v) {
  if (v) s->drv->bind_i64(s, n, v);
  else s->drv->bind_null(s, n);
}

int db_step(db_stmt *s, rp_err *e) { return s->drv->step(s, e); }
void db_done(db_stmt *s) { s->drv->done(s); }

void db_run_ahead(db_stmt **s, size_t n) {
  if (n && s[0]->drv->run_ahead) s[0]->drv->run_ahead(s, n);
}

void db_send_ahead(db_stmt *s) {
  if (s->drv->send_ahead) s->drv->send_ahead(s);
}

rp_rc db_exec_later(db_stmt *s, rp_err *e) {
  int queued = s->drv->exec_later ? s->drv->exec_later(s, e) : 0;
  if (queued < 0) return e ? e->rc : RP_ERR_INTERNAL;
  return queued ? RP_OK : db_exec_stmt(s, e);
}

void db_run_ahead_commit(db_stmt **s, size_t n) {
  if (n && s[0]->drv->run_ahead_commit) s[0]->drv->run_ahead_commit(s, n);
  else db_run_ahead(s, n);
}

rp_rc db_exec_stmt(db_stmt *s, rp_err *e) {
  int rc = s->drv->step(s, e);
  s->drv->done(s);
  return rc < 0 ? (e ? e->rc : RP_ERR_INTERNAL) : RP_OK;
}

bool db_col_null(db_stmt *s, int col) { return s->drv->col_null(s, col); }
int64_t db_col_i64(db_stmt *s, int col) { return s->drv->col_i64(s, col); }
double db_col_f64(db_stmt *s, int col) { return s->drv->col_f64(s, col); }
const char *db_col_text(db_stmt *s, int col) { return s->drv->col_text(s, col); }
const void *db_col_blob(db_stmt *s, int col) { return s->drv->col_blob(s, col); }
size_t db_col_len(db_stmt *s, int col) { return s->drv->col_len(s, col); }

rp_rc db_exec_script(db *d, const char *sql, rp_err *e) { return d->drv->exec_script(d, sql, e); }
rp_rc db_begin_write(db *d, rp_err *e) { return d->drv->begin_write(d, e); }
rp_rc db_begin_read(db *d, rp_err *e) { return d->drv->begin_read(d, e); }
rp_rc db_begin_read_one(db *d, rp_err *e) { return d->drv->begin_read_one(d, e); }
rp_rc db_begin_rebuild(db *d, int64_t lo, int64_t hi, rp_err *e) {
  return d->drv->begin_rebuild(d, lo, hi, e);
}
rp_rc db_begin_write_rel(db *d, int64_t rel_id, rp_err *e) {
  return d->drv->begin_write_rel ? d->drv->begin_write_rel(d, rel_id, e) : db_begin_write(d, e);
}

rp_rc db_begin_write_item(db *d, const char *rel_sql, int64_t id, rp_err *e) {
  return d->drv->begin_write_item ? d->drv->begin_write_item(d, rel_sql, id, e)
                                  : db_begin_write(d, e);
}

int db_item_rel(db *d, int64_t *rel_id, rp_err *e) {
  return d->drv->item_rel ? d->drv->item_rel(d, rel_id, e) : 0;
}
rp_rc db_lock_log(db *d, rp_err *e) { return d->drv->lock_log(d, e); }
rp_rc db_commit(db *d, rp_err *e) { return d->drv->commit(d, e); }
rp_rc db_commit_unsynced(db *d, rp_err *e) { return d->drv->commit_unsynced(d, e); }
rp_rc db_sync(db *d, rp_err *e) { return d->drv->sync(d, e); }
void db_rollback(db *d) { d->drv->rollback(d); }
bool db_in_tx(db *d) { return d->drv->in_tx(d); }
int64_t db_changes(db *d) { return d->drv->changes(d); }

rp_rc db_backup(db *d, const char *schema, const char *path, rp_err *e) {
  return d->drv->backup(d, schema, path, e);
}

rp_rc db_attach(db *d, const char *path, rp_err *e) { return d->drv->attach(d, path, e); }

rp_rc db_checkpoint_passive(db *d, const char *schema, rp_err *e) {
  return d->drv->checkpoint_passive(d, schema, e);
}

rp_rc db_checkpoint_truncate(db *d, rp_err *e) { return d->drv->checkpoint_truncate(d, e); }

rp_rc db_set_max_pages(db *d, int64_t pages, rp_err *e) {
  return d->drv->set_max_pages(d, pages, e);
}

rp_rc db_set_durable(db *d, bool durable, rp_err *e) { return d->drv->set_durable(d, durable, e); }

const char *db_size_sql(const db *d) { return d->drv->size_sql; }
bool db_connected(db *d) { return d->drv->connected(d); }

rp_rc db_notify(db *d, const char *channel, rp_err *e) { return d->drv->notify(d, channel, e); }
rp_rc db_listen(db *d, const char *channel, rp_err *e) { return d->drv->listen(d, channel, e); }
int db_wait(db *d, int timeout_ms, rp_err *e) { return d->drv->wait(d, timeout_ms, e); }
