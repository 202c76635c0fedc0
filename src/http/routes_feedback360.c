/* routes_feedback360.c: the HTTP routes of 360-degree feedback: the
 * requester's requests and report, the raters' side (members by id,
 * outside raters by the token of their one-time link, in the body so that
 * it never appears in a path or a log), and the administrators' counts.
 */
#include "http/http.h"

#include <stdio.h>
#include <string.h>

static const char *const GROUP_NAMES[] = {"guide", "peers", "colleagues", "others", NULL};

/* ratings: an array of F360_NITEM entries, each 1..5 or null ("can't say"). */
static void read_ratings(jin *j, const char *key, bool required, int out[F360_NITEM]) {
  memset(out, 0, sizeof(int) * F360_NITEM);
  json_t *a = jin_array(j, key, required, F360_NITEM);
  if (!a) return;
  if (json_array_size(a) != F360_NITEM) {
    rp_field(j->e, jin_pointer(j, key), "Give %d ratings, each 1 to 5 or null.", F360_NITEM);
    return;
  }
  for (size_t i = 0; i < F360_NITEM; i++) {
    json_t *x = json_array_get(a, i);
    if (json_is_null(x)) continue;
    if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 5) {
      rp_field(j->e, arena_printf(j->a, "%s/%zu", jin_pointer(j, key), i),
               "A rating is 1 to 5, or null for \"can't say\".");
      continue;
    }
    out[i] = (int)json_integer_value(x);
  }
}

static bool read_group(jin *j, const char *key, f360_group *out) {
  int g = jin_enum(j, key, false, GROUP_NAMES);
  if (g < 0) return false;
  *out = (f360_group)g;
  return true;
}

static json_t *ratings_json(const int *r) {
  json_t *a = json_array();
  for (int i = 0; i < F360_NITEM; i++)
    json_array_append_new(a, r[i] ? json_integer(r[i]) : json_null());
  return a;
}

static json_t *items_json(void) {
  json_t *a = json_array();
  for (size_t i = 0; i < F360_NITEM; i++) {
    const f360_item *it = f360_item_at(i);
    json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", it->code, "component",
                                       it->component, "statement", it->statement));
  }
  return a;
}

static json_t *render_summary(const store_f360 *row) {
  return json_pack("{s:I, s:I, s:o, s:o, s:s, s:o, s:I, s:b, s:o}", "id", (json_int_t)row->id,
                   "program_id", (json_int_t)row->program_id, "created_at",
                   jt_time(row->created_at), "deadline", jt_time(row->deadline), "state",
                   row->closed ? "closed" : "open", "closed_at", jt_time(row->closed_at),
                   "raters_asked", (json_int_t)row->invited, "report_ready", row->closed,
                   "shared_relationship_id", jt_id(row->shared_relationship_id));
}

static json_t *render_view(const app_f360_view *v) {
  json_t *o = render_summary(&v->row);
  json_object_set_new(o, "purpose", jt_str(v->purpose));
  json_object_set_new(o, "self", ratings_json(v->row.self));
  json_object_set_new(o, "items", items_json());
  json_object_set_new(o, "shared_with", jt_str(v->shared_with));
  json_t *raters = json_array();
  for (size_t i = 0; i < v->nraters; i++) {
    const store_f360_rater *r = &v->raters[i];
    json_array_append_new(raters, json_pack("{s:o, s:o, s:s, s:b}", "person_id",
                                            jt_id(r->person_id), "name", jt_str(v->names[i]),
                                            "group", f360_group_name(r->group), "outside",
                                            r->person_id == 0));
  }
  json_object_set_new(o, "raters", raters);
  if (v->nmailed) {
    json_t *mailed = json_array();
    for (size_t i = 0; i < v->nmailed; i++)
      json_array_append_new(mailed, json_pack("{s:s, s:s}", "email", v->mailed[i].email, "group",
                                              f360_group_name(v->mailed[i].group)));
    json_object_set_new(o, "mailed", mailed);
  }
  return o;
}

static const char *const STATE_NAMES[] = {"invited", "answered", "declined", "closed"};

static json_t *render_ask(const app_f360_ask *a) {
  json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:b, s:s, s:s, s:b, s:o}", "id", (json_int_t)a->id,
                        "requester", a->requester_name, "purpose", a->purpose, "deadline",
                        jt_time(a->deadline), "open", a->open, "state",
                        STATE_NAMES[a->state], "group", f360_group_name(a->group), "may_sign",
                        a->may_sign, "items", items_json());
  return o;
}

