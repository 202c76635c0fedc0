/* programs.c: programs and memberships. */
#include "store/store_internal.h"

#include <string.h>

rp_rc store_program_insert(store *s, const program *p, int64_t created_by, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO programs (name, kind, cadence_days, reply_window_hours,"
             " pulse_every_days, k_anonymity, created_by, created_at)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
             e);
  db_bind_text(st, 1, p->name);
  db_bind_text(st, 2, program_kind_name(p->kind));
  db_bind_i64(st, 3, p->settings.cadence_days);
  db_bind_i64(st, 4, p->settings.reply_window_hours);
  db_bind_i64(st, 5, p->settings.pulse_every_days);
  db_bind_i64(st, 6, p->settings.k_anonymity);
  db_bind_id_or_null(st, 7, created_by);
  db_bind_i64(st, 8, p->created_at);
  return store_insert_id(st, id, e);
}

rp_rc store_program_get(store *s, int64_t id, arena *a, program *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, name, kind, cadence_days, reply_window_hours, pulse_every_days,"
             " k_anonymity, created_at FROM programs WHERE id = $1",
             e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "program", e);
  if (rc) return rc;
  out->id = db_col_i64(st, 0);
  out->name = store_col_str(st, 1, a);
  program_kind_parse(db_col_text(st, 2), &out->kind);
  out->settings.cadence_days = (int)db_col_i64(st, 3);
  out->settings.reply_window_hours = (int)db_col_i64(st, 4);
  out->settings.pulse_every_days = (int)db_col_i64(st, 5);
  out->settings.k_anonymity = (int)db_col_i64(st, 6);
  out->created_at = db_col_i64(st, 7);
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
             " p.pulse_every_days, p.k_anonymity, p.created_at, m.role"
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
    program *p = &out[k].prog;
    p->id = db_col_i64(st, 0);
    p->name = store_col_str(st, 1, a);
    program_kind_parse(db_col_text(st, 2), &p->kind);
    p->settings.cadence_days = (int)db_col_i64(st, 3);
    p->settings.reply_window_hours = (int)db_col_i64(st, 4);
    p->settings.pulse_every_days = (int)db_col_i64(st, 5);
    p->settings.k_anonymity = (int)db_col_i64(st, 6);
    p->created_at = db_col_i64(st, 7);
    member_role_parse(db_col_text(st, 8), &out[k].role);
    k++;
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}
