/* f360.c: the rows of 360-degree feedback (see f360.h). */
#include "store/f360.h"
#include "store/store_internal.h"

#include <string.h>

static const char *const STATES[] = {"invited", "answered", "declined", "done"};

static store_f360_state state_of(const char *s) {
  for (int i = 0; i < 4; i++)
    if (s && strcmp(s, STATES[i]) == 0) return (store_f360_state)i;
  return F360_DONE;
}

static f360_group group_of(const char *s) {
  f360_group g = F360_OTHER;
  f360_group_parse(s, &g);
  return g;
}

#define REQ_COLS                                                                                   \
  "r.id, r.requester_id, r.program_id, r.purpose_ct, r.self1, r.self2, r.self3, r.self4,"          \
  " r.self5, r.self6, r.self7, r.deadline, r.created_at, r.state, r.closed_at, r.report_ct,"       \
  " r.shared_relationship_id, r.shared_at,"                                                        \
  " (SELECT COUNT(*) FROM f360_raters x WHERE x.request_id = r.id)"

static void read_req(db_stmt *st, arena *a, void *elem) {
  store_f360 *r = elem;
  r->id = db_col_i64(st, 0);
  r->requester_id = db_col_i64(st, 1);
  r->program_id = db_col_i64(st, 2);
  r->purpose = store_col_blob(st, 3, a);
  for (int i = 0; i < F360_NITEM; i++) r->self[i] = (int)db_col_i64(st, 4 + i);
  r->deadline = db_col_i64(st, 11);
  r->created_at = db_col_i64(st, 12);
  r->closed = strcmp(db_col_text(st, 13), "closed") == 0;
  r->closed_at = db_col_null(st, 14) ? 0 : db_col_i64(st, 14);
  r->report = db_col_null(st, 15) ? (rp_blob){0} : store_col_blob(st, 15, a);
  r->shared_relationship_id = db_col_null(st, 16) ? 0 : db_col_i64(st, 16);
  r->shared_at = db_col_null(st, 17) ? 0 : db_col_i64(st, 17);
  r->invited = db_col_i64(st, 18);
}

rp_rc store_f360_insert(store *s, store_f360 *r, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO f360_requests (requester_id, program_id, purpose_ct, self1, self2,"
             " self3, self4, self5, self6, self7, deadline, created_at, state)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open') RETURNING id",
             e);
  db_bind_i64(st, 1, r->requester_id);
  db_bind_i64(st, 2, r->program_id);
  db_bind_blob(st, 3, r->purpose.data, r->purpose.len);
  for (int i = 0; i < F360_NITEM; i++) db_bind_i64(st, 4 + i, r->self[i]);
  db_bind_i64(st, 11, r->deadline);
  db_bind_i64(st, 12, r->created_at);
  return store_insert_id(st, &r->id, e);
}

rp_rc store_f360_get(store *s, int64_t id, arena *a, store_f360 *out, rp_err *e) {
  STORE_PREP(s, "SELECT " REQ_COLS " FROM f360_requests r WHERE r.id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "feedback request", e);
  if (rc) return rc;
  memset(out, 0, sizeof *out);
  read_req(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_f360_list(store *s, int64_t requester_id, int64_t after, int limit, arena *a,
                      store_f360 **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REQ_COLS " FROM f360_requests r WHERE r.requester_id = $1"
             " AND ($2 = 0 OR r.id < $2) ORDER BY r.id DESC LIMIT $3",
             e);
  db_bind_i64(st, 1, requester_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_req, a, (void **)items, n, next, e);
}

rp_rc store_f360_set_deadline(store *s, int64_t id, rp_time deadline, rp_err *e) {
  STORE_PREP(s, "UPDATE f360_requests SET deadline = $2 WHERE id = $1 AND state = 'open'", e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, deadline);
  return store_exec_one(s, st, e);
}

static rp_rc exec_any(store *s, const char *sql, int64_t id, rp_err *e) {
  db_stmt *st = db_prep(s->db, sql, e);
  if (!st) return e->rc;
  db_bind_i64(st, 1, id);
  return db_exec_stmt(st, e);
}

rp_rc store_f360_close(store *s, int64_t id, rp_time at, rp_blob report, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s,
               "UPDATE f360_requests SET state = 'closed', closed_at = $2, report_ct = $3"
               " WHERE id = $1 AND state = 'open'",
               e);
    db_bind_i64(st, 1, id);
    db_bind_i64(st, 2, at);
    db_bind_blob(st, 3, report.data, report.len);
    rc = store_exec_one(s, st, e);
  }
  static const char del[] = "DELETE FROM f360_answers WHERE request_id = $1";
  static const char done[] = "UPDATE f360_raters SET state = 'done' WHERE request_id = $1";
  if (!rc) rc = exec_any(s, del, id, e);
  if (!rc) rc = exec_any(s, done, id, e);
  return rc;
}

