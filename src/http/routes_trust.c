/* routes_trust.c: a relationship's trust and its timeline (parties only;
 * anyone else, admins included, gets 404).
 *
 *   GET /api/v1/relationships/{id}/trust
 *       {relationship_id, at, directions: [direction about the guide,
 *        direction about the learner], warnings: [warning]}
 *   GET /api/v1/relationships/{id}/timeline?limit=&after=
 *       {items: [item], next}   newest first; `after` is the id of the last
 *                               item of the previous page
 *
 * direction: {from, to, about, index, index_value, label, label_code,
 *   uncertainty, trend, declining, int_capped, components: {REL, INT, COM,
 *   EMP: {p, u, low, high, trend, evidence: [{sentence, event, delta,
 *   reason, at}]}}}; index is null while the label is "not enough evidence
 *   yet" (index_value keeps the raw 0..100 figure). delta is the item's
 *   leave-one-out effect on the component's P now (P with it minus P
 *   without it, on the 0..1 scale).
 * warning: {code, severity, party, components: ["REL", ..], since,
 *   evidence, practice}.
 * item: {id, at, kind, actor_id, sentence, celebration, evidence:
 *   [{component, about, delta}]}.
 */
#include "app/trust/trust.h"
#include "http/http.h"
#include "base/num.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- the trust view ---- */

static json_t *render_because(const app_trust_because *b) {
  return json_pack("{s:s, s:o, s:f, s:s, s:o}", "sentence", b->sentence, "event",
                   jt_id(b->event_id), "delta", b->delta, "reason", b->reason, "at",
                   jt_time(b->at));
}

static json_t *render_comp(const app_trust_comp *k) {
  json_t *ev = json_array();
  for (size_t i = 0; i < k->ntop; i++) json_array_append_new(ev, render_because(&k->top[i]));
  return json_pack("{s:f, s:f, s:f, s:f, s:f, s:o}", "p", k->score.p, "u", k->score.u, "low",
                   k->score.low, "high", k->score.high, "trend", k->score.trend, "evidence", ev);
}

static json_t *render_direction(const app_trust_dir *d) {
  json_t *comps = json_object();
  for (int k = 0; k < TRUST_NCOMP; k++)
    json_object_set_new(comps, trust_comp_name((trust_comp)k), render_comp(&d->comp[k]));
  json_t *o = json_pack(
      "{s:I, s:I, s:s, s:o, s:f, s:s, s:s, s:f, s:f, s:b, s:b}", "from", (json_int_t)d->from_id,
      "to", (json_int_t)d->to_id, "about", trust_party_name(d->about), "index",
      d->has_index ? json_integer(d->index) : json_null(), "index_value", d->score.index, "label",
      trust_label_text(d->score.label), "label_code", trust_label_name(d->score.label),
      "uncertainty", d->score.uncertainty, "trend", d->score.trend, "declining",
      d->score.declining, "int_capped", d->score.int_capped);
  json_object_set_new(o, "components", comps);
  return o;
}

/* A warning as GET .../warnings shows it (render_warning), less its id: the
 * trust view's warnings are documented and tested without one. */
static json_t *render_view_warning(const app_warning *w) {
  json_t *o = render_warning(w);
  json_object_del(o, "id");
  return o;
}

/* ---- the rendered views, kept while they stay true ----
 *
 * A trust view changes only when the relationship's trust_seq changes
 * (every event, warning and reveal bumps it in the same transaction;
 * migration 0005) or as time passes: evidence decays (negligibly within
 * a minute) and pulses or warnings get revealed at known times. So the
 * rendered body is kept per (relationship, viewer) with the trust_seq it
 * was read at, and served again while trust_seq is the same, the clock
 * has not gone back, and neither TRUST_CACHE_TTL_S nor the view's next
 * reveal has passed. Each server process keeps its own; trust_seq lives in
 * the database, so several servers stay correct. A slot is replaced on a
 * collision: memory stays under TRUST_CACHE_SLOTS bodies.
 */
