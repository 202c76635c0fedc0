/* commitments.c: commitments, their revisions and the due-for-break scan
 * (see commitments.h). States are stored by name. */
#include "store/store_internal.h"

#include <string.h>

#define COMMITMENT_COLS                                                                            \
  "id, relationship_id, owner_id, created_by, created_at, due_at, original_due_at, state,"         \
  " closed_at, closed_by"

/* Reads COMMITMENT_COLS starting at column 0. An unknown state reads as
 * broken: never as open, so nothing acts on a row it does not understand. */
static void read_commitment(db_stmt *st, commitment *cm) {
  cm->id = db_col_i64(st, 0);
  cm->relationship_id = db_col_i64(st, 1);
  cm->owner_id = db_col_i64(st, 2);
  cm->created_by = db_col_i64(st, 3);
  cm->created_at = db_col_i64(st, 4);
  cm->due_at = db_col_i64(st, 5);
  cm->original_due_at = db_col_i64(st, 6);
  if (!commitment_state_parse(db_col_text(st, 7), &cm->state)) cm->state = COMMITMENT_BROKEN;
  cm->closed_at = db_col_i64(st, 8);
  cm->closed_by = db_col_i64(st, 9);
}

static void read_commitment_elem(db_stmt *st, arena *a, void *elem) {
  (void)a;
  read_commitment(st, elem);
}

/* COMMITMENT_COLS then text_ct (column 10). */
static void read_stored(db_stmt *st, arena *a, void *elem) {
  store_commitment *sc = elem;
  read_commitment(st, &sc->cm);
  sc->text_ct = store_col_blob(st, 10, a);
}

static void read_revision(db_stmt *st, arena *a, void *elem) {
  (void)a;
  commitment_revision *rev = elem;
  rev->id = db_col_i64(st, 0);
  rev->commitment_id = db_col_i64(st, 1);
  rev->at = db_col_i64(st, 2);
  rev->by = db_col_i64(st, 3);
  rev->old_due_at = db_col_i64(st, 4);
  rev->new_due_at = db_col_i64(st, 5);
}

rp_rc store_commitment_insert(store *s, commitment *cm, rp_blob text_ct, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO commitments (relationship_id, owner_id, created_by, text_ct,"
             " created_at, due_at, original_due_at, state) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)"
             " RETURNING id",
             e);
  db_bind_i64(st, 1, cm->relationship_id);
  db_bind_i64(st, 2, cm->owner_id);
  db_bind_id_or_null(st, 3, cm->created_by);
  db_bind_blob(st, 4, text_ct.data, text_ct.len);
  db_bind_i64(st, 5, cm->created_at);
  db_bind_i64(st, 6, cm->due_at);
  db_bind_text(st, 7, commitment_state_name(COMMITMENT_OPEN));
  cm->original_due_at = cm->due_at;
  cm->state = COMMITMENT_OPEN;
  cm->closed_at = 0;
  cm->closed_by = 0;
  return store_insert_id(st, &cm->id, e);
}