rp_rc store_f360_share(store *s, int64_t id, int64_t rel_id, rp_time at, rp_err *e) {
  STORE_PREP(s,
             "UPDATE f360_requests SET shared_relationship_id = $2, shared_at = $3 WHERE id = $1",
             e);
  db_bind_i64(st, 1, id);
  db_bind_id_or_null(st, 2, rel_id);
  if (rel_id) db_bind_i64(st, 3, at);
  else db_bind_null(st, 3);
  return store_exec_one(s, st, e);
}

rp_rc store_f360_due(store *s, rp_time now, int limit, arena *a, int64_t **ids, size_t *n,
                     rp_err *e) {
  STORE_PREP(s,
             "SELECT id FROM f360_requests WHERE state = 'open' AND deadline <= $1"
             " ORDER BY id LIMIT $2",
             e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, limit);
  int64_t *out = arena_alloc(a, sizeof *out * (size_t)(limit > 0 ? limit : 1));
  size_t k = 0;
  int r;
  while ((r = db_step(st, e)) == 1 && k < (size_t)limit) out[k++] = db_col_i64(st, 0);
  db_done(st);
  if (r < 0) return e->rc;
  *ids = out;
  *n = k;
  return RP_OK;
}

/* ---- raters ---- */

#define RATER_COLS "x.id, x.request_id, COALESCE(x.person_id, 0), x.grp, x.state, x.invited_at"

static void read_rater(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_f360_rater *r = elem;
  r->id = db_col_i64(st, 0);
  r->request_id = db_col_i64(st, 1);
  r->person_id = db_col_i64(st, 2);
  r->group = group_of(db_col_text(st, 3));
  r->state = state_of(db_col_text(st, 4));
  r->invited_at = db_col_i64(st, 5);
}

rp_rc store_f360_rater_insert(store *s, store_f360_rater *r, const unsigned char *token_hash,
                              size_t hash_len, const unsigned char *email_hash, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO f360_raters (request_id, person_id, token_hash, grp, state, invited_at,"
             " email_hash) VALUES ($1, $2, $3, $4, 'invited', $5, $6) RETURNING id",
             e);
  db_bind_i64(st, 1, r->request_id);
  db_bind_id_or_null(st, 2, r->person_id);
  if (token_hash) db_bind_blob(st, 3, token_hash, hash_len);
  else db_bind_null(st, 3);
  db_bind_text(st, 4, f360_group_name(r->group));
  db_bind_i64(st, 5, r->invited_at);
  if (email_hash) db_bind_blob(st, 6, email_hash, hash_len);
  else db_bind_null(st, 6);
  return store_insert_id(st, &r->id, e);
}

rp_rc store_f360_raters(store *s, int64_t request_id, arena *a, store_f360_rater **items,
                        size_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT " RATER_COLS " FROM f360_raters x WHERE x.request_id = $1 ORDER BY x.id",
             e);
  db_bind_i64(st, 1, request_id);
  return store_collect(st, sizeof **items, read_rater, a, (void **)items, n, e);
}

static rp_rc one_rater(db_stmt *st, store_f360_rater *out, rp_err *e) {
  rp_rc rc = store_row(st, "rater", e);
  if (rc) return rc;
  read_rater(st, NULL, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_f360_rater_of(store *s, int64_t request_id, int64_t person_id,
                          store_f360_rater *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT " RATER_COLS " FROM f360_raters x WHERE x.request_id = $1"
             " AND x.person_id = $2",
             e);
  db_bind_i64(st, 1, request_id);
  db_bind_i64(st, 2, person_id);
  return one_rater(st, out, e);
}

rp_rc store_f360_rater_by_token(store *s, const unsigned char *hash, size_t len,
                                store_f360_rater *out, rp_err *e) {
  STORE_PREP(s, "SELECT " RATER_COLS " FROM f360_raters x WHERE x.token_hash = $1", e);
  db_bind_blob(st, 1, hash, len);
  return one_rater(st, out, e);
}

rp_rc store_f360_rater_set(store *s, int64_t rater_id, store_f360_state state, rp_err *e) {
  STORE_PREP(s, "UPDATE f360_raters SET state = $2 WHERE id = $1", e);
  db_bind_i64(st, 1, rater_id);
  db_bind_text(st, 2, STATES[state]);
  return store_exec_one(s, st, e);
}

typedef struct ask_row {
  store_f360 req;
  store_f360_rater rater;
} ask_row;

static void read_ask(db_stmt *st, arena *a, void *elem) {
  ask_row *x = elem;
  read_req(st, a, &x->req);
  x->rater.id = db_col_i64(st, 19);
  x->rater.request_id = x->req.id;
  x->rater.person_id = db_col_i64(st, 20);
  x->rater.group = group_of(db_col_text(st, 21));
  x->rater.state = state_of(db_col_text(st, 22));
  x->rater.invited_at = db_col_i64(st, 23);
}

rp_rc store_f360_asks(store *s, int64_t person_id, arena *a, store_f360 **items,
                      store_f360_rater **raters, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REQ_COLS ", k.id, k.person_id, k.grp, k.state, k.invited_at"
             " FROM f360_raters k JOIN f360_requests r ON r.id = k.request_id"
             " WHERE k.person_id = $1 ORDER BY r.id DESC LIMIT 200",
             e);
  db_bind_i64(st, 1, person_id);
  ask_row *rows;
  rp_rc rc = store_collect(st, sizeof *rows, read_ask, a, (void **)&rows, n, e);
  if (rc) return rc;
  *items = arena_alloc(a, sizeof **items * (*n ? *n : 1));
  *raters = arena_alloc(a, sizeof **raters * (*n ? *n : 1));
  for (size_t i = 0; i < *n; i++) {
    (*items)[i] = rows[i].req;
    (*raters)[i] = rows[i].rater;
  }
  return RP_OK;
}

