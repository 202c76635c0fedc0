/* pulses.c: pulses, their CUSUM state and the schedule's reads (see
 * pulses.h). A skipped answer is stored as NULL. */
#include "store/store_internal.h"
#include "store/pulses.h"

#include <string.h>

/* The mean of a pulse's answered items, NULL when none is answered. */
#define PULSE_MEAN_SQL                                                                             \
  "(COALESCE(rel1, 0) + COALESCE(rel2, 0) + COALESCE(int1, 0) + COALESCE(int2, 0)"                 \
  " + COALESCE(com1, 0) + COALESCE(emp1, 0) + COALESCE(emp2, 0)) * 1.0"                            \
  " / NULLIF((CASE WHEN rel1 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN rel2 IS NULL THEN 0 ELSE 1"   \
  " END) + (CASE WHEN int1 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN int2 IS NULL THEN 0 ELSE 1"     \
  " END) + (CASE WHEN com1 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN emp1 IS NULL THEN 0 ELSE 1"     \
  " END) + (CASE WHEN emp2 IS NULL THEN 0 ELSE 1 END), 0)"

void store_read_pulse(db_stmt *st, arena *a, void *elem) {
  (void)a;
  pulse *p = elem;
  p->id = db_col_i64(st, 0);
  p->relationship_id = db_col_i64(st, 1);
  p->rater_id = db_col_i64(st, 2);
  p->ratee_id = db_col_i64(st, 3);
  p->answered_at = db_col_i64(st, 4);
  p->revealed_at = db_col_i64(st, 5);
  for (int i = 0; i < PULSE_NITEM; i++)
    p->answers[i] = db_col_null(st, 6 + i) ? PULSE_SKIPPED : (int)db_col_i64(st, 6 + i);
  p->overall = (int)db_col_i64(st, 13);
}

rp_rc store_pulse_insert(store *s, pulse *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO pulses (relationship_id, rater_id, ratee_id, answered_at, revealed_at,"
             " rel1, rel2, int1, int2, com1, emp1, emp2, overall)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
             e);
  db_bind_i64(st, 1, p->relationship_id);
  db_bind_i64(st, 2, p->rater_id);
  db_bind_i64(st, 3, p->ratee_id);
  db_bind_i64(st, 4, p->answered_at);
  db_bind_i64(st, 5, p->revealed_at);
  for (int i = 0; i < PULSE_NITEM; i++) {
    if (p->answers[i] == PULSE_SKIPPED)
      db_bind_null(st, 6 + i);
    else
      db_bind_i64(st, 6 + i, p->answers[i]);
  }
  db_bind_i64(st, 13, p->overall);
  return store_insert_id(st, &p->id, e);
}

