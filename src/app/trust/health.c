/* health.c: program health, k-anonymous (see health.h; TRUST-MODEL.md 7).
 *
 * One pass over the program's current relationships gathers, per group
 * (the program and each guide), the raw sums; then every figure becomes
 * a cell with the count of distinct units it rests on, and
 * app_health_suppress hides what k-anonymity and complementary
 * suppression require. Hidden cells keep no figure: the renderers show
 * only {"suppressed": true, "reason": ...}.
 */
#include "app/trust/health.h"
#include "app/people/people.h"
#include "app/trust/state.h"
#include "app/trust/util.h"
#include "base/num.h"
#include "store/alumni.h"
#include "store/circles.h"
#include "store/health.h"
#include "store/warnings.h"
#include "trust/trust_change.h"
#include "trust/trust_index.h"
#include "trust/trust_warn.h"

#include <stdlib.h>
#include <string.h>

#define PERIODS 2 /* 0: the last period, 1: the one before */

/* A rater's latest pulse in a period, within one group. */
typedef struct rater_pulse {
  int64_t rater_id;
  rp_time at;
  int answers[APP_HEALTH_NITEM];
} rater_pulse;

/* The raw sums of one group. */
typedef struct group_acc {
  size_t rels, established;
  double *idx;
  size_t nidx, idx_cap;
  size_t code_count[TRUST_W_COUNT];
  double cadence_sum[PERIODS];
  size_t cadence_n[PERIODS];
  int64_t good[PERIODS], due[PERIODS];
  size_t follow_n[PERIODS];
  rater_pulse *raters[PERIODS];
  size_t nraters[PERIODS], raters_cap[PERIODS];
} group_acc;

typedef struct health_run {
  app_ctx *c;
  program prog;
  relationship *rels; /* active and paused, by id */
  size_t nrels;
  int64_t *guides;    /* distinct guide ids, ascending */
  size_t nguides;
  group_acc *acc;     /* [0] the program, [1 + i] guides[i] */
  rp_time from[PERIODS], to[PERIODS];
} health_run;

/* ---- suppression (pure: domain/kanon.h over the groups' cells) ---- */

/* Figures that give each other away are hidden together: a trend shows
 * its current figure; the pulse mean and the item means determine one
 * another when raters answer every item. */
static bool hide_together(kanon_cell *c, size_t ncol, size_t k, void *ctx) {
  (void)ctx;
  (void)ncol;
  bool changed = false;
  if (c[HEALTH_CADENCE].hidden) changed |= kanon_hide(&c[HEALTH_CADENCE_TREND], k);
  if (c[HEALTH_FOLLOW].hidden) changed |= kanon_hide(&c[HEALTH_FOLLOW_TREND], k);
  bool any = c[HEALTH_PULSE].hidden != KANON_SHOWN;
  for (int i = 0; i < APP_HEALTH_NITEM; i++) any |= c[HEALTH_ITEM0 + i].hidden != KANON_SHOWN;
  if (any) {
    changed |= kanon_hide(&c[HEALTH_PULSE], k);
    changed |= kanon_hide(&c[HEALTH_PULSE_TREND], k);
    for (int i = 0; i < APP_HEALTH_NITEM; i++) changed |= kanon_hide(&c[HEALTH_ITEM0 + i], k);
  }
  return changed;
}

void app_health_suppress(app_health_group *groups, size_t n, size_t k, const bool *hidden_group) {
  kanon_cell *m = rp_xmalloc(sizeof *m * (n ? n : 1) * HEALTH_NCELL);
  for (size_t i = 0; i < n; i++) {
    for (int j = 0; j < HEALTH_NCELL; j++) {
      kanon_cell *x = &m[i * HEALTH_NCELL + (size_t)j];
      x->units = groups[i].cell[j].units;
      x->hidden = groups[i].cell[j].hidden;
      if (x->hidden == KANON_SHOWN && hidden_group && hidden_group[i])
        x->hidden = KANON_FEWER_THAN_K;
    }
  }
  kanon_suppress(m, n, HEALTH_NCELL, k, hide_together, NULL);
  for (size_t i = 0; i < n; i++) {
    for (int j = 0; j < HEALTH_NCELL; j++) {
      app_health_cell *x = &groups[i].cell[j];
      x->hidden = m[i * HEALTH_NCELL + (size_t)j].hidden;
      if (x->hidden != HEALTH_SHOWN) x->value = x->previous = 0;
    }
    if (groups[i].cell[HEALTH_TRUST_INDEX].hidden) {
      groups[i].directions = 0;
      groups[i].index_p25 = groups[i].index_median = groups[i].index_p75 = 0;
    }
    if (groups[i].cell[HEALTH_WARNINGS].hidden)
      memset(groups[i].warning_share, 0, sizeof groups[i].warning_share);
  }
  free(m);
}

