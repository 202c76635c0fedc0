/* goals.c: adding, reading and reviewing goals, and their milestones.
 *
 * A goal's text travels as one sealed JSON document:
 *   {"title": .., "specific": .., "measurable": .., "achievable": ..,
 *    "relevant": .., "levels": {"-2": .., ..}}
 * with absent parts left out. It is sealed with SEAL_GOAL, the relationship
 * id and author 0, and opened only for the parties.
 */
#include "app/practices/goals.h"
#include "app/privacy/privacy.h"
#include "crypto/seal.h"
#include "trust/gas.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static rp_rc state_conflict(const relationship *r, rp_err *e) {
  return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                 "The relationship is %s: this cannot be done now.", rel_state_name(r->state));
}

/* ---- the sealed goal document ---- */

/* Adds key: s to o when s is not NULL; false when s is not UTF-8. */
static bool put_text(json_t *o, const char *key, const char *s) {
  if (!s) return true;
  json_t *v = json_string(s);
  return v && json_object_set_new(o, key, v) == 0;
}

/* Encodes t as a goal document (a malloc'd string, *out). */
static rp_rc encode_goal(const goal_text *t, char **out, rp_err *e) {
  json_t *doc = json_object(), *levels = json_object();
  bool ok = put_text(doc, "title", t->title) && put_text(doc, "specific", t->specific) &&
            put_text(doc, "measurable", t->measurable) &&
            put_text(doc, "achievable", t->achievable) && put_text(doc, "relevant", t->relevant);
  for (int i = 0; i < GOAL_LEVEL_COUNT && ok; i++)
    ok = put_text(levels, goal_level_keys[i], t->levels[i]);
  json_object_set_new(doc, "levels", levels);
  char *text = ok ? json_dumps(doc, JSON_COMPACT) : NULL;
  json_decref(doc);
  if (!ok) {
    rp_field(e, "", "Texts must be valid UTF-8.");
    return RP_ERR_INVALID;
  }
  if (!text) return rp_fail(e, RP_ERR_INTERNAL, "internal", "The goal could not be encoded.");
  *out = text;
  return RP_OK;
}

/* Seals the goal document of goal_id (relationship rel_id) into its row. */
static rp_rc seal_goal(app_ctx *c, int64_t rel_id, int64_t goal_id, const char *doc,
                       rp_blob *out, rp_err *e) {
  seal_ad ad = {SEAL_GOAL, rel_id, goal_id, 0, false};
  return app_seal_row(c, &ad, doc, strlen(doc), out, e);
}

