/* routes_matching.c: matching's HTTP routes (app/matching/matching.h).
 *
 *   GET    /api/v1/programs/{id}/topics             {items: [{id, name}], next}
 *   POST   /api/v1/programs/{id}/topics             201 {id, name}        admins
 *   DELETE /api/v1/programs/{id}/topics/{id}        204                   admins
 *   GET    /api/v1/programs/{id}/attributes         (the same for attributes)
 *   POST   /api/v1/programs/{id}/attributes
 *   DELETE /api/v1/programs/{id}/attributes/{id}
 *   GET    /api/v1/programs/{id}/profile            my profile, all of it
 *   PUT    /api/v1/programs/{id}/profile            my profile (the fields sent)
 *   GET    /api/v1/programs/{id}/profiles/{id}      a member's public profile
 *   POST   /api/v1/programs/{id}/blocks             204 {person_id, blocked}
 *   PUT    /api/v1/programs/{id}/reporting-lines/{id}  204 {manager_email}  admins
 *   GET    /api/v1/programs/{id}/matching-settings  settings              admins
 *   PUT    /api/v1/programs/{id}/matching-settings  settings              admins
 *   POST   /api/v1/programs/{id}/matching-runs      201 run               admins
 *   GET    /api/v1/programs/{id}/matching-runs      {items: [run summary], next}
 *   GET    /api/v1/matching-runs/{id}               run
 *   POST   /api/v1/matching-runs/{id}/lock          run {learner_id, guide_id, locked}
 *   POST   /api/v1/matching-runs/{id}/exclude       run {learner_id, guide_id?}
 *   POST   /api/v1/matching-runs/{id}/rerun         run
 *   POST   /api/v1/matching-runs/{id}/publish       run, with "published"
 *   GET    /api/v1/programs/{id}/suggestions        {items: [suggestion], at}  learners
 *   POST   /api/v1/programs/{id}/match-requests     201 request {guide_id}
 *   GET    /api/v1/match-requests                   {items: [request], next}  mine
 *   POST   /api/v1/match-requests/{id}/accept       request (the guide)
 *   POST   /api/v1/match-requests/{id}/decline      request (the guide)
 *   POST   /api/v1/match-requests/{id}/withdraw     request (the learner)
 *   GET    /api/v1/relationships/{id}/exit-answer   {reasons} mine (a party)
 *   PUT    /api/v1/relationships/{id}/exit-answer   {reasons} mine
 *   GET    /api/v1/programs/{id}/matching-learning  k-anonymous figures   admins
 *
 * The renderers of these objects are here, with the routes that alone
 * send them.
 */
#include "http/http.h"

#include <string.h>

/* ---- renderers ---- */

static json_t *render_named(const store_match_named *x) {
  return json_pack("{s:I, s:s}", "id", (json_int_t)x->id, "name", x->name);
}

static json_t *render_windows(const store_match_window *w, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:i, s:i}", "start", w[i].start_minute, "end",
                                         w[i].end_minute));
  return arr;
}

static json_t *render_langs(const char *list) {
  json_t *arr = json_array();
  const char *s = list;
  while (s && *s) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    json_array_append_new(arr, json_stringn(s, len));
    s = comma ? comma + 1 : NULL;
  }
  return arr;
}

json_t *http_render_match_profile(const app_match_profile *p) {
  json_t *o = json_pack(
      "{s:I, s:I, s:o, s:b, s:b, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "program_id",
      (json_int_t)p->program_id, "person_id", (json_int_t)p->person_id, "name", jt_str(p->name),
      "learner", p->learner, "guide", p->guide, "languages", render_langs(p->p.languages),
      "time_zone", p->p.time_zone ? p->p.time_zone : "UTC", "about", p->p.about ? p->p.about : "",
      "wants", jt_ids(p->wants, p->nwants), "offers", jt_ids(p->offers, p->noffers), "windows",
      render_windows(p->windows, p->nwindows), "updated_at", jt_time(p->p.updated_at));
  if (p->guide) {
    json_object_set_new(o, "capacity", json_integer(p->p.capacity));
    json_object_set_new(o, "taking_new", json_boolean(p->p.taking_new));
  }
  if (p->own) {
    json_t *attrs = json_array();
    for (size_t i = 0; i < p->nattrs; i++)
      json_array_append_new(attrs, json_pack("{s:I, s:s, s:o, s:s}", "attribute_id",
                                             (json_int_t)p->attrs[i].attribute_id, "name",
                                             p->attrs[i].name, "value", jt_str(p->attrs[i].value),
                                             "wish", p->attrs[i].wish));
    json_object_set_new(o, "attributes", attrs);
    json_object_set_new(o, "blocks", jt_ids(p->blocks, p->nblocks));
  }
  if (p->own || p->manager_email) json_object_set_new(o, "manager_email", jt_str(p->manager_email));
  return o;
}

