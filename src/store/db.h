/* db.h: the small driver interface under store/ (internal to store/).
 *
 * The domain-level functions in store/ sources are written once against this
 * interface with SQL in the subset SQLite and PostgreSQL both accept ($n
 * placeholders, RETURNING, ON CONFLICT, integer times). Each backend
 * (sqlite/, later postgres/) implements it. Statements are prepared once
 * per connection and kept, keyed by the address of their SQL text, so SQL
 * must be a string literal or other static storage.
 *
 * A statement from db_prep is ready for binding; db_step runs it; db_done
 * resets it for the next use. Columns count from 0, parameters from 1 ($1).
 */
#ifndef RAPPORT_STORE_DB_H
#define RAPPORT_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum db_kind { DB_SQLITE, DB_POSTGRES } db_kind;

/* Which backend a database argument names: a postgresql:// (or
 * postgres://) URI is PostgreSQL, anything else a SQLite file. */
db_kind db_kind_of_path(const char *path);
db_kind db_kind_of(const db *d);

/* Opens the database at path (creating a SQLite file; a PostgreSQL
 * database must exist) with Rapport's settings. */
rp_rc db_open(const char *path, db **out, rp_err *e);
void db_close(db *d);

/* Returns the prepared statement for sql, or NULL with e filled. */
db_stmt *db_prep(db *d, const char *sql, rp_err *e);
void db_bind_i64(db_stmt *s, int n, int64_t v);
void db_bind_f64(db_stmt *s, int n, double v);
void db_bind_null(db_stmt *s, int n);
void db_bind_text(db_stmt *s, int n, const char *v); /* NULL binds NULL */
void db_bind_blob(db_stmt *s, int n, const void *v, size_t len);
/* Binds v, or NULL when v is 0 (for optional person ids). */
void db_bind_id_or_null(db_stmt *s, int n, int64_t v);

/* Returns 1 when a row is ready, 0 when done, -1 on error (e filled). */
int db_step(db_stmt *s, rp_err *e);
/* Runs the bound statements s[0..n) of one connection ahead of their
 * first db_step: on PostgreSQL all in one round trip (one pipeline, with
 * a BEGIN still queued), each then stepped through its rows by db_step as
 * if that step had run it, an error of one showing at its first db_step;
 * on SQLite nothing (each runs at its first step, as always). Every one
 * must then be stepped or db_done'd before the connection runs anything
 * else. */
void db_run_ahead(db_stmt **s, size_t n);
/* Sends the bound statement s, a read, with the next statement the
 * connection runs (on PostgreSQL in that one's pipeline, after what is
 * queued before it: a transaction's BEGIN and locks), its rows kept for its
 * first db_step; a step of s before then sends it at once. So a read that
 * needs no answer before another can share that one's round trip. On
 * SQLite nothing: s runs at its first step. A result never stepped is
 * dropped at the transaction's end. */
void db_send_ahead(db_stmt *s);
/* Runs the bound statement s, a write whose answer nobody reads (no rows,
 * no db_changes): on PostgreSQL it is queued and goes in the pipeline of
 * the next statement sent (at the latest with the COMMIT), its failure
 * then being that statement's (the transaction is lost either way); on
 * SQLite db_exec_stmt. Statements run in the order they were given. */
rp_rc db_exec_later(db_stmt *s, rp_err *e);
/* db_run_ahead, and the transaction's COMMIT sent after the statements in
 * the same round trip on PostgreSQL: the next db_commit (or
 * db_commit_unsynced) reads that COMMIT's outcome instead of sending one,
 * and db_sync then has nothing to wait for (the COMMIT waits for the disk
 * as the connection's db_set_durable says). When a statement fails, the
 * server skips the COMMIT: the caller rolls back, as after any failed
 * statement. On SQLite, db_run_ahead. */
void db_run_ahead_commit(db_stmt **s, size_t n);
/* db_step, then db_done; for statements that return no rows. */
rp_rc db_exec_stmt(db_stmt *s, rp_err *e);
void db_done(db_stmt *s);

bool db_col_null(db_stmt *s, int col);
int64_t db_col_i64(db_stmt *s, int col);
double db_col_f64(db_stmt *s, int col);
const char *db_col_text(db_stmt *s, int col); /* valid until the next step */
const void *db_col_blob(db_stmt *s, int col);
size_t db_col_len(db_stmt *s, int col);

/* Runs one or more statements without parameters (migrations, pragmas). */
rp_rc db_exec_script(db *d, const char *sql, rp_err *e);

/* Transactions. A write transaction takes the write lock at once. */
rp_rc db_begin_write(db *d, rp_err *e);
rp_rc db_begin_read(db *d, rp_err *e);
/* A read transaction whose first statement reads what decides the rest
 * (a GET's session and the row it asks for, in one statement). On
 * PostgreSQL that statement runs on its own, its own snapshot, with no
 * BEGIN before it and nothing to end after it: a read of one statement is
 * one round trip. Statements after it run in one REPEATABLE READ
 * transaction begun with the second (one snapshot among them, taken
 * then). On SQLite it is db_begin_read. Only for reads. */
rp_rc db_begin_read_one(db *d, rp_err *e);
/* A write transaction for rebuilding derived rows of the relationships
 * lo..hi (`rapport trust recompute`). On PostgreSQL it holds the writers'
 * lock shared, so that such rebuilds on several connections run at once
 * while every other writer still waits for them (and they for it), and an
 * advisory lock of each relationship in the range, taken in id order, so
 * that two rebuilds of one relationship serialise. On SQLite it is
 * db_begin_write. */
