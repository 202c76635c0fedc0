/* relationships.c: relationships, their events and their counts. */
#include "store/store_internal.h"

void store_read_rel(db_stmt *st, arena *a, void *elem) {
  (void)a;
  relationship *r = elem;
  r->id = db_col_i64(st, 0);
  r->program_id = db_col_i64(st, 1);
  r->guide_id = db_col_i64(st, 2);
  r->learner_id = db_col_i64(st, 3);
  if (!rel_state_parse(db_col_text(st, 4), &r->state)) r->state = REL_ENDED;
  r->guide_accepted = db_col_i64(st, 5) != 0;
  r->learner_accepted = db_col_i64(st, 6) != 0;
  r->proposed_by = db_col_i64(st, 7);
  r->proposed_at = db_col_i64(st, 8);
  r->state_since = db_col_i64(st, 9);
}

rp_rc store_relationship_insert(store *s, relationship *r, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO relationships (program_id, guide_id, learner_id, state,"
             " guide_accepted, learner_accepted, proposed_by, proposed_at, state_since)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
             e);
  db_bind_i64(st, 1, r->program_id);
  db_bind_i64(st, 2, r->guide_id);
  db_bind_i64(st, 3, r->learner_id);
  db_bind_text(st, 4, rel_state_name(r->state));
  db_bind_i64(st, 5, r->guide_accepted);
  db_bind_i64(st, 6, r->learner_accepted);
  db_bind_id_or_null(st, 7, r->proposed_by);
  db_bind_i64(st, 8, r->proposed_at);
  db_bind_i64(st, 9, r->state_since);
  return store_insert_id(st, &r->id, e);
}

rp_rc store_relationship_get_seq(store *s, int64_t id, relationship *out, int64_t *trust_seq,
                                 rp_err *e) {
  STORE_PREP(s, "SELECT " STORE_REL_COLS ", trust_seq FROM relationships WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "relationship", e);
  if (rc) return rc;
  store_read_rel(st, NULL, out);
  *trust_seq = db_col_i64(st, 10);
  db_done(st);
  return RP_OK;
}

rp_rc store_relationship_get(store *s, int64_t id, relationship *out, rp_err *e) {
  int64_t trust_seq;
  return store_relationship_get_seq(s, id, out, &trust_seq, e);
}

rp_rc store_relationship_update(store *s, const relationship *r, rp_err *e) {
  STORE_PREP(s,
             "UPDATE relationships SET state = $1, guide_accepted = $2, learner_accepted = $3,"
             " state_since = $4 WHERE id = $5",
             e);
  db_bind_text(st, 1, rel_state_name(r->state));
  db_bind_i64(st, 2, r->guide_accepted);
  db_bind_i64(st, 3, r->learner_accepted);
  db_bind_i64(st, 4, r->state_since);
  db_bind_i64(st, 5, r->id);
  return store_exec_one(s, st, e);
}

rp_rc store_relationship_open_exists(store *s, int64_t program_id, int64_t guide, int64_t learner,
                                     bool *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT 1 FROM relationships WHERE program_id = $1 AND guide_id = $2"
             " AND learner_id = $3 AND state NOT IN ('declined', 'ended', 'alumni')",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, guide);
  db_bind_i64(st, 3, learner);
  int r = db_step(st, e);
  db_done(st);
  if (r < 0) return e->rc;
  *out = r == 1;
  return RP_OK;
}

rp_rc store_relationships_of_person(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                                    relationship **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_REL_COLS " FROM relationships"
             " WHERE (guide_id = $1 OR learner_id = $1) AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, store_read_rel, a, (void **)items, n, next, e);
}

rp_rc store_relationships_of_program(store *s, int64_t program_id, int64_t after, int limit,
                                     arena *a, relationship **items, size_t *n, int64_t *next,
                                     rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_REL_COLS " FROM relationships"
             " WHERE program_id = $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, store_read_rel, a, (void **)items, n, next, e);
}

