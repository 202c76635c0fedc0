/* incidents.c: incidents, repair plans and the job that
 * closes plans (see pulses.h; the rules are domain/incident.h).
 *
 * An incident's text is sealed as SEAL_INCIDENT with its reporter as
 * author; a plan's acknowledgement and responsibility each with a kind of
 * their own (so neither can stand in for the other or for an incident)
 * and the plan's party as author. A report is an allegation and gives no evidence;
 * the INT evidence comes with the acknowledgement by the party concerned,
 * and nothing here asks anyone to apologise for an incident they have not
 * acknowledged: a repair plan exists only once they have.
 */
#include "app/practices/pulses.h"
#include "app/privacy/privacy.h"
#include "app/trust/trust.h"
#include "crypto/seal.h"
#include "domain/practice.h"
#include "store/incidents.h"
#include "store/pulses.h"
#include "trust/trust_values.h"

#include <stdio.h>
#include <string.h>

/* Plans the closing job reads per query. */
#define REPAIR_BATCH 200

static seal_ad incident_ad(int64_t rel_id, int64_t id, int64_t author) {
  seal_ad ad = {SEAL_INCIDENT, rel_id, id, author, false};
  return ad;
}

static seal_ad repair_ad(seal_kind kind, int64_t rel_id, int64_t plan_id, int64_t party) {
  seal_ad ad = {kind, rel_id, plan_id, party, false};
  return ad;
}

/* ---- incidents ---- */

static rp_rc incident_view(app_ctx *c, const store_incident *si, app_incident_view *v, rp_err *e) {
  bool found = false;
  memset(v, 0, sizeof *v);
  v->in = si->in;
  seal_ad ad = incident_ad(si->in.relationship_id, si->in.id, si->in.reporter_id);
  rp_rc rc = app_open(c, &ad, si->text_ct, &v->text, e);
  if (!rc) rc = store_repair_plan_of_incident(c->st, si->in.id, &found, &v->repair_plan_id, e);
  if (!found) v->repair_plan_id = 0;
  return rc;
}

/* Loads incident id and its relationship when the actor is a party to
 * it; RP_ERR_NOT_FOUND ("No such incident.") otherwise. */
static rp_rc load_incident(app_ctx *c, int64_t id, store_incident *si, relationship *r, rp_err *e) {
  rp_rc rc = store_incident_get(c->st, id, c->a, si, e);
  return app_row_of_party(c, rc, rc ? 0 : si->in.relationship_id, "incident", r, e);
}

/* Re-reads incident id after a change, for the answer. */
static rp_rc reload_incident(app_ctx *c, int64_t id, app_incident_view *out, rp_err *e) {
  store_incident si;
  rp_rc rc = store_incident_get(c->st, id, c->a, &si, e);
  return rc ? rc : incident_view(c, &si, out, e);
}

rp_rc app_incident_report(app_ctx *c, int64_t rel_id, incident_kind kind, const char *text,
                          const int64_t *concerning_id, const rp_time *at, app_incident_view *out,
                          rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  app_seal_ahead(c, &(seal_ad){.relationship_id = rel_id}); /* its key: no trip of its own */
  relationship r;
  rel_role role;
  incident in;
  memset(&in, 0, sizeof in);
  size_t len = text ? strlen(text) : 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) {
    in.concerning_id = concerning_id ? *concerning_id : rel_other_party(&r, role);
    /* The state conflict comes before any complaint about `at`. */
    if (rel_allows_outcomes(r.state)) rc = app_event_time(c, &r, at, &in.reported_at, e);
  }
  if (!rc) rc = incident_check_new(&r, in.concerning_id, len, e);
  if (!rc) {
    in.relationship_id = rel_id;
    in.reporter_id = c->actor;
    in.kind = kind;
    rc = store_incident_insert(c->st, &in, APP_SEAL_PENDING, e);
  }
  if (!rc) {
    seal_ad ad = incident_ad(rel_id, in.id, c->actor);
    rc = app_seal_row(c, &ad, text, len, NULL, e);
  }
  if (!rc)
    rc = app_event(c, rel_id, "incident_reported", in.id, in.reported_at, NULL, NULL, NULL, e);
  if (!rc) rc = reload_incident(c, in.id, out, e);
  return app_finish(c, rc, e);
}

/* Opens the repair plan of an incident acknowledged at `at`. */
static rp_rc open_plan(app_ctx *c, const incident *in, rp_time at, rp_err *e) {
  repair_plan p;
  memset(&p, 0, sizeof p);
  p.incident_id = in->id;
  p.relationship_id = in->relationship_id;
  p.party_id = in->concerning_id;
  p.opened_at = at;
  p.follow_through_days = REPAIR_FOLLOW_THROUGH_DAYS;
  return store_repair_plan_insert(c->st, &p, e);
}

