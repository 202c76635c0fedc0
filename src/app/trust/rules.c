/* rules.c: moving relationships to the trust rules in force (see
 * rules.h), one by one or all of them (`rapport trust recompute`). */
#include "app/trust/rules.h"
#include "app/trust/evidence.h"
#include "app/trust/util.h"
#include "app/trust/warnings.h"
#include "app/trust/state.h"
#include "store/evidence.h"
#include "store/pulses.h"
#include "store/recompute.h"
#include "store/warnings.h"
#include "trust/trust_values.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Sets each goal review's evidence to the value its T score has now. */
static rp_rc revalue_reviews(app_ctx *c, int64_t rel_id, int64_t *revalued, rp_err *e) {
  store_review_item *it;
  size_t n;
  rp_rc rc = store_evidence_goal_reviews(c->st, rel_id, c->a, &it, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    trust_ev ev[TRUST_EV_MAX];
    if (!trust_goal_review_evidence(it[i].t_score, ev) || ev[0].v == it[i].v) continue;
    rc = store_evidence_set_value(c->st, it[i].evidence_id, ev[0].v, e);
    (*revalued)++;
  }
  return rc;
}

/* Sets pulse answer `it`'s evidence to the value it has read with the
 * given shift; counts it in *revalued when it changed. */
static rp_rc revalue_answer(app_ctx *c, const store_pulse_ev *it, const pulse *p, double shift,
                            int64_t *revalued, rp_err *e) {
  int item = it->reason - TRUST_R_PULSE_REL1;
  trust_ev ev[TRUST_EV_MAX];
  if (item < 0 || item >= PULSE_NITEM ||
      !trust_pulse_evidence_shifted((trust_pulse_item)item, p->answers[item], shift, ev) ||
      ev[0].v == it->v)
    return RP_OK;
  (*revalued)++;
  return store_evidence_set_value(c->st, it->evidence_id, ev[0].v, e);
}

/* Sets each pulse answer's evidence to the value it has read against the
 * rater's own level (app_pulse_levels): one walk over the program's pulse
 * means, whatever the number of the relationship's pulses. */
static rp_rc revalue_pulses(app_ctx *c, int64_t rel_id, int64_t *revalued, rp_err *e) {
  store_pulse_ev *it;
  size_t n;
  rp_rc rc = store_evidence_pulse_items(c->st, rel_id, c->a, &it, &n, e);
  if (rc || n == 0) return rc;
  relationship r;
  store_pulse_mean *rows;
  size_t nrows;
  rc = store_relationship_get(c->st, rel_id, &r, e);
  if (!rc)
    rc = store_program_pulse_means(c->st, r.program_id, it[n - 1].pulse_id, c->a, &rows, &nrows, e);
  if (rc) return rc;
  app_pulse_levels lv;
  app_pulse_levels_init(&lv, &r, rows, nrows);
  pulse p;
  double shift = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    if (i == 0 || it[i].pulse_id != it[i - 1].pulse_id) {
      rc = store_pulse_get(c->st, it[i].pulse_id, &p, e);
      if (rc) break;
      shift = app_pulse_levels_shift(&lv, &p);
    }
    rc = revalue_answer(c, &it[i], &p, shift, revalued, e);
  }
  return rc;
}

rp_rc app_trust_refresh_withdrawing(app_ctx *c, int64_t rel_id, const char *why,
                                    int64_t *withdrawn, rp_err *e) {
  store_warning *before, *after;
  size_t nb, na;
  rp_rc rc = store_warning_list_open(c->st, rel_id, c->a, &before, &nb, e);
  if (!rc) rc = app_warnings_refresh(c, rel_id, e);
  if (!rc) rc = store_warning_list_open(c->st, rel_id, c->a, &after, &na, e);
  for (size_t i = 0; i < nb && !rc; i++) {
    bool open = false;
    for (size_t j = 0; j < na && !open; j++) open = after[j].id == before[i].id;
    if (open || before[i].visible_at > c->now) continue;
    rc = app_event(c, rel_id, "warning_withdrawn", before[i].id, c->now, before[i].code, why, NULL,
                   e);
    (*withdrawn)++;
  }
  return rc;
}

