/* routes_circles.c: the HTTP routes for peer circles (app/circles/).
 *
 *   POST /api/v1/circles                        {program_id, name, member_ids, facilitator_id?,
 *                                                cadence_days?}              -> 201 circle
 *   GET  /api/v1/circles                        my circles                   -> {items, next}
 *   GET  /api/v1/programs/{id}/circles          the program's (admins)       -> {items, next}
 *   GET  /api/v1/circles/{id}                   states, members, counts      -> circle
 *   POST /api/v1/circles/{id}/accept|leave      {}                           -> circle
 *   POST /api/v1/circles/{id}/transition        {to}                         -> circle
 *   POST /api/v1/circles/{id}/members           {person_id}                  -> circle
 *   GET  /api/v1/circles/{id}/events                                         -> {items, next}
 *   PUT  /api/v1/circles/{id}/agreement         {text, cadence_days}         -> agreement
 *   GET  /api/v1/circles/{id}/agreement                                      -> agreement
 *   POST /api/v1/circles/{id}/agreement/acknowledge {version}                -> agreement
 *   POST /api/v1/circles/{id}/checkins          {attendance: [{person_id, status}], at?}
 *   GET  /api/v1/circles/{id}/checkins
 *   POST|GET /api/v1/circles/{id}/{commitments,requests,feedback,notes,goals,incidents}
 *   GET  /api/v1/circle-items/{id}
 *   POST /api/v1/circle-items/{id}/reply        {text, at?}                  -> 201 item
 *   POST /api/v1/circle-items/{id}/outcome      {outcome, at?}               -> item
 *   POST|GET /api/v1/circles/{id}/pulse         {answers: {REL1..EMP2}}      -> pulse view
 *   GET  /api/v1/circles/{id}/trust                                          -> both directions
 *   GET  /api/v1/circles/{id}/warnings                                       -> {items}
 *   POST /api/v1/circles/{id}/warnings/share    {code}                       -> 204
 */
#include "http/http.h"

#include <string.h>

#include "domain/practice.h"
#include "trust/trust_circle.h"

static json_t *render_circle_list(const store_circle *items, size_t n, int64_t next) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_circle_summary(&items[i]));
  return jt_page(arr, next);
}

static json_t *render_direction(const app_circle_direction *d) {
  json_t *comps = json_object();
  for (int k = 0; k < TRUST_NCOMP; k++) {
    const trust_comp_score *s = &d->score.comp[k];
    json_object_set_new(comps, trust_comp_name((trust_comp)k),
                        json_pack("{s:f, s:f, s:f, s:f}", "p", s->p, "u", s->u, "low", s->low,
                                  "high", s->high));
  }
  json_t *why = json_array();
  for (size_t i = 0; i < d->ntop; i++)
    json_array_append_new(why, json_pack("{s:s, s:s, s:s, s:f, s:o}", "component",
                                         trust_comp_name(d->top[i].comp), "reason",
                                         d->top[i].reason, "sentence", d->top[i].sentence,
                                         "delta", d->top[i].delta, "at", jt_time(d->top[i].t)));
  return json_pack("{s:i, s:f, s:s, s:o, s:o}", "index", trust_index_display(d->score.index),
                   "uncertainty", d->score.uncertainty, "label", trust_label_name(d->score.label),
                   "components", comps, "explanation", why);
}

/* ---- handlers ---- */

static rp_rc ids_of(jin *j, json_t *arr, int64_t **out, size_t *n, rp_err *e) {
  *n = json_array_size(arr);
  *out = arena_zalloc(j->a, sizeof **out * (*n ? *n : 1));
  for (size_t i = 0; i < *n; i++) {
    json_t *v = json_array_get(arr, i);
    if (!json_is_integer(v) || json_integer_value(v) < 1)
      rp_field(e, arena_printf(j->a, "/member_ids/%zu", i), "A person's id.");
    else (*out)[i] = json_integer_value(v);
  }
  return e->rc;
}