rp_rc store_event_insert(store *s, rel_event *ev, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO events (relationship_id, kind, actor_id, at, recorded_at, subject_id,"
             " from_state, to_state, reason_ct) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
             " RETURNING id",
             e);
  db_bind_i64(st, 1, ev->relationship_id);
  db_bind_text(st, 2, ev->kind);
  db_bind_id_or_null(st, 3, ev->actor_id);
  db_bind_i64(st, 4, ev->at);
  db_bind_i64(st, 5, ev->recorded_at);
  db_bind_id_or_null(st, 6, ev->subject_id);
  db_bind_text(st, 7, ev->from_state);
  db_bind_text(st, 8, ev->to_state);
  if (ev->reason.len) db_bind_blob(st, 9, ev->reason.data, ev->reason.len);
  else db_bind_null(st, 9);
  return store_insert_id(st, &ev->id, e);
}

static void read_event(db_stmt *st, arena *a, void *elem) {
  rel_event *ev = elem;
  ev->id = db_col_i64(st, 0);
  ev->relationship_id = db_col_i64(st, 1);
  ev->kind = store_col_str(st, 2, a);
  ev->actor_id = db_col_i64(st, 3);
  ev->at = db_col_i64(st, 4);
  ev->recorded_at = db_col_i64(st, 5);
  ev->subject_id = db_col_i64(st, 6);
  ev->from_state = store_col_str(st, 7, a);
  ev->to_state = store_col_str(st, 8, a);
  ev->reason = store_col_blob(st, 9, a);
}

rp_rc store_events_list(store *s, int64_t relationship_id, int64_t viewer, int64_t after,
                        int limit, arena *a, rel_event **items, size_t *n, int64_t *next,
                        rp_err *e) {
  STORE_PREP(s,
             "SELECT id, relationship_id, kind, actor_id, at, recorded_at, subject_id,"
             " from_state, to_state, reason_ct FROM events"
             " WHERE relationship_id = $1 AND id > $2 AND " STORE_EVENT_VISIBLE("$4")
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  db_bind_i64(st, 4, viewer);
  return store_page(st, limit, 0, sizeof **items, read_event, a, (void **)items, n, next, e);
}

rp_rc store_relationship_get_counted(store *s, int64_t id, int64_t viewer, relationship *out,
                                     store_rel_counts *counts, arena *a, const char **guide_name,
                                     const char **learner_name, rp_err *e) {
  /* Notes are counted as the viewer may list them: the shared ones and their
   * own private ones (migration 0012); a count of all would tell the other
   * party, and an admin, of private notes. The row, its counts and the
   * names in one statement: on PostgreSQL each statement is a round trip. */
  STORE_PREP(s,
             "SELECT " STORE_REL_COLS ", n_checkins_held, n_checkins, n_commitments_open,"
             " n_commitments, n_goals,"
             " n_notes_shared + CASE WHEN guide_id = $2 THEN n_notes_private_guide"
             " WHEN learner_id = $2 THEN n_notes_private_learner ELSE 0 END,"
             " n_feedback, n_requests, agreement_latest, agreement_in_force,"
             " (SELECT name FROM persons WHERE id = guide_id),"
             " (SELECT name FROM persons WHERE id = learner_id)"
             " FROM relationships WHERE id = $1",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, viewer);
  rp_rc rc = store_row(st, "relationship", e);
  if (rc) return rc;
  store_read_rel(st, NULL, out);
  counts->checkins_held = db_col_i64(st, 10);
  counts->checkins_total = db_col_i64(st, 11);
  counts->commitments_open = db_col_i64(st, 12);
  counts->commitments_total = db_col_i64(st, 13);
  counts->goals = db_col_i64(st, 14);
  counts->notes = db_col_i64(st, 15);
  counts->feedback = db_col_i64(st, 16);
  counts->requests = db_col_i64(st, 17);
  counts->agreement_latest = (int)db_col_i64(st, 18);
  counts->agreement_in_force = (int)db_col_i64(st, 19);
  *guide_name = store_col_str(st, 20, a);
  *learner_name = store_col_str(st, 21, a);
  db_done(st);
  return RP_OK;
}
