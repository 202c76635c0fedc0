/* render.c: JSON for Rapport's types, one function per object (the
 * contract is in render.h), and problem documents.
 *
 * The routes of every area and the export of my data render through the
 * functions here, so that each object has exactly one shape.
 */
#include "http/render.h"

#include "domain/practice.h"
#include "trust/trust_warn.h"
#include "trust/trust_circle.h"
#include "http/http.h"

#include <string.h>

#include <limits.h>
#include <stdio.h>

json_t *jt_time(rp_time t) {
  char buf[RP_TIME_BUFSZ];
  return t ? json_string(rp_time_format(t, buf)) : json_null();
}

json_t *jt_date(int32_t days) {
  char buf[RP_DATE_BUFSZ];
  return days == INT32_MIN ? json_null() : json_string(rp_date_format(days, buf));
}

json_t *jt_hhmm(int minutes) {
  if (minutes < 0) return json_null();
  char buf[16];
  snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
  return json_string(buf);
}

int http_minutes_of(const char *s) {
  if (!s) return -1;
  if (strlen(s) != 5 || s[2] != ':') return -2;
  for (int i = 0; i < 5; i++)
    if (i != 2 && (s[i] < '0' || s[i] > '9')) return -2;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -2;
}

json_t *jt_id(int64_t id) { return id ? json_integer((json_int_t)id) : json_null(); }

json_t *jt_str(const char *s) { return s ? json_string(s) : json_null(); }

json_t *jt_page(json_t *items, int64_t next) {
  return json_pack("{s:o, s:o}", "items", items, "next", jt_id(next));
}

json_t *jt_ids(const int64_t *ids, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_integer((json_int_t)ids[i]));
  return arr;
}

/* Hours as a real, or null when !has. */
static json_t *jt_hours(bool has, int64_t seconds) {
  return has ? json_real((double)seconds / 3600.0) : json_null();
}

/* ---- people, programs, relationships ---- */

json_t *render_person(const person *p) {
  return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->id, "email", p->email, "name",
                   p->name);
}

json_t *render_session(const app_session *s) {
  return json_pack("{s:s, s:s, s:o}", "token", s->token, "csrf_token", s->csrf, "person",
                   render_person(&s->who));
}

json_t *render_program(const program *p) {
  json_t *off = json_array();
  for (int k = 0; k < TRUST_W_COUNT; k++)
    if (p->settings.warnings_off & (1u << k))
      json_array_append_new(off, json_string(trust_warn_name((trust_warn_code)k)));
  return json_pack("{s:I, s:s, s:s, s:{s:i, s:i, s:i, s:i}, s:o, s:o}", "id", (json_int_t)p->id,
                   "name", p->name, "kind", program_kind_name(p->kind), "settings",
                   "cadence_days", p->settings.cadence_days, "reply_window_hours",
                   p->settings.reply_window_hours, "pulse_every_days",
                   p->settings.pulse_every_days, "k_anonymity", p->settings.k_anonymity,
                   "warnings_off", off, "created_at", jt_time(p->created_at));
}

void render_relationship_members(struct jout *w, const relationship *r) {
  jout_int(w, "id", r->id);
  jout_int(w, "program_id", r->program_id);
  jout_int(w, "guide_id", r->guide_id);
  jout_int(w, "learner_id", r->learner_id);
  jout_str(w, "state", rel_state_name(r->state));
  jout_object(w, "accepted");
  jout_bool(w, "guide", r->guide_accepted);
  jout_bool(w, "learner", r->learner_accepted);
  jout_close(w);
  jout_id(w, "proposed_by", r->proposed_by);
  jout_time(w, "proposed_at", r->proposed_at);
  jout_time(w, "state_since", r->state_since);
}

json_t *render_relationship(const relationship *r) {
  jout w;
  jout_tree(&w);
  jout_object(&w, NULL);
  render_relationship_members(&w, r);
  jout_close(&w);
  return jout_tree_end(&w);
}

json_t *render_program_role(const store_program_role *pr) {
  json_t *o = render_program(&pr->prog);
  json_object_set_new(o, "role", json_string(member_role_name(pr->role)));
  return o;
}

json_t *render_my_relationship(const relationship *r, int64_t me_id) {
  json_t *o = render_relationship(r);
  json_object_set_new(o, "my_role", json_string(r->guide_id == me_id ? "guide" : "learner"));
  return o;
}

json_t *render_session_meta(const store_session *s) {
  return json_pack("{s:I, s:o, s:o, s:b}", "id", (json_int_t)s->id, "created_at",
                   jt_time(s->created_at), "last_seen_at", jt_time(s->last_seen_at), "current",
                   s->current);
}