rp_rc store_pulse_get(store *s, int64_t id, pulse *out, rp_err *e) {
  STORE_PREP(s, "SELECT " STORE_PULSE_COLS " FROM pulses WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "pulse", e);
  if (rc) return rc;
  store_read_pulse(st, NULL, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_pulses_by_rater(store *s, int64_t rel, int64_t rater, int64_t after, int limit,
                            arena *a, pulse **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_PULSE_COLS " FROM pulses WHERE relationship_id = $1 AND rater_id = $2"
             " AND id > $3 ORDER BY id LIMIT $4",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  db_bind_i64(st, 3, after);
  db_bind_i64(st, 4, limit + 1);
  return store_page(st, limit, 0, sizeof **items, store_read_pulse, a, (void **)items, n, next, e);
}

rp_rc store_pulses_latest(store *s, int64_t rel, int64_t rater, pulse out[3], size_t *n,
                          rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_PULSE_COLS " FROM pulses WHERE relationship_id = $1 AND rater_id = $2"
             " ORDER BY answered_at DESC, id DESC LIMIT 3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  int r = 0;
  *n = 0;
  while (*n < 3 && (r = db_step(st, e)) == 1)
    store_read_pulse(st, NULL, &out[(*n)++]);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

/* Runs a one-row, one-column query whose value may be NULL. */
static rp_rc optional_time(db_stmt *st, bool *found, rp_time *at, rp_err *e) {
  int r = db_step(st, e);
  *found = r == 1 && !db_col_null(st, 0);
  if (*found) *at = db_col_i64(st, 0);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_pulse_first_since(store *s, int64_t rel, int64_t rater, rp_time t, bool *found,
                              rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT MIN(answered_at) FROM pulses WHERE relationship_id = $1 AND rater_id = $2"
             " AND answered_at >= $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  db_bind_i64(st, 3, t);
  return optional_time(st, found, at, e);
}

rp_rc store_pulse_last_at(store *s, int64_t rel, int64_t rater, bool *found, rp_time *at,
                          rp_err *e) {
  STORE_PREP(s, "SELECT MAX(answered_at) FROM pulses WHERE relationship_id = $1 AND rater_id = $2",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  return optional_time(st, found, at, e);
}

/* The evidence first, while the pulses still say which are unrevealed. */
static rp_rc reveal_evidence(store *s, int64_t rel, int64_t rater, rp_time t, rp_err *e) {
  STORE_PREP(s,
             "UPDATE evidence SET visible_at = $3 WHERE relationship_id = $1 AND visible_at > $3"
             " AND event_id IN (SELECT ev.id FROM events ev JOIN pulses p ON p.id = ev.subject_id"
             " WHERE ev.relationship_id = $1 AND ev.kind = 'pulse_answered' AND p.rater_id = $2"
             " AND p.answered_at <= $3 AND p.revealed_at > $3)",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  db_bind_i64(st, 3, t);
  return db_exec_stmt(st, e);
}

rp_rc store_pulses_reveal(store *s, int64_t rel, int64_t rater, rp_time t, int64_t *count,
                          rp_err *e) {
  rp_rc rc = reveal_evidence(s, rel, rater, t, e);
  if (rc) return rc;
  STORE_PREP(s,
             "UPDATE pulses SET revealed_at = $3 WHERE relationship_id = $1 AND rater_id = $2"
             " AND answered_at <= $3 AND revealed_at > $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  db_bind_i64(st, 3, t);
  rc = db_exec_stmt(st, e);
  if (!rc) *count = db_changes(s->db);
  return rc;
}

rp_rc store_program_pulse_mean(store *s, int64_t program_id, int64_t except, int64_t *n,
                               double *mean, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(m), AVG(m) FROM (SELECT " PULSE_MEAN_SQL " AS m FROM pulses p"
             " JOIN relationships r ON r.id = p.relationship_id"
             " WHERE r.program_id = $1 AND p.id <> $2) q WHERE m IS NOT NULL",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, except);
  rp_rc rc = store_row(st, "program", e);
  if (rc) return rc;
  *n = db_col_i64(st, 0);
  *mean = db_col_null(st, 1) ? 0.0 : db_col_f64(st, 1);
  db_done(st);
  return RP_OK;
}

static void read_pulse_mean(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_pulse_mean *m = elem;
  m->id = db_col_i64(st, 0);
  m->relationship_id = db_col_i64(st, 1);
  m->rater_id = db_col_i64(st, 2);
  m->mean = db_col_f64(st, 3);
}

rp_rc store_program_pulse_means(store *s, int64_t program_id, int64_t before, arena *a,
                                store_pulse_mean **out, size_t *n, rp_err *e) {
  return store_program_pulse_means_range(s, program_id, 0, before, a, out, n, e);
}

rp_rc store_program_pulse_means_range(store *s, int64_t program_id, int64_t from, int64_t before,
                                      arena *a, store_pulse_mean **out, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, relationship_id, rater_id, m FROM (SELECT p.id, p.relationship_id,"
             " p.rater_id, " PULSE_MEAN_SQL " AS m FROM pulses p JOIN relationships r"
             " ON r.id = p.relationship_id WHERE r.program_id = $1 AND p.id >= $2 AND p.id < $3) q"
             " WHERE m IS NOT NULL ORDER BY id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, before);
  return store_collect(st, sizeof **out, read_pulse_mean, a, (void **)out, n, e);
}

rp_rc store_pulse_means_of_rels(store *s, int64_t lo, int64_t hi, arena *a,
                                store_pulse_mean **out, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, relationship_id, rater_id, m FROM (SELECT id, relationship_id, rater_id, "
             PULSE_MEAN_SQL " AS m FROM pulses WHERE relationship_id BETWEEN $1 AND $2) q"
             " WHERE m IS NOT NULL ORDER BY relationship_id, id",
             e);
  db_bind_i64(st, 1, lo);
  db_bind_i64(st, 2, hi);
  return store_collect(st, sizeof **out, read_pulse_mean, a, (void **)out, n, e);
}

rp_rc store_pulse_last_id(store *s, int64_t *id, rp_err *e) {
  STORE_PREP(s, "SELECT COALESCE(MAX(id), 0) FROM pulses", e);
  rp_rc rc = store_row(st, "pulses", e);
  if (rc) return rc;
  *id = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_pulse_cusum_get(store *s, int64_t rel, int64_t rater, store_pulse_cusum *out,
                            rp_err *e) {
  STORE_PREP(s,
             "SELECT n, first_sum, s, alarm_at FROM pulse_cusum WHERE relationship_id = $1"
             " AND rater_id = $2",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  memset(out, 0, sizeof *out);
  int r = db_step(st, e);
  if (r == 1) {
    out->n = db_col_i64(st, 0);
    out->first_sum = db_col_f64(st, 1);
    out->s = db_col_f64(st, 2);
    out->alarm_at = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_pulse_cusum_put(store *s, int64_t rel, int64_t rater, const store_pulse_cusum *c,
                            rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO pulse_cusum (relationship_id, rater_id, n, first_sum, s, alarm_at)"
             " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (relationship_id, rater_id) DO UPDATE"
             " SET n = excluded.n, first_sum = excluded.first_sum, s = excluded.s,"
             " alarm_at = excluded.alarm_at",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, rater);
  db_bind_i64(st, 3, c->n);
  db_bind_f64(st, 4, c->first_sum);
  db_bind_f64(st, 5, c->s);
  if (c->alarm_at)
    db_bind_i64(st, 6, c->alarm_at);
  else
    db_bind_null(st, 6);
  return db_exec_stmt(st, e);
}

rp_rc store_rel_active_since(store *s, int64_t rel, bool *found, rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT MIN(at) FROM events WHERE relationship_id = $1 AND kind = 'transition'"
             " AND to_state = 'active'",
             e);
  db_bind_i64(st, 1, rel);
  return optional_time(st, found, at, e);
}

rp_rc store_checkin_nth_held_after(store *s, int64_t rel, rp_time after, int nth, bool *found,
                                   rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT outcome_at FROM checkins WHERE relationship_id = $1 AND outcome = 'held'"
             " AND outcome_at > $2 ORDER BY outcome_at, id LIMIT 1 OFFSET $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, nth - 1);
  return optional_time(st, found, at, e);
}

rp_rc store_checkins_held_between(store *s, int64_t rel, rp_time from, rp_time to, int64_t *count,
                                  rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*) FROM checkins WHERE relationship_id = $1 AND outcome = 'held'"
             " AND outcome_at >= $2 AND outcome_at <= $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, to);
  rp_rc rc = store_row(st, "relationship", e);
  if (rc) return rc;
  *count = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}