rp_rc store_f360_asked_since(store *s, int64_t requester_id, int64_t person_id,
                             const unsigned char *email_hash, size_t hash_len, rp_time since,
                             bool *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*) FROM f360_raters k JOIN f360_requests r ON r.id = k.request_id"
             " WHERE r.requester_id = $1 AND (k.person_id = $2 OR k.email_hash = $4)"
             " AND r.created_at > $3",
             e);
  db_bind_i64(st, 1, requester_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, since);
  db_bind_blob(st, 4, email_hash, hash_len);
  int r = db_step(st, e);
  *out = r == 1 && db_col_i64(st, 0) > 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

/* ---- answers ---- */

rp_rc store_f360_answer_insert(store *s, store_f360_answer *a, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO f360_answers (request_id, grp, member, signed_by, r1, r2, r3, r4, r5,"
             " r6, r7, keep_ct, change_ct)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
             e);
  db_bind_i64(st, 1, a->request_id);
  db_bind_text(st, 2, f360_group_name(a->group));
  db_bind_i64(st, 3, a->member ? 1 : 0);
  db_bind_id_or_null(st, 4, a->signed_by);
  for (int i = 0; i < F360_NITEM; i++) db_bind_i64(st, 5 + i, a->ratings[i]);
  db_bind_blob(st, 12, a->keep.data, a->keep.len);
  db_bind_blob(st, 13, a->change.data, a->change.len);
  return store_insert_id(st, &a->id, e);
}

static void read_answer(db_stmt *st, arena *a, void *elem) {
  store_f360_answer *x = elem;
  x->id = db_col_i64(st, 0);
  x->request_id = db_col_i64(st, 1);
  x->group = group_of(db_col_text(st, 2));
  x->member = db_col_i64(st, 3) != 0;
  x->signed_by = db_col_null(st, 4) ? 0 : db_col_i64(st, 4);
  for (int i = 0; i < F360_NITEM; i++) x->ratings[i] = (int)db_col_i64(st, 5 + i);
  x->keep = store_col_blob(st, 12, a);
  x->change = store_col_blob(st, 13, a);
}

rp_rc store_f360_answers(store *s, int64_t request_id, arena *a, store_f360_answer **items,
                         size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, request_id, grp, member, signed_by, r1, r2, r3, r4, r5, r6, r7,"
             " keep_ct, change_ct FROM f360_answers WHERE request_id = $1 ORDER BY id",
             e);
  db_bind_i64(st, 1, request_id);
  return store_collect(st, sizeof **items, read_answer, a, (void **)items, n, e);
}

rp_rc store_f360_program_counts(store *s, int64_t program_id, int64_t *requests,
                                int64_t *completed, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), 0)"
             " FROM f360_requests WHERE program_id = $1",
             e);
  db_bind_i64(st, 1, program_id);
  int r = db_step(st, e);
  *requests = r == 1 ? db_col_i64(st, 0) : 0;
  *completed = r == 1 ? db_col_i64(st, 1) : 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_f360_guide_of(store *s, int64_t guide_id, int64_t learner_id, int64_t *rel_id,
                          rp_err *e) {
  STORE_PREP(s,
             "SELECT COALESCE(MAX(id), 0) FROM relationships WHERE guide_id = $1"
             " AND learner_id = $2 AND state IN ('active', 'paused', 'completed', 'alumni')",
             e);
  db_bind_i64(st, 1, guide_id);
  db_bind_i64(st, 2, learner_id);
  int r = db_step(st, e);
  *rel_id = r == 1 ? db_col_i64(st, 0) : 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}
