/* util.c: see util.h. */
#include "app/trust/util.h"

#include <math.h>

trust_settings app_trust_settings(void) { return trust_settings_default(); }

bool app_trust_party_of(const relationship *r, int64_t person_id, trust_party *out) {
  if (person_id != 0 && person_id == r->guide_id) {
    *out = TRUST_GUIDE;
    return true;
  }
  if (person_id != 0 && person_id == r->learner_id) {
    *out = TRUST_LEARNER;
    return true;
  }
  return false;
}

int64_t app_trust_person_of(const relationship *r, trust_party p) {
  return p == TRUST_GUIDE ? r->guide_id : r->learner_id;
}

trust_sums *app_trust_sums_row(trust_state *st, int about, int comp, int kind) {
  if (kind == 2) return &st->fast[about][comp];
  return &st->main[about][comp][kind == 1 ? TRUST_SRC_PULSE : TRUST_SRC_BEHAVIOUR];
}

uint32_t app_trust_row_bit(int about, int comp, int kind) {
  return 1u << ((about * TRUST_NCOMP + comp) * 3 + kind);
}

uint32_t app_trust_item_rows(const trust_item *it) {
  int main_kind = it->source == TRUST_SRC_PULSE ? 1 : 0;
  return app_trust_row_bit(it->about, it->comp, main_kind) |
         app_trust_row_bit(it->about, it->comp, 2);
}

/* Removes increments (dr, ds) made at t from x: trust_sums_add of their
 * negatives, then zero for what rounding leaves below zero. */
static void sums_remove(trust_sums *x, double half_life, int64_t t, double dr, double ds) {
  trust_sums_add(x, half_life, t, -dr, -ds);
  if (x->r < 0) x->r = 0;
  if (x->s < 0) x->s = 0;
}

void app_trust_state_remove(trust_state *st, const trust_settings *cfg, const trust_item *items,
                            size_t n) {
  for (size_t i = 0; i < n; i++) {
    const trust_item *it = &items[i];
    if (!trust_item_valid(it)) continue;
    trust_rs d = trust_item_increment(it, cfg);
    double h = cfg->half_life_days[it->comp];
    sums_remove(&st->main[it->about][it->comp][it->source], h, it->t, d.r, d.s);
    sums_remove(&st->fast[it->about][it->comp], h / cfg->trend_divisor, it->t, d.r, d.s);
  }
}

double app_trust_item_delta(const trust_state *st, const trust_settings *cfg, const trust_item *it,
                            int64_t now) {
  if (!trust_item_valid(it) || it->t > now) return 0;
  trust_comp c = (trust_comp)it->comp;
  double w = cfg->prior_weight, a = cfg->base_rate[c];
  trust_rs tot = trust_state_rs(st, cfg, (trust_party)it->about, c, TRUST_SRC_MASK_ALL, now);
  trust_rs d = trust_item_increment(it, cfg);
  double f = trust_decay((double)(now - it->t), cfg->half_life_days[c]);
  double r0 = fmax(tot.r - d.r * f, 0.0), s0 = fmax(tot.s - d.s * f, 0.0);
  return (tot.r + a * w) / (tot.r + tot.s + w) - (r0 + a * w) / (r0 + s0 + w);
}

static double rel_diff(double x, double y) {
  double m = fmax(fabs(x), fabs(y));
  return m > 0 ? fabs(x - y) / m : 0.0;
}

/* The relative difference of two rows read at the later t_ref. */
static double row_diff(const trust_sums *x, const trust_sums *y, double half_life) {
  int64_t t = x->t_ref > y->t_ref ? x->t_ref : y->t_ref;
  trust_rs a = trust_sums_at(x, half_life, t), b = trust_sums_at(y, half_life, t);
  return fmax(rel_diff(a.r, b.r), rel_diff(a.s, b.s));
}

double app_trust_state_diff(const trust_state *a, const trust_state *b,
                            const trust_settings *cfg) {
  double worst = 0;
  for (int p = 0; p < TRUST_NPARTY; p++) {
    for (int c = 0; c < TRUST_NCOMP; c++) {
      double h = cfg->half_life_days[c];
      for (int k = 0; k < TRUST_NSOURCE; k++)
        worst = fmax(worst, row_diff(&a->main[p][c][k], &b->main[p][c][k], h));
      worst = fmax(worst, row_diff(&a->fast[p][c], &b->fast[p][c], h / cfg->trend_divisor));
    }
  }
  return worst;
}