/* ---- gathering ---- */

/* The group of the guide (1-based; 0 never: the program is not a guide). */
static size_t guide_group(const health_run *h, int64_t guide_id) {
  const int64_t *p = bsearch(&guide_id, h->guides, h->nguides, sizeof *h->guides, rp_cmp_i64);
  return p ? (size_t)(p - h->guides) + 1 : 0;
}

static const relationship *rel_by_id(const health_run *h, int64_t id) {
  size_t lo = 0, hi = h->nrels;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (h->rels[mid].id == id) return &h->rels[mid];
    if (h->rels[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* The program's current relationships and their guides. */
static rp_rc load_relationships(health_run *h, rp_err *e) {
  app_ctx *c = h->c;
  size_t cap = 64;
  h->rels = arena_alloc(c->a, sizeof *h->rels * cap);
  int64_t after = 0, next = 0;
  do {
    relationship *page;
    size_t n;
    rp_rc rc = store_relationships_of_program(c->st, h->prog.id, after, APP_PAGE_MAX, c->a, &page,
                                              &n, &next, e);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
      if (page[i].state != REL_ACTIVE && page[i].state != REL_PAUSED) continue;
      if (h->nrels == cap) {
        relationship *grown = arena_alloc(c->a, sizeof *grown * cap * 2);
        memcpy(grown, h->rels, sizeof *grown * cap);
        h->rels = grown;
        cap *= 2;
      }
      h->rels[h->nrels++] = page[i];
    }
    after = next;
  } while (next);
  h->guides = arena_alloc(c->a, sizeof *h->guides * (h->nrels ? h->nrels : 1));
  for (size_t i = 0; i < h->nrels; i++) h->guides[i] = h->rels[i].guide_id;
  qsort(h->guides, h->nrels, sizeof *h->guides, rp_cmp_i64);
  for (size_t i = 0; i < h->nrels; i++)
    if (h->nguides == 0 || h->guides[h->nguides - 1] != h->guides[i])
      h->guides[h->nguides++] = h->guides[i];
  h->acc = arena_zalloc(c->a, sizeof *h->acc * (h->nguides + 1));
  return RP_OK;
}

static void add_index(arena *a, group_acc *g, double v) {
  if (g->nidx == g->idx_cap) {
    size_t cap = g->idx_cap ? g->idx_cap * 2 : 16;
    double *grown = arena_alloc(a, sizeof *grown * cap);
    if (g->nidx) memcpy(grown, g->idx, sizeof *grown * g->nidx);
    g->idx = grown;
    g->idx_cap = cap;
  }
  g->idx[g->nidx++] = v;
}

/* Keeps a rater's latest pulse of the period in the group. */
static void add_rater(arena *a, group_acc *g, int period, const store_warn_pulse *p) {
  for (size_t i = 0; i < g->nraters[period]; i++) {
    rater_pulse *r = &g->raters[period][i];
    if (r->rater_id != p->rater_id) continue;
    if (p->answered_at >= r->at) {
      r->at = p->answered_at;
      memcpy(r->answers, p->answers, sizeof r->answers);
    }
    return;
  }
  if (g->nraters[period] == g->raters_cap[period]) {
    size_t cap = g->raters_cap[period] ? g->raters_cap[period] * 2 : 16;
    rater_pulse *grown = arena_alloc(a, sizeof *grown * cap);
    if (g->nraters[period]) memcpy(grown, g->raters[period], sizeof *grown * g->nraters[period]);
    g->raters[period] = grown;
    g->raters_cap[period] = cap;
  }
  rater_pulse *r = &g->raters[period][g->nraters[period]++];
  r->rater_id = p->rater_id;
  r->at = p->answered_at;
  memcpy(r->answers, p->answers, sizeof r->answers);
}

/* Adds one figure to the program's and the guide's sums. */
#define BOTH(h, gi, stmt)                                                                          \
  do {                                                                                             \
    group_acc *g_ = &(h)->acc[0];                                                                  \
    stmt;                                                                                          \
    g_ = &(h)->acc[gi];                                                                            \
    stmt;                                                                                          \
  } while (0)

/* Trust indices, cadence adherence and follow-through of one relationship. */
static rp_rc gather_relationship(health_run *h, const relationship *r, rp_err *e) {
  app_ctx *c = h->c;
  size_t gi = guide_group(h, r->guide_id);
  trust_state st;
  trust_settings scfg = app_trust_settings();
  rp_rc rc = app_trust_state_of(c, r, 0, &st, e); /* no viewer: everything, aggregated */
  if (rc) return rc;
  bool established = false;
  for (int p = 0; p < TRUST_NPARTY; p++) {
    trust_dir_score sc;
    trust_score(&st, &scfg, (trust_party)p, c->now, false, &sc);
    if (sc.label != TRUST_LABEL_ESTABLISHED) continue;
    established = true;
    double v = (double)trust_index_display(sc.index);
    BOTH(h, gi, add_index(c->a, g_, v));
  }
  BOTH(h, gi, g_->rels++; g_->established += established);

  int cadence = 0, reply = 0;
  bool found = false;
  rp_time active = 0;
  rc = app_rel_terms(c, r, &cadence, &reply, e);
  if (!rc) rc = store_warn_first_active(c->st, r->id, &found, &active, e);
  for (int p = 0; p < PERIODS && !rc; p++) {
    int64_t good = 0, due = 0, held = 0;
    rc = store_health_follow(c->st, r->id, h->from[p], h->to[p], &good, &due, e);
    if (!rc && due > 0) BOTH(h, gi, g_->good[p] += good; g_->due[p] += due; g_->follow_n[p]++);
    rp_time start = found && active > h->from[p] ? active : h->from[p];
    double expected = cadence > 0 ? (double)(h->to[p] - start) / (double)(cadence * RP_DAY) : 0;
    if (rc || r->state != REL_ACTIVE || !found || expected < 1.0) continue;
    rc = store_health_held(c->st, r->id, start, h->to[p], &held, e);
    double adherence = (double)held / expected;
    if (adherence > 1.0) adherence = 1.0;
    if (!rc) BOTH(h, gi, g_->cadence_sum[p] += adherence; g_->cadence_n[p]++);
  }
  return rc;
}

/* Open warning codes: one count per relationship and code. */
static rp_rc gather_warnings(health_run *h, rp_err *e) {
  store_warning *rows;
  size_t n;
  rp_rc rc = store_warning_codes_in_program(h->c->st, h->prog.id, h->c->a, &rows, &n, e);
  if (rc) return rc;
  unsigned seen = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || rows[i].relationship_id != rows[i - 1].relationship_id) seen = 0;
    const relationship *r = rel_by_id(h, rows[i].relationship_id);
    trust_warn_code code;
    if (!r || !trust_warn_parse(rows[i].code, &code) || (seen & (1u << code))) continue;
    seen |= 1u << code;
    size_t gi = guide_group(h, r->guide_id);
    BOTH(h, gi, g_->code_count[code]++);
  }
  return RP_OK;
}