static json_t *render_parts(const match_parts *p, bool with_attributes) {
  json_t *o = json_object();
  for (int i = 0; i < MATCH_NPARTS; i++) {
    if (i == MATCH_P_ATTRIBUTES && !with_attributes) continue;
    json_object_set_new(o, match_part_name((match_part)i),
                        p->applies[i] ? json_integer(p->part[i]) : json_null());
  }
  return o;
}

static json_t *render_settings(const store_match_settings *s) {
  json_t *w = json_object();
  for (int i = 0; i < MATCH_NPARTS; i++)
    json_object_set_new(w, match_part_name((match_part)i), json_integer(s->weight[i]));
  return json_pack("{s:o, s:i, s:s, s:i}", "weights", w, "min_overlap_minutes",
                   s->min_overlap_minutes, "mode", s->fairness ? "fairness" : "total",
                   "request_window_hours", s->request_window_hours);
}

static json_t *render_run_summary(const store_match_run *r) {
  return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->id,
                   "program_id", (json_int_t)r->program_id, "state", r->state, "mode",
                   r->fairness ? "fairness" : "total", "created_by", jt_id(r->created_by),
                   "created_at", jt_time(r->created_at), "solved_at", jt_time(r->solved_at),
                   "published_at", jt_time(r->published_at));
}

static json_t *render_run(const app_match_run *v, rp_time at) {
  json_t *o = render_run_summary(&v->run);
  json_t *pairs = json_array();
  for (size_t i = 0; i < v->npairs; i++) {
    const app_match_pair *p = &v->pairs[i];
    json_array_append_new(
        pairs, json_pack("{s:I, s:o, s:I, s:o, s:i, s:b, s:o, s:o}", "learner_id",
                         (json_int_t)p->learner_id, "learner_name", jt_str(p->learner_name),
                         "guide_id", (json_int_t)p->guide_id, "guide_name", jt_str(p->guide_name),
                         "score", p->score, "locked", p->locked, "parts",
                         render_parts(&p->parts, false), "why", jt_str(p->why)));
  }
  json_t *un = json_array();
  for (size_t i = 0; i < v->nunmatched; i++) {
    const app_match_unmatched *u = &v->unmatched[i];
    json_t *ruled = json_object();
    for (int r = MATCH_SELF; r < MATCH_NREASONS; r++)
      if (u->counts[r]) json_object_set_new(ruled, match_reason_name((match_reason)r),
                                            json_integer(u->counts[r]));
    json_array_append_new(un, json_pack("{s:I, s:o, s:s, s:o}", "learner_id",
                                        (json_int_t)u->learner_id, "name", jt_str(u->name),
                                        "reason", match_reason_name(u->reason),
                                        "guides_ruled_out", ruled));
  }
  json_t *bands = json_pack("{s:i, s:i, s:i, s:i, s:i}", "0-49", v->bands[0], "50-59",
                            v->bands[1], "60-69", v->bands[2], "70-79", v->bands[3], "80-100",
                            v->bands[4]);
  json_object_set_new(o, "summary",
                      json_pack("{s:I, s:I, s:I, s:I, s:i, s:o, s:I, s:I}", "learners",
                                (json_int_t)v->learners, "matched", (json_int_t)v->npairs,
                                "unmatched", (json_int_t)v->nunmatched, "total",
                                (json_int_t)v->total, "minimum", v->minimum, "distribution",
                                bands, "greedy_total", (json_int_t)v->greedy_total,
                                "blocking_pairs", (json_int_t)v->blocking));
  json_object_set_new(o, "pairs", pairs);
  json_object_set_new(o, "unmatched", un);
  json_object_set_new(o, "at", jt_time(at));
  return o;
}