#define TRUST_CACHE_SLOTS 1024
#define TRUST_CACHE_TTL_S 60

typedef struct cached_view {
  int64_t rel_id, viewer, seq;
  rp_time at, until;
  unsigned kinds; /* the confidential kinds opened to build it (access log) */
  char *body;     /* malloc'd JSON */
  size_t len;
} cached_view;

static cached_view g_views[TRUST_CACHE_SLOTS];
static pthread_mutex_t g_views_mu = PTHREAD_MUTEX_INITIALIZER;

static cached_view *slot_of(int64_t rel_id, int64_t viewer) {
  uint64_t h = (uint64_t)rel_id * 0x9E3779B97F4A7C15ull ^ (uint64_t)viewer * 0xC2B2AE3D27D4EB4Full;
  return &g_views[(h >> 32) % TRUST_CACHE_SLOTS];
}

/* A copy (malloc'd) of the kept body for the viewer at seq, or NULL. */
static char *cache_get(int64_t rel_id, int64_t viewer, int64_t seq, rp_time now,
                       unsigned *kinds) {
  char *out = NULL;
  pthread_mutex_lock(&g_views_mu);
  cached_view *v = slot_of(rel_id, viewer);
  if (v->body && v->rel_id == rel_id && v->viewer == viewer && v->seq == seq && now >= v->at &&
      now < v->until) {
    out = rp_xmalloc(v->len + 1);
    memcpy(out, v->body, v->len + 1);
    *kinds = v->kinds;
  }
  pthread_mutex_unlock(&g_views_mu);
  return out;
}

static void cache_put(const app_trust_view *tv, int64_t viewer, unsigned kinds,
                      const char *body) {
  rp_time until = tv->now + TRUST_CACHE_TTL_S;
  if (tv->next_reveal && tv->next_reveal < until) until = tv->next_reveal;
  size_t len = strlen(body);
  char *copy = rp_xmalloc(len + 1);
  memcpy(copy, body, len + 1);
  pthread_mutex_lock(&g_views_mu);
  cached_view *v = slot_of(tv->rel_id, viewer);
  char *old = v->body;
  *v = (cached_view){tv->rel_id, viewer, tv->seq, tv->now, until, kinds, copy, len};
  pthread_mutex_unlock(&g_views_mu);
  free(old);
}

static json_t *render_view(const app_trust_view *v) {
  json_t *dirs = json_array(), *warnings = json_array();
  for (int p = 0; p < TRUST_NPARTY; p++) json_array_append_new(dirs, render_direction(&v->dir[p]));
  for (size_t i = 0; i < v->nwarnings; i++)
    json_array_append_new(warnings, render_view_warning(&v->warnings[i]));
  return json_pack("{s:I, s:o, s:o, s:o}", "relationship_id", (json_int_t)v->rel_id, "at",
                   jt_time(v->now), "directions", dirs, "warnings", warnings);
}

static rp_rc trust_get(http_req *r, rp_err *e) {
  int64_t seq = 0;
  rp_rc rc = app_trust_stamp(&r->app, r->id[0], &seq, e);
  if (rc) return rc;
  unsigned kinds = 0;
  r->out_text = cache_get(r->id[0], r->app.actor, seq, r->app.now, &kinds);
  if (r->out_text) {
    /* served again: the text it holds is read again, and logged again */
    app_access_saw_kinds(&r->app, r->id[0], kinds);
    return RP_OK;
  }
  app_trust_view v;
  rc = app_trust_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  json_t *o = render_view(&v);
  r->out_text = http_json_text(o);
  json_decref(o);
  if (!r->out_text) return rp_fail(e, RP_ERR_INTERNAL, "internal", "The view could not be encoded.");
  cache_put(&v, r->app.actor, app_access_kinds(&r->app, r->id[0]), r->out_text);
  return RP_OK;
}

/* ---- the timeline ---- */

