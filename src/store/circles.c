/* circles.c: peer circles in SQL (store/circles.h). */
#include "store/circles.h"
#include "store/store_internal.h"

#include <string.h>

static rp_time col_time(db_stmt *st, int col) { return db_col_null(st, col) ? 0 : db_col_i64(st, col); }

static void bind_time(db_stmt *st, int n, rp_time t) {
  if (t) db_bind_i64(st, n, t);
  else db_bind_null(st, n);
}

/* ---- circles ---- */

#define CIRCLE_COLS "id, program_id, name, state, cadence_days, proposed_by, proposed_at, state_since"

static void read_circle(db_stmt *st, arena *a, void *elem) {
  store_circle *c = elem;
  c->id = db_col_i64(st, 0);
  c->program_id = db_col_i64(st, 1);
  c->name = store_col_str(st, 2, a);
  if (!rel_state_parse(db_col_text(st, 3), &c->state)) c->state = REL_ENDED;
  c->cadence_days = (int)db_col_i64(st, 4);
  c->proposed_by = col_time(st, 5);
  c->proposed_at = db_col_i64(st, 6);
  c->state_since = db_col_i64(st, 7);
}

rp_rc store_circle_insert(store *s, store_circle *c, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circles (program_id, name, state, cadence_days, proposed_by, proposed_at,"
             " state_since) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             e);
  db_bind_i64(st, 1, c->program_id);
  db_bind_text(st, 2, c->name);
  db_bind_text(st, 3, rel_state_name(c->state));
  db_bind_i64(st, 4, c->cadence_days);
  bind_time(st, 5, c->proposed_by);
  db_bind_i64(st, 6, c->proposed_at);
  db_bind_i64(st, 7, c->state_since);
  return store_insert_id(st, &c->id, e);
}

rp_rc store_circle_get(store *s, int64_t id, arena *a, store_circle *out, rp_err *e) {
  STORE_PREP(s, "SELECT " CIRCLE_COLS " FROM circles WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "circle", e);
  if (rc) return rc;
  read_circle(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_circle_set_state(store *s, int64_t id, circle_state state, rp_time since, rp_err *e) {
  STORE_PREP(s, "UPDATE circles SET state = $2, state_since = $3 WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  db_bind_text(st, 2, rel_state_name(state));
  db_bind_i64(st, 3, since);
  return store_exec_one(s, st, e);
}

rp_rc store_circles_of_person(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                              store_circle **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " CIRCLE_COLS " FROM circles WHERE id > $2 AND id IN"
             " (SELECT circle_id FROM circle_members WHERE person_id = $1) ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_circle, a, (void **)items, n, next, e);
}

rp_rc store_circles_of_program(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                               store_circle **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " CIRCLE_COLS " FROM circles WHERE program_id = $1 AND id > $2"
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_circle, a, (void **)items, n, next, e);
}

rp_rc store_circle_state_counts(store *s, int64_t program_id, int64_t counts[REL_STATE_COUNT],
                                rp_err *e) {
  memset(counts, 0, sizeof(int64_t) * REL_STATE_COUNT);
  STORE_PREP(s, "SELECT state, count(*) FROM circles WHERE program_id = $1 GROUP BY state", e);
  db_bind_i64(st, 1, program_id);
  int r;
  while ((r = db_step(st, e)) == 1) {
    rel_state k;
    if (rel_state_parse(db_col_text(st, 0), &k)) counts[k] = db_col_i64(st, 1);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

/* ---- members ---- */

rp_rc store_circle_member_add(store *s, int64_t circle_id, const store_circle_member *m,
                              rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_members (circle_id, person_id, role, accepted, joined_at)"
             " VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_i64(st, 2, m->person_id);
  db_bind_text(st, 3, circle_role_name(m->role));
  db_bind_i64(st, 4, m->accepted ? 1 : 0);
  db_bind_i64(st, 5, m->joined_at);
  return store_exec_one(s, st, e);
}

static void read_member(db_stmt *st, arena *a, void *elem) {
  store_circle_member *m = elem;
  m->person_id = db_col_i64(st, 0);
  m->name = store_col_str(st, 1, a);
  if (!circle_role_parse(db_col_text(st, 2), &m->role)) m->role = CIRCLE_MEMBER;
  m->accepted = db_col_i64(st, 3) != 0;
  m->joined_at = db_col_i64(st, 4);
  m->left_at = col_time(st, 5);
}

rp_rc store_circle_members(store *s, int64_t circle_id, arena *a, store_circle_member **items,
                           size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT m.person_id, p.name, m.role, m.accepted, m.joined_at, m.left_at"
             " FROM circle_members m LEFT JOIN persons p ON p.id = m.person_id"
             " WHERE m.circle_id = $1 ORDER BY m.role DESC, m.joined_at, m.person_id",
             e);
  db_bind_i64(st, 1, circle_id);
  return store_collect(st, sizeof **items, read_member, a, (void **)items, n, e);
}

rp_rc store_circle_member_accept(store *s, int64_t circle_id, int64_t person_id, rp_err *e) {
  STORE_PREP(s, "UPDATE circle_members SET accepted = 1 WHERE circle_id = $1 AND person_id = $2",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_i64(st, 2, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_member_leave(store *s, int64_t circle_id, int64_t person_id, rp_time at,
                                rp_err *e) {
  STORE_PREP(s,
             "UPDATE circle_members SET left_at = $3 WHERE circle_id = $1 AND person_id = $2"
             " AND left_at IS NULL",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, at);
  return store_exec_one(s, st, e);
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

rp_rc store_circle_current_people(store *s, int64_t circle_id, arena *a, int64_t **ids, size_t *n,
                                  rp_err *e) {
  STORE_PREP(s,
             "SELECT person_id FROM circle_members WHERE circle_id = $1 AND left_at IS NULL"
             " ORDER BY person_id",
             e);
  db_bind_i64(st, 1, circle_id);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

/* ---- events ---- */

rp_rc store_circle_event_insert(store *s, store_circle_event *ev, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_events (circle_id, kind, actor_id, subject_id, at, from_state,"
             " to_state, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
             e);
  db_bind_i64(st, 1, ev->circle_id);
  db_bind_text(st, 2, ev->kind);
  bind_time(st, 3, ev->actor_id);
  bind_time(st, 4, ev->subject_id);
  db_bind_i64(st, 5, ev->at);
  db_bind_text(st, 6, ev->from_state);
  db_bind_text(st, 7, ev->to_state);
  db_bind_i64(st, 8, ev->recorded_at);
  return store_insert_id(st, &ev->id, e);
}

static void read_event(db_stmt *st, arena *a, void *elem) {
  store_circle_event *ev = elem;
  ev->id = db_col_i64(st, 0);
  ev->circle_id = db_col_i64(st, 1);
  ev->kind = store_col_str(st, 2, a);
  ev->actor_id = col_time(st, 3);
  ev->subject_id = col_time(st, 4);
  ev->at = db_col_i64(st, 5);
  ev->from_state = store_col_str(st, 6, a);
  ev->to_state = store_col_str(st, 7, a);
  ev->recorded_at = db_col_i64(st, 8);
}

rp_rc store_circle_events(store *s, int64_t circle_id, int64_t after, int limit, arena *a,
                          store_circle_event **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, circle_id, kind, actor_id, subject_id, at, from_state, to_state,"
             " recorded_at FROM circle_events WHERE circle_id = $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_event, a, (void **)items, n, next, e);
}

/* ---- the agreement ---- */

rp_rc store_circle_agreement_insert(store *s, store_circle_agreement *ag, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_agreements (circle_id, version, cadence_days, author_id,"
             " created_at, text_ct) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             e);
  db_bind_i64(st, 1, ag->circle_id);
  db_bind_i64(st, 2, ag->version);
  db_bind_i64(st, 3, ag->cadence_days);
  db_bind_i64(st, 4, ag->author_id);
  db_bind_i64(st, 5, ag->created_at);
  db_bind_blob(st, 6, ag->text.data, ag->text.len);
  return store_insert_id(st, &ag->id, e);
}

rp_rc store_circle_agreement_set_text(store *s, int64_t id, rp_blob text, rp_err *e) {
  STORE_PREP(s, "UPDATE circle_agreements SET text_ct = $2 WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  db_bind_blob(st, 2, text.data, text.len);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_agreement_latest(store *s, int64_t circle_id, arena *a,
                                    store_circle_agreement *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, circle_id, version, cadence_days, author_id, created_at, text_ct"
             " FROM circle_agreements WHERE circle_id = $1 ORDER BY version DESC LIMIT 1",
             e);
  db_bind_i64(st, 1, circle_id);
  rp_rc rc = store_row(st, "circle agreement", e);
  if (rc) return rc;
  out->id = db_col_i64(st, 0);
  out->circle_id = db_col_i64(st, 1);
  out->version = (int)db_col_i64(st, 2);
  out->cadence_days = (int)db_col_i64(st, 3);
  out->author_id = col_time(st, 4);
  out->created_at = db_col_i64(st, 5);
  out->text = store_col_blob(st, 6, a);
  db_done(st);
  return RP_OK;
}

rp_rc store_circle_ack_insert(store *s, int64_t agreement_id, int64_t person_id, rp_time at,
                              rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_acks (agreement_id, person_id, at) VALUES ($1, $2, $3)"
             " ON CONFLICT DO NOTHING",
             e);
  db_bind_i64(st, 1, agreement_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, at);
  return db_exec_stmt(st, e);
}

rp_rc store_circle_acks(store *s, int64_t agreement_id, arena *a, int64_t **ids, size_t *n,
                        rp_err *e) {
  STORE_PREP(s, "SELECT person_id FROM circle_acks WHERE agreement_id = $1 ORDER BY person_id",
             e);
  db_bind_i64(st, 1, agreement_id);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

/* ---- check-ins ---- */

rp_rc store_circle_checkin_insert(store *s, store_circle_checkin *ck, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_checkins (circle_id, held_at, recorded_by, recorded_at)"
             " VALUES ($1, $2, $3, $4) RETURNING id",
             e);
  db_bind_i64(st, 1, ck->circle_id);
  db_bind_i64(st, 2, ck->held_at);
  bind_time(st, 3, ck->recorded_by);
  db_bind_i64(st, 4, ck->recorded_at);
  return store_insert_id(st, &ck->id, e);
}

rp_rc store_circle_attendance_insert(store *s, int64_t checkin_id, int64_t person_id,
                                     circle_attendance status, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_attendance (checkin_id, person_id, status) VALUES ($1, $2, $3)",
             e);
  db_bind_i64(st, 1, checkin_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, circle_attendance_name(status));
  return store_exec_one(s, st, e);
}

static void read_checkin(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_circle_checkin *ck = elem;
  ck->id = db_col_i64(st, 0);
  ck->circle_id = db_col_i64(st, 1);
  ck->held_at = db_col_i64(st, 2);
  ck->recorded_by = col_time(st, 3);
  ck->recorded_at = db_col_i64(st, 4);
}

rp_rc store_circle_checkins(store *s, int64_t circle_id, arena *a, store_circle_checkin **items,
                            size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, circle_id, held_at, recorded_by, recorded_at FROM circle_checkins"
             " WHERE circle_id = $1"
             " ORDER BY held_at, id",
             e);
  db_bind_i64(st, 1, circle_id);
  return store_collect(st, sizeof **items, read_checkin, a, (void **)items, n, e);
}

static void read_attendance(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_circle_attendance *at = elem;
  at->checkin_id = db_col_i64(st, 0);
  at->person_id = db_col_i64(st, 1);
  if (!circle_attendance_parse(db_col_text(st, 2), &at->status))
    at->status = CIRCLE_ABSENT_WITHOUT_NOTICE;
  at->held_at = db_col_i64(st, 3);
}

rp_rc store_circle_attendances(store *s, int64_t circle_id, arena *a,
                               store_circle_attendance **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT t.checkin_id, t.person_id, t.status, c.held_at FROM circle_attendance t"
             " JOIN circle_checkins c ON c.id = t.checkin_id WHERE c.circle_id = $1"
             " ORDER BY c.held_at, c.id, t.person_id",
             e);
  db_bind_i64(st, 1, circle_id);
  return store_collect(st, sizeof **items, read_attendance, a, (void **)items, n, e);
}

/* ---- items ---- */

#define ITEM_COLS                                                                              \
  "id, circle_id, kind, author_id, subject_id, parent_id, shared, label, focus, due_at,"       \
  " closed_at, created_at, text_ct, recorded_at, author_sealed"

static void read_item(db_stmt *st, arena *a, void *elem) {
  store_circle_item *it = elem;
  it->id = db_col_i64(st, 0);
  it->circle_id = db_col_i64(st, 1);
  if (!circle_item_kind_parse(db_col_text(st, 2), &it->kind)) it->kind = CIRCLE_NOTE;
  it->author_id = db_col_i64(st, 3);
  it->subject_id = col_time(st, 4);
  it->parent_id = col_time(st, 5);
  it->shared = db_col_i64(st, 6) != 0;
  it->label = store_col_str(st, 7, a);
  it->focus = store_col_str(st, 8, a);
  it->due_at = col_time(st, 9);
  it->closed_at = col_time(st, 10);
  it->created_at = db_col_i64(st, 11);
  it->text = store_col_blob(st, 12, a);
  it->recorded_at = db_col_i64(st, 13);
  it->author_sealed = db_col_i64(st, 14) != 0;
}

rp_rc store_circle_item_insert(store *s, store_circle_item *it, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_items (circle_id, kind, author_id, subject_id, parent_id, shared,"
             " label, focus, due_at, closed_at, created_at, text_ct, recorded_at, author_sealed)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
             e);
  db_bind_i64(st, 1, it->circle_id);
  db_bind_text(st, 2, circle_item_kind_name(it->kind));
  db_bind_i64(st, 3, it->author_id);
  bind_time(st, 4, it->subject_id);
  bind_time(st, 5, it->parent_id);
  db_bind_i64(st, 6, it->shared ? 1 : 0);
  db_bind_text(st, 7, it->label);
  db_bind_text(st, 8, it->focus);
  bind_time(st, 9, it->due_at);
  bind_time(st, 10, it->closed_at);
  db_bind_i64(st, 11, it->created_at);
  db_bind_blob(st, 12, it->text.data, it->text.len);
  db_bind_i64(st, 13, it->recorded_at);
  db_bind_i64(st, 14, it->author_sealed ? 1 : 0);
  return store_insert_id(st, &it->id, e);
}

rp_rc store_circle_item_set_text(store *s, int64_t id, rp_blob text, rp_err *e) {
  STORE_PREP(s, "UPDATE circle_items SET text_ct = $2 WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  db_bind_blob(st, 2, text.data, text.len);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_item_get(store *s, int64_t id, arena *a, store_circle_item *out, rp_err *e) {
  STORE_PREP(s, "SELECT " ITEM_COLS " FROM circle_items WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "circle item", e);
  if (rc) return rc;
  read_item(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_circle_item_close(store *s, int64_t id, const char *label, rp_time closed_at,
                              rp_err *e) {
  STORE_PREP(s, "UPDATE circle_items SET label = $2, closed_at = $3 WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  db_bind_text(st, 2, label);
  bind_time(st, 3, closed_at);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_items(store *s, int64_t circle_id, int k, arena *a, store_circle_item **items,
                         size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " ITEM_COLS " FROM circle_items WHERE circle_id = $1"
             " AND ($2 = '' OR kind = $2) ORDER BY id",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_text(st, 2, k < 0 ? "" : circle_item_kind_name((circle_item_kind)k));
  return store_collect(st, sizeof **items, read_item, a, (void **)items, n, e);
}

/* ---- pulses ---- */

rp_rc store_circle_pulse_insert(store *s, store_circle_pulse *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_pulses (circle_id, rater_id, at, a1, a2, a3, a4, a5, a6, a7)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
             e);
  db_bind_i64(st, 1, p->circle_id);
  db_bind_i64(st, 2, p->rater_id);
  db_bind_i64(st, 3, p->at);
  for (int i = 0; i < 7; i++) db_bind_i64(st, 4 + i, p->answers[i]);
  return store_insert_id(st, &p->id, e);
}

static void read_pulse(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_circle_pulse *p = elem;
  p->id = db_col_i64(st, 0);
  p->circle_id = db_col_i64(st, 1);
  p->rater_id = db_col_i64(st, 2);
  p->at = db_col_i64(st, 3);
  for (int i = 0; i < 7; i++) p->answers[i] = (int)db_col_i64(st, 4 + i);
}

rp_rc store_circle_pulses(store *s, int64_t circle_id, arena *a, store_circle_pulse **items,
                          size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, circle_id, rater_id, at, a1, a2, a3, a4, a5, a6, a7 FROM circle_pulses"
             " WHERE circle_id = $1 ORDER BY at, id",
             e);
  db_bind_i64(st, 1, circle_id);
  return store_collect(st, sizeof **items, read_pulse, a, (void **)items, n, e);
}

/* ---- shared warnings ---- */

rp_rc store_circle_share_insert(store *s, int64_t circle_id, int64_t person_id, const char *code,
                                rp_time at, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_warning_shares (circle_id, person_id, code, at)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, code);
  db_bind_i64(st, 4, at);
  return db_exec_stmt(st, e);
}

rp_rc store_circle_shared(store *s, int64_t circle_id, int64_t person_id, const char *code,
                          bool *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT 1 FROM circle_warning_shares WHERE circle_id = $1 AND person_id = $2"
             " AND code = $3",
             e);
  db_bind_i64(st, 1, circle_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, code);
  int r = db_step(st, e);
  db_done(st);
  if (r < 0) return e->rc;
  *out = r == 1;
  return RP_OK;
}
