/* routes_alumni.c: the HTTP routes of the alumni network, its directory,
 * paying it forward, and long-term check-ins of former partners. */
#include "http/http.h"

static json_t *render_alumnus(const app_alumnus_view *v) {
  json_t *o = json_pack("{s:I, s:b, s:o, s:o, s:o, s:b}", "id", (json_int_t)v->id, "mine",
                        v->mine, "name", jt_str(v->name), "topics", jt_str(v->topics),
                        "contact_person_id", jt_id(v->contact_id), "guiding", v->guiding);
  if (v->mine)
    json_object_set_new(o, "consent",
                        json_pack("{s:b, s:b, s:b}", "show_name", v->own.show_name,
                                  "show_topics", v->own.show_topics, "show_contact",
                                  v->own.show_contact));
  return o;
}

static rp_rc alumni_join(http_req *r, rp_err *e) {
  static const char *const fields[] = {"show_name", "show_topics", "show_contact", "topics", NULL};
  jin j;
  app_alumni_consent in = {0};
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_bool(&j, "show_name", false, &in.show_name);
  jin_bool(&j, "show_topics", false, &in.show_topics);
  jin_bool(&j, "show_contact", false, &in.show_contact);
  in.topics = jin_text(&j, "topics", false, APP_ALUMNI_TOPICS_MAX);
  if (e->rc) return e->rc;
  app_alumnus_view v;
  rp_rc rc = app_alumni_join(&r->app, r->id[0], &in, &v, e);
  if (!rc) r->out = render_alumnus(&v);
  return rc;
}

static rp_rc alumni_leave(http_req *r, rp_err *e) {
  return app_alumni_leave(&r->app, r->id[0], e);
}

