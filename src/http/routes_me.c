/* routes_me.c: your data: the password re-check, the export, deleting my
 * account and deleting a relationship (app/yourdata/yourdata.c).
 *
 *   POST   /api/v1/session/confirm   {password} -> 200 {confirmed_until}
 *   GET    /api/v1/me/export         -> 200 the export, as an attachment
 *   DELETE /api/v1/me                -> 204 (the session cookie cleared)
 *   DELETE /api/v1/relationships/{id} -> 204
 *
 * The export shows every object exactly as the area's own route does (one
 * renderer per object, http/render.h), so a person can read it alongside
 * the API documentation.
 */
#include "app/privacy/privacy.h"
#include "app/yourdata/yourdata.h"
#include "base/log.h"
#include "http/http.h"

/* ---- the password re-check ---- */

static rp_rc session_confirm(http_req *r, rp_err *e) {
  static const char *const fields[] = {"password", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *password = jin_text(&j, "password", true, 1024);
  if (e->rc) return e->rc;
  rp_time until = 0;
  const char *address = http_client_address(r);
  rp_rc rc = app_session_confirm(&r->app, password, address, &until, e);
  if (rc) { /* throttling is logged by app/people/auth.c */
    if (rc != RP_ERR_RATE)
      log_warn("security event=password_recheck outcome=failure reason=%s person=%lld address=%s",
               e->code, (long long)r->app.actor, address ? address : "unknown");
    return rc;
  }
  r->out = json_pack("{s:o}", "confirmed_until", jt_time(until));
  return RP_OK;
}

/* ---- the export ----
 *
 * Every object is rendered by the same function (http/render.h) as the
 * route that shows it, so the export shows each exactly as the API does.
 */

static json_t *export_relationship(const app_export_rel *x, int64_t me) {
  json_t *o = render_my_relationship(&x->rel, me);
  json_t *arr;
#define ADD(key, fn, rows, n)                                                                   \
  arr = json_array();                                                                           \
  for (size_t i = 0; i < (n); i++) json_array_append_new(arr, fn(&(rows)[i]));                  \
  json_object_set_new(o, key, arr)
  ADD("events", render_event, x->events, x->nevents);
  ADD("agreement_versions", render_agreement_version, x->agreements, x->nagreements);
  ADD("checkins", render_checkin, x->checkins, x->ncheckins);
  ADD("commitments", render_commitment, x->commitments, x->ncommitments);
  ADD("goals", render_goal, x->goals, x->ngoals);
  ADD("goal_reviews", render_goal_review, x->reviews, x->nreviews);
  ADD("requests", render_request, x->requests, x->nrequests);
  ADD("feedback", render_feedback, x->feedback, x->nfeedback);
  ADD("notes", render_note, x->notes, x->nnotes);
  ADD("my_pulses", render_pulse, x->pulses, x->npulses);
  ADD("incidents", render_incident, x->incidents, x->nincidents);
  ADD("repair_plans", render_repair_plan, x->repairs, x->nrepairs);
  ADD("warnings", render_warning, x->warnings, x->nwarnings);
#undef ADD
  return o;
}

static json_t *export_circle(const app_export_circle *x) {
  json_t *o = render_circle(&x->circle);
  json_object_set_new(o, "agreement", x->has_agreement ? render_circle_agreement(&x->agreement)
                                                       : json_null());
  json_t *arr = json_array();
  for (size_t i = 0; i < x->ncheckins; i++)
    json_array_append_new(arr, render_circle_checkin(&x->checkins[i]));
  json_object_set_new(o, "checkins", arr);
  arr = json_array();
  for (size_t i = 0; i < x->nitems; i++) json_array_append_new(arr, render_circle_item(&x->items[i]));
  json_object_set_new(o, "items", arr);
  json_object_set_new(o, "pulse", x->has_pulse ? render_circle_pulse(&x->pulse) : json_null());
  return o;
}

/* GET /me/export: {format, exported_at, person, site_admin, programs,
 * sessions, relationships: [...], circles: [...], access_log: [...], matching:
 * {profiles, requests}, feedback360: [...], alumni: [...], sign_in: {sso_only,
 * identities: [...]}}, sent as a file to save. */
static rp_rc export_get(http_req *r, rp_err *e) {
  app_export x;
  rp_rc rc = app_export_mine(&r->app, &x, e);
  if (rc) return rc;
  json_t *programs = json_array(), *sessions = json_array(), *rels = json_array();
  for (size_t i = 0; i < x.me.nroles; i++)
    json_array_append_new(programs, render_program_role(&x.me.roles[i]));
  for (size_t i = 0; i < x.nsessions; i++)
    json_array_append_new(sessions, render_session_meta(&x.sessions[i]));
  for (size_t i = 0; i < x.nrels; i++)
    json_array_append_new(rels, export_relationship(&x.rels[i], x.me.who.id));
  json_t *circles = json_array();
  for (size_t i = 0; i < x.ncircles; i++) json_array_append_new(circles, export_circle(&x.circles[i]));
  json_t *access = json_array();
  for (size_t i = 0; i < x.naccess; i++)
    json_array_append_new(access, render_access_entry(&x.access[i]));
  json_t *profiles = json_array(), *requests = json_array();
  for (size_t i = 0; i < x.nmatch_profiles; i++)
    json_array_append_new(profiles, http_render_match_profile(&x.match_profiles[i]));
  for (size_t i = 0; i < x.nmatch_requests; i++)
    json_array_append_new(requests, http_render_match_request(&x.match_requests[i]));
  r->out = json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}}", "format",
                     "rapport-export/1", "exported_at", jt_time(x.at), "person",
                     render_person(&x.me.who), "site_admin", x.me.who.is_site_admin, "programs",
                     programs, "sessions", sessions, "relationships", rels, "circles", circles, "access_log", access,
                     "matching", "profiles", profiles, "requests", requests);
  json_t *f360 = json_array(), *alumni = json_array();
  for (size_t i = 0; i < x.nf360; i++) {
    const app_f360_view *v = &x.f360[i];
    json_t *raters = json_array();
    for (size_t k = 0; k < v->nraters; k++)
      json_array_append_new(raters, json_pack("{s:o, s:s}", "name", jt_str(v->names[k]), "group",
                                              f360_group_name(v->raters[k].group)));
    json_error_t err;
    json_t *rep = x.f360_reports[i] ? json_loads(x.f360_reports[i], 0, &err) : NULL;
    json_array_append_new(f360, json_pack("{s:I, s:o, s:s, s:o, s:o, s:o}", "id",
                                          (json_int_t)v->row.id, "created_at",
                                          jt_time(v->row.created_at), "purpose", v->purpose,
                                          "raters", raters, "deadline", jt_time(v->row.deadline),
                                          "report", rep ? rep : json_null()));
  }
  for (size_t i = 0; i < x.nalumni; i++) {
    const store_alumnus *a = &x.alumni[i];
    json_array_append_new(alumni, json_pack("{s:I, s:o, s:b, s:b, s:b, s:s, s:o}", "program_id",
                                            (json_int_t)a->program_id, "joined_at",
                                            jt_time(a->joined_at), "show_name", a->show_name,
                                            "show_topics", a->show_topics, "show_contact",
                                            a->show_contact, "topics", a->topics,
                                            "guiding_since", jt_time(a->guiding_since)));
  }
  json_object_set_new(r->out, "feedback360", f360);
  json_object_set_new(r->out, "alumni", alumni);
  json_t *identities = json_array();
  for (size_t i = 0; i < x.nidentities; i++)
    json_array_append_new(identities,
                          json_pack("{s:I, s:s, s:s, s:o}", "provider_id",
                                    (json_int_t)x.identities[i].provider_id, "provider",
                                    x.identities[i].provider_name, "subject",
                                    x.identities[i].subject, "linked_at",
                                    jt_time(x.identities[i].linked_at)));
  json_object_set_new(r->out, "sign_in", json_pack("{s:b, s:o}", "sso_only", x.sso_only,
                                                   "identities", identities));
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
  r->set_cookie = http_session_cookie(r, NULL);
  return RP_OK;
}

