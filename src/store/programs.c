/* programs.c: programs and memberships. */
#include "store/store_internal.h"
#include "trust/trust_warn.h"

#include <string.h>

/* The warnings_off column: codes separated by commas, in code order. */
static unsigned warnings_off_parse(const char *text) {
  unsigned mask = 0;
  char code[32];
  while (text && *text) {
    size_t n = strcspn(text, ",");
    if (n < sizeof code) {
      memcpy(code, text, n);
      code[n] = 0;
      trust_warn_code c;
      if (trust_warn_parse(code, &c)) mask |= 1u << c;
    }
    text += n;
    if (*text == ',') text++;
  }
  return mask;
}

static const char *warnings_off_text(arena *a, unsigned mask) {
  size_t cap = 1;
  for (int c = 0; c < TRUST_W_COUNT; c++) cap += strlen(trust_warn_name((trust_warn_code)c)) + 1;
  char *out = arena_alloc(a, cap);
  size_t n = 0;
  out[0] = 0;
  for (int c = 0; c < TRUST_W_COUNT; c++) {
    if (!(mask & (1u << c))) continue;
    const char *name = trust_warn_name((trust_warn_code)c);
    if (n) out[n++] = ',';
    memcpy(out + n, name, strlen(name) + 1);
    n += strlen(name);
  }
  return out;
}

static void read_settings(db_stmt *st, int col, program_settings *s) {
  s->cadence_days = (int)db_col_i64(st, col);
  s->reply_window_hours = (int)db_col_i64(st, col + 1);
  s->pulse_every_days = (int)db_col_i64(st, col + 2);
  s->k_anonymity = (int)db_col_i64(st, col + 3);
  s->warnings_off = warnings_off_parse(db_col_text(st, col + 4));
}

void store_read_program(db_stmt *st, arena *a, void *elem) {
  program *p = elem;
  p->id = db_col_i64(st, 0);
  p->name = store_col_str(st, 1, a);
  program_kind_parse(db_col_text(st, 2), &p->kind);
  read_settings(st, 3, &p->settings);
  p->created_at = db_col_i64(st, 8);
}

rp_rc store_program_insert(store *s, const program *p, int64_t created_by, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO programs (name, kind, cadence_days, reply_window_hours,"
             " pulse_every_days, k_anonymity, created_by, created_at, warnings_off)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
             e);
  db_bind_text(st, 1, p->name);
  db_bind_text(st, 2, program_kind_name(p->kind));
  db_bind_i64(st, 3, p->settings.cadence_days);
  db_bind_i64(st, 4, p->settings.reply_window_hours);
  db_bind_i64(st, 5, p->settings.pulse_every_days);
  db_bind_i64(st, 6, p->settings.k_anonymity);
  db_bind_id_or_null(st, 7, created_by);
  db_bind_i64(st, 8, p->created_at);
  arena *scratch = arena_new(512);
  db_bind_text(st, 9, warnings_off_text(scratch, p->settings.warnings_off));
  rp_rc rc = store_insert_id(st, id, e);
  arena_free(scratch);
  return rc;
}

rp_rc store_program_settings_set(store *s, int64_t id, const program_settings *ps, arena *a,
                                 rp_err *e) {
  STORE_PREP(s,
             "UPDATE programs SET cadence_days = $1, reply_window_hours = $2,"
             " pulse_every_days = $3, warnings_off = $4 WHERE id = $5",
             e);
  db_bind_i64(st, 1, ps->cadence_days);
  db_bind_i64(st, 2, ps->reply_window_hours);
  db_bind_i64(st, 3, ps->pulse_every_days);
  db_bind_text(st, 4, warnings_off_text(a, ps->warnings_off));
  db_bind_i64(st, 5, id);
  return db_exec_stmt(st, e);
}

rp_rc store_program_event_insert(store *s, int64_t program_id, const char *kind, int64_t actor,
                                 rp_time at, const char *detail, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO program_events (program_id, kind, actor_id, at, detail)"
             " VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_text(st, 2, kind);
  db_bind_id_or_null(st, 3, actor);
  db_bind_i64(st, 4, at);
  db_bind_text(st, 5, detail);
  return db_exec_stmt(st, e);
}

static void read_program_event(db_stmt *st, arena *a, void *elem) {
  store_program_event *x = elem;
  x->id = db_col_i64(st, 0);
  x->kind = store_col_str(st, 1, a);
  x->actor_id = db_col_null(st, 2) ? 0 : db_col_i64(st, 2);
  x->actor_name = store_col_str(st, 3, a);
  x->at = db_col_i64(st, 4);
  x->detail = store_col_str(st, 5, a);
}