/* from, to and reason only when the event has them. */
json_t *render_event(const app_event_view *v) {
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

/* ---- agreements ---- */

json_t *render_agreement_version(const app_agreement *v) {
  const agreement_terms *t = &v->terms;
  json_t *channels = json_array();
  for (size_t i = 0; i < t->nchannels; i++)
    json_array_append_new(channels, json_string(t->channels[i]));
  json_t *quiet = t->has_quiet_hours ? json_pack("{s:o, s:o}", "from", jt_hhmm(t->quiet_from),
                                                  "to", jt_hhmm(t->quiet_to))
                                     : json_null();
  return json_pack("{s:i, s:o, s:o, s:o, s:i, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
                   "version",
                   v->version, "author_id", jt_id(v->author_id), "created_at",
                   jt_time(v->created_at), "purpose", jt_str(t->purpose), "cadence_days",
                   t->cadence_days, "channels", channels, "reply_window_hours",
                   t->reply_window_hours, "confidentiality", jt_str(t->confidentiality),
                   "boundaries", jt_str(t->boundaries), "feedback_preferences",
                   jt_str(t->feedback_preferences), "ends_on", jt_date(t->ends_on),
                   "acknowledged_by", jt_ids(v->acked_by, v->nacked), "in_force",
                   v->in_force, "quiet_hours", quiet);
}

/* ---- check-ins ---- */

/* The outcome's fields are null until one is recorded. */
json_t *render_checkin(const checkin *ck) {
  bool o = ck->has_outcome;
  return json_pack(
      "{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)ck->id,
      "relationship_id", (json_int_t)ck->relationship_id, "scheduled_at", jt_time(ck->scheduled_at),
      "created_at", jt_time(ck->created_at), "outcome",
      jt_str(o ? checkin_outcome_name(ck->outcome) : NULL), "class",
      jt_str(o ? checkin_class_name(ck->cls) : NULL), "caused_by", jt_id(o ? ck->caused_by : 0),
      "outcome_at", o ? jt_time(ck->outcome_at) : json_null(), "notice_hours",
      jt_hours(o && ck->has_notice, ck->notice_s), "late_hours",
      jt_hours(o && ck->has_late, ck->late_s), "rescheduled_to", jt_id(ck->rescheduled_to));
}

/* ---- commitments ---- */

static json_t *render_revision(const commitment_revision *rev) {
  return json_pack("{s:o, s:o, s:o, s:o}", "at", jt_time(rev->at), "by", jt_id(rev->by),
                   "old_due_at", jt_time(rev->old_due_at), "new_due_at", jt_time(rev->new_due_at));
}

json_t *render_commitment(const app_commitment_view *v) {
  const commitment *cm = &v->cm;
  json_t *revs = json_array();
  for (size_t i = 0; i < v->nrevs; i++)
    json_array_append_new(revs, render_revision(&v->revs[i]));
  return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:b, s:o}", "id",
                   (json_int_t)cm->id, "relationship_id", (json_int_t)cm->relationship_id,
                   "owner_id", (json_int_t)cm->owner_id, "text", jt_str(v->text), "created_at",
                   jt_time(cm->created_at), "due_at", jt_time(cm->due_at), "original_due_at",
                   jt_time(cm->original_due_at), "state", commitment_state_name(cm->state),
                   "closed_at", cm->state == COMMITMENT_OPEN ? json_null() : jt_time(cm->closed_at),
                   "closed_by", jt_id(cm->closed_by), "broken_automatically",
                   commitment_broken_automatically(cm), "revisions", revs);
}

/* ---- goals ---- */

json_t *render_milestone(const app_milestone_view *v) {
  return json_pack("{s:I, s:I, s:o, s:o, s:o}", "id", (json_int_t)v->m.id, "goal_id",
                   (json_int_t)v->m.goal_id, "title", jt_str(v->title), "created_at",
                   jt_time(v->m.created_at), "reached_at", jt_time(v->m.reached_at));
}

json_t *render_goal(const app_goal_view *v) {
  json_t *levels = json_object(), *hints = json_array(), *milestones = json_array();
  for (int i = 0; i < GOAL_LEVEL_COUNT; i++)
    json_object_set_new(levels, goal_level_keys[i], jt_str(v->text.levels[i]));
  for (size_t i = 0; i < v->nhints; i++)
    json_array_append_new(hints, json_string(v->hints[i]));
  for (size_t i = 0; i < v->nmilestones; i++)
    json_array_append_new(milestones, render_milestone(&v->milestones[i]));
  json_t *o =
      json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o, s:s}", "id",
                (json_int_t)v->g.id, "relationship_id", (json_int_t)v->g.relationship_id,
                "created_by", (json_int_t)v->g.created_by, "created_at", jt_time(v->g.created_at),
                "title", jt_str(v->text.title), "specific", jt_str(v->text.specific),
                "measurable", jt_str(v->text.measurable), "achievable",
                jt_str(v->text.achievable), "relevant", jt_str(v->text.relevant), "due_on",
                jt_date(v->g.due_on), "weight", v->g.weight, "levels", levels, "status",
                goal_status_name(v->g.status));
  json_object_set_new(o, "hints", hints);
  json_object_set_new(o, "latest_level",
                      v->has_level ? json_integer(v->latest_level) : json_null());
  json_object_set_new(o, "milestones", milestones);
  return o;
}

/* levels: {"<goal id>": level}. */
json_t *render_goal_review(const store_goal_review *rv) {
  json_t *levels = json_object();
  for (size_t i = 0; i < rv->nlevels; i++) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)rv->levels[i].goal_id);
    json_object_set_new(levels, key, json_integer(rv->levels[i].level));
  }
  return json_pack("{s:I, s:o, s:I, s:f, s:o}", "id", (json_int_t)rv->id, "at", jt_time(rv->at),
                   "reviewer_id", (json_int_t)rv->reviewer_id, "t_score", rv->t_score, "levels",
                   levels);
}

/* ---- requests, feedback, notes ---- */

json_t *render_request(const app_request_view *v) {
  const request *q = &v->q;
  return json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)q->id,
                   "relationship_id", (json_int_t)q->relationship_id, "requester_id",
                   (json_int_t)q->requester_id, "responder_id", (json_int_t)q->responder_id,
                   "created_at", jt_time(q->created_at), "text", jt_str(v->text), "replied_at",
                   jt_time(q->replied_at), "reply", jt_str(v->reply), "latency_hours",
                   q->replied_at ? json_real(request_latency_hours(q)) : json_null());
}

json_t *render_feedback(const app_feedback_view *v) {
  const feedback_item *f = &v->f;
  return json_pack("{s:I, s:I, s:I, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)f->id,
                   "relationship_id", (json_int_t)f->relationship_id, "giver_id",
                   (json_int_t)f->giver_id, "receiver_id", (json_int_t)f->receiver_id, "kind",
                   feedback_kind_name(f->kind), "focus", jt_str(feedback_focus_name(f->focus)),
                   "text", jt_str(v->text), "at", jt_time(f->at));
}

json_t *render_note(const app_note *n) {
  return json_pack("{s:I, s:I, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)n->id,
                   "relationship_id", (json_int_t)n->relationship_id, "author_id",
                   (json_int_t)n->author_id, "visibility", note_visibility_name(n->visibility),
                   "readable_by", jt_ids(n->readable_by, n->nreadable), "created_at",
                   jt_time(n->created_at), "text", jt_str(n->text));
}

