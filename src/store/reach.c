/* reach.c: calendar feeds, marks and the calendar's reads (reach.h). */
#include "store/reach.h"

#include <string.h>

#include "store/store_internal.h"

rp_rc store_feed_set(store *s, int64_t person_id, const unsigned char hash[32], rp_time now,
                     rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3)"
             " ON CONFLICT (person_id) DO UPDATE SET token_hash = $2, created_at = $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_blob(st, 2, hash, 32);
  db_bind_i64(st, 3, now);
  return db_exec_stmt(st, e);
}

rp_rc store_feed_get(store *s, int64_t person_id, rp_time *created_at, rp_err *e) {
  STORE_PREP(s, "SELECT created_at FROM calendar_feeds WHERE person_id = $1", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = store_row(st, "calendar feed", e);
  if (rc) return rc;
  *created_at = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_feed_delete(store *s, int64_t person_id, bool *deleted, rp_err *e) {
  STORE_PREP(s, "DELETE FROM calendar_feeds WHERE person_id = $1", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = db_exec_stmt(st, e);
  *deleted = !rc && db_changes(s->db) > 0;
  return rc;
}

rp_rc store_feed_person(store *s, const unsigned char hash[32], int64_t *person_id, rp_err *e) {
  STORE_PREP(s, "SELECT person_id FROM calendar_feeds WHERE token_hash = $1", e);
  db_bind_blob(st, 1, hash, 32);
  rp_rc rc = store_row(st, "calendar feed", e);
  if (rc) return rc;
  *person_id = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_mark_add(store *s, const char *kind, int64_t about_id, int64_t person_id, rp_time at,
                     bool *added, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO reach_marks (kind, about_id, person_id, at) VALUES ($1, $2, $3, $4)"
             " ON CONFLICT (kind, about_id, person_id) DO NOTHING",
             e);
  db_bind_text(st, 1, kind);
  db_bind_i64(st, 2, about_id);
  db_bind_i64(st, 3, person_id);
  db_bind_i64(st, 4, at);
  rp_rc rc = db_exec_stmt(st, e);
  *added = !rc && db_changes(s->db) > 0;
  return rc;
}

rp_rc store_mark_has(store *s, const char *kind, int64_t about_id, int64_t person_id, bool *has,
                     rp_err *e) {
  STORE_PREP(s,
             "SELECT 1 FROM reach_marks WHERE kind = $1 AND about_id = $2 AND person_id = $3", e);
  db_bind_text(st, 1, kind);
  db_bind_i64(st, 2, about_id);
  db_bind_i64(st, 3, person_id);
  int r = db_step(st, e);
  *has = r == 1;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

#define CAL_CHECKIN_COLS                                                                       \
  "c.id, c.relationship_id, c.scheduled_at, c.outcome, g.id, g.name, g.email, l.id, l.name,"   \
  " l.email, c.created_at"
#define CAL_PARTIES                                                                            \
  " JOIN relationships r ON r.id = c.relationship_id JOIN persons g ON g.id = r.guide_id"      \
  " JOIN persons l ON l.id = r.learner_id"

static void read_party(db_stmt *st, int col, arena *a, store_party *p) {
  p->id = db_col_i64(st, col);
  p->name = store_col_str(st, col + 1, a);
  p->email = store_col_str(st, col + 2, a);
}

static void read_cal_checkin(db_stmt *st, arena *a, void *elem) {
  store_cal_checkin *c = elem;
  c->id = db_col_i64(st, 0);
  c->relationship_id = db_col_i64(st, 1);
  c->scheduled_at = db_col_i64(st, 2);
  c->outcome = store_col_str(st, 3, a);
  read_party(st, 4, a, &c->guide);
  read_party(st, 7, a, &c->learner);
  c->created_at = db_col_i64(st, 10);
}

rp_rc store_checkins_to_remind(store *s, rp_time from, rp_time to, const char *mark_kind,
                               int limit, arena *a, store_cal_checkin **items, size_t *n,
                               rp_err *e) {
  STORE_PREP(s,
             "SELECT " CAL_CHECKIN_COLS " FROM checkins c" CAL_PARTIES
             " WHERE c.outcome IS NULL AND c.scheduled_at > $1 AND c.scheduled_at <= $2"
             " AND r.state = 'active' AND ("
             " NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $3 AND m.about_id = c.id"
             " AND m.person_id = r.guide_id) OR"
             " NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $3 AND m.about_id = c.id"
             " AND m.person_id = r.learner_id))"
             " ORDER BY c.scheduled_at, c.id LIMIT $4",
             e);
  db_bind_i64(st, 1, from);
  db_bind_i64(st, 2, to);
  db_bind_text(st, 3, mark_kind);
  db_bind_i64(st, 4, limit);
  return store_collect(st, sizeof **items, read_cal_checkin, a, (void **)items, n, e);
}

rp_rc store_cal_checkin_get(store *s, int64_t id, arena *a, store_cal_checkin *out, rp_err *e) {
  STORE_PREP(s, "SELECT " CAL_CHECKIN_COLS " FROM checkins c" CAL_PARTIES " WHERE c.id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "check-in", e);
  if (rc) return rc;
  read_cal_checkin(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_checkin_series(store *s, int64_t id, int64_t *root, int64_t *sequence, rp_err *e) {
  STORE_PREP(s,
             "WITH RECURSIVE back(id, depth) AS (SELECT CAST($1 AS BIGINT), CAST(0 AS BIGINT) UNION ALL"
             " SELECT c.id, b.depth + 1 FROM checkins c JOIN back b ON c.rescheduled_to = b.id"
             " WHERE b.depth < 1000)"
             " SELECT id, depth FROM back ORDER BY depth DESC LIMIT 1",
             e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "check-in", e);
  if (rc) return rc;
  *root = db_col_i64(st, 0);
  *sequence = db_col_i64(st, 1);
  db_done(st);
  return RP_OK;
}

rp_rc store_cal_checkins_of(store *s, int64_t person_id, rp_time from, int limit, arena *a,
                            store_cal_checkin **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " CAL_CHECKIN_COLS " FROM checkins c" CAL_PARTIES
             " WHERE (r.guide_id = $1 OR r.learner_id = $1) AND c.scheduled_at >= $2"
             " AND c.rescheduled_to IS NULL AND r.state IN ('active', 'paused')"
             " ORDER BY c.scheduled_at, c.id LIMIT $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, limit);
  return store_collect(st, sizeof **items, read_cal_checkin, a, (void **)items, n, e);
}

static void read_cal_commitment(db_stmt *st, arena *a, void *elem) {
  store_cal_commitment *c = elem;
  c->id = db_col_i64(st, 0);
  c->relationship_id = db_col_i64(st, 1);
  c->owner_id = db_col_i64(st, 2);
  c->due_at = db_col_i64(st, 3);
  read_party(st, 4, a, &c->guide);
  read_party(st, 7, a, &c->learner);
}

rp_rc store_cal_commitments_of(store *s, int64_t person_id, rp_time from, int limit, arena *a,
                               store_cal_commitment **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT c.id, c.relationship_id, c.owner_id, c.due_at, g.id, g.name, g.email, l.id,"
             " l.name, l.email FROM commitments c" CAL_PARTIES
             " WHERE (r.guide_id = $1 OR r.learner_id = $1) AND c.due_at >= $2"
             " AND c.state = 'open' AND r.state IN ('active', 'paused')"
             " ORDER BY c.due_at, c.id LIMIT $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, from);
  db_bind_i64(st, 3, limit);
  return store_collect(st, sizeof **items, read_cal_commitment, a, (void **)items, n, e);
}

#define PREFS_COLS "time_zone, quiet_from, quiet_to, digest, off, digest_week, digest_last"

/* Reads the PREFS_COLS from column `col` on. */
static void read_prefs(db_stmt *st, int col, arena *a, store_mail_prefs *out) {
  out->time_zone = store_col_str(st, col, a);
  out->quiet_from = db_col_null(st, col + 1) ? -1 : (int)db_col_i64(st, col + 1);
  out->quiet_to = db_col_null(st, col + 2) ? -1 : (int)db_col_i64(st, col + 2);
  out->digest = db_col_i64(st, col + 3) != 0;
  out->off = store_col_str(st, col + 4, a);
  out->digest_week = db_col_i64(st, col + 5);
  out->digest_last = db_col_i64(st, col + 6);
}

rp_rc store_mail_prefs_get(store *s, int64_t person_id, arena *a, store_mail_prefs *out,
                           rp_err *e) {
  STORE_PREP(s,
             "SELECT " PREFS_COLS " FROM mail_prefs WHERE person_id = $1",
             e);
  db_bind_i64(st, 1, person_id);
  *out = (store_mail_prefs){"UTC", -1, -1, false, "", 0, 0};
  int r = db_step(st, e);
  if (r == 1) read_prefs(st, 0, a, out);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_mail_prefs_put(store *s, int64_t person_id, const store_mail_prefs *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO mail_prefs (person_id, time_zone, quiet_from, quiet_to, digest, off)"
             " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id) DO UPDATE SET"
             " time_zone = $2, quiet_from = $3, quiet_to = $4, digest = $5, off = $6",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_text(st, 2, p->time_zone);
  if (p->quiet_from >= 0) db_bind_i64(st, 3, p->quiet_from);
  else db_bind_null(st, 3);
  if (p->quiet_to >= 0) db_bind_i64(st, 4, p->quiet_to);
  else db_bind_null(st, 4);
  db_bind_i64(st, 5, p->digest ? 1 : 0);
  db_bind_text(st, 6, p->off);
  return db_exec_stmt(st, e);
}

rp_rc store_digest_mark(store *s, int64_t person_id, int64_t week, int64_t last, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO mail_prefs (person_id, digest_week, digest_last) VALUES ($1, $2, $3)"
             " ON CONFLICT (person_id) DO UPDATE SET digest_week = $2, digest_last = $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, week);
  db_bind_i64(st, 3, last);
  return db_exec_stmt(st, e);
}

static void read_digest_person(db_stmt *st, arena *a, void *elem) {
  store_digest_person *d = elem;
  d->who.id = db_col_i64(st, 0);
  d->who.name = store_col_str(st, 1, a);
  d->who.email = store_col_str(st, 2, a);
  read_prefs(st, 3, a, &d->prefs);
}

rp_rc store_digest_people(store *s, int64_t week, int limit, arena *a,
                          store_digest_person **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT p.id, p.name, p.email, " PREFS_COLS
             " FROM mail_prefs m JOIN persons p ON p.id = m.person_id"
             " WHERE m.digest = 1 AND m.digest_week < $1"
             " ORDER BY m.digest_week, p.id LIMIT $2",
             e);
  db_bind_i64(st, 1, week);
  db_bind_i64(st, 2, limit);
  return store_collect(st, sizeof **items, read_digest_person, a, (void **)items, n, e);
}

/* ---- what the reminders are about ---- */

#define REACH_ITEM_COLS "x.id, x.relationship_id, x.at, t.id, t.name, t.email, o.id, o.name, o.email"

static void read_item(db_stmt *st, arena *a, void *elem) {
  store_reach_item *it = elem;
  it->about_id = db_col_i64(st, 0);
  it->relationship_id = db_col_i64(st, 1);
  it->at = db_col_i64(st, 2);
  read_party(st, 3, a, &it->to);
  read_party(st, 6, a, &it->other);
}

rp_rc store_commitments_to_remind(store *s, rp_time from, rp_time to, const char *mark, int limit,
                                  arena *a, store_reach_item **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REACH_ITEM_COLS " FROM (SELECT c.id, c.relationship_id, c.due_at AS at,"
             " c.owner_id AS to_id, CASE WHEN c.owner_id = r.guide_id THEN r.learner_id"
             " ELSE r.guide_id END AS other_id FROM commitments c"
             " JOIN relationships r ON r.id = c.relationship_id"
             " WHERE c.state = 'open' AND c.due_at > $1 AND c.due_at <= $2 AND r.state = 'active'"
             " AND NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $3"
             " AND m.about_id = c.id AND m.person_id = c.owner_id)) x"
             " JOIN persons t ON t.id = x.to_id JOIN persons o ON o.id = x.other_id"
             " ORDER BY x.at, x.id LIMIT $4",
             e);
  db_bind_i64(st, 1, from);
  db_bind_i64(st, 2, to);
  db_bind_text(st, 3, mark);
  db_bind_i64(st, 4, limit);
  return store_collect(st, sizeof **items, read_item, a, (void **)items, n, e);
}

rp_rc store_requests_unanswered(store *s, rp_time before, const char *mark, int limit, arena *a,
                                store_reach_item **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REACH_ITEM_COLS " FROM (SELECT q.id, q.relationship_id, q.created_at AS at,"
             " q.responder_id AS to_id, q.requester_id AS other_id FROM requests q"
             " JOIN relationships r ON r.id = q.relationship_id"
             " WHERE q.replied_at IS NULL AND q.created_at <= $1 AND r.state = 'active'"
             " AND NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $2"
             " AND m.about_id = q.id AND m.person_id = q.responder_id)) x"
             " JOIN persons t ON t.id = x.to_id JOIN persons o ON o.id = x.other_id"
             " ORDER BY x.at, x.id LIMIT $3",
             e);
  db_bind_i64(st, 1, before);
  db_bind_text(st, 2, mark);
  db_bind_i64(st, 3, limit);
  return store_collect(st, sizeof **items, read_item, a, (void **)items, n, e);
}

rp_rc store_warnings_to_tell(store *s, rp_time now, const char *mark, int limit, arena *a,
                             store_reach_item **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REACH_ITEM_COLS " FROM (SELECT w.id, w.relationship_id, w.visible_at AS at,"
             " p.to_id, p.other_id FROM warnings w JOIN relationships r ON r.id = w.relationship_id"
             " JOIN (SELECT id AS rid, guide_id AS to_id, learner_id AS other_id FROM relationships"
             " UNION ALL SELECT id, learner_id, guide_id FROM relationships) p ON p.rid = r.id"
             " WHERE w.cleared_at IS NULL AND w.visible_at <= $1 AND r.state = 'active'"
             " AND NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $2"
             " AND m.about_id = w.id AND m.person_id = p.to_id)) x"
             " JOIN persons t ON t.id = x.to_id JOIN persons o ON o.id = x.other_id"
             " ORDER BY x.at, x.id, x.to_id LIMIT $3",
             e);
  db_bind_i64(st, 1, now);
  db_bind_text(st, 2, mark);
  db_bind_i64(st, 3, limit);
  return store_collect(st, sizeof **items, read_item, a, (void **)items, n, e);
}

rp_rc store_pulses_to_tell(store *s, rp_time now, int nth, const char *mark, int limit, arena *a,
                           store_reach_item **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REACH_ITEM_COLS " FROM (SELECT COALESCE(lp.id, -r.id) AS id,"
             " r.id AS relationship_id, COALESCE(lp.answered_at, r.proposed_at) AS at,"
             " p.to_id, p.other_id, g.pulse_every_days AS every"
             " FROM relationships r JOIN programs g ON g.id = r.program_id"
             " JOIN (SELECT id AS rid, guide_id AS to_id, learner_id AS other_id FROM relationships"
             " UNION ALL SELECT id, learner_id, guide_id FROM relationships) p ON p.rid = r.id"
             " LEFT JOIN pulses lp ON lp.id = (SELECT q.id FROM pulses q WHERE"
             " q.relationship_id = r.id AND q.rater_id = p.to_id"
             " ORDER BY q.answered_at DESC, q.id DESC LIMIT 1)"
             " WHERE r.state = 'active') x"
             " JOIN persons t ON t.id = x.to_id JOIN persons o ON o.id = x.other_id"
             " WHERE NOT EXISTS (SELECT 1 FROM reach_marks m WHERE m.kind = $2"
             " AND m.about_id = x.id AND m.person_id = x.to_id)"
             " AND (x.at + x.every * 86400 <= $1 OR (SELECT COUNT(*) FROM checkins c"
             " WHERE c.relationship_id = x.relationship_id AND c.outcome = 'held'"
             " AND c.outcome_at > x.at) >= $4)"
             " ORDER BY x.at, x.id, x.to_id LIMIT $3",
             e);
  db_bind_i64(st, 1, now);
  db_bind_text(st, 2, mark);
  db_bind_i64(st, 3, limit);
  db_bind_i64(st, 4, nth);
  return store_collect(st, sizeof **items, read_item, a, (void **)items, n, e);
}

/* ---- in-app notifications ---- */

rp_rc store_notification_insert(store *s, int64_t person_id, const char *kind, const char *title,
                                const char *link, rp_time at, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO notifications (person_id, kind, title, link, at) VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_text(st, 2, kind);
  db_bind_text(st, 3, title);
  db_bind_text(st, 4, link);
  db_bind_i64(st, 5, at);
  return db_exec_stmt(st, e);
}

static void read_notification(db_stmt *st, arena *a, void *elem) {
  store_notification *x = elem;
  x->id = db_col_i64(st, 0);
  x->kind = store_col_str(st, 1, a);
  x->title = store_col_str(st, 2, a);
  x->link = store_col_str(st, 3, a);
  x->at = db_col_i64(st, 4);
  x->read_at = db_col_null(st, 5) ? 0 : db_col_i64(st, 5);
}

static rp_rc unread_count(store *s, int64_t person_id, int64_t *unread, rp_err *e) {
  STORE_PREP(s, "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = store_row(st, "notification count", e);
  if (rc) return rc;
  *unread = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_notifications_of(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                             store_notification **items, size_t *n, int64_t *next, int64_t *unread,
                             rp_err *e) {
  rp_rc rc = unread_count(s, person_id, unread, e);
  if (rc) return rc;
  STORE_PREP(s,
             "SELECT id, kind, title, link, at, read_at FROM notifications WHERE person_id = $1"
             " AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_notification, a, (void **)items, n, next, e);
}

rp_rc store_notifications_read(store *s, int64_t person_id, int64_t id, rp_time at,
                               int64_t *marked, rp_err *e) {
  STORE_PREP(s,
             "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE person_id = $1"
             " AND (($2 = 0 AND read_at IS NULL) OR id = $2)",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, id);
  db_bind_i64(st, 3, at);
  rp_rc rc = db_exec_stmt(st, e);
  *marked = rc ? 0 : db_changes(s->db);
  return rc;
}