/* Pulses of both periods, each rater's latest per period and group. */
static rp_rc gather_pulses(health_run *h, rp_err *e) {
  store_warn_pulse *ps;
  size_t n;
  rp_rc rc = store_health_pulses(h->c->st, h->prog.id, h->from[1], h->to[0], h->c->a, &ps, &n, e);
  if (rc) return rc;
  for (size_t i = 0; i < n; i++) {
    const relationship *r = rel_by_id(h, ps[i].relationship_id);
    if (!r) continue;
    int p = ps[i].answered_at > h->from[0] ? 0 : 1;
    size_t gi = guide_group(h, r->guide_id);
    BOTH(h, gi, add_rater(h->c->a, g_, p, &ps[i]));
  }
  return RP_OK;
}

/* ---- figures ---- */

/* The mean over raters of their pulse means; *units the raters. */
static double pulse_mean(const group_acc *g, int p, size_t *units) {
  double sum = 0;
  *units = 0;
  for (size_t i = 0; i < g->nraters[p]; i++) {
    double m;
    if (!trust_pulse_mean(g->raters[p][i].answers, &m)) continue;
    sum += m;
    (*units)++;
  }
  return *units ? sum / (double)*units : 0;
}

static void set_trend(app_health_cell *t, const app_health_cell *now, double prev,
                      size_t prev_units) {
  t->units = now->units < prev_units ? now->units : prev_units;
  t->value = now->value;
  t->previous = prev;
}

