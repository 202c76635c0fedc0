/* routes_commitments.c: the HTTP routes for commitments.
 *
 *   POST /api/v1/relationships/{id}/commitments {owner_id, text, due_at, at?}   -> 201 commitment
 *   GET  /api/v1/relationships/{id}/commitments ?state=open|closed&limit=&after= -> {items, next}
 *   GET  /api/v1/commitments/{id}                                               -> commitment
 *   POST /api/v1/commitments/{id}/outcome       {outcome, new_due_at?, at?}     -> commitment
 */
#include "http/http.h"

#include <string.h>

static rp_rc commitment_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"owner_id", "text", "due_at", "at", NULL};
  jin j;
  int64_t owner_id = 0;
  rp_time due_at = 0, at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "owner_id", true, &owner_id);
  const char *text = jin_text(&j, "text", true, COMMITMENT_TEXT_MAX);
  jin_time(&j, "due_at", true, &due_at);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  app_commitment_view v;
  rp_rc rc =
      app_commitment_add(&r->app, r->id[0], owner_id, text, due_at, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_commitment(&v);
  return RP_OK;
}

/* ?state=open|closed, absent for all; 400 otherwise. */
static rp_rc state_filter(http_req *r, store_commitment_filter *out, rp_err *e) {
  const char *s = http_query(r, "state");
  *out = STORE_COMMITMENTS_ALL;
  if (!s) return RP_OK;
  if (strcmp(s, "open") == 0)
    *out = STORE_COMMITMENTS_OPEN;
  else if (strcmp(s, "closed") == 0)
    *out = STORE_COMMITMENTS_CLOSED;
  else
    return rp_fail(e, RP_ERR_MALFORMED, "bad_query", "state must be open or closed.");
  return RP_OK;
}

static rp_rc commitment_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_commitment_filter filter;
  app_commitment_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = state_filter(r, &filter, e);
  if (!rc) rc = app_commitments_list(&r->app, r->id[0], filter, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_commitment(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc commitment_get(http_req *r, rp_err *e) {
  app_commitment_view v;
  rp_rc rc = app_commitment_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  r->out = render_commitment(&v);
  return RP_OK;
}

static rp_rc commitment_record_outcome(http_req *r, rp_err *e) {
  static const char *const fields[] = {"outcome", "new_due_at", "at", NULL};
  static const char *const outcomes[] = {"kept", "renegotiated", "broken", "dropped", NULL};
  jin j;
  rp_time new_due_at = 0, at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int o = jin_enum(&j, "outcome", true, outcomes);
  bool has_new_due = jin_time(&j, "new_due_at", false, &new_due_at);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  commitment_outcome outcome;
  if (!commitment_outcome_parse(outcomes[o], &outcome))
    return rp_fail(e, RP_ERR_INTERNAL, "internal", "Unknown commitment outcome.");
  app_commitment_view v;
  rp_rc rc = app_commitment_outcome(&r->app, r->id[0], outcome, has_new_due ? &new_due_at : NULL,
                                    has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_commitment(&v);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_commitments[] = {
    {"POST", "/api/v1/relationships/{id}/commitments", commitment_add, HTTP_SIGNED_IN,
     {.summary = "Makes a commitment.",
      .body = "{owner_id:id text:str due_at:time at?:time}",
      .status = 201, .answer = "Commitment", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/commitments", commitment_list, HTTP_OPENS_TEXT,
     {.summary = "A relationship's commitments.",
      .query = "{limit?:int after?:id state?:=open,closed}",
      .status = 200, .answer = HTTP_PAGE_OF("Commitment")}},
    {"GET", "/api/v1/commitments/{id}", commitment_get, HTTP_OPENS_TEXT,
     {.summary = "One commitment.",
      .status = 200, .answer = "Commitment"}},
    {"POST", "/api/v1/commitments/{id}/outcome", commitment_record_outcome, HTTP_SIGNED_IN,
     {.summary = "Records a commitment kept, broken, dropped or renegotiated.",
      .body = "{outcome:str new_due_at?:time at?:time}",
      .status = 200, .answer = "Commitment", .problems = "409"}},
    {0}, /* the end */
};
/* clang-format on */
