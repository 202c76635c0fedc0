/* routes_exchanges.c: the HTTP routes for requests, replies and feedback.
 *
 *   POST /api/v1/relationships/{id}/requests   201 request
 *   GET  /api/v1/relationships/{id}/requests   {items: [request], next}
 *   GET  /api/v1/requests/{id}                 request
 *   POST /api/v1/requests/{id}/reply           request
 *   POST /api/v1/relationships/{id}/feedback   201 feedback
 *   GET  /api/v1/relationships/{id}/feedback   {items: [feedback], next}
 */
#include "http/http.h"

/* ---- requests and replies ---- */

/* Reads {text, at?} for a request or a reply. */
static const char *read_text_at(http_req *r, bool *has_at, rp_time *at, rp_err *e) {
  static const char *const fields[] = {"text", "at", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *text = jin_text(&j, "text", true, REQUEST_TEXT_MAX);
  *has_at = jin_time(&j, "at", false, at);
  return text;
}

static rp_rc request_make(http_req *r, rp_err *e) {
  bool has_at;
  rp_time at;
  const char *text = read_text_at(r, &has_at, &at, e);
  if (e->rc) return e->rc;
  app_request_view v;
  rp_rc rc = app_request_make(&r->app, r->id[0], text, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_request(&v);
  return RP_OK;
}

static rp_rc request_reply(http_req *r, rp_err *e) {
  bool has_at;
  rp_time at;
  const char *text = read_text_at(r, &has_at, &at, e);
  if (e->rc) return e->rc;
  app_request_view v;
  rp_rc rc = app_request_reply(&r->app, r->id[0], text, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_request(&v);
  return RP_OK;
}

static rp_rc request_get(http_req *r, rp_err *e) {
  app_request_view v;
  rp_rc rc = app_request_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  r->out = render_request(&v);
  return RP_OK;
}

static rp_rc request_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_request_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_requests_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_request(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* ---- feedback ---- */

static rp_rc feedback_give(http_req *r, rp_err *e) {
  static const char *const fields[] = {"kind", "focus", "text", "at", NULL};
  static const char *const kinds[] = {"recognition", "constructive", "ask", NULL};
  static const char *const focuses[] = {"task", "person", NULL};
  jin j;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int kind = jin_enum(&j, "kind", true, kinds);
  int focus = jin_enum(&j, "focus", false, focuses);
  const char *text = jin_text(&j, "text", false, FEEDBACK_TEXT_MAX);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  feedback_kind k;
  feedback_focus f = FOCUS_NONE;
  feedback_kind_parse(kinds[kind], &k);
  if (focus >= 0) feedback_focus_parse(focuses[focus], &f);
  app_feedback_view v;
  rp_rc rc = app_feedback_give(&r->app, r->id[0], k, f, text, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_feedback(&v);
  return RP_OK;
}

static rp_rc feedback_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_feedback_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_feedback_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_feedback(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_exchanges[] = {
    {"POST", "/api/v1/relationships/{id}/requests", request_make, HTTP_SIGNED_IN,
     {.summary = "Asks the other party something.",
      .body = "{text:str at?:time}",
      .status = 201, .answer = "Request"}},
    {"GET", "/api/v1/relationships/{id}/requests", request_list, HTTP_OPENS_TEXT,
     {.summary = "A relationship's requests.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Request")}},
    {"GET", "/api/v1/requests/{id}", request_get, HTTP_OPENS_TEXT,
     {.summary = "One request.",
      .status = 200, .answer = "Request"}},
    {"POST", "/api/v1/requests/{id}/reply", request_reply, HTTP_SIGNED_IN,
     {.summary = "Replies to a request.",
      .body = "{text:str at?:time}",
      .status = 200, .answer = "Request"}},
    {"POST", "/api/v1/relationships/{id}/feedback", feedback_give, HTTP_SIGNED_IN,
     {.summary = "Gives feedback to the other party.",
      .body = "{kind:str focus?:str text?:str at?:time}",
      .status = 201, .answer = "Feedback", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/feedback", feedback_list, HTTP_OPENS_TEXT,
     {.summary = "A relationship's feedback.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Feedback")}},
    {0}, /* the end */
};
/* clang-format on */
