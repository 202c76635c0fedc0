/* repair.c: incidents and repair in circles (app/circles/practice.h), on
 * the pairs' rules (domain/incident.h).
 *
 * An incident is a circle item; the member it concerns acknowledges it,
 * which opens their repair plan (a circle_repairs row: the incident is
 * acknowledged when its plan exists). The plan's acknowledgement and
 * responsibility are sealed with the circle's key as the pairs' kinds
 * SEAL_REPAIR_ACK and SEAL_REPAIR_RESPONSIBILITY, the plan's party as
 * author. Who may read an incident or its plan: whoever may read the
 * incident (circle_text_readable). The evidence is derived where the
 * circle's trust is computed (circle_trust.c).
 */
#include "app/circles/internal.h"
#include "app/circles/practice.h"
#include "app/privacy/privacy.h"
#include "domain/commitment.h"

#include <string.h>

#define REPAIR_BATCH 200

static rp_rc no_incident(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such incident.");
}

/* The incident as the pairs' rules read it. */
static incident incident_of(const store_circle_item *it, const store_circle_repair *plan) {
  incident in;
  memset(&in, 0, sizeof in);
  in.id = it->id;
  in.relationship_id = it->circle_id;
  in.reporter_id = it->author_id;
  in.concerning_id = it->subject_id;
  in.reported_at = it->created_at;
  in.acknowledged_at = plan ? plan->plan.opened_at : 0;
  in.resolved_at = it->closed_at;
  return in;
}

/* Loads incident item_id for a writer: the actor is in the circle now and
 * it is active. *plan gets its repair plan, *has_plan whether there is one. */
static rp_rc load_incident(app_ctx *c, int64_t item_id, app_circle *ci, store_circle_item *it,
                           store_circle_repair *plan, bool *has_plan, rp_err *e) {
  rp_rc rc = app_circle_load_item(c, item_id, ci, it, e);
  if (rc == RP_ERR_NOT_FOUND || (!rc && it->kind != CIRCLE_INCIDENT)) {
    rp_err_reset(e);
    return no_incident(e);
  }
  if (!rc) rc = app_circle_load_writer(c, it->circle_id, ci, e);
  *has_plan = false;
  if (!rc) {
    rc = store_circle_repair_of_incident(c->st, item_id, c->a, plan, e);
    *has_plan = rc == RP_OK;
    if (rc == RP_ERR_NOT_FOUND) {
      rp_err_reset(e);
      rc = RP_OK;
    }
  }
  return rc;
}

static rp_rc reload_item(app_ctx *c, int64_t item_id, app_circle_item *out, rp_err *e) {
  store_circle_item it;
  rp_rc rc = store_circle_item_get(c->st, item_id, c->a, &it, e);
  return rc ? rc : app_circle_open_item(c, &it, out, e);
}

