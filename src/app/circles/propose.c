/* propose.c: the matcher's proposals of circles (app/circles/circles.h).
 *
 * A proposal is the admin's draft: circles formed by domain/circle_match.h
 * from the matching room's instance of the program (the same profiles as
 * pairs), with the pairs to keep apart read here: private blocks either
 * way, and a person with their manager or manager's manager. The draft
 * keeps who is in which circle and the score when drafted; everything a
 * reader sees besides (scores, sentences, whether a circle still fits) is
 * computed from the program as it stands when read, as matching runs are.
 * Publishing forms each circle through the same code as an admin's forming
 * (app_circle_create), so members accept it as any other.
 *
 * Nothing private leaves: the sentences are the admin's (topics by name,
 * the common window, a language, the attribute mix as a figure); a circle
 * that no longer fits says so without saying why.
 */
#include "app/circles/circles.h"
#include "app/circles/internal.h"
#include "app/matching/matching.h"
#include "base/num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_NAME "Peer circle"
#define REPORT_FMT                                                                          \
  "{\"target\":%lld,\"pool\":%lld,\"seeded\":%lld,\"passes\":%d,\"converged\":%d,"         \
  "\"swaps\":%lld,\"created\":%lld,\"skipped\":%lld}"

static rp_rc no_proposal(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such circle proposal.");
}

static bool has_id(const int64_t *ids, size_t n, int64_t id) {
  return n && bsearch(&id, ids, n, sizeof id, rp_cmp_i64) != NULL;
}

/* The program exists and the actor administers it; else "No such
 * program." as everywhere for people outside it. */
static rp_rc need_admin(app_ctx *c, int64_t program_id, program *p, rp_err *e) {
  bool admin = false;
  rp_rc rc = store_program_get(c->st, program_id, c->a, p, e);
  if (!rc) rc = app_is_program_admin(c, program_id, &admin, e);
  if (rc == RP_ERR_NOT_FOUND || (!rc && !admin))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  return rc;
}

/* ---- the instance ---- */

/* The circle instance of a program: every learner and guide once (a
 * person who is both brings wants and offers), the pairs to keep apart,
 * and the request as stored. */
typedef struct cm_world {
  app_match_inst m;
  match_person *everyone; /* by id */
  size_t n;
  bool *learner, *guide;  /* per person */
  int64_t *open;          /* in an open circle of the program, sorted */
  size_t nopen;
  int64_t *attr_ids;      /* the program's attributes by number */
  size_t nattrs;
  cm_instance in;
  cm_request req;
} cm_world;

