/* requests.c: the requester's side of 360 feedback, the report, and what
 * administrators see (see feedback360.h).
 *
 * Design note. The requester learns nothing while a request is open: the
 * view lists who was asked, not who answered or declined, and carries no
 * count of answers. The report is built once, when the request closes
 * (its deadline, the requester's close, or the jobs), in the closing
 * transaction: the figures of domain/f360.h, the signed answers of the
 * requester's guide apart, the open answers in a random order (only when
 * at least k raters answered), the gaps and the reflection. It is sealed
 * with the requester's own key; the answers are then deleted and the
 * raters' states erased, so no later route, export or change of deadline
 * can recompute anything from them.
 */
#include "app/circles/circles.h"
#include "app/feedback360/internal.h"
#include "app/people/people.h"
#include "app/privacy/privacy.h"
#include "store/f360.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

seal_ad f360_ad(seal_kind kind, int64_t row_id, int64_t requester_id) {
  return (seal_ad){kind, 0, row_id, requester_id, true};
}

rp_rc f360_not_found(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such feedback request.");
}

rp_rc f360_is_member(app_ctx *c, int64_t program_id, int64_t person_id, bool *out, rp_err *e) {
  static const member_role roles[] = {ROLE_ADMIN, ROLE_GUIDE, ROLE_LEARNER};
  *out = false;
  for (size_t i = 0; i < 3 && !*out; i++) {
    rp_rc rc = store_membership_has(c->st, program_id, person_id, roles[i], out, e);
    if (rc) return rc;
  }
  return RP_OK;
}

/* ---- checking a new request ---- */

