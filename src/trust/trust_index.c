/* trust_index.c: see trust_index.h. */
#include "trust/trust_index.h"

#include <assert.h>
#include <math.h>

#include "trust/trust_beta.h"
#include "trust/trust_opinion.h"

static double p_of(trust_rs x, double w_prior, double a) {
  return (x.r + a * w_prior) / (x.r + x.s + w_prior);
}

void trust_score(const trust_state *st, const trust_settings *cfg, trust_party about,
                 int64_t now, bool with_intervals, trust_dir_score *out) {
  double cap = trust_int_cap_at(cfg, st->has_breach[about], st->breach_at[about], now);
  double sum_p = 0, sum_u = 0, sum_trend = 0;
  for (int k = 0; k < TRUST_NCOMP; k++) {
    trust_comp_score *cs = &out->comp[k];
    double a = cfg->base_rate[k], w = cfg->prior_weight;
    double ck = k == TRUST_INT ? cap : 1.0;
    trust_rs x = trust_state_rs(st, cfg, about, (trust_comp)k, TRUST_SRC_MASK_ALL, now);
    trust_rs fx = trust_state_rs_fast(st, cfg, about, (trust_comp)k, now);
    trust_opinion o = trust_opinion_of(x.r, x.s, w, a);
    cs->r = x.r;
    cs->s = x.s;
    cs->b = o.b;
    cs->d = o.d;
    cs->u = o.u;
    cs->p = fmin(trust_opinion_p(o), ck);
    double w_fast = cfg->trend_scale_prior ? w / cfg->trend_divisor : w;
    cs->trend = fmin(p_of(fx, w_fast, a), ck) - cs->p;
    cs->low = 0;
    cs->high = 1;
    if (with_intervals) {
      trust_interval80(x.r, x.s, w, a, &cs->low, &cs->high);
      cs->low = fmin(cs->low, ck);
      cs->high = fmin(cs->high, ck);
    }
    sum_p += cs->p;
    sum_u += cs->u;
    sum_trend += cs->trend;
  }
  out->index = 100.0 * sum_p / TRUST_NCOMP;
  out->uncertainty = sum_u / TRUST_NCOMP;
  out->trend = sum_trend / TRUST_NCOMP;
  out->label = trust_label_of(out->uncertainty);
  out->declining = out->trend < TRUST_DECLINING_TREND;
  out->int_capped = cap < 1.0;
}

trust_label trust_label_of(double u) {
  if (u > 0.5) return TRUST_LABEL_NOT_ENOUGH;
  if (u > 0.25) return TRUST_LABEL_PROVISIONAL;
  return TRUST_LABEL_ESTABLISHED;
}

const char *trust_label_name(trust_label l) {
  switch (l) {
  case TRUST_LABEL_NOT_ENOUGH: return "not_enough_evidence";
  case TRUST_LABEL_PROVISIONAL: return "provisional";
  case TRUST_LABEL_ESTABLISHED: return "established";
  default: return "?";
  }
}

const char *trust_label_text(trust_label l) {
  switch (l) {
  case TRUST_LABEL_NOT_ENOUGH: return "not enough evidence yet";
  case TRUST_LABEL_PROVISIONAL: return "provisional";
  case TRUST_LABEL_ESTABLISHED: return "established";
  default: return "?";
  }
}

int trust_index_display(double index) {
  double x = floor(index + 0.5);
  return x < 0 ? 0 : x > 100 ? 100 : (int)x;
}

double trust_index_of(const double p[TRUST_NCOMP]) {
  double sum = 0;
  for (int k = 0; k < TRUST_NCOMP; k++) sum += p[k];
  return 100.0 * sum / TRUST_NCOMP;
}

double trust_int_cap_at(const trust_settings *cfg, bool has_breach, int64_t breach_at, int64_t now) {
  if (!has_breach || now < breach_at) return 1.0;
  double age = (double)(now - breach_at);
  return age < cfg->int_cap_days * TRUST_DAY_S ? cfg->int_cap : 1.0;
}

double trust_base_rate(const double *p, size_t n, size_t min_n, double fallback) {
  if (n < min_n || n == 0) return fallback;
  double sum = 0;
  for (size_t i = 0; i < n; i++) sum += p[i];
  double a = sum / (double)n;
  return a > 0 && a < 1 ? a : fallback;
}