rp_rc store_commitment_get(store *s, int64_t id, arena *a, store_commitment *out, rp_err *e) {
  STORE_PREP(s, "SELECT " COMMITMENT_COLS ", text_ct FROM commitments WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "commitment", e);
  if (rc) return rc;
  read_stored(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_commitments_list(store *s, int64_t relationship_id, store_commitment_filter filter,
                             int64_t after, int limit, arena *a, store_commitment **items,
                             size_t *n, int64_t *next, rp_err *e) {
  /* $4: 0 all, 1 open only, 2 closed only. */
  STORE_PREP(s,
             "SELECT " COMMITMENT_COLS ", text_ct FROM commitments"
             " WHERE relationship_id = $1 AND id > $2"
             " AND ($4 = 0 OR ($4 = 1 AND state = 'open') OR ($4 = 2 AND state <> 'open'))"
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  db_bind_i64(st, 4,
              filter == STORE_COMMITMENTS_OPEN     ? 1
              : filter == STORE_COMMITMENTS_CLOSED ? 2
                                                   : 0);
  return store_page(st, limit, 0, sizeof **items, read_stored, a, (void **)items, n, next, e);
}

rp_rc store_commitment_close(store *s, int64_t id, commitment_state state, rp_time closed_at,
                             int64_t closed_by, rp_err *e) {
  STORE_PREP(s,
             "UPDATE commitments SET state = $1, closed_at = $2, closed_by = $3"
             " WHERE id = $4 AND state = 'open'",
             e);
  db_bind_text(st, 1, commitment_state_name(state));
  db_bind_i64(st, 2, closed_at);
  db_bind_id_or_null(st, 3, closed_by);
  db_bind_i64(st, 4, id);
  return store_exec_one(s, st, e);
}

static rp_rc move_due(store *s, const commitment_revision *rev, rp_err *e) {
  STORE_PREP(
      s, "UPDATE commitments SET due_at = $1 WHERE id = $2 AND state = 'open' AND due_at = $3", e);
  db_bind_i64(st, 1, rev->new_due_at);
  db_bind_i64(st, 2, rev->commitment_id);
  db_bind_i64(st, 3, rev->old_due_at);
  return store_exec_one(s, st, e);
}

rp_rc store_commitment_renegotiate(store *s, commitment_revision *rev, rp_err *e) {
  rp_rc rc = move_due(s, rev, e);
  if (rc) return rc;
  STORE_PREP(s,
             "INSERT INTO commitment_revisions (commitment_id, at, by_id, old_due_at, new_due_at)"
             " VALUES ($1, $2, $3, $4, $5) RETURNING id",
             e);
  db_bind_i64(st, 1, rev->commitment_id);
  db_bind_i64(st, 2, rev->at);
  db_bind_id_or_null(st, 3, rev->by);
  db_bind_i64(st, 4, rev->old_due_at);
  db_bind_i64(st, 5, rev->new_due_at);
  return store_insert_id(st, &rev->id, e);
}

/* Collects every row of a revision query (no paging: a commitment has few). */
static rp_rc collect_revisions(db_stmt *st, arena *a, commitment_revision **items, size_t *n,
                               rp_err *e) {
  size_t cap = 8, k = 0;
  commitment_revision *out = arena_alloc(a, cap * sizeof *out);
  int r;
  while ((r = db_step(st, e)) == 1) {
    if (k == cap) {
      commitment_revision *bigger = arena_alloc(a, 2 * cap * sizeof *out);
      memcpy(bigger, out, cap * sizeof *out);
      out = bigger;
      cap *= 2;
    }
    read_revision(st, a, &out[k++]);
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}

rp_rc store_commitment_revisions(store *s, int64_t commitment_id, arena *a,
                                 commitment_revision **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, commitment_id, at, by_id, old_due_at, new_due_at"
             " FROM commitment_revisions WHERE commitment_id = $1 ORDER BY id",
             e);
  db_bind_i64(st, 1, commitment_id);
  return collect_revisions(st, a, items, n, e);
}

rp_rc store_commitment_revisions_range(store *s, int64_t relationship_id, int64_t lo, int64_t hi,
                                       arena *a, commitment_revision **items, size_t *n,
                                       rp_err *e) {
  STORE_PREP(s,
             "SELECT r.id, r.commitment_id, r.at, r.by_id, r.old_due_at, r.new_due_at"
             " FROM commitment_revisions r JOIN commitments c ON c.id = r.commitment_id"
             " WHERE c.relationship_id = $1 AND r.commitment_id >= $2 AND r.commitment_id <= $3"
             " ORDER BY r.commitment_id, r.id",
             e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, lo);
  db_bind_i64(st, 3, hi);
  return collect_revisions(st, a, items, n, e);
}

rp_rc store_commitments_open_due(store *s, rp_time due_before, int64_t after, int limit, arena *a,
                                 commitment **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " COMMITMENT_COLS " FROM commitments"
             " WHERE state = 'open' AND due_at <= $1 AND id > $2"
             " AND relationship_id IN (SELECT id FROM relationships"
             "   WHERE state IN ('active', 'paused', 'completed'))"
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, due_before);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_commitment_elem, a, (void **)items, n, next,
                    e);
}