/* Another writer changed the row between our read and our write. */
static rp_rc changed(rp_rc rc, const char *what, rp_err *e) {
  if (rc != RP_ERR_NOT_FOUND) return rc;
  return rp_fail(e, RP_ERR_CONFLICT, "changed", "This %s has changed; reload it.", what);
}

rp_rc app_incident_acknowledge(app_ctx *c, int64_t id, const rp_time *at, app_incident_view *out,
                               rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_INCIDENT, id, e);
  if (rc) return rc;
  store_incident si;
  relationship r;
  rp_time when = c->now;
  rc = load_incident(c, id, &si, &r, e);
  if (!rc) rc = incident_check_acknowledge(&r, &si.in, c->actor, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = incident_check_at(&si.in, when, e);
  if (!rc) rc = changed(store_incident_acknowledge(c->st, id, when, c->actor, e), "incident", e);
  if (!rc) rc = open_plan(c, &si.in, when, e);
  if (!rc) rc = app_event(c, r.id, "incident_acknowledged", id, when, NULL, NULL, NULL, e);
  if (!rc) rc = reload_incident(c, id, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_incident_resolve(app_ctx *c, int64_t id, const rp_time *at, app_incident_view *out,
                           rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_INCIDENT, id, e);
  if (rc) return rc;
  store_incident si;
  relationship r;
  rp_time when = c->now;
  rc = load_incident(c, id, &si, &r, e);
  if (!rc) rc = incident_check_resolve(&r, &si.in, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = incident_check_at(&si.in, when, e);
  if (!rc) rc = changed(store_incident_resolve(c->st, id, when, c->actor, e), "incident", e);
  if (!rc) rc = app_event(c, r.id, "incident_resolved", id, when, NULL, NULL, NULL, e);
  if (!rc) rc = reload_incident(c, id, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_incident_get(app_ctx *c, int64_t id, app_incident_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_incident si;
  relationship r;
  rc = load_incident(c, id, &si, &r, e);
  if (!rc) rc = incident_view(c, &si, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_incidents_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                         app_incident_view **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_incident *rows = NULL;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_incidents_list(c->st, rel_id, after, app_page_limit(limit), c->a, &rows, n, next, e);
  app_incident_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; i < *n && !rc; i++)
    rc = incident_view(c, &rows[i], &v[i], e);
  *items = v;
  store_rollback(c->st);
  return rc;
}

/* ---- repair plans ---- */

/* The linked commitments of a plan, opened, with their tally. */
static rp_rc plan_commitments(app_ctx *c, app_repair_view *v, rp_err *e) {
  store_commitment *rows = NULL;
  size_t n = 0;
  rp_rc rc = store_repair_commitments(c->st, v->plan.id, c->a, &rows, &n, e);
  if (rc) return rc;
  v->commitments = arena_zalloc(c->a, sizeof *v->commitments * (n ? n : 1));
  v->ncommitments = n;
  for (size_t i = 0; i < n && !rc; i++) {
    seal_ad ad = {SEAL_COMMITMENT, v->plan.relationship_id, rows[i].cm.id, 0, false};
    v->commitments[i].cm = rows[i].cm;
    rc = app_open(c, &ad, rows[i].text_ct, &v->commitments[i].text, e);
    switch (rows[i].cm.state) {
    case COMMITMENT_KEPT:
    case COMMITMENT_KEPT_LATE: v->kept++; break;
    case COMMITMENT_BROKEN: v->broken++; break;
    case COMMITMENT_DROPPED: v->dropped++; break;
    case COMMITMENT_OPEN:
    default: v->open++; break;
    }
  }
  return rc;
}

/* The plan as the caller sees it, with the trust state ts (as the caller
 * may see it). */
static rp_rc repair_view(app_ctx *c, const relationship *r, const store_repair_plan *sp,
                         const trust_state *ts, app_repair_view *v, rp_err *e) {
  memset(v, 0, sizeof *v);
  v->plan = sp->plan;
  v->ends_at = repair_ends_at(&sp->plan);
  v->practice = PRACTICE_REPAIR_SLUG;
  rp_rc rc = RP_OK;
  if (sp->plan.acknowledged) {
    bool found = false;
    seal_ad ack = repair_ad(SEAL_REPAIR_ACK, r->id, sp->plan.id, sp->plan.party_id);
    seal_ad resp = repair_ad(SEAL_REPAIR_RESPONSIBILITY, r->id, sp->plan.id, sp->plan.party_id);
    rc = app_open(c, &ack, sp->acknowledgement_ct, &v->acknowledgement, e);
    if (!rc) rc = app_open(c, &resp, sp->responsibility_ct, &v->responsibility, e);
    if (!rc)
      rc = store_event_time_of(c->st, r->id, "repair_acknowledged", sp->plan.id, &found,
                               &v->acknowledged_at, e);
    if (!found) v->acknowledged_at = 0;
  }
  if (!rc) rc = plan_commitments(c, v, e);
  rp_time until = v->ends_at < c->now ? v->ends_at : c->now;
  if (sp->plan.closed_at && sp->plan.closed_at < until) until = sp->plan.closed_at;
  if (!rc)
    rc = store_checkins_held_between(c->st, r->id, sp->plan.opened_at, until, &v->checkins_held, e);
  trust_party about;
  if (!rc && app_trust_party_of(r, sp->plan.party_id, &about)) {
    trust_settings cfg = app_trust_settings();
    trust_score(ts, &cfg, about, c->now, false, &v->trust);
  }
  return rc;
}

/* Loads plan id and its relationship when the actor is a party to it;
 * RP_ERR_NOT_FOUND ("No such repair plan.") otherwise. */
static rp_rc load_plan(app_ctx *c, int64_t id, store_repair_plan *sp, relationship *r, rp_err *e) {
  rp_rc rc = store_repair_plan_get(c->st, id, c->a, sp, e);
  return app_row_of_party(c, rc, rc ? 0 : sp->plan.relationship_id, "repair plan", r, e);
}

/* Re-reads plan id and builds the caller's view (after a change, or for a read). */
static rp_rc plan_answer(app_ctx *c, const relationship *r, int64_t id, app_repair_view *out,
                         rp_err *e) {
  store_repair_plan sp;
  trust_state ts;
  rp_rc rc = store_repair_plan_get(c->st, id, c->a, &sp, e);
  if (!rc) rc = app_trust_state(c, r->id, c->actor, &ts, e);
  return rc ? rc : repair_view(c, r, &sp, &ts, out, e);
}

rp_rc app_repair_plan_get(app_ctx *c, int64_t id, app_repair_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_repair_plan sp;
  relationship r;
  rc = load_plan(c, id, &sp, &r, e);
  if (!rc) rc = plan_answer(c, &r, id, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_repair_plans_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                            app_repair_view **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_repair_plan *rows = NULL;
  trust_state ts;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_repair_plans_list(c->st, rel_id, after, app_page_limit(limit), c->a, &rows, n, next,
                                 e);
  if (!rc && *n) rc = app_trust_state(c, rel_id, c->actor, &ts, e);
  app_repair_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; i < *n && !rc; i++)
    rc = repair_view(c, &r, &rows[i], &ts, &v[i], e);
  *items = v;
  store_rollback(c->st);
  return rc;
}

rp_rc app_repair_acknowledge(app_ctx *c, int64_t id, const char *text, const char *responsibility,
                             const rp_time *at, app_repair_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_REPAIR_PLAN, id, e);
  if (rc) return rc;
  store_repair_plan sp;
  relationship r;
  rp_time when = c->now;
  rc = load_plan(c, id, &sp, &r, e);
  if (!rc) rc = repair_check_acknowledge(&r, &sp.plan, c->actor, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = repair_check_at(&sp.plan, when, e);
  if (!rc) rc = repair_check_texts(text, responsibility, e);
  if (!rc) {
    seal_ad ack_ad = repair_ad(SEAL_REPAIR_ACK, r.id, id, sp.plan.party_id);
    seal_ad resp_ad = repair_ad(SEAL_REPAIR_RESPONSIBILITY, r.id, id, sp.plan.party_id);
    rp_blob ack, resp;
    rc = app_seal(c, &ack_ad, text, strlen(text), &ack, e);
    if (!rc) rc = app_seal(c, &resp_ad, responsibility, strlen(responsibility), &resp, e);
    if (!rc) rc = changed(store_repair_plan_acknowledge(c->st, id, ack, resp, e), "repair plan", e);
  }
  if (!rc) rc = app_event(c, r.id, "repair_acknowledged", id, when, NULL, NULL, NULL, e);
  if (!rc) rc = plan_answer(c, &r, id, out, e);
  return app_finish(c, rc, e);
}

/* Checks the amends ids[0..n) against plan p: each an open commitment of
 * the plan's party, due in the period, listed once. */
static rp_rc check_amends_list(app_ctx *c, const repair_plan *p, const int64_t *ids, size_t n,
                               rp_err *e) {
  if (n == 0 || n > REPAIR_AMENDS_MAX) {
    rp_field(e, "/commitment_ids", "Must list 1 to %d commitments.", REPAIR_AMENDS_MAX);
    return RP_ERR_INVALID;
  }
  bool bad = false;
  for (size_t i = 0; i < n; i++) {
    bool repeat = false;
    for (size_t k = 0; k < i && !repeat; k++)
      repeat = ids[k] == ids[i];
    if (repeat) {
      char ptr[48];
      snprintf(ptr, sizeof ptr, "/commitment_ids/%zu", i);
      rp_field(e, ptr, "Listed twice.");
      bad = true;
      continue;
    }
    store_commitment sc;
    rp_err missing;
    rp_err_reset(&missing);
    rp_rc rc = store_commitment_get(c->st, ids[i], c->a, &sc, &missing);
    if (rc && rc != RP_ERR_NOT_FOUND) {
      *e = missing;
      return rc;
    }
    bad |= repair_check_amend(p, rc ? NULL : &sc.cm, i, e) != RP_OK;
  }
  return bad ? RP_ERR_INVALID : RP_OK;
}

rp_rc app_repair_amends(app_ctx *c, int64_t id, const int64_t *commitment_ids, size_t n,
                        const rp_time *at, app_repair_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_REPAIR_PLAN, id, e);
  if (rc) return rc;
  store_repair_plan sp;
  relationship r;
  rp_time when = c->now;
  rc = load_plan(c, id, &sp, &r, e);
  if (!rc) rc = repair_check_amends(&r, &sp.plan, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = repair_check_at(&sp.plan, when, e);
  if (!rc) rc = check_amends_list(c, &sp.plan, commitment_ids, n, e);
  if (!rc)
    rc = changed(store_repair_plan_amends(c->st, id, when, commitment_ids, n, e), "repair plan", e);
  if (!rc) rc = app_event(c, r.id, "repair_amends_agreed", id, when, NULL, NULL, NULL, e);
  if (!rc) rc = plan_answer(c, &r, id, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_repair_close(app_ctx *c, int64_t id, const rp_time *at, app_repair_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_REPAIR_PLAN, id, e);
  if (rc) return rc;
  store_repair_plan sp;
  relationship r;
  rp_time when = c->now;
  rc = load_plan(c, id, &sp, &r, e);
  if (!rc) rc = repair_check_close(&sp.plan, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = repair_check_at(&sp.plan, when, e);
  if (!rc)
    rc = changed(store_repair_plan_close(c->st, id, when, REPAIR_ENDED_BY_PAIR, e), "repair plan",
                 e);
  if (!rc) rc = app_event(c, r.id, "repair_closed", id, when, NULL, NULL, NULL, e);
  if (!rc) rc = plan_answer(c, &r, id, out, e);
  return app_finish(c, rc, e);
}

/* ---- the closing job ---- */

/* Closes plan p if its outcome is certain at sys->now; *done tells. */
static rp_rc close_if_due(app_ctx *sys, const repair_plan *p, bool *done, rp_err *e) {
  store_commitment *rows = NULL;
  incident *others = NULL;
  size_t nrows = 0, nothers = 0;
  repair_decision d;
  *done = false;
  rp_rc rc = store_repair_commitments(sys->st, p->id, sys->a, &rows, &nrows, e);
  if (!rc)
    rc = store_incidents_concerning(sys->st, p->relationship_id, p->party_id, sys->a, &others,
                                    &nothers, e);
  if (rc) return rc;
  commitment *linked = arena_alloc(sys->a, sizeof *linked * (nrows ? nrows : 1));
  for (size_t i = 0; i < nrows; i++)
    linked[i] = rows[i].cm;
  repair_decide(p, linked, nrows, others, nothers, sys->now, &d);
  if (!d.close) return RP_OK;
  rc = store_repair_plan_close(sys->st, p->id, d.at, d.outcome, e);
  if (rc == RP_ERR_NOT_FOUND) { /* closed since it was read */
    rp_err_reset(e);
    return RP_OK;
  }
  if (!rc)
    rc = app_event(sys, p->relationship_id, "repair_closed", p->id, d.at, NULL, NULL, NULL, e);
  *done = rc == RP_OK;
  return rc;
}

rp_rc app_repair_plans_close_due(app_ctx *sys, int *changed_count, rp_err *e) {
  int64_t after = 0, next = 0;
  do {
    repair_plan *items;
    size_t n;
    rp_rc rc = store_repair_plans_due(sys->st, sys->now, after, REPAIR_BATCH, sys->a, &items, &n,
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