/* ---- the requester ---- */

static rp_rc read_raters(jin *j, http_req *r, app_f360_new *in, rp_err *e) {
  static const char *const rater_fields[] = {"person_id", "email", "circle_id", "group", NULL};
  static const char *const outside_fields[] = {"email", "group", NULL};
  json_t *raters = jin_array(j, "raters", false, F360_RATERS_MAX);
  json_t *outside = jin_array(j, "outside", false, F360_RATERS_MAX);
  size_t nr = raters ? json_array_size(raters) : 0, no = outside ? json_array_size(outside) : 0;
  app_f360_rater_in *rs = arena_zalloc(r->app.a, sizeof *rs * (nr + 1));
  app_f360_outside_in *os = arena_zalloc(r->app.a, sizeof *os * (no + 1));
  for (size_t i = 0; i < nr; i++) {
    jin k;
    jin_start(&k, json_array_get(raters, i), arena_printf(r->app.a, "/raters/%zu", i),
              rater_fields, r->app.a, e);
    rs[i].email = jin_text(&k, "email", false, 320);
    jin_id(&k, "person_id", !rs[i].email, &rs[i].person_id);
    jin_id(&k, "circle_id", false, &rs[i].circle_id);
    rs[i].has_group = read_group(&k, "group", &rs[i].group);
  }
  for (size_t i = 0; i < no; i++) {
    jin k;
    jin_start(&k, json_array_get(outside, i), arena_printf(r->app.a, "/outside/%zu", i),
              outside_fields, r->app.a, e);
    os[i].email = jin_text(&k, "email", true, 320);
    os[i].group = F360_COLLEAGUE;
    read_group(&k, "group", &os[i].group);
  }
  in->raters = rs;
  in->nraters = nr;
  in->outside = os;
  in->noutside = no;
  return e->rc;
}

static rp_rc f360_create(http_req *r, rp_err *e) {
  static const char *const fields[] = {"program_id", "purpose", "deadline", "self", "raters",
                                       "outside", NULL};
  jin j;
  app_f360_new in = {0};
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "program_id", true, &in.program_id);
  in.purpose = jin_text(&j, "purpose", true, F360_PURPOSE_MAX);
  jin_time(&j, "deadline", true, &in.deadline);
  read_ratings(&j, "self", true, in.self);
  read_raters(&j, r, &in, e);
  if (e->rc) return e->rc;
  app_f360_view v;
  rp_rc rc = app_f360_create(&r->app, &in, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_view(&v);
  return RP_OK;
}

