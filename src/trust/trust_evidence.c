/* trust_evidence.c: see trust_evidence.h.
 *
 * Design note. The sums are stored as of t_ref rather than as of a fixed
 * epoch: a fixed epoch would need 2^(+t/H) factors that overflow after a
 * few hundred half-lives, while rescaling to the newest time keeps every
 * stored number bounded by the total weight ever added. Out-of-order items
 * are decayed to t_ref, so t_ref only moves forward and the sums read at
 * any now >= t_ref are exactly sum(increment * 2^(-(now - t)/H)).
 */
#include "trust/trust_evidence.h"

#include <assert.h>
#include <math.h>
#include <string.h>

trust_settings trust_settings_default(void) {
  trust_settings s;
  s.half_life_days[TRUST_REL] = 90;
  s.half_life_days[TRUST_INT] = 180;
  s.half_life_days[TRUST_COM] = 90;
  s.half_life_days[TRUST_EMP] = 90;
  s.wneg[TRUST_SRC_BEHAVIOUR] = 2;
  s.wneg[TRUST_SRC_PULSE] = 1;
  s.prior_weight = 2;
  for (int c = 0; c < TRUST_NCOMP; c++) s.base_rate[c] = 0.5;
  s.trend_divisor = 3;
  s.trend_scale_prior = true;
  s.int_cap = 0.85;
  s.int_cap_days = 180;
  return s;
}

trust_rs trust_item_increment(const trust_item *it, const trust_settings *cfg) {
  trust_rs d;
  d.r = it->w * it->v;
  d.s = it->w * cfg->wneg[it->source] * (1.0 - it->v);
  return d;
}

double trust_decay(double age_s, double half_life_days) {
  assert(half_life_days > 0);
  return exp2(-fmax(age_s, 0.0) / (half_life_days * TRUST_DAY_S));
}

void trust_sums_add(trust_sums *x, double half_life_days, int64_t t, double dr, double ds) {
  assert(t >= 0 && x->t_ref >= 0 && half_life_days > 0);
  int64_t dt = t - x->t_ref;
  bool forward = dt >= 0;
  double f = exp2(-(double)(forward ? dt : -dt) / (half_life_days * TRUST_DAY_S));
  double keep = forward ? f : 1.0;
  double add = forward ? 1.0 : f;
  x->r = x->r * keep + dr * add;
  x->s = x->s * keep + ds * add;
  x->t_ref = forward ? t : x->t_ref;
}

trust_rs trust_sums_at(const trust_sums *x, double half_life_days, int64_t now) {
  double f = trust_decay((double)(now - x->t_ref), half_life_days);
  trust_rs o = {x->r * f, x->s * f};
  return o;
}

bool trust_state_add(trust_state *st, const trust_settings *cfg, const trust_item *it) {
  if (!trust_item_valid(it)) return false;
  trust_rs d = trust_item_increment(it, cfg);
  double h = cfg->half_life_days[it->comp];
  trust_sums_add(&st->main[it->about][it->comp][it->source], h, it->t, d.r, d.s);
  trust_sums_add(&st->fast[it->about][it->comp], h / cfg->trend_divisor, it->t, d.r, d.s);
  return true;
}

void trust_state_breach(trust_state *st, trust_party about, int64_t t) {
  if (!st->has_breach[about] || t > st->breach_at[about]) st->breach_at[about] = t;
  st->has_breach[about] = true;
}

trust_rs trust_state_rs(const trust_state *st, const trust_settings *cfg, trust_party about,
                        trust_comp c, unsigned src_mask, int64_t now) {
  trust_rs o = {0, 0};
  for (int k = 0; k < TRUST_NSOURCE; k++) {
    if (!(src_mask & (1u << k))) continue;
    trust_rs x = trust_sums_at(&st->main[about][c][k], cfg->half_life_days[c], now);
    o.r += x.r;
    o.s += x.s;
  }
  return o;
}

trust_rs trust_state_rs_fast(const trust_state *st, const trust_settings *cfg, trust_party about,
                             trust_comp c, int64_t now) {
  return trust_sums_at(&st->fast[about][c], cfg->half_life_days[c] / cfg->trend_divisor, now);
}

size_t trust_state_rebuild(trust_state *st, const trust_settings *cfg, const trust_item *items,
                           size_t n) {
  memset(st->main, 0, sizeof st->main);
  memset(st->fast, 0, sizeof st->fast);
  size_t skipped = 0;
  for (size_t i = 0; i < n; i++) skipped += !trust_state_add(st, cfg, &items[i]);
  return skipped;
}

trust_rs trust_recompute(const trust_item *items, size_t n, const trust_settings *cfg,
                         trust_party about, trust_comp c, unsigned src_mask,
                         double half_life_days, int64_t now) {
  trust_rs o = {0, 0};
  for (size_t i = 0; i < n; i++) {
    const trust_item *it = &items[i];
    if (!trust_item_valid(it) || it->about != about || it->comp != c ||
        !(src_mask & (1u << it->source)) || it->t > now)
      continue;
    trust_rs d = trust_item_increment(it, cfg);
    double f = trust_decay((double)(now - it->t), half_life_days);
    o.r += d.r * f;
    o.s += d.s * f;
  }
  return o;
}

bool trust_item_valid(const trust_item *it) {
  return it->v >= 0 && it->v <= 1 && it->w > 0 && isfinite(it->w) && it->t >= 0 &&
         it->about < TRUST_NPARTY && it->comp < TRUST_NCOMP && it->source < TRUST_NSOURCE;
}

static const char *const comp_names[TRUST_NCOMP] = {"REL", "INT", "COM", "EMP"};

const char *trust_comp_name(trust_comp c) {
  return (unsigned)c < TRUST_NCOMP ? comp_names[c] : "?";
}

bool trust_comp_parse(const char *name, trust_comp *out) {
  for (int c = 0; c < TRUST_NCOMP; c++) {
    if (strcmp(name, comp_names[c]) == 0) {
      *out = (trust_comp)c;
      return true;
    }
  }
  return false;
}

const char *trust_party_name(trust_party p) {
  return p == TRUST_GUIDE ? "guide" : p == TRUST_LEARNER ? "learner" : "?";
}
