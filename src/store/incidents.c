/* incidents.c: incidents, repair plans and their linked commitments (see
 * incidents.h). Kinds and outcomes are stored by name; absent times and
 * people are NULL. */
#include "store/store_internal.h"
#include "store/incidents.h"

#include <string.h>

#define INCIDENT_COLS                                                                              \
  "id, relationship_id, reporter_id, concerning_id, kind, reported_at, acknowledged_at,"           \
  " acknowledged_by, resolved_at, resolved_by"

#define PLAN_COLS                                                                                  \
  "id, incident_id, relationship_id, party_id, opened_at, follow_through_days,"                    \
  " acknowledgement_ct, responsibility_ct, amends_agreed_at, closed_at, outcome"

/* ---- incidents ---- */

static void read_incident(db_stmt *st, incident *in) {
  in->id = db_col_i64(st, 0);
  in->relationship_id = db_col_i64(st, 1);
  in->reporter_id = db_col_i64(st, 2);
  in->concerning_id = db_col_i64(st, 3);
  if (!incident_kind_parse(db_col_text(st, 4), &in->kind)) in->kind = INCIDENT_OTHER;
  in->reported_at = db_col_i64(st, 5);
  in->acknowledged_at = db_col_i64(st, 6);
  in->acknowledged_by = db_col_i64(st, 7);
  in->resolved_at = db_col_i64(st, 8);
  in->resolved_by = db_col_i64(st, 9);
}

static void read_incident_elem(db_stmt *st, arena *a, void *elem) {
  (void)a;
  read_incident(st, elem);
}

/* INCIDENT_COLS then text_ct (column 10). */
static void read_stored_incident(db_stmt *st, arena *a, void *elem) {
  store_incident *si = elem;
  read_incident(st, &si->in);
  si->text_ct = store_col_blob(st, 10, a);
}

