/* circle_proposals.c: the matcher's proposals of circles in SQL
 * (store/circle_proposals.h). */
#include "store/circle_proposals.h"
#include "store/store_internal.h"

#define PROPOSAL_COLS                                                                        \
  "id, program_id, state, created_by, created_at, published_at, name, size, circles_asked,"  \
  " pool, overlap_topics, mix_attributes, mix_attribute_ids, facilitator, include_active,"   \
  " min_overlap_minutes, seed, report"

static void read_proposal(db_stmt *st, arena *a, void *elem) {
  store_circle_proposal *p = elem;
  p->id = db_col_i64(st, 0);
  p->program_id = db_col_i64(st, 1);
  p->state = store_col_str(st, 2, a);
  p->created_by = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
  p->created_at = db_col_i64(st, 4);
  p->published_at = db_col_null(st, 5) ? 0 : db_col_i64(st, 5);
  p->name = store_col_str(st, 6, a);
  p->size = (int)db_col_i64(st, 7);
  p->circles_asked = (int)db_col_i64(st, 8);
  p->pool = store_col_str(st, 9, a);
  p->overlap_topics = db_col_i64(st, 10) != 0;
  p->mix_attributes = db_col_i64(st, 11) != 0;
  p->mix_attribute_ids = store_col_str(st, 12, a);
  p->facilitator = db_col_i64(st, 13) != 0;
  p->include_active = db_col_i64(st, 14) != 0;
  p->min_overlap_minutes = (int)db_col_i64(st, 15);
  p->seed = db_col_i64(st, 16);
  p->report = store_col_str(st, 17, a);
}

rp_rc store_circle_proposal_insert(store *s, store_circle_proposal *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_proposals (program_id, state, created_by, created_at, name, size,"
             " circles_asked, pool, overlap_topics, mix_attributes, mix_attribute_ids, facilitator,"
             " include_active, min_overlap_minutes, seed, report) VALUES ($1, $2, $3, $4, $5, $6,"
             " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
             e);
  db_bind_i64(st, 1, p->program_id);
  db_bind_text(st, 2, p->state);
  db_bind_id_or_null(st, 3, p->created_by);
  db_bind_i64(st, 4, p->created_at);
  db_bind_text(st, 5, p->name);
  db_bind_i64(st, 6, p->size);
  db_bind_i64(st, 7, p->circles_asked);
  db_bind_text(st, 8, p->pool);
  db_bind_i64(st, 9, p->overlap_topics);
  db_bind_i64(st, 10, p->mix_attributes);
  db_bind_text(st, 11, p->mix_attribute_ids);
  db_bind_i64(st, 12, p->facilitator);
  db_bind_i64(st, 13, p->include_active);
  db_bind_i64(st, 14, p->min_overlap_minutes);
  db_bind_i64(st, 15, p->seed);
  db_bind_text(st, 16, p->report);
  return store_insert_id(st, &p->id, e);
}