json_t *http_render_match_request(const store_match_request *q) {
  return json_pack("{s:I, s:I, s:I, s:o, s:I, s:o, s:s, s:i, s:o, s:o, s:o, s:o}", "id",
                   (json_int_t)q->id, "program_id", (json_int_t)q->program_id, "learner_id",
                   (json_int_t)q->learner_id, "learner_name", jt_str(q->learner_name),
                   "guide_id", (json_int_t)q->guide_id, "guide_name", jt_str(q->guide_name),
                   "state", q->state, "score", q->score, "created_at", jt_time(q->created_at),
                   "due_at", jt_time(q->due_at), "answered_at", jt_time(q->answered_at),
                   "relationship_id", jt_id(q->relationship_id));
}

static json_t *render_figure(const app_match_figure *f, bool interval) {
  if (!f->shown)
    return json_pack("{s:b, s:s, s:I}", "suppressed", 1, "reason",
                     f->reason ? f->reason : "fewer than k", "units", (json_int_t)0);
  if (!interval)
    return json_pack("{s:f, s:I}", "mean_trust_index", f->value, "relationships",
                     (json_int_t)f->units);
  return json_pack("{s:f, s:f, s:f, s:I}", "r", f->value, "low", f->low, "high", f->high,
                   "relationships", (json_int_t)f->units);
}

/* ---- the program's lists ---- */

static rp_rc list_get(http_req *r, app_match_list which, rp_err *e) {
  store_match_named *items;
  size_t n;
  rp_rc rc = app_match_list_get(&r->app, r->id[0], which, &items, &n, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_named(&items[i]));
  r->out = jt_page(arr, 0);
  return RP_OK;
}

static rp_rc list_add(http_req *r, app_match_list which, rp_err *e) {
  static const char *const fields[] = {"name", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *name = jin_text(&j, "name", true, 4 * APP_MATCH_NAME_MAX);
  if (e->rc) return e->rc;
  int64_t id;
  rp_rc rc = app_match_list_add(&r->app, r->id[0], which, name, &id, e);
  if (rc) return rc;
  store_match_named x = {id, name};
  r->status = 201;
  r->out = render_named(&x);
  json_object_set_new(r->out, "name", json_string(name));
  return RP_OK;
}

static rp_rc list_delete(http_req *r, app_match_list which, rp_err *e) {
  rp_rc rc = app_match_list_delete(&r->app, r->id[0], which, r->id[1], e);
  if (!rc) r->status = 204;
  return rc;
}

static rp_rc topics_get(http_req *r, rp_err *e) { return list_get(r, APP_MATCH_TOPICS, e); }
static rp_rc topics_add(http_req *r, rp_err *e) { return list_add(r, APP_MATCH_TOPICS, e); }
static rp_rc topics_delete(http_req *r, rp_err *e) { return list_delete(r, APP_MATCH_TOPICS, e); }
static rp_rc attrs_get(http_req *r, rp_err *e) { return list_get(r, APP_MATCH_ATTRIBUTES, e); }
static rp_rc attrs_add(http_req *r, rp_err *e) { return list_add(r, APP_MATCH_ATTRIBUTES, e); }
static rp_rc attrs_delete(http_req *r, rp_err *e) {
  return list_delete(r, APP_MATCH_ATTRIBUTES, e);
}

/* ---- profiles ---- */

static rp_rc profile_mine(http_req *r, rp_err *e) {
  app_match_profile p;
  rp_rc rc = app_match_profile_get(&r->app, r->id[0], 0, &p, e);
  if (!rc) r->out = http_render_match_profile(&p);
  return rc;
}

static rp_rc profile_of(http_req *r, rp_err *e) {
  app_match_profile p;
  rp_rc rc = app_match_profile_get(&r->app, r->id[0], r->id[1], &p, e);
  if (!rc) r->out = http_render_match_profile(&p);
  return rc;
}

/* An array of ids of at most max items, into *out (the arena). */
static bool ids_in(jin *j, const char *key, size_t max, int64_t **out, size_t *n) {
  json_t *arr = jin_array(j, key, false, max);
  if (!arr) return false;
  *n = json_array_size(arr);
  *out = arena_alloc(j->a, (*n + 1) * sizeof **out);
  for (size_t i = 0; i < *n; i++) {
    json_t *v = json_array_get(arr, i);
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
      rp_field(j->e, arena_printf(j->a, "%s/%zu", jin_pointer(j, key), i), "An id.");
      return false;
    }
    (*out)[i] = json_integer_value(v);
  }
  return true;
}