static rp_rc circle_form(http_req *r, rp_err *e) {
  static const char *const fields[] = {"program_id", "name", "member_ids", "facilitator_id",
                                       "cadence_days", NULL};
  jin j;
  app_circle_form_in in = {0};
  int64_t cadence = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "program_id", true, &in.program_id);
  in.name = jin_text(&j, "name", true, CIRCLE_NAME_MAX);
  json_t *arr = jin_array(&j, "member_ids", true, CIRCLE_MAX_MEMBERS + 1);
  jin_id(&j, "facilitator_id", false, &in.facilitator_id);
  jin_int(&j, "cadence_days", false, 1, 365, &cadence);
  if (e->rc) return e->rc;
  int64_t *ids;
  if (ids_of(&j, arr, &ids, &in.nmembers, e)) return e->rc;
  in.member_ids = ids;
  in.cadence_days = (int)cadence;
  app_circle ci;
  rp_rc rc = app_circle_form(&r->app, &in, &ci, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_circle(&ci);
  return RP_OK;
}

static rp_rc circle_mine(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_circle *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circles_mine(&r->app, after, limit, &items, &n, &next, e);
  if (!rc) r->out = render_circle_list(items, n, next);
  return rc;
}

static rp_rc circle_of_program(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_circle *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circles_of_program(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (!rc) r->out = render_circle_list(items, n, next);
  return rc;
}

static rp_rc circle_get(http_req *r, rp_err *e) {
  app_circle ci;
  rp_rc rc = app_circle_get(&r->app, r->id[0], &ci, e);
  if (!rc) r->out = render_circle(&ci);
  return rc;
}

static rp_rc empty_body(http_req *r, rp_err *e) {
  static const char *const fields[] = {NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  return e->rc;
}

static rp_rc circle_accept(http_req *r, rp_err *e) {
  app_circle ci;
  rp_rc rc = empty_body(r, e);
  if (!rc) rc = app_circle_accept(&r->app, r->id[0], &ci, e);
  if (!rc) r->out = render_circle(&ci);
  return rc;
}

static rp_rc circle_leave(http_req *r, rp_err *e) {
  app_circle ci;
  rp_rc rc = empty_body(r, e);
  if (!rc) rc = app_circle_leave(&r->app, r->id[0], &ci, e);
  if (!rc) r->out = render_circle(&ci);
  return rc;
}

static rp_rc circle_transition(http_req *r, rp_err *e) {
  static const char *const fields[] = {"to", NULL};
  static const char *const states[] = {"active", "paused", "completed", "ended", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int to = jin_enum(&j, "to", true, states);
  if (e->rc) return e->rc;
  rel_state s;
  rel_state_parse(states[to], &s);
  app_circle ci;
  rp_rc rc = app_circle_transition(&r->app, r->id[0], s, &ci, e);
  if (!rc) r->out = render_circle(&ci);
  return rc;
}

static rp_rc circle_add_member(http_req *r, rp_err *e) {
  int64_t person_id = 0;
  if (http_read_person_id(r, &person_id, e)) return e->rc;
  app_circle ci;
  rp_rc rc = app_circle_add_member(&r->app, r->id[0], person_id, &ci, e);
  if (!rc) r->out = render_circle(&ci);
  return rc;
}

static rp_rc circle_events(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_circle_event *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_events(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
                                         (json_int_t)items[i].id, "kind", items[i].kind, "actor_id",
                                         jt_id(items[i].actor_id), "subject_id",
                                         jt_id(items[i].subject_id), "at", jt_time(items[i].at),
                                         "from_state", jt_str(items[i].from_state), "to_state",
                                         jt_str(items[i].to_state)));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc agreement_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"text", "cadence_days", NULL};
  jin j;
  int64_t cadence = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *text = jin_text(&j, "text", true, CIRCLE_TEXT_MAX);
  jin_int(&j, "cadence_days", true, 1, 365, &cadence);
  if (e->rc) return e->rc;
  app_circle_agreement ag;
  rp_rc rc = app_circle_agreement_put(&r->app, r->id[0], text, (int)cadence, &ag, e);
  if (!rc) r->out = render_circle_agreement(&ag);
  return rc;
}

static rp_rc agreement_get(http_req *r, rp_err *e) {
  app_circle_agreement ag;
  rp_rc rc = app_circle_agreement_get(&r->app, r->id[0], &ag, e);
  if (!rc) r->out = render_circle_agreement(&ag);
  return rc;
}

static rp_rc agreement_ack(http_req *r, rp_err *e) {
  static const char *const fields[] = {"version", NULL};
  jin j;
  int64_t version = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_int(&j, "version", true, 1, 1000000, &version);
  if (e->rc) return e->rc;
  app_circle_agreement ag;
  rp_rc rc = app_circle_agreement_ack(&r->app, r->id[0], (int)version, &ag, e);
  if (!rc) r->out = render_circle_agreement(&ag);
  return rc;
}

static rp_rc checkin_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"attendance", "at", NULL};
  static const char *const mark_fields[] = {"person_id", "status", NULL};
  static const char *const statuses[] = {"present", "late", "absent_with_notice",
                                         "absent_without_notice", NULL};
  jin j;
  rp_time at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *arr = jin_array(&j, "attendance", true, CIRCLE_MAX_MEMBERS);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  size_t n = json_array_size(arr);
  app_circle_mark *marks = arena_zalloc(r->app.a, sizeof *marks * (n ? n : 1));
  for (size_t i = 0; i < n; i++) {
    jin m;
    jin_start(&m, json_array_get(arr, i), arena_printf(r->app.a, "/attendance/%zu", i),
              mark_fields, r->app.a, e);
    jin_id(&m, "person_id", true, &marks[i].person_id);
    int s = jin_enum(&m, "status", true, statuses);
    if (s >= 0) marks[i].status = (circle_attendance)s;
  }
  if (e->rc) return e->rc;
  app_circle_checkin ck;
  rp_rc rc = app_circle_checkin_add(&r->app, r->id[0], has_at ? &at : NULL, marks, n, &ck, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_circle_checkin(&ck);
  return RP_OK;
}