static rp_rc relationship_delete(http_req *r, rp_err *e) {
  return app_relationship_delete(&r->app, r->id[0], e);
}

/* clang-format off */
const http_route http_routes_me[] = {
    {"POST", "/api/v1/session/confirm", session_confirm, HTTP_SIGNED_IN,
     {.summary = "Confirms the password again before a sensitive step.",
      .body = "{password:str}",
      .status = 200, .answer = "{confirmed_until:time}", .problems = "429"}},
    {"GET", "/api/v1/me/export", export_get, HTTP_EXPORTS_TEXT,
     {.summary = "Everything Rapport holds of the caller, as one download.",
      .status = 200, .answer = "{format:str exported_at:time? person:Person site_admin:bool "
      "programs:[ProgramRole] sessions:[SessionMeta] relationships:[ExportedRelationship] "
      "circles:[ExportedCircle] access_log:[AccessEntry] "
      "matching:{profiles:[MatchProfile] requests:[MatchRequest]} "
      "feedback360:[ExportedFeedback360] alumni:[ExportedAlumnus] "
      "sign_in:{sso_only:bool identities:[{provider_id:id provider:str subject:str "
      "linked_at:time}]}}"}},
    {"DELETE", "/api/v1/me", me_delete, HTTP_SIGNED_IN,
     {.summary = "Deletes the caller's account.",
      .status = 204, .problems = "409"}},
    {"DELETE", "/api/v1/relationships/{id}", relationship_delete, HTTP_SIGNED_IN,
     {.summary = "Deletes a relationship and its content.",
      .status = 204, .problems = "409"}},
    {0}, /* the end */
};
/* clang-format on */
