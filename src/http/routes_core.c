/* routes_core.c: sessions, me, programs, members and relationships. */
#include "http/http.h"
#include "base/log.h"

#include <microhttpd.h>
#include <string.h>

/* ---- sessions ---- */




static rp_rc session_create(http_req *r, rp_err *e) {
  static const char *const fields[] = {"email", "password", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *email = jin_text(&j, "email", true, 254);
  const char *password = jin_text(&j, "password", true, 1024);
  if (e->rc) return e->rc;
  app_session s;
  /* The token of an earlier session, if the client sent one, ends with
   * this sign-in (app_login). */
  app_device dev = http_device(r);
  rp_rc rc = app_login(&r->app, email, password, http_client_address(r), r->token, &dev, &s, e);
  if (rc) return rc;
  http_signed_in(r, &s);
  return RP_OK;
}

/* The client address for the log, "unknown" when there is none. */
static const char *log_address(http_req *r) {
  const char *a = http_client_address(r);
  return a ? a : "unknown";
}

/* DELETE /session: 204; or, for a session signed in through a provider
 * that offers RP-initiated logout, 200 {logout_url} for the browser to
 * follow. The session has ended either way. */
static rp_rc session_delete(http_req *r, rp_err *e) {
  const char *logout_url = NULL;
  rp_rc rc = app_sso_sign_out(&r->app, r->token, &logout_url, e);
  r->set_cookie = http_session_cookie(r, NULL);
  if (!rc)
    log_info("security event=session_ended how=sign_out person=%lld address=%s",
             (long long)r->app.actor, log_address(r));
  if (!rc && logout_url) r->out = json_pack("{s:s}", "logout_url", logout_url);
  return rc;
}

/* GET /me/sessions: {items: [{id, created_at, last_seen_at, current}], next}. */
static rp_rc sessions_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_session *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_sessions_list(&r->app, r->token, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_session_meta(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* DELETE /me/sessions/{id}: 204; 404 unless it is the caller's; 403
 * "password_check_needed" unless it is the current one or the password was
 * re-checked lately (POST /session/confirm). Ending the current one signs
 * out (the cookie cleared). */
static rp_rc session_end(http_req *r, rp_err *e) {
  bool current = false;
  rp_rc rc = app_session_end(&r->app, r->id[0], &current, e);
  if (rc) return rc;
  if (current) r->set_cookie = http_session_cookie(r, NULL);
  log_info("security event=session_ended how=%s person=%lld session=%lld address=%s",
           current ? "sign_out" : "ended_by_owner", (long long)r->app.actor,
           (long long)r->id[0], log_address(r));
  return RP_OK;
}

/* DELETE /me/sessions: ends all but the current one; {ended: n}; 403
 * "password_check_needed" unless the password was re-checked lately. */
static rp_rc sessions_end_others(http_req *r, rp_err *e) {
  int64_t ended = 0;
  rp_rc rc = app_sessions_end_others(&r->app, r->token, &ended, e);
  if (rc) return rc;
  log_info("security event=session_ended how=others_ended_by_owner person=%lld count=%lld "
           "address=%s",
           (long long)r->app.actor, (long long)ended, log_address(r));
  r->out = json_pack("{s:I}", "ended", (json_int_t)ended);
  return RP_OK;
}

static rp_rc invitation_accept(http_req *r, rp_err *e) {
  static const char *const fields[] = {"token", "password", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *token = jin_text(&j, "token", true, 64);
  const char *password = jin_text(&j, "password", true, 1024);
  if (e->rc) return e->rc;
  app_session s;
  app_device dev = http_device(r);
  rp_rc rc = app_invitation_accept(&r->app, token, password, &dev, &s, e);
  if (rc) return rc;
  http_signed_in(r, &s);
  return RP_OK;
}

/* ---- me ---- */

static rp_rc me_get(http_req *r, rp_err *e) {
  app_me me;
  rp_rc rc = app_me_get(&r->app, &me, e);
  if (rc) return rc;
  json_t *programs = json_array(), *rels = json_array();
  for (size_t i = 0; i < me.nroles; i++)
    json_array_append_new(programs, render_program_role(&me.roles[i]));
  for (size_t i = 0; i < me.nrels; i++)
    json_array_append_new(rels, render_my_relationship(&me.rels[i], me.who.id));
  r->out = json_pack("{s:o, s:b, s:o, s:o}", "person", render_person(&me.who), "site_admin",
                     me.who.is_site_admin, "programs", programs, "relationships", rels);
  /* The web client keeps the CSRF token in memory only, so after a reload
   * it asks again here (same-origin: other sites cannot read it). */
  char csrf[44];
  app_csrf_for(&r->app, r->token, csrf);
  json_object_set_new(r->out, "csrf_token", json_string(csrf));
  return RP_OK;
}

/* ---- programs ---- */

static rp_rc program_create(http_req *r, rp_err *e) {
  static const char *const fields[] = {"name", "kind", "settings", "at", NULL};
  static const char *const kinds[] = {"mentoring", "coaching", NULL};
  static const char *const sfields[] = {"cadence_days", "reply_window_hours", "pulse_every_days",
                                        "k_anonymity", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *name = jin_text(&j, "name", true, PROGRAM_NAME_MAX);
  int kind = jin_enum(&j, "kind", true, kinds);
  json_t *settings = jin_object(&j, "settings", false);
  rp_time at;
  bool has_at = jin_time(&j, "at", false, &at);
  program_settings ps;
  program_settings_default(kind == 1 ? PROGRAM_COACHING : PROGRAM_MENTORING, &ps);
  if (settings) {
    jin sj;
    int64_t v;
    jin_start(&sj, settings, "/settings", sfields, r->app.a, e);
    if (jin_int(&sj, "cadence_days", false, INT32_MIN, INT32_MAX, &v)) ps.cadence_days = (int)v;
    if (jin_int(&sj, "reply_window_hours", false, INT32_MIN, INT32_MAX, &v))
      ps.reply_window_hours = (int)v;
    if (jin_int(&sj, "pulse_every_days", false, INT32_MIN, INT32_MAX, &v))
      ps.pulse_every_days = (int)v;
    if (jin_int(&sj, "k_anonymity", false, INT32_MIN, INT32_MAX, &v)) ps.k_anonymity = (int)v;
  }
  if (e->rc) return e->rc;
  program p;
  rp_rc rc = app_program_create(&r->app, name, kind == 1 ? PROGRAM_COACHING : PROGRAM_MENTORING,
                                &ps, has_at ? &at : NULL, &p, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_program(&p);
  return RP_OK;
}

static rp_rc program_get(http_req *r, rp_err *e) {
  program p;
  rp_rc rc = app_program_get(&r->app, r->id[0], &p, e);
  if (rc) return rc;
  r->out = render_program(&p);
  return RP_OK;
}

static rp_rc member_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"email", "name", "role", NULL};
  static const char *const roles[] = {"admin", "guide", "learner", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *email = jin_text(&j, "email", true, PERSON_EMAIL_MAX);
  const char *name = jin_text(&j, "name", true, PERSON_NAME_MAX);
  int role = jin_enum(&j, "role", true, roles);
  if (e->rc) return e->rc;
  app_enrolled out;
  rp_rc rc = app_program_enroll(&r->app, r->id[0], email, name, (member_role)role, &out, e);
  if (rc) return rc;
  r->status = 201;
  r->out = json_pack("{s:I, s:s, s:b}", "person_id", (json_int_t)out.person_id, "role",
                     member_role_name(out.role), "invited", out.invited);
  return RP_OK;
}

static rp_rc member_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_member *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_program_members(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *m = render_person(&items[i].who);
    json_object_set_new(m, "role", json_string(member_role_name(items[i].role)));
    json_object_set_new(m, "since", jt_time(items[i].since));
    json_object_set_new(m, "invited", json_boolean(!items[i].who.has_password));
    json_array_append_new(arr, m);
  }
  r->out = jt_page(arr, next);
  return RP_OK;
}

static json_t *render_rel_list(const relationship *items, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_relationship(&items[i]));
  return arr;
}

static rp_rc program_relationships(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  relationship *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_program_relationships(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  r->out = jt_page(render_rel_list(items, n), next);
  return RP_OK;
}

/* ---- relationships ---- */

static rp_rc relationship_propose(http_req *r, rp_err *e) {
  static const char *const fields[] = {"program_id", "guide_id", "learner_id", "at", NULL};
  jin j;
  int64_t program_id = 0, guide = 0, learner = 0;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "program_id", true, &program_id);
  jin_id(&j, "guide_id", true, &guide);
  jin_id(&j, "learner_id", true, &learner);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  relationship rel;
  rp_rc rc = app_relationship_propose(&r->app, program_id, guide, learner, has_at ? &at : NULL, &rel, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_relationship(&rel);
  return RP_OK;
}

static rp_rc relationship_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  relationship *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_relationships_mine(&r->app, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  r->out = jt_page(render_rel_list(items, n), next);
  return RP_OK;
}

static const char *role_name(rel_role role) {
  switch (role) {
  case REL_ROLE_GUIDE: return "guide";
  case REL_ROLE_LEARNER: return "learner";
  case REL_ROLE_ADMIN: return "admin";
  case REL_ROLE_SYSTEM:
  case REL_ROLE_NONE: return NULL;
  }
  return NULL;
}

/* {id: .., name: ..}: who a party is, for the other one. */
static void party(jout *w, const char *key, int64_t id, const char *name) {
  jout_object(w, key);
  jout_int(w, "id", id);
  jout_str(w, "name", name);
  jout_close(w);
}

/* The most frequent read: written straight to text (jout), no tree. */
static rp_rc relationship_get(http_req *r, rp_err *e) {
  app_rel_view v;
  rp_rc rc = app_relationship_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  const store_rel_counts *n = &v.counts;
  jout w;
  jout_text(&w);
  jout_object(&w, NULL);
  render_relationship_members(&w, &v.rel);
  jout_str(&w, "my_role", role_name(v.my_role));
  jout_object(&w, "counts");
  jout_int(&w, "checkins_held", n->checkins_held);
  jout_int(&w, "checkins", n->checkins_total);
  jout_int(&w, "commitments_open", n->commitments_open);
  jout_int(&w, "commitments", n->commitments_total);
  jout_int(&w, "goals", n->goals);
  jout_int(&w, "notes", n->notes);
  jout_int(&w, "feedback", n->feedback);
  jout_int(&w, "requests", n->requests);
  jout_close(&w);
  jout_object(&w, "agreement");
  jout_int(&w, "latest_version", n->agreement_latest);
  jout_int(&w, "in_force_version", n->agreement_in_force);
  jout_close(&w);
  if (v.guide_name && v.learner_name) { /* parties only: who the other one is */
    party(&w, "guide", v.rel.guide_id, v.guide_name);
    party(&w, "learner", v.rel.learner_id, v.learner_name);
  }
  jout_close(&w);
  r->out_text = jout_text_end(&w);
  if (!r->out_text)
    return rp_fail(e, RP_ERR_INTERNAL, "internal", "The relationship could not be encoded.");
  return RP_OK;
}

static rp_rc relationship_transition(http_req *r, rp_err *e) {
  static const char *const fields[] = {"to", "reason", "at", NULL};
  static const char *const targets[] = {"active", "declined", "paused", "completed",
                                        "alumni", "ended",    NULL};
  jin j;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int to = jin_enum(&j, "to", true, targets);
  const char *reason = jin_text(&j, "reason", false, 2000);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  rel_state target;
  rel_state_parse(targets[to], &target);
  relationship rel;
  rp_rc rc = app_relationship_transition(&r->app, r->id[0], target, reason, has_at ? &at : NULL,
                                         &rel, e);
  if (rc) return rc;
  r->out = render_relationship(&rel);
  return RP_OK;
}

static rp_rc relationship_events(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_event_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_relationship_events(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_event(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc api_root(http_req *r, rp_err *e) {
  (void)e;
  r->out = json_pack("{s:s, s:s}", "name", "Rapport", "api", "/api/v1");
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_core[] = {
    {"GET", "/api/v1", api_root, HTTP_PUBLIC,
     {.summary = "The API's root.",
      .status = 200, .answer = "{name:str api:str}"}},
    {"POST", "/api/v1/session", session_create, HTTP_PUBLIC,
     {.summary = "Signs in; the token and CSRF token of a new session.",
      .body = "{email:str password:str}",
      .status = 201, .answer = "Session", .problems = "401 429"}},
    {"DELETE", "/api/v1/session", session_delete, HTTP_SIGNED_IN,
     {.summary = "Signs out (ends this session); for a session signed in through a provider "
      "that offers RP-initiated logout, 200 with the provider's logout URL for the browser to "
      "follow (id_token_hint, client_id, post_logout_redirect_uri to the sign-in page, state).",
      .status = 204, .also = 200, .also_answer = "{logout_url:str}"}},
    {"POST", "/api/v1/invitations/accept", invitation_accept, HTTP_PUBLIC,
     {.summary = "Accepts an invitation by setting a password; signs in.",
      .body = "{token:str password:str}",
      .status = 201, .answer = "Session", .problems = "404 429"}},
    {"GET", "/api/v1/me", me_get, HTTP_SIGNED_IN,
     {.summary = "The caller, their programs and relationships.",
      .status = 200, .answer = "{person:Person site_admin:bool programs:[ProgramRole] "
      "relationships:[MyRelationship] csrf_token:str}"}},
    {"GET", "/api/v1/me/sessions", sessions_list, HTTP_SIGNED_IN,
     {.summary = "The caller's sessions (metadata only).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("SessionMeta")}},
    {"DELETE", "/api/v1/me/sessions", sessions_end_others, HTTP_SIGNED_IN,
     {.summary = "Ends every session of the caller but this one.",
      .status = 200, .answer = "{ended:int}"}},
    {"DELETE", "/api/v1/me/sessions/{id}", session_end, HTTP_SIGNED_IN,
     {.summary = "Ends one of the caller's sessions.",
      .status = 204}},
    {"POST", "/api/v1/programs", program_create, HTTP_SIGNED_IN,
     {.summary = "Creates a program (site administrators).",
      .body = "{name:str kind:=mentoring,coaching settings?:{cadence_days?:int "
      "reply_window_hours?:int pulse_every_days?:int k_anonymity?:int} at?:time}",
      .status = 201, .answer = "Program"}},
    {"GET", "/api/v1/programs/{id}", program_get, HTTP_SIGNED_IN,
     {.summary = "One program.",
      .status = 200, .answer = "Program"}},
    {"POST", "/api/v1/programs/{id}/members", member_add, HTTP_SIGNED_IN,
     {.summary = "Adds a member to a program, inviting a new person.",
      .body = "{email:str name:str role:str}",
      .status = 201, .answer = "{person_id:id role:str invited:bool}", .problems = "409"}},
    {"GET", "/api/v1/programs/{id}/members", member_list, HTTP_SIGNED_IN,
     {.summary = "A program's members.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("{id:id email:str name:str role:str since:time? "
      "invited:bool}")}},
    {"GET", "/api/v1/programs/{id}/relationships", program_relationships, HTTP_SIGNED_IN,
     {.summary = "A program's relationships (metadata only).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Relationship")}},
    {"POST", "/api/v1/relationships", relationship_propose, HTTP_SIGNED_IN,
     {.summary = "Proposes a relationship between a guide and a learner.",
      .body = "{program_id:id guide_id:id learner_id:id at?:time}",
      .status = 201, .answer = "Relationship", .problems = "404 409"}},
    {"GET", "/api/v1/relationships", relationship_list, HTTP_SIGNED_IN,
     {.summary = "The caller's relationships.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Relationship")}},
    {"GET", "/api/v1/relationships/{id}", relationship_get, HTTP_SIGNED_IN | HTTP_READS_SESSION,
     {.summary = "One relationship with its counts and, for its parties, their names.",
      .status = 200, .answer = "{" RENDER_REL_MEMBERS " my_role:=guide,learner,admin? "
      "counts:{checkins_held:int checkins:int commitments_open:int commitments:int goals:int "
      "notes:int feedback:int requests:int} agreement:{latest_version:int in_force_version:int} "
      "guide?:{id:id name:str?} learner?:{id:id name:str?}}"}},
    {"POST", "/api/v1/relationships/{id}/transition", relationship_transition, HTTP_SIGNED_IN,
     {.summary = "Moves a relationship to another state.",
      .body = "{to:str reason?:str at?:time}",
      .status = 200, .answer = "Relationship"}},
    {"GET", "/api/v1/relationships/{id}/events", relationship_events, HTTP_OPENS_TEXT,
     {.summary = "A relationship's history.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Event")}},
    {0}, /* the end */
};
/* clang-format on */