static rp_rc checkin_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_circle_checkin *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_checkins_page(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_circle_checkin(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* Reads the body of a new item of kind k. */
static rp_rc item_in(http_req *r, circle_item_kind k, app_circle_item_in *in, rp_time *at,
                     rp_err *e) {
  static const char *const f_plain[] = {"text", "at", NULL};
  static const char *const f_commit[] = {"text", "due_at", "at", NULL};
  static const char *const f_feedback[] = {"text", "to_id", "kind", "focus", "at", NULL};
  static const char *const f_note[] = {"text", "visibility", "at", NULL};
  static const char *const f_incident[] = {"text", "kind", "concerning_id", "at", NULL};
  static const char *const vis[] = {"private", "shared", NULL};
  const char *const *fields = k == CIRCLE_COMMITMENT ? f_commit
                              : k == CIRCLE_FEEDBACK ? f_feedback
                              : k == CIRCLE_NOTE     ? f_note
                              : k == CIRCLE_INCIDENT ? f_incident
                                                     : f_plain;
  jin j;
  memset(in, 0, sizeof *in);
  in->kind = k;
  in->shared = true;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  in->text = jin_text(&j, "text", true, CIRCLE_TEXT_MAX);
  if (k == CIRCLE_COMMITMENT) jin_time(&j, "due_at", true, &in->due_at);
  if (k == CIRCLE_FEEDBACK) {
    jin_id(&j, "to_id", true, &in->subject_id);
    static const char *const kinds[] = {"recognition", "constructive", NULL};
    static const char *const focus[] = {"task", "person", NULL};
    int kk = jin_enum(&j, "kind", true, kinds), ff = jin_enum(&j, "focus", true, focus);
    if (kk >= 0) in->label = kinds[kk];
    if (ff >= 0) in->focus = focus[ff];
  }
  if (k == CIRCLE_NOTE) in->shared = jin_enum(&j, "visibility", true, vis) == 1;
  if (k == CIRCLE_INCIDENT) {
    in->label = jin_text(&j, "kind", true, 40);
    jin_id(&j, "concerning_id", false, &in->subject_id);
  }
  if (jin_time(&j, "at", false, at)) in->at = at;
  return e->rc;
}

static rp_rc item_add(http_req *r, circle_item_kind k, rp_err *e) {
  app_circle_item_in in;
  rp_time at = 0;
  if (item_in(r, k, &in, &at, e)) return e->rc;
  app_circle_item out;
  rp_rc rc = app_circle_item_add(&r->app, r->id[0], &in, &out, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_circle_item(&out);
  return RP_OK;
}

static rp_rc item_list(http_req *r, circle_item_kind k, rp_err *e) {
  int64_t after, next;
  int limit;
  app_circle_item *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_items_page(&r->app, r->id[0], k, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_circle_item(&items[i]));
  if (k == CIRCLE_REQUEST) { /* each request with the replies the reader may read */
    app_circle_item *replies;
    size_t nr;
    rc = app_circle_items(&r->app, r->id[0], CIRCLE_REPLY, &replies, &nr, e);
    for (size_t i = 0; !rc && i < n; i++) {
      json_t *ra = json_array();
      for (size_t q = 0; q < nr; q++)
        if (replies[q].it.parent_id == items[i].it.id) json_array_append_new(ra, render_circle_item(&replies[q]));
      json_object_set_new(json_array_get(arr, i), "replies", ra);
    }
  }
  if (rc) {
    json_decref(arr);
    return rc;
  }
  r->out = jt_page(arr, next);
  return RP_OK;
}

#define ITEM_ROUTES(name, kind)                                                                \
  static rp_rc name##_add(http_req *r, rp_err *e) { return item_add(r, kind, e); }             \
  static rp_rc name##_list(http_req *r, rp_err *e) { return item_list(r, kind, e); }
ITEM_ROUTES(commitment, CIRCLE_COMMITMENT)
ITEM_ROUTES(request, CIRCLE_REQUEST)
ITEM_ROUTES(feedback, CIRCLE_FEEDBACK)
ITEM_ROUTES(note, CIRCLE_NOTE)
ITEM_ROUTES(goal, CIRCLE_GOAL)
ITEM_ROUTES(incident, CIRCLE_INCIDENT)

static rp_rc item_get(http_req *r, rp_err *e) {
  app_circle_item out;
  rp_rc rc = app_circle_item_get(&r->app, r->id[0], &out, e);
  if (!rc) r->out = render_circle_item(&out);
  return rc;
}

static rp_rc item_reply(http_req *r, rp_err *e) {
  static const char *const fields[] = {"text", "at", NULL};
  jin j;
  rp_time at = 0;
  app_circle_item_in in = {0};
  in.kind = CIRCLE_REPLY;
  in.shared = true;
  in.parent_id = r->id[0];
  jin_start(&j, r->body, "", fields, r->app.a, e);
  in.text = jin_text(&j, "text", true, CIRCLE_TEXT_MAX);
  if (jin_time(&j, "at", false, &at)) in.at = &at;
  if (e->rc) return e->rc;
  app_circle_item out;
  rp_rc rc = app_circle_item_add(&r->app, 0, &in, &out, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_circle_item(&out);
  return RP_OK;
}

static rp_rc item_outcome(http_req *r, rp_err *e) {
  static const char *const fields[] = {"outcome", "at", NULL};
  jin j;
  rp_time at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *outcome = jin_text(&j, "outcome", true, 40);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  app_circle_item out;
  rp_rc rc = app_circle_item_close(&r->app, r->id[0], outcome, has_at ? &at : NULL, &out, e);
  if (!rc) r->out = render_circle_item(&out);
  return rc;
}

static rp_rc pulse_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"answers", NULL};
  static const char *const items[] = {"REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2", NULL};
  jin j;
  int answers[TRUST_PULSE_NITEM] = {0};
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *obj = jin_object(&j, "answers", true);
  if (e->rc) return e->rc;
  jin a;
  jin_start(&a, obj, "/answers", items, r->app.a, e);
  for (int i = 0; i < TRUST_PULSE_NITEM; i++) {
    int64_t v = 0;
    if (jin_int(&a, items[i], false, 0, 5, &v)) answers[i] = (int)v;
  }
  if (e->rc) return e->rc;
  app_circle_pulse_view pv;
  rp_rc rc = app_circle_pulse_add(&r->app, r->id[0], answers, &pv, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_circle_pulse(&pv);
  return RP_OK;
}

static rp_rc pulse_get(http_req *r, rp_err *e) {
  app_circle_pulse_view pv;
  rp_rc rc = app_circle_pulse_get(&r->app, r->id[0], &pv, e);
  if (!rc) r->out = render_circle_pulse(&pv);
  return rc;
}

static rp_rc trust_get(http_req *r, rp_err *e) {
  app_circle_trust t;
  rp_rc rc = app_circle_trust_get(&r->app, r->id[0], &t, e);
  if (rc) return rc;
  r->out = json_pack("{s:o, s:o, s:o}", "circle_in_me", render_direction(&t.in_me),
                     "me_in_circle", render_direction(&t.me_in), "circle",
                     json_pack("{s:I, s:I, s:o}", "raters", (json_int_t)t.raters, "min_raters",
                               (json_int_t)TRUST_CIRCLE_MIN_RATERS, "index",
                               t.circle_shown ? json_integer(trust_index_display(t.circle_index))
                                              : json_null()));
  return RP_OK;
}

static rp_rc warnings_get(http_req *r, rp_err *e) {
  app_circle_warning *items;
  size_t n;
  rp_rc rc = app_circle_warnings(&r->app, r->id[0], &items, &n, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    const app_circle_warning *w = &items[i];
    const practice *p = practice_for_warning(w->text->practice_of);
    json_t *qs = json_array();
    for (int q = 0; q < 3; q++)
      if (w->text->questions[q]) json_array_append_new(qs, json_string(w->text->questions[q]));
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:o, s:b, s:b, s:o, s:o, s:f}", "code", w->text->code,
                       "sentence", w->anonymous ? CIRCLE_ANONYMOUS_SENTENCE : w->text->sentence,
                       "member_id", jt_id(w->member_id), "anonymous", w->anonymous, "shared",
                       w->shared, "practice",
                       p ? json_pack("{s:i, s:s, s:s}", "id", p->id, "slug", p->slug, "title",
                                     p->title)
                         : json_null(),
                       "questions", qs, "figure", w->figure));
  }
  r->out = json_pack("{s:o}", "items", arr);
  return RP_OK;
}