rp_rc store_circle_proposal_get(store *s, int64_t id, arena *a, store_circle_proposal *out,
                                rp_err *e) {
  STORE_PREP(s, "SELECT " PROPOSAL_COLS " FROM circle_proposals WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "circle proposal", e);
  if (rc) return rc;
  read_proposal(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_circle_proposal_update(store *s, const store_circle_proposal *p, rp_err *e) {
  STORE_PREP(s,
             "UPDATE circle_proposals SET state = $2, published_at = $3, report = $4 WHERE id = $1",
             e);
  db_bind_i64(st, 1, p->id);
  db_bind_text(st, 2, p->state);
  db_bind_id_or_null(st, 3, p->published_at);
  db_bind_text(st, 4, p->report);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_proposals_list(store *s, int64_t program_id, int64_t after, int limit,
                                  arena *a, store_circle_proposal **items, size_t *n,
                                  int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " PROPOSAL_COLS " FROM circle_proposals WHERE program_id = $1 AND id > $2"
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_proposal, a, (void **)items, n, next, e);
}

rp_rc store_circle_slot_insert(store *s, int64_t proposal_id, const store_circle_slot *slot,
                               const store_circle_slot_person *people, size_t n, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s,
               "INSERT INTO circle_proposal_slots (proposal_id, slot, score) VALUES ($1, $2, $3)",
               e);
    db_bind_i64(st, 1, proposal_id);
    db_bind_i64(st, 2, slot->slot);
    db_bind_i64(st, 3, slot->score);
    if ((rc = db_exec_stmt(st, e))) return rc;
  }
  for (size_t i = 0; i < n; i++) {
    STORE_PREP(s,
               "INSERT INTO circle_proposal_members (proposal_id, slot, person_id, role)"
               " VALUES ($1, $2, $3, $4)",
               e);
    db_bind_i64(st, 1, proposal_id);
    db_bind_i64(st, 2, slot->slot);
    db_bind_i64(st, 3, people[i].person_id);
    db_bind_text(st, 4, people[i].facilitator ? "facilitator" : "member");
    if ((rc = db_exec_stmt(st, e))) return rc;
  }
  return RP_OK;
}

static void read_slot(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_circle_slot *x = elem;
  x->slot = (int)db_col_i64(st, 0);
  x->score = (int)db_col_i64(st, 1);
  x->circle_id = db_col_null(st, 2) ? 0 : db_col_i64(st, 2);
}

static void read_slot_person(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_circle_slot_person *x = elem;
  x->slot = (int)db_col_i64(st, 0);
  x->person_id = db_col_i64(st, 1);
  x->facilitator = db_col_i64(st, 2) != 0;
}

rp_rc store_circle_slots(store *s, int64_t proposal_id, arena *a, store_circle_slot **slots,
                         size_t *nslots, store_circle_slot_person **people, size_t *npeople,
                         rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s,
               "SELECT slot, score, circle_id FROM circle_proposal_slots WHERE proposal_id = $1"
               " ORDER BY slot",
               e);
    db_bind_i64(st, 1, proposal_id);
    rc = store_collect(st, sizeof **slots, read_slot, a, (void **)slots, nslots, e);
    if (rc) return rc;
  }
  STORE_PREP(s,
             "SELECT slot, person_id, CASE WHEN role = 'facilitator' THEN 1 ELSE 0 END"
             " FROM circle_proposal_members WHERE proposal_id = $1 ORDER BY slot, role DESC,"
             " person_id",
             e);
  db_bind_i64(st, 1, proposal_id);
  return store_collect(st, sizeof **people, read_slot_person, a, (void **)people, npeople, e);
}

rp_rc store_circle_slot_published(store *s, int64_t proposal_id, int slot, int64_t circle_id,
                                  rp_err *e) {
  STORE_PREP(s,
             "UPDATE circle_proposal_slots SET circle_id = $3 WHERE proposal_id = $1 AND slot = $2",
             e);
  db_bind_i64(st, 1, proposal_id);
  db_bind_i64(st, 2, slot);
  db_bind_i64(st, 3, circle_id);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_slot_drop_person(store *s, int64_t proposal_id, int64_t person_id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM circle_proposal_members WHERE proposal_id = $1 AND person_id = $2",
             e);
  db_bind_i64(st, 1, proposal_id);
  db_bind_i64(st, 2, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_slot_drop(store *s, int64_t proposal_id, int slot, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s, "DELETE FROM circle_proposal_members WHERE proposal_id = $1 AND slot = $2", e);
    db_bind_i64(st, 1, proposal_id);
    db_bind_i64(st, 2, slot);
    if ((rc = db_exec_stmt(st, e))) return rc;
  }
  STORE_PREP(s, "DELETE FROM circle_proposal_slots WHERE proposal_id = $1 AND slot = $2", e);
  db_bind_i64(st, 1, proposal_id);
  db_bind_i64(st, 2, slot);
  return store_exec_one(s, st, e);
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

rp_rc store_circle_open_members(store *s, int64_t program_id, arena *a, int64_t **ids, size_t *n,
                                rp_err *e) {
  STORE_PREP(s,
             "SELECT DISTINCT m.person_id FROM circle_members m JOIN circles c ON c.id = m.circle_id"
             " WHERE c.program_id = $1 AND c.state IN ('proposed', 'active', 'paused')"
             " AND m.role = 'member' AND m.left_at IS NULL ORDER BY m.person_id",
             e);
  db_bind_i64(st, 1, program_id);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}