rp_rc app_trust_move_to_rules(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats,
                              rp_err *e) {
  int64_t revalued = 0, pulses = 0, withdrawn = 0;
  rp_rc rc = revalue_reviews(c, rel_id, &revalued, e);
  if (!rc) rc = revalue_pulses(c, rel_id, &pulses, e);
  if (!rc) rc = app_trust_rebuild(c, rel_id, stats, e);
  if (!rc) rc = app_trust_refresh_withdrawing(c, rel_id, NULL, &withdrawn, e);
  if (!rc && stats) {
    stats->revalued += revalued;
    stats->pulses_revalued += pulses;
    stats->withdrawn += withdrawn;
  }
  return rc;
}

/* Rebuilds one relationship in its own write transaction. */
static rp_rc rebuild_one(app_ctx *w, int64_t rel_id, app_trust_recompute_stats *out, rp_err *e) {
  rp_rc rc = store_begin_write(w->st, e);
  if (rc) return rc;
  return app_finish(w, app_trust_move_to_rules(w, rel_id, out, e), e);
}

rp_rc app_trust_recompute_one_by_one(app_ctx *c, app_trust_recompute_stats *out, rp_err *e) {
  app_ctx w = *c;
  w.ntouched = 0;
  w.a = arena_new(1 << 20);
  memset(out, 0, sizeof *out);
  int64_t after = 0, next = 0;
  rp_rc rc = store_set_durable(c->st, false, e); /* derived rows, as below */
  while (!rc) {
    int64_t *ids;
    size_t n;
    rc = store_trust_relationships(c->st, after, 1000, c->a, &ids, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      arena_reset(w.a);
      rc = rebuild_one(&w, ids[i], out, e);
    }
    after = next;
    if (!next) break;
  }
  rp_err ignored = {0};
  store_set_durable(c->st, true, &ignored);
  arena_free(w.a);
  return rc;
}

/* ---- the recompute: runs of relationships, on one or more connections ---- */

/* Relationships per transaction: their rows are read together
 * (store/recompute.h). */
#define RUN_RELS 200

/* Writes the rows of `fresh` that differ from those stored (old, with
 * `stored` a mask of the rows present): the table ends as
 * store_trust_sums_clear followed by a put of every non-empty row leaves
 * it. */
static rp_rc save_changes(app_ctx *c, store_recompute_writes *wr, int64_t rel_id,
                          trust_state *old, uint32_t stored, trust_state *fresh, rp_err *e) {
  rp_rc rc = RP_OK;
  for (int p = 0; p < TRUST_NPARTY && !rc; p++)
    for (int k = 0; k < TRUST_NCOMP && !rc; k++)
      for (int kind = 0; kind < 3 && !rc; kind++) {
        const trust_sums *x = app_trust_sums_row(fresh, p, k, kind);
        const trust_sums *y = app_trust_sums_row(old, p, k, kind);
        bool here = stored & STORE_SUMS_ROW_BIT(p, k, kind);
        if (x->r != 0 || x->s != 0 || x->t_ref != 0) {
          if (!here || x->r != y->r || x->s != y->s || x->t_ref != y->t_ref)
            rc = store_recompute_put_sums(c->st, wr, rel_id, p, k, kind, x, here, e);
        } else if (here) {
          rc = store_trust_sums_delete(c->st, rel_id, p, k, kind, e);
        }
      }
  return rc;
}

/* What the transaction's events asked for before its commit (app_finish's
 * refresh of the relationships touched), at once: the writes queued so
 * far go first, since it reads the stored sums. */
static rp_rc refresh_touched(app_ctx *c, store_recompute_writes *wr, rp_err *e) {
  if (!c->ntouched) return RP_OK;
  rp_rc rc = store_recompute_flush(c->st, wr, e);
  for (int i = 0; i < c->ntouched && !rc; i++) rc = app_warnings_refresh(c, c->touched[i], e);
  c->ntouched = 0;
  return rc;
}

