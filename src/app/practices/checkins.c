/* checkins.c: scheduling check-ins and recording their outcomes. */
#include "app/practices/checkins.h"
#include "app/privacy/privacy.h"

#include <string.h>

/* Loads check-in id and its relationship when the actor is a party to it;
 * RP_ERR_NOT_FOUND ("No such check-in.") otherwise. */
static rp_rc load_checkin(app_ctx *c, int64_t id, checkin *ck, relationship *r, rp_err *e) {
  rp_rc rc = store_checkin_get(c->st, id, ck, e);
  return app_row_of_party(c, rc, rc ? 0 : ck->relationship_id, "check-in", r, e);
}

rp_rc app_checkin_schedule(app_ctx *c, int64_t rel_id, rp_time scheduled_at, const rp_time *at,
                           checkin *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rp_time when = c->now;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = checkin_check_schedule(&r, scheduled_at, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->relationship_id = rel_id;
    out->scheduled_at = scheduled_at;
    out->created_at = when;
    out->created_by = c->actor;
    rc = store_checkin_insert(c->st, out, e);
  }
  if (!rc) rc = app_event(c, rel_id, "checkin_scheduled", out->id, when, NULL, NULL, NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_checkin_get(app_ctx *c, int64_t id, checkin *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rc = load_checkin(c, id, out, &r, e);
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

rp_rc app_checkins_list(app_ctx *c, int64_t rel_id, int64_t after, int limit, checkin **items,
                        size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_checkins_list(c->st, rel_id, after, app_page_limit(limit), c->a, items, n, next, e);
  store_rollback(c->st);
  return rc;
}

/* Inserts the check-in a reschedule moves to; sets *id. */
static rp_rc insert_follow_up(app_ctx *c, const checkin *ck, rp_time new_at, rp_time when,
                              int64_t *id, rp_err *e) {
  checkin next;
  memset(&next, 0, sizeof next);
  next.relationship_id = ck->relationship_id;
  next.scheduled_at = new_at;
  next.created_at = when;
  next.created_by = c->actor;
  rp_rc rc = store_checkin_insert(c->st, &next, e);
  if (!rc) *id = next.id;
  return rc;
}

/* Fills ck's outcome fields from the report and its verdict. */
static void apply_outcome(app_ctx *c, checkin *ck, const checkin_report *rep,
                          const checkin_verdict *v) {
  ck->has_outcome = true;
  ck->outcome = rep->outcome;
  ck->cls = v->cls;
  ck->caused_by = rep->caused_by;
  ck->outcome_at = rep->at;
  ck->recorded_by = c->actor;
  ck->has_notice = v->has_notice;
  ck->notice_s = v->notice_s;
  ck->has_late = v->has_late;
  ck->late_s = v->late_s;
}

rp_rc app_checkin_outcome(app_ctx *c, int64_t id, const app_checkin_report *rep, checkin *out,
                          rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_CHECKIN, id, e);
  if (rc) return rc;
  relationship r;
  checkin_verdict v;
  checkin_report dr = {rep->outcome, c->now, rep->caused_by, rep->has_new_scheduled_at,
                       rep->new_scheduled_at};
  int cadence = 0, window = 0;
  rc = load_checkin(c, id, out, &r, e);
  /* The state conflicts (checkin_decide) come before any complaint about `at`. */
  if (!rc && rel_allows_outcomes(r.state) && !out->has_outcome)
    rc = app_event_time(c, &r, rep->at, &dr.at, e);
  if (!rc) rc = app_rel_terms(c, &r, &cadence, &window, e);
  if (!rc) rc = checkin_decide(&r, out, &dr, cadence, &v, e);
  if (!rc && rep->outcome == CHECKIN_RESCHEDULED)
    rc = insert_follow_up(c, out, dr.new_scheduled_at, dr.at, &out->rescheduled_to, e);
  if (!rc) {
    apply_outcome(c, out, &dr, &v);
    rc = store_checkin_set_outcome(c->st, out, e);
  }
  if (!rc) rc = app_event(c, r.id, "checkin_outcome", id, dr.at, NULL, NULL, NULL, e);
  if (!rc && out->rescheduled_to)
    rc = app_event(c, r.id, "checkin_scheduled", out->rescheduled_to, dr.at, NULL, NULL, NULL, e);
  return app_finish(c, rc, e);
}