rp_rc store_incident_insert(store *s, incident *in, rp_blob text_ct, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO incidents (relationship_id, reporter_id, concerning_id, kind, text_ct,"
             " reported_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             e);
  db_bind_i64(st, 1, in->relationship_id);
  db_bind_i64(st, 2, in->reporter_id);
  db_bind_i64(st, 3, in->concerning_id);
  db_bind_text(st, 4, incident_kind_name(in->kind));
  db_bind_blob(st, 5, text_ct.data, text_ct.len);
  db_bind_i64(st, 6, in->reported_at);
  in->acknowledged_at = in->resolved_at = 0;
  in->acknowledged_by = in->resolved_by = 0;
  return store_insert_id(st, &in->id, e);
}

rp_rc store_incident_get(store *s, int64_t id, arena *a, store_incident *out, rp_err *e) {
  STORE_PREP(s, "SELECT " INCIDENT_COLS ", text_ct FROM incidents WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "incident", e);
  if (rc) return rc;
  read_stored_incident(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_incidents_list(store *s, int64_t rel, int64_t after, int limit, arena *a,
                           store_incident **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " INCIDENT_COLS ", text_ct FROM incidents WHERE relationship_id = $1"
             " AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_stored_incident, a, (void **)items, n, next,
                    e);
}

rp_rc store_incidents_concerning(store *s, int64_t rel, int64_t party, arena *a, incident **items,
                                 size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " INCIDENT_COLS " FROM incidents WHERE relationship_id = $1"
             " AND concerning_id = $2 ORDER BY id",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, party);
  return store_collect(st, sizeof **items, read_incident_elem, a, (void **)items, n, e);
}

rp_rc store_incident_acknowledge(store *s, int64_t id, rp_time at, int64_t by, rp_err *e) {
  STORE_PREP(s,
             "UPDATE incidents SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1"
             " AND acknowledged_at IS NULL AND resolved_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  db_bind_id_or_null(st, 3, by);
  return store_exec_one(s, st, e);
}

rp_rc store_incident_resolve(store *s, int64_t id, rp_time at, int64_t by, rp_err *e) {
  STORE_PREP(s,
             "UPDATE incidents SET resolved_at = $2, resolved_by = $3 WHERE id = $1"
             " AND resolved_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  db_bind_id_or_null(st, 3, by);
  return store_exec_one(s, st, e);
}

/* ---- repair plans ---- */

static void read_plan(db_stmt *st, arena *a, store_repair_plan *sp) {
  repair_plan *p = &sp->plan;
  p->id = db_col_i64(st, 0);
  p->incident_id = db_col_i64(st, 1);
  p->relationship_id = db_col_i64(st, 2);
  p->party_id = db_col_i64(st, 3);
  p->opened_at = db_col_i64(st, 4);
  p->follow_through_days = (int)db_col_i64(st, 5);
  p->acknowledged = !db_col_null(st, 6);
  if (a) {
    sp->acknowledgement_ct = store_col_blob(st, 6, a);
    sp->responsibility_ct = store_col_blob(st, 7, a);
  }
  p->amends_agreed_at = db_col_i64(st, 8);
  p->closed_at = db_col_i64(st, 9);
  p->outcome = REPAIR_OPEN;
  /* A closed plan whose outcome this binary does not know reads as ended
   * by the pair: closed, and claiming nothing about the repair. */
  if (!db_col_null(st, 10) && !repair_outcome_parse(db_col_text(st, 10), &p->outcome))
    p->outcome = REPAIR_ENDED_BY_PAIR;
}

static void read_plan_elem(db_stmt *st, arena *a, void *elem) { read_plan(st, a, elem); }

static void read_bare_plan(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_repair_plan sp;
  memset(&sp, 0, sizeof sp);
  read_plan(st, NULL, &sp);
  *(repair_plan *)elem = sp.plan;
}

rp_rc store_repair_plan_insert(store *s, repair_plan *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO repair_plans (incident_id, relationship_id, party_id, opened_at,"
             " follow_through_days) VALUES ($1, $2, $3, $4, $5) RETURNING id",
             e);
  db_bind_i64(st, 1, p->incident_id);
  db_bind_i64(st, 2, p->relationship_id);
  db_bind_i64(st, 3, p->party_id);
  db_bind_i64(st, 4, p->opened_at);
  db_bind_i64(st, 5, p->follow_through_days);
  p->acknowledged = false;
  p->amends_agreed_at = p->closed_at = 0;
  p->outcome = REPAIR_OPEN;
  return store_insert_id(st, &p->id, e);
}

rp_rc store_repair_plan_get(store *s, int64_t id, arena *a, store_repair_plan *out, rp_err *e) {
  STORE_PREP(s, "SELECT " PLAN_COLS " FROM repair_plans WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "repair plan", e);
  if (rc) return rc;
  read_plan(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_repair_plan_of_incident(store *s, int64_t incident_id, bool *found, int64_t *plan_id,
                                    rp_err *e) {
  STORE_PREP(s, "SELECT id FROM repair_plans WHERE incident_id = $1", e);
  db_bind_i64(st, 1, incident_id);
  int r = db_step(st, e);
  *found = r == 1;
  if (*found) *plan_id = db_col_i64(st, 0);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_repair_plans_list(store *s, int64_t rel, int64_t after, int limit, arena *a,
                              store_repair_plan **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " PLAN_COLS " FROM repair_plans WHERE relationship_id = $1 AND id > $2"
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_plan_elem, a, (void **)items, n, next, e);
}

rp_rc store_repair_plan_acknowledge(store *s, int64_t id, rp_blob acknowledgement,
                                    rp_blob responsibility, rp_err *e) {
  STORE_PREP(s,
             "UPDATE repair_plans SET acknowledgement_ct = $2, responsibility_ct = $3"
             " WHERE id = $1 AND acknowledgement_ct IS NULL AND closed_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_blob(st, 2, acknowledgement.data, acknowledgement.len);
  db_bind_blob(st, 3, responsibility.data, responsibility.len);
  return store_exec_one(s, st, e);
}

static rp_rc link_commitment(store *s, int64_t plan_id, int64_t commitment_id, rp_err *e) {
  STORE_PREP(s, "INSERT INTO repair_commitments (plan_id, commitment_id) VALUES ($1, $2)", e);
  db_bind_i64(st, 1, plan_id);
  db_bind_i64(st, 2, commitment_id);
  return db_exec_stmt(st, e);
}

rp_rc store_repair_plan_amends(store *s, int64_t id, rp_time at, const int64_t *ids, size_t n,
                               rp_err *e) {
  STORE_PREP(s,
             "UPDATE repair_plans SET amends_agreed_at = $2 WHERE id = $1"
             " AND amends_agreed_at IS NULL AND closed_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  rp_rc rc = store_exec_one(s, st, e);
  for (size_t i = 0; i < n && !rc; i++)
    rc = link_commitment(s, id, ids[i], e);
  return rc;
}

rp_rc store_repair_plan_close(store *s, int64_t id, rp_time at, repair_outcome o, rp_err *e) {
  STORE_PREP(s,
             "UPDATE repair_plans SET closed_at = $2, outcome = $3 WHERE id = $1"
             " AND closed_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  db_bind_text(st, 3, repair_outcome_name(o));
  return store_exec_one(s, st, e);
}

/* The commitment columns read by read_linked. */
static void read_linked(db_stmt *st, arena *a, void *elem) {
  store_commitment *sc = elem;
  commitment *cm = &sc->cm;
  cm->id = db_col_i64(st, 0);
  cm->relationship_id = db_col_i64(st, 1);
  cm->owner_id = db_col_i64(st, 2);
  cm->created_by = db_col_i64(st, 3);
  cm->created_at = db_col_i64(st, 4);
  cm->due_at = db_col_i64(st, 5);
  cm->original_due_at = db_col_i64(st, 6);
  /* An unknown state reads as broken: never as kept (commitments.c does the same). */
  if (!commitment_state_parse(db_col_text(st, 7), &cm->state)) cm->state = COMMITMENT_BROKEN;
  cm->closed_at = db_col_i64(st, 8);
  cm->closed_by = db_col_i64(st, 9);
  sc->text_ct = store_col_blob(st, 10, a);
}

rp_rc store_repair_commitments(store *s, int64_t plan_id, arena *a, store_commitment **items,
                               size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT c.id, c.relationship_id, c.owner_id, c.created_by, c.created_at, c.due_at,"
             " c.original_due_at, c.state, c.closed_at, c.closed_by, c.text_ct"
             " FROM repair_commitments rc JOIN commitments c ON c.id = rc.commitment_id"
             " WHERE rc.plan_id = $1 ORDER BY c.id",
             e);
  db_bind_i64(st, 1, plan_id);
  return store_collect(st, sizeof **items, read_linked, a, (void **)items, n, e);
}

rp_rc store_repair_plans_due(store *s, rp_time now, int64_t after, int limit, arena *a,
                             repair_plan **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " PLAN_COLS " FROM repair_plans WHERE closed_at IS NULL"
             " AND opened_at + follow_through_days * 86400 <= $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_bare_plan, a, (void **)items, n, next, e);
}

rp_rc store_event_time_of(store *s, int64_t rel, const char *kind, int64_t subject, bool *found,
                          rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT MIN(at) FROM events WHERE relationship_id = $1 AND kind = $2"
             " AND subject_id = $3",
             e);
  db_bind_i64(st, 1, rel);
  db_bind_text(st, 2, kind);
  db_bind_i64(st, 3, subject);
  int r = db_step(st, e);
  *found = r == 1 && !db_col_null(st, 0);
  if (*found) *at = db_col_i64(st, 0);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}
