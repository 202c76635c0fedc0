/* db_driver.h: what a backend of db.h provides (internal to store/).
 *
 * db.c dispatches every db.h call through the driver of the handle: a
 * `db` and a `db_stmt` begin with the driver that made them, and each
 * backend's own structs begin with these (sqlite/db_sqlite.c,
 * postgres/db_pg.c). db_open picks the backend from the path
 * (db_kind_of_path).
 */
#ifndef RAPPORT_STORE_DB_DRIVER_H
#define RAPPORT_STORE_DB_DRIVER_H

#include "store/db.h"

typedef struct db_driver {
  db_kind kind;
  rp_rc (*open)(const char *path, db **out, rp_err *e);
  void (*close)(db *d);
  db_stmt *(*prep)(db *d, const char *sql, rp_err *e);
  void (*bind_i64)(db_stmt *s, int n, int64_t v);
  void (*bind_f64)(db_stmt *s, int n, double v);
  void (*bind_null)(db_stmt *s, int n);
  void (*bind_text)(db_stmt *s, int n, const char *v);
  void (*bind_blob)(db_stmt *s, int n, const void *v, size_t len);
  int (*step)(db_stmt *s, rp_err *e);
  void (*done)(db_stmt *s);
  void (*run_ahead)(db_stmt **s, size_t n); /* NULL: each runs at its first step */
  void (*send_ahead)(db_stmt *s);            /* NULL: it runs at its first step */
  int (*exec_later)(db_stmt *s, rp_err *e); /* 1 queued, 0 run it now, -1 failed; NULL: 0 */
  void (*run_ahead_commit)(db_stmt **s, size_t n); /* NULL: run_ahead */
  bool (*col_null)(db_stmt *s, int col);
  int64_t (*col_i64)(db_stmt *s, int col);
  double (*col_f64)(db_stmt *s, int col);
  const char *(*col_text)(db_stmt *s, int col);
  const void *(*col_blob)(db_stmt *s, int col);
  size_t (*col_len)(db_stmt *s, int col);
  rp_rc (*exec_script)(db *d, const char *sql, rp_err *e);
  rp_rc (*begin_write)(db *d, rp_err *e);
  rp_rc (*begin_read)(db *d, rp_err *e);
  rp_rc (*begin_read_one)(db *d, rp_err *e);
  rp_rc (*begin_rebuild)(db *d, int64_t lo, int64_t hi, rp_err *e);
  rp_rc (*begin_write_rel)(db *d, int64_t rel_id, rp_err *e); /* NULL: begin_write */
  rp_rc (*begin_write_item)(db *d, const char *rel_sql, int64_t id, rp_err *e); /* NULL: begin_write */
  int (*item_rel)(db *d, int64_t *rel_id, rp_err *e); /* NULL: none pending */
  rp_rc (*lock_log)(db *d, rp_err *e);
  rp_rc (*commit)(db *d, rp_err *e);
  rp_rc (*commit_unsynced)(db *d, rp_err *e);
  rp_rc (*sync)(db *d, rp_err *e);
  void (*rollback)(db *d);
  bool (*in_tx)(db *d);
  int64_t (*changes)(db *d);
  rp_rc (*backup)(db *d, const char *schema, const char *path, rp_err *e);
  rp_rc (*attach)(db *d, const char *path, rp_err *e);
  rp_rc (*checkpoint_passive)(db *d, const char *schema, rp_err *e);
  rp_rc (*checkpoint_truncate)(db *d, rp_err *e);
  rp_rc (*set_max_pages)(db *d, int64_t pages, rp_err *e);
  rp_rc (*set_durable)(db *d, bool durable, rp_err *e);
  rp_rc (*notify)(db *d, const char *channel, rp_err *e);
  rp_rc (*listen)(db *d, const char *channel, rp_err *e);
  int (*wait)(db *d, int timeout_ms, rp_err *e);
  bool (*connected)(db *d); /* false once the connection is lost for good */
  const char *size_sql; /* one row, one column: the bytes the database takes */
} db_driver;

/* The head of every backend's connection and statement. */
struct db {
  const db_driver *drv;
};
struct db_stmt {
  const db_driver *drv;
  const char *sql; /* the text it was prepared from: its key in the cache */
};

/* A connection's prepared statements, kept for its life in an
 * open-addressing table keyed by the address of their SQL text (so SQL
 * must be static, db.h). More slots than Rapport has statements. */
#define DB_CACHE_SLOTS 512
typedef struct db_stmt_cache {
  db_stmt *slots[DB_CACHE_SLOTS];
} db_stmt_cache;

/* The statement for sql in cache, prepared with make(d, sql, e) on first
 * use; NULL with e filled when make fails or the cache is full. */
db_stmt *db_cache_get(db_stmt_cache *cache, db *d, const char *sql,
                      db_stmt *(*make)(db *d, const char *sql, rp_err *e), rp_err *e);

extern const db_driver db_sqlite_driver;   /* sqlite/db_sqlite.c */
extern const db_driver db_postgres_driver; /* postgres/db_pg.c */

#endif