static long person_index(const cm_world *w, int64_t id) {
  size_t lo = 0, hi = w->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (w->everyone[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < w->n && w->everyone[lo].id == id ? (long)lo : -1;
}

/* Merges the instance's learners and guides (both by id) into one list. */
static void merge_people(app_ctx *c, cm_world *w) {
  const app_match_inst *m = &w->m;
  size_t cap = m->in.nl + m->in.ng + 1, il = 0, ig = 0;
  w->everyone = arena_zalloc(c->a, cap * sizeof *w->everyone);
  w->learner = arena_zalloc(c->a, cap);
  w->guide = arena_zalloc(c->a, cap);
  w->n = 0;
  while (il < m->in.nl || ig < m->in.ng) {
    const match_person *l = il < m->in.nl ? &m->learners[il] : NULL;
    const match_person *g = ig < m->in.ng ? &m->guides[ig] : NULL;
    size_t k = w->n++;
    if (l && (!g || l->id <= g->id)) {
      w->everyone[k] = *l;
      w->learner[k] = true;
      il++;
      if (g && g->id == l->id) {
        memcpy(w->everyone[k].offers, g->offers, sizeof g->offers);
        w->everyone[k].capacity = g->capacity;
        w->everyone[k].taking_new = g->taking_new;
        w->guide[k] = true;
        ig++;
      }
    } else {
      w->everyone[k] = *g;
      w->guide[k] = true;
      ig++;
    }
  }
}

/* Blocks either way, and a person with their manager and manager's
 * manager. */
static rp_rc read_apart(app_ctx *c, cm_world *w, rp_err *e) {
  store_match_row *blocks, *lines;
  size_t nb, nl;
  rp_rc rc = store_match_all_blocks(c->st, w->m.program_id, c->a, &blocks, &nb, e);
  if (!rc) rc = store_match_all_lines(c->st, w->m.program_id, c->a, &lines, &nl, e);
  if (rc) return rc;
  cm_apart *ap = arena_alloc(c->a, (nb + 2 * nl + 1) * sizeof *ap);
  size_t k = 0;
  for (size_t i = 0; i < nb; i++) ap[k++] = (cm_apart){blocks[i].person_id, blocks[i].other};
  /* manager of each person, by person id, for the manager's manager */
  int64_t *who = arena_alloc(c->a, (nl + 1) * 2 * sizeof *who);
  for (size_t i = 0; i < nl; i++) {
    who[2 * i] = lines[i].person_id;
    who[2 * i + 1] = lines[i].other;
  }
  qsort(who, nl, 2 * sizeof *who, rp_cmp_i64); /* by the first of each couple */
  for (size_t i = 0; i < nl; i++) {
    int64_t boss = lines[i].other;
    if (!boss) continue;
    ap[k++] = (cm_apart){lines[i].person_id, boss};
    int64_t *up = nl ? bsearch(&boss, who, nl, 2 * sizeof *who, rp_cmp_i64) : NULL;
    if (up && up[1]) ap[k++] = (cm_apart){lines[i].person_id, up[1]};
  }
  w->in.apart = ap;
  w->in.napart = cm_apart_sort(ap, k);
  return RP_OK;
}

static rp_rc world_load(app_ctx *c, int64_t program_id, cm_world *w, rp_err *e) {
  memset(w, 0, sizeof *w);
  rp_rc rc = app_match_instance(c, program_id, &w->m, e);
  if (!rc) rc = store_circle_open_members(c->st, program_id, c->a, &w->open, &w->nopen, e);
  store_match_named *attrs = NULL;
  size_t nattrs = 0;
  if (!rc) rc = store_match_attributes(c->st, program_id, c->a, &attrs, &nattrs, e);
  if (!rc) rc = read_apart(c, w, e);
  if (rc) return rc;
  if (nattrs > MATCH_MAX_ATTRS) nattrs = MATCH_MAX_ATTRS;
  w->attr_ids = arena_alloc(c->a, (nattrs + 1) * sizeof *w->attr_ids);
  for (size_t i = 0; i < nattrs; i++) w->attr_ids[i] = attrs[i].id;
  qsort(w->attr_ids, nattrs, sizeof *w->attr_ids, rp_cmp_i64); /* as the instance numbers them */
  w->nattrs = nattrs;
  merge_people(c, w);
  w->in.guides = w->m.guides;
  w->in.ng = w->m.in.ng;
  w->in.nattrs = w->m.in.nattrs;
  w->in.topic_names = w->m.topic_names;
  w->in.lang_names = w->m.lang_names;
  w->in.weight[CM_P_TOPICS] = w->m.in.set.weight[MATCH_P_TOPICS];
  w->in.weight[CM_P_AVAILABILITY] = w->m.in.set.weight[MATCH_P_AVAILABILITY];
  w->in.weight[CM_P_ATTRIBUTES] = w->m.in.set.weight[MATCH_P_ATTRIBUTES];
  w->in.min_overlap_minutes = w->m.in.set.min_overlap_minutes;
  return RP_OK;
}

/* Whether a person belongs to the proposal's pool as the program stands. */
static bool in_pool(const cm_world *w, const store_circle_proposal *p, size_t k) {
  bool role = strcmp(p->pool, "everyone") == 0 ? true
              : strcmp(p->pool, "guides") == 0 ? w->guide[k]
                                               : w->learner[k];
  return role && (p->include_active || !has_id(w->open, w->nopen, w->everyone[k].id));
}

/* The request of a stored proposal, and the instance over the whole
 * program (people outside the pool may still sit in a drafted circle). */
static void world_request(cm_world *w, const store_circle_proposal *p) {
  w->req = (cm_request){.size = p->size, .circles = p->circles_asked,
                        .overlap_topics = p->overlap_topics, .mix_attributes = p->mix_attributes,
                        .facilitator = p->facilitator, .seed = (uint64_t)p->seed};
  const char *s = p->mix_attribute_ids;
  while (s && *s) {
    long long id = strtoll(s, NULL, 10);
    for (size_t a = 0; a < w->nattrs; a++)
      if (w->attr_ids[a] == id) w->req.mix_mask |= 1u << a;
    const char *comma = strchr(s, ',');
    s = comma ? comma + 1 : NULL;
  }
  if (p->min_overlap_minutes > w->in.min_overlap_minutes)
    w->in.min_overlap_minutes = p->min_overlap_minutes;
  w->in.people = w->everyone;
  w->in.n = w->n;
  cm_count_values(&w->in);
}

/* ---- the view ---- */

static void parse_report(app_circle_proposal *out) {
  long long target = 0, pool = 0, seeded = 0, swaps = 0, created = 0, skipped = 0;
  int passes = 0, converged = 0;
  if (out->p.report)
    sscanf(out->p.report, REPORT_FMT, &target, &pool, &seeded, &passes, &converged, &swaps,
           &created, &skipped);
  out->target = (size_t)target;
  out->pool = (size_t)pool;
  out->seeded = seeded;
  out->passes = passes;
  out->converged = converged != 0;
  out->swaps = swaps;
  out->created = created;
  out->skipped = skipped;
}

static const char *report_of(app_ctx *c, const app_circle_proposal *v) {
  return arena_printf(c->a, REPORT_FMT, (long long)v->target, (long long)v->pool,
                      (long long)v->seeded, v->passes, v->converged ? 1 : 0, (long long)v->swaps,
                      (long long)v->created, (long long)v->skipped);
}

/* One drafted circle as it stands. */
static void view_circle(app_ctx *c, const cm_world *w, const store_circle_proposal *p,
                        const store_circle_slot *slot, const store_circle_slot_person *people,
                        size_t n, app_proposed_circle *pc) {
  memset(pc, 0, sizeof *pc);
  pc->slot = slot->slot;
  pc->name = arena_printf(c->a, "%s %d", p->name, slot->slot);
  pc->drafted_score = slot->score;
  pc->circle_id = slot->circle_id;
  pc->member_ids = arena_zalloc(c->a, (n + 1) * sizeof *pc->member_ids);
  pc->member_names = arena_zalloc(c->a, (n + 1) * sizeof *pc->member_names);
  cm_circle ci = {.facilitator = -1};
  bool known = true;
  for (size_t i = 0; i < n; i++) {
    long k = person_index(w, people[i].person_id);
    if (people[i].facilitator) {
      pc->facilitator_id = people[i].person_id;
      long g = app_match_guide_index(&w->m, people[i].person_id);
      pc->facilitator_name = g >= 0 ? w->m.guides[g].name : NULL;
      ci.facilitator = (int32_t)g;
      continue;
    }
    pc->member_ids[pc->nmembers] = people[i].person_id;
    pc->member_names[pc->nmembers++] = k >= 0 ? w->everyone[k].name : NULL;
    if (k < 0 || ci.nmembers >= CIRCLE_MAX_MEMBERS) known = false;
    else ci.member[ci.nmembers++] = (uint32_t)k;
  }
  pc->fits = known && ci.nmembers >= CIRCLE_MIN_MEMBERS &&
             cm_check(&w->in, ci.member, ci.nmembers) == CM_FIT;
  bool taken = false; /* a member joined an open circle since the draft */
  for (size_t i = 0; strcmp(p->state, "draft") == 0 && !p->include_active && i < pc->nmembers; i++)
    taken = taken || has_id(w->open, w->nopen, pc->member_ids[i]);
  if (pc->fits && pc->facilitator_id)
    pc->fits = ci.facilitator >= 0 &&
               cm_facilitator_fits(&w->in, ci.member, ci.nmembers, (size_t)ci.facilitator);
  if (!known) {
    pc->why = "someone in this circle is no longer a member of the program";
    return;
  }
  pc->score = cm_score(&w->in, &w->req, ci.member, ci.nmembers, &ci.parts);
  pc->parts = ci.parts;
  strbuf b;
  sb_init(&b, 2048);
  cm_explain(&w->in, &w->req, &ci, &b);
  if (!pc->fits) sb_printf(&b, "; no longer meets the program's constraints");
  if (taken) sb_printf(&b, "; a member has joined another circle since");
  pc->fits = pc->fits && !taken;
  pc->why = arena_strdup(c->a, b.data ? b.data : "");
  sb_free(&b);
}

static rp_rc view(app_ctx *c, const store_circle_proposal *p, app_circle_proposal *out,
                  rp_err *e) {
  memset(out, 0, sizeof *out);
  out->p = *p;
  parse_report(out);
  cm_world w;
  rp_rc rc = world_load(c, p->program_id, &w, e);
  if (rc) return rc;
  world_request(&w, p);
  store_circle_slot *slots;
  store_circle_slot_person *people;
  size_t ns, np;
  rc = store_circle_slots(c->st, p->id, c->a, &slots, &ns, &people, &np, e);
  if (rc) return rc;
  out->circles = arena_zalloc(c->a, (ns + 1) * sizeof *out->circles);
  bool *drafted = arena_zalloc(c->a, w.n + 1);
  size_t at = 0;
  for (size_t s = 0; s < ns; s++) {
    size_t from = at;
    while (at < np && people[at].slot == slots[s].slot) {
      long k = person_index(&w, people[at].person_id);
      if (k >= 0) drafted[k] = true; /* a facilitator is not unplaced either */
      at++;
    }
    view_circle(c, &w, p, &slots[s], people + from, at - from, &out->circles[out->ncircles]);
    out->total += out->circles[out->ncircles++].score;
  }
  out->unplaced_ids = arena_zalloc(c->a, (w.n + 1) * sizeof *out->unplaced_ids);
  out->unplaced_names = arena_zalloc(c->a, (w.n + 1) * sizeof *out->unplaced_names);
  for (size_t k = 0; k < w.n; k++) {
    if (drafted[k] || !in_pool(&w, p, k)) continue;
    out->unplaced_ids[out->nunplaced] = w.everyone[k].id;
    out->unplaced_names[out->nunplaced++] = w.everyone[k].name;
  }
  return RP_OK;
}

static rp_rc load_proposal(app_ctx *c, int64_t id, bool draft, store_circle_proposal *p,
                           rp_err *e) {
  rp_rc rc = store_circle_proposal_get(c->st, id, c->a, p, e);
  if (rc == RP_ERR_NOT_FOUND) return no_proposal(e);
  program prog;
  if (!rc) rc = need_admin(c, p->program_id, &prog, e);
  if (rc == RP_ERR_NOT_FOUND) return no_proposal(e);
  if (!rc && draft && strcmp(p->state, "draft") != 0)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_a_draft", "This proposal was %s; draft a new one.",
                 p->state);
  return rc;
}

/* ---- drafting ---- */

static rp_rc check_request(app_ctx *c, const app_circle_proposal_in *in, const cm_world *w,
                           rp_err *e) {
  size_t len = in->name ? strlen(in->name) : 0;
  if (in->name && (len < 1 || len > APP_CIRCLE_PROPOSAL_NAME_MAX))
    rp_field(e, "/name", "Name the circles (1 to %d bytes).", APP_CIRCLE_PROPOSAL_NAME_MAX);
  if (in->size < CIRCLE_MIN_MEMBERS || in->size > CIRCLE_MAX_MEMBERS)
    rp_field(e, "/size", "Between %d and %d members.", CIRCLE_MIN_MEMBERS, CIRCLE_MAX_MEMBERS);
  if (in->circles < 0 || in->circles > 10000)
    rp_field(e, "/circles", "A number of circles from 1 to 10000, or 0 for as many as fit.");
  if (in->pool && strcmp(in->pool, "learners") && strcmp(in->pool, "guides") &&
      strcmp(in->pool, "everyone"))
    rp_field(e, "/pool", "One of learners, guides, everyone.");
  if (in->min_overlap_minutes < 0 || in->min_overlap_minutes > 7 * 24 * 60)
    rp_field(e, "/min_overlap_minutes", "Minutes of the week.");
  else if (in->min_overlap_minutes && in->min_overlap_minutes < w->in.min_overlap_minutes)
    rp_field(e, "/min_overlap_minutes",
             "Not less than the program's minimum of %d minutes a week.",
             w->in.min_overlap_minutes);
  if (in->seed < 0 || in->seed > APP_CIRCLE_SEED_MAX) rp_field(e, "/seed", "A seed from 0.");
  for (size_t i = 0; i < in->nmix; i++) {
    bool found = false;
    for (size_t a = 0; a < w->nattrs; a++) found = found || w->attr_ids[a] == in->mix_attribute_ids[i];
    if (!found)
      rp_field(e, arena_printf(c->a, "/mix_attribute_ids/%zu", i), "Not an attribute of the program.");
  }
  return e->rc;
}

/* Writes the result's circles as slots 1, 2, ... with the pool's ids. */
static rp_rc save_slots(app_ctx *c, int64_t proposal_id, const cm_world *w,
                        const match_person *pool, const cm_result *r, rp_err *e) {
  rp_rc rc = RP_OK;
  for (size_t i = 0; !rc && i < r->ncircles; i++) {
    const cm_circle *ci = &r->circles[i];
    store_circle_slot_person people[CIRCLE_MAX_MEMBERS + 1];
    size_t n = 0;
    for (int k = 0; k < ci->nmembers; k++)
      people[n++] = (store_circle_slot_person){(int)i + 1, pool[ci->member[k]].id, false};
    if (ci->facilitator >= 0)
      people[n++] = (store_circle_slot_person){(int)i + 1, w->m.guides[ci->facilitator].id, true};
    store_circle_slot slot = {(int)i + 1, ci->parts.score, 0};
    rc = store_circle_slot_insert(c->st, proposal_id, &slot, people, n, e);
  }
  return rc;
}

static const char *ids_text(app_ctx *c, const int64_t *ids, size_t n) {
  strbuf b;
  sb_init(&b, 4096);
  for (size_t i = 0; i < n; i++) sb_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
  const char *s = arena_strdup(c->a, b.data ? b.data : "");
  sb_free(&b);
  return s;
}

/* Forms the draft's circles from the program as read in the caller's
 * transaction; r is cm_form's (the caller frees it). */
static rp_rc form_draft(app_ctx *c, const app_circle_proposal_in *in, store_circle_proposal *p,
                        cm_world *w, match_person **pool, cm_result *r, rp_err *e) {
  program prog;
  rp_rc rc = need_admin(c, in->program_id, &prog, e);
  if (!rc) rc = world_load(c, in->program_id, w, e);
  if (!rc) rc = check_request(c, in, w, e);
  if (rc) return rc;
  p->mix_attribute_ids = ids_text(c, in->mix_attribute_ids, in->nmix);
  world_request(w, p);
  /* the pool: the people the request names, by id */
  *pool = arena_zalloc(c->a, (w->n + 1) * sizeof **pool);
  size_t np = 0;
  for (size_t k = 0; k < w->n; k++)
    if (in_pool(w, p, k)) (*pool)[np++] = w->everyone[k];
  cm_instance inst = w->in;
  inst.people = *pool;
  inst.n = np; /* attribute values stay counted over the whole program, as the view counts them */
  if (cm_form(&inst, &w->req, r))
    return rp_fail(e, RP_ERR_INTERNAL, "matcher_failed", "The circles could not be formed.");
  app_circle_proposal fig = {.target = r->target, .pool = np, .seeded = r->seeded,
                             .passes = r->passes, .converged = r->converged, .swaps = r->swaps};
  p->report = report_of(c, &fig);
  return RP_OK;
}

rp_rc app_circle_proposal_create(app_ctx *c, const app_circle_proposal_in *in,
                                 app_circle_proposal *out, rp_err *e) {
  store_circle_proposal p = {
      .program_id = in->program_id, .state = "draft", .created_by = c->actor,
      .created_at = c->now, .name = in->name ? in->name : DEFAULT_NAME, .size = in->size,
      .circles_asked = in->circles, .pool = in->pool ? in->pool : "learners",
      .overlap_topics = in->overlap_topics, .mix_attributes = in->mix_attributes,
      .facilitator = in->facilitator, .include_active = in->include_active,
      .min_overlap_minutes = in->min_overlap_minutes, .seed = in->seed, .report = "{}"};
  cm_world w;
  match_person *pool = NULL;
  cm_result r;
  memset(&r, 0, sizeof r);
  /* Forming takes seconds on a program of thousands: it runs in a read
   * transaction, and only the draft's rows are written under the write
   * lock (what changed in between shows in the view's `fits`). */
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = form_draft(c, in, &p, &w, &pool, &r, e);
  store_rollback(c->st);
  if (!rc) rc = store_begin_write(c->st, e);
  if (rc) {
    cm_result_free(&r);
    return rc;
  }
  program prog;
  rc = need_admin(c, in->program_id, &prog, e);
  if (!rc) rc = store_circle_proposal_insert(c->st, &p, e);
  if (!rc) rc = save_slots(c, p.id, &w, pool, &r, e);
  cm_result_free(&r);
  if (!rc) rc = view(c, &p, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_proposal_get(app_ctx *c, int64_t id, app_circle_proposal *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_circle_proposal p;
  rc = load_proposal(c, id, false, &p, e);
  if (!rc) rc = view(c, &p, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_proposals_list(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                store_circle_proposal **items, size_t *n, int64_t *next,
                                rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  program prog;
  rc = need_admin(c, program_id, &prog, e);
  if (!rc)
    rc = store_circle_proposals_list(c->st, program_id, after, app_page_limit(limit), c->a, items,
                                     n, next, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_proposal_drop(app_ctx *c, int64_t id, int64_t person_id,
                               app_circle_proposal *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_circle_proposal p;
  rc = load_proposal(c, id, true, &p, e);
  store_circle_slot *slots;
  store_circle_slot_person *people;
  size_t ns = 0, np = 0;
  if (!rc) rc = store_circle_slots(c->st, id, c->a, &slots, &ns, &people, &np, e);
  int slot = 0;
  bool facilitator = false;
  for (size_t i = 0; !rc && i < np; i++)
    if (people[i].person_id == person_id) slot = people[i].slot, facilitator = people[i].facilitator;
  if (!rc && !slot) {
    rp_field(e, "/person_id", "Not in this proposal.");
    rc = e->rc;
  }
  if (!rc) rc = store_circle_slot_drop_person(c->st, id, person_id, e);
  size_t left = 0;
  for (size_t i = 0; i < np; i++)
    left += people[i].slot == slot && !people[i].facilitator && people[i].person_id != person_id;
  if (!rc && !facilitator && left < CIRCLE_MIN_MEMBERS) rc = store_circle_slot_drop(c->st, id, slot, e);
  if (!rc) rc = view(c, &p, out, e);
  return app_finish(c, rc, e);
}

/* Publishes one drafted circle when it still fits: the view's `fits`
 * also says nobody in it joined an open circle meanwhile (unless the
 * draft included them). */
static rp_rc publish_circle(app_ctx *c, const program *prog, const app_circle_proposal *v,
                            const app_proposed_circle *pc, bool *created, rp_err *e) {
  *created = false;
  if (!pc->fits || pc->circle_id) return RP_OK;
  app_circle_form_in in = {.program_id = v->p.program_id, .name = pc->name,
                           .member_ids = pc->member_ids, .nmembers = pc->nmembers,
                           .facilitator_id = pc->facilitator_id};
  int64_t circle_id = 0;
  rp_rc rc = app_circle_create(c, &in, prog, &circle_id, e);
  if (!rc) rc = store_circle_slot_published(c->st, v->p.id, pc->slot, circle_id, e);
  *created = !rc;
  return rc;
}

rp_rc app_circle_proposal_publish(app_ctx *c, int64_t id, app_circle_proposal *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_circle_proposal p;
  program prog;
  app_circle_proposal v;
  rc = load_proposal(c, id, true, &p, e);
  if (!rc) rc = store_program_get(c->st, p.program_id, c->a, &prog, e);
  if (!rc) rc = view(c, &p, &v, e);
  for (size_t i = 0; !rc && i < v.ncircles; i++) {
    bool created = false;
    rc = publish_circle(c, &prog, &v, &v.circles[i], &created, e);
    if (created) v.created++;
    else v.skipped++;
  }
  if (!rc) {
    p.state = "published";
    p.published_at = c->now;
    p.report = report_of(c, &v);
    rc = store_circle_proposal_update(c->st, &p, e);
  }
  if (!rc) rc = view(c, &p, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_proposal_discard(app_ctx *c, int64_t id, app_circle_proposal *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_circle_proposal p;
  rc = load_proposal(c, id, true, &p, e);
  if (!rc) {
    p.state = "discarded";
    rc = store_circle_proposal_update(c->st, &p, e);
  }
  if (!rc) rc = view(c, &p, out, e);
  return app_finish(c, rc, e);
}