/* ---- pulses, incidents, repair plans ---- */

/* answers: {REL1..EMP2: 1..5 or null when skipped}. */
json_t *render_pulse(const pulse *p) {
  json_t *answers = json_object();
  for (int i = 0; i < PULSE_NITEM; i++)
    json_object_set_new(answers, pulse_item_name(i),
                        p->answers[i] == PULSE_SKIPPED ? json_null() : json_integer(p->answers[i]));
  return json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:i}", "id", (json_int_t)p->id,
                   "relationship_id", (json_int_t)p->relationship_id, "rater_id",
                   (json_int_t)p->rater_id, "ratee_id", (json_int_t)p->ratee_id, "answered_at",
                   jt_time(p->answered_at), "revealed_at", jt_time(p->revealed_at), "answers",
                   answers, "overall", p->overall);
}

json_t *render_incident(const app_incident_view *v) {
  const incident *in = &v->in;
  return json_pack(
      "{s:I, s:I, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)in->id,
      "relationship_id", (json_int_t)in->relationship_id, "kind", incident_kind_name(in->kind),
      "state", incident_state_name(incident_state_of(in)), "reporter_id",
      (json_int_t)in->reporter_id, "concerning_id", (json_int_t)in->concerning_id, "text",
      jt_str(v->text), "reported_at", jt_time(in->reported_at), "acknowledged_at",
      jt_time(in->acknowledged_at), "acknowledged_by", jt_id(in->acknowledged_by), "resolved_at",
      jt_time(in->resolved_at), "resolved_by", jt_id(in->resolved_by), "repair_plan_id",
      jt_id(v->repair_plan_id));
}

/* A commitment a repair plan's amends link to. */
static json_t *render_amend(const app_repair_commitment *rc) {
  const commitment *cm = &rc->cm;
  return json_pack("{s:I, s:o, s:s, s:o, s:o}", "id", (json_int_t)cm->id, "text",
                   jt_str(rc->text), "state", commitment_state_name(cm->state), "due_at",
                   jt_time(cm->due_at), "closed_at",
                   cm->state == COMMITMENT_OPEN ? json_null() : jt_time(cm->closed_at));
}

/* The index is null while the label is "not enough evidence yet" (no
 * number shown as if it were a verdict; index_value keeps the figure), as
 * GET /relationships/{id}/trust does. */
static json_t *render_plan_trust(const trust_dir_score *t) {
  json_t *index = t->label == TRUST_LABEL_NOT_ENOUGH ? json_null()
                                                     : json_integer(trust_index_display(t->index));
  return json_pack("{s:o, s:f, s:s, s:f, s:f, s:b}", "index", index, "index_value", t->index,
                   "label", trust_label_name(t->label), "uncertainty", t->uncertainty, "p_int",
                   t->comp[TRUST_INT].p, "int_capped", t->int_capped);
}

json_t *render_repair_plan(const app_repair_view *v) {
  const repair_plan *p = &v->plan;
  const practice *pr = practice_by_slug(v->practice);
  json_t *amends = json_array();
  for (size_t i = 0; i < v->ncommitments; i++)
    json_array_append_new(amends, render_amend(&v->commitments[i]));
  json_t *ack = json_null();
  if (v->acknowledgement)
    ack = json_pack("{s:s, s:s, s:o}", "text", v->acknowledgement, "responsibility",
                    v->responsibility ? v->responsibility : "", "at", jt_time(v->acknowledged_at));
  json_t *out = json_pack(
      "{s:I, s:I, s:I, s:I, s:s, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)p->id,
      "incident_id", (json_int_t)p->incident_id, "relationship_id", (json_int_t)p->relationship_id,
      "party_id", (json_int_t)p->party_id, "state", p->outcome == REPAIR_OPEN ? "open" : "closed",
      "outcome", jt_str(repair_outcome_name(p->outcome)), "opened_at", jt_time(p->opened_at),
      "follow_through_days", p->follow_through_days, "ends_at", jt_time(v->ends_at), "closed_at",
      jt_time(p->closed_at), "acknowledgement", ack, "amends_agreed_at",
      jt_time(p->amends_agreed_at), "commitments", amends);
  json_object_set_new(out, "kept", json_integer(v->kept));
  json_object_set_new(out, "broken", json_integer(v->broken));
  json_object_set_new(out, "open", json_integer(v->open));
  json_object_set_new(out, "dropped", json_integer(v->dropped));
  json_object_set_new(out, "checkins_held", json_integer((json_int_t)v->checkins_held));
  json_object_set_new(out, "trust", render_plan_trust(&v->trust));
  json_object_set_new(
      out, "practice",
      pr ? json_pack("{s:i, s:s, s:s}", "id", pr->id, "slug", pr->slug, "title", pr->title)
         : json_null());
  return out;
}

/* ---- warnings ---- */

/* ["REL", "INT", ..] from a mask of 1u << trust_comp. */
static json_t *render_components(unsigned mask) {
  json_t *arr = json_array();
  for (int k = 0; k < TRUST_NCOMP; k++)
    if (mask & (1u << k)) json_array_append_new(arr, json_string(trust_comp_name((trust_comp)k)));
  return arr;
}

/* The evidence is stored as a JSON object (figures and row ids, never
 * text); anything else, which the store never writes, shows as {}. */
json_t *render_warning(const app_warning *w) {
  json_t *ev = json_loads(w->evidence ? w->evidence : "{}", 0, NULL);
  if (!json_is_object(ev)) {
    json_decref(ev);
    ev = json_object();
  }
  return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)w->id, "code",
                   trust_warn_name(w->code), "severity", trust_severity_name(w->severity),
                   "party", jt_id(w->party_id), "components", render_components(w->components),
                   "since", jt_time(w->since), "evidence", ev, "practice", jt_str(w->practice));
}

/* ---- the access log ---- */

