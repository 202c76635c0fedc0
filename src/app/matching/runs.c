/* runs.c: the admin's batch runs (see matching.h).
 *
 * A run's scope is every learner of the program without an open
 * relationship, less the learners it excludes. Solving keeps the locked
 * pairs (their guides' places are taken first) and solves the rest of the
 * scope with the program's mode; the run stores its pairs and, as figures
 * only, what cannot be recomputed cheaply on reading: the greedy total on
 * the same scope and the blocking pairs. Everything else a reader sees
 * (scores, parts, sentences, unmatched learners and their reasons) is
 * computed from the program as it stands when read.
 */
#include "app/matching/matching.h"
#include "app/matching/room.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t solve_lock = PTHREAD_MUTEX_INITIALIZER;

int app_match_solve(const match_instance *in, match_result *out) {
  pthread_mutex_lock(&solve_lock);
  int rc = match_solve(in, out);
  pthread_mutex_unlock(&solve_lock);
  return rc;
}

rp_rc app_match_start(app_ctx *c, int64_t program_id, int64_t guide, int64_t learner,
                      bool accepted, const match_parts *parts, int64_t *id, rp_err *e) {
  bool exists = false;
  rp_rc rc = store_relationship_open_exists(c->st, program_id, guide, learner, &exists, e);
  if (!rc && exists)
    rc = rp_fail(e, RP_ERR_CONFLICT, "relationship_exists",
                 "This guide and learner already have an open relationship in the program.");
  relationship r;
  memset(&r, 0, sizeof r);
  if (!rc) {
    r.program_id = program_id;
    r.guide_id = guide;
    r.learner_id = learner;
    r.state = REL_PROPOSED;
    r.learner_accepted = accepted;
    r.proposed_by = c->actor;
    r.proposed_at = r.state_since = c->now;
    rc = store_relationship_insert(c->st, &r, e);
  }
  if (!rc) rc = app_event(c, r.id, "proposed", 0, c->now, NULL, "proposed", NULL, e);
  if (!rc && accepted) {
    r.guide_accepted = true;
    r.state = REL_ACTIVE;
    rc = store_relationship_update(c->st, &r, e);
    if (!rc)
      rc = app_event(c, r.id, "transition", 0, c->now, rel_state_name(REL_PROPOSED),
                     rel_state_name(REL_ACTIVE), NULL, e);
  }
  if (!rc) {
    store_match_outcome o = {.relationship_id = r.id, .score = parts->score, .at = c->now};
    for (int i = 0; i < MATCH_NPARTS; i++) o.part[i] = parts->applies[i] ? parts->part[i] : -1;
    rc = store_match_outcome_put(c->st, program_id, &o, e);
  }
  *id = r.id;
  return rc;
}

/* The program's instance with the run's exclusions as forbidden pairs;
 * excluded[l] for learners the run leaves out altogether. */
static rp_rc scope(app_ctx *c, int64_t program_id, int64_t run_id, app_match_inst *m,
                   bool **excluded, rp_err *e) {
  rp_rc rc = app_match_instance(c, program_id, m, e);
  store_match_row *x;
  size_t nx = 0;
  if (!rc && run_id) rc = store_match_run_exclusions(c->st, run_id, c->a, &x, &nx, e);
  if (rc) return rc;
  *excluded = arena_zalloc(c->a, m->in.nl + 1);
  match_forbid *f = arena_alloc(c->a, (m->nforbid + nx + 1) * sizeof *f);
  if (m->nforbid) memcpy(f, m->forbid, m->nforbid * sizeof *f);
  size_t nf = m->nforbid;
  for (size_t i = 0; i < nx; i++) {
    long l = app_match_learner_index(m, x[i].person_id);
    if (l < 0) continue;
    if (x[i].other == 0) {
      (*excluded)[l] = true;
      continue;
    }
    long g = app_match_guide_index(m, x[i].other);
    if (g >= 0) f[nf++] = (match_forbid){(uint32_t)l, (uint32_t)g, MATCH_EXCLUDED};
  }
  m->forbid = f;
  m->nforbid = match_forbid_sort(f, nf);
  m->in.forbid = m->forbid;
  m->in.nforbid = m->nforbid;
  return RP_OK;
}

/* Solves the scope around the locked pairs; writes the unlocked pairs and
 * the run's report (greedy total, blocking pairs). */