static rp_rc alumni_list(http_req *r, rp_err *e) {
  int64_t after, next = 0;
  int limit;
  app_alumnus_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_alumni_directory(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_alumnus(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc alumni_guide(http_req *r, rp_err *e) {
  app_alumnus_view v;
  rp_rc rc = app_alumni_volunteer(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_alumnus(&v);
  return rc;
}

static json_t *render_long_term(const app_long_term *t) {
  json_t *o = json_pack("{s:I, s:{s:b, s:b}, s:b, s:i, s:o, s:o}", "relationship_id",
                        (json_int_t)t->relationship_id, "wants", "guide", t->guide_wants,
                        "learner", t->learner_wants, "on", t->on, "cadence_days", t->cadence_days,
                        "my_last_pulse_at", jt_time(t->my_last_pulse), "next_due_at",
                        jt_time(t->next_due));
  json_object_set_new(o, "default_days", json_integer(t->default_days));
  json_object_set_new(o, "cadence_agreed_at", t->agreed ? jt_time(t->agreed_at) : json_null());
  json_object_set_new(o, "proposal",
                      t->proposed_days ? json_pack("{s:i, s:b, s:o}", "days", t->proposed_days,
                                                   "by_me", t->proposed_by_me, "at",
                                                   jt_time(t->proposed_at))
                                       : json_null());
  return o;
}

static rp_rc long_term_get(http_req *r, rp_err *e) {
  app_long_term t;
  rp_rc rc = app_long_term_get(&r->app, r->id[0], &t, e);
  if (!rc) r->out = render_long_term(&t);
  return rc;
}

static rp_rc long_term_want(http_req *r, rp_err *e) {
  static const char *const fields[] = {"want", NULL};
  jin j;
  bool want = false;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_bool(&j, "want", true, &want);
  if (e->rc) return e->rc;
  app_long_term t;
  rp_rc rc = app_long_term_want(&r->app, r->id[0], want, &t, e);
  if (!rc) r->out = render_long_term(&t);
  return rc;
}

static rp_rc long_term_checkin(http_req *r, rp_err *e) {
  static const char *const fields[] = {"answers", "overall", NULL};
  static const char *const items[] = {"REL1", "INT1", "COM1", "EMP1", NULL};
  jin j;
  int answers[PULSE_NITEM] = {0};
  int64_t overall = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *a = jin_object(&j, "answers", true);
  jin_int(&j, "overall", true, 0, 10, &overall);
  if (a) {
    jin k;
    jin_start(&k, a, "/answers", items, r->app.a, e);
    for (int i = 0; items[i]; i++) {
      int64_t x = 0;
      int idx;
      if (jin_int(&k, items[i], false, 1, 5, &x) && pulse_item_parse(items[i], &idx))
        answers[idx] = (int)x;
    }
  }
  if (e->rc) return e->rc;
  pulse p;
  rp_rc rc = app_long_term_checkin(&r->app, r->id[0], answers, (int)overall, &p, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_pulse(&p);
  return RP_OK;
}

static rp_rc read_days(http_req *r, int *days, rp_err *e) {
  static const char *const fields[] = {"days", NULL};
  jin j;
  int64_t d = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_int(&j, "days", true, APP_ALUMNI_CADENCE_MIN, APP_ALUMNI_CADENCE_MAX, &d);
  *days = (int)d;
  return e->rc;
}

typedef rp_rc (*cadence_fn)(app_ctx *c, int64_t rel_id, int days, app_long_term *out,
                           rp_err *e);

static rp_rc cadence_days(http_req *r, cadence_fn act, rp_err *e) {
  int days = 0;
  app_long_term t;
  rp_rc rc = read_days(r, &days, e);
  if (!rc) rc = act(&r->app, r->id[0], days, &t, e);
  if (!rc) r->out = render_long_term(&t);
  return rc;
}

static rp_rc cadence_propose(http_req *r, rp_err *e) {
  return cadence_days(r, app_long_term_propose, e);
}

static rp_rc cadence_agree(http_req *r, rp_err *e) { return cadence_days(r, app_long_term_agree, e); }

static rp_rc cadence_unpropose(http_req *r, rp_err *e) {
  app_long_term t;
  rp_rc rc = app_long_term_unpropose(&r->app, r->id[0], &t, e);
  if (!rc) r->out = render_long_term(&t);
  return rc;
}

/* clang-format off */
const http_route http_routes_alumni[] = {
    {"PUT", "/api/v1/programs/{id}/alumni/me", alumni_join, HTTP_SIGNED_IN,
     {.summary = "Joins a program's alumni network after a completed relationship there, or "
      "changes what the caller's entry shows.",
      .body = "{show_name?:bool show_topics?:bool show_contact?:bool topics?:str}",
      .status = 200, .answer = "Alumnus"}},
    {"DELETE", "/api/v1/programs/{id}/alumni/me", alumni_leave, HTTP_SIGNED_IN,
     {.summary = "Leaves a program's alumni network.",
      .status = 204}},
    {"GET", "/api/v1/programs/{id}/alumni", alumni_list, HTTP_SIGNED_IN,
     {.summary = "A program's alumni directory, each field shown only with its owner's consent "
      "(its members).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Alumnus")}},
    {"POST", "/api/v1/programs/{id}/alumni/me/guide", alumni_guide, HTTP_SIGNED_IN,
     {.summary = "Pays it forward: a former learner in the network becomes a guide of the "
      "program.",
      .status = 200, .answer = "Alumnus"}},
    {"GET", "/api/v1/relationships/{id}/long-term", long_term_get, HTTP_SIGNED_IN,
     {.summary = "Long-term check-ins of a relationship: who wants them and when the next is "
      "due (its parties).",
      .status = 200, .answer = "LongTerm"}},
    {"PUT", "/api/v1/relationships/{id}/long-term", long_term_want, HTTP_SIGNED_IN,
     {.summary = "Says whether the caller wants long-term check-ins after a completed "
      "relationship; when both do, it becomes alumni.",
      .body = "{want:bool}",
      .status = 200, .answer = "LongTerm"}},
    {"POST", "/api/v1/relationships/{id}/long-term/checkins", long_term_checkin, HTTP_SIGNED_IN,
     {.summary = "A long-term check-in: the short pulse (REL1, INT1, COM1, EMP1 and the "
      "overall).",
      .body = "{answers:{REL1?:int INT1?:int COM1?:int EMP1?:int} overall:int}",
      .status = 201, .answer = "Pulse"}},
    {"POST", "/api/v1/relationships/{id}/long-term/cadence/proposal", cadence_propose,
     HTTP_SIGNED_IN,
     {.summary = "Proposes the pair's cadence of long-term check-ins, in days (the program's "
      "value, 90, to go back to it); it holds once the other party agrees.",
      .body = "{days:int}",
      .status = 200, .answer = "LongTerm", .problems = "409"}},
    {"DELETE", "/api/v1/relationships/{id}/long-term/cadence/proposal", cadence_unpropose,
     HTTP_SIGNED_IN,
     {.summary = "Withdraws (the proposer) or declines (the other party) the cadence waiting "
      "for agreement.",
      .status = 200, .answer = "LongTerm", .problems = "409"}},
    {"POST", "/api/v1/relationships/{id}/long-term/cadence/agree", cadence_agree,
     HTTP_SIGNED_IN,
     {.summary = "The other party agrees to the cadence proposed (days as proposed): due-ness "
      "and reminders follow it.",
      .body = "{days:int}",
      .status = 200, .answer = "LongTerm", .problems = "409"}},
    {0}, /* the end */
};
/* clang-format on */
