/* trust_index.h: scores of a direction (TRUST-MODEL.md 2).
 *
 * Per component k: the opinion of the decayed sums at `now` (both
 * sources), its projected probability P_k, the 80% credible interval, and
 * the trend P_k(half-life H/3) - P_k(H). For the direction:
 *
 *     TI = 100 * mean(P_k)       U = mean(u_k)       trend = mean(trend_k)
 *     label: U > 0.5 "not enough evidence yet", 0.25 < U <= 0.5
 *            "provisional", U <= 0.25 "established"
 *     declining: trend < -0.10 (on the 0..1 scale)
 *
 * The trend's short-half-life P uses the prior weight W / 3 (setting
 * trend_scale_prior, default true). Why: decayed evidence mass is
 * proportional to the half-life, so with W = 2 for both the short-horizon
 * P sits nearer the base rate for any steady record, and the trend reads
 * negative for a relationship whose behaviour has not changed (about -0.04
 * to -0.11 for a spotless record with fortnightly check-ins and monthly
 * pulses, enough to raise DECLINING). Scaling W with the horizon gives a
 * trend of exactly 0 for steady behaviour and keeps the reaction to real
 * change. With trend_scale_prior false the literal reading (W for both) is
 * used.
 *
 * For 180 days after a confirmed confidentiality breach by the rated party
 * P_INT is capped at 0.85 (TRUST-MODEL.md 3.6); the cap applies to every
 * INT figure shown (P, both P's of the trend, the interval's ends), so
 * what is shown stays consistent. Pure arithmetic.
 */
#ifndef RAPPORT_TRUST_INDEX_H
#define RAPPORT_TRUST_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trust/trust_evidence.h"

typedef enum trust_label {
  TRUST_LABEL_NOT_ENOUGH = 0, /* U > 0.5 */
  TRUST_LABEL_PROVISIONAL,    /* 0.25 < U <= 0.5 */
  TRUST_LABEL_ESTABLISHED     /* U <= 0.25 */
} trust_label;

#define TRUST_DECLINING_TREND (-0.10)

typedef struct trust_comp_score {
  double r, s;       /* decayed sums at now, both sources */
  double b, d, u;    /* opinion */
  double p;          /* P, after the INT cap */
  double trend;      /* P(H/3) - P(H), both after the INT cap */
  double low, high;  /* 80% credible interval; 0 and 1 unless intervals were asked for */
} trust_comp_score;

typedef struct trust_dir_score {
  trust_comp_score comp[TRUST_NCOMP];
  double index;       /* 100 * mean P, unrounded (trust_index_display rounds) */
  double uncertainty; /* U = mean u */
  double trend;       /* mean of the component trends, 0..1 scale */
  trust_label label;
  bool declining;
  bool int_capped;    /* the breach cap was in force at now */
} trust_dir_score;

/* Scores the direction about party `about` at `now` from st. With
 * with_intervals false, low/high are left at 0 and 1 (an interval costs
 * about 3 microseconds per component; the rest is a few dozen flops). */
void trust_score(const trust_state *st, const trust_settings *cfg, trust_party about,
                 int64_t now, bool with_intervals, trust_dir_score *out);

/* The label of uncertainty U. */
trust_label trust_label_of(double u);
/* "not_enough_evidence", "provisional", "established". */
const char *trust_label_name(trust_label l);
/* "not enough evidence yet", "provisional", "established". */
const char *trust_label_text(trust_label l);

/* TI as shown: rounded to the nearest integer, halves up, in 0..100. */
int trust_index_display(double index);

/* TI = 100 * mean of p[0..TRUST_NCOMP). */
double trust_index_of(const double p[TRUST_NCOMP]);

/* The P_INT cap in force at now: cfg->int_cap when has_breach and
 * breach_at <= now < breach_at + int_cap_days, else 1. */
double trust_int_cap_at(const trust_settings *cfg, bool has_breach, int64_t breach_at, int64_t now);

/* The base rate a for one component: the mean of the program's
 * established P values p[0..n) once n >= min_n (30), else fallback (0.5).
 * A mean outside (0,1) (impossible for valid P values) gives fallback. */
double trust_base_rate(const double *p, size_t n, size_t min_n, double fallback);

#endif