static rp_rc solve_run(app_ctx *c, store_match_run *run, app_match_inst *m, const bool *excluded,
                       rp_err *e) {
  store_match_pair *pairs;
  size_t np;
  rp_rc rc = store_match_run_pairs(c->st, run->id, c->a, &pairs, &np, e);
  if (rc) return rc;
  bool *locked_l = arena_zalloc(c->a, m->in.nl + 1);
  int64_t locked_total = 0;
  for (size_t i = 0; i < np; i++) {
    if (!pairs[i].locked) continue;
    long l = app_match_learner_index(m, pairs[i].learner_id);
    long g = app_match_guide_index(m, pairs[i].guide_id);
    if (l >= 0) locked_l[l] = true;
    if (g >= 0 && m->guides[g].capacity > 0) m->guides[g].capacity--;
    locked_total += pairs[i].score;
  }
  /* the sub-instance: learners in scope and not locked */
  size_t *map = arena_alloc(c->a, (m->in.nl + 1) * sizeof *map);
  long *back = arena_alloc(c->a, (m->in.nl + 1) * sizeof *back);
  match_person *sub = arena_alloc(c->a, (m->in.nl + 1) * sizeof *sub);
  size_t ns = 0;
  for (size_t l = 0; l < m->in.nl; l++) {
    back[l] = -1;
    if (m->learner_matched[l] || excluded[l] || locked_l[l]) continue;
    map[ns] = l;
    back[l] = (long)ns;
    sub[ns++] = m->learners[l];
  }
  match_forbid *f = arena_alloc(c->a, (m->nforbid + 1) * sizeof *f);
  size_t nf = 0;
  for (size_t i = 0; i < m->nforbid; i++) {
    long s = back[m->forbid[i].learner];
    if (s < 0) continue;
    f[nf] = m->forbid[i];
    f[nf++].learner = (uint32_t)s;
  }
  match_instance in = m->in;
  in.learners = sub;
  in.nl = ns;
  in.forbid = f;
  in.nforbid = nf;
  in.set.fairness = run->fairness;
  match_result r = {.guide_of = arena_alloc(c->a, (ns + 1) * sizeof(int32_t)),
                    .score_of = arena_alloc(c->a, (ns + 1) * sizeof(int))};
  if (app_match_solve(&in, &r))
    return rp_fail(e, RP_ERR_INTERNAL, "solver_failed", "The optimiser failed; nothing changed.");
  int64_t blocking = match_blocking_pairs(&in, &r);
  store_match_pair *out = arena_alloc(c->a, (ns + 1) * sizeof *out);
  size_t no = 0;
  for (size_t s = 0; s < ns; s++)
    if (r.guide_of[s] >= 0)
      out[no++] = (store_match_pair){m->learners[map[s]].id, m->guides[r.guide_of[s]].id,
                                     r.score_of[s], false};
  match_greedy(&in, &r);
  rc = store_match_run_pairs_replace(c->st, run->id, out, no, e);
  run->solved_at = c->now;
  run->report = arena_printf(c->a, "{\"greedy_total\":%lld,\"blocking_pairs\":%lld}",
                             (long long)(r.total + locked_total), (long long)blocking);
  if (!rc) rc = store_match_run_update(c->st, run, e);
  return rc;
}

/* The view of a run as it stands: pairs with their parts and sentences,
 * the unmatched learners of its scope with their reasons, the figures. */
static rp_rc view(app_ctx *c, const store_match_run *run, app_match_inst *m, const bool *excluded,
                  app_match_run *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->run = *run;
  long long greedy = 0, blocking = 0;
  if (run->report) sscanf(run->report, "{\"greedy_total\":%lld,\"blocking_pairs\":%lld}", &greedy,
                          &blocking);
  out->greedy_total = greedy;
  out->blocking = blocking;
  store_match_pair *pairs;
  size_t np;
  rp_rc rc = store_match_run_pairs(c->st, run->id, c->a, &pairs, &np, e);
  if (rc) return rc;
  out->pairs = arena_zalloc(c->a, (np + 1) * sizeof *out->pairs);
  bool *paired = arena_zalloc(c->a, m->in.nl + 1);
  strbuf b;
  for (size_t i = 0; i < np; i++) {
    app_match_pair *p = &out->pairs[out->npairs++];
    p->learner_id = pairs[i].learner_id;
    p->guide_id = pairs[i].guide_id;
    p->score = pairs[i].score;
    p->locked = pairs[i].locked;
    long l = app_match_learner_index(m, p->learner_id);
    long g = app_match_guide_index(m, p->guide_id);
    if (l < 0 || g < 0) continue; /* left the program since */
    paired[l] = true;
    p->learner_name = m->learners[l].name;
    p->guide_name = m->guides[g].name;
    match_score(&m->in, (size_t)l, (size_t)g, &p->parts);
    sb_init(&b, 2048);
    match_explain(&m->in, (size_t)l, (size_t)g, &p->parts, MATCH_VIEW_ADMIN, &b);
    p->why = arena_strdup(c->a, b.data ? b.data : "");
    sb_free(&b);
    out->total += p->score;
    if (out->npairs == 1 || p->score < out->minimum) out->minimum = p->score;
    int band = p->score < 50 ? 0 : p->score >= 80 ? 4 : (p->score - 40) / 10;
    out->bands[band]++;
  }
  out->unmatched = arena_zalloc(c->a, (m->in.nl + 1) * sizeof *out->unmatched);
  match_result none = {0};
  for (size_t l = 0; l < m->in.nl; l++) {
    if (excluded[l] || (m->learner_matched[l] && !paired[l])) continue;
    out->learners++;
    if (paired[l]) continue;
    app_match_unmatched *u = &out->unmatched[out->nunmatched++];
    u->learner_id = m->learners[l].id;
    u->name = m->learners[l].name;
    u->reason = match_unmatched_reason(&m->in, &none, l, u->counts);
  }
  return RP_OK;
}

