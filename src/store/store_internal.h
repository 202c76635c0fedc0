/* store_internal.h: what store/ sources share and nobody else sees. */
#ifndef RAPPORT_STORE_INTERNAL_H
#define RAPPORT_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

struct store {
  db *db;
  int depth;    /* open store_begin_* calls; reads nest, writes do not */
  bool writing; /* the open transaction holds the process's write lock */
  unsigned page_cap_gen; /* the store_limit_pages_all call applied last */
};

/* Copies a text column into the arena (NULL stays NULL). */
const char *store_col_str(db_stmt *st, int col, arena *a);
/* Copies a blob column into the arena. */
rp_blob store_col_blob(db_stmt *st, int col, arena *a);
/* Runs a statement that must change exactly one row, else RP_ERR_NOT_FOUND. */
rp_rc store_exec_one(store *s, db_stmt *st, rp_err *e);
/* Steps a statement expected to return one row; RP_ERR_NOT_FOUND if none.
 * On RP_OK the row is ready and the caller must db_done(st). */
rp_rc store_row(db_stmt *st, const char *what, rp_err *e);
/* Runs an INSERT ... RETURNING id and sets *id. */
rp_rc store_insert_id(db_stmt *st, int64_t *id, rp_err *e);

/* Reads one row into `elem` (of the list's element type). */
typedef void (*store_read_fn)(db_stmt *st, arena *a, void *elem);

/* store_page runs a list statement that was bound with LIMIT limit+1 and
 * collects up to `limit` rows of elem_size bytes each; when a further row
 * exists, *next is the cursor of the last row kept (column `cursor_col`,
 * usually the id), else 0. Resets the statement. */
rp_rc store_page(db_stmt *st, int limit, int cursor_col, size_t elem_size, store_read_fn read,
                 arena *a, void **items, size_t *n, int64_t *next, rp_err *e);

/* store_collect steps st to its end, reading every row into a growing
 * array of elem_size-byte elements (zeroed before `read`) in the arena:
 * for short lists that need no paging. Resets the statement. */
rp_rc store_collect(db_stmt *st, size_t elem_size, store_read_fn read, arena *a, void **items,
                    size_t *n, rp_err *e);

/* Writes into buf (cap bytes) the SQL `head` followed by the parameters
 * of `rows` rows of `cols` each, numbered from 1: "($1, $2), ($3, $4)",
 * for a statement that writes many rows at once. Returns the length
 * written. */
size_t store_sql_rows(char *buf, size_t cap, const char *head, int rows, int cols);

/* Column lists and row readers that store/recompute.c shares with the
 * files that own the tables (each reads its columns from 0 on). */
#define STORE_REL_COLS STORE_REL_COLS_OF("")
/* The same of the table named t ("r."), for statements that join it. */
#define STORE_REL_COLS_OF(t)                                                                       \
  t "id, " t "program_id, " t "guide_id, " t "learner_id, " t "state, " t "guide_accepted, " t      \
  "learner_accepted, " t "proposed_by, " t "proposed_at, " t "state_since"
/* A request's session and its person (store_signed_in), to read with
 * store_read_signed_in: the columns, and what a statement that reads a
 * row for that session joins (the row's table after it, LEFT JOINed, so
 * that a session without the row still answers). */
#define STORE_SIGNED_IN_COLS "s.person_id, p.is_site_admin, s.created_at, s.last_seen_at"
#define STORE_SIGNED_IN_FROM " FROM sessions s JOIN persons p ON p.id = s.person_id"
void store_read_signed_in(db_stmt *st, int col, store_signed_in *out);
#define STORE_PULSE_COLS                                                                           \
  "id, relationship_id, rater_id, ratee_id, answered_at, revealed_at, rel1, rel2, int1, int2,"    \
  " com1, emp1, emp2, overall"
#define STORE_PROGRAM_COLS                                                                         \
  "id, name, kind, cadence_days, reply_window_hours, pulse_every_days, k_anonymity,"              \
  " warnings_off, created_at"
#define STORE_WARNING_COLS                                                                         \
  "id, relationship_id, code, severity, party_id, components, since, evidence, practice,"         \
  " visible_at, cleared_at"
void store_read_rel(db_stmt *st, arena *a, void *elem);           /* relationship */
void store_read_program(db_stmt *st, arena *a, void *elem);       /* program */
void store_read_pulse(db_stmt *st, arena *a, void *elem);         /* pulse */
void store_read_evidence(db_stmt *st, arena *a, void *elem);      /* store_evidence */
void store_read_warning(db_stmt *st, arena *a, void *elem);       /* store_warning */
void store_read_warn_checkin(db_stmt *st, arena *a, void *elem);  /* store_warn_checkin */
void store_read_warn_commit(db_stmt *st, arena *a, void *elem);   /* store_warn_commit */
void store_read_warn_request(db_stmt *st, arena *a, void *elem);  /* store_warn_request */
void store_read_warn_feedback(db_stmt *st, arena *a, void *elem); /* store_warn_feedback */
void store_read_warn_goal(db_stmt *st, arena *a, void *elem);     /* store_warn_goal */
void store_read_warn_incident(db_stmt *st, arena *a, void *elem); /* store_warn_incident */

/* The row of st that trust_sums row (about, comp, kind) holds
 * (store/evidence.h; about and comp in range). */
struct trust_state;
struct trust_sums *store_sums_row(struct trust_state *st, int about, int comp, int kind);

#define STORE_PREP(s, sql, e)                                                                  \
  db_stmt *st = db_prep((s)->db, (sql), (e));                                                  \
  if (!st) return (e) ? (e)->rc : RP_ERR_INTERNAL

#endif
