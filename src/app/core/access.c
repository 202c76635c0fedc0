/* access.c: who may see what, the times an action may record, the terms
 * a relationship runs on, and page sizes: the rules every room shares. */
#include "app/core/core.h"

rp_rc app_is_program_admin(app_ctx *c, int64_t program_id, bool *out, rp_err *e) {
  if (c->site_admin) {
    *out = true;
    return RP_OK;
  }
  if (c->session_unchecked) /* actor 0 is nobody yet, not the operator */
    return rp_fail(e, RP_ERR_INTERNAL, "session_unchecked", "The request failed.");
  if (!c->actor) {
    *out = true; /* the operator's own command line */
    return RP_OK;
  }
  return store_membership_has(c->st, program_id, c->actor, ROLE_ADMIN, out, e);
}

rp_rc app_rel_load(app_ctx *c, int64_t id, app_need need, relationship *r, rel_role *role,
                   rp_err *e) {
  rp_rc rc = store_relationship_get(c->st, id, r, e);
  return rc ? rc : app_rel_admit(c, r, need, role, e);
}

rp_rc app_rel_admit(app_ctx *c, const relationship *r, app_need need, rel_role *role,
                    rp_err *e) {
  bool admin = false;
  if (r->guide_id != c->actor && r->learner_id != c->actor) {
    rp_rc rc = app_is_program_admin(c, r->program_id, &admin, e);
    if (rc) return rc;
  }
  return app_rel_admit_as(c, r, need, admin, role, e);
}

rp_rc app_rel_admit_as(app_ctx *c, const relationship *r, app_need need, bool program_admin,
                       rel_role *role, rp_err *e) {
  c->rel_parties.id = r->id;
  c->rel_parties.guide_id = r->guide_id;
  c->rel_parties.learner_id = r->learner_id;
  *role = rel_role_of(r, c->actor, program_admin);
  if (*role == REL_ROLE_NONE || (need == APP_NEED_PARTY && !rel_role_is_party(*role)))
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  return RP_OK;
}

rp_rc app_row_of_party(app_ctx *c, rp_rc rc, int64_t rel_id, const char *what, relationship *r,
                       rp_err *e) {
  rel_role role;
  if (!rc) rc = store_item_locked(c->st, rel_id, e); /* a write named by the item's id */
  if (!rc) rc = app_rel_load(c, rel_id, APP_NEED_PARTY, r, &role, e);
  if (rc == RP_ERR_NOT_FOUND) rc = rp_fail(e, rc, "not_found", "No such %s.", what);
  return rc;
}

rp_rc app_event_time(app_ctx *c, const relationship *r, const rp_time *at, rp_time *when,
                     rp_err *e) {
  if (!at) {
    *when = c->now;
    return RP_OK;
  }
  rp_rc rc = rel_check_at(r, *at, c->now, e);
  if (!rc) *when = *at;
  return rc;
}

rp_rc app_event_time_since(app_ctx *c, const relationship *r, const rp_time *at, rp_time since,
                           const char *what, rp_time *when, rp_err *e) {
  rp_rc rc = app_event_time(c, r, at, when, e);
  if (!rc && *when < since) {
    rp_field(e, "/at", "The time may not be before %s.", what);
    rc = RP_ERR_INVALID;
  }
  return rc;
}

rp_rc app_rel_terms(app_ctx *c, const relationship *r, int *cadence_days, int *reply_window_hours,
                    rp_err *e) {
  bool found = false;
  rp_rc rc = store_agreement_terms(c->st, r->id, &found, cadence_days, reply_window_hours, e);
  if (rc || found) return rc;
  program p;
  rc = store_program_get(c->st, r->program_id, c->a, &p, e);
  if (rc) return rc;
  *cadence_days = p.settings.cadence_days;
  *reply_window_hours = p.settings.reply_window_hours;
  return RP_OK;
}

int app_page_limit(int limit) {
  if (limit <= 0) return APP_PAGE_DEFAULT;
  return limit > APP_PAGE_MAX ? APP_PAGE_MAX : limit;
}