static rp_rc f360_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_f360 *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_f360_list(&r->app, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_summary(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc f360_get(http_req *r, rp_err *e) {
  app_f360_view v;
  rp_rc rc = app_f360_get(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_view(&v);
  return rc;
}

static rp_rc f360_deadline(http_req *r, rp_err *e) {
  static const char *const fields[] = {"deadline", NULL};
  jin j;
  rp_time deadline = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_time(&j, "deadline", true, &deadline);
  if (e->rc) return e->rc;
  app_f360_view v;
  rp_rc rc = app_f360_set_deadline(&r->app, r->id[0], deadline, &v, e);
  if (!rc) r->out = render_view(&v);
  return rc;
}

static rp_rc f360_close(http_req *r, rp_err *e) {
  app_f360_view v;
  rp_rc rc = app_f360_close(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_view(&v);
  return rc;
}

static rp_rc f360_report(http_req *r, rp_err *e) {
  const char *text;
  rp_rc rc = app_f360_report(&r->app, r->id[0], &text, e);
  if (rc) return rc;
  json_error_t err;
  r->out = json_loads(text, 0, &err);
  if (!r->out) return rp_fail(e, RP_ERR_INTERNAL, "report_damaged", "The report does not read.");
  return RP_OK;
}

static rp_rc f360_share(http_req *r, rp_err *e) {
  static const char *const fields[] = {"relationship_id", NULL};
  jin j;
  int64_t rel = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "relationship_id", true, &rel);
  if (e->rc) return e->rc;
  app_f360_view v;
  rp_rc rc = app_f360_share(&r->app, r->id[0], rel, &v, e);
  if (!rc) r->out = render_view(&v);
  return rc;
}

static rp_rc f360_unshare(http_req *r, rp_err *e) {
  app_f360_view v;
  rp_rc rc = app_f360_share(&r->app, r->id[0], 0, &v, e);
  if (!rc) r->out = render_view(&v);
  return rc;
}

/* ---- raters ---- */

static rp_rc read_answer(http_req *r, app_f360_answer_in *in, const char **token, rp_err *e) {
  static const char *const fields[] = {"ratings", "keep", "change", "sign", NULL};
  static const char *const link_fields[] = {"token", "ratings", "keep", "change", NULL};
  jin j;
  memset(in, 0, sizeof *in);
  jin_start(&j, r->body, "", token ? link_fields : fields, r->app.a, e);
  if (token) *token = jin_text(&j, "token", true, 64);
  read_ratings(&j, "ratings", true, in->ratings);
  in->keep = jin_text(&j, "keep", false, F360_TEXT_MAX);
  in->change = jin_text(&j, "change", false, F360_TEXT_MAX);
  if (!token) jin_bool(&j, "sign", false, &in->sign);
  return e->rc;
}

static rp_rc asks_list(http_req *r, rp_err *e) {
  app_f360_ask *items;
  size_t n;
  rp_rc rc = app_f360_asks(&r->app, &items, &n, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_ask(&items[i]));
  r->out = jt_page(arr, 0);
  return RP_OK;
}

static rp_rc ask_get(http_req *r, rp_err *e) {
  app_f360_ask a;
  rp_rc rc = app_f360_ask_get(&r->app, r->id[0], &a, e);
  if (!rc) r->out = render_ask(&a);
  return rc;
}

static rp_rc ask_answer(http_req *r, rp_err *e) {
  app_f360_answer_in in;
  rp_rc rc = read_answer(r, &in, NULL, e);
  if (!rc) rc = app_f360_answer(&r->app, r->id[0], &in, e);
  if (!rc) r->out = json_pack("{s:s}", "state", "answered");
  return rc;
}

static rp_rc ask_decline(http_req *r, rp_err *e) {
  rp_rc rc = app_f360_decline(&r->app, r->id[0], e);
  if (!rc) r->out = json_pack("{s:s}", "state", "declined");
  return rc;
}

static const char *read_token(http_req *r, rp_err *e) {
  static const char *const fields[] = {"token", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  return jin_text(&j, "token", true, 64);
}

static rp_rc link_get(http_req *r, rp_err *e) {
  const char *token = read_token(r, e);
  if (e->rc) return e->rc;
  app_f360_ask a;
  rp_rc rc = app_f360_link_get(&r->app, token, &a, e);
  if (!rc) r->out = render_ask(&a);
  return rc;
}

static rp_rc link_answer(http_req *r, rp_err *e) {
  app_f360_answer_in in;
  const char *token = NULL;
  rp_rc rc = read_answer(r, &in, &token, e);
  if (!rc) rc = app_f360_link_answer(&r->app, token, &in, e);
  if (!rc) r->out = json_pack("{s:s}", "state", "answered");
  return rc;
}

static rp_rc link_decline(http_req *r, rp_err *e) {
  const char *token = read_token(r, e);
  if (e->rc) return e->rc;
  rp_rc rc = app_f360_link_decline(&r->app, token, e);
  if (!rc) r->out = json_pack("{s:s}", "state", "declined");
  return rc;
}

/* ---- administrators ---- */

static rp_rc program_counts(http_req *r, rp_err *e) {
  app_f360_counts c;
  rp_rc rc = app_f360_program_counts(&r->app, r->id[0], &c, e);
  if (rc) return rc;
  json_t *hidden = json_pack("{s:b, s:s}", "suppressed", 1, "reason", "fewer than k");
  r->out = json_pack("{s:I, s:i, s:o, s:o}", "program_id", (json_int_t)r->id[0], "k", c.k,
                     "requests", c.requests_shown ? json_integer(c.requests) : json_deep_copy(hidden),
                     "completed", c.completed_shown ? json_integer(c.completed) : json_deep_copy(hidden));
  json_decref(hidden);
  return RP_OK;
}

/* clang-format off */
#define F360_GROUP "=guide,peers,colleagues,others"
#define F360_ANSWER_BODY "ratings:[int?] keep?:str change?:str"
const http_route http_routes_feedback360[] = {
    {"POST", "/api/v1/feedback360", f360_create, HTTP_SIGNED_IN,
     {.summary = "Asks members (of the program, or picked from the caller's circles as peers "
      "with circle_id) and outside raters by e-mail address for 360 feedback about the "
      "caller; each outside rater is mailed a one-time link the caller never sees.",
      .body = "{program_id:id purpose:str deadline:time self:[int?] raters?:[{person_id?:id "
      "email?:str circle_id?:id group?:" F360_GROUP "}] outside?:[{email:str group?:"
      F360_GROUP "}]}",
      .status = 201, .answer = "Feedback360Request", .problems = "404 409"}},
    {"GET", "/api/v1/feedback360", f360_list, HTTP_SIGNED_IN,
     {.summary = "The caller's own 360 requests.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Feedback360Summary")}},
    {"GET", "/api/v1/feedback360/{id}", f360_get, HTTP_OPENS_TEXT,
     {.summary = "One of the caller's 360 requests: who was asked, never who answered.",
      .status = 200, .answer = "Feedback360Request"}},
    {"POST", "/api/v1/feedback360/{id}/deadline", f360_deadline, HTTP_OPENS_TEXT,
     {.summary = "Moves an open 360 request's deadline.",
      .body = "{deadline:time}",
      .status = 200, .answer = "Feedback360Request"}},
    {"POST", "/api/v1/feedback360/{id}/close", f360_close, HTTP_OPENS_TEXT,
     {.summary = "Closes a 360 request now and builds its report.",
      .status = 200, .answer = "Feedback360Request"}},
    {"GET", "/api/v1/feedback360/{id}/report", f360_report, HTTP_OPENS_TEXT,
     {.summary = "A closed 360 request's report, for its requester or the guide it is shared "
      "with.",
      .status = 200, .answer = "Feedback360Report", .problems = "409"}},
    {"PUT", "/api/v1/feedback360/{id}/share", f360_share, HTTP_OPENS_TEXT,
     {.summary = "Shares a closed 360 report with the guide of one of the caller's "
      "relationships.",
      .body = "{relationship_id:id}",
      .status = 200, .answer = "Feedback360Request"}},
    {"DELETE", "/api/v1/feedback360/{id}/share", f360_unshare, HTTP_OPENS_TEXT,
     {.summary = "Withdraws the sharing of a 360 report.",
      .status = 200, .answer = "Feedback360Request"}},
    {"GET", "/api/v1/rater/feedback360", asks_list, HTTP_OPENS_TEXT,
     {.summary = "The 360 requests the caller was asked to rate.",
      .status = 200, .answer = HTTP_PAGE_OF("Feedback360Ask")}},
    {"GET", "/api/v1/rater/feedback360/{id}", ask_get, HTTP_OPENS_TEXT,
     {.summary = "A 360 request the caller was asked to rate.",
      .status = 200, .answer = "Feedback360Ask"}},
    {"POST", "/api/v1/rater/feedback360/{id}/answer", ask_answer, HTTP_SIGNED_IN,
     {.summary = "Answers a 360 request as a member rater (its guide may sign the answer).",
      .body = "{" F360_ANSWER_BODY " sign?:bool}",
      .status = 200, .answer = "{state:=answered}"}},
    {"POST", "/api/v1/rater/feedback360/{id}/decline", ask_decline, HTTP_SIGNED_IN,
     {.summary = "Declines a 360 request as a member rater.",
      .status = 200, .answer = "{state:=declined}"}},
    {"POST", "/api/v1/feedback360-link", link_get, HTTP_PUBLIC,
     {.summary = "The 360 request of an outside rater's one-time link (its token in the body).",
      .body = "{token:str}",
      .status = 200, .answer = "Feedback360Ask", .problems = "404"}},
    {"POST", "/api/v1/feedback360-link/answer", link_answer, HTTP_PUBLIC,
     {.summary = "Answers a 360 request as the outside rater of a one-time link.",
      .body = "{token:str " F360_ANSWER_BODY "}",
      .status = 200, .answer = "{state:=answered}", .problems = "404 409"}},
    {"POST", "/api/v1/feedback360-link/decline", link_decline, HTTP_PUBLIC,
     {.summary = "Declines a 360 request as the outside rater of a one-time link.",
      .body = "{token:str}",
      .status = 200, .answer = "{state:=declined}", .problems = "404 409"}},
    {"GET", "/api/v1/programs/{id}/feedback360", program_counts, HTTP_SIGNED_IN,
     {.summary = "A program's 360 requests and completed requests, k-anonymous (its "
      "administrators).",
      .status = 200, .answer = "Feedback360Counts"}},
    {0}, /* the end */
};
/* clang-format on */