static rp_rc profile_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"languages", "time_zone", "capacity", "taking_new",
                                       "about",     "wants",     "offers",   "windows",
                                       "attributes", NULL};
  jin j;
  app_match_profile_in in = {0};
  arena *a = r->app.a;
  jin_start(&j, r->body, "", fields, a, e);
  json_t *langs = jin_array(&j, "languages", false, MATCH_MAX_LANGS);
  if (langs) {
    in.has_languages = true;
    in.nlanguages = json_array_size(langs);
    in.languages = arena_alloc(a, (in.nlanguages + 1) * sizeof *in.languages);
    for (size_t i = 0; i < in.nlanguages; i++) {
      json_t *v = json_array_get(langs, i);
      in.languages[i] = json_is_string(v) ? json_string_value(v) : "";
    }
  }
  in.time_zone = jin_text(&j, "time_zone", false, 64);
  in.has_time_zone = in.time_zone != NULL;
  int64_t cap;
  if (jin_int(&j, "capacity", false, -1000000, 1000000, &cap)) { /* app/ says the range */
    in.has_capacity = true;
    in.capacity = (int)cap;
  }
  in.has_taking_new = jin_bool(&j, "taking_new", false, &in.taking_new);
  if (json_object_get(r->body, "about")) {
    json_t *about = json_object_get(r->body, "about");
    in.has_about = true;
    if (json_is_string(about) && json_string_length(about) == 0) in.about = "";
    else in.about = jin_text(&j, "about", false, APP_MATCH_ABOUT_MAX);
  }
  int64_t *ids;
  size_t n;
  if (ids_in(&j, "wants", MATCH_MAX_WANTS, &ids, &n)) {
    in.has_wants = true;
    in.wants = ids;
    in.nwants = n;
  }
  if (ids_in(&j, "offers", APP_MATCH_LIST_MAX, &ids, &n)) {
    in.has_offers = true;
    in.offers = ids;
    in.noffers = n;
  }
  json_t *wins = jin_array(&j, "windows", false, APP_MATCH_WINDOWS_MAX);
  if (wins) {
    in.has_windows = true;
    in.nwindows = json_array_size(wins);
    store_match_window *w = arena_alloc(a, (in.nwindows + 1) * sizeof *w);
    for (size_t i = 0; i < in.nwindows; i++) {
      static const char *const wf[] = {"start", "end", NULL};
      jin wj;
      jin_start(&wj, json_array_get(wins, i), arena_printf(a, "/windows/%zu", i), wf, a, e);
      int64_t s = 0, en = 0;
      jin_int(&wj, "start", true, 0, 10080, &s);
      jin_int(&wj, "end", true, 0, 10080, &en);
      w[i] = (store_match_window){(int)s, (int)en};
    }
    in.windows = w;
  }
  json_t *attrs = jin_array(&j, "attributes", false, MATCH_MAX_ATTRS);
  if (attrs) {
    static const char *const af[] = {"attribute_id", "value", "wish", NULL};
    static const char *const wishes[] = {"similar", "different", "none", NULL};
    in.has_attrs = true;
    in.nattrs = json_array_size(attrs);
    store_match_attr_value *v = arena_zalloc(a, (in.nattrs + 1) * sizeof *v);
    for (size_t i = 0; i < in.nattrs; i++) {
      jin aj;
      jin_start(&aj, json_array_get(attrs, i), arena_printf(a, "/attributes/%zu", i), af, a, e);
      jin_id(&aj, "attribute_id", true, &v[i].attribute_id);
      v[i].value = jin_text(&aj, "value", false, APP_MATCH_NAME_MAX);
      int wish = jin_enum(&aj, "wish", false, wishes);
      v[i].wish = wish >= 0 ? wishes[wish] : "none";
    }
    in.attrs = v;
  }
  if (e->rc) return e->rc;
  app_match_profile p;
  rp_rc rc = app_match_profile_put(&r->app, r->id[0], &in, &p, e);
  if (!rc) r->out = http_render_match_profile(&p);
  return rc;
}

