/* routes_circle_proposals.c: the matcher's proposals of peer circles
 * (app/circles/propose.c), for a program's administrators only.
 *
 *   POST /api/v1/programs/{id}/circle-proposals  {size, circles?, name?, pool?,
 *                                                 overlap_topics?, mix_attributes?,
 *                                                 mix_attribute_ids?, facilitator?,
 *                                                 include_active?, min_overlap_minutes?,
 *                                                 seed?}                  -> 201 proposal
 *   GET  /api/v1/programs/{id}/circle-proposals                          -> {items, next}
 *   GET  /api/v1/circle-proposals/{id}                                   -> proposal
 *   POST /api/v1/circle-proposals/{id}/drop      {person_id}             -> proposal
 *   POST /api/v1/circle-proposals/{id}/publish   {}                      -> proposal
 *   POST /api/v1/circle-proposals/{id}/discard   {}                      -> proposal
 */
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

static json_t *render_summary(const store_circle_proposal *p) {
  json_t *mix = json_array();
  const char *s = p->mix_attribute_ids;
  while (s && *s) {
    json_array_append_new(mix, json_integer(strtoll(s, NULL, 10)));
    const char *comma = strchr(s, ',');
    s = comma ? comma + 1 : NULL;
  }
  json_t *o = json_pack("{s:I, s:I, s:s, s:o, s:o, s:s, s:i, s:i, s:s}", "id", (json_int_t)p->id,
                        "program_id", (json_int_t)p->program_id, "state", p->state,
                        "created_at", jt_time(p->created_at), "published_at",
                        jt_time(p->published_at), "name", p->name, "size", p->size,
                        "circles_asked", p->circles_asked, "pool", p->pool);
  json_object_set_new(o, "overlap_topics", json_boolean(p->overlap_topics));
  json_object_set_new(o, "mix_attributes", json_boolean(p->mix_attributes));
  json_object_set_new(o, "mix_attribute_ids", mix);
  json_object_set_new(o, "facilitator", json_boolean(p->facilitator));
  json_object_set_new(o, "include_active", json_boolean(p->include_active));
  json_object_set_new(o, "min_overlap_minutes", json_integer(p->min_overlap_minutes));
  json_object_set_new(o, "seed", json_integer(p->seed));
  return o;
}

static json_t *proposal_person(int64_t id, const char *name) {
  return json_pack("{s:I, s:o}", "person_id", (json_int_t)id, "name", jt_str(name));
}

/* The parts an admin sees: the attribute mix is left out, as in the
 * pairs' admin view. */
static json_t *render_parts(const cm_parts *p) {
  json_t *o = json_object();
  for (int i = 0; i < CM_NPARTS; i++)
    if (i != CM_P_ATTRIBUTES)
      json_object_set_new(o, cm_part_name((cm_part)i),
                          p->applies[i] ? json_integer(p->part[i]) : json_null());
  json_object_set_new(o, "overlap_minutes", json_integer(p->overlap_minutes));
  json_object_set_new(o, "shared_topics", json_integer(p->common_topics));
  return o;
}

static json_t *render_proposal(const app_circle_proposal *v, rp_time at) {
  json_t *o = render_summary(&v->p);
  json_t *circles = json_array();
  size_t placed = 0;
  for (size_t i = 0; i < v->ncircles; i++) {
    const app_proposed_circle *pc = &v->circles[i];
    json_t *members = json_array();
    for (size_t k = 0; k < pc->nmembers; k++)
      json_array_append_new(members, proposal_person(pc->member_ids[k], pc->member_names[k]));
    placed += pc->nmembers;
    json_t *c = json_pack("{s:i, s:s, s:o, s:o, s:i, s:i, s:o, s:b, s:o, s:o}", "slot", pc->slot,
                          "name", pc->name, "members", members, "facilitator",
                          pc->facilitator_id ? proposal_person(pc->facilitator_id, pc->facilitator_name)
                                             : json_null(),
                          "score", pc->score, "drafted_score", pc->drafted_score, "parts",
                          render_parts(&pc->parts), "fits", pc->fits, "why", jt_str(pc->why),
                          "circle_id", jt_id(pc->circle_id));
    json_array_append_new(circles, c);
  }
  json_t *un = json_array();
  for (size_t i = 0; i < v->nunplaced; i++)
    json_array_append_new(un, proposal_person(v->unplaced_ids[i], v->unplaced_names[i]));
  json_t *sum = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:b, s:I, s:I, s:I}", "pool",
                          (json_int_t)v->pool, "target", (json_int_t)v->target, "circles",
                          (json_int_t)v->ncircles, "placed", (json_int_t)placed, "unplaced",
                          (json_int_t)v->nunplaced, "total", (json_int_t)v->total,
                          "seeded_total", (json_int_t)v->seeded, "passes", v->passes,
                          "converged", v->converged, "swaps", (json_int_t)v->swaps, "created",
                          (json_int_t)v->created, "skipped", (json_int_t)v->skipped);
  json_object_set_new(o, "summary", sum);
  json_object_set_new(o, "circles", circles);
  json_object_set_new(o, "unplaced", un);
  json_object_set_new(o, "at", jt_time(at));
  return o;
}

