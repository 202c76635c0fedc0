/* exports.c: a program's metadata for its admins, to take away as CSV.
 *
 * Members and roles, relationships with their states and dates, counts,
 * and the health figures exactly as the health page has them (the same
 * app_program_health, so the same k-anonymity and complementary
 * suppression). Never any confidential text: nothing here opens a sealed
 * row. Counts are of members and relationships the admin sees listed one
 * by one anyway, so they are not suppressed. Every export is one entry of
 * the access log whose actor and subject are the admin who took it:
 * "exported program 3 members".
 */
#include "app/org/org.h"
#include "app/privacy/audit.h"

#include <string.h>

#define EXPORT_PAGE 500

static const char *const g_kinds[] = {"members", "relationships", "counts", "health"};

const char *app_export_kind_name(app_export_kind k) { return g_kinds[k]; }

bool app_export_kind_parse(const char *s, app_export_kind *out) {
  for (size_t i = 0; i < sizeof g_kinds / sizeof g_kinds[0]; i++)
    if (s && strcmp(s, g_kinds[i]) == 0) {
      *out = (app_export_kind)i;
      return true;
    }
  return false;
}

/* Every member row, page after page. */
static rp_rc all_members(app_ctx *c, int64_t program_id, app_program_export *out, rp_err *e) {
  int64_t after = 0;
  size_t cap = 0;
  do {
    store_member *items;
    size_t n;
    int64_t next = 0;
    rp_rc rc = store_members_list(c->st, program_id, after, EXPORT_PAGE, c->a, &items, &n, &next,
                                  e);
    if (rc) return rc;
    if (out->nmembers + n > cap) {
      cap = (out->nmembers + n) * 2;
      store_member *grown = arena_alloc(c->a, cap * sizeof *grown);
      if (out->nmembers) memcpy(grown, out->members, out->nmembers * sizeof *grown);
      out->members = grown;
    }
    if (n) memcpy(out->members + out->nmembers, items, n * sizeof *items);
    out->nmembers += n;
    after = next;
  } while (after);
  return RP_OK;
}

static rp_rc all_relationships(app_ctx *c, int64_t program_id, app_program_export *out,
                               rp_err *e) {
  int64_t after = 0;
  size_t cap = 0;
  do {
    relationship *items;
    size_t n;
    int64_t next = 0;
    rp_rc rc = store_relationships_of_program(c->st, program_id, after, EXPORT_PAGE, c->a, &items,
                                              &n, &next, e);
    if (rc) return rc;
    if (out->nrels + n > cap) {
      cap = (out->nrels + n) * 2;
      relationship *grown = arena_alloc(c->a, cap * sizeof *grown);
      if (out->nrels) memcpy(grown, out->rels, out->nrels * sizeof *grown);
      out->rels = grown;
    }
    if (n) memcpy(out->rels + out->nrels, items, n * sizeof *items);
    out->nrels += n;
    after = next;
  } while (after);
  return RP_OK;
}

/* Members by role and relationships by state, every group listed. */
static void count(app_ctx *c, app_program_export *out) {
  size_t n = 3 + REL_STATE_COUNT;
  out->counts = arena_zalloc(c->a, n * sizeof *out->counts);
  out->ncounts = n;
  for (int r = 0; r < 3; r++)
    out->counts[r] = (app_export_count){"members", member_role_name((member_role)r), 0};
  for (int s = 0; s < REL_STATE_COUNT; s++)
    out->counts[3 + s] = (app_export_count){"relationships", rel_state_name((rel_state)s), 0};
  for (size_t i = 0; i < out->nmembers; i++) out->counts[out->members[i].role].n++;
  for (size_t i = 0; i < out->nrels; i++) out->counts[3 + out->rels[i].state].n++;
}

rp_rc app_program_export_take(app_ctx *c, int64_t program_id, app_export_kind kind,
                              app_program_export *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->kind = kind;
  out->at = c->now;
  rp_rc rc = app_program_admin_load(c, program_id, &out->prog, e);
  if (rc) return rc;
  switch (kind) {
  case EXPORT_MEMBERS: rc = all_members(c, program_id, out, e); break;
  case EXPORT_RELATIONSHIPS: rc = all_relationships(c, program_id, out, e); break;
  case EXPORT_COUNTS:
    rc = all_members(c, program_id, out, e);
    if (!rc) rc = all_relationships(c, program_id, out, e);
    if (!rc) count(c, out);
    break;
  case EXPORT_HEALTH: rc = app_program_health(c, program_id, &out->health, e); break;
  }
  if (rc) return rc;
  return app_access_note_export(
      c, arena_printf(c->a, "program %lld %s", (long long)program_id, app_export_kind_name(kind)),
      e);
}