static void figures(health_run *h, size_t i, app_health_group *out) {
  group_acc *g = &h->acc[i];
  arena *a = h->c->a;
  out->relationships = g->rels;
  app_health_cell *c = out->cell;
  c[HEALTH_TRUST_INDEX].units = g->established;
  out->directions = g->nidx;
  if (g->nidx) {
    double *tmp = arena_alloc(a, sizeof *tmp * g->nidx), sum = 0;
    for (size_t j = 0; j < g->nidx; j++) sum += g->idx[j];
    c[HEALTH_TRUST_INDEX].value = sum / (double)g->nidx;
    memcpy(tmp, g->idx, sizeof *tmp * g->nidx);
    out->index_p25 = trust_quantile(tmp, g->nidx, 0.25);
    memcpy(tmp, g->idx, sizeof *tmp * g->nidx);
    out->index_median = trust_quantile(tmp, g->nidx, 0.5);
    memcpy(tmp, g->idx, sizeof *tmp * g->nidx);
    out->index_p75 = trust_quantile(tmp, g->nidx, 0.75);
  }
  c[HEALTH_WARNINGS].units = g->rels;
  for (int k = 0; k < TRUST_W_COUNT; k++)
    out->warning_share[k] = g->rels ? (double)g->code_count[k] / (double)g->rels : 0;

  double cad[PERIODS], fol[PERIODS], pul[PERIODS];
  size_t pul_units[PERIODS];
  for (int p = 0; p < PERIODS; p++) {
    cad[p] = g->cadence_n[p] ? g->cadence_sum[p] / (double)g->cadence_n[p] : 0;
    fol[p] = g->due[p] ? (double)g->good[p] / (double)g->due[p] : 0;
    pul[p] = pulse_mean(g, p, &pul_units[p]);
  }
  c[HEALTH_CADENCE].units = g->cadence_n[0];
  c[HEALTH_CADENCE].value = cad[0];
  set_trend(&c[HEALTH_CADENCE_TREND], &c[HEALTH_CADENCE], cad[1], g->cadence_n[1]);
  c[HEALTH_FOLLOW].units = g->follow_n[0];
  c[HEALTH_FOLLOW].value = fol[0];
  set_trend(&c[HEALTH_FOLLOW_TREND], &c[HEALTH_FOLLOW], fol[1], g->follow_n[1]);
  c[HEALTH_PULSE].units = pul_units[0];
  c[HEALTH_PULSE].value = pul[0];
  set_trend(&c[HEALTH_PULSE_TREND], &c[HEALTH_PULSE], pul[1], pul_units[1]);
  for (int k = 0; k < APP_HEALTH_NITEM; k++) {
    double sum = 0;
    size_t units = 0;
    for (size_t j = 0; j < g->nraters[0]; j++) {
      int x = g->raters[0][j].answers[k];
      if (x < 1 || x > 5) continue;
      sum += x;
      units++;
    }
    c[HEALTH_ITEM0 + k].units = units;
    c[HEALTH_ITEM0 + k].value = units ? sum / (double)units : 0;
  }
}

/* Loads the program for an administrator: 404 for non-members, 403 for
 * members who do not administer it (as the core's member routes). */