static rp_rc proposal_create(http_req *r, rp_err *e) {
  static const char *const fields[] = {"size", "circles", "name", "pool", "overlap_topics",
                                       "mix_attributes", "mix_attribute_ids", "facilitator",
                                       "include_active", "min_overlap_minutes", "seed", NULL};
  static const char *const pools[] = {"learners", "guides", "everyone", NULL};
  jin j;
  app_circle_proposal_in in = {.program_id = r->id[0], .overlap_topics = true};
  int64_t size = 0, circles = 0, minutes = 0, seed = 1;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_int(&j, "size", true, CIRCLE_MIN_MEMBERS, CIRCLE_MAX_MEMBERS, &size);
  jin_int(&j, "circles", false, 0, 10000, &circles);
  in.name = jin_text(&j, "name", false, APP_CIRCLE_PROPOSAL_NAME_MAX);
  int pool = jin_enum(&j, "pool", false, pools);
  jin_bool(&j, "overlap_topics", false, &in.overlap_topics);
  jin_bool(&j, "mix_attributes", false, &in.mix_attributes);
  json_t *mix = jin_array(&j, "mix_attribute_ids", false, MATCH_MAX_ATTRS);
  jin_bool(&j, "facilitator", false, &in.facilitator);
  jin_bool(&j, "include_active", false, &in.include_active);
  jin_int(&j, "min_overlap_minutes", false, 0, 7 * 24 * 60, &minutes);
  jin_int(&j, "seed", false, 0, APP_CIRCLE_SEED_MAX, &seed);
  size_t nmix = json_array_size(mix);
  int64_t *ids = arena_zalloc(r->app.a, (nmix + 1) * sizeof *ids);
  for (size_t i = 0; i < nmix; i++) {
    json_t *v = json_array_get(mix, i);
    if (!json_is_integer(v) || json_integer_value(v) < 1)
      rp_field(e, arena_printf(r->app.a, "/mix_attribute_ids/%zu", i), "An attribute's id.");
    else ids[i] = json_integer_value(v);
  }
  if (e->rc) return e->rc;
  in.size = (int)size;
  in.circles = (int)circles;
  in.pool = pool >= 0 ? pools[pool] : NULL;
  in.mix_attribute_ids = ids;
  in.nmix = nmix;
  in.min_overlap_minutes = (int)minutes;
  in.seed = seed;
  app_circle_proposal v;
  rp_rc rc = app_circle_proposal_create(&r->app, &in, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_proposal(&v, r->app.now);
  return RP_OK;
}

static rp_rc proposals_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_circle_proposal *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_proposals_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_summary(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc proposal_get(http_req *r, rp_err *e) {
  app_circle_proposal v;
  rp_rc rc = app_circle_proposal_get(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_proposal(&v, r->app.now);
  return rc;
}

static rp_rc proposal_drop(http_req *r, rp_err *e) {
  int64_t person_id = 0;
  if (http_read_person_id(r, &person_id, e)) return e->rc;
  app_circle_proposal v;
  rp_rc rc = app_circle_proposal_drop(&r->app, r->id[0], person_id, &v, e);
  if (!rc) r->out = render_proposal(&v, r->app.now);
  return rc;
}

static rp_rc proposal_publish(http_req *r, rp_err *e) {
  app_circle_proposal v;
  rp_rc rc = app_circle_proposal_publish(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_proposal(&v, r->app.now);
  return rc;
}

static rp_rc proposal_discard(http_req *r, rp_err *e) {
  app_circle_proposal v;
  rp_rc rc = app_circle_proposal_discard(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_proposal(&v, r->app.now);
  return rc;
}

const http_route http_routes_circle_proposals[] = {
    {"POST", "/api/v1/programs/{id}/circle-proposals", proposal_create, HTTP_SIGNED_IN,
     {.summary = "Asks the matcher for a draft of peer circles from the program's profiles "
      "(its administrators).",
      .body = "{size:int circles?:int name?:str pool?:=learners,guides,everyone "
      "overlap_topics?:bool mix_attributes?:bool mix_attribute_ids?:[id] facilitator?:bool "
      "include_active?:bool min_overlap_minutes?:int seed?:int}",
      .status = 201, .answer = "CircleProposal"}},
    {"GET", "/api/v1/programs/{id}/circle-proposals", proposals_list, HTTP_SIGNED_IN,
     {.summary = "Lists a program's circle proposals, oldest first (its administrators).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleProposalSummary")}},
    {"GET", "/api/v1/circle-proposals/{id}", proposal_get, HTTP_SIGNED_IN,
     {.summary = "A circle proposal with its circles, their scores and why, as the program's "
      "profiles stand now (the program's administrators).",
      .status = 200, .answer = "CircleProposal"}},
    {"POST", "/api/v1/circle-proposals/{id}/drop", proposal_drop, HTTP_SIGNED_IN,
     {.summary = "Takes a person out of a draft proposal; a circle left with fewer than three "
      "members leaves the draft.",
      .body = "{person_id:id}",
      .status = 200, .answer = "CircleProposal"}},
    {"POST", "/api/v1/circle-proposals/{id}/publish", proposal_publish, HTTP_SIGNED_IN,
     {.summary = "Publishes a draft: each circle that still fits becomes a proposed circle its "
      "members accept.",
      .status = 200, .answer = "CircleProposal"}},
    {"POST", "/api/v1/circle-proposals/{id}/discard", proposal_discard, HTTP_SIGNED_IN,
     {.summary = "Discards a draft proposal.",
      .status = 200, .answer = "CircleProposal"}},
    {NULL},
};