/* The programs' pulse means, read once per recompute and shared by its
 * connections: a relationship's pulses are read against the program's
 * pulses recorded before each (app_pulse_levels), and reading those again
 * for every relationship made a recompute grow with relationships times
 * the program's pulses. Each program's means are kept in id order with
 * their running sums (added in that order, so the shifts are those of
 * app_pulse_levels_shift to the bit). A relationship whose pulses reach
 * past what was read (a pulse recorded since, between runs) reads the
 * program's newer pulses first. Pulses only ever come with higher ids
 * (writers serialise, and runs hold their lock); a relationship erased
 * during the recompute still counts in the levels of later runs. */
typedef struct program_means {
  int64_t program_id;
  int64_t bound;  /* every pulse of the program with id < bound is here */
  int64_t *ids;   /* n pulses answering at least one item, by id */
  double *prefix; /* prefix[i]: the sum of the first i means, in id order */
  size_t n, cap;
} program_means;

typedef struct pulse_means_cache {
  pthread_mutex_t mu;
  program_means *progs; /* by program id */
  size_t nprogs, cap;
} pulse_means_cache;

static void pulse_means_free(pulse_means_cache *pc) {
  for (size_t i = 0; i < pc->nprogs; i++) {
    free(pc->progs[i].ids);
    free(pc->progs[i].prefix);
  }
  free(pc->progs);
}

static program_means *program_means_of(pulse_means_cache *pc, int64_t program_id) {
  size_t lo = 0, hi = pc->nprogs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pc->progs[mid].program_id < program_id) lo = mid + 1;
    else hi = mid;
  }
  if (lo < pc->nprogs && pc->progs[lo].program_id == program_id) return &pc->progs[lo];
  if (pc->nprogs == pc->cap) {
    pc->cap = pc->cap ? 2 * pc->cap : 8;
    pc->progs = rp_xrealloc(pc->progs, pc->cap * sizeof *pc->progs);
  }
  memmove(&pc->progs[lo + 1], &pc->progs[lo], (pc->nprogs - lo) * sizeof *pc->progs);
  pc->nprogs++;
  program_means *pm = &pc->progs[lo];
  memset(pm, 0, sizeof *pm);
  pm->program_id = program_id;
  pm->prefix = rp_xcalloc(1, sizeof *pm->prefix);
  return pm;
}

/* Reads the program's pulses from pm->bound up to the newest. */
static rp_rc program_means_extend(app_ctx *c, program_means *pm, rp_err *e) {
  int64_t last;
  store_pulse_mean *rows;
  size_t n;
  rp_rc rc = store_pulse_last_id(c->st, &last, e);
  if (!rc) rc = store_program_pulse_means_range(c->st, pm->program_id, pm->bound, last + 1, c->a,
                                                &rows, &n, e);
  if (rc) return rc;
  if (pm->n + n > pm->cap) {
    pm->cap = pm->n + n + (pm->n + n) / 2;
    pm->ids = rp_xrealloc(pm->ids, pm->cap * sizeof *pm->ids);
    pm->prefix = rp_xrealloc(pm->prefix, (pm->cap + 1) * sizeof *pm->prefix);
  }
  for (size_t i = 0; i < n; i++) {
    pm->ids[pm->n] = rows[i].id;
    pm->prefix[pm->n + 1] = pm->prefix[pm->n] + rows[i].mean;
    pm->n++;
  }
  pm->bound = last + 1;
  return RP_OK;
}

/* The program's count and sum of the pulse means recorded before each of
 * the pulses ids[0..n-1] (ids increasing). */
