/* routes_notes.c: the HTTP routes for notes. */
#include "http/http.h"

static rp_rc note_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"visibility", "text", "at", NULL};
  static const char *const visibilities[] = {"private", "shared", NULL};
  jin j;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int vis = jin_enum(&j, "visibility", true, visibilities);
  const char *text = jin_text(&j, "text", true, NOTE_TEXT_MAX);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  note_visibility v;
  note_visibility_parse(visibilities[vis], &v);
  app_note n;
  rp_rc rc = app_note_add(&r->app, r->id[0], v, text, has_at ? &at : NULL, &n, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_note(&n);
  return RP_OK;
}

static rp_rc note_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_note *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_notes_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_note(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc note_get(http_req *r, rp_err *e) {
  app_note n;
  rp_rc rc = app_note_get(&r->app, r->id[0], &n, e);
  if (rc) return rc;
  r->out = render_note(&n);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_notes[] = {
    {"POST", "/api/v1/relationships/{id}/notes", note_add, HTTP_SIGNED_IN,
     {.summary = "Writes a note.",
      .body = "{visibility:str text:str at?:time}",
      .status = 201, .answer = "Note"}},
    {"GET", "/api/v1/relationships/{id}/notes", note_list, HTTP_OPENS_TEXT,
     {.summary = "The notes the caller may read.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Note")}},
    {"GET", "/api/v1/notes/{id}", note_get, HTTP_OPENS_TEXT,
     {.summary = "One note.",
      .status = 200, .answer = "Note"}},
    {0}, /* the end */
};
/* clang-format on */