rp_rc db_begin_rebuild(db *d, int64_t lo, int64_t hi, rp_err *e);
/* A write transaction that concerns the relationship rel_id alone. On
 * PostgreSQL it holds the writers' lock shared and that relationship's
 * advisory lock (the one db_begin_rebuild takes), so that writes to one
 * relationship serialise, from every instance, while writes to others
 * run beside them; writers of the whole database (db_begin_write) wait
 * for all of them and they for it. On SQLite it is db_begin_write. */
rp_rc db_begin_write_rel(db *d, int64_t rel_id, rp_err *e);
/* The write of one item's relationship, named by the item's id: rel_sql
 * (static storage) selects the id of the relationship of item $1, which
 * never changes. On PostgreSQL db_begin_write_rel's locks, that
 * relationship's taken over rel_sql, both sent with the transaction's
 * first statement; then db_item_rel tells which relationship it locked,
 * to check against the item as read (an item committed by another writer
 * after the lock was taken is not covered by it). On SQLite
 * db_begin_write. */
rp_rc db_begin_write_item(db *d, const char *rel_sql, int64_t id, rp_err *e);
/* After db_begin_write_item, the first time: 1 with *rel_id the
 * relationship locked (0 when there was no such item), or -1 on error (e
 * filled); 0 when there is nothing to tell (any other transaction, or
 * asked before, or SQLite, whose write lock covers everything). */
int db_item_rel(db *d, int64_t *rel_id, rp_err *e);
/* Makes the open transaction hold the access log's lock to its end, so
 * that its appends follow the last committed head: on PostgreSQL an
 * advisory lock of the log's own (every appender of every instance takes
 * it, whatever other lock it holds; a transaction that has not run a
 * statement yet becomes a writer's, READ COMMITTED, to read that head);
 * on SQLite nothing: the process's write lock (store/) and SQLite's own
 * locking at the first write do it. */
rp_rc db_lock_log(db *d, rp_err *e);
rp_rc db_commit(db *d, rp_err *e);
/* Group commit. db_commit_unsynced commits and releases the transaction's
 * locks without waiting for the disk; db_sync then waits until that commit
 * is on disk (durable as db_commit's), so the caller answers only after
 * db_sync returned. Several connections waiting in db_sync at once share
 * one flush of the log, which a write lock held until the flush would
 * never allow. On SQLite db_commit_unsynced is db_commit and db_sync does
 * nothing. */
rp_rc db_commit_unsynced(db *d, rp_err *e);
rp_rc db_sync(db *d, rp_err *e);
void db_rollback(db *d);
bool db_in_tx(db *d);

/* Rows changed by the last statement. */
int64_t db_changes(db *d);

/* Copies the live database `schema` ("main", "audit") to path through
 * SQLite's online backup API. */
rp_rc db_backup(db *d, const char *schema, const char *path, rp_err *e);

/* Attaches the access log's database file at path as the schema "audit",
 * creating it, with the same settings as db_open except synchronous=NORMAL
 * (app/privacy/audit.c says why) and its own checkpoint threshold. */
rp_rc db_attach(db *d, const char *path, rp_err *e);

/* Copies what it can of schema's WAL into its database file without
 * waiting for any lock (SQLite's PASSIVE checkpoint). */
rp_rc db_checkpoint_passive(db *d, const char *schema, rp_err *e);
/* Empties the write-ahead log of every attached file, so that no copy of
 * deleted pages stays in it (after crypto-shredding). Nothing to do on
 * PostgreSQL, which recycles its WAL segments and vacuums dead rows by
 * itself (docs/operations.md says what that means for shredding there). */
rp_rc db_checkpoint_truncate(db *d, rp_err *e);
/* The size in pages of the audit database's WAL as this process's last
 * commit to it left it (0 before any). */
int db_audit_wal_pages(void);

/* Limits the size in pages of the database and of the attached access-log
 * file, each (tests simulate a full disk); 0 = none. */
rp_rc db_set_max_pages(db *d, int64_t pages, rp_err *e);

/* Notifications between processes on one database (PostgreSQL's LISTEN
 * and NOTIFY; SQLite has none: db_notify does nothing there and db_listen
 * answers RP_ERR_INVALID). db_notify sends on `channel`, delivered when
 * the caller's transaction commits; db_listen subscribes d (a connection
 * of its own, outside transactions); db_wait waits up to timeout_ms and
 * returns how many notifications arrived (0 on time-out), -1 when the
 * connection failed (e filled). */
rp_rc db_notify(db *d, const char *channel, rp_err *e);
rp_rc db_listen(db *d, const char *channel, rp_err *e);
int db_wait(db *d, int timeout_ms, rp_err *e);

/* Whether commits wait for the disk (true, the default) or only keep the
 * database consistent (false: a power cut may lose the latest commits but
 * never corrupts). Only for rewriting data that can be derived again. */
rp_rc db_set_durable(db *d, bool durable, rp_err *e);
/* The statement whose one row and column is the size of the database in
 * bytes (SQLite: both files; PostgreSQL: the database). */
const char *db_size_sql(const db *d);
/* False when the connection to the database is lost (PostgreSQL went
 * away): it must be opened again. SQLite's is never lost. */
bool db_connected(db *d);

#endif