json_t *render_access_entry(const app_access_item *it) {
  json_t *what = json_array();
  for (size_t i = 0; i < it->nwhat; i++) json_array_append_new(what, json_string(it->what[i]));
  json_t *actor = json_pack("{s:o, s:o}", "id", jt_id(it->actor_id), "name",
                            jt_str(it->actor_name));
  json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "seq", (json_int_t)it->seq, "at",
                        jt_time(it->at), "actor", actor, "sentence", jt_str(it->sentence), "what",
                        what, "why", jt_str(it->purpose), "relationship_id",
                        jt_id(it->relationship_id));
  if (o && it->circle_id) json_object_set_new(o, "circle_id", json_integer(it->circle_id));
  return o;
}

/* ---- problems ---- */

json_t *http_problem(const rp_err *e, const char *instance) {
  rp_rc rc = e->rc ? e->rc : RP_ERR_INTERNAL;
  const char *code = e->code[0] ? e->code : "internal";
  json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title",
                        rp_rc_title(rc), "status", rp_rc_status(rc), "detail",
                        e->detail[0] ? e->detail : rp_rc_title(rc), "code", code);
  char type[96];
  snprintf(type, sizeof type, "urn:rapport:problem:%s", code);
  json_object_set_new(p, "type", json_string(type));
  if (instance) json_object_set_new(p, "instance", json_string(instance));
  if (rc == RP_ERR_INVALID) {
    json_t *errs = json_array();
    for (int i = 0; i < e->nfield; i++)
      json_array_append_new(errs, json_pack("{s:s, s:s}", "pointer", e->field[i].pointer,
                                            "detail", e->field[i].detail));
    json_object_set_new(p, "errors", errs);
  }
  return p;
}

/* ---- peer circles (routes_circles.c, the export) ---- */

json_t *render_circle_summary(const store_circle *c) {
  return json_pack("{s:I, s:I, s:s, s:s, s:i, s:o, s:o}", "id", (json_int_t)c->id, "program_id",
                   (json_int_t)c->program_id, "name", c->name ? c->name : "", "state",
                   rel_state_name(c->state), "cadence_days", c->cadence_days, "proposed_at",
                   jt_time(c->proposed_at), "state_since", jt_time(c->state_since));
}

json_t *render_circle(const app_circle *ci) {
  json_t *o = render_circle_summary(&ci->c);
  json_t *members = json_array();
  for (size_t i = 0; i < ci->nmembers; i++) {
    const store_circle_member *m = &ci->members[i];
    json_array_append_new(members,
                          json_pack("{s:I, s:o, s:s, s:b, s:o, s:o}", "person_id",
                                    (json_int_t)m->person_id, "name", jt_str(m->name), "role",
                                    circle_role_name(m->role), "accepted", m->accepted,
                                    "joined_at", jt_time(m->joined_at), "left_at",
                                    jt_time(m->left_at)));
  }
  json_object_set_new(o, "members", members);
  json_object_set_new(o, "facilitator_id", jt_id(ci->facilitator_id));
  json_object_set_new(o, "my_role", ci->viewer_in ? json_string(circle_role_name(ci->viewer.role))
                                                   : json_null());
  json_object_set_new(o, "counts",
                      json_pack("{s:I, s:i, s:b}", "checkins", (json_int_t)ci->checkins,
                                "agreement_version", ci->agreement_version,
                                "agreement_in_force", ci->agreement_in_force));
  return o;
}

json_t *render_circle_agreement(const app_circle_agreement *ag) {
  return json_pack("{s:i, s:i, s:s, s:o, s:o, s:b}", "version", ag->version, "cadence_days",
                   ag->cadence_days, "text", ag->text ? ag->text : "", "created_at",
                   jt_time(ag->created_at), "acknowledged_by",
                   jt_ids(ag->acknowledged_by, ag->nacknowledged), "in_force", ag->in_force);
}

json_t *render_circle_checkin(const app_circle_checkin *ck) {
  json_t *att = json_array();
  for (size_t i = 0; i < ck->nmarks; i++)
    json_array_append_new(att, json_pack("{s:I, s:s}", "person_id",
                                         (json_int_t)ck->marks[i].person_id, "status",
                                         circle_attendance_name(ck->marks[i].status)));
  return json_pack("{s:I, s:I, s:o, s:o}", "id", (json_int_t)ck->ck.id, "circle_id",
                   (json_int_t)ck->ck.circle_id, "held_at", jt_time(ck->ck.held_at),
                   "attendance", att);
}

json_t *render_circle_item(const app_circle_item *v) {
  const store_circle_item *it = &v->it;
  json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:o, s:o}", "id", (json_int_t)it->id, "circle_id",
                        (json_int_t)it->circle_id, "type", circle_item_kind_name(it->kind),
                        "author_id", (json_int_t)it->author_id, "text", jt_str(v->text),
                        "created_at", jt_time(it->created_at));
  switch (it->kind) {
  case CIRCLE_FEEDBACK:
    json_object_set_new(o, "to_id", jt_id(it->subject_id));
    json_object_set_new(o, "kind", jt_str(it->label));
    json_object_set_new(o, "focus", jt_str(it->focus));
    break;
  case CIRCLE_REPLY: json_object_set_new(o, "request_id", jt_id(it->parent_id)); break;
  case CIRCLE_NOTE:
    json_object_set_new(o, "visibility", json_string(it->shared ? "shared" : "private"));
    break;
  case CIRCLE_INCIDENT:
    json_object_set_new(o, "kind", jt_str(it->label));
    json_object_set_new(o, "concerning_id", jt_id(it->subject_id));
    json_object_set_new(o, "state", json_string(it->closed_at           ? "resolved"
                                                : v->acknowledged_at ? "acknowledged"
                                                                     : "reported"));
    json_object_set_new(o, "acknowledged_at", jt_time(v->acknowledged_at));
    json_object_set_new(o, "resolved_at", jt_time(it->closed_at));
    json_object_set_new(o, "repair_plan_id", jt_id(v->repair_plan_id));
    break;
  case CIRCLE_COMMITMENT:
    json_object_set_new(o, "due_at", jt_time(it->due_at));
    /* fall through */
  case CIRCLE_GOAL:
    json_object_set_new(o, "status", jt_str(it->label));
    json_object_set_new(o, "closed_at", jt_time(it->closed_at));
    break;
  default: break;
  }
  return o;
}