static rp_rc load_run(app_ctx *c, int64_t run_id, bool draft, store_match_run *run, rp_err *e) {
  rp_rc rc = store_match_run_get(c->st, run_id, c->a, run, e);
  if (rc == RP_ERR_NOT_FOUND) return rp_fail(e, rc, "not_found", "No such matching run.");
  if (!rc) {
    rc = app_match_need_admin(c, run->program_id, e);
    /* a member who does not administer the program learns nothing of it */
    if (rc == RP_ERR_FORBIDDEN || rc == RP_ERR_NOT_FOUND)
      return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such matching run.");
  }
  if (!rc && draft && strcmp(run->state, "draft") != 0)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_a_draft", "This run was %s; start a new one.",
                 run->state);
  return rc;
}

rp_rc app_match_run_create(app_ctx *c, int64_t program_id, app_match_run *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  app_match_inst m;
  bool *excluded = NULL;
  store_match_run run = {.program_id = program_id, .state = "draft", .created_by = c->actor,
                         .created_at = c->now, .solved_at = c->now, .report = "{}"};
  if (!rc) rc = scope(c, program_id, 0, &m, &excluded, e);
  if (!rc) {
    run.fairness = m.in.set.fairness;
    rc = store_match_run_insert(c->st, &run, e);
  }
  if (!rc) rc = solve_run(c, &run, &m, excluded, e);
  if (!rc) rc = view(c, &run, &m, excluded, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_run_get(app_ctx *c, int64_t run_id, app_match_run *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_match_run run;
  app_match_inst m;
  bool *excluded = NULL;
  rc = load_run(c, run_id, false, &run, e);
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  if (!rc) rc = view(c, &run, &m, excluded, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_match_runs_list(app_ctx *c, int64_t program_id, int64_t after, int limit,
                          store_match_run **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  if (!rc)
    rc = store_match_runs_list(c->st, program_id, after, app_page_limit(limit), c->a, items, n,
                               next, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_match_run_lock(app_ctx *c, int64_t run_id, int64_t learner_id, int64_t guide_id,
                         bool locked, app_match_run *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_match_run run;
  app_match_inst m;
  bool *excluded = NULL;
  rc = load_run(c, run_id, true, &run, e);
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  long l = -1, g = -1;
  if (!rc) {
    l = app_match_learner_index(&m, learner_id);
    g = app_match_guide_index(&m, guide_id);
    if (l < 0 || excluded[l] || m.learner_matched[l])
      rp_field(e, "/learner_id", "Not a learner of this run.");
    if (g < 0) rp_field(e, "/guide_id", "Not a guide of the program.");
    rc = e->rc;
  }
  store_match_pair *pairs = NULL;
  size_t np = 0;
  if (!rc) rc = store_match_run_pairs(c->st, run.id, c->a, &pairs, &np, e);
  if (!rc && locked) {
    match_reason why = match_check(&m.in, (size_t)l, (size_t)g);
    int held = 0;
    for (size_t i = 0; i < np; i++)
      held += pairs[i].locked && pairs[i].guide_id == guide_id && pairs[i].learner_id != learner_id;
    if (why != MATCH_FIT)
      rc = rp_fail(e, RP_ERR_CONFLICT, "constraint",
                   "This pair breaks a hard constraint (%s); it cannot be locked.",
                   match_reason_name(why));
    else if (held >= m.guides[g].capacity)
      rc = rp_fail(e, RP_ERR_CONFLICT, "capacity",
                   "This guide has no place left among the locked pairs.");
  }
  if (!rc && locked) {
    int score = match_score(&m.in, (size_t)l, (size_t)g, NULL);
    rc = store_match_run_pair_set(c->st, run.id, learner_id, guide_id, score, true, e);
    /* the guide's unlocked pairs beyond its places leave the draft, lowest first */
    int used = 0;
    for (size_t i = 0; !rc && i < np; i++)
      used += pairs[i].guide_id == guide_id && pairs[i].learner_id != learner_id;
    while (!rc && used + 1 > m.guides[g].capacity) {
      size_t worst = np;
      for (size_t i = 0; i < np; i++)
        if (pairs[i].guide_id == guide_id && !pairs[i].locked && pairs[i].learner_id != learner_id &&
            (worst == np || pairs[i].score < pairs[worst].score))
          worst = i;
      if (worst == np) break;
      rc = store_match_run_pair_set(c->st, run.id, pairs[worst].learner_id, 0, 0, false, e);
      pairs[worst].guide_id = 0;
      used--;
    }
  } else if (!rc) {
    for (size_t i = 0; !rc && i < np; i++)
      if (pairs[i].learner_id == learner_id && pairs[i].guide_id == guide_id)
        rc = store_match_run_pair_set(c->st, run.id, learner_id, guide_id, pairs[i].score, false,
                                      e);
  }
  if (!rc) rc = view(c, &run, &m, excluded, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_run_exclude(app_ctx *c, int64_t run_id, int64_t learner_id, int64_t guide_id,
                            app_match_run *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_match_run run;
  app_match_inst m;
  bool *excluded = NULL;
  rc = load_run(c, run_id, true, &run, e);
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  if (!rc) {
    if (app_match_learner_index(&m, learner_id) < 0)
      rp_field(e, "/learner_id", "Not a learner of the program.");
    if (guide_id && app_match_guide_index(&m, guide_id) < 0)
      rp_field(e, "/guide_id", "Not a guide of the program.");
    rc = e->rc;
  }
  store_match_pair *pairs = NULL;
  size_t np = 0;
  if (!rc) rc = store_match_run_exclude(c->st, run.id, learner_id, guide_id, e);
  if (!rc) rc = store_match_run_pairs(c->st, run.id, c->a, &pairs, &np, e);
  for (size_t i = 0; !rc && i < np; i++)
    if (pairs[i].learner_id == learner_id && (guide_id == 0 || pairs[i].guide_id == guide_id))
      rc = store_match_run_pair_set(c->st, run.id, learner_id, 0, 0, false, e);
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  if (!rc) rc = view(c, &run, &m, excluded, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_run_rerun(app_ctx *c, int64_t run_id, app_match_run *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_match_run run;
  app_match_inst m;
  bool *excluded = NULL;
  rc = load_run(c, run_id, true, &run, e);
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  if (!rc) {
    run.fairness = m.in.set.fairness;
    rc = solve_run(c, &run, &m, excluded, e);
  }
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  if (!rc) rc = view(c, &run, &m, excluded, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_run_publish(app_ctx *c, int64_t run_id, int64_t *created, app_match_run *out,
                            rp_err *e) {
  *created = 0;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_match_run run;
  app_match_inst m;
  bool *excluded = NULL;
  rc = load_run(c, run_id, true, &run, e);
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  store_match_pair *pairs = NULL;
  size_t np = 0;
  if (!rc) rc = store_match_run_pairs(c->st, run.id, c->a, &pairs, &np, e);
  for (size_t i = 0; !rc && i < np; i++) {
    long l = app_match_learner_index(&m, pairs[i].learner_id);
    long g = app_match_guide_index(&m, pairs[i].guide_id);
    if (l < 0 || g < 0 || m.learner_matched[l]) continue;
    match_parts parts;
    match_score(&m.in, (size_t)l, (size_t)g, &parts);
    int64_t id;
    rc = app_match_start(c, run.program_id, pairs[i].guide_id, pairs[i].learner_id, false, &parts,
                         &id, e);
    if (rc == RP_ERR_CONFLICT) {
      rp_err_reset(e);
      rc = RP_OK;
      continue;
    }
    if (!rc) (*created)++;
  }
  if (!rc) {
    run.state = "published";
    run.published_at = c->now;
    rc = store_match_run_update(c->st, &run, e);
  }
  if (!rc) rc = scope(c, run.program_id, run.id, &m, &excluded, e);
  if (!rc) rc = view(c, &run, &m, excluded, out, e);
  return app_finish(c, rc, e);
}