static rp_rc warning_share(http_req *r, rp_err *e) {
  static const char *const fields[] = {"code", NULL};
  static const char *const codes[] = {"MEMBER_DRIFTING", "SILENT_MEMBER", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int k = jin_enum(&j, "code", true, codes);
  if (e->rc) return e->rc;
  circle_warning w;
  circle_warning_parse(codes[k], &w);
  rp_rc rc = app_circle_warning_share(&r->app, r->id[0], w, e);
  if (!rc) r->status = 204;
  return rc;
}

/* clang-format off */
const http_route http_routes_circles[] = {
    {"POST", "/api/v1/circles", circle_form, HTTP_SIGNED_IN,
     {.summary = "Forms a peer circle in a program the caller administers.",
      .body = "{program_id:id name:str member_ids:[id] facilitator_id?:id cadence_days?:int}",
      .status = 201, .answer = "Circle", .problems = "404"}},
    {"GET", "/api/v1/circles", circle_mine, HTTP_SIGNED_IN,
     {.summary = "The circles the caller is or was in.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleSummary")}},
    {"GET", "/api/v1/programs/{id}/circles", circle_of_program, HTTP_SIGNED_IN,
     {.summary = "A program's circles, for its admins.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleSummary")}},
    {"GET", "/api/v1/circles/{id}", circle_get, HTTP_SIGNED_IN,
     {.summary = "One circle: its state, members and counts.",
      .status = 200, .answer = "Circle"}},
    {"POST", "/api/v1/circles/{id}/accept", circle_accept, HTTP_SIGNED_IN,
     {.summary = "Accepts the caller's place in a proposed circle.",
      .body = "{}",
      .status = 200, .answer = "Circle"}},
    {"POST", "/api/v1/circles/{id}/leave", circle_leave, HTTP_SIGNED_IN,
     {.summary = "Leaves a circle.",
      .body = "{}",
      .status = 200, .answer = "Circle"}},
    {"POST", "/api/v1/circles/{id}/transition", circle_transition, HTTP_SIGNED_IN,
     {.summary = "Makes a circle active, paused, completed or ended.",
      .body = "{to:=active,paused,completed,ended}",
      .status = 200, .answer = "Circle"}},
    {"POST", "/api/v1/circles/{id}/members", circle_add_member, HTTP_SIGNED_IN,
     {.summary = "Adds a member to an active circle.",
      .body = "{person_id:id}",
      .status = 200, .answer = "Circle"}},
    {"GET", "/api/v1/circles/{id}/events", circle_events, HTTP_SIGNED_IN,
     {.summary = "A circle's history.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleEvent")}},
    {"PUT", "/api/v1/circles/{id}/agreement", agreement_put, HTTP_SIGNED_IN,
     {.summary = "Writes a new version of a circle's working agreement.",
      .body = "{text:str cadence_days:int}",
      .status = 200, .answer = "CircleAgreement"}},
    {"GET", "/api/v1/circles/{id}/agreement", agreement_get, HTTP_OPENS_TEXT,
     {.summary = "A circle's working agreement as it stands.",
      .status = 200, .answer = "CircleAgreement"}},
    {"POST", "/api/v1/circles/{id}/agreement/acknowledge", agreement_ack, HTTP_SIGNED_IN,
     {.summary = "Acknowledges a version of a circle's working agreement.",
      .body = "{version:int}",
      .status = 200, .answer = "CircleAgreement"}},
    {"POST", "/api/v1/circles/{id}/checkins", checkin_add, HTTP_SIGNED_IN,
     {.summary = "Records a circle's meeting and who came to it.",
      .body = "{attendance:[{person_id:id status:=present,late,absent_with_notice,"
      "absent_without_notice}] at?:time}",
      .status = 201, .answer = "CircleCheckin"}},
    {"GET", "/api/v1/circles/{id}/checkins", checkin_list, HTTP_SIGNED_IN,
     {.summary = "A circle's meetings.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleCheckin")}},
    {"POST", "/api/v1/circles/{id}/commitments", commitment_add, HTTP_SIGNED_IN,
     {.summary = "Makes a commitment in a circle.",
      .body = "{text:str due_at:time at?:time}",
      .status = 201, .answer = "CircleCommitment"}},
    {"GET", "/api/v1/circles/{id}/commitments", commitment_list, HTTP_OPENS_TEXT,
     {.summary = "A circle's commitments.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleCommitment")}},
    {"POST", "/api/v1/circles/{id}/requests", request_add, HTTP_SIGNED_IN,
     {.summary = "Asks the circle for something.",
      .body = "{text:str at?:time}",
      .status = 201, .answer = "CircleRequest"}},
    {"GET", "/api/v1/circles/{id}/requests", request_list, HTTP_OPENS_TEXT,
     {.summary = "A circle's requests, each with the replies the caller may read.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleRequest")}},
    {"POST", "/api/v1/circles/{id}/feedback", feedback_add, HTTP_SIGNED_IN,
     {.summary = "Gives another member of the circle feedback.",
      .body = "{text:str to_id:id kind:=recognition,constructive focus:=task,person at?:time}",
      .status = 201, .answer = "CircleFeedback"}},
    {"GET", "/api/v1/circles/{id}/feedback", feedback_list, HTTP_OPENS_TEXT,
     {.summary = "The circle's feedback the caller may read.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleFeedback")}},
    {"POST", "/api/v1/circles/{id}/notes", note_add, HTTP_SIGNED_IN,
     {.summary = "Writes a note in a circle, private or shared with it.",
      .body = "{text:str visibility:=private,shared at?:time}",
      .status = 201, .answer = "CircleNote"}},
    {"GET", "/api/v1/circles/{id}/notes", note_list, HTTP_OPENS_TEXT,
     {.summary = "The circle's notes the caller may read.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleNote")}},
    {"POST", "/api/v1/circles/{id}/goals", goal_add, HTTP_SIGNED_IN,
     {.summary = "Sets a goal in a circle.",
      .body = "{text:str at?:time}",
      .status = 201, .answer = "CircleGoal"}},
    {"GET", "/api/v1/circles/{id}/goals", goal_list, HTTP_OPENS_TEXT,
     {.summary = "A circle's goals.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleGoal")}},
    {"POST", "/api/v1/circles/{id}/incidents", incident_add, HTTP_SIGNED_IN,
     {.summary = "Reports an incident in a circle, concerning one of its members or none.",
      .body = "{text:str kind:=confidentiality,bias,judgment,other concerning_id?:id at?:time}",
      .status = 201, .answer = "CircleIncident"}},
    {"GET", "/api/v1/circles/{id}/incidents", incident_list, HTTP_OPENS_TEXT,
     {.summary = "The circle's incidents the caller may read.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleIncident")}},
    {"GET", "/api/v1/circle-items/{id}", item_get, HTTP_OPENS_TEXT,
     {.summary = "One thing written in a circle.",
      .status = 200, .answer = "CircleItem"}},
    {"POST", "/api/v1/circle-items/{id}/reply", item_reply, HTTP_SIGNED_IN,
     {.summary = "Replies to a circle's request.",
      .body = "{text:str at?:time}",
      .status = 201, .answer = "CircleReply"}},
    {"POST", "/api/v1/circle-items/{id}/outcome", item_outcome, HTTP_SIGNED_IN,
     {.summary = "Closes a circle's commitment or goal with its outcome.",
      .body = "{outcome:=kept,kept_late,broken,dropped,achieved at?:time}",
      .status = 200, .answer = "CircleCommitment|CircleGoal"}},
    {"POST", "/api/v1/circles/{id}/pulse", pulse_add, HTTP_SIGNED_IN,
     {.summary = "Answers the circle's pulse.",
      .body = "{answers:{REL1?:int REL2?:int INT1?:int INT2?:int COM1?:int EMP1?:int EMP2?:int}}",
      .status = 201, .answer = "CirclePulse"}},
    {"GET", "/api/v1/circles/{id}/pulse", pulse_get, HTTP_SIGNED_IN,
     {.summary = "The caller's pulse answers and the circle's means.",
      .status = 200, .answer = "CirclePulse"}},
    {"GET", "/api/v1/circles/{id}/trust", trust_get, HTTP_SIGNED_IN,
     {.summary = "Trust between the caller and a circle, both ways, and the circle's own index.",
      .status = 200, .answer = "{circle_in_me:CircleTrustDirection "
      "me_in_circle:CircleTrustDirection circle:{raters:int min_raters:int index:int?}}"}},
    {"GET", "/api/v1/circles/{id}/warnings", warnings_get, HTTP_SIGNED_IN,
     {.summary = "A circle's early warnings the caller may see.",
      .status = 200, .answer = "{items:[CircleWarning]}"}},
    {"POST", "/api/v1/circles/{id}/warnings/share", warning_share, HTTP_SIGNED_IN,
     {.summary = "Shares a warning about the caller with the circle.",
      .body = "{code:=MEMBER_DRIFTING,SILENT_MEMBER}",
      .status = 204}},
    {0},
};
/* clang-format on */