static rp_rc block_set(http_req *r, rp_err *e) {
  static const char *const fields[] = {"person_id", "blocked", NULL};
  jin j;
  int64_t who = 0;
  bool blocked = true;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "person_id", true, &who);
  jin_bool(&j, "blocked", false, &blocked);
  if (e->rc) return e->rc;
  rp_rc rc = app_match_block(&r->app, r->id[0], who, blocked, e);
  if (!rc) r->status = 204;
  return rc;
}

static rp_rc line_set(http_req *r, rp_err *e) {
  static const char *const fields[] = {"manager_email", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *email = NULL;
  json_t *v = json_object_get(r->body, "manager_email");
  if (v && !json_is_null(v)) email = jin_text(&j, "manager_email", false, 254);
  if (e->rc) return e->rc;
  rp_rc rc = app_match_reporting_line(&r->app, r->id[0], r->id[1], email, e);
  if (!rc) r->status = 204;
  return rc;
}

/* ---- settings ---- */

static rp_rc settings_get(http_req *r, rp_err *e) {
  store_match_settings s;
  rp_rc rc = app_match_settings_get(&r->app, r->id[0], &s, e);
  if (!rc) r->out = render_settings(&s);
  return rc;
}

static rp_rc settings_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"weights", "min_overlap_minutes", "mode",
                                       "request_window_hours", NULL};
  static const char *const modes[] = {"total", "fairness", NULL};
  store_match_settings s;
  rp_rc rc = app_match_settings_get(&r->app, r->id[0], &s, e);
  if (rc) return rc;
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *w = jin_object(&j, "weights", false);
  if (w) {
    static const char *const parts[] = {"topics", "availability", "language", "attributes",
                                        "experience", NULL};
    jin wj;
    jin_start(&wj, w, "/weights", parts, r->app.a, e);
    for (int i = 0; i < MATCH_NPARTS; i++) {
      int64_t v;
      if (jin_int(&wj, parts[i], false, 0, 100, &v)) s.weight[i] = (int)v;
    }
  }
  int64_t v;
  if (jin_int(&j, "min_overlap_minutes", false, 0, 2400, &v)) s.min_overlap_minutes = (int)v;
  if (jin_int(&j, "request_window_hours", false, 1, 720, &v)) s.request_window_hours = (int)v;
  int mode = jin_enum(&j, "mode", false, modes);
  if (mode >= 0) s.fairness = mode == 1;
  if (e->rc) return e->rc;
  rc = app_match_settings_put(&r->app, r->id[0], &s, e);
  if (!rc) r->out = render_settings(&s);
  return rc;
}

/* ---- runs ---- */