rp_rc app_circle_incident_acknowledge(app_ctx *c, int64_t item_id, const rp_time *at,
                                      app_circle_item *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_item it;
  store_circle_repair plan;
  bool has_plan = false;
  rp_time when = 0;
  rc = load_incident(c, item_id, &ci, &it, &plan, &has_plan, e);
  incident in = incident_of(&it, has_plan ? &plan : NULL);
  if (!rc && (!in.concerning_id || in.concerning_id != c->actor))
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "not_concerned",
                 "Only the member the incident concerns can acknowledge it.");
  if (!rc && in.resolved_at)
    rc = rp_fail(e, RP_ERR_CONFLICT, "incident_resolved", "This incident is resolved.");
  if (!rc && in.acknowledged_at)
    rc = rp_fail(e, RP_ERR_CONFLICT, "already_acknowledged", "This incident is already acknowledged.");
  if (!rc) rc = app_circle_when(c, &ci, at, &when, e);
  if (!rc) rc = incident_check_at(&in, when, e);
  if (!rc) {
    memset(&plan, 0, sizeof plan);
    plan.plan.relationship_id = it.circle_id;
    plan.plan.incident_id = item_id;
    plan.plan.party_id = c->actor;
    plan.plan.opened_at = when;
    plan.plan.follow_through_days = REPAIR_FOLLOW_THROUGH_DAYS;
    plan.recorded_at = c->now;
    rc = store_circle_repair_insert(c->st, &plan, e);
  }
  if (!rc) rc = app_circle_event(c, it.circle_id, "incident_acknowledged", item_id, when, NULL, NULL, e);
  if (!rc) rc = reload_item(c, item_id, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_incident_resolve(app_ctx *c, int64_t item_id, const rp_time *at,
                                  app_circle_item *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_item it;
  store_circle_repair plan;
  bool has_plan = false;
  rp_time when = 0;
  rc = load_incident(c, item_id, &ci, &it, &plan, &has_plan, e);
  incident in = incident_of(&it, has_plan ? &plan : NULL);
  if (!rc && in.resolved_at)
    rc = rp_fail(e, RP_ERR_CONFLICT, "incident_resolved", "This incident is already resolved.");
  if (!rc) rc = app_circle_when(c, &ci, at, &when, e);
  if (!rc) rc = incident_check_at(&in, when, e);
  if (!rc) rc = store_circle_item_close(c->st, item_id, it.label, when, e);
  if (!rc) rc = app_circle_event(c, it.circle_id, "incident_resolved", item_id, when, NULL, NULL, e);
  if (!rc) rc = reload_item(c, item_id, out, e);
  return app_finish(c, rc, e);
}

/* ---- repair plans ---- */

static seal_ad repair_ad(seal_kind kind, const store_circle_repair *p) {
  seal_ad ad = {kind, APP_CIRCLE_KEY_OWNER(p->plan.relationship_id), p->plan.id, p->plan.party_id,
                true}; /* the party's own key in the circle: shredded with their account */
  return ad;
}

/* A circle commitment as the pairs' repair rules read it: left open a day
 * past its due time it is broken (domain/commitment.h). */
static commitment commitment_of(const store_circle_item *it, rp_time now) {
  commitment cm;
  memset(&cm, 0, sizeof cm);
  cm.id = it->id;
  cm.relationship_id = it->kind == CIRCLE_COMMITMENT ? it->circle_id : 0;
  cm.owner_id = it->author_id;
  cm.created_at = it->created_at;
  cm.due_at = cm.original_due_at = it->due_at;
  cm.closed_at = it->closed_at;
  if (!it->closed_at || !it->label || !commitment_state_parse(it->label, &cm.state))
    cm.state = COMMITMENT_OPEN;
  if (cm.state == COMMITMENT_OPEN && it->due_at && now >= it->due_at + COMMITMENT_BREAK_AFTER_S) {
    cm.state = COMMITMENT_BROKEN;
    cm.closed_at = it->due_at + COMMITMENT_BREAK_AFTER_S;
  }
  return cm;
}

static rp_rc repair_view(app_ctx *c, const store_circle_repair *p, app_circle_repair *v, rp_err *e) {
  memset(v, 0, sizeof *v);
  v->p = *p;
  v->ends_at = repair_ends_at(&p->plan);
  rp_rc rc = RP_OK;
  if (p->plan.acknowledged && p->acknowledgement.len) {
    seal_ad ack = repair_ad(SEAL_REPAIR_ACK, p), resp = repair_ad(SEAL_REPAIR_RESPONSIBILITY, p);
    rc = app_open(c, &ack, p->acknowledgement, &v->acknowledgement, e);
    if (!rc) rc = app_open(c, &resp, p->responsibility, &v->responsibility, e);
  }
  int64_t *ids = NULL;
  size_t nids = 0;
  if (!rc) rc = store_circle_repair_amend_ids(c->st, p->plan.id, c->a, &ids, &nids, e);
  v->amends = arena_zalloc(c->a, sizeof *v->amends * (nids ? nids : 1));
  for (size_t i = 0; !rc && i < nids; i++) {
    store_circle_item it;
    rc = store_circle_item_get(c->st, ids[i], c->a, &it, e);
    if (!rc) rc = app_circle_open_item(c, &it, &v->amends[v->namends++], e);
    commitment cm = commitment_of(&it, c->now);
    switch (cm.state) {
    case COMMITMENT_KEPT:
    case COMMITMENT_KEPT_LATE: v->kept++; break;
    case COMMITMENT_BROKEN: v->broken++; break;
    case COMMITMENT_DROPPED: v->dropped++; break;
    case COMMITMENT_OPEN:
    default: v->open++; break;
    }
  }
  store_circle_checkin *cks = NULL;
  size_t nck = 0;
  if (!rc) rc = store_circle_checkins(c->st, p->plan.relationship_id, c->a, &cks, &nck, e);
  rp_time until = v->ends_at < c->now ? v->ends_at : c->now;
  if (p->plan.closed_at && p->plan.closed_at < until) until = p->plan.closed_at;
  for (size_t i = 0; !rc && i < nck; i++)
    if (cks[i].held_at >= p->plan.opened_at && cks[i].held_at < until) v->checkins_held++;
  return rc;
}

/* Loads plan id when the actor may read its incident; with `write`, also
 * when they are in the circle now and it is active. */
static rp_rc load_plan(app_ctx *c, int64_t id, bool write, app_circle *ci, store_circle_repair *p,
                       rp_err *e) {
  store_circle_item it;
  rp_rc rc = store_circle_repair_get(c->st, id, c->a, p, e);
  if (!rc) rc = app_circle_load_item(c, p->plan.incident_id, ci, &it, e);
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such repair plan.");
  }
  if (!rc && write) rc = app_circle_load_writer(c, p->plan.relationship_id, ci, e);
  return rc;
}

