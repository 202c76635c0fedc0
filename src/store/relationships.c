/* relationships.c: relationships, their events and their counts. */
#include "store/store_internal.h"

/* A relationship from the columns of STORE_REL_COLS, from col on. */
static void read_rel_at(db_stmt *st, int col, relationship *r) {
  r->id = db_col_i64(st, col);
  r->program_id = db_col_i64(st, col + 1);
  r->guide_id = db_col_i64(st, col + 2);
  r->learner_id = db_col_i64(st, col + 3);
  if (!rel_state_parse(db_col_text(st, col + 4), &r->state)) r->state = REL_ENDED;
  r->guide_accepted = db_col_i64(st, col + 5) != 0;
  r->learner_accepted = db_col_i64(st, col + 6) != 0;
  r->proposed_by = db_col_i64(st, col + 7);
  r->proposed_at = db_col_i64(st, col + 8);
  r->state_since = db_col_i64(st, col + 9);
}

void store_read_rel(db_stmt *st, arena *a, void *elem) {
  (void)a;
  read_rel_at(st, 0, elem);
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
  rp_rc rc = store_id_new(s, STORE_ID_EVENT, &ev->id, e);
  if (rc) return rc;
  STORE_PREP(s,
             "INSERT INTO events (id, relationship_id, kind, actor_id, at, recorded_at, subject_id,"
             " from_state, to_state, reason_ct) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
             e);
  db_bind_i64(st, 1, ev->id);
  db_bind_i64(st, 2, ev->relationship_id);
  db_bind_text(st, 3, ev->kind);
  db_bind_id_or_null(st, 4, ev->actor_id);
  db_bind_i64(st, 5, ev->at);
  db_bind_i64(st, 6, ev->recorded_at);
  db_bind_id_or_null(st, 7, ev->subject_id);
  db_bind_text(st, 8, ev->from_state);
  db_bind_text(st, 9, ev->to_state);
  if (ev->reason.len) db_bind_blob(st, 10, ev->reason.data, ev->reason.len);
  else db_bind_null(st, 10);
  return db_exec_later(st, e); /* its answer is not needed: it goes with the next statement */
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

/* The counts of columns col.. into counts, and, for a viewer who is a
 * party of r, the names after them (the viewer's, then the other party's;
 * from a) as the guide's and the learner's. Anyone else gets no names. */
static void read_counted(db_stmt *st, int col, const relationship *r, int64_t viewer,
                         store_rel_counts *counts, arena *a, const char **guide_name,
                         const char **learner_name) {
  counts->checkins_held = db_col_i64(st, col);
  counts->checkins_total = db_col_i64(st, col + 1);
  counts->commitments_open = db_col_i64(st, col + 2);
  counts->commitments_total = db_col_i64(st, col + 3);
  counts->goals = db_col_i64(st, col + 4);
  counts->notes = db_col_i64(st, col + 5);
  counts->feedback = db_col_i64(st, col + 6);
  counts->requests = db_col_i64(st, col + 7);
  counts->agreement_latest = (int)db_col_i64(st, col + 8);
  counts->agreement_in_force = (int)db_col_i64(st, col + 9);
  *guide_name = *learner_name = NULL;
  if (r->guide_id == viewer) {
    *guide_name = store_col_str(st, col + 10, a);
    *learner_name = store_col_str(st, col + 11, a);
  } else if (r->learner_id == viewer) {
    *learner_name = store_col_str(st, col + 10, a);
    *guide_name = store_col_str(st, col + 11, a);
  }
}

/* The counts of relationship r as the person `viewer` (an SQL
 * expression) may see them, for read_counted. Notes are counted as the
 * viewer may list them: the shared ones and their own private ones
 * (migration 0012); a count of all would tell the other party, and an
 * admin, of private notes. */
#define REL_COUNTED(viewer)                                                                        \
  "r.n_checkins_held, r.n_checkins, r.n_commitments_open, r.n_commitments, r.n_goals,"            \
  " r.n_notes_shared + CASE WHEN r.guide_id = " viewer " THEN r.n_notes_private_guide"             \
  " WHEN r.learner_id = " viewer " THEN r.n_notes_private_learner ELSE 0 END, r.n_feedback,"      \
  " r.n_requests, r.agreement_latest, r.agreement_in_force"
/* The person of the party of r other than `viewer` (o; none when the
 * viewer is no party), joined after r: its name is the one read_counted
 * reads after the viewer's. One lookup, where a subquery for each
 * party's name cost PostgreSQL a subplan to set up on every read. */
#define REL_OTHER_PARTY(viewer)                                                                    \
  " LEFT JOIN persons o ON o.id = CASE WHEN r.guide_id = " viewer " THEN r.learner_id"             \
  " WHEN r.learner_id = " viewer " THEN r.guide_id END"

rp_rc store_relationship_get_counted(store *s, int64_t id, int64_t viewer, relationship *out,
                                     store_rel_counts *counts, arena *a, const char **guide_name,
                                     const char **learner_name, rp_err *e) {
  /* The row, its counts and the names in one statement: on PostgreSQL
   * each statement is a round trip. */
  STORE_PREP(s,
             "SELECT " STORE_REL_COLS_OF("r.") ", " REL_COUNTED("$2") ", v.name, o.name"
             " FROM relationships r LEFT JOIN persons v ON v.id = $2" REL_OTHER_PARTY("$2")
             " WHERE r.id = $1",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, viewer);
  rp_rc rc = store_row(st, "relationship", e);
  if (rc) return rc;
  store_read_rel(st, NULL, out);
  read_counted(st, 10, out, viewer, counts, a, guide_name, learner_name);
  db_done(st);
  return RP_OK;
}

/* The session's columns, then the relationship's (NULL when it does not
 * exist): what the statements below join. */
#define SIGNED_IN_REL STORE_SIGNED_IN_FROM " LEFT JOIN relationships r ON r.id = $2"

/* Binds the session's token hash and the relationship's id to st (the
 * session's columns from 0, the relationship's from 4) and reads the
 * session into who. When the relationship exists (who->found) it is read
 * into out and st stays on its row for the caller's further columns (from
 * 14) and db_done; otherwise st is done. */
static rp_rc rel_row_as(db_stmt *st, const unsigned char hash[32], int64_t id,
                        store_signed_in *who, relationship *out, rp_err *e) {
  db_bind_blob(st, 1, hash, 32);
  db_bind_i64(st, 2, id);
  rp_rc rc = store_row(st, "session", e);
  if (rc) return rc;
  store_read_signed_in(st, 0, who);
  who->found = !db_col_null(st, 4);
  if (who->found) read_rel_at(st, 4, out);
  else db_done(st);
  return RP_OK;
}

rp_rc store_relationship_get_counted_as(store *s, const unsigned char hash[32], int64_t id,
                                        store_signed_in *who, relationship *out,
                                        store_rel_counts *counts, arena *a,
                                        const char **guide_name, const char **learner_name,
                                        rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_SIGNED_IN_COLS ", " STORE_REL_COLS_OF("r.") ", " REL_COUNTED("p.id")
             ", p.name, o.name" SIGNED_IN_REL REL_OTHER_PARTY("p.id") " WHERE s.token_hash = $1",
             e);
  rp_rc rc = rel_row_as(st, hash, id, who, out, e);
  if (rc || !who->found) return rc;
  read_counted(st, 14, out, who->person_id, counts, a, guide_name, learner_name);
  db_done(st);
  return RP_OK;
}

rp_rc store_relationship_get_seq_as(store *s, const unsigned char hash[32], int64_t id,
                                    store_signed_in *who, relationship *out, int64_t *trust_seq,
                                    rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_SIGNED_IN_COLS ", " STORE_REL_COLS_OF("r.") ", r.trust_seq"
             SIGNED_IN_REL " WHERE s.token_hash = $1",
             e);
  rp_rc rc = rel_row_as(st, hash, id, who, out, e);
  if (rc || !who->found) return rc;
  *trust_seq = db_col_i64(st, 14);
  db_done(st);
  return RP_OK;
}
