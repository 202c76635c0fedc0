/* routes_me.c: your data: the password re-check, the export, deleting my
 * account and deleting a relationship (app/yourdata.c).
 *
 *   POST   /api/v1/session/confirm   {password} -> 200 {confirmed_until}
 *   GET    /api/v1/me/export         -> 200 the export, as an attachment
 *   DELETE /api/v1/me                -> 204 (the session cookie cleared)
 *   DELETE /api/v1/relationships/{id} -> 204
 *
 * The export's field names follow the areas' own routes, so a person can
 * read it alongside the API documentation.
 */
#include "app/audit.h"
#include "app/yourdata.h"
#include "domain/practice.h"
#include "http/http.h"

#include <stdio.h>

/* ---- the password re-check ---- */

static rp_rc session_confirm(http_req *r, rp_err *e) {
  static const char *const fields[] = {"password", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *password = jin_text(&j, "password", true, 1024);
  if (e->rc) return e->rc;
  rp_time until = 0;
  rp_rc rc = app_session_confirm(&r->app, password, http_client_address(r), &until, e);
  if (rc) return rc;
  r->out = json_pack("{s:o}", "confirmed_until", jt_time(until));
  return RP_OK;
}

/* ---- the export: one renderer per kind of row ---- */

static json_t *ids(const int64_t *v, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_integer((json_int_t)v[i]));
  return arr;
}

static json_t *x_event(const app_event_view *v) {
  const rel_event *ev = &v->ev;
  json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)ev->id, "kind",
                        ev->kind, "actor_id", jt_id(ev->actor_id), "at", jt_time(ev->at),
                        "recorded_at", jt_time(ev->recorded_at), "subject_id",
                        jt_id(ev->subject_id));
  if (ev->from_state) json_object_set_new(o, "from", json_string(ev->from_state));
  if (ev->to_state) json_object_set_new(o, "to", json_string(ev->to_state));
  if (v->reason) json_object_set_new(o, "reason", json_string(v->reason));
  return o;
}

static json_t *x_agreement(const app_agreement *v) {
  const agreement_terms *t = &v->terms;
  json_t *channels = json_array();
  for (size_t i = 0; i < t->nchannels; i++)
    json_array_append_new(channels, json_string(t->channels[i]));
  return json_pack("{s:i, s:o, s:o, s:o, s:i, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:b}", "version",
                   v->version, "author_id", jt_id(v->author_id), "created_at",
                   jt_time(v->created_at), "purpose", jt_str(t->purpose), "cadence_days",
                   t->cadence_days, "channels", channels, "reply_window_hours",
                   t->reply_window_hours, "confidentiality", jt_str(t->confidentiality),
                   "boundaries", jt_str(t->boundaries), "feedback_preferences",
                   jt_str(t->feedback_preferences), "ends_on", jt_date(t->ends_on),
                   "acknowledged_by", ids(v->acked_by, v->nacked), "in_force", v->in_force);
}

static json_t *x_checkin(const checkin *ck) {
  bool o = ck->has_outcome;
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)ck->id,
                   "scheduled_at", jt_time(ck->scheduled_at), "created_at",
                   jt_time(ck->created_at), "outcome",
                   jt_str(o ? checkin_outcome_name(ck->outcome) : NULL), "caused_by",
                   jt_id(o ? ck->caused_by : 0), "outcome_at",
                   o ? jt_time(ck->outcome_at) : json_null(), "rescheduled_to",
                   jt_id(ck->rescheduled_to));
}

static json_t *x_commitment(const app_commitment_view *v) {
  const commitment *cm = &v->cm;
  json_t *revs = json_array();
  for (size_t i = 0; i < v->nrevs; i++)
    json_array_append_new(revs, json_pack("{s:o, s:o, s:o, s:o}", "at", jt_time(v->revs[i].at),
                                          "by", jt_id(v->revs[i].by), "old_due_at",
                                          jt_time(v->revs[i].old_due_at), "new_due_at",
                                          jt_time(v->revs[i].new_due_at)));
  return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o}", "id",
                   (json_int_t)cm->id, "owner_id", (json_int_t)cm->owner_id, "text",
                   jt_str(v->text), "created_at", jt_time(cm->created_at), "due_at",
                   jt_time(cm->due_at), "original_due_at", jt_time(cm->original_due_at), "state",
                   commitment_state_name(cm->state), "closed_at",
                   cm->state == COMMITMENT_OPEN ? json_null() : jt_time(cm->closed_at),
                   "closed_by", jt_id(cm->closed_by), "revisions", revs);
}

