/* copy.c: copying a SQLite deployment into a PostgreSQL database
 * (store_copy, `rapport db copy`).
 *
 * Design note. Both databases are at the same schema version (the caller
 * migrated both), so every table has the same columns on both sides. The
 * tables go in the order SQLite created them (sqlite_master's rowid, main
 * then audit), which is the order the migrations created them in, so a row
 * never precedes the row its foreign key names. Each value is read as the
 * type of its PostgreSQL column (bigint, double precision, text, bytea) and
 * bound as such, byte for byte: sealed text keeps the ids it is bound to
 * and opens with the same key file, and the access log keeps its chain.
 *
 * A row may name a later row of its own table (a check-in rescheduled to
 * the next), so the target's foreign keys are made deferrable for the copy
 * and checked once, before they are made immediate again. The target's
 * own triggers (the counts kept on relationships, the append-only rule of
 * the access log) are disabled for the copy: the counts are copied as they
 * are, not counted again. All of that is DDL in the copy's transaction.
 * The rows the migrations put in the empty target (key_state's one row)
 * are replaced by the source's.
 * Identity columns then continue after the largest id copied. The whole
 * copy is one transaction of the target: it lands entirely or not at all.
 */
#include "store/store_internal.h"
#include "base/log.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_MAX_TABLES 128
#define COPY_MAX_COLS 48

typedef enum col_type { COL_INT, COL_REAL, COL_TEXT, COL_BLOB } col_type;

typedef struct copy_table {
  char schema[16], name[64];
  int ncols;
  char cols[COPY_MAX_COLS][64];
  col_type types[COPY_MAX_COLS];
} copy_table;

static void set_name(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src ? src : "");
}

/* The tables of `from` in creation order (schema_migrations left out: the
 * target records its own migrations). */
static rp_rc source_tables(store *from, copy_table *out, int *n, rp_err *e) {
  static const char *const schemas[] = {"main", "audit"};
  static const char *const sql[] = {
      "SELECT name FROM main.sqlite_master WHERE type = 'table'"
      " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY rowid",
      "SELECT name FROM audit.sqlite_master WHERE type = 'table'"
      " AND name NOT LIKE 'sqlite_%' ORDER BY rowid"};
  *n = 0;
  for (int i = 0; i < 2; i++) {
    db_stmt *st = db_prep(from->db, sql[i], e);
    if (!st) return e->rc;
    int r;
    while ((r = db_step(st, e)) == 1) {
      if (*n == COPY_MAX_TABLES) {
        db_done(st);
        return rp_fail(e, RP_ERR_INTERNAL, "copy_failed", "Too many tables to copy.");
      }
      copy_table *t = &out[(*n)++];
      memset(t, 0, sizeof *t);
      set_name(t->schema, sizeof t->schema, schemas[i] == schemas[0] ? "public" : "audit");
      set_name(t->name, sizeof t->name, db_col_text(st, 0));
    }
    db_done(st);
    if (r < 0) return e->rc;
  }
  return RP_OK;
}

/* The columns of t in the target, with the type each value is copied as. */
static rp_rc target_columns(store *to, copy_table *t, rp_err *e) {
  STORE_PREP(to,
             "SELECT column_name, data_type FROM information_schema.columns"
             " WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
             e);
  db_bind_text(st, 1, t->schema);
  db_bind_text(st, 2, t->name);
  int r;
  t->ncols = 0;
  while ((r = db_step(st, e)) == 1 && t->ncols < COPY_MAX_COLS) {
    const char *type = db_col_text(st, 1);
    set_name(t->cols[t->ncols], sizeof t->cols[0], db_col_text(st, 0));
    t->types[t->ncols] = strcmp(type, "bytea") == 0              ? COL_BLOB
                         : strcmp(type, "text") == 0             ? COL_TEXT
                         : strcmp(type, "double precision") == 0 ? COL_REAL
                                                                 : COL_INT;
    t->ncols++;
  }
  db_done(st);
  if (r < 0) return e->rc;
  if (t->ncols == 0)
    return rp_fail(e, RP_ERR_INTERNAL, "copy_failed", "The target has no table %s.%s.",
                   t->schema, t->name);
  return RP_OK;
}