static rp_rc check_deadline(app_ctx *c, rp_time deadline, rp_err *e) {
  if (deadline < c->now + F360_DEADLINE_MIN_DAYS * RP_DAY ||
      deadline > c->now + F360_DEADLINE_MAX_DAYS * RP_DAY) {
    rp_field(e, "/deadline", "The deadline is between %d and %d days from now.",
             F360_DEADLINE_MIN_DAYS, F360_DEADLINE_MAX_DAYS);
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

static rp_rc check_new(app_ctx *c, const app_f360_new *in, rp_err *e) {
  rp_rc rc = check_deadline(c, in->deadline, e);
  if (!rc) rc = f360_ratings_check(in->self, true, e);
  if (rc) return rc;
  if (!in->purpose || !in->purpose[0] || strlen(in->purpose) > F360_PURPOSE_MAX) {
    rp_field(e, "/purpose", "Say why you ask, in at most %d bytes.", F360_PURPOSE_MAX);
    return RP_ERR_INVALID;
  }
  if (in->nraters + in->noutside < F360_K_MIN || in->nraters + in->noutside > F360_RATERS_MAX) {
    rp_field(e, "/raters", "Ask between %d and %d raters.", F360_K_MIN, F360_RATERS_MAX);
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

/* A rater picked from a circle: the requester and they are in it now,
 * and it is the request's program's; else 422 (the same whether the
 * circle exists or not). */
static rp_rc check_circle_peer(app_ctx *c, const app_f360_new *in, size_t i, rp_err *e) {
  const app_f360_rater_in *x = &in->raters[i];
  bool both = false;
  int64_t program_id = 0;
  rp_rc rc = app_circle_both_in(c, x->circle_id, x->person_id, &both, &program_id, e);
  if (rc) return rc;
  if (!both || program_id != in->program_id) {
    rp_field(e, arena_printf(c->a, "/raters/%zu/circle_id", i),
             "Pick a member of one of your circles in this program.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

/* Each member rater: in the program, not the requester, not asked by
 * them within F360_RERATE_DAYS; their group (a guide is "guide", a circle
 * peer "peers"); the keyed hash of their address in ehash. */
static rp_rc check_rater(app_ctx *c, const app_f360_new *in, size_t i, f360_group *group,
                         unsigned char ehash[TOKEN_HASH_LEN], rp_err *e) {
  app_f360_rater_in *x = (app_f360_rater_in *)&in->raters[i];
  bool member = false, recent = false;
  if (!x->person_id && x->email) { /* by e-mail: the same answer whether or not it exists */
    person p;
    const char *pw;
    rp_rc rc = store_person_by_email(c->st, x->email, c->a, &p, &pw, e);
    if (rc && rc != RP_ERR_NOT_FOUND) return rc;
    rp_err_reset(e);
    x->person_id = rc ? -1 : p.id;
  }
  for (size_t j = 0; j < i; j++) {
    if (in->raters[j].person_id == x->person_id) {
      rp_field(e, "/raters", "Each rater once.");
      return RP_ERR_INVALID;
    }
  }
  int64_t rel = 0;
  rp_rc rc = x->person_id == c->actor || x->person_id < 0
                 ? RP_OK
                 : f360_is_member(c, in->program_id, x->person_id, &member, e);
  if (!rc && !member) {
    char ptr[48];
    snprintf(ptr, sizeof ptr, "/raters/%zu/%s", i, x->email ? "email" : "person_id");
    rp_field(e, ptr, "A rater is another member of the program.");
    return RP_ERR_INVALID;
  }
  if (!rc && x->circle_id) rc = check_circle_peer(c, in, i, e);
  person p;
  if (!rc) rc = store_person_get(c->st, x->person_id, c->a, &p, e);
  if (!rc) f360_email_hash(c, p.email, ehash);
  if (!rc)
    rc = store_f360_asked_since(c->st, c->actor, x->person_id, ehash, TOKEN_HASH_LEN,
                                c->now - (rp_time)F360_RERATE_DAYS * RP_DAY, &recent, e);
  if (!rc && recent)
    return rp_fail(e, RP_ERR_CONFLICT, "rater_recent",
                   "You asked rater %zu for feedback within the last %d days; ask someone else.",
                   i + 1, F360_RERATE_DAYS);
  if (!rc) rc = store_f360_guide_of(c->st, x->person_id, c->actor, &rel, e);
  if (rc) return rc;
  if (!rel && x->has_group && x->group == F360_GUIDE) {
    char ptr[48];
    snprintf(ptr, sizeof ptr, "/raters/%zu/group", i);
    rp_field(e, ptr, "Only your guide is in the group \"guide\".");
    return RP_ERR_INVALID;
  }
  if (!rel && x->circle_id && x->has_group && x->group != F360_PEER) {
    rp_field(e, arena_printf(c->a, "/raters/%zu/group", i),
             "A rater picked from your circles is in the group \"peers\".");
    return RP_ERR_INVALID;
  }
  *group = rel ? F360_GUIDE : x->has_group ? x->group : F360_PEER;
  return RP_OK;
}

/* ---- views ---- */

static rp_rc load_own(app_ctx *c, int64_t id, store_f360 *row, rp_err *e) {
  rp_rc rc = store_f360_get(c->st, id, c->a, row, e);
  if (rc == RP_ERR_NOT_FOUND || (!rc && row->requester_id != c->actor)) {
    rp_err_reset(e);
    return f360_not_found(e);
  }
  return rc;
}

static rp_rc fill_view(app_ctx *c, const store_f360 *row, app_f360_view *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->row = *row;
  seal_ad ad = f360_ad(SEAL_F360_PURPOSE, row->id, row->requester_id);
  rp_rc rc = app_open(c, &ad, row->purpose, &out->purpose, e);
  if (!rc) rc = store_f360_raters(c->st, row->id, c->a, &out->raters, &out->nraters, e);
  if (rc) return rc;
  out->names = arena_zalloc(c->a, sizeof *out->names * (out->nraters + 1));
  for (size_t i = 0; i < out->nraters && !rc; i++) {
    out->raters[i].state = F360_INVITED; /* never shown to the requester */
    if (!out->raters[i].person_id) continue;
    person p;
    rc = store_person_get(c->st, out->raters[i].person_id, c->a, &p, e);
    if (!rc) out->names[i] = p.name;
  }
  if (!rc && row->shared_relationship_id) {
    relationship r;
    person g;
    rc = store_relationship_get(c->st, row->shared_relationship_id, &r, e);
    if (!rc) rc = store_person_get(c->st, r.guide_id, c->a, &g, e);
    if (!rc) out->shared_with = g.name;
  }
  return rc;
}

/* ---- the report ---- */

static json_t *cell_json(const f360_cell *x) {
  if (x->k.hidden != KANON_SHOWN)
    return json_pack("{s:b, s:s}", "suppressed", 1, "reason", kanon_reason_text(x->k.hidden));
  return json_pack("{s:f}", "mean", (double)(long)(x->mean * 100 + 0.5) / 100);
}

static json_t *ratings_json(const int *r) {
  json_t *a = json_array();
  for (int i = 0; i < F360_NITEM; i++)
    json_array_append_new(a, r[i] ? json_integer(r[i]) : json_null());
  return a;
}

/* Shuffles the n texts in place (Fisher-Yates, libsodium's randomness). */
static void shuffle(const char **t, size_t n) {
  for (size_t i = n; i > 1; i--) {
    size_t j = randombytes_uniform((uint32_t)i);
    const char *x = t[i - 1];
    t[i - 1] = t[j];
    t[j] = x;
  }
}

static json_t *texts_json(const char **t, size_t n) {
  shuffle(t, n);
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    if (t[i] && t[i][0]) json_array_append_new(a, json_string(t[i]));
  return a;
}

static json_t *figures_json(const f360_figures *f) {
  json_t *rows = json_array();
  for (size_t r = 0; r < F360_NROW; r++) {
    bool merged = r > 0 && f->merged[r - 1];
    if (r > 0 && !merged && f->answers[r] == 0) continue;
    json_t *items = json_array();
    for (size_t j = 0; j < F360_NITEM; j++) {
      json_t *x = cell_json(&f->cell[r][j]);
      json_object_set_new(x, "code", json_string(f360_item_at(j)->code));
      json_array_append_new(items, x);
    }
    json_t *row = json_pack("{s:s, s:o}", "group",
                            r == F360_ALL ? "all" : f360_group_name((f360_group)(r - 1)), "items",
                            items);
    if (merged) json_object_set_new(row, "merged_into", json_string("others"));
    else if (f->shown[r]) json_object_set_new(row, "answers", json_integer((json_int_t)f->answers[r]));
    json_array_append_new(rows, row);
  }
  return rows;
}

static json_t *reflection_json(const f360_figures *f, const int *self) {
  size_t idx[F360_REFLECT_ITEMS];
  size_t n = f360_reflection(f, self, idx);
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    const f360_item *it = f360_item_at(idx[i]);
    const practice *p = practice_by_slug(it->practice);
    if (!p) continue;
    json_t *qs = json_array();
    for (size_t q = 0; q < p->nquestions; q++) json_array_append_new(qs, json_string(p->questions[q]));
    json_array_append_new(a, json_pack("{s:s, s:s, s:{s:i, s:s, s:s, s:s, s:o}}", "code", it->code,
                                       "statement", it->statement, "practice", "id", p->id,
                                       "slug", p->slug, "title", p->title, "summary", p->summary,
                                       "questions", qs));
  }
  return a;
}

/* Builds the report of row from its answers (texts opened for the server:
 * they go only into the sealed report). */
static rp_rc build_report(app_ctx *c, const store_f360 *row, const char **out, rp_err *e) {
  store_f360_answer *ans;
  size_t n;
  rp_rc rc = store_f360_answers(c->st, row->id, c->a, &ans, &n, e);
  if (rc) return rc;
  program prog;
  rc = store_program_get(c->st, row->program_id, c->a, &prog, e);
  if (rc) return rc;
  f360_answer *fig = arena_zalloc(c->a, sizeof *fig * (n + 1));
  const char **keep = arena_zalloc(c->a, sizeof *keep * (n + 1));
  const char **change = arena_zalloc(c->a, sizeof *change * (n + 1));
  size_t nfig = 0, members = 0, outsiders = 0;
  json_t *signed_ = json_array();
  for (size_t i = 0; i < n && !rc; i++) {
    const char *k = NULL, *d = NULL;
    seal_ad ak = f360_ad(SEAL_F360_KEEP, ans[i].id, row->requester_id);
    seal_ad ac = f360_ad(SEAL_F360_CHANGE, ans[i].id, row->requester_id);
    rc = app_open_for_server(c, &ak, ans[i].keep, &k, e);
    if (!rc) rc = app_open_for_server(c, &ac, ans[i].change, &d, e);
    if (rc) break;
    if (ans[i].signed_by) {
      person g;
      rc = store_person_get(c->st, ans[i].signed_by, c->a, &g, e);
      if (!rc)
        json_array_append_new(signed_, json_pack("{s:s, s:I, s:s, s:o, s:s, s:s}", "group",
                                                 "guide", "person_id", (json_int_t)g.id, "name",
                                                 g.name, "ratings", ratings_json(ans[i].ratings),
                                                 "keep", k, "change", d));
      continue;
    }
    fig[nfig].group = ans[i].group;
    fig[nfig].member = ans[i].member;
    memcpy(fig[nfig].ratings, ans[i].ratings, sizeof fig[nfig].ratings);
    keep[nfig] = k;
    change[nfig] = d;
    nfig++;
    if (ans[i].member) members++;
    else outsiders++;
  }
  if (rc) {
    json_decref(signed_);
    return rc;
  }
  f360_figures f;
  size_t k = (size_t)(prog.settings.k_anonymity > F360_K_MIN ? prog.settings.k_anonymity
                                                              : F360_K_MIN);
  f360_figure(fig, nfig, row->self, k, &f);
  bool texts = members ? members >= f.k : outsiders >= f.k;
  json_t *items = json_array(), *gaps = json_array();
  for (size_t j = 0; j < F360_NITEM; j++) {
    const f360_item *it = f360_item_at(j);
    json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "code", it->code, "component",
                                           it->component, "statement", it->statement));
    if (f.has_gap[j])
      json_array_append_new(gaps, json_pack("{s:s, s:i, s:f, s:f}", "code", it->code, "self",
                                            row->self[j], "others",
                                            (double)(long)(f.cell[F360_ALL][j].mean * 100 + 0.5) / 100,
                                            "gap", (double)(long long)(f.gap[j] * 100 + (f.gap[j] < 0 ? -0.5 : 0.5)) / 100));
  }
  json_t *rep = json_pack("{s:I, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "request_id",
                          (json_int_t)row->id, "k", (int)f.k, "items", items, "groups",
                          figures_json(&f), "signed", signed_, "self", ratings_json(row->self),
                          "gaps", gaps, "reflection", reflection_json(&f, row->self));
  json_object_set_new(rep, "open_answers",
                      texts ? json_pack("{s:o, s:o}", "keep", texts_json(keep, nfig), "change",
                                        texts_json(change, nfig))
                            : json_pack("{s:b, s:s}", "suppressed", 1, "reason",
                                        kanon_reason_text(KANON_FEWER_THAN_K)));
  if (texts) json_object_set_new(rep, "answers", json_integer((json_int_t)nfig));
  char *s = json_dumps(rep, JSON_COMPACT);
  json_decref(rep);
  *out = arena_strdup(c->a, s);
  free(s);
  return RP_OK;
}

/* Closes row (open) inside the caller's write transaction. */
static rp_rc close_request(app_ctx *c, store_f360 *row, rp_err *e) {
  const char *json;
  rp_rc rc = build_report(c, row, &json, e);
  rp_blob sealed;
  if (!rc) {
    seal_ad ad = f360_ad(SEAL_F360_REPORT, row->id, row->requester_id);
    rc = app_seal(c, &ad, json, strlen(json), &sealed, e);
  }
  if (!rc) rc = store_f360_close(c->st, row->id, c->now, sealed, e);
  if (!rc) {
    row->closed = true;
    row->closed_at = c->now;
    row->report = sealed;
  }
  return rc;
}

/* ---- the actions ---- */

rp_rc app_f360_create(app_ctx *c, const app_f360_new *in, app_f360_view *out, rp_err *e) {
  rp_rc rc = check_new(c, in, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  bool member = false;
  person me;
  rc = f360_is_member(c, in->program_id, c->actor, &member, e);
  if (!rc && !member) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  if (!rc) rc = store_person_get(c->st, c->actor, c->a, &me, e);
  if (!rc) rc = f360_outside_check(c, in, me.email, e);
  f360_group *groups = arena_zalloc(c->a, sizeof *groups * (in->nraters + 1));
  unsigned char(*ehash)[TOKEN_HASH_LEN] = arena_zalloc(c->a, TOKEN_HASH_LEN * (in->nraters + 1));
  for (size_t i = 0; i < in->nraters && !rc; i++)
    rc = check_rater(c, in, i, &groups[i], ehash[i], e);
  store_f360 row = {0};
  if (!rc) {
    row.requester_id = c->actor;
    row.program_id = in->program_id;
    row.purpose = APP_SEAL_PENDING;
    memcpy(row.self, in->self, sizeof row.self);
    row.deadline = in->deadline;
    row.created_at = c->now;
    rc = store_f360_insert(c->st, &row, e);
  }
  if (!rc) {
    seal_ad ad = f360_ad(SEAL_F360_PURPOSE, row.id, c->actor);
    rc = app_seal_row(c, &ad, in->purpose, strlen(in->purpose), &row.purpose, e);
  }
  for (size_t i = 0; i < in->nraters && !rc; i++) {
    store_f360_rater r = {0, row.id, in->raters[i].person_id, groups[i], F360_INVITED, c->now};
    rc = store_f360_rater_insert(c->st, &r, NULL, TOKEN_HASH_LEN, ehash[i], e);
  }
  for (size_t i = 0; i < in->noutside && !rc; i++) rc = f360_outside_ask(c, &row, in, i, e);
  if (!rc) rc = store_f360_get(c->st, row.id, c->a, &row, e);
  if (!rc) rc = fill_view(c, &row, out, e);
  if (!rc) {
    out->purpose = arena_strdup(c->a, in->purpose);
    out->mailed = in->outside;
    out->nmailed = in->noutside;
  }
  return app_finish(c, rc, e);
}

rp_rc app_f360_list(app_ctx *c, int64_t after, int limit, store_f360 **items, size_t *n,
                    int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_f360_list(c->st, c->actor, after, app_page_limit(limit), c->a, items, n, next, e);
  store_rollback(c->st);
  return rc;
}

/* Loads the requester's request in a write transaction, closing it when
 * its deadline passed (the jobs close it too: reads never write); then
 * `then` acts on it. */
typedef rp_rc (*own_action)(app_ctx *c, store_f360 *row, const void *arg, rp_err *e);

static rp_rc with_own(app_ctx *c, int64_t id, own_action then, const void *arg,
                      app_f360_view *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_f360 row;
  rc = load_own(c, id, &row, e);
  if (!rc && !row.closed && row.deadline <= c->now) rc = close_request(c, &row, e);
  if (!rc && then) rc = then(c, &row, arg, e);
  if (!rc) rc = store_f360_get(c->st, id, c->a, &row, e);
  if (!rc && out) rc = fill_view(c, &row, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_f360_get(app_ctx *c, int64_t id, app_f360_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_f360 row;
  rc = load_own(c, id, &row, e);
  if (!rc) rc = fill_view(c, &row, out, e);
  store_rollback(c->st);
  return rc;
}

static rp_rc closed_conflict(rp_err *e) {
  return rp_fail(e, RP_ERR_CONFLICT, "closed", "This request is closed; it cannot reopen.");
}

static rp_rc do_deadline(app_ctx *c, store_f360 *row, const void *arg, rp_err *e) {
  rp_time deadline = *(const rp_time *)arg;
  if (row->closed) return closed_conflict(e);
  rp_rc rc = check_deadline(c, deadline, e);
  return rc ? rc : store_f360_set_deadline(c->st, row->id, deadline, e);
}

rp_rc app_f360_set_deadline(app_ctx *c, int64_t id, rp_time deadline, app_f360_view *out,
                            rp_err *e) {
  return with_own(c, id, do_deadline, &deadline, out, e);
}

static rp_rc do_close(app_ctx *c, store_f360 *row, const void *arg, rp_err *e) {
  (void)arg;
  return row->closed ? closed_conflict(e) : close_request(c, row, e);
}

rp_rc app_f360_close(app_ctx *c, int64_t id, app_f360_view *out, rp_err *e) {
  return with_own(c, id, do_close, NULL, out, e);
}

static rp_rc do_share(app_ctx *c, store_f360 *row, const void *arg, rp_err *e) {
  int64_t rel_id = *(const int64_t *)arg;
  if (!row->closed)
    return rp_fail(e, RP_ERR_CONFLICT, "not_closed", "Share the report once it is ready.");
  rp_rc rc = RP_OK;
  if (rel_id) {
    relationship r;
    rel_role role;
    rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
    if (!rc && role != REL_ROLE_LEARNER) {
      rp_field(e, "/relationship_id", "Share with the guide of one of your relationships.");
      rc = RP_ERR_INVALID;
    }
    if (!rc && row->shared_relationship_id == rel_id) return RP_OK;
    if (!rc && row->shared_relationship_id)
      rc = app_event(c, row->shared_relationship_id, "feedback360_unshared", row->id, c->now,
                     NULL, NULL, NULL, e);
    if (!rc) rc = store_f360_share(c->st, row->id, rel_id, c->now, e);
    if (!rc)
      rc = app_event(c, rel_id, "feedback360_shared", row->id, c->now, NULL, NULL, NULL, e);
  } else if (row->shared_relationship_id) {
    rc = store_f360_share(c->st, row->id, 0, c->now, e);
    if (!rc)
      rc = app_event(c, row->shared_relationship_id, "feedback360_unshared", row->id, c->now,
                     NULL, NULL, NULL, e);
  }
  return rc;
}

rp_rc app_f360_share(app_ctx *c, int64_t id, int64_t rel_id, app_f360_view *out, rp_err *e) {
  return with_own(c, id, do_share, &rel_id, out, e);
}

/* The requester, or the guide of the relationship it is shared with. */
static rp_rc may_read_report(app_ctx *c, const store_f360 *row, rp_err *e) {
  if (row->requester_id == c->actor) return RP_OK;
  if (!row->shared_relationship_id) return f360_not_found(e);
  relationship r;
  rp_rc rc = store_relationship_get(c->st, row->shared_relationship_id, &r, e);
  if (rc == RP_ERR_NOT_FOUND || (!rc && (r.guide_id != c->actor ||
                                         r.learner_id != row->requester_id))) {
    rp_err_reset(e);
    return f360_not_found(e);
  }
  return rc;
}

rp_rc app_f360_report(app_ctx *c, int64_t id, const char **json, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_f360 row;
  rc = store_f360_get(c->st, id, c->a, &row, e);
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    rc = f360_not_found(e);
  }
  if (!rc) rc = may_read_report(c, &row, e);
  if (!rc && !row.closed)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_closed",
                 "The report is ready when the request closes, at its deadline.");
  if (!rc) {
    seal_ad ad = f360_ad(SEAL_F360_REPORT, row.id, row.requester_id);
    rc = app_open(c, &ad, row.report, json, e);
  }
  store_rollback(c->st);
  return rc;
}

rp_rc app_f360_program_counts(app_ctx *c, int64_t program_id, app_f360_counts *out,
                              rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  program p;
  bool admin = false;
  rc = app_program_get(c, program_id, &p, e);
  if (!rc) rc = app_is_program_admin(c, program_id, &admin, e);
  if (!rc && !admin)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only the program's administrators can do this.");
  int64_t requests = 0, completed = 0;
  if (!rc) rc = store_f360_program_counts(c->st, program_id, &requests, &completed, e);
  store_rollback(c->st);
  if (rc) return rc;
  out->k = p.settings.k_anonymity > F360_K_MIN ? p.settings.k_anonymity : F360_K_MIN;
  /* the whole (requests) and its two parts (completed, still open) */
  kanon_cell m[3] = {{(size_t)requests, KANON_SHOWN},
                     {(size_t)completed, KANON_SHOWN},
                     {(size_t)(requests - completed), KANON_SHOWN}};
  kanon_suppress(m, 3, 1, (size_t)out->k, NULL, NULL);
  out->requests_shown = m[0].hidden == KANON_SHOWN;
  out->completed_shown = m[1].hidden == KANON_SHOWN;
  out->requests = out->requests_shown ? requests : 0;
  out->completed = out->completed_shown ? completed : 0;
  return RP_OK;
}

rp_rc app_f360_close_due(app_ctx *c, int *changed, rp_err *e) {
  int64_t *ids;
  size_t n;
  rp_rc rc = store_f360_due(c->st, c->now, 50, c->a, &ids, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    store_f360 row;
    rc = store_f360_get(c->st, ids[i], c->a, &row, e);
    if (!rc) rc = close_request(c, &row, e);
    if (!rc) (*changed)++;
  }
  return rc;
}