static rp_rc program_levels(app_ctx *c, pulse_means_cache *pc, int64_t program_id,
                            const int64_t *ids, size_t n, size_t *count, double *sum,
                            rp_err *e) {
  rp_rc rc = RP_OK;
  pthread_mutex_lock(&pc->mu);
  program_means *pm = program_means_of(pc, program_id);
  if (n && pm->bound < ids[n - 1]) rc = program_means_extend(c, pm, e);
  for (size_t i = 0, k = 0; i < n && !rc; i++) {
    size_t lo = k, hi = pm->n; /* the first kept id >= ids[i] */
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (pm->ids[mid] < ids[i]) lo = mid + 1;
      else hi = mid;
    }
    k = lo;
    count[i] = k;
    sum[i] = pm->prefix[k];
  }
  pthread_mutex_unlock(&pc->mu);
  return rc;
}

/* A run's own pulse means (store_pulse_means_of_rels), walked
 * relationship by relationship in id order. */
typedef struct run_pulses {
  store_pulse_mean *own;
  size_t nown, j;
  pulse_means_cache *cache;
} run_pulses;

/* revalue_pulses for x from its pulse evidence read with the run's and the
 * programs' cached means. */
static rp_rc revalue_pulses_read(app_ctx *c, const store_recompute_rel *x, run_pulses *rp,
                                 int64_t *revalued, rp_err *e) {
  int64_t rel_id = x->r.id;
  while (rp->j < rp->nown && rp->own[rp->j].relationship_id < rel_id) rp->j++;
  size_t j0 = rp->j;
  while (rp->j < rp->nown && rp->own[rp->j].relationship_id == rel_id) rp->j++;
  const store_pulse_ev_of *it = x->pulse_items;
  size_t n = x->npulse_items, npulses = 0;
  if (n == 0) return RP_OK;
  int64_t *ids = arena_alloc(c->a, n * sizeof *ids);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || it[i].p.id != it[i - 1].p.id) ids[npulses++] = it[i].p.id;
  size_t *count = arena_alloc(c->a, npulses * sizeof *count);
  double *sum = arena_alloc(c->a, npulses * sizeof *sum);
  rp_rc rc = program_levels(c, rp->cache, x->r.program_id, ids, npulses, count, sum, e);
  app_pulse_levels lv;
  app_pulse_levels_init(&lv, &x->r, rp->own + j0, rp->j - j0);
  double shift = 0;
  for (size_t i = 0, k = 0; i < n && !rc; i++) {
    if (i == 0 || it[i].p.id != it[i - 1].p.id) {
      shift = app_pulse_levels_shift_given(&lv, &it[i].p, count[k], sum[k]);
      k++;
    }
    rc = revalue_answer(c, &it[i].ev, &it[i].p, shift, revalued, e);
  }
  return rc;
}