/* The string member key of o, copied into the arena, or NULL. */
static const char *get_text(arena *a, json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

static rp_rc damaged(rp_err *e) {
  return rp_fail(e, RP_ERR_INTERNAL, "sealed_text_damaged", "Stored text cannot be read.");
}

/* Opens a goal document into *t (strings in the arena). */
static rp_rc open_goal(app_ctx *c, int64_t rel_id, int64_t goal_id, rp_blob body, goal_text *t,
                       rp_err *e) {
  seal_ad ad = {SEAL_GOAL, rel_id, goal_id, 0, false};
  const char *text;
  rp_rc rc = app_open(c, &ad, body, &text, e);
  if (rc) return rc;
  json_t *doc = json_loads(text, 0, NULL);
  if (!json_is_object(doc)) {
    json_decref(doc);
    return damaged(e);
  }
  memset(t, 0, sizeof *t);
  t->title = get_text(c->a, doc, "title");
  t->specific = get_text(c->a, doc, "specific");
  t->measurable = get_text(c->a, doc, "measurable");
  t->achievable = get_text(c->a, doc, "achievable");
  t->relevant = get_text(c->a, doc, "relevant");
  json_t *levels = json_object_get(doc, "levels"), *v;
  const char *key;
  int x;
  if (json_is_object(levels)) {
    json_object_foreach(levels, key, v) {
      if (goal_level_key_parse(key, &x) && json_is_string(v))
        t->levels[x - GOAL_LEVEL_MIN] = arena_strdup(c->a, json_string_value(v));
    }
  }
  json_decref(doc);
  return t->title ? RP_OK : damaged(e);
}

static rp_rc open_milestone(app_ctx *c, int64_t rel_id, const store_milestone *sm,
                            app_milestone_view *out, rp_err *e) {
  seal_ad ad = {SEAL_MILESTONE, rel_id, sm->m.id, 0, false};
  out->m = sm->m;
  return app_open(c, &ad, sm->title, &out->title, e);
}

/* ---- loading and viewing ---- */

/* Loads goal id and its relationship for a party; anything else the caller
 * may not see is "No such goal." (so ids do not leak existence). */
static rp_rc load_goal(app_ctx *c, int64_t id, store_goal *sg, relationship *r, rp_err *e) {
  rp_rc rc = store_goal_get(c->st, id, c->a, sg, e);
  return app_row_of_party(c, rc, rc ? 0 : sg->g.relationship_id, "goal", r, e);
}

/* Builds the view of sg with its nms milestones. */
static rp_rc goal_view(app_ctx *c, const store_goal *sg, const store_milestone *ms, size_t nms,
                       app_goal_view *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->g = sg->g;
  out->has_level = sg->has_level;
  out->latest_level = sg->latest_level;
  rp_rc rc = open_goal(c, sg->g.relationship_id, sg->g.id, sg->body, &out->text, e);
  if (rc) return rc;
  out->nhints = goal_hints(&out->text, sg->g.due_on, out->hints);
  out->milestones = arena_zalloc(c->a, sizeof *out->milestones * (nms ? nms : 1));
  for (size_t i = 0; i < nms && !rc; i++)
    rc = open_milestone(c, sg->g.relationship_id, &ms[i], &out->milestones[i], e);
  out->nmilestones = nms;
  return rc;
}

/* The view of one goal, with its milestones, inside the caller's transaction. */
static rp_rc goal_view_full(app_ctx *c, const store_goal *sg, app_goal_view *out, rp_err *e) {
  store_milestone *ms;
  size_t nms;
  rp_rc rc = store_milestones_of_goals(c->st, sg->g.relationship_id, sg->g.id - 1, sg->g.id, c->a,
                                       &ms, &nms, e);
  return rc ? rc : goal_view(c, sg, ms, nms, out, e);
}

/* `at` may not precede `since` (the thing it acts on); *when is the time. */
/* ---- goals ---- */

rp_rc app_goal_add(app_ctx *c, int64_t rel_id, const goal_text *text, int32_t due_on, double weight,
                   const rp_time *at, app_goal_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  app_seal_ahead(c, &(seal_ad){.relationship_id = rel_id}); /* its key: no trip of its own */
  relationship r;
  rel_role role;
  rp_time when = c->now;
  store_goal sg;
  memset(&sg, 0, sizeof sg);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc && !rel_allows_new_activity(r.state)) rc = state_conflict(&r, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = goal_check(text, weight, e);
  char *doc = NULL;
  if (!rc) rc = encode_goal(text, &doc, e);
  if (!rc) {
    sg.g.relationship_id = rel_id;
    sg.g.created_by = c->actor;
    sg.g.created_at = when;
    sg.g.due_on = due_on;
    sg.g.weight = weight;
    sg.g.status = GOAL_ACTIVE;
    rc = store_goal_insert(c->st, &sg.g, APP_SEAL_PENDING, &sg.g.id, e);
  }
  if (!rc) rc = seal_goal(c, rel_id, sg.g.id, doc, &sg.body, e); /* bound to its row */
  free(doc);
  if (!rc) rc = app_event(c, rel_id, "goal_added", sg.g.id, when, NULL, NULL, NULL, e);
  if (!rc) rc = goal_view(c, &sg, NULL, 0, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_goal_get(app_ctx *c, int64_t id, app_goal_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_goal sg;
  relationship r;
  rc = load_goal(c, id, &sg, &r, e);
  if (!rc) rc = goal_view_full(c, &sg, out, e);
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

rp_rc app_goals_list(app_ctx *c, int64_t rel_id, int64_t after, int limit, app_goal_view **items,
                     size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_goal *gs = NULL;
  store_milestone *ms = NULL;
  size_t nms = 0;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_goals_list(c->st, rel_id, after, app_page_limit(limit), c->a, &gs, n, next, e);
  if (!rc && *n)
    rc = store_milestones_of_goals(c->st, rel_id, after, gs[*n - 1].g.id, c->a, &ms, &nms, e);
  app_goal_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  /* Both lists are in goal id order: each goal takes the run of milestones
   * with its id. */
  size_t k = 0;
  for (size_t i = 0; !rc && i < *n; i++) {
    size_t first = k;
    while (k < nms && ms[k].m.goal_id == gs[i].g.id)
      k++;
    rc = goal_view(c, &gs[i], ms + first, k - first, &v[i], e);
  }
  store_rollback(c->st);
  *items = v;
  return rc;
}

rp_rc app_goal_set_status(app_ctx *c, int64_t id, goal_status status, const rp_time *at,
                          app_goal_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_GOAL, id, e);
  if (rc) return rc;
  store_goal sg;
  relationship r;
  rp_time when = c->now;
  rc = load_goal(c, id, &sg, &r, e);
  if (!rc && !rel_allows_outcomes(r.state)) rc = state_conflict(&r, e);
  if (!rc) rc = app_event_time_since(c, &r, at, sg.g.created_at, "the goal was added", &when, e);
  if (!rc) rc = goal_status_change(sg.g.status, status, e);
  if (!rc) rc = store_goal_set_status(c->st, id, status, e);
  if (!rc)
    rc = app_event(c, r.id, "goal_status", id, when, goal_status_name(sg.g.status),
                   goal_status_name(status), NULL, e);
  if (!rc) {
    sg.g.status = status;
    rc = goal_view_full(c, &sg, out, e);
  }
  return app_finish(c, rc, e);
}

/* ---- milestones ---- */

rp_rc app_milestone_add(app_ctx *c, int64_t goal_id, const char *title, const rp_time *at,
                        app_milestone_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_GOAL, goal_id, e);
  if (rc) return rc;
  store_goal sg;
  relationship r;
  rp_time when = c->now;
  rc = load_goal(c, goal_id, &sg, &r, e);
  if (!rc && !rel_allows_new_activity(r.state)) rc = state_conflict(&r, e);
  if (!rc && sg.g.status != GOAL_ACTIVE)
    rc = rp_fail(e, RP_ERR_CONFLICT, "goal_not_active",
                 "Milestones are added to active goals; this one is %s.",
                 goal_status_name(sg.g.status));
  if (!rc) rc = app_event_time_since(c, &r, at, sg.g.created_at, "the goal was added", &when, e);
  if (!rc) rc = milestone_check(title, e);
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->m.goal_id = goal_id;
    out->m.created_at = when;
    out->title = arena_strdup(c->a, title);
    rc = store_milestone_insert(c->st, &out->m, APP_SEAL_PENDING, &out->m.id, e);
  }
  if (!rc) {
    seal_ad ad = {SEAL_MILESTONE, r.id, out->m.id, 0, false};
    rc = app_seal_row(c, &ad, title, strlen(title), NULL, e);
  }
  if (!rc) rc = app_event(c, r.id, "milestone_added", out->m.id, when, NULL, NULL, NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_milestone_reached(app_ctx *c, int64_t id, const rp_time *at, app_milestone_view *out,
                            rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_MILESTONE, id, e);
  if (rc) return rc;
  store_milestone sm;
  store_goal sg;
  relationship r;
  rp_time when = c->now;
  rc = store_milestone_get(c->st, id, c->a, &sm, e);
  if (!rc) rc = load_goal(c, sm.m.goal_id, &sg, &r, e);
  if (rc == RP_ERR_NOT_FOUND) rc = rp_fail(e, rc, "not_found", "No such milestone.");
  if (!rc && !rel_allows_outcomes(r.state)) rc = state_conflict(&r, e);
  if (!rc && sm.m.reached_at)
    rc = rp_fail(e, RP_ERR_CONFLICT, "already_reached", "This milestone was already reached.");
  if (!rc && sg.g.status == GOAL_DROPPED)
    rc = rp_fail(e, RP_ERR_CONFLICT, "goal_dropped", "The goal of this milestone was dropped.");
  if (!rc) rc = app_event_time_since(c, &r, at, sm.m.created_at, "the milestone was added", &when, e);
  if (!rc) rc = store_milestone_reach(c->st, id, when, e);
  if (!rc) rc = app_event(c, r.id, "milestone_reached", id, when, NULL, NULL, NULL, e);
  if (!rc) {
    sm.m.reached_at = when;
    rc = open_milestone(c, r.id, &sm, out, e);
  }
  return app_finish(c, rc, e);
}

/* ---- reviews ---- */

static int by_goal_id(const void *pa, const void *pb) {
  const goal_review_level *a = pa, *b = pb;
  return (a->goal_id > b->goal_id) - (a->goal_id < b->goal_id);
}

/* Fills out from the checked levels (sorted by goal id) and their weights. */
static void review_score(app_ctx *c, const goal_review_level *levels, const double *weights,
                         size_t n, store_goal_review *out) {
  int *x = arena_alloc(c->a, sizeof *x * (n ? n : 1));
  double *w = arena_alloc(c->a, sizeof *w * (n ? n : 1));
  goal_review_level *sorted = arena_alloc(c->a, sizeof *sorted * (n ? n : 1));
  for (size_t i = 0; i < n; i++) {
    x[i] = levels[i].level;
    w[i] = weights[i];
    sorted[i] = levels[i];
  }
  qsort(sorted, n, sizeof *sorted, by_goal_id);
  out->t_score = trust_gas_t(w, x, n, TRUST_GAS_RHO);
  out->levels = sorted;
  out->nlevels = n;
}

rp_rc app_goal_review_add(app_ctx *c, int64_t rel_id, const goal_review_level *levels, size_t n,
                          const rp_time *at, store_goal_review *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rp_time when = c->now;
  goal *active = NULL;
  size_t nactive = 0;
  double *weights = arena_zalloc(c->a, sizeof *weights * (n ? n : 1));
  memset(out, 0, sizeof *out);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc && !rel_allows_outcomes(r.state)) rc = state_conflict(&r, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = store_goals_active(c->st, rel_id, c->a, &active, &nactive, e);
  if (!rc) rc = goal_review_check(levels, n, active, nactive, when, weights, e);
  if (!rc) {
    out->relationship_id = rel_id;
    out->reviewer_id = c->actor;
    out->at = when;
    review_score(c, levels, weights, n, out);
    rc = store_goal_review_insert(c->st, out, e);
  }
  if (!rc) rc = app_event(c, rel_id, "goal_review", out->id, when, NULL, NULL, NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_goal_reviews_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                            store_goal_review **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_goal_reviews_list(c->st, rel_id, after, app_page_limit(limit), c->a, items, n, next,
                                 e);
  store_rollback(c->st);
  return rc;
}