static rp_rc run_create(http_req *r, rp_err *e) {
  app_match_run v;
  rp_rc rc = app_match_run_create(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_run(&v, r->app.now);
  return RP_OK;
}

static rp_rc runs_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_match_run *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_match_runs_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_run_summary(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc run_get(http_req *r, rp_err *e) {
  app_match_run v;
  rp_rc rc = app_match_run_get(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_run(&v, r->app.now);
  return rc;
}

static rp_rc run_lock(http_req *r, rp_err *e) {
  static const char *const fields[] = {"learner_id", "guide_id", "locked", NULL};
  jin j;
  int64_t l = 0, g = 0;
  bool locked = true;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "learner_id", true, &l);
  jin_id(&j, "guide_id", true, &g);
  jin_bool(&j, "locked", false, &locked);
  if (e->rc) return e->rc;
  app_match_run v;
  rp_rc rc = app_match_run_lock(&r->app, r->id[0], l, g, locked, &v, e);
  if (!rc) r->out = render_run(&v, r->app.now);
  return rc;
}

static rp_rc run_exclude(http_req *r, rp_err *e) {
  static const char *const fields[] = {"learner_id", "guide_id", NULL};
  jin j;
  int64_t l = 0, g = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "learner_id", true, &l);
  jin_id(&j, "guide_id", false, &g);
  if (e->rc) return e->rc;
  app_match_run v;
  rp_rc rc = app_match_run_exclude(&r->app, r->id[0], l, g, &v, e);
  if (!rc) r->out = render_run(&v, r->app.now);
  return rc;
}

static rp_rc run_rerun(http_req *r, rp_err *e) {
  app_match_run v;
  rp_rc rc = app_match_run_rerun(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_run(&v, r->app.now);
  return rc;
}

static rp_rc run_publish(http_req *r, rp_err *e) {
  app_match_run v;
  int64_t created = 0;
  rp_rc rc = app_match_run_publish(&r->app, r->id[0], &created, &v, e);
  if (rc) return rc;
  r->out = render_run(&v, r->app.now);
  json_object_set_new(r->out, "published", json_integer(created));
  return RP_OK;
}

/* ---- self-match ---- */

static rp_rc suggestions(http_req *r, rp_err *e) {
  app_match_suggestion *items;
  size_t n;
  rp_rc rc = app_match_suggestions(&r->app, r->id[0], &items, &n, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    const app_match_suggestion *s = &items[i];
    json_array_append_new(
        arr, json_pack("{s:I, s:o, s:s, s:o, s:o, s:i, s:o, s:o}", "guide_id",
                       (json_int_t)s->guide_id, "name", jt_str(s->name), "about",
                       s->about ? s->about : "", "languages", render_langs(s->languages),
                       "offers", jt_ids(s->offers, s->noffers), "score", s->score, "parts",
                       render_parts(&s->parts, true), "why", jt_str(s->why)));
  }
  r->out = json_pack("{s:o, s:o, s:o}", "items", arr, "next", json_null(), "at",
                     jt_time(r->app.now));
  return RP_OK;
}

static rp_rc request_create(http_req *r, rp_err *e) {
  static const char *const fields[] = {"guide_id", NULL};
  jin j;
  int64_t g = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "guide_id", true, &g);
  if (e->rc) return e->rc;
  store_match_request q;
  rp_rc rc = app_match_request(&r->app, r->id[0], g, &q, e);
  if (rc) return rc;
  r->status = 201;
  r->out = http_render_match_request(&q);
  return RP_OK;
}

static rp_rc requests_mine(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_match_request *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_match_requests_mine(&r->app, after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, http_render_match_request(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc request_answer(http_req *r, app_match_answer a, rp_err *e) {
  store_match_request q;
  rp_rc rc = app_match_request_answer(&r->app, r->id[0], a, &q, e);
  if (!rc) r->out = http_render_match_request(&q);
  return rc;
}
static rp_rc request_accept(http_req *r, rp_err *e) {
  return request_answer(r, APP_MATCH_ACCEPT, e);
}
static rp_rc request_decline(http_req *r, rp_err *e) {
  return request_answer(r, APP_MATCH_DECLINE, e);
}
static rp_rc request_withdraw(http_req *r, rp_err *e) {
  return request_answer(r, APP_MATCH_WITHDRAW, e);
}

/* ---- rematch ---- */

static json_t *render_exit(unsigned flags, bool found) {
  json_t *arr = json_array();
  static const char *const names[] = {"topics", "availability", "style", "chemistry"};
  for (unsigned i = 0; i < 4; i++)
    if (flags & (1u << i)) json_array_append_new(arr, json_string(names[i]));
  return json_pack("{s:o, s:b}", "reasons", arr, "answered", found);
}

static rp_rc exit_get(http_req *r, rp_err *e) {
  unsigned flags;
  bool found;
  rp_rc rc = app_match_exit_get(&r->app, r->id[0], &flags, &found, e);
  if (!rc) r->out = render_exit(flags, found);
  return rc;
}

static rp_rc exit_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"reasons", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *arr = jin_array(&j, "reasons", true, 4);
  unsigned flags = 0;
  for (size_t i = 0; arr && i < json_array_size(arr); i++) {
    json_t *v = json_array_get(arr, i);
    unsigned f = 0;
    if (!json_is_string(v) || !app_match_exit_parse(json_string_value(v), &f))
      rp_field(e, arena_printf(r->app.a, "/reasons/%zu", i),
               "One of topics, availability, style, chemistry.");
    flags |= f;
  }
  if (e->rc) return e->rc;
  rp_rc rc = app_match_exit_answer(&r->app, r->id[0], flags, e);
  if (!rc) r->out = render_exit(flags, true);
  return rc;
}

/* ---- learning ---- */

static rp_rc learning(http_req *r, rp_err *e) {
  app_match_learning l;
  rp_rc rc = app_match_learning_get(&r->app, r->id[0], &l, e);
  if (rc) return rc;
  json_t *parts = json_object();
  for (int i = 0; i < MATCH_NPARTS; i++)
    json_object_set_new(parts, match_part_name((match_part)i), render_figure(&l.part[i], true));
  static const char *const band_names[] = {"0-49", "50-59", "60-69", "70-79", "80-100"};
  json_t *bands = json_object();
  for (int b = 0; b < 5; b++)
    json_object_set_new(bands, band_names[b], render_figure(&l.band[b], false));
  r->out = json_pack("{s:I, s:i, s:o, s:o, s:i, s:I, s:o, s:o, s:o}", "program_id",
                     (json_int_t)l.program_id, "k", l.k, "as_of", jt_time(l.as_of),
                     "matched_before", jt_time(l.matched_before), "after_days",
                     APP_MATCH_LEARN_DAYS, "relationships", (json_int_t)l.relationships,
                     "score", render_figure(&l.score, true), "parts", parts, "bands", bands);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_matching[] = {
    {"GET", "/api/v1/programs/{id}/topics", topics_get, HTTP_SIGNED_IN,
     {.summary = "Lists a program's topics, for its members.",
      .status = 200, .answer = HTTP_PAGE_OF("MatchNamed")}},
    {"POST", "/api/v1/programs/{id}/topics", topics_add, HTTP_SIGNED_IN,
     {.summary = "Adds a topic to a program (its administrators).",
      .body = "{name:str}",
      .status = 201, .answer = "MatchNamed"}},
    {"DELETE", "/api/v1/programs/{id}/topics/{id}", topics_delete, HTTP_SIGNED_IN,
     {.summary = "Removes a topic from a program (its administrators).",
      .status = 204}},
    {"GET", "/api/v1/programs/{id}/attributes", attrs_get, HTTP_SIGNED_IN,
     {.summary = "Lists a program's matching attributes, for its members.",
      .status = 200, .answer = HTTP_PAGE_OF("MatchNamed")}},
    {"POST", "/api/v1/programs/{id}/attributes", attrs_add, HTTP_SIGNED_IN,
     {.summary = "Adds a matching attribute to a program (its administrators).",
      .body = "{name:str}",
      .status = 201, .answer = "MatchNamed"}},
    {"DELETE", "/api/v1/programs/{id}/attributes/{id}", attrs_delete, HTTP_SIGNED_IN,
     {.summary = "Removes a matching attribute from a program (its administrators).",
      .status = 204}},
    {"GET", "/api/v1/programs/{id}/profile", profile_mine, HTTP_SIGNED_IN,
     {.summary = "The caller's own matching profile in a program, all of it.",
      .status = 200, .answer = "MatchProfile"}},
    {"PUT", "/api/v1/programs/{id}/profile", profile_put, HTTP_SIGNED_IN,
     {.summary = "Changes the members sent of the caller's matching profile in a program.",
      .body = "{languages?:[str] time_zone?:str capacity?:int taking_new?:bool about?:str "
      "wants?:[id] offers?:[id] windows?:[{start:int end:int}] attributes?:[{attribute_id:id "
      "value?:str wish?:=similar,different,none}]}",
      .status = 200, .answer = "MatchProfile"}},
    {"GET", "/api/v1/programs/{id}/profiles/{id}", profile_of, HTTP_SIGNED_IN,
     {.summary = "A member's matching profile, as other members of the program may see it.",
      .status = 200, .answer = "MatchProfile"}},
    {"POST", "/api/v1/programs/{id}/blocks", block_set, HTTP_SIGNED_IN,
     {.summary = "Blocks a member of the program from being matched with the caller, or unblocks "
      "them.",
      .body = "{person_id:id blocked?:bool}",
      .status = 204}},
    {"PUT", "/api/v1/programs/{id}/reporting-lines/{id}", line_set, HTTP_SIGNED_IN,
     {.summary = "Sets or clears a member's manager, whom matching keeps apart from them (the "
      "program's administrators).",
      .body = "{manager_email?:str?}",
      .status = 204}},
    {"GET", "/api/v1/programs/{id}/matching-settings", settings_get, HTTP_SIGNED_IN,
     {.summary = "A program's matching weights and rules (its administrators).",
      .status = 200, .answer = "MatchSettings"}},
    {"PUT", "/api/v1/programs/{id}/matching-settings", settings_put, HTTP_SIGNED_IN,
     {.summary = "Changes the members sent of a program's matching settings (its "
      "administrators).",
      .body = "{weights?:{topics?:int availability?:int language?:int attributes?:int "
      "experience?:int} min_overlap_minutes?:int request_window_hours?:int "
      "mode?:=total,fairness}",
      .status = 200, .answer = "MatchSettings"}},
    {"POST", "/api/v1/programs/{id}/matching-runs", run_create, HTTP_SIGNED_IN,
     {.summary = "Starts a draft matching run of a program and solves it (its administrators).",
      .status = 201, .answer = "MatchRun"}},
    {"GET", "/api/v1/programs/{id}/matching-runs", runs_list, HTTP_SIGNED_IN,
     {.summary = "Lists a program's matching runs, oldest first (its administrators).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("MatchRunSummary")}},
    {"GET", "/api/v1/matching-runs/{id}", run_get, HTTP_SIGNED_IN,
     {.summary = "A matching run with its pairs and unmatched learners (the program's "
      "administrators).",
      .status = 200, .answer = "MatchRun"}},
    {"POST", "/api/v1/matching-runs/{id}/lock", run_lock, HTTP_SIGNED_IN,
     {.summary = "Locks a learner to a guide in a draft run, or unlocks them, and solves it "
      "again.",
      .body = "{learner_id:id guide_id:id locked?:bool}",
      .status = 200, .answer = "MatchRun"}},
    {"POST", "/api/v1/matching-runs/{id}/exclude", run_exclude, HTTP_SIGNED_IN,
     {.summary = "Leaves a learner, or one pairing of a learner and a guide, out of a draft run "
      "and solves it again.",
      .body = "{learner_id:id guide_id?:id}",
      .status = 200, .answer = "MatchRun"}},
    {"POST", "/api/v1/matching-runs/{id}/rerun", run_rerun, HTTP_SIGNED_IN,
     {.summary = "Solves a draft run again with the program's current profiles and settings.",
      .status = 200, .answer = "MatchRun"}},
    {"POST", "/api/v1/matching-runs/{id}/publish", run_publish, HTTP_SIGNED_IN,
     {.summary = "Publishes a draft run, starting a relationship for each of its pairs.",
      .status = 200, .answer = "MatchRun"}},
    {"GET", "/api/v1/programs/{id}/suggestions", suggestions, HTTP_SIGNED_IN,
     {.summary = "The guides suggested to the calling learner, best first, with why.",
      .status = 200, .answer = "{items:[Suggestion] next:id? at:time?}"}},
    {"POST", "/api/v1/programs/{id}/match-requests", request_create, HTTP_SIGNED_IN,
     {.summary = "Asks a guide of the program to take the calling learner on.",
      .body = "{guide_id:id}",
      .status = 201, .answer = "MatchRequest"}},
    {"GET", "/api/v1/match-requests", requests_mine, HTTP_SIGNED_IN,
     {.summary = "Lists the match requests the caller made or received.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("MatchRequest")}},
    {"POST", "/api/v1/match-requests/{id}/accept", request_accept, HTTP_SIGNED_IN,
     {.summary = "The guide accepts a pending match request, which starts the relationship.",
      .status = 200, .answer = "MatchRequest"}},
    {"POST", "/api/v1/match-requests/{id}/decline", request_decline, HTTP_SIGNED_IN,
     {.summary = "The guide declines a pending match request.",
      .status = 200, .answer = "MatchRequest"}},
    {"POST", "/api/v1/match-requests/{id}/withdraw", request_withdraw, HTTP_SIGNED_IN,
     {.summary = "The learner withdraws a pending match request.",
      .status = 200, .answer = "MatchRequest"}},
    {"GET", "/api/v1/relationships/{id}/exit-answer", exit_get, HTTP_SIGNED_IN,
     {.summary = "The caller's own answer to why a relationship ended, if given.",
      .status = 200, .answer = "ExitAnswer"}},
    {"PUT", "/api/v1/relationships/{id}/exit-answer", exit_put, HTTP_SIGNED_IN,
     {.summary = "Gives or changes the caller's answer to why a relationship ended.",
      .body = "{reasons:[=topics,availability,style,chemistry]}",
      .status = 200, .answer = "ExitAnswer"}},
    {"GET", "/api/v1/programs/{id}/matching-learning", learning, HTTP_SIGNED_IN,
     {.summary = "How well the program's match scores foretold trust, in k-anonymous figures "
      "(its administrators).",
      .status = 200, .answer = "MatchLearning"}},
    {0}, /* the end */
};
/* clang-format on */
