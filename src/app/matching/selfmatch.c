/* selfmatch.c: a learner's suggestions and requests, the guide's answer,
 * their expiry, and the private exit question of a rematch (see
 * matching.h).
 *
 * A guide's places for suggestions and requests: capacity less open
 * relationships (the instance) less pending requests to them. A learner's
 * suggestions leave out every guide they already asked (whatever the
 * answer), so that a decline or a lapsed window moves the next guide up.
 */
#include "app/matching/matching.h"
#include "app/matching/room.h"

#include <string.h>

/* The actor as a learner of the program, in the instance; and the guides
 * they already asked, taken out with their pending requests' places. */
static rp_rc learner_scope(app_ctx *c, int64_t program_id, app_match_inst *m, long *l,
                           store_match_request **reqs, size_t *nreq, rp_err *e) {
  app_match_roles me;
  rp_rc rc = app_match_access(c, program_id, &me, e);
  if (!rc && !me.learner)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only the program's learners have suggestions.");
  if (!rc) rc = app_match_instance(c, program_id, m, e);
  if (!rc) rc = store_match_requests_of_learner(c->st, program_id, c->actor, c->a, reqs, nreq, e);
  if (rc) return rc;
  *l = app_match_learner_index(m, c->actor);
  if (*l < 0) return rp_fail(e, RP_ERR_INTERNAL, "internal", "The learner is not in the program.");
  /* every guide's pending requests take a place; the actor's asked guides are out */
  match_forbid *f = arena_alloc(c->a, (m->nforbid + *nreq + 2) * sizeof *f);
  if (m->nforbid) memcpy(f, m->forbid, m->nforbid * sizeof *f);
  size_t nf = m->nforbid;
  for (size_t i = 0; i < *nreq; i++) {
    long g = app_match_guide_index(m, (*reqs)[i].guide_id);
    if (g >= 0) f[nf++] = (match_forbid){(uint32_t)*l, (uint32_t)g, MATCH_EXCLUDED};
  }
  long former = m->former_guide[*l] ? app_match_guide_index(m, m->former_guide[*l]) : -1;
  if (former >= 0 && (m->learners[*l].exit_flags & MATCH_EXIT_CHEMISTRY))
    f[nf++] = (match_forbid){(uint32_t)*l, (uint32_t)former, MATCH_EXCLUDED};
  m->forbid = f;
  m->nforbid = match_forbid_sort(f, nf);
  m->in.forbid = f;
  m->in.nforbid = m->nforbid;
  return RP_OK;
}

/* Takes the places of pending requests (of every learner) off the guides. */
static rp_rc pending_places(app_ctx *c, app_match_inst *m, rp_err *e) {
  store_match_row *rows;
  size_t n;
  rp_rc rc = store_match_pending_by_guide(c->st, m->program_id, c->a, &rows, &n, e);
  for (size_t i = 0; !rc && i < n; i++) {
    long g = app_match_guide_index(m, rows[i].person_id);
    if (g < 0) continue;
    m->guides[g].capacity -= (int)rows[i].a;
    if (m->guides[g].capacity < 0) m->guides[g].capacity = 0;
  }
  return rc;
}