rp_rc store_program_events_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                                store_program_event **items, size_t *n, int64_t *next,
                                rp_err *e) {
  STORE_PREP(s,
             "SELECT e.id, e.kind, e.actor_id, p.name, e.at, e.detail"
             " FROM program_events e LEFT JOIN persons p ON p.id = e.actor_id"
             " WHERE e.program_id = $1 AND ($2 = 0 OR e.id < $2)"
             " ORDER BY e.id DESC LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_program_event, a, (void **)items, n, next,
                    e);
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

rp_rc store_program_current_relationships(store *s, int64_t program_id, arena *a, int64_t **ids,
                                          size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id FROM relationships WHERE program_id = $1"
             " AND state IN ('active', 'paused') ORDER BY id",
             e);
  db_bind_i64(st, 1, program_id);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

rp_rc store_program_get(store *s, int64_t id, arena *a, program *out, rp_err *e) {
  STORE_PREP(s, "SELECT " STORE_PROGRAM_COLS " FROM programs WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "program", e);
  if (rc) return rc;
  store_read_program(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_membership_add(store *s, int64_t program_id, int64_t person_id, member_role role,
                           rp_time now, bool *added, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO memberships (program_id, person_id, role, created_at)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, member_role_name(role));
  db_bind_i64(st, 4, now);
  rp_rc rc = db_exec_stmt(st, e);
  if (!rc) *added = db_changes(s->db) == 1;
  return rc;
}

rp_rc store_membership_has(store *s, int64_t program_id, int64_t person_id, member_role role, bool *out,
                           rp_err *e) {
  STORE_PREP(s,
             "SELECT 1 FROM memberships WHERE program_id = $1 AND person_id = $2 AND role = $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, member_role_name(role));
  int r = db_step(st, e);
  db_done(st);
  if (r < 0) return e->rc;
  *out = r == 1;
  return RP_OK;
}

static void read_member(db_stmt *st, arena *a, void *elem) {
  store_member *m = elem;
  m->who.id = db_col_i64(st, 0);
  m->who.email = store_col_str(st, 1, a);
  m->who.name = store_col_str(st, 2, a);
  m->who.is_site_admin = db_col_i64(st, 3) != 0;
  m->who.has_password = !db_col_null(st, 4);
  member_role_parse(db_col_text(st, 5), &m->role);
  m->since = db_col_i64(st, 6);
  m->cursor = db_col_i64(st, 7);
}

/* Members page by a cursor that orders (person_id, role) pairs: person*4+role. */
rp_rc store_members_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                         store_member **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT p.id, p.email, p.name, p.is_site_admin, p.password_hash, m.role,"
             " m.created_at, p.id * 4 + CASE m.role WHEN 'admin' THEN 0 WHEN 'guide' THEN 1"
             " ELSE 2 END AS cursor"
             " FROM memberships m JOIN persons p ON p.id = m.person_id"
             " WHERE m.program_id = $1 AND p.id * 4 + CASE m.role WHEN 'admin' THEN 0"
             " WHEN 'guide' THEN 1 ELSE 2 END > $2"
             " ORDER BY cursor LIMIT $3",
             e);
  db_bind_i64(st, 1, program_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 7, sizeof **items, read_member, a, (void **)items, n, next, e);
}

rp_rc store_roles_of(store *s, int64_t person_id, arena *a, store_program_role **items, size_t *n,
                     rp_err *e) {
  STORE_PREP(s,
             "SELECT p.id, p.name, p.kind, p.cadence_days, p.reply_window_hours,"
             " p.pulse_every_days, p.k_anonymity, p.warnings_off, p.created_at, m.role"
             " FROM memberships m JOIN programs p ON p.id = m.program_id"
             " WHERE m.person_id = $1 ORDER BY p.id, m.role LIMIT 1000",
             e);
  db_bind_i64(st, 1, person_id);
  size_t cap = 8, k = 0;
  store_program_role *out = arena_alloc(a, sizeof *out * cap);
  int r;
  while ((r = db_step(st, e)) == 1) {
    if (k == cap) {
      store_program_role *grown = arena_alloc(a, sizeof *out * cap * 2);
      memcpy(grown, out, sizeof *out * cap);
      out = grown;
      cap *= 2;
    }
    store_read_program(st, a, &out[k].prog); /* columns 0-8, then the role */
    member_role_parse(db_col_text(st, 9), &out[k].role);
    k++;
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}