static rp_rc plan_answer(app_ctx *c, int64_t id, app_circle_repair *out, rp_err *e) {
  store_circle_repair p;
  rp_rc rc = store_circle_repair_get(c->st, id, c->a, &p, e);
  return rc ? rc : repair_view(c, &p, out, e);
}

/* Another writer changed the plan between our read and our write. */
static rp_rc changed(rp_rc rc, rp_err *e) {
  if (rc != RP_ERR_NOT_FOUND) return rc;
  rp_err_reset(e);
  return rp_fail(e, RP_ERR_CONFLICT, "changed", "This repair plan has changed; reload it.");
}

static rp_rc plan_closed(const store_circle_repair *p, rp_err *e) {
  if (p->plan.outcome == REPAIR_OPEN) return RP_OK;
  return rp_fail(e, RP_ERR_CONFLICT, "plan_closed", "This repair plan is closed.");
}

rp_rc app_circle_repair_get(app_ctx *c, int64_t plan_id, app_circle_repair *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_repair p;
  rc = load_plan(c, plan_id, false, &ci, &p, e);
  if (!rc) rc = repair_view(c, &p, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_repairs(app_ctx *c, int64_t circle_id, int64_t after, int limit,
                         app_circle_repair **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_repair *rows = NULL;
  size_t nrows = 0, k = 0, first = 0;
  *n = 0;
  *next = 0;
  rc = app_circle_load(c, circle_id, true, &ci, e);
  if (!rc) rc = store_circle_repairs(c->st, circle_id, c->a, &rows, &nrows, e);
  /* the plans of the incidents the actor may read */
  int64_t *ids = arena_zalloc(c->a, sizeof *ids * (nrows ? nrows : 1));
  for (size_t i = 0; !rc && i < nrows; i++) {
    store_circle_item it;
    rc = store_circle_item_get(c->st, rows[i].plan.incident_id, c->a, &it, e);
    if (!rc && circle_text_readable(&ci.viewer, c->actor, it.author_id, true, it.recorded_at)) {
      rows[k] = rows[i];
      ids[k++] = rows[i].plan.id;
    }
  }
  if (!rc) *n = app_circle_page(ids, k, after, limit, &first, next);
  app_circle_repair *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; !rc && i < *n; i++) rc = repair_view(c, &rows[first + i], &v[i], e);
  *items = v;
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_repair_acknowledge(app_ctx *c, int64_t plan_id, const char *text,
                                    const char *responsibility, const rp_time *at,
                                    app_circle_repair *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_repair p;
  rp_time when = 0;
  rc = load_plan(c, plan_id, true, &ci, &p, e);
  if (!rc && c->actor != p.plan.party_id)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "not_concerned",
                 "Only the member the repair plan is for can acknowledge in it.");
  if (!rc) rc = plan_closed(&p, e);
  if (!rc && p.plan.acknowledged)
    rc = rp_fail(e, RP_ERR_CONFLICT, "already_acknowledged", "The acknowledgement is already recorded.");
  if (!rc) rc = app_circle_when(c, &ci, at, &when, e);
  if (!rc) rc = repair_check_at(&p.plan, when, e);
  if (!rc) rc = repair_check_texts(text, responsibility, e);
  rp_blob ack, resp;
  seal_ad ack_ad = repair_ad(SEAL_REPAIR_ACK, &p), resp_ad = repair_ad(SEAL_REPAIR_RESPONSIBILITY, &p);
  if (!rc) rc = app_seal(c, &ack_ad, text, strlen(text), &ack, e);
  if (!rc) rc = app_seal(c, &resp_ad, responsibility, strlen(responsibility), &resp, e);
  if (!rc) rc = changed(store_circle_repair_acknowledge(c->st, plan_id, when, ack, resp, e), e);
  if (!rc)
    rc = app_circle_event(c, p.plan.relationship_id, "repair_acknowledged", plan_id, when, NULL, NULL, e);
  if (!rc) rc = plan_answer(c, plan_id, out, e);
  return app_finish(c, rc, e);
}

/* Checks the amends ids[0..n) against plan p: each an open commitment of
 * the plan's party in the circle, due in the period, listed once. */
static rp_rc check_amends(app_ctx *c, const store_circle_repair *p, const int64_t *ids, size_t n,
                          rp_err *e) {
  if (n == 0 || n > REPAIR_AMENDS_MAX) {
    rp_field(e, "/commitment_ids", "Must list 1 to %d commitments.", REPAIR_AMENDS_MAX);
    return RP_ERR_INVALID;
  }
  bool bad = false;
  for (size_t i = 0; i < n; i++) {
    bool repeat = false;
    for (size_t k = 0; k < i; k++) repeat = repeat || ids[k] == ids[i];
    if (repeat) {
      rp_field(e, arena_printf(c->a, "/commitment_ids/%zu", i), "Listed twice.");
      bad = true;
      continue;
    }
    store_circle_item it;
    rp_err missing;
    rp_err_reset(&missing);
    rp_rc rc = store_circle_item_get(c->st, ids[i], c->a, &it, &missing);
    if (rc && rc != RP_ERR_NOT_FOUND) {
      *e = missing;
      return rc;
    }
    commitment cm = rc ? (commitment){0} : commitment_of(&it, c->now);
    bad |= repair_check_amend(&p->plan, rc || !cm.relationship_id ? NULL : &cm, i, e) != RP_OK;
  }
  return bad ? RP_ERR_INVALID : RP_OK;
}

rp_rc app_circle_repair_amends(app_ctx *c, int64_t plan_id, const int64_t *commitment_ids,
                               size_t n, const rp_time *at, app_circle_repair *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_repair p;
  rp_time when = 0;
  rc = load_plan(c, plan_id, true, &ci, &p, e);
  if (!rc) rc = plan_closed(&p, e);
  if (!rc && !p.plan.acknowledged)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_acknowledged",
                 "Amends follow the acknowledgement, which is not recorded yet.");
  if (!rc && p.plan.amends_agreed_at)
    rc = rp_fail(e, RP_ERR_CONFLICT, "amends_agreed", "Amends are already agreed for this plan.");
  if (!rc) rc = app_circle_when(c, &ci, at, &when, e);
  if (!rc) rc = repair_check_at(&p.plan, when, e);
  if (!rc) rc = check_amends(c, &p, commitment_ids, n, e);
  if (!rc) rc = changed(store_circle_repair_amends(c->st, plan_id, when, commitment_ids, n, e), e);
  if (!rc)
    rc = app_circle_event(c, p.plan.relationship_id, "repair_amends_agreed", plan_id, when, NULL,
                          NULL, e);
  if (!rc) rc = plan_answer(c, plan_id, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_repair_close(app_ctx *c, int64_t plan_id, const rp_time *at,
                              app_circle_repair *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_repair p;
  rp_time when = 0;
  rc = load_plan(c, plan_id, true, &ci, &p, e);
  if (!rc) rc = plan_closed(&p, e);
  if (!rc) rc = app_circle_when(c, &ci, at, &when, e);
  if (!rc) rc = repair_check_at(&p.plan, when, e);
  if (!rc) rc = changed(store_circle_repair_close(c->st, plan_id, when, REPAIR_ENDED_BY_PAIR, e), e);
  if (!rc)
    rc = app_circle_event(c, p.plan.relationship_id, "repair_closed", plan_id, when, NULL,
                          "ended_by_circle", e);
  if (!rc) rc = plan_answer(c, plan_id, out, e);
  return app_finish(c, rc, e);
}

/* ---- the closing job ---- */

/* Closes plan p if its outcome is certain at sys->now; *done tells. */
static rp_rc close_if_due(app_ctx *sys, const store_circle_repair *p, bool *done, rp_err *e) {
  store_circle_item *items = NULL;
  store_circle_repair *plans = NULL;
  int64_t *ids = NULL;
  size_t nitems = 0, nplans = 0, nids = 0;
  *done = false;
  rp_rc rc = store_circle_items(sys->st, p->plan.relationship_id, -1, sys->a, &items, &nitems, e);
  if (!rc) rc = store_circle_repairs(sys->st, p->plan.relationship_id, sys->a, &plans, &nplans, e);
  if (!rc) rc = store_circle_repair_amend_ids(sys->st, p->plan.id, sys->a, &ids, &nids, e);
  if (rc) return rc;
  commitment *linked = arena_zalloc(sys->a, sizeof *linked * (nids ? nids : 1));
  incident *others = arena_zalloc(sys->a, sizeof *others * (nitems ? nitems : 1));
  size_t nlinked = 0, nothers = 0;
  for (size_t i = 0; i < nitems; i++) {
    const store_circle_item *it = &items[i];
    for (size_t k = 0; k < nids; k++)
      if (ids[k] == it->id) linked[nlinked++] = commitment_of(it, sys->now);
    if (it->kind != CIRCLE_INCIDENT || it->subject_id != p->plan.party_id) continue;
    const store_circle_repair *its = NULL;
    for (size_t k = 0; k < nplans; k++)
      if (plans[k].plan.incident_id == it->id) its = &plans[k];
    others[nothers++] = incident_of(it, its);
  }
  repair_decision d;
  repair_decide(&p->plan, linked, nlinked, others, nothers, sys->now, &d);
  if (!d.close) return RP_OK;
  rc = store_circle_repair_close(sys->st, p->plan.id, d.at, d.outcome, e);
  if (rc == RP_ERR_NOT_FOUND) { /* closed since it was read */
    rp_err_reset(e);
    return RP_OK;
  }
  if (!rc)
    rc = app_circle_event(sys, p->plan.relationship_id, "repair_closed", p->plan.id, d.at, NULL,
                          repair_outcome_name(d.outcome), e);
  *done = rc == RP_OK;
  return rc;
}

rp_rc app_circle_repairs_close_due(app_ctx *sys, int *changed_count, rp_err *e) {
  int64_t after = 0, next = 0;
  do {
    store_circle_repair *items;
    size_t n;
    rp_rc rc = store_circle_repairs_due(sys->st, sys->now, after, REPAIR_BATCH, sys->a, &items, &n,
                                        &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      bool done = false;
      rc = close_if_due(sys, &items[i], &done, e);
      if (done) (*changed_count)++;
    }
    if (rc) return rc;
    after = next;
  } while (next);
  return RP_OK;
}