/* Copies every row of t. The statements are built here and prepared once
 * for this copy; the SQL texts live in the arena until the copy ends
 * (db_prep keys statements by the text's address). */
static rp_rc copy_rows(store *from, store *to, const copy_table *t, arena *a, int64_t *rows,
                       rp_err *e) {
  strbuf sel, ins;
  sb_init(&sel, 8192);
  sb_init(&ins, 8192);
  sb_puts(&sel, "SELECT ");
  sb_printf(&ins, "INSERT INTO %s.%s (", t->schema, t->name);
  for (int c = 0; c < t->ncols; c++) {
    sb_printf(&sel, "%s\"%s\"", c ? ", " : "", t->cols[c]);
    sb_printf(&ins, "%s\"%s\"", c ? ", " : "", t->cols[c]);
  }
  sb_printf(&sel, " FROM %s.\"%s\"", strcmp(t->schema, "audit") == 0 ? "audit" : "main",
            t->name);
  sb_puts(&ins, ") VALUES (");
  for (int c = 0; c < t->ncols; c++) sb_printf(&ins, "%s$%d", c ? ", " : "", c + 1);
  sb_puts(&ins, ")");
  if (sel.failed || ins.failed) {
    sb_free(&sel);
    sb_free(&ins);
    return rp_fail(e, RP_ERR_INTERNAL, "copy_failed", "The table %s is too wide.", t->name);
  }
  const char *sel_sql = arena_strdup(a, sel.data);
  const char *ins_sql = arena_strdup(a, ins.data);
  sb_free(&sel);
  sb_free(&ins);
  db_stmt *src = db_prep(from->db, sel_sql, e);
  db_stmt *dst = src ? db_prep(to->db, ins_sql, e) : NULL;
  if (!dst) return e->rc;
  int r;
  rp_rc rc = RP_OK;
  while (!rc && (r = db_step(src, e)) == 1) {
    for (int c = 0; c < t->ncols; c++) {
      if (db_col_null(src, c)) {
        db_bind_null(dst, c + 1);
        continue;
      }
      switch (t->types[c]) {
      case COL_BLOB: db_bind_blob(dst, c + 1, db_col_blob(src, c), db_col_len(src, c)); break;
      case COL_TEXT: db_bind_text(dst, c + 1, db_col_text(src, c)); break;
      case COL_REAL: db_bind_f64(dst, c + 1, db_col_f64(src, c)); break;
      case COL_INT: db_bind_i64(dst, c + 1, db_col_i64(src, c)); break;
      }
    }
    rc = db_exec_stmt(dst, e);
    if (!rc) (*rows)++;
  }
  db_done(src);
  if (!rc && r < 0) rc = e->rc;
  return rc;
}