rp_rc app_match_suggestions(app_ctx *c, int64_t program_id, app_match_suggestion **items,
                            size_t *n, rp_err *e) {
  *n = 0;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_match_inst m;
  long l = -1;
  store_match_request *reqs;
  size_t nreq;
  rc = learner_scope(c, program_id, &m, &l, &reqs, &nreq, e);
  if (!rc) rc = pending_places(c, &m, e);
  uint32_t idx[APP_MATCH_SUGGESTIONS];
  int scores[APP_MATCH_SUGGESTIONS];
  size_t k = rc ? 0 : match_top(&m.in, (size_t)l, APP_MATCH_SUGGESTIONS, idx, scores);
  *items = arena_zalloc(c->a, (k + 1) * sizeof **items);
  for (size_t i = 0; !rc && i < k; i++) {
    app_match_suggestion *s = &(*items)[i];
    const match_person *g = &m.guides[idx[i]];
    s->guide_id = g->id;
    s->name = g->name;
    match_score(&m.in, (size_t)l, idx[i], &s->parts);
    s->score = s->parts.score;
    strbuf b;
    sb_init(&b, 2048);
    match_explain(&m.in, (size_t)l, idx[i], &s->parts, MATCH_VIEW_LEARNER, &b);
    s->why = arena_strdup(c->a, b.data ? b.data : "");
    sb_free(&b);
    store_match_profile p;
    bool found;
    rc = store_match_profile_get(c->st, program_id, g->id, c->a, &p, &found, e);
    if (!rc) {
      s->about = p.about;
      s->languages = p.languages;
      rc = store_match_profile_topics(c->st, program_id, g->id, "offers", c->a, &s->offers,
                                      &s->noffers, e);
    }
  }
  if (!rc) *n = k;
  store_rollback(c->st);
  return rc;
}