json_t *render_circle_pulse(const app_circle_pulse_view *p) {
  json_t *mine = json_null();
  if (p->mine.id) {
    mine = json_object();
    for (int i = 0; i < TRUST_PULSE_NITEM; i++)
      json_object_set_new(mine, trust_pulse_item_name((trust_pulse_item)i),
                          json_integer(p->mine.answers[i]));
  }
  json_t *agg = json_null();
  if (p->shown) {
    agg = json_object();
    for (int i = 0; i < TRUST_PULSE_NITEM; i++)
      json_object_set_new(agg, trust_pulse_item_name((trust_pulse_item)i),
                          p->counts[i] ? json_real(p->means[i]) : json_null());
  }
  return json_pack("{s:o, s:o, s:I, s:I}", "mine", mine, "circle", agg, "raters",
                   (json_int_t)p->raters, "min_raters", (json_int_t)TRUST_CIRCLE_MIN_RATERS);
}
/* ---- the schemas of the renderers above, for the API description ----
 *
 * One per renderer, in the schema notation (http.h); openapi.c makes them
 * components.schemas, and the API suite checks every answer against them,
 * so a member added to a renderer and not here fails the suite. */

/* The members of the circle schemas, as the renderers above write them. */
#define CIRCLE_PROPOSAL_MEMBERS                                                                    \
  "id:id program_id:id state:=draft,published,discarded created_at:time? published_at:time? "      \
  "name:str size:int circles_asked:int pool:=learners,guides,everyone overlap_topics:bool "         \
  "mix_attributes:bool mix_attribute_ids:[id] facilitator:bool include_active:bool "                \
  "min_overlap_minutes:int seed:int"
#define CIRCLE_SUMMARY_MEMBERS                                                                  \
  "id:id program_id:id name:str state:str cadence_days:int proposed_at:time? state_since:time?"
#define CIRCLE_MEMBERS                                                                          \
  CIRCLE_SUMMARY_MEMBERS " members:[{person_id:id name:str? role:=member,facilitator "          \
  "accepted:bool joined_at:time? left_at:time?}] facilitator_id:id? my_role:=member,facilitator? " \
  "counts:{checkins:int agreement_version:int agreement_in_force:bool}"
#define CIRCLE_ATTENDANCE "=present,late,absent_with_notice,absent_without_notice"
#define CIRCLE_ITEM_MEMBERS(type)                                                               \
  "id:id circle_id:id type:=" type " author_id:id text:str? created_at:time?"
#define CIRCLE_PULSE_ITEMS(t)                                                                   \
  "REL1:" t " REL2:" t " INT1:" t " INT2:" t " COM1:" t " EMP1:" t " EMP2:" t
#define CIRCLE_TRUST_COMP "{p:num u:num low:num high:num}"

