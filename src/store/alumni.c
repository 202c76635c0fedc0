/* alumni.c: the rows of the alumni network (see alumni.h). */
#include "store/alumni.h"
#include "store/store_internal.h"

#include <string.h>

#define COLS                                                                                       \
  "a.id, a.program_id, a.person_id, a.joined_at, a.show_name, a.show_topics, a.show_contact,"     \
  " a.topics, a.guiding_since, p.name"

static void read_alumnus(db_stmt *st, arena *a, void *elem) {
  store_alumnus *x = elem;
  x->id = db_col_i64(st, 0);
  x->program_id = db_col_i64(st, 1);
  x->person_id = db_col_i64(st, 2);
  x->joined_at = db_col_i64(st, 3);
  x->show_name = db_col_i64(st, 4) != 0;
  x->show_topics = db_col_i64(st, 5) != 0;
  x->show_contact = db_col_i64(st, 6) != 0;
  x->topics = store_col_str(st, 7, a);
  x->guiding_since = db_col_null(st, 8) ? 0 : db_col_i64(st, 8);
  x->name = store_col_str(st, 9, a);
}

rp_rc store_alumnus_put(store *s, store_alumnus *a, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO alumni (program_id, person_id, joined_at, show_name, show_topics,"
             " show_contact, topics) VALUES ($1, $2, $3, $4, $5, $6, $7)"
             " ON CONFLICT (program_id, person_id) DO UPDATE SET show_name = excluded.show_name,"
             " show_topics = excluded.show_topics, show_contact = excluded.show_contact,"
             " topics = excluded.topics RETURNING id",
             e);
  db_bind_i64(st, 1, a->program_id);
  db_bind_i64(st, 2, a->person_id);
  db_bind_i64(st, 3, a->joined_at);
  db_bind_i64(st, 4, a->show_name);
  db_bind_i64(st, 5, a->show_topics);
  db_bind_i64(st, 6, a->show_contact);
  db_bind_text(st, 7, a->topics ? a->topics : "");
  return store_insert_id(st, &a->id, e);
}

rp_rc store_alumnus_get(store *s, int64_t program_id, int64_t person_id, arena *a,
                        store_alumnus *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT " COLS " FROM alumni a JOIN persons p ON p.id = a.person_id"
             " WHERE a.program_id = $1 AND a.person_id = $2",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  rp_rc rc = store_row(st, "alumnus", e);
  if (rc) return rc;
  memset(out, 0, sizeof *out);
  read_alumnus(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_alumnus_delete(store *s, int64_t program_id, int64_t person_id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM alumni WHERE program_id = $1 AND person_id = $2", e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_alumnus_guiding(store *s, int64_t program_id, int64_t person_id, rp_time since,
                            rp_err *e) {
  STORE_PREP(s,
             "UPDATE alumni SET guiding_since = COALESCE(guiding_since, $3)"
             " WHERE program_id = $1 AND person_id = $2",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, since);
  return store_exec_one(s, st, e);
}

rp_rc store_alumni_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                        store_alumnus **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " COLS " FROM alumni a JOIN persons p ON p.id = a.person_id"
             " WHERE a.program_id = $1 AND a.id > $2 ORDER BY a.id LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_alumnus, a, (void **)items, n, next, e);
}

rp_rc store_alumni_of_person(store *s, int64_t person_id, arena *a, store_alumnus **items,
                             size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " COLS " FROM alumni a JOIN persons p ON p.id = a.person_id"
             " WHERE a.person_id = $1 ORDER BY a.id",
             e);
  db_bind_i64(st, 1, person_id);
  return store_collect(st, sizeof **items, read_alumnus, a, (void **)items, n, e);
}

static rp_rc count_of(db_stmt *st, int64_t *n, rp_err *e) {
  int r = db_step(st, e);
  *n = r == 1 ? db_col_i64(st, 0) : 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_alumni_guiding_count(store *s, int64_t program_id, int64_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*) FROM alumni a WHERE a.program_id = $1 AND a.guiding_since IS NOT NULL"
             " AND EXISTS (SELECT 1 FROM memberships m WHERE m.program_id = a.program_id"
             " AND m.person_id = a.person_id AND m.role = 'guide')",
             e);
  db_bind_i64(st, 1, program_id);
  return count_of(st, n, e);
}

rp_rc store_alumni_eligible(store *s, int64_t program_id, int64_t person_id, bool *any,
                            bool *as_learner, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*), COALESCE(SUM(CASE WHEN learner_id = $2 THEN 1 ELSE 0 END), 0)"
             " FROM relationships WHERE program_id = $1 AND (guide_id = $2 OR learner_id = $2)"
             " AND state IN ('completed', 'alumni')",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  int r = db_step(st, e);
  *any = r == 1 && db_col_i64(st, 0) > 0;
  *as_learner = r == 1 && db_col_i64(st, 1) > 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_long_term_set(store *s, int64_t rel_id, int64_t person_id, bool want, rp_time now,
                          rp_err *e) {
  db_stmt *st = db_prep(s->db,
                        want ? "INSERT INTO alumni_long_term (relationship_id, person_id, since)"
                               " VALUES ($1, $2, $3) ON CONFLICT (relationship_id, person_id)"
                               " DO NOTHING"
                             : "DELETE FROM alumni_long_term WHERE relationship_id = $1"
                               " AND person_id = $2",
                        e);
  if (!st) return e->rc;
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, person_id);
  if (want) db_bind_i64(st, 3, now);
  return db_exec_stmt(st, e);
}

