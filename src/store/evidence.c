/* evidence.c: trust evidence, the decayed sums, and the reads the trust
 * views need (see evidence.h). */
#include "store/evidence.h"
#include "store/store_internal.h"
#include "trust/trust_values.h"

#include <string.h>

/* ---- evidence ---- */

rp_rc store_evidence_insert(store *s, int64_t rel_id, const trust_item *item, rp_time visible_at,
                            rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO evidence (relationship_id, about, comp, source, reason, v, w, t,"
             " event_id, visible_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, item->about);
  db_bind_i64(st, 3, item->comp);
  db_bind_i64(st, 4, item->source);
  db_bind_i64(st, 5, item->reason);
  db_bind_f64(st, 6, item->v);
  db_bind_f64(st, 7, item->w);
  db_bind_i64(st, 8, item->t);
  db_bind_id_or_null(st, 9, item->source_id);
  db_bind_i64(st, 10, visible_at);
  return db_exec_stmt(st, e);
}

/* Reads columns about, comp, source, reason, v, w, t, event_id from `col` on. */
static void read_item(db_stmt *st, int col, trust_item *it) {
  it->about = (uint8_t)db_col_i64(st, col);
  it->comp = (uint8_t)db_col_i64(st, col + 1);
  it->source = (uint8_t)db_col_i64(st, col + 2);
  it->reason = (uint8_t)db_col_i64(st, col + 3);
  it->v = db_col_f64(st, col + 4);
  it->w = db_col_f64(st, col + 5);
  it->t = db_col_i64(st, col + 6);
  it->source_id = db_col_null(st, col + 7) ? 0 : db_col_i64(st, col + 7);
}

static void read_item_row(db_stmt *st, arena *a, void *elem) {
  (void)a;
  read_item(st, 0, elem);
}

static rp_rc collect_items(db_stmt *st, arena *a, trust_item **items, size_t *n, rp_err *e) {
  return store_collect(st, sizeof **items, read_item_row, a, (void **)items, n, e);
}

#define ITEM_COLS "about, comp, source, reason, v, w, t, event_id"

rp_rc store_evidence_items(store *s, int64_t rel_id, int hidden_about, rp_time now, arena *a,
                           trust_item **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " ITEM_COLS " FROM evidence WHERE relationship_id = $1"
             " AND NOT (source = 1 AND about = $2 AND visible_at > $3) ORDER BY id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, hidden_about);
  db_bind_i64(st, 3, now);
  return collect_items(st, a, items, n, e);
}

rp_rc store_evidence_unrevealed(store *s, int64_t rel_id, trust_party about, rp_time now,
                                arena *a, trust_item **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " ITEM_COLS " FROM evidence WHERE relationship_id = $1 AND visible_at > $2"
             " AND source = 1 AND about = $3 ORDER BY id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, now);
  db_bind_i64(st, 3, about);
  return collect_items(st, a, items, n, e);
}

void store_read_evidence(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_evidence *ev = elem;
  ev->id = db_col_i64(st, 0);
  read_item(st, 1, &ev->item);
  ev->visible_at = db_col_i64(st, 9);
}

rp_rc store_evidence_of_events(store *s, int64_t rel_id, int64_t lo, int64_t hi, arena *a,
                               store_evidence **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, " ITEM_COLS ", visible_at FROM evidence WHERE relationship_id = $1"
             " AND event_id BETWEEN $2 AND $3 ORDER BY event_id, id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, lo);
  db_bind_i64(st, 3, hi);
  return store_collect(st, sizeof **items, store_read_evidence, a, (void **)items, n, e);
}

rp_rc store_evidence_delete_event(store *s, int64_t rel_id, int64_t event_id, int64_t *deleted,
                                  rp_err *e) {
  STORE_PREP(s, "DELETE FROM evidence WHERE relationship_id = $1 AND event_id = $2", e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, event_id);
  rp_rc rc = db_exec_stmt(st, e);
  *deleted = rc ? 0 : db_changes(s->db);
  return rc;
}

static void read_review_item(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_review_item *it = elem;
  it->evidence_id = db_col_i64(st, 0);
  it->v = db_col_f64(st, 1);
  it->t_score = db_col_f64(st, 2);
}

rp_rc store_evidence_goal_reviews(store *s, int64_t rel_id, arena *a, store_review_item **items,
                                  size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT x.id, x.v, g.t_score FROM events v JOIN goal_reviews g ON g.id = v.subject_id"
             " JOIN evidence x ON x.relationship_id = v.relationship_id AND x.event_id = v.id"
             " WHERE v.relationship_id = $1 AND v.kind = 'goal_review' AND x.reason = $2"
             " ORDER BY x.id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, TRUST_R_GOAL_REVIEW);
  return store_collect(st, sizeof **items, read_review_item, a, (void **)items, n, e);
}

static void read_pulse_ev(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_pulse_ev *it = elem;
  it->evidence_id = db_col_i64(st, 0);
  it->pulse_id = db_col_i64(st, 1);
  it->reason = (int)db_col_i64(st, 2);
  it->v = db_col_f64(st, 3);
}

rp_rc store_evidence_pulse_items(store *s, int64_t rel_id, arena *a, store_pulse_ev **items,
                                 size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT x.id, v.subject_id, x.reason, x.v FROM evidence x JOIN events v"
             " ON v.id = x.event_id WHERE x.relationship_id = $1 AND x.source = $2"
             " AND v.kind = 'pulse_answered' ORDER BY v.subject_id, x.id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, TRUST_SRC_PULSE);
  return store_collect(st, sizeof **items, read_pulse_ev, a, (void **)items, n, e);
}

rp_rc store_evidence_set_value(store *s, int64_t id, double v, rp_err *e) {
  STORE_PREP(s, "UPDATE evidence SET v = $1 WHERE id = $2", e);
  db_bind_f64(st, 1, v);
  db_bind_i64(st, 2, id);
  return db_exec_stmt(st, e);
}

rp_rc store_evidence_set_visible(store *s, int64_t event_id, rp_time visible_at, rp_err *e) {
  STORE_PREP(s, "UPDATE evidence SET visible_at = $1 WHERE event_id = $2", e);
  db_bind_i64(st, 1, visible_at);
  db_bind_i64(st, 2, event_id);
  return db_exec_stmt(st, e);
}

/* ---- the decayed sums ---- */

trust_sums *store_sums_row(trust_state *st, int about, int comp, int kind) {
  return kind == STORE_SUMS_FAST    ? &st->fast[about][comp]
         : kind == STORE_SUMS_PULSE ? &st->main[about][comp][TRUST_SRC_PULSE]
                                    : &st->main[about][comp][TRUST_SRC_BEHAVIOUR];
}

rp_rc store_trust_sums_load(store *s, int64_t rel_id, trust_state *out, bool *found, rp_err *e) {
  STORE_PREP(s,
             "SELECT about, comp, kind, r, s, t_ref FROM trust_sums WHERE relationship_id = $1",
             e);
  memset(out, 0, sizeof *out);
  *found = false;
  db_bind_i64(st, 1, rel_id);
  int r;
  while ((r = db_step(st, e)) == 1) {
    int64_t about = db_col_i64(st, 0), comp = db_col_i64(st, 1), kind = db_col_i64(st, 2);
    if (about < 0 || about >= TRUST_NPARTY || comp < 0 || comp >= TRUST_NCOMP) continue;
    trust_sums *x = store_sums_row(out, (int)about, (int)comp, (int)kind);
    x->r = db_col_f64(st, 3);
    x->s = db_col_f64(st, 4);
    x->t_ref = db_col_i64(st, 5);
    *found = true;
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_trust_sums_put(store *s, int64_t rel_id, int about, int comp, int kind,
                           const trust_sums *x, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO trust_sums (relationship_id, about, comp, kind, r, s, t_ref)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7)"
             " ON CONFLICT (relationship_id, about, comp, kind)"
             " DO UPDATE SET r = excluded.r, s = excluded.s, t_ref = excluded.t_ref",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, about);
  db_bind_i64(st, 3, comp);
  db_bind_i64(st, 4, kind);
  db_bind_f64(st, 5, x->r);
  db_bind_f64(st, 6, x->s);
  db_bind_i64(st, 7, x->t_ref);
  return db_exec_stmt(st, e);
}

rp_rc store_trust_sums_clear(store *s, int64_t rel_id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM trust_sums WHERE relationship_id = $1", e);
  db_bind_i64(st, 1, rel_id);
  return db_exec_stmt(st, e);
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

rp_rc store_trust_relationships(store *s, int64_t after, int limit, arena *a, int64_t **ids,
                                size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s, "SELECT id FROM relationships WHERE id > $1 ORDER BY id LIMIT $2", e);
  db_bind_i64(st, 1, after);
  db_bind_i64(st, 2, limit + 1);
  return store_page(st, limit, 0, sizeof **ids, read_id, a, (void **)ids, n, next, e);
}

/* ---- the trust view's cache ---- */

rp_rc store_trust_seq(store *s, int64_t rel_id, int64_t *seq, rp_err *e) {
  STORE_PREP(s, "SELECT trust_seq FROM relationships WHERE id = $1", e);
  db_bind_i64(st, 1, rel_id);
  rp_rc rc = store_row(st, "relationship", e);
  if (rc) return rc;
  *seq = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_trust_seq_bump(store *s, int64_t rel_id, rp_err *e) {
  STORE_PREP(s, "UPDATE relationships SET trust_seq = trust_seq + 1 WHERE id = $1", e);
  db_bind_i64(st, 1, rel_id);
  return db_exec_stmt(st, e);
}

rp_rc store_trust_next_reveal(store *s, int64_t rel_id, trust_party about, int64_t person_id,
                              rp_time now, rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT MIN(t) FROM (SELECT MIN(visible_at) AS t FROM evidence"
             " WHERE relationship_id = $1 AND visible_at > $2 AND source = 1 AND about = $3"
             " UNION ALL SELECT MIN(visible_at) AS t FROM warnings WHERE relationship_id = $1"
             " AND cleared_at IS NULL AND party_id = $4 AND visible_at > $2) AS pending",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, now);
  db_bind_i64(st, 3, about);
  db_bind_i64(st, 4, person_id);
  rp_rc rc = store_row(st, "relationship", e);
  if (rc) return rc;
  *at = db_col_null(st, 0) ? 0 : db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

/* ---- reads for scores and explanations ---- */

rp_rc store_breaches(store *s, int64_t rel_id, rp_time now, store_breach out[2], size_t *n,
                     rp_err *e) {
  STORE_PREP(s,
             "SELECT concerning_id, MAX(acknowledged_at) FROM incidents"
             " WHERE relationship_id = $1 AND kind = 'confidentiality'"
             " AND acknowledged_at IS NOT NULL AND acknowledged_at <= $2"
             " GROUP BY concerning_id ORDER BY concerning_id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, now);
  int r;
  *n = 0;
  while ((r = db_step(st, e)) == 1) {
    if (*n == 2) continue;
    out[*n].concerning_id = db_col_i64(st, 0);
    out[*n].at = db_col_i64(st, 1);
    (*n)++;
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_goal_review_brief(store *s, int64_t id, double *t_score, int64_t *goal_ids,
                              size_t max, size_t *ngoals, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s, "SELECT t_score FROM goal_reviews WHERE id = $1", e);
    db_bind_i64(st, 1, id);
    rc = store_row(st, "goal review", e);
    if (rc) return rc;
    *t_score = db_col_f64(st, 0);
    db_done(st);
  }
  STORE_PREP(s, "SELECT goal_id FROM goal_review_levels WHERE review_id = $1 ORDER BY goal_id", e);
  db_bind_i64(st, 1, id);
  int r;
  *ngoals = 0;
  while ((r = db_step(st, e)) == 1) {
    if (*ngoals < max) goal_ids[*ngoals] = db_col_i64(st, 0);
    (*ngoals)++;
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_feedback_get_meta(store *s, int64_t id, feedback_item *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, relationship_id, giver_id, receiver_id, kind, focus, at FROM feedback"
             " WHERE id = $1",
             e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "feedback", e);
  if (rc) return rc;
  out->id = db_col_i64(st, 0);
  out->relationship_id = db_col_i64(st, 1);
  out->giver_id = db_col_i64(st, 2);
  out->receiver_id = db_col_i64(st, 3);
  if (!feedback_kind_parse(db_col_text(st, 4), &out->kind)) out->kind = FEEDBACK_ASK;
  out->focus = FOCUS_NONE;
  if (!db_col_null(st, 5) && !feedback_focus_parse(db_col_text(st, 5), &out->focus))
    out->focus = FOCUS_NONE;
  out->at = db_col_i64(st, 6);
  db_done(st);
  return RP_OK;
}

rp_rc store_incident_brief(store *s, int64_t id, arena *a, const char **kind,
                           int64_t *concerning_id, rp_err *e) {
  STORE_PREP(s, "SELECT kind, concerning_id FROM incidents WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "incident", e);
  if (rc) return rc;
  *kind = store_col_str(st, 0, a);
  *concerning_id = db_col_i64(st, 1);
  db_done(st);
  return RP_OK;
}

/* ---- requests without a reply ---- */

static void read_request_meta(db_stmt *st, arena *a, void *elem) {
  (void)a;
  request *q = elem;
  q->id = db_col_i64(st, 0);
  q->relationship_id = db_col_i64(st, 1);
  q->requester_id = db_col_i64(st, 2);
  q->responder_id = db_col_i64(st, 3);
  q->created_at = db_col_i64(st, 4);
  q->replied_at = 0;
}

rp_rc store_requests_awaiting(store *s, rp_time made_before, int64_t after, int limit, arena *a,
                              request **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT q.id, q.relationship_id, q.requester_id, q.responder_id, q.created_at"
             " FROM requests q JOIN relationships r ON r.id = q.relationship_id"
             " WHERE q.replied_at IS NULL AND q.unanswered_at IS NULL AND q.created_at <= $1"
             " AND r.state IN ('active', 'paused', 'completed') AND q.id > $2"
             " ORDER BY q.id LIMIT $3",
             e);
  db_bind_i64(st, 1, made_before);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_request_meta, a, (void **)items, n, next,
                    e);
}

rp_rc store_request_mark_unanswered(store *s, int64_t id, rp_time at, rp_err *e) {
  STORE_PREP(s,
             "UPDATE requests SET unanswered_at = $1"
             " WHERE id = $2 AND replied_at IS NULL AND unanswered_at IS NULL",
             e);
  db_bind_i64(st, 1, at);
  db_bind_i64(st, 2, id);
  return store_exec_one(s, st, e);
}

rp_rc store_request_unanswered_at(store *s, int64_t id, rp_time *at, rp_err *e) {
  STORE_PREP(s, "SELECT unanswered_at FROM requests WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "request", e);
  if (rc) return rc;
  *at = db_col_null(st, 0) ? 0 : db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_event_of_subject(store *s, int64_t rel_id, const char *kind, int64_t subject_id,
                             int64_t *event_id, rp_err *e) {
  STORE_PREP(s,
             "SELECT MAX(id) FROM events WHERE relationship_id = $1 AND kind = $2"
             " AND subject_id = $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_text(st, 2, kind);
  db_bind_i64(st, 3, subject_id);
  rp_rc rc = store_row(st, "event", e);
  if (rc) return rc;
  *event_id = db_col_null(st, 0) ? 0 : db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

/* ---- the timeline ---- */

#define EVENT_COLS                                                                                 \
  "id, relationship_id, kind, actor_id, at, recorded_at, subject_id, from_state, to_state,"       \
  " reason_ct"

static void read_event(db_stmt *st, arena *a, void *elem) {
  rel_event *ev = elem;
  ev->id = db_col_i64(st, 0);
  ev->relationship_id = db_col_i64(st, 1);
  ev->kind = store_col_str(st, 2, a);
  ev->actor_id = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
  ev->at = db_col_i64(st, 4);
  ev->recorded_at = db_col_i64(st, 5);
  ev->subject_id = db_col_null(st, 6) ? 0 : db_col_i64(st, 6);
  ev->from_state = store_col_str(st, 7, a);
  ev->to_state = store_col_str(st, 8, a);
  ev->reason = store_col_blob(st, 9, a);
}

static rp_rc events_first(store *s, int64_t rel_id, int64_t viewer, int limit, arena *a,
                          rel_event **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " EVENT_COLS " FROM events WHERE relationship_id = $1"
             " AND " STORE_EVENT_VISIBLE("$3") " ORDER BY at DESC, id DESC LIMIT $2",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, limit + 1);
  db_bind_i64(st, 3, viewer);
  return store_page(st, limit, 0, sizeof **items, read_event, a, (void **)items, n, next, e);
}

rp_rc store_events_newest(store *s, int64_t rel_id, int64_t viewer, int64_t before, int limit,
                          arena *a, rel_event **items, size_t *n, int64_t *next, rp_err *e) {
  if (!before) return events_first(s, rel_id, viewer, limit, a, items, n, next, e);
  rp_time at;
  {
    STORE_PREP(s, "SELECT at FROM events WHERE id = $1 AND relationship_id = $2", e);
    db_bind_i64(st, 1, before);
    db_bind_i64(st, 2, rel_id);
    int r = db_step(st, e);
    at = r == 1 ? db_col_i64(st, 0) : 0;
    db_done(st);
    if (r < 0) return e->rc;
    if (r == 0) { /* not an event of this timeline: nothing follows it */
      *items = NULL;
      *n = 0;
      *next = 0;
      return RP_OK;
    }
  }
  STORE_PREP(s,
             "SELECT " EVENT_COLS " FROM events WHERE relationship_id = $1"
             " AND (at, id) < ($2, $3) AND " STORE_EVENT_VISIBLE("$5")
             " ORDER BY at DESC, id DESC LIMIT $4",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, at);
  db_bind_i64(st, 3, before);
  db_bind_i64(st, 4, limit + 1);
  db_bind_i64(st, 5, viewer);
  return store_page(st, limit, 0, sizeof **items, read_event, a, (void **)items, n, next, e);
}

rp_rc store_event_get(store *s, int64_t rel_id, int64_t id, arena *a, rel_event *out, rp_err *e) {
  STORE_PREP(s, "SELECT " EVENT_COLS " FROM events WHERE id = $1 AND relationship_id = $2", e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, rel_id);
  rp_rc rc = store_row(st, "event", e);
  if (rc) return rc;
  read_event(st, a, out);
  db_done(st);
  return RP_OK;
}