/* Runs one statement of the target built from fmt (names only, no data). */
static rp_rc target_exec(store *to, rp_err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static rp_rc target_exec(store *to, rp_err *e, const char *fmt, ...) {
  char sql[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return db_exec_script(to->db, sql, e);
}

/* Makes every foreign key of the target deferred (deferrable true) or not
 * deferrable again (false: once no check is pending). */
static rp_rc foreign_keys_deferred(store *to, bool deferrable, rp_err *e) {
  STORE_PREP(to,
             "SELECT n.nspname, cl.relname, co.conname FROM pg_constraint co"
             " JOIN pg_class cl ON cl.oid = co.conrelid"
             " JOIN pg_namespace n ON n.oid = cl.relnamespace"
             " WHERE co.contype = 'f' AND n.nspname IN ('public', 'audit')",
             e);
  enum { MAX_FKS = 256 };
  char(*stmts)[256] = rp_xcalloc(MAX_FKS, sizeof *stmts);
  int n = 0, r;
  while ((r = db_step(st, e)) == 1 && n < MAX_FKS)
    snprintf(stmts[n++], sizeof stmts[0], "ALTER TABLE %s.%s ALTER CONSTRAINT %s %s",
             db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2),
             deferrable ? "DEFERRABLE INITIALLY DEFERRED" : "NOT DEFERRABLE");
  db_done(st);
  rp_rc rc = r < 0 ? e->rc : RP_OK;
  for (int i = 0; i < n && !rc; i++) rc = db_exec_script(to->db, stmts[i], e);
  free(stmts);
  return rc;
}

/* Every identity column continues after the largest value copied. */
static rp_rc reset_identities(store *to, rp_err *e) {
  STORE_PREP(to,
             "SELECT table_schema, table_name, column_name FROM information_schema.columns"
             " WHERE is_identity = 'YES' AND table_schema IN ('public', 'audit')",
             e);
  char stmts[COPY_MAX_TABLES][256];
  int n = 0, r;
  while ((r = db_step(st, e)) == 1 && n < COPY_MAX_TABLES) {
    const char *sch = db_col_text(st, 0), *tab = db_col_text(st, 1), *col = db_col_text(st, 2);
    snprintf(stmts[n++], sizeof stmts[0],
             "SELECT setval(pg_get_serial_sequence('%s.%s', '%s'),"
             " GREATEST(COALESCE((SELECT MAX(\"%s\") FROM %s.%s), 0), 1),"
             " (SELECT MAX(\"%s\") FROM %s.%s) IS NOT NULL)",
             sch, tab, col, col, sch, tab, col, sch, tab);
  }
  db_done(st);
  if (r < 0) return e->rc;
  rp_rc rc = RP_OK;
  for (int i = 0; i < n && !rc; i++) rc = db_exec_script(to->db, stmts[i], e);
  return rc;
}

rp_rc store_copy(store *from, store *to, store_copy_stats *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  if (db_kind_of(from->db) != DB_SQLITE || db_kind_of(to->db) != DB_POSTGRES)
    return rp_fail(e, RP_ERR_INVALID, "copy_direction",
                   "A copy goes from a SQLite file to a PostgreSQL database.");
  copy_table *tables = rp_xcalloc(COPY_MAX_TABLES, sizeof *tables);
  arena *a = arena_new(1 << 16);
  int n = 0;
  rp_rc rc = db_begin_read(from->db, e);
  if (!rc) rc = db_begin_write(to->db, e);
  if (!rc) rc = source_tables(from, tables, &n, e);
  for (int i = 0; i < n && !rc; i++) rc = target_columns(to, &tables[i], e);
  if (!rc) rc = foreign_keys_deferred(to, true, e);
  for (int i = 0; i < n && !rc; i++)
    rc = target_exec(to, e, "ALTER TABLE %s.%s DISABLE TRIGGER USER", tables[i].schema,
                     tables[i].name);
  for (int i = 0; i < n && !rc; i++) {
    int64_t rows = 0;
    /* The rows a migration put there (key_state's one row) give way to
     * the source's. */
    rc = target_exec(to, e, "DELETE FROM %s.%s", tables[i].schema, tables[i].name);
    if (!rc) rc = copy_rows(from, to, &tables[i], a, &rows, e);
    out->rows += rows;
    out->tables++;
  }
  /* Every row's foreign keys are checked now; only then may the tables
   * change again (no ALTER TABLE while checks are pending). */
  if (!rc) rc = db_exec_script(to->db, "SET CONSTRAINTS ALL IMMEDIATE", e);
  for (int i = 0; i < n && !rc; i++)
    rc = target_exec(to, e, "ALTER TABLE %s.%s ENABLE TRIGGER USER", tables[i].schema,
                     tables[i].name);
  if (!rc) rc = foreign_keys_deferred(to, false, e);
  if (!rc) rc = reset_identities(to, e);
  if (!rc) rc = db_commit(to->db, e);
  else db_rollback(to->db);
  db_rollback(from->db);
  arena_free(a);
  free(tables);
  return rc;
}