/* app_trust_move_to_rules for x, from its rows read with the run's. */
static rp_rc rebuild_read(app_ctx *c, store_recompute_rel *x, run_pulses *rp,
                          store_recompute_writes *wr, app_trust_recompute_stats *stats,
                          rp_err *e) {
  int64_t rel_id = x->r.id, revalued = 0, pulses = 0, withdrawn = 0;
  rp_rc rc = RP_OK;
  for (size_t i = 0; i < x->nreviews && !rc; i++) {
    trust_ev ev[TRUST_EV_MAX];
    if (!trust_goal_review_evidence(x->reviews[i].t_score, ev) || ev[0].v == x->reviews[i].v)
      continue;
    rc = store_evidence_set_value(c->st, x->reviews[i].evidence_id, ev[0].v, e);
    revalued++;
  }
  if (!rc) rc = revalue_pulses_read(c, x, rp, &pulses, e);
  if (rc) return rc;
  if (revalued || pulses) { /* the evidence read is no longer what is stored: read it again */
    rc = store_recompute_flush(c->st, wr, e);
    if (!rc) rc = app_trust_rebuild(c, rel_id, stats, e);
    if (!rc) rc = app_trust_refresh_withdrawing(c, rel_id, NULL, &withdrawn, e);
  } else {
    trust_settings cfg = app_trust_settings();
    trust_item *items = arena_alloc(c->a, sizeof *items * (x->nitems ? x->nitems : 1));
    for (size_t i = 0; i < x->nitems; i++) items[i] = x->items[i].item;
    trust_state fresh;
    memset(&fresh, 0, sizeof fresh);
    trust_state_rebuild(&fresh, &cfg, items, x->nitems);
    double d = x->has_sums ? app_trust_state_diff(&x->sums, &fresh, &cfg) : (x->nitems ? 1.0 : 0.0);
    rc = save_changes(c, wr, rel_id, &x->sums, x->sums_rows, &fresh, e);
    if (!rc && d > 0) rc = store_recompute_bump(c->st, wr, rel_id, e); /* views read before are stale */
    if (rc) return rc;
    app_trust_count_rebuild(stats, rel_id, x->nitems, x->has_sums, d);
    bool *cleared = arena_zalloc(c->a, sizeof *cleared * (x->nopen ? x->nopen : 1));
    rc = app_warnings_refresh_rebuilt(c, x, &fresh, wr, cleared, e);
    for (size_t i = 0; i < x->nopen && !rc; i++) {
      if (!cleared[i] || x->open[i].visible_at > c->now) continue;
      rc = app_event(c, rel_id, "warning_withdrawn", x->open[i].id, c->now, x->open[i].code, NULL,
                     NULL, e);
      withdrawn++;
    }
  }
  if (!rc) rc = refresh_touched(c, wr, e);
  if (!rc) {
    stats->revalued += revalued;
    stats->pulses_revalued += pulses;
    stats->withdrawn += withdrawn;
  }
  return rc;
}

/* Rebuilds the relationships lo..hi in one write transaction. */
static rp_rc rebuild_run(app_ctx *c, int64_t lo, int64_t hi, pulse_means_cache *cache,
                         app_trust_recompute_stats *stats, rp_err *e) {
  store_recompute_limits lim;
  app_warnings_limits(c->now, &lim);
  rp_rc rc = store_begin_rebuild(c->st, lo, hi, e);
  if (rc) return rc;
  store_recompute_rel *rels;
  size_t n = 0;
  store_recompute_writes *wr = store_recompute_writes_new(c->a);
  run_pulses rp = {.cache = cache};
  rc = store_recompute_load(c->st, lo, hi, c->now, &lim, c->a, &rels, &n, e);
  bool pulses = false;
  for (size_t i = 0; i < n && !rc; i++) pulses = pulses || rels[i].npulse_items;
  if (!rc && pulses) rc = store_pulse_means_of_rels(c->st, lo, hi, c->a, &rp.own, &rp.nown, e);
  for (size_t i = 0; i < n && !rc; i++) /* all in id order */
    rc = rebuild_read(c, &rels[i], &rp, wr, stats, e);
  if (!rc) rc = store_recompute_finish(c->st, wr, lo, hi, c->now, e);
  return app_finish(c, rc, e);
}

/* The relationships still to rebuild, handed out a run at a time. */
typedef struct recompute_queue {
  pthread_mutex_t mu;
  int64_t after; /* the last id handed out */
  bool done;
  rp_rc failed; /* the first failure stops every worker */
  pulse_means_cache pulses;
} recompute_queue;

typedef struct recompute_worker {
  app_ctx c;
  recompute_queue *q;
  app_trust_recompute_stats stats;
  rp_err e;
  rp_rc rc;
} recompute_worker;

/* The next run's first and last id; false when none is left. */
static bool next_run(recompute_worker *w, int64_t *lo, int64_t *hi) {
  recompute_queue *q = w->q;
  pthread_mutex_lock(&q->mu);
  bool got = false;
  if (!q->done && !q->failed) {
    int64_t *ids, next = 0;
    size_t n = 0;
    arena_reset(w->c.a);
    w->rc = store_trust_relationships(w->c.st, q->after, RUN_RELS, w->c.a, &ids, &n, &next, &w->e);
    if (w->rc) q->failed = w->rc;
    else if (!n) q->done = true;
    else {
      *lo = ids[0];
      *hi = ids[n - 1];
      q->after = *hi;
      q->done = next == 0;
      got = true;
    }
  }
  pthread_mutex_unlock(&q->mu);
  return got;
}

