/* routes_audit.c: who accessed my data (the access log, app/privacy/audit.h).
 *
 * GET /api/v1/me/access-log?after=&limit= -> {items: [{seq, at, actor: {id,
 * name}, sentence, what: [..], why, relationship_id}], next}: the entries
 * whose subject is the caller, oldest first, paged by seq.
 */
#include "http/http.h"
#include "app/privacy/privacy.h"

static rp_rc access_log_mine(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_access_item *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_access_log_mine(&r->app, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_access_entry(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_audit[] = {
    {"GET", "/api/v1/me/access-log", access_log_mine, HTTP_SIGNED_IN,
     {.summary = "Who opened the caller's confidential text, when and why.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("AccessEntry")}},
    {0}, /* the end */
};
/* clang-format on */