static json_t *render_item(const app_timeline_item *t) {
  json_t *ev = json_array();
  for (size_t i = 0; i < t->nevidence; i++) {
    const app_timeline_evidence *x = &t->evidence[i];
    json_array_append_new(ev, json_pack("{s:s, s:s, s:f}", "component", trust_comp_name(x->comp),
                                        "about", trust_party_name(x->about), "delta", x->delta));
  }
  return json_pack("{s:I, s:o, s:s, s:o, s:s, s:b, s:o}", "id", (json_int_t)t->ev.id, "at",
                   jt_time(t->ev.at), "kind", t->ev.kind, "actor_id", jt_id(t->ev.actor_id),
                   "sentence", t->sentence ? t->sentence : "", "celebration", t->celebration,
                   "evidence", ev);
}

static rp_rc timeline_get(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_timeline_item *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_trust_timeline(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_item(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* ---- the index over time ---- */

static json_t *render_point(const app_trust_point *p) {
  return json_pack("{s:o, s:o, s:f, s:s, s:s, s:f, s:f}", "at", jt_time(p->at), "index",
                   p->has_index ? json_integer(p->index) : json_null(), "index_value",
                   p->index_value, "label", trust_label_text(p->label), "label_code",
                   trust_label_name(p->label), "lower", p->lower, "upper", p->upper);
}

/* GET .../trust/history?points=N: {relationship_id, start, at, directions:
 * [{about, from, to, items: [point]}]} (the directions as in GET .../trust),
 * point: {at, index, index_value, label, label_code, lower, upper}. */
static rp_rc trust_history_get(http_req *r, rp_err *e) {
  int64_t points = APP_TRUST_HISTORY_DEFAULT;
  const char *arg = http_query(r, "points");
  if (arg && !rp_parse_i64(arg, APP_TRUST_HISTORY_MIN, APP_TRUST_HISTORY_MAX, &points))
    points = 0; /* not a number in range: app_trust_history_get says so at /points */
  app_trust_history h;
  rp_rc rc = app_trust_history_get(&r->app, r->id[0], points, &h, e);
  if (rc) return rc;
  json_t *dirs = json_array();
  for (int p = 0; p < TRUST_NPARTY; p++) {
    json_t *items = json_array();
    for (size_t i = 0; i < h.npoints; i++)
      json_array_append_new(items, render_point(&h.dir[p].points[i]));
    json_array_append_new(dirs, json_pack("{s:s, s:I, s:I, s:o}", "about",
                                          trust_party_name(h.dir[p].about), "from",
                                          (json_int_t)h.dir[p].from_id, "to",
                                          (json_int_t)h.dir[p].to_id, "items", items));
  }
  r->out = json_pack("{s:I, s:o, s:o, s:o}", "relationship_id", (json_int_t)h.rel_id, "start",
                     jt_time(h.start), "at", jt_time(h.end), "directions", dirs);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_trust[] = {
    {"GET", "/api/v1/relationships/{id}/trust", trust_get, HTTP_OPENS_TEXT | HTTP_READS_SESSION,
     {.summary = "Trust in each direction, its components and the evidence behind them.",
      .status = 200, .answer = "{relationship_id:id at:time? directions:[TrustDirection] "
      "warnings:[{code:str severity:str party:id? components:[str] since:time? evidence:obj "
      "practice:str?}]}"}},
    {"GET", "/api/v1/relationships/{id}/trust/history", trust_history_get, HTTP_SIGNED_IN,
     {.summary = "The trust index over time.",
      .query = "{points?:int}",
      .status = 200, .answer = "{relationship_id:id start:time? at:time? directions:[{about:str "
      "from:id to:id items:[{at:time? index:int? index_value:num label:str label_code:str "
      "lower:num upper:num}]}]}", .problems = "422"}},
    {"GET", "/api/v1/relationships/{id}/timeline", timeline_get, HTTP_OPENS_TEXT,
     {.summary = "The relationship's events in sentences, with their effect on trust.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("{id:id at:time? kind:str actor_id:id? sentence:str "
      "celebration:bool evidence:[{component:str about:str delta:num}]}")}},
    {0}, /* the end */
};
/* clang-format on */