static rp_rc build(health_run *h, app_health *out, rp_err *e) {
  app_ctx *c = h->c;
  rp_rc rc = load_relationships(h, e);
  for (size_t i = 0; i < h->nrels && !rc; i++) rc = gather_relationship(h, &h->rels[i], e);
  if (!rc) rc = gather_warnings(h, e);
  if (!rc) rc = gather_pulses(h, e);
  if (rc) return rc;
  size_t n = h->nguides + 1;
  out->groups = arena_zalloc(c->a, sizeof *out->groups * n);
  out->ngroups = n;
  bool *hidden = arena_zalloc(c->a, sizeof *hidden * n);
  out->groups[0].is_program = true;
  out->groups[0].id = h->prog.id;
  out->groups[0].name = h->prog.name;
  figures(h, 0, &out->groups[0]);
  for (size_t i = 0; i < h->nguides && !rc; i++) {
    app_health_group *g = &out->groups[i + 1];
    person who;
    int64_t raters = 0;
    g->id = h->guides[i];
    rc = store_person_get(c->st, g->id, c->a, &who, e);
    if (!rc) rc = store_health_learners_rating(c->st, h->prog.id, g->id, c->now, &raters, e);
    g->name = rc ? NULL : who.name;
    hidden[i + 1] = raters < APP_HEALTH_GUIDE_RATERS;
    figures(h, i + 1, g);
  }
  if (!rc) app_health_suppress(out->groups, n, (size_t)out->k, hidden);
  return rc;
}

const rel_state app_health_circle_states[APP_HEALTH_CIRCLE_STATES] = {
    REL_PROPOSED, REL_ACTIVE, REL_PAUSED, REL_COMPLETED, REL_ENDED};

/* The circles by state, suppressed as the groups are: one cell per state
 * under the total (app_health_suppress over a parent and its partition,
 * in the cell that counts relationships). */
static rp_rc count_circles(health_run *h, app_health *out, rp_err *e) {
  int64_t counts[REL_STATE_COUNT];
  rp_rc rc = store_circle_state_counts(h->c->st, h->prog.id, counts, e);
  if (rc) return rc;
  app_health_group g[1 + APP_HEALTH_CIRCLE_STATES];
  memset(g, 0, sizeof g);
  for (int i = 0; i < APP_HEALTH_CIRCLE_STATES; i++) {
    size_t n = (size_t)counts[app_health_circle_states[i]];
    g[1 + i].cell[HEALTH_WARNINGS] = (app_health_cell){n, HEALTH_SHOWN, (double)n, 0};
    g[0].cell[HEALTH_WARNINGS].units += n;
  }
  g[0].cell[HEALTH_WARNINGS].value = (double)g[0].cell[HEALTH_WARNINGS].units;
  app_health_suppress(g, 1 + APP_HEALTH_CIRCLE_STATES, (size_t)out->k, NULL);
  out->circles.total = g[0].cell[HEALTH_WARNINGS];
  for (int i = 0; i < APP_HEALTH_CIRCLE_STATES; i++)
    out->circles.by_state[i] = g[1 + i].cell[HEALTH_WARNINGS];
  return RP_OK;
}

rp_rc app_program_health(app_ctx *c, int64_t program_id, app_health *out, rp_err *e) {
  health_run *h = arena_zalloc(c->a, sizeof *h);
  h->c = c;
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_program_admin_load(c, program_id, &h->prog, e);
  if (!rc) {
    out->program_id = h->prog.id;
    out->program_name = h->prog.name;
    out->k = h->prog.settings.k_anonymity < APP_HEALTH_K_MIN ? APP_HEALTH_K_MIN
                                                              : h->prog.settings.k_anonymity;
    out->as_of = c->now;
    out->period_days = APP_HEALTH_PERIOD_DAYS;
    h->to[0] = c->now;
    h->from[0] = h->to[1] = c->now - APP_HEALTH_PERIOD_DAYS * RP_DAY;
    h->from[1] = h->to[1] - APP_HEALTH_PERIOD_DAYS * RP_DAY;
    rc = build(h, out, e);
    if (!rc) rc = count_circles(h, out, e);
  }
  int64_t guiding = 0;
  if (!rc) rc = store_alumni_guiding_count(c->st, program_id, &guiding, e);
  if (!rc) {
    kanon_cell x = {(size_t)guiding, KANON_SHOWN};
    kanon_suppress(&x, 1, 1, (size_t)out->k, NULL, NULL);
    out->alumni_guiding.units = (size_t)guiding;
    out->alumni_guiding.hidden = x.hidden;
    out->alumni_guiding.value = x.hidden == KANON_SHOWN ? (double)guiding : 0;
  }
  store_rollback(c->st);
  return rc;
}

rp_rc app_health_programs(app_ctx *c, int64_t **ids, size_t *n, rp_err *e) {
  if (c->actor && !c->site_admin)
    return rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only site administrators list every program.");
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_health_program_ids(c->st, c->a, ids, n, e);
  store_rollback(c->st);
  return rc;
}