static json_t *x_goal(const app_goal_view *v) {
  json_t *levels = json_object(), *milestones = json_array();
  for (int i = 0; i < GOAL_LEVEL_COUNT; i++)
    json_object_set_new(levels, goal_level_keys[i], jt_str(v->text.levels[i]));
  for (size_t i = 0; i < v->nmilestones; i++) {
    const app_milestone_view *m = &v->milestones[i];
    json_array_append_new(milestones,
                          json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)m->m.id, "title",
                                    jt_str(m->title), "created_at", jt_time(m->m.created_at),
                                    "reached_at", jt_time(m->m.reached_at)));
  }
  json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o, s:s, s:o}",
                        "id", (json_int_t)v->g.id, "created_by", (json_int_t)v->g.created_by,
                        "created_at", jt_time(v->g.created_at), "title", jt_str(v->text.title),
                        "specific", jt_str(v->text.specific), "measurable",
                        jt_str(v->text.measurable), "achievable", jt_str(v->text.achievable),
                        "relevant", jt_str(v->text.relevant), "due_on", jt_date(v->g.due_on),
                        "weight", v->g.weight, "levels", levels, "status",
                        goal_status_name(v->g.status), "milestones", milestones);
  return o;
}

static json_t *x_review(const store_goal_review *rv) {
  json_t *levels = json_object();
  for (size_t i = 0; i < rv->nlevels; i++) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)rv->levels[i].goal_id);
    json_object_set_new(levels, key, json_integer(rv->levels[i].level));
  }
  return json_pack("{s:I, s:o, s:I, s:o}", "id", (json_int_t)rv->id, "at", jt_time(rv->at),
                   "reviewer_id", (json_int_t)rv->reviewer_id, "levels", levels);
}

static json_t *x_request(const app_request_view *v) {
  const request *q = &v->q;
  return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)q->id,
                   "requester_id", (json_int_t)q->requester_id, "responder_id",
                   (json_int_t)q->responder_id, "created_at", jt_time(q->created_at), "text",
                   jt_str(v->text), "replied_at", jt_time(q->replied_at), "reply",
                   jt_str(v->reply));
}

static json_t *x_feedback(const app_feedback_view *v) {
  const feedback_item *f = &v->f;
  return json_pack("{s:I, s:I, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)f->id, "giver_id",
                   (json_int_t)f->giver_id, "receiver_id", (json_int_t)f->receiver_id, "kind",
                   feedback_kind_name(f->kind), "focus", jt_str(feedback_focus_name(f->focus)),
                   "text", jt_str(v->text), "at", jt_time(f->at));
}

static json_t *x_note(const app_note *n) {
  return json_pack("{s:I, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)n->id, "author_id",
                   (json_int_t)n->author_id, "visibility", note_visibility_name(n->visibility),
                   "readable_by", ids(n->readable_by, n->nreadable), "created_at",
                   jt_time(n->created_at), "text", jt_str(n->text));
}

static json_t *x_pulse(const pulse *p) {
  json_t *answers = json_object();
  for (int i = 0; i < PULSE_NITEM; i++)
    json_object_set_new(answers, pulse_item_name(i),
                        p->answers[i] == PULSE_SKIPPED ? json_null() : json_integer(p->answers[i]));
  return json_pack("{s:I, s:I, s:I, s:o, s:o, s:i}", "id", (json_int_t)p->id, "rater_id",
                   (json_int_t)p->rater_id, "ratee_id", (json_int_t)p->ratee_id, "answered_at",
                   jt_time(p->answered_at), "answers", answers, "overall", p->overall);
}

static json_t *x_incident(const app_incident_view *v) {
  const incident *in = &v->in;
  return json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "id",
                   (json_int_t)in->id, "kind", incident_kind_name(in->kind), "state",
                   incident_state_name(incident_state_of(in)), "reporter_id",
                   (json_int_t)in->reporter_id, "concerning_id", (json_int_t)in->concerning_id,
                   "text", jt_str(v->text), "reported_at", jt_time(in->reported_at),
                   "acknowledged_at", jt_time(in->acknowledged_at), "resolved_at",
                   jt_time(in->resolved_at), "repair_plan_id", jt_id(v->repair_plan_id));
}

static json_t *x_repair(const app_repair_view *v) {
  const repair_plan *p = &v->plan;
  json_t *amends = json_array();
  for (size_t i = 0; i < v->ncommitments; i++)
    json_array_append_new(amends, json_integer((json_int_t)v->commitments[i].cm.id));
  return json_pack("{s:I, s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                   (json_int_t)p->id, "incident_id", (json_int_t)p->incident_id, "party_id",
                   (json_int_t)p->party_id, "state", p->outcome == REPAIR_OPEN ? "open" : "closed",
                   "outcome", jt_str(repair_outcome_name(p->outcome)), "opened_at",
                   jt_time(p->opened_at), "ends_at", jt_time(v->ends_at), "closed_at",
                   jt_time(p->closed_at), "acknowledgement", jt_str(v->acknowledgement),
                   "responsibility", jt_str(v->responsibility), "acknowledged_at",
                   jt_time(v->acknowledged_at), "amends_commitment_ids", amends);
}

static json_t *x_warning(const app_warning *w) {
  json_t *comps = json_array();
  for (int k = 0; k < TRUST_NCOMP; k++)
    if (w->components & (1u << k))
      json_array_append_new(comps, json_string(trust_comp_name((trust_comp)k)));
  return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)w->id, "code",
                   trust_warn_name(w->code), "severity", trust_severity_name(w->severity), "party",
                   jt_id(w->party_id), "components", comps, "since", jt_time(w->since),
                   "practice", jt_str(w->practice));
}