rp_rc app_match_request(app_ctx *c, int64_t program_id, int64_t guide_id,
                        store_match_request *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_match_inst m;
  long l = -1;
  store_match_request *reqs = NULL;
  size_t nreq = 0;
  rc = learner_scope(c, program_id, &m, &l, &reqs, &nreq, e);
  if (!rc) rc = pending_places(c, &m, e);
  for (size_t i = 0; !rc && i < nreq; i++)
    if (strcmp(reqs[i].state, "pending") == 0)
      rc = rp_fail(e, RP_ERR_CONFLICT, "request_pending",
                   "You have a request waiting for an answer; withdraw it first.");
  long g = rc ? -1 : app_match_guide_index(&m, guide_id);
  if (!rc && g < 0) {
    rp_field(e, "/guide_id", "Not a guide of the program.");
    rc = e->rc;
  }
  if (!rc) {
    match_reason why = match_check(&m.in, (size_t)l, (size_t)g);
    if (why == MATCH_EXCLUDED)
      rc = rp_fail(e, RP_ERR_CONFLICT, "asked_before",
                   "You have asked this guide before or were matched with them.");
    else if (why != MATCH_FIT || m.guides[g].capacity <= 0)
      rc = rp_fail(e, RP_ERR_CONFLICT, "not_available",
                   "This guide is not among the guides who can take you now.");
  }
  if (!rc) {
    out->program_id = program_id;
    out->learner_id = c->actor;
    out->guide_id = guide_id;
    out->state = "pending";
    out->score = match_score(&m.in, (size_t)l, (size_t)g, NULL);
    out->created_at = c->now;
    out->due_at = c->now + (rp_time)m.window_hours * 3600;
    rc = store_match_request_insert(c->st, out, e);
  }
  if (!rc) rc = store_match_request_get(c->st, out->id, c->a, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_requests_mine(app_ctx *c, int64_t after, int limit, store_match_request **items,
                              size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_match_requests_of(c->st, c->actor, after, app_page_limit(limit), c->a, items, n,
                               next, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_match_request_answer(app_ctx *c, int64_t request_id, app_match_answer answer,
                               store_match_request *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_match_request_get(c->st, request_id, c->a, out, e);
  bool mine = !rc && (answer == APP_MATCH_WITHDRAW ? out->learner_id == c->actor
                                                   : out->guide_id == c->actor);
  if (rc == RP_ERR_NOT_FOUND || (!rc && !mine && out->learner_id != c->actor &&
                                 out->guide_id != c->actor))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such request.");
  else if (!rc && !mine)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role",
                 answer == APP_MATCH_WITHDRAW ? "Only the learner may withdraw a request."
                                              : "Only the guide answers a request.");
  if (!rc && strcmp(out->state, "pending") != 0)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_pending", "This request was %s already.", out->state);
  int64_t rel = 0;
  if (!rc && answer == APP_MATCH_ACCEPT) {
    app_match_inst m;
    rc = app_match_instance(c, out->program_id, &m, e);
    long l = rc ? -1 : app_match_learner_index(&m, out->learner_id);
    long g = rc ? -1 : app_match_guide_index(&m, out->guide_id);
    if (!rc && (l < 0 || g < 0))
      rc = rp_fail(e, RP_ERR_CONFLICT, "not_available", "The learner or guide left the program.");
    if (!rc && (match_check(&m.in, (size_t)l, (size_t)g) != MATCH_FIT ||
                m.guides[g].capacity <= 0))
      rc = rp_fail(e, RP_ERR_CONFLICT, "not_available",
                   "You have no place left, or the pair no longer fits; decline instead.");
    match_parts parts;
    if (!rc) {
      match_score(&m.in, (size_t)l, (size_t)g, &parts);
      rc = app_match_start(c, out->program_id, out->guide_id, out->learner_id, true, &parts, &rel,
                           e);
    }
  }
  const char *state = answer == APP_MATCH_ACCEPT    ? "accepted"
                      : answer == APP_MATCH_DECLINE ? "declined"
                                                    : "withdrawn";
  if (!rc) rc = store_match_request_answer(c->st, request_id, state, c->now, rel, e);
  if (!rc) rc = store_match_request_get(c->st, request_id, c->a, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_expire_requests(app_ctx *c, int64_t *expired, rp_err *e) {
  *expired = 0;
  store_match_request *items;
  size_t n;
  rp_rc rc = store_match_requests_due(c->st, c->now, 500, c->a, &items, &n, e);
  for (size_t i = 0; !rc && i < n; i++) {
    rc = store_match_request_answer(c->st, items[i].id, "expired", items[i].due_at, 0, e);
    if (!rc) (*expired)++;
  }
  return rc;
}

/* ---- rematch ---- */

static rp_rc exit_rel(app_ctx *c, int64_t rel_id, relationship *r, rp_err *e) {
  rel_role role;
  rp_rc rc = app_rel_load(c, rel_id, APP_NEED_PARTY, r, &role, e);
  return rc;
}

rp_rc app_match_exit_answer(app_ctx *c, int64_t rel_id, unsigned flags, rp_err *e) {
  if (flags == 0 || flags > 15) {
    rp_field(e, "/reasons", "One or more of topics, availability, style, chemistry.");
    return e->rc;
  }
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  relationship r;
  rc = exit_rel(c, rel_id, &r, e);
  store_match_row *rows = NULL;
  size_t nrows = 0;
  if (!rc && !(r.state == REL_COMPLETED || r.state == REL_ALUMNI || r.state == REL_ENDED))
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_ended",
                 "The exit question comes once the relationship has ended.");
  if (!rc) rc = store_match_all_relationships(c->st, r.program_id, c->a, &rows, &nrows, e);
  for (size_t i = 0; !rc && i < nrows; i++)
    if (rows[i].b == rel_id && rows[i].a)
      rc = rp_fail(e, RP_ERR_CONFLICT, "not_no_fault",
                   "The exit question is for endings without an incident.");
  if (!rc)
    rc = store_match_exit_put(c->st, rel_id, c->actor, app_match_exit_text(c->a, flags), c->now,
                              e);
  return app_finish(c, rc, e);
}

rp_rc app_match_exit_get(app_ctx *c, int64_t rel_id, unsigned *flags, bool *found, rp_err *e) {
  *flags = 0;
  *found = false;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rc = exit_rel(c, rel_id, &r, e);
  const char *text = NULL;
  if (!rc) rc = store_match_exit_get(c->st, rel_id, c->actor, c->a, &text, e);
  store_rollback(c->st);
  if (rc || !text) return rc;
  *found = true;
  *flags = app_match_exit_flags(c->a, text);
  return RP_OK;
}
