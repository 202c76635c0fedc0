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
