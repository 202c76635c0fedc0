/* health.c: the reads behind program health (see health.h). */
#include "store/health.h"
#include "store/store_internal.h"

#include <string.h>

/* Runs st expecting one row of integer columns ncol (NULL reads 0). */
static rp_rc one_row(db_stmt *st, int64_t *out, int ncol, rp_err *e) {
  int r = db_step(st, e);
  for (int i = 0; i < ncol; i++) out[i] = r == 1 ? db_col_i64(st, i) : 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_health_held(store *s, int64_t rel_id, rp_time from, rp_time to, int64_t *held,
                        rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*) FROM checkins WHERE relationship_id = $1 AND outcome = 'held'"
             " AND outcome_at > $2 AND outcome_at <= $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, to);
  return one_row(st, held, 1, e);
}

rp_rc store_health_follow(store *s, int64_t rel_id, rp_time from, rp_time to, int64_t *good,
                          int64_t *due, rp_err *e) {
  STORE_PREP(s,
             "SELECT COALESCE(SUM(good), 0), COUNT(*) FROM ("
             " SELECT 1 AS good FROM commitment_revisions v"
             " JOIN commitments c ON c.id = v.commitment_id"
             " WHERE c.relationship_id = $1 AND v.at > $2 AND v.at <= $3"
             " UNION ALL"
             " SELECT CASE WHEN state = 'kept' THEN 1 ELSE 0 END FROM commitments"
             " WHERE relationship_id = $1 AND state IN ('kept', 'kept_late', 'broken')"
             " AND closed_at > $2 AND closed_at <= $3) x",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, to);
  int64_t row[2];
  rp_rc rc = one_row(st, row, 2, e);
  *good = row[0];
  *due = row[1];
  return rc;
}

static void read_pulse(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_warn_pulse *p = elem;
  p->id = db_col_i64(st, 0);
  p->rater_id = db_col_i64(st, 1);
  p->ratee_id = db_col_i64(st, 2);
  p->answered_at = db_col_i64(st, 3);
  p->revealed_at = db_col_i64(st, 4);
  for (int i = 0; i < 7; i++)
    p->answers[i] = db_col_null(st, 5 + i) ? 0 : (int)db_col_i64(st, 5 + i);
  p->relationship_id = db_col_i64(st, 12);
}

rp_rc store_health_pulses(store *s, int64_t program_id, rp_time from, rp_time to, arena *a,
                          store_warn_pulse **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT p.id, p.rater_id, p.ratee_id, p.answered_at, p.revealed_at, p.rel1, p.rel2,"
             " p.int1, p.int2, p.com1, p.emp1, p.emp2, p.relationship_id FROM pulses p"
             " JOIN relationships r ON r.id = p.relationship_id"
             " WHERE r.program_id = $1 AND p.answered_at > $2 AND p.answered_at <= $3"
             " ORDER BY p.relationship_id, p.rater_id, p.answered_at, p.id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, to);
  size_t cap = 16, k = 0;
  store_warn_pulse *out = arena_alloc(a, sizeof *out * cap);
  int r;
  while ((r = db_step(st, e)) == 1) {
    if (k == cap) {
      store_warn_pulse *grown = arena_alloc(a, sizeof *out * cap * 2);
      memcpy(grown, out, sizeof *out * cap);
      out = grown;
      cap *= 2;
    }
    read_pulse(st, a, &out[k++]);
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}

rp_rc store_health_learners_rating(store *s, int64_t program_id, int64_t guide_id, rp_time now,
                                   int64_t *count, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(DISTINCT p.rater_id) FROM pulses p"
             " JOIN relationships r ON r.id = p.relationship_id"
             " WHERE r.program_id = $1 AND r.guide_id = $2 AND p.ratee_id = $2"
             " AND p.rater_id = r.learner_id AND p.answered_at <= $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, guide_id);
  db_bind_i64(st, 3, now);
  return one_row(st, count, 1, e);
}

rp_rc store_health_program_ids(store *s, arena *a, int64_t **ids, size_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT id FROM programs ORDER BY id", e);
  size_t cap = 16, k = 0;
  int64_t *out = arena_alloc(a, sizeof *out * cap);
  int r;
  while ((r = db_step(st, e)) == 1) {
    if (k == cap) {
      int64_t *grown = arena_alloc(a, sizeof *out * cap * 2);
      memcpy(grown, out, sizeof *out * cap);
      out = grown;
      cap *= 2;
    }
    out[k++] = db_col_i64(st, 0);
  }
  db_done(st);
  if (r < 0) return e->rc;
  *ids = out;
  *n = k;
  return RP_OK;
}