rp_rc store_long_term_wants(store *s, int64_t rel_id, int64_t person_id, bool *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*) FROM alumni_long_term WHERE relationship_id = $1 AND person_id = $2",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, person_id);
  int64_t n;
  rp_rc rc = count_of(st, &n, e);
  *out = n > 0;
  return rc;
}

rp_rc store_long_term_last_pulse(store *s, int64_t rel_id, int64_t person_id, rp_time *at,
                                 rp_err *e) {
  STORE_PREP(s,
             "SELECT COALESCE(MAX(answered_at), 0) FROM pulses WHERE relationship_id = $1"
             " AND rater_id = $2",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, person_id);
  return count_of(st, at, e);
}

/* ---- the cadence of long-term check-ins ---- */

rp_rc store_long_term_cadence_get(store *s, int64_t rel_id, store_long_term_cadence *out,
                                  rp_err *e) {
  memset(out, 0, sizeof *out);
  STORE_PREP(s,
             "SELECT days, agreed_at, proposed_days, proposed_by, proposed_at FROM alumni_cadence"
             " WHERE relationship_id = $1",
             e);
  db_bind_i64(st, 1, rel_id);
  int r = db_step(st, e);
  if (r == 1) {
    out->days = db_col_null(st, 0) ? 0 : (int)db_col_i64(st, 0);
    out->agreed_at = db_col_null(st, 1) ? 0 : db_col_i64(st, 1);
    out->proposed_days = db_col_null(st, 2) ? 0 : (int)db_col_i64(st, 2);
    out->proposed_by = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
    out->proposed_at = db_col_null(st, 4) ? 0 : db_col_i64(st, 4);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_long_term_cadence_propose(store *s, int64_t rel_id, int days, int64_t by,
                                      rp_time at, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO alumni_cadence (relationship_id, proposed_days, proposed_by,"
             " proposed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (relationship_id) DO UPDATE SET"
             " proposed_days = excluded.proposed_days, proposed_by = excluded.proposed_by,"
             " proposed_at = excluded.proposed_at",
             e);
  db_bind_i64(st, 1, rel_id);
  if (days) db_bind_i64(st, 2, days);
  else db_bind_null(st, 2);
  db_bind_id_or_null(st, 3, by);
  if (by) db_bind_i64(st, 4, at);
  else db_bind_null(st, 4);
  return db_exec_stmt(st, e);
}

rp_rc store_long_term_cadence_agree(store *s, int64_t rel_id, rp_time at, rp_err *e) {
  STORE_PREP(s,
             "UPDATE alumni_cadence SET days = proposed_days, agreed_at = $2,"
             " proposed_days = NULL, proposed_by = NULL, proposed_at = NULL"
             " WHERE relationship_id = $1 AND proposed_by IS NOT NULL",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, at);
  return db_exec_stmt(st, e);
}

static void read_due(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_long_term_due *d = elem;
  d->relationship_id = db_col_i64(st, 0);
  d->to_id = db_col_i64(st, 1);
  d->other_id = db_col_i64(st, 2);
  d->about_id = db_col_i64(st, 3);
  d->last_at = db_col_i64(st, 4);
  d->every_days = (int)db_col_i64(st, 5);
}

rp_rc store_long_term_to_remind(store *s, rp_time now, int default_days, const char *mark,
                                int limit, arena *a, store_long_term_due **items, size_t *n,
                                rp_err *e) {
  STORE_PREP(s,
             "SELECT x.rid, x.to_id, x.other_id, x.about_id, x.at, x.every FROM ("
             "SELECT r.id AS rid, p.to_id, p.other_id,"
             " COALESCE((SELECT q.id FROM pulses q WHERE q.relationship_id = r.id"
             " AND q.rater_id = p.to_id ORDER BY q.answered_at DESC, q.id DESC LIMIT 1), -r.id)"
             " AS about_id,"
             " COALESCE((SELECT MAX(q.answered_at) FROM pulses q WHERE q.relationship_id = r.id"
             " AND q.rater_id = p.to_id), 0) AS at,"
             " COALESCE(ac.days, $2) AS every"
             " FROM relationships r"
             " JOIN (SELECT id AS pid, guide_id AS to_id, learner_id AS other_id FROM relationships"
             " WHERE state = 'alumni' UNION ALL SELECT id, learner_id, guide_id FROM relationships"
             " WHERE state = 'alumni') p ON p.pid = r.id"
             " LEFT JOIN alumni_cadence ac ON ac.relationship_id = r.id"
             " WHERE r.state = 'alumni'"
             " AND (SELECT COUNT(*) FROM alumni_long_term l WHERE l.relationship_id = r.id) = 2"
             ") x WHERE x.at + x.every * 86400 <= $1"
             " AND NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $3"
             " AND m.about_id = x.about_id AND m.person_id = x.to_id)"
             " ORDER BY x.rid, x.to_id LIMIT $4",
             e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, default_days);
  db_bind_text(st, 3, mark);
  db_bind_i64(st, 4, limit);
  return store_collect(st, sizeof **items, read_due, a, (void **)items, n, e);
}