static void *recompute_worker_run(void *arg) {
  recompute_worker *w = arg;
  int64_t lo, hi;
  while (next_run(w, &lo, &hi)) {
    w->rc = rebuild_run(&w->c, lo, hi, &w->q->pulses, &w->stats, &w->e);
    if (w->rc) {
      pthread_mutex_lock(&w->q->mu);
      if (!w->q->failed) w->q->failed = w->rc;
      pthread_mutex_unlock(&w->q->mu);
      break;
    }
  }
  return NULL;
}

/* Adds b's figures to a's; the largest difference is the first one in id
 * order among equals, as one worker going through all would find it. */
static void stats_merge(app_trust_recompute_stats *a, const app_trust_recompute_stats *b) {
  a->relationships += b->relationships;
  a->with_evidence += b->with_evidence;
  a->items += b->items;
  a->without_sums += b->without_sums;
  a->revalued += b->revalued;
  a->withdrawn += b->withdrawn;
  a->pulses_revalued += b->pulses_revalued;
  if (!b->max_diff_rel) return;
  if (!a->max_diff_rel || b->max_rel_diff > a->max_rel_diff ||
      (b->max_rel_diff == a->max_rel_diff && b->max_diff_rel < a->max_diff_rel)) {
    a->max_rel_diff = b->max_rel_diff;
    a->max_diff_rel = b->max_diff_rel;
  }
}

rp_rc app_trust_recompute_on(app_ctx *c, store **more, size_t nmore,
                             app_trust_recompute_stats *out, rp_err *e) {
  size_t nw = nmore + 1;
  recompute_queue q = {.mu = PTHREAD_MUTEX_INITIALIZER,
                       .pulses = {.mu = PTHREAD_MUTEX_INITIALIZER}};
  recompute_worker *w = rp_xcalloc(nw, sizeof *w);
  pthread_t *th = rp_xcalloc(nw, sizeof *th);
  memset(out, 0, sizeof *out);
  rp_rc rc = RP_OK;
  size_t started = 0;
  for (size_t i = 0; i < nw; i++) {
    w[i].c = *c;
    w[i].c.st = i ? more[i - 1] : c->st;
    w[i].c.ntouched = 0;
    w[i].c.a = arena_new(1 << 20);
    w[i].q = &q;
    /* The sums derive from the evidence: a power cut may lose the latest
     * rebuilt relationships (run it again), so commits need not wait. */
    if (!rc) rc = store_set_durable(w[i].c.st, false, e);
  }
  /* A thread that cannot start leaves its share to the others. */
  for (size_t i = 1; i < nw && !rc; i++, started++)
    if (pthread_create(&th[i], NULL, recompute_worker_run, &w[i]) != 0) break;
  if (!rc) recompute_worker_run(&w[0]);
  for (size_t i = 1; i <= started; i++) pthread_join(th[i], NULL);
  for (size_t i = 0; i < nw; i++) {
    if (!rc && w[i].rc) {
      rc = w[i].rc;
      if (e) *e = w[i].e;
    }
    stats_merge(out, &w[i].stats);
    rp_err ignored = {0};
    store_set_durable(w[i].c.st, true, &ignored);
    arena_free(w[i].c.a);
  }
  free(w);
  free(th);
  pulse_means_free(&q.pulses);
  return rc;
}

rp_rc app_trust_recompute_all(app_ctx *c, app_trust_recompute_stats *out, rp_err *e) {
  return app_trust_recompute_on(c, NULL, 0, out, e);
}

rp_rc app_trust_recompute(app_ctx *c, int64_t *count, rp_err *e) {
  app_trust_recompute_stats s;
  rp_rc rc = app_trust_recompute_all(c, &s, e);
  *count = rc ? 0 : s.relationships;
  return rc;
}