const http_schema http_schemas[] = {
    {"Person", "{id:id email:str name:str}", "A person (render_person)."},
    {"Program", "{" RENDER_PROGRAM_MEMBERS "}", "A program (render_program)."},
    {"ProgramRole", "{" RENDER_PROGRAM_MEMBERS " role:str}",
     "A program with the caller's role in it (render_program_role)."},
    {"Relationship", "{" RENDER_REL_MEMBERS "}", "A relationship (render_relationship)."},
    {"MyRelationship", "{" RENDER_REL_MEMBERS " my_role:=guide,learner}",
     "A relationship with the caller's role (render_my_relationship)."},
    {"SessionMeta", "{id:id created_at:time? last_seen_at:time? current:bool}",
     "A session's metadata (render_session_meta)."},
    {"Event",
     "{id:id kind:str actor_id:id? at:time? recorded_at:time? subject_id:id? from?:str to?:str "
     "reason?:str}",
     "An event of a relationship's history (render_event)."},
    {"AccessEntry",
     "{seq:id at:time? actor:{id:id? name:str?} sentence:str? what:[str] why:str? "
     "relationship_id:id? circle_id?:id}",
     "An entry of the access log (render_access_entry; circle_id for a circle's text)."},
    {"AgreementVersion",
     "{version:int author_id:id? created_at:time? purpose:str? cadence_days:int channels:[str] "
     "reply_window_hours:int confidentiality:str? boundaries:str? feedback_preferences:str? "
     "ends_on:date? acknowledged_by:[id] in_force:bool quiet_hours:{from:str to:str}?}",
     "A version of the working agreement (render_agreement_version)."},
    {"Checkin",
     "{id:id relationship_id:id scheduled_at:time? created_at:time? outcome:str? class:str? "
     "caused_by:id? outcome_at:time? notice_hours:num? late_hours:num? rescheduled_to:id?}",
     "A check-in; the outcome's members are null until one is recorded (render_checkin)."},
    {"Commitment",
     "{id:id relationship_id:id owner_id:id text:str? created_at:time? due_at:time? "
     "original_due_at:time? state:str closed_at:time? closed_by:id? broken_automatically:bool "
     "revisions:[{at:time? by:id? old_due_at:time? new_due_at:time?}]}",
     "A commitment (render_commitment)."},
    {"Milestone", "{id:id goal_id:id title:str? created_at:time? reached_at:time?}",
     "A goal's milestone (render_milestone)."},
    {"Goal",
     "{id:id relationship_id:id created_by:id created_at:time? title:str? specific:str? "
     "measurable:str? achievable:str? relevant:str? due_on:date? weight:num levels:<str?> "
     "status:=active,achieved,dropped hints:[str] latest_level:int? milestones:[Milestone]}",
     "A goal (render_goal)."},
    {"GoalReview", "{id:id at:time? reviewer_id:id t_score:num levels:<int>}",
     "A goal review; levels by goal id (render_goal_review)."},
    {"Request",
     "{id:id relationship_id:id requester_id:id responder_id:id created_at:time? text:str? "
     "replied_at:time? reply:str? latency_hours:num?}",
     "A request and its reply (render_request)."},
    {"Feedback",
     "{id:id relationship_id:id giver_id:id receiver_id:id kind:str focus:str? text:str? "
     "at:time?}",
     "Feedback given (render_feedback)."},
    {"Note",
     "{id:id relationship_id:id author_id:id visibility:str readable_by:[id] created_at:time? "
     "text:str?}",
     "A note (render_note)."},
    {"Pulse",
     "{id:id relationship_id:id rater_id:id ratee_id:id answered_at:time? revealed_at:time? "
     "answers:<int?> overall:int}",
     "A pulse; answers by item, null when skipped (render_pulse)."},
    {"Incident",
     "{id:id relationship_id:id kind:str state:str reporter_id:id concerning_id:id text:str? "
     "reported_at:time? acknowledged_at:time? acknowledged_by:id? resolved_at:time? "
     "resolved_by:id? repair_plan_id:id?}",
     "An incident (render_incident)."},
    {"RepairPlan",
     "{id:id incident_id:id relationship_id:id party_id:id state:=open,closed outcome:str? "
     "opened_at:time? follow_through_days:int ends_at:time? closed_at:time? "
     "acknowledgement:{text:str responsibility:str at:time?}? amends_agreed_at:time? "
     "commitments:[{id:id text:str? state:str due_at:time? closed_at:time?}] kept:int "
     "broken:int open:int dropped:int checkins_held:int trust:{index:int? index_value:num "
     "label:str uncertainty:num p_int:num int_capped:bool} practice:{id:int slug:str "
     "title:str}?}",
     "A repair plan (render_repair_plan)."},
    {"Warning",
     "{id:id code:str severity:str party:id? components:[str] since:time? evidence:obj "
     "practice:str?}",
     "An early warning; evidence holds figures and row ids, never text (render_warning)."},
    {"Session", "{token:str csrf_token:str person:Person}",
     "A new session: its token, its CSRF token and who signed in."},
    {"Suppressed", "{suppressed:bool reason:str}",
     "A figure left out because too few people are behind it (k-anonymity)."},
    {"HealthGroup",
     "{kind:=program,guide id:id name:str? relationships:int trust_index:Suppressed|{"
     "relationships:int directions:int mean:num p25:num median:num p75:num} "
     "warnings:Suppressed|<num> cadence_adherence:Suppressed|HealthRate "
     "follow_through:Suppressed|HealthRate pulse:Suppressed|{mean:num raters:int "
     "trend:Suppressed|HealthTrend items:<Suppressed|num>}}",
     "A program's or a guide's k-anonymous figures (GET /programs/{id}/health)."},
    {"HealthRate", "{value:num relationships:int trend:Suppressed|HealthTrend}", NULL},
    {"HealthTrend", "{previous:num change:num}", NULL},
    {"ExportedRelationship",
     "{" RENDER_REL_MEMBERS " my_role:=guide,learner events:[Event] "
     "agreement_versions:[AgreementVersion] checkins:[Checkin] commitments:[Commitment] "
     "goals:[Goal] goal_reviews:[GoalReview] requests:[Request] feedback:[Feedback] "
     "notes:[Note] my_pulses:[Pulse] incidents:[Incident] repair_plans:[RepairPlan] "
     "warnings:[Warning]}",
     "A relationship in the export, with all of its content the person may see."},
    {"Practice", "{id:id slug:str title:str summary:str questions:[str] warnings:[str]}",
     "A practice of the library."},
    {"TrustDirection",
     "{from:id to:id about:str index:int? index_value:num label:str label_code:str "
     "uncertainty:num trend:num declining:bool int_capped:bool components:<{p:num u:num "
     "low:num high:num trend:num evidence:[{sentence:str event:id? delta:num reason:str "
     "at:time?}]}>}",
     "Trust of one party in the other: the index, its label and its components."},
    {"MailPreferences",
     "{time_zone:str quiet_from:str? quiet_to:str? off:[str] kinds:[str] digest:bool}",
     "When mail may come and which kinds are off (routes_mail.c, render_prefs)."},
    {"CalendarFeed", "{active:bool created_at?:time? url?:str}",
     "The calendar feed; its URL only when just made (routes_mail.c, render_feed)."},
    /* ---- 360 feedback (routes_feedback360.c) and the alumni network (routes_alumni.c) ---- */
    {"Feedback360Item", "{code:str component:str statement:str}",
     "An item of the 360 questionnaire: its code, its trust component and its statement."},
    {"Feedback360Summary",
     "{id:id program_id:id created_at:time deadline:time state:=open,closed closed_at:time? "
     "raters_asked:int report_ready:bool shared_relationship_id:id?}",
     "A 360 request as its requester lists it (render_summary)."},
    {"Feedback360Request",
     "{id:id program_id:id created_at:time deadline:time state:=open,closed closed_at:time? "
     "raters_asked:int report_ready:bool shared_relationship_id:id? purpose:str self:[int?] "
     "items:[Feedback360Item] shared_with:str? raters:[{person_id:id? name:str? "
     "group:=guide,peers,colleagues,others outside:bool}] mailed?:[{email:str "
     "group:=peers,colleagues,others}]}",
     "A 360 request as its requester sees it: who was asked, never who answered (an outside "
     "rater without a name or address); self holds the requester's own ratings (null: can't "
     "say); mailed, the outside raters' addresses that were mailed a one-time link, only in "
     "the answer that creates it (render_view; the links themselves only in the mails)."},
    {"Feedback360Ask",
     "{id:id requester:str purpose:str deadline:time open:bool "
     "state:=invited,answered,declined,closed group:=guide,peers,colleagues,others may_sign:bool "
     "items:[Feedback360Item]}",
     "A 360 request as a rater sees it, with the rater's own state (render_ask)."},
    {"Feedback360Report",
     "{request_id:id k:int items:[Feedback360Item] groups:[{group:=all,guide,peers,colleagues,"
     "others items:[{code:str mean:num}|{code:str suppressed:bool reason:str}] "
     "merged_into?:=others answers?:int}] signed:[{group:=guide person_id:id name:str "
     "ratings:[int?] keep:str change:str}] self:[int?] gaps:[{code:str self:int others:num "
     "gap:num}] reflection:[{code:str statement:str practice:{id:int slug:str title:str "
     "summary:str questions:[str]}}] open_answers:Suppressed|{keep:[str] change:[str]} "
     "answers?:int}",
     "A closed request's report, built once when it closed: means per group and item, each "
     "shown only with at least k raters behind it; a group too small is merged into others; "
     "the guide's signed answers apart; the open answers in random order, only with k raters "
     "(app/feedback360/requests.c, build_report)."},
    {"Feedback360Counts",
     "{program_id:id k:int requests:Suppressed|int completed:Suppressed|int}",
     "A program's 360 requests and completed requests, k-anonymous."},
    {"ExportedFeedback360",
     "{id:id created_at:time purpose:str raters:[{name:str? group:=guide,peers,colleagues,"
     "others}] deadline:time report:Feedback360Report?}",
     "A 360 request of the caller in the export; report null while open."},
    {"Alumnus",
     "{id:id mine:bool name:str? topics:str? contact_person_id:id? guiding:bool "
     "consent?:{show_name:bool show_topics:bool show_contact:bool}}",
     "An entry of an alumni directory: each field null unless its owner shows it; consent "
     "only on the caller's own entry (render_alumnus)."},
    {"ExportedAlumnus",
     "{program_id:id joined_at:time show_name:bool show_topics:bool show_contact:bool "
     "topics:str guiding_since:time?}",
     "The caller's entry in a program's alumni network, in the export."},
    {"LongTerm",
     "{relationship_id:id wants:{guide:bool learner:bool} on:bool cadence_days:int "
     "my_last_pulse_at:time? next_due_at:time? default_days:int cadence_agreed_at:time? "
     "proposal:{days:int by_me:bool at:time}?}",
     "Long-term check-ins of a former relationship: who wants them, whether they are on, the "
     "cadence (the pair's once both agreed it, cadence_agreed_at; else the program's value, "
     "default_days), a proposal waiting for the other's agreement, and when the caller's next "
     "short pulse is due (render_long_term)."},
    {"CircleProposalSummary", "{" CIRCLE_PROPOSAL_MEMBERS "}",
     "A circle proposal as it was asked for (routes_circle_proposals.c)."},
    {"CircleProposal",
     "{" CIRCLE_PROPOSAL_MEMBERS " summary:{pool:int target:int circles:int placed:int "
     "unplaced:int total:int seeded_total:int passes:int converged:bool swaps:int created:int "
     "skipped:int} circles:[{slot:int name:str members:[CircleProposalPerson] "
     "facilitator:CircleProposalPerson? score:int drafted_score:int parts:{topics:int? "
     "availability:int? overlap_minutes:int shared_topics:int} fits:bool why:str? "
     "circle_id:id?}] unplaced:[CircleProposalPerson] at:time?}",
     "The matcher's draft of circles with each circle's score and why, as the program stands "
     "when read; no attribute, wish or block of anyone (render_proposal)."},
    {"CircleProposalPerson", "{person_id:id name:str?}", "A person of a circle proposal."},
    {"CircleSummary", "{" CIRCLE_SUMMARY_MEMBERS "}",
     "A peer circle without its members (render_circle_summary)."},
    {"Circle", "{" CIRCLE_MEMBERS "}",
     "A peer circle with its members, the caller's role and its counts (render_circle)."},
    {"CircleEvent",
     "{id:id kind:str actor_id:id? subject_id:id? at:time? from_state:str? to_state:str?}",
     "An event of a circle's history (GET /circles/{id}/events)."},
    {"CircleAgreement",
     "{version:int cadence_days:int text:str created_at:time? acknowledged_by:[id] "
     "in_force:bool}",
     "A version of a circle's working agreement (render_circle_agreement)."},
    {"CircleCheckin",
     "{id:id circle_id:id held_at:time? attendance:[{person_id:id "
     "status:" CIRCLE_ATTENDANCE "}]}",
     "A circle's meeting and who came to it (render_circle_checkin)."},
    {"CircleCommitment",
     "{" CIRCLE_ITEM_MEMBERS("commitment") " due_at:time? status:str? closed_at:time?}",
     "A commitment made in a circle; status open until it is closed (render_circle_item)."},
    {"CircleRequest", "{" CIRCLE_ITEM_MEMBERS("request") " replies?:[CircleReply]}",
     "A request made in a circle; listed with the replies the caller may read "
     "(render_circle_item)."},
    {"CircleReply", "{" CIRCLE_ITEM_MEMBERS("reply") " request_id:id?}",
     "A reply to a circle's request (render_circle_item)."},
    {"CircleFeedback",
     "{" CIRCLE_ITEM_MEMBERS("feedback") " to_id:id? kind:str? focus:str?}",
     "Feedback one member gives another in a circle (render_circle_item)."},
    {"CircleNote", "{" CIRCLE_ITEM_MEMBERS("note") " visibility:=private,shared}",
     "A note written in a circle (render_circle_item)."},
    {"CircleGoal", "{" CIRCLE_ITEM_MEMBERS("goal") " status:str? closed_at:time?}",
     "A goal set in a circle; status active until it is closed (render_circle_item)."},
    {"CircleIncident",
     "{" CIRCLE_ITEM_MEMBERS("incident") " kind:str? concerning_id:id? "
     "state:=reported,acknowledged,resolved acknowledged_at:time? resolved_at:time? "
     "repair_plan_id:id?}",
     "An incident reported in a circle, concerning a member or none; acknowledged by the "
     "member concerned, which opens their repair plan (render_circle_item)."},
    {"CircleRepairPlan",
     "{id:id incident_id:id circle_id:id party_id:id state:=open,closed "
     "outcome:=repaired,not_repaired,ended_by_circle? opened_at:time? follow_through_days:int "
     "ends_at:time? closed_at:time? acknowledgement:{text:str? responsibility:str? at:time?}? "
     "amends_agreed_at:time? commitments:[CircleCommitment] kept:int broken:int open:int "
     "dropped:int checkins_held:int}",
     "The repair plan of a member who acknowledged an incident in a circle "
     "(routes_circle_repair.c)."},
    {"CircleGoalReview",
     "{id:id circle_id:id member_id:id reviewer_id:id at:time? t_score:num levels:<int>}",
     "A review of a member's goals in a circle, levels -2..+2 by goal id, with its GAS T score "
     "(routes_circle_repair.c)."},
    {"CircleItem",
     "CircleCommitment|CircleRequest|CircleReply|CircleFeedback|CircleNote|CircleGoal|"
     "CircleIncident",
     "Anything a member writes in a circle, told apart by its type (render_circle_item)."},
    {"CirclePulse",
     "{mine:{" CIRCLE_PULSE_ITEMS("int") "}? circle:{" CIRCLE_PULSE_ITEMS("num?") "}? raters:int "
     "min_raters:int}",
     "The caller's pulse answers and the circle's means, shown only once min_raters have "
     "answered (render_circle_pulse)."},
    {"CircleTrustDirection",
     "{index:int uncertainty:num label:str components:{REL:" CIRCLE_TRUST_COMP
     " INT:" CIRCLE_TRUST_COMP " COM:" CIRCLE_TRUST_COMP " EMP:" CIRCLE_TRUST_COMP "} "
     "explanation:[{component:=REL,INT,COM,EMP reason:str sentence:str delta:num at:time?}]}",
     "Trust in one direction between the caller and a circle (routes_circles.c, "
     "render_direction)."},
    {"CircleWarning",
     "{code:str sentence:str member_id:id? anonymous:bool shared:bool practice:{id:int slug:str "
     "title:str}? questions:[str] figure:num}",
     "An early warning of a circle (GET /circles/{id}/warnings)."},
    {"ExportedCircle",
     "{" CIRCLE_MEMBERS " agreement:CircleAgreement? checkins:[CircleCheckin] items:[CircleItem] "
     "pulse:CirclePulse?}",
     "A circle in the export, with all of its content the person may see."},
    /* ---- matching (routes_matching.c renders these) ---- */
#define MATCH_RUN_MEMBERS                                                                          \
  "id:id program_id:id state:=draft,published mode:=total,fairness created_by:id? "                \
  "created_at:time? solved_at:time? published_at:time?"
#define MATCH_PARTS(t) "topics:" t " availability:" t " language:" t " attributes:" t " experience:" t
#define MATCH_BANDS(t) "0-49:" t " 50-59:" t " 60-69:" t " 70-79:" t " 80-100:" t
    {"MatchNamed", "{id:id name:str}", "A topic or an attribute of a program (render_named)."},
    {"MatchProfile",
     "{program_id:id person_id:id name:str? learner:bool guide:bool languages:[str] "
     "time_zone:str about:str wants:[id] offers:[id] windows:[{start:int end:int}] "
     "updated_at:time? capacity?:int taking_new?:bool attributes?:[{attribute_id:id name:str "
     "value:str? wish:=similar,different,none}] blocks?:[id] manager_email?:str?}",
     "A member's matching profile; capacity and taking_new for guides, attributes and blocks "
     "for the person's own, manager_email for the person's own or when set "
     "(http_render_match_profile)."},
    {"MatchParts",
     "{topics:int? availability:int? language:int? attributes?:int? experience:int?}",
     "The parts of a score, null where a part does not apply (render_parts)."},
    {"MatchSettings",
     "{weights:{" MATCH_PARTS("int") "} min_overlap_minutes:int mode:=total,fairness "
     "request_window_hours:int}",
     "A program's matching settings (render_settings)."},
    {"MatchRunSummary", "{" MATCH_RUN_MEMBERS "}", "A matching run (render_run_summary)."},
    {"MatchRun",
     "{" MATCH_RUN_MEMBERS " summary:{learners:int matched:int unmatched:int total:int "
     "minimum:int distribution:{" MATCH_BANDS("int") "} greedy_total:int blocking_pairs:int} "
     "pairs:[{learner_id:id learner_name:str? guide_id:id guide_name:str? score:int "
     "locked:bool parts:MatchParts why:str?}] unmatched:[{learner_id:id name:str? "
     "reason:=fit,self,blocked,conflict_of_interest,past_incident,excluded,not_taking_new,"
     "no_shared_language,too_little_overlap,capacity guides_ruled_out:<int>}] at:time? "
     "published?:int}",
     "A matching run with its pairs and the learners left unmatched; published, the "
     "relationships a publication started, only in its answer (render_run)."},
    {"Suggestion",
     "{guide_id:id name:str? about:str languages:[str] offers:[id] score:int parts:MatchParts "
     "why:str?}",
     "A guide suggested to a learner, with the score's parts (routes_matching.c)."},
    {"MatchRequest",
     "{id:id program_id:id learner_id:id learner_name:str? guide_id:id guide_name:str? "
     "state:=pending,accepted,declined,withdrawn,expired score:int created_at:time? "
     "due_at:time? answered_at:time? relationship_id:id?}",
     "A learner's request to a guide (http_render_match_request)."},
    {"ExitAnswer", "{reasons:[=topics,availability,style,chemistry] answered:bool}",
     "Why a relationship ended, as one party answered (render_exit)."},
    {"MatchSuppressed", "{suppressed:bool reason:str units:int}",
     "A matching figure left out because too few relationships are behind it (render_figure)."},
    {"MatchLearning",
     "{program_id:id k:int as_of:time? matched_before:time? after_days:int relationships:int "
     "score:MatchCorrelation parts:{" MATCH_PARTS("MatchCorrelation") "} bands:{"
     MATCH_BANDS("MatchSuppressed|{mean_trust_index:num relationships:int}") "}}",
     "How well a program's match scores foretold trust, in k-anonymous figures."},
    {"MatchCorrelation",
     "MatchSuppressed|{r:num low:num high:num relationships:int}",
     "A correlation with its interval (render_figure)."},
#undef MATCH_RUN_MEMBERS
#undef MATCH_PARTS
#undef MATCH_BANDS
    {NULL, NULL, NULL},
};
