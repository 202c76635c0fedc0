/* matching.c: the matching tables (see matching.h). */
#include "store/matching.h"

#include <string.h>

#include "store/store_internal.h"

static void read_named(db_stmt *st, arena *a, void *elem) {
  store_match_named *x = elem;
  x->id = db_col_i64(st, 0);
  x->name = store_col_str(st, 1, a);
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

/* ---- the program's lists ---- */

/* Topics and attributes are both a program's named list: the SQL differs
 * only in the table, so each function passes its own static statements. */
typedef struct named_sql {
  const char *insert, *select, *del, *list, *what;
} named_sql;

static const named_sql topics_sql = {
    "INSERT INTO match_topics (program_id, name, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (program_id, name) DO NOTHING",
    "SELECT id FROM match_topics WHERE program_id = $1 AND name = $2",
    "DELETE FROM match_topics WHERE program_id = $1 AND id = $2",
    "SELECT id, name FROM match_topics WHERE program_id = $1 ORDER BY name, id", "topic"};
static const named_sql attributes_sql = {
    "INSERT INTO match_attributes (program_id, name, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (program_id, name) DO NOTHING",
    "SELECT id FROM match_attributes WHERE program_id = $1 AND name = $2",
    "DELETE FROM match_attributes WHERE program_id = $1 AND id = $2",
    "SELECT id, name FROM match_attributes WHERE program_id = $1 ORDER BY name, id",
    "attribute"};

static rp_rc named_ensure(store *s, const named_sql *q, int64_t program_id, const char *name,
                          rp_time now, int64_t *id, rp_err *e) {
  {
    STORE_PREP(s, q->insert, e);
    db_bind_i64(st, 1, program_id);
    db_bind_text(st, 2, name);
    db_bind_i64(st, 3, now);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
  }
  STORE_PREP(s, q->select, e);
  db_bind_i64(st, 1, program_id);
  db_bind_text(st, 2, name);
  rp_rc rc = store_row(st, q->what, e);
  if (rc) return rc;
  *id = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

static rp_rc named_delete(store *s, const named_sql *q, int64_t program_id, int64_t id,
                          rp_err *e) {
  STORE_PREP(s, q->del, e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, id);
  return store_exec_one(s, st, e);
}

static rp_rc named_list(store *s, const named_sql *q, int64_t program_id, arena *a,
                        store_match_named **items, size_t *n, rp_err *e) {
  STORE_PREP(s, q->list, e);
  db_bind_i64(st, 1, program_id);
  return store_collect(st, sizeof **items, read_named, a, (void **)items, n, e);
}

rp_rc store_match_topic_ensure(store *s, int64_t program_id, const char *name, rp_time now,
                               int64_t *id, rp_err *e) {
  return named_ensure(s, &topics_sql, program_id, name, now, id, e);
}

rp_rc store_match_topic_delete(store *s, int64_t program_id, int64_t topic_id, rp_err *e) {
  return named_delete(s, &topics_sql, program_id, topic_id, e);
}

rp_rc store_match_topics(store *s, int64_t program_id, arena *a, store_match_named **items,
                         size_t *n, rp_err *e) {
  return named_list(s, &topics_sql, program_id, a, items, n, e);
}

rp_rc store_match_attribute_ensure(store *s, int64_t program_id, const char *name, rp_time now,
                                   int64_t *id, rp_err *e) {
  return named_ensure(s, &attributes_sql, program_id, name, now, id, e);
}

rp_rc store_match_attribute_delete(store *s, int64_t program_id, int64_t attribute_id,
                                   rp_err *e) {
  return named_delete(s, &attributes_sql, program_id, attribute_id, e);
}

rp_rc store_match_attributes(store *s, int64_t program_id, arena *a, store_match_named **items,
                             size_t *n, rp_err *e) {
  return named_list(s, &attributes_sql, program_id, a, items, n, e);
}

/* ---- profiles ---- */

rp_rc store_match_profile_ensure(store *s, int64_t program_id, int64_t person_id, rp_time now,
                                 rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_profiles (program_id, person_id, updated_at) VALUES ($1, $2, $3)"
             " ON CONFLICT (program_id, person_id) DO NOTHING",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, now);
  return db_exec_stmt(st, e);
}

rp_rc store_match_profile_get(store *s, int64_t program_id, int64_t person_id, arena *a,
                              store_match_profile *out, bool *found, rp_err *e) {
  *out = (store_match_profile){.program_id = program_id, .person_id = person_id,
                               .languages = "", .time_zone = "UTC", .capacity = 1,
                               .taking_new = true, .about = ""};
  *found = false;
  STORE_PREP(s,
             "SELECT languages, time_zone, capacity, taking_new, about, updated_at"
             " FROM match_profiles WHERE program_id = $1 AND person_id = $2",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  int r = db_step(st, e);
  if (r < 0) {
    db_done(st);
    return e->rc;
  }
  if (r == 1) {
    *found = true;
    out->languages = store_col_str(st, 0, a);
    out->time_zone = store_col_str(st, 1, a);
    out->capacity = (int)db_col_i64(st, 2);
    out->taking_new = db_col_i64(st, 3) != 0;
    out->about = store_col_str(st, 4, a);
    out->updated_at = db_col_i64(st, 5);
  }
  db_done(st);
  return RP_OK;
}

rp_rc store_match_profile_put(store *s, const store_match_profile *p, rp_time now, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_profiles (program_id, person_id, languages, time_zone, capacity,"
             " taking_new, about, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
             " ON CONFLICT (program_id, person_id) DO UPDATE SET languages = excluded.languages,"
             " time_zone = excluded.time_zone, capacity = excluded.capacity,"
             " taking_new = excluded.taking_new, about = excluded.about,"
             " updated_at = excluded.updated_at",
             e);
  db_bind_i64(st, 1, p->program_id);
  db_bind_i64(st, 2, p->person_id);
  db_bind_text(st, 3, p->languages ? p->languages : "");
  db_bind_text(st, 4, p->time_zone ? p->time_zone : "UTC");
  db_bind_i64(st, 5, p->capacity);
  db_bind_i64(st, 6, p->taking_new ? 1 : 0);
  db_bind_text(st, 7, p->about ? p->about : "");
  db_bind_i64(st, 8, now);
  return db_exec_stmt(st, e);
}

rp_rc store_match_profile_set_languages(store *s, int64_t program_id, int64_t person_id,
                                        const char *languages, rp_time now, rp_err *e) {
  rp_rc rc = store_match_profile_ensure(s, program_id, person_id, now, e);
  if (rc) return rc;
  STORE_PREP(s,
             "UPDATE match_profiles SET languages = $1, updated_at = $2"
             " WHERE program_id = $3 AND person_id = $4",
             e);
  db_bind_text(st, 1, languages ? languages : "");
  db_bind_i64(st, 2, now);
  db_bind_i64(st, 3, program_id);
  db_bind_i64(st, 4, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_match_profile_set_time_zone(store *s, int64_t program_id, int64_t person_id,
                                        const char *time_zone, rp_time now, rp_err *e) {
  rp_rc rc = store_match_profile_ensure(s, program_id, person_id, now, e);
  if (rc) return rc;
  STORE_PREP(s,
             "UPDATE match_profiles SET time_zone = $1, updated_at = $2"
             " WHERE program_id = $3 AND person_id = $4",
             e);
  db_bind_text(st, 1, time_zone ? time_zone : "UTC");
  db_bind_i64(st, 2, now);
  db_bind_i64(st, 3, program_id);
  db_bind_i64(st, 4, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_match_profile_set_topics(store *s, int64_t program_id, int64_t person_id,
                                     const char *side, const int64_t *topic_ids, size_t n,
                                     rp_time now, rp_err *e) {
  rp_rc rc = store_match_profile_ensure(s, program_id, person_id, now, e);
  if (rc) return rc;
  {
    STORE_PREP(s,
               "DELETE FROM match_profile_topics WHERE program_id = $1 AND person_id = $2"
               " AND side = $3",
               e);
    db_bind_i64(st, 1, program_id);
    db_bind_i64(st, 2, person_id);
    db_bind_text(st, 3, side);
    if ((rc = db_exec_stmt(st, e))) return rc;
  }
  bool ranked = strcmp(side, "wants") == 0;
  for (size_t i = 0; i < n; i++) {
    STORE_PREP(s,
               "INSERT INTO match_profile_topics (program_id, person_id, side, topic_id, rank)"
               " SELECT $1, $2, $3, id, $4 FROM match_topics WHERE id = $5 AND program_id = $1",
               e);
    db_bind_i64(st, 1, program_id);
    db_bind_i64(st, 2, person_id);
    db_bind_text(st, 3, side);
    db_bind_i64(st, 4, ranked ? (int64_t)i + 1 : 0);
    db_bind_i64(st, 5, topic_ids[i]);
    if ((rc = db_exec_stmt(st, e))) return rc;
    if (db_changes(s->db) != 1)
      return rp_fail(e, RP_ERR_CONFLICT, "unknown_topic", "topic %lld is not the program's",
                     (long long)topic_ids[i]);
  }
  STORE_PREP(s,
             "UPDATE match_profiles SET updated_at = $1 WHERE program_id = $2 AND person_id = $3",
             e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, program_id);
  db_bind_i64(st, 3, person_id);
  return db_exec_stmt(st, e);
}

rp_rc store_match_profile_topics(store *s, int64_t program_id, int64_t person_id,
                                 const char *side, arena *a, int64_t **ids, size_t *n,
                                 rp_err *e) {
  STORE_PREP(s,
             "SELECT topic_id FROM match_profile_topics WHERE program_id = $1 AND person_id = $2"
             " AND side = $3 ORDER BY rank, topic_id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, side);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

static void read_window(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_match_window *w = elem;
  w->start_minute = (int)db_col_i64(st, 0);
  w->end_minute = (int)db_col_i64(st, 1);
}

rp_rc store_match_profile_set_windows(store *s, int64_t program_id, int64_t person_id,
                                      const store_match_window *w, size_t n, rp_time now,
                                      rp_err *e) {
  rp_rc rc = store_match_profile_ensure(s, program_id, person_id, now, e);
  if (rc) return rc;
  {
    STORE_PREP(s, "DELETE FROM match_windows WHERE program_id = $1 AND person_id = $2", e);
    db_bind_i64(st, 1, program_id);
    db_bind_i64(st, 2, person_id);
    if ((rc = db_exec_stmt(st, e))) return rc;
  }
  for (size_t i = 0; i < n; i++) {
    STORE_PREP(s,
               "INSERT INTO match_windows (program_id, person_id, start_minute, end_minute)"
               " VALUES ($1, $2, $3, $4)",
               e);
    db_bind_i64(st, 1, program_id);
    db_bind_i64(st, 2, person_id);
    db_bind_i64(st, 3, w[i].start_minute);
    db_bind_i64(st, 4, w[i].end_minute);
    if ((rc = db_exec_stmt(st, e))) return rc;
  }
  STORE_PREP(s,
             "UPDATE match_profiles SET updated_at = $1 WHERE program_id = $2 AND person_id = $3",
             e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, program_id);
  db_bind_i64(st, 3, person_id);
  return db_exec_stmt(st, e);
}

rp_rc store_match_profile_windows(store *s, int64_t program_id, int64_t person_id, arena *a,
                                  store_match_window **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT start_minute, end_minute FROM match_windows WHERE program_id = $1"
             " AND person_id = $2 ORDER BY start_minute",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  return store_collect(st, sizeof **items, read_window, a, (void **)items, n, e);
}

rp_rc store_match_attribute_value_set(store *s, int64_t program_id, int64_t person_id,
                                      int64_t attribute_id, const char *value, const char *wish,
                                      rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s, "SELECT 1 FROM match_attributes WHERE id = $1 AND program_id = $2", e);
    db_bind_i64(st, 1, attribute_id);
    db_bind_i64(st, 2, program_id);
    if ((rc = store_row(st, "attribute", e))) return rc;
    db_done(st);
  }
  if (!value && (!wish || strcmp(wish, "none") == 0)) {
    STORE_PREP(s,
               "DELETE FROM match_attribute_values WHERE attribute_id = $1 AND person_id = $2",
               e);
    db_bind_i64(st, 1, attribute_id);
    db_bind_i64(st, 2, person_id);
    return db_exec_stmt(st, e);
  }
  STORE_PREP(s,
             "INSERT INTO match_attribute_values (attribute_id, person_id, value, wish)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT (attribute_id, person_id) DO UPDATE"
             " SET value = excluded.value, wish = excluded.wish",
             e);
  db_bind_i64(st, 1, attribute_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, value);
  db_bind_text(st, 4, wish ? wish : "none");
  return db_exec_stmt(st, e);
}

static void read_attr_value(db_stmt *st, arena *a, void *elem) {
  store_match_attr_value *v = elem;
  v->attribute_id = db_col_i64(st, 0);
  v->name = store_col_str(st, 1, a);
  v->value = store_col_str(st, 2, a);
  v->wish = store_col_str(st, 3, a);
}

rp_rc store_match_attribute_values(store *s, int64_t program_id, int64_t person_id, arena *a,
                                   store_match_attr_value **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT a.id, a.name, v.value, v.wish FROM match_attribute_values v"
             " JOIN match_attributes a ON a.id = v.attribute_id"
             " WHERE a.program_id = $1 AND v.person_id = $2 ORDER BY a.id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  return store_collect(st, sizeof **items, read_attr_value, a, (void **)items, n, e);
}

/* ---- reporting lines and blocks ---- */

rp_rc store_match_reporting_line_set(store *s, int64_t program_id, int64_t person_id,
                                     const char *manager_email, int64_t set_by, rp_time now,
                                     rp_err *e) {
  if (!manager_email || !*manager_email) {
    STORE_PREP(s, "DELETE FROM match_reporting_lines WHERE program_id = $1 AND person_id = $2",
               e);
    db_bind_i64(st, 1, program_id);
    db_bind_i64(st, 2, person_id);
    return db_exec_stmt(st, e);
  }
  STORE_PREP(s,
             "INSERT INTO match_reporting_lines (program_id, person_id, manager_email, set_by,"
             " set_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (program_id, person_id) DO UPDATE"
             " SET manager_email = excluded.manager_email, set_by = excluded.set_by,"
             " set_at = excluded.set_at",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, manager_email);
  db_bind_id_or_null(st, 4, set_by);
  db_bind_i64(st, 5, now);
  return db_exec_stmt(st, e);
}

rp_rc store_match_reporting_line_get(store *s, int64_t program_id, int64_t person_id, arena *a,
                                     const char **manager_email, rp_err *e) {
  *manager_email = NULL;
  STORE_PREP(s,
             "SELECT manager_email FROM match_reporting_lines WHERE program_id = $1"
             " AND person_id = $2",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  int r = db_step(st, e);
  if (r == 1) *manager_email = store_col_str(st, 0, a);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_match_block_set(store *s, int64_t program_id, int64_t person_id, int64_t blocked_id,
                            bool blocked, rp_time now, rp_err *e) {
  if (!blocked) {
    STORE_PREP(s,
               "DELETE FROM match_blocks WHERE program_id = $1 AND person_id = $2"
               " AND blocked_id = $3",
               e);
    db_bind_i64(st, 1, program_id);
    db_bind_i64(st, 2, person_id);
    db_bind_i64(st, 3, blocked_id);
    return db_exec_stmt(st, e);
  }
  STORE_PREP(s,
             "INSERT INTO match_blocks (program_id, person_id, blocked_id, created_at)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT (program_id, person_id, blocked_id) DO NOTHING",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, blocked_id);
  db_bind_i64(st, 4, now);
  return db_exec_stmt(st, e);
}

rp_rc store_match_blocks_of(store *s, int64_t program_id, int64_t person_id, arena *a,
                            int64_t **ids, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT blocked_id FROM match_blocks WHERE program_id = $1 AND person_id = $2"
             " ORDER BY blocked_id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

static const char *const forget_sql[] = {
    "DELETE FROM match_profile_topics WHERE person_id = $1",
    "DELETE FROM match_windows WHERE person_id = $1",
    "DELETE FROM match_attribute_values WHERE person_id = $1",
    "DELETE FROM match_blocks WHERE person_id = $1",
    "DELETE FROM match_reporting_lines WHERE person_id = $1",
    "DELETE FROM match_exits WHERE person_id = $1",
    "DELETE FROM match_profiles WHERE person_id = $1",
};

rp_rc store_match_forget_person(store *s, int64_t person_id, const char *email, rp_time now,
                                rp_err *e) {
  for (size_t i = 0; i < sizeof forget_sql / sizeof *forget_sql; i++) {
    STORE_PREP(s, forget_sql[i], e);
    db_bind_i64(st, 1, person_id);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
  }
  if (email) {
    STORE_PREP(s, "DELETE FROM match_reporting_lines WHERE manager_email = $1", e);
    db_bind_text(st, 1, email);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
  }
  STORE_PREP(s,
             "UPDATE match_requests SET state = 'withdrawn', answered_at = $2"
             " WHERE state = 'pending' AND (learner_id = $1 OR guide_id = $1)",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, now);
  return db_exec_stmt(st, e);
}

/* ---- what the matcher reads of a whole program ---- */

static void read_member(db_stmt *st, arena *a, void *elem) {
  store_match_member *m = elem;
  m->person_id = db_col_i64(st, 0);
  m->name = store_col_str(st, 1, a);
  m->email = store_col_str(st, 2, a);
  m->learner = db_col_i64(st, 3) != 0;
  m->guide = db_col_i64(st, 4) != 0;
  m->profile.program_id = 0;
  m->profile.person_id = m->person_id;
  m->profile.languages = db_col_null(st, 5) ? "" : store_col_str(st, 5, a);
  m->profile.time_zone = db_col_null(st, 6) ? "UTC" : store_col_str(st, 6, a);
  m->profile.capacity = db_col_null(st, 7) ? 1 : (int)db_col_i64(st, 7);
  m->profile.taking_new = db_col_null(st, 8) ? true : db_col_i64(st, 8) != 0;
  m->profile.about = db_col_null(st, 9) ? "" : store_col_str(st, 9, a);
  m->profile.updated_at = db_col_null(st, 10) ? 0 : db_col_i64(st, 10);
}

rp_rc store_match_members(store *s, int64_t program_id, arena *a, store_match_member **items,
                          size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT p.id, p.name, p.email,"
             " MAX(CASE WHEN m.role = 'learner' THEN 1 ELSE 0 END),"
             " MAX(CASE WHEN m.role = 'guide' THEN 1 ELSE 0 END),"
             " f.languages, f.time_zone, f.capacity, f.taking_new, f.about, f.updated_at"
             " FROM memberships m JOIN persons p ON p.id = m.person_id"
             " LEFT JOIN match_profiles f ON f.program_id = m.program_id AND f.person_id = p.id"
             " WHERE m.program_id = $1 AND m.role IN ('learner', 'guide')"
             " GROUP BY p.id, p.name, p.email, f.languages, f.time_zone, f.capacity,"
             " f.taking_new, f.about, f.updated_at ORDER BY p.id",
             e);
  db_bind_i64(st, 1, program_id);
  rp_rc rc = store_collect(st, sizeof **items, read_member, a, (void **)items, n, e);
  for (size_t i = 0; !rc && i < *n; i++) (*items)[i].profile.program_id = program_id;
  return rc;
}

/* Columns: person_id, other, a, b, text, text2 (any may be NULL). */
static void read_row(db_stmt *st, arena *a, void *elem) {
  store_match_row *r = elem;
  r->person_id = db_col_i64(st, 0);
  r->other = db_col_null(st, 1) ? 0 : db_col_i64(st, 1);
  r->a = db_col_null(st, 2) ? 0 : db_col_i64(st, 2);
  r->b = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
  r->text = store_col_str(st, 4, a);
  r->text2 = store_col_str(st, 5, a);
}

static rp_rc rows_of(store *s, const char *sql, int64_t id, arena *a, store_match_row **items,
                     size_t *n, rp_err *e) {
  STORE_PREP(s, sql, e);
  db_bind_i64(st, 1, id);
  return store_collect(st, sizeof **items, read_row, a, (void **)items, n, e);
}

static const char all_topics_sql[] =
    "SELECT person_id, topic_id, rank, 0, side, NULL FROM match_profile_topics"
    " WHERE program_id = $1 ORDER BY person_id, side, rank, topic_id";
rp_rc store_match_all_topics(store *s, int64_t program_id, arena *a, store_match_row **items,
                             size_t *n, rp_err *e) {
  return rows_of(s, all_topics_sql, program_id, a, items, n, e);
}

static const char all_windows_sql[] =
    "SELECT person_id, 0, start_minute, end_minute, NULL, NULL FROM match_windows"
    " WHERE program_id = $1 ORDER BY person_id, start_minute";
rp_rc store_match_all_windows(store *s, int64_t program_id, arena *a, store_match_row **items,
                              size_t *n, rp_err *e) {
  return rows_of(s, all_windows_sql, program_id, a, items, n, e);
}

static const char all_values_sql[] =
    "SELECT v.person_id, v.attribute_id, 0, 0, v.value, v.wish FROM match_attribute_values v"
    " JOIN match_attributes t ON t.id = v.attribute_id WHERE t.program_id = $1"
    " ORDER BY v.person_id, v.attribute_id";
rp_rc store_match_all_attribute_values(store *s, int64_t program_id, arena *a,
                                       store_match_row **items, size_t *n, rp_err *e) {
  return rows_of(s, all_values_sql, program_id, a, items, n, e);
}

static const char all_blocks_sql[] =
    "SELECT person_id, blocked_id, 0, 0, NULL, NULL FROM match_blocks WHERE program_id = $1"
    " ORDER BY person_id, blocked_id";
rp_rc store_match_all_blocks(store *s, int64_t program_id, arena *a, store_match_row **items,
                             size_t *n, rp_err *e) {
  return rows_of(s, all_blocks_sql, program_id, a, items, n, e);
}

static const char all_lines_sql[] =
    "SELECT l.person_id, p.id, 0, 0, l.manager_email, NULL FROM match_reporting_lines l"
    " LEFT JOIN persons p ON p.email = l.manager_email WHERE l.program_id = $1"
    " ORDER BY l.person_id";
rp_rc store_match_all_lines(store *s, int64_t program_id, arena *a, store_match_row **items,
                            size_t *n, rp_err *e) {
  return rows_of(s, all_lines_sql, program_id, a, items, n, e);
}

static const char all_rels_sql[] =
    "SELECT r.learner_id, r.guide_id,"
    " CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.relationship_id = r.id) THEN 1"
    " ELSE 0 END, r.id, r.state, NULL FROM relationships r WHERE r.program_id = $1"
    " ORDER BY r.id";
rp_rc store_match_all_relationships(store *s, int64_t program_id, arena *a,
                                    store_match_row **items, size_t *n, rp_err *e) {
  return rows_of(s, all_rels_sql, program_id, a, items, n, e);
}

static const char latest_exits_sql[] =
    "SELECT x.person_id, r.guide_id, x.at, r.id, x.reasons, NULL FROM match_exits x"
    " JOIN relationships r ON r.id = x.relationship_id"
    " WHERE r.program_id = $1 AND x.person_id = r.learner_id ORDER BY x.person_id, x.at, r.id";
rp_rc store_match_latest_exits(store *s, int64_t program_id, arena *a, store_match_row **items,
                               size_t *n, rp_err *e) {
  return rows_of(s, latest_exits_sql, program_id, a, items, n, e);
}

static const char pending_sql[] =
    "SELECT guide_id, 0, COUNT(*), 0, NULL, NULL FROM match_requests"
    " WHERE program_id = $1 AND state = 'pending' GROUP BY guide_id ORDER BY guide_id";
rp_rc store_match_pending_by_guide(store *s, int64_t program_id, arena *a,
                                   store_match_row **items, size_t *n, rp_err *e) {
  return rows_of(s, pending_sql, program_id, a, items, n, e);
}

/* ---- settings ---- */

rp_rc store_match_settings_get(store *s, int64_t program_id, store_match_settings *out,
                               bool *found, rp_err *e) {
  *found = false;
  STORE_PREP(s,
             "SELECT w_topics, w_availability, w_language, w_attributes, w_experience,"
             " min_overlap_minutes, fairness, request_window_hours FROM match_settings"
             " WHERE program_id = $1",
             e);
  db_bind_i64(st, 1, program_id);
  int r = db_step(st, e);
  if (r == 1) {
    *found = true;
    for (int i = 0; i < 5; i++) out->weight[i] = (int)db_col_i64(st, i);
    out->min_overlap_minutes = (int)db_col_i64(st, 5);
    out->fairness = db_col_i64(st, 6) != 0;
    out->request_window_hours = (int)db_col_i64(st, 7);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_match_settings_put(store *s, int64_t program_id, const store_match_settings *v,
                               rp_time now, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_settings (program_id, w_topics, w_availability, w_language,"
             " w_attributes, w_experience, min_overlap_minutes, fairness, request_window_hours,"
             " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
             " ON CONFLICT (program_id) DO UPDATE SET w_topics = excluded.w_topics,"
             " w_availability = excluded.w_availability, w_language = excluded.w_language,"
             " w_attributes = excluded.w_attributes, w_experience = excluded.w_experience,"
             " min_overlap_minutes = excluded.min_overlap_minutes,"
             " fairness = excluded.fairness, request_window_hours = excluded.request_window_hours,"
             " updated_at = excluded.updated_at",
             e);
  db_bind_i64(st, 1, program_id);
  for (int i = 0; i < 5; i++) db_bind_i64(st, 2 + i, v->weight[i]);
  db_bind_i64(st, 7, v->min_overlap_minutes);
  db_bind_i64(st, 8, v->fairness ? 1 : 0);
  db_bind_i64(st, 9, v->request_window_hours);
  db_bind_i64(st, 10, now);
  return db_exec_stmt(st, e);
}

/* ---- admin runs ---- */

#define RUN_COLS \
  "id, program_id, created_by, state, fairness, created_at, solved_at, published_at, report"

static void read_run(db_stmt *st, arena *a, void *elem) {
  store_match_run *r = elem;
  r->id = db_col_i64(st, 0);
  r->program_id = db_col_i64(st, 1);
  r->created_by = db_col_null(st, 2) ? 0 : db_col_i64(st, 2);
  r->state = store_col_str(st, 3, a);
  r->fairness = db_col_i64(st, 4) != 0;
  r->created_at = db_col_i64(st, 5);
  r->solved_at = db_col_i64(st, 6);
  r->published_at = db_col_null(st, 7) ? 0 : db_col_i64(st, 7);
  r->report = store_col_str(st, 8, a);
}

rp_rc store_match_run_insert(store *s, store_match_run *r, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_runs (program_id, state, fairness, created_by, created_at,"
             " solved_at, report) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             e);
  db_bind_i64(st, 1, r->program_id);
  db_bind_text(st, 2, r->state);
  db_bind_i64(st, 3, r->fairness ? 1 : 0);
  db_bind_id_or_null(st, 4, r->created_by);
  db_bind_i64(st, 5, r->created_at);
  db_bind_i64(st, 6, r->solved_at);
  db_bind_text(st, 7, r->report);
  return store_insert_id(st, &r->id, e);
}

rp_rc store_match_run_get(store *s, int64_t id, arena *a, store_match_run *out, rp_err *e) {
  STORE_PREP(s, "SELECT " RUN_COLS " FROM match_runs WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "matching run", e);
  if (rc) return rc;
  read_run(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_match_run_update(store *s, const store_match_run *r, rp_err *e) {
  STORE_PREP(s,
             "UPDATE match_runs SET state = $1, fairness = $2, solved_at = $3, published_at = $4,"
             " report = $5 WHERE id = $6",
             e);
  db_bind_text(st, 1, r->state);
  db_bind_i64(st, 2, r->fairness ? 1 : 0);
  db_bind_i64(st, 3, r->solved_at);
  db_bind_id_or_null(st, 4, r->published_at);
  db_bind_text(st, 5, r->report);
  db_bind_i64(st, 6, r->id);
  return store_exec_one(s, st, e);
}

rp_rc store_match_runs_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                            store_match_run **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " RUN_COLS " FROM match_runs WHERE program_id = $1 AND id > $2"
             " ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_run, a, (void **)items, n, next, e);
}

rp_rc store_match_run_pairs_replace(store *s, int64_t run_id, const store_match_pair *p,
                                    size_t n, rp_err *e) {
  {
    STORE_PREP(s, "DELETE FROM match_run_pairs WHERE run_id = $1 AND locked = 0", e);
    db_bind_i64(st, 1, run_id);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i].locked) continue;
    STORE_PREP(s,
               "INSERT INTO match_run_pairs (run_id, learner_id, guide_id, score, locked)"
               " VALUES ($1, $2, $3, $4, 0)",
               e);
    db_bind_i64(st, 1, run_id);
    db_bind_i64(st, 2, p[i].learner_id);
    db_bind_i64(st, 3, p[i].guide_id);
    db_bind_i64(st, 4, p[i].score);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
  }
  return RP_OK;
}

static void read_pair(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_match_pair *p = elem;
  p->learner_id = db_col_i64(st, 0);
  p->guide_id = db_col_i64(st, 1);
  p->score = (int)db_col_i64(st, 2);
  p->locked = db_col_i64(st, 3) != 0;
}

rp_rc store_match_run_pairs(store *s, int64_t run_id, arena *a, store_match_pair **items,
                            size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT learner_id, guide_id, score, locked FROM match_run_pairs WHERE run_id = $1"
             " ORDER BY learner_id",
             e);
  db_bind_i64(st, 1, run_id);
  return store_collect(st, sizeof **items, read_pair, a, (void **)items, n, e);
}

rp_rc store_match_run_pair_set(store *s, int64_t run_id, int64_t learner_id, int64_t guide_id,
                               int score, bool locked, rp_err *e) {
  {
    STORE_PREP(s, "DELETE FROM match_run_pairs WHERE run_id = $1 AND learner_id = $2", e);
    db_bind_i64(st, 1, run_id);
    db_bind_i64(st, 2, learner_id);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc || guide_id == 0) return rc;
  }
  STORE_PREP(s,
             "INSERT INTO match_run_pairs (run_id, learner_id, guide_id, score, locked)"
             " VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_i64(st, 1, run_id);
  db_bind_i64(st, 2, learner_id);
  db_bind_i64(st, 3, guide_id);
  db_bind_i64(st, 4, score);
  db_bind_i64(st, 5, locked ? 1 : 0);
  return db_exec_stmt(st, e);
}

rp_rc store_match_run_exclude(store *s, int64_t run_id, int64_t learner_id, int64_t guide_id,
                              rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_run_exclusions (run_id, learner_id, guide_id) VALUES ($1, $2, $3)"
             " ON CONFLICT (run_id, learner_id, guide_id) DO NOTHING",
             e);
  db_bind_i64(st, 1, run_id);
  db_bind_i64(st, 2, learner_id);
  db_bind_i64(st, 3, guide_id);
  return db_exec_stmt(st, e);
}

static const char exclusions_sql[] =
    "SELECT learner_id, guide_id, 0, 0, NULL, NULL FROM match_run_exclusions WHERE run_id = $1"
    " ORDER BY learner_id, guide_id";
rp_rc store_match_run_exclusions(store *s, int64_t run_id, arena *a, store_match_row **items,
                                 size_t *n, rp_err *e) {
  return rows_of(s, exclusions_sql, run_id, a, items, n, e);
}

/* ---- self-match requests ---- */

#define REQ_COLS                                                                               \
  "q.id, q.program_id, q.learner_id, q.guide_id, q.state, q.score, q.created_at, q.due_at,"    \
  " q.answered_at, q.relationship_id, pl.name, pg.name"
#define REQ_FROM                                                                               \
  " FROM match_requests q JOIN persons pl ON pl.id = q.learner_id"                             \
  " JOIN persons pg ON pg.id = q.guide_id"

static void read_request(db_stmt *st, arena *a, void *elem) {
  store_match_request *r = elem;
  r->id = db_col_i64(st, 0);
  r->program_id = db_col_i64(st, 1);
  r->learner_id = db_col_i64(st, 2);
  r->guide_id = db_col_i64(st, 3);
  r->state = store_col_str(st, 4, a);
  r->score = (int)db_col_i64(st, 5);
  r->created_at = db_col_i64(st, 6);
  r->due_at = db_col_i64(st, 7);
  r->answered_at = db_col_null(st, 8) ? 0 : db_col_i64(st, 8);
  r->relationship_id = db_col_null(st, 9) ? 0 : db_col_i64(st, 9);
  r->learner_name = store_col_str(st, 10, a);
  r->guide_name = store_col_str(st, 11, a);
}

rp_rc store_match_request_insert(store *s, store_match_request *r, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_requests (program_id, learner_id, guide_id, state, score,"
             " created_at, due_at) VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING id",
             e);
  db_bind_i64(st, 1, r->program_id);
  db_bind_i64(st, 2, r->learner_id);
  db_bind_i64(st, 3, r->guide_id);
  db_bind_i64(st, 4, r->score);
  db_bind_i64(st, 5, r->created_at);
  db_bind_i64(st, 6, r->due_at);
  return store_insert_id(st, &r->id, e);
}

rp_rc store_match_request_get(store *s, int64_t id, arena *a, store_match_request *out,
                              rp_err *e) {
  STORE_PREP(s, "SELECT " REQ_COLS REQ_FROM " WHERE q.id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "request", e);
  if (rc) return rc;
  read_request(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_match_request_answer(store *s, int64_t id, const char *state, rp_time at,
                                 int64_t relationship_id, rp_err *e) {
  STORE_PREP(s,
             "UPDATE match_requests SET state = $1, answered_at = $2, relationship_id = $3"
             " WHERE id = $4 AND state = 'pending'",
             e);
  db_bind_text(st, 1, state);
  db_bind_i64(st, 2, at);
  db_bind_id_or_null(st, 3, relationship_id);
  db_bind_i64(st, 4, id);
  return store_exec_one(s, st, e);
}

rp_rc store_match_requests_of(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                              store_match_request **items, size_t *n, int64_t *next,
                              rp_err *e) {
  STORE_PREP(s,
             "SELECT " REQ_COLS REQ_FROM " WHERE (q.learner_id = $1 OR q.guide_id = $1)"
             " AND q.id > $2 ORDER BY q.id LIMIT $3",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_request, a, (void **)items, n, next, e);
}

rp_rc store_match_requests_of_learner(store *s, int64_t program_id, int64_t learner_id,
                                      arena *a, store_match_request **items, size_t *n,
                                      rp_err *e) {
  STORE_PREP(s,
             "SELECT " REQ_COLS REQ_FROM " WHERE q.program_id = $1 AND q.learner_id = $2"
             " ORDER BY q.id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, learner_id);
  return store_collect(st, sizeof **items, read_request, a, (void **)items, n, e);
}

rp_rc store_match_requests_due(store *s, rp_time now, int limit, arena *a,
                               store_match_request **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REQ_COLS REQ_FROM " WHERE q.state = 'pending' AND q.due_at <= $1"
             " ORDER BY q.due_at, q.id LIMIT $2",
             e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, limit);
  return store_collect(st, sizeof **items, read_request, a, (void **)items, n, e);
}

/* ---- exit answers and outcomes ---- */

rp_rc store_match_exit_put(store *s, int64_t rel_id, int64_t person_id, const char *reasons,
                           rp_time at, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_exits (relationship_id, person_id, reasons, at)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT (relationship_id, person_id) DO UPDATE"
             " SET reasons = excluded.reasons, at = excluded.at",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, reasons);
  db_bind_i64(st, 4, at);
  return db_exec_stmt(st, e);
}

rp_rc store_match_exit_get(store *s, int64_t rel_id, int64_t person_id, arena *a,
                           const char **reasons, rp_err *e) {
  *reasons = NULL;
  STORE_PREP(s,
             "SELECT reasons FROM match_exits WHERE relationship_id = $1 AND person_id = $2",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, person_id);
  int r = db_step(st, e);
  if (r == 1) *reasons = store_col_str(st, 0, a);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_match_outcome_put(store *s, int64_t program_id, const store_match_outcome *o,
                              rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO match_outcomes (relationship_id, program_id, score, p_topics,"
             " p_availability, p_language, p_attributes, p_experience, at)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
             " ON CONFLICT (relationship_id) DO NOTHING",
             e);
  db_bind_i64(st, 1, o->relationship_id);
  db_bind_i64(st, 2, program_id);
  db_bind_i64(st, 3, o->score);
  for (int i = 0; i < 5; i++) db_bind_i64(st, 4 + i, o->part[i]);
  db_bind_i64(st, 9, o->at);
  return db_exec_stmt(st, e);
}

static void read_outcome(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_match_outcome *o = elem;
  o->relationship_id = db_col_i64(st, 0);
  o->score = (int)db_col_i64(st, 1);
  for (int i = 0; i < 5; i++) o->part[i] = (int)db_col_i64(st, 2 + i);
  o->at = db_col_i64(st, 7);
}

rp_rc store_match_outcomes(store *s, int64_t program_id, rp_time before, arena *a,
                           store_match_outcome **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT relationship_id, score, p_topics, p_availability, p_language, p_attributes,"
             " p_experience, at FROM match_outcomes WHERE program_id = $1 AND at <= $2"
             " ORDER BY relationship_id",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, before);
  return store_collect(st, sizeof **items, read_outcome, a, (void **)items, n, e);
}