static json_t *list_events(const app_export_rel *x) {
  json_t *a = json_array();
  for (size_t i = 0; i < x->nevents; i++) json_array_append_new(a, x_event(&x->events[i]));
  return a;
}

static json_t *x_rel(const app_export_rel *x, int64_t me) {
  json_t *o = render_relationship(&x->rel);
  json_object_set_new(o, "my_role", json_string(x->rel.guide_id == me ? "guide" : "learner"));
  json_object_set_new(o, "events", list_events(x));
  json_t *arr;
#define ADD(key, fn, rows, n)                                                                   \
  arr = json_array();                                                                           \
  for (size_t i = 0; i < (n); i++) json_array_append_new(arr, fn(&(rows)[i]));                  \
  json_object_set_new(o, key, arr)
  ADD("agreement_versions", x_agreement, x->agreements, x->nagreements);
  ADD("checkins", x_checkin, x->checkins, x->ncheckins);
  ADD("commitments", x_commitment, x->commitments, x->ncommitments);
  ADD("goals", x_goal, x->goals, x->ngoals);
  ADD("goal_reviews", x_review, x->reviews, x->nreviews);
  ADD("requests", x_request, x->requests, x->nrequests);
  ADD("feedback", x_feedback, x->feedback, x->nfeedback);
  ADD("notes", x_note, x->notes, x->nnotes);
  ADD("my_pulses", x_pulse, x->pulses, x->npulses);
  ADD("incidents", x_incident, x->incidents, x->nincidents);
  ADD("repair_plans", x_repair, x->repairs, x->nrepairs);
  ADD("warnings", x_warning, x->warnings, x->nwarnings);
#undef ADD
  return o;
}

static json_t *x_access(const app_access_item *a) {
  json_t *what = json_array();
  for (size_t i = 0; i < a->nwhat; i++) json_array_append_new(what, json_string(a->what[i]));
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "seq", (json_int_t)a->seq, "at",
                   jt_time(a->at), "actor_id", jt_id(a->actor_id), "actor_name",
                   jt_str(a->actor_name), "sentence", jt_str(a->sentence), "what", what,
                   "purpose", jt_str(a->purpose), "relationship_id", jt_id(a->relationship_id));
}

/* GET /me/export: {format, exported_at, person, site_admin, programs,
 * sessions, relationships: [...], access_log: [...]}, sent as a file to save. */
static rp_rc export_get(http_req *r, rp_err *e) {
  app_export x;
  rp_rc rc = app_export_mine(&r->app, &x, e);
  if (rc) return rc;
  json_t *programs = json_array(), *sessions = json_array(), *rels = json_array();
  for (size_t i = 0; i < x.me.nroles; i++) {
    json_t *p = render_program(&x.me.roles[i].prog);
    json_object_set_new(p, "role", json_string(member_role_name(x.me.roles[i].role)));
    json_array_append_new(programs, p);
  }
  for (size_t i = 0; i < x.nsessions; i++)
    json_array_append_new(sessions,
                          json_pack("{s:I, s:o, s:o, s:b}", "id", (json_int_t)x.sessions[i].id,
                                    "created_at", jt_time(x.sessions[i].created_at),
                                    "last_seen_at", jt_time(x.sessions[i].last_seen_at),
                                    "current", x.sessions[i].current));
  for (size_t i = 0; i < x.nrels; i++) json_array_append_new(rels, x_rel(&x.rels[i], x.me.who.id));
  json_t *access = json_array();
  for (size_t i = 0; i < x.naccess; i++) json_array_append_new(access, x_access(&x.access[i]));
  r->out = json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "format", "rapport-export/1",
                     "exported_at", jt_time(x.at), "person", render_person(&x.me.who),
                     "site_admin", x.me.who.is_site_admin, "programs", programs, "sessions",
                     sessions, "relationships", rels, "access_log", access);
  char day[RP_DATE_BUFSZ];
  rp_date_format((int32_t)(x.at / RP_DAY), day);
  r->disposition =
      arena_printf(r->app.a, "attachment; filename=\"rapport-export-%s.json\"", day);
  return RP_OK;
}

/* ---- deletion ---- */

/* DELETE /me: 204, and the session cookie cleared (the session is gone). */
static rp_rc me_delete(http_req *r, rp_err *e) {
  rp_rc rc = app_account_delete(&r->app, e);
  if (rc) return rc;
  r->set_cookie = "rapport_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  return RP_OK;
}

static rp_rc relationship_delete(http_req *r, rp_err *e) {
  return app_relationship_delete(&r->app, r->id[0], e);
}

const http_route http_routes_me[] = {
    {"POST", "/api/v1/session/confirm", session_confirm, HTTP_SIGNED_IN},
    {"GET", "/api/v1/me/export", export_get, HTTP_EXPORTS_TEXT},
    {"DELETE", "/api/v1/me", me_delete, HTTP_SIGNED_IN},
    {"DELETE", "/api/v1/relationships/{id}", relationship_delete, HTTP_SIGNED_IN},
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
