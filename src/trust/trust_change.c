/* trust_change.c: see trust_change.h. */
#include "trust/trust_change.h"

#include <assert.h>
#include <math.h>

trust_cusum_settings trust_cusum_default(void) {
  trust_cusum_settings c = {0.5, 5.0, 0.8, 30, 3, 2.0};
  return c;
}

double trust_rci_threshold(double sd, double alpha) {
  assert(sd > 0 && alpha >= 0 && alpha <= 1);
  return 1.96 * sqrt(2.0) * sd * sqrt(1.0 - alpha);
}

bool trust_pulse_drop(double prev_mean, double cur_mean, double threshold) {
  return prev_mean - cur_mean > threshold;
}

static bool answered(int x) {
  return x >= 1 && x <= 5;
}

size_t trust_pulse_mean(const int answers[7], double *mean) {
  size_t n = 0;
  int sum = 0;
  for (int i = 0; i < 7; i++) {
    if (!answered(answers[i])) continue;
    sum += answers[i];
    n++;
  }
  *mean = n ? (double)sum / (double)n : 0.0;
  return n;
}

size_t trust_pulse_paired_means(const int prev[7], const int cur[7], double *prev_mean,
                                double *cur_mean) {
  size_t n = 0;
  int sp = 0, sc = 0;
  for (int i = 0; i < 7; i++) {
    if (!answered(prev[i]) || !answered(cur[i])) continue;
    sp += prev[i];
    sc += cur[i];
    n++;
  }
  *prev_mean = n ? (double)sp / (double)n : 0.0;
  *cur_mean = n ? (double)sc / (double)n : 0.0;
  return n;
}

bool trust_pulse_drop_between(const int prev[7], const int cur[7], double threshold) {
  double mp, mc;
  if (trust_pulse_paired_means(prev, cur, &mp, &mc) < TRUST_PULSE_MIN_PAIRED) return false;
  return trust_pulse_drop(mp, mc, threshold);
}

double trust_cusum_sigma(const trust_cusum_settings *cfg, double pooled_sd, size_t raters_with_three) {
  return raters_with_three >= cfg->min_raters && pooled_sd > 0 ? pooled_sd : cfg->sigma;
}

double trust_cusum_mu(const trust_cusum_settings *cfg, const double *x, size_t n, double program_mean) {
  size_t m = n < cfg->baseline_n ? n : cfg->baseline_n;
  double sum = 0;
  for (size_t i = 0; i < m; i++) sum += x[i];
  return (sum + cfg->shrink * program_mean) / ((double)m + cfg->shrink);
}

bool trust_cusum_step(double *s, double z, double k, double h) {
  double v = *s - z - k;
  v = v > 0 ? v : 0;
  bool alarm = v >= h;
  *s = alarm ? 0 : v;
  return alarm;
}

bool trust_cusum_feed(const trust_cusum_settings *cfg, trust_cusum_state *st, double x,
                      double program_mean, double sigma) {
  assert(sigma > 0);
  if (st->n < cfg->baseline_n) st->first_sum += x;
  st->n++;
  size_t m = st->n < cfg->baseline_n ? st->n : cfg->baseline_n;
  double mu = (st->first_sum + cfg->shrink * program_mean) / ((double)m + cfg->shrink);
  return trust_cusum_step(&st->s, (x - mu) / sigma, cfg->k, cfg->h);
}

size_t trust_cusum_scan(const trust_cusum_settings *cfg, const double *x, size_t n,
                        double program_mean, double sigma, size_t *last_alarm, double *s_end) {
  trust_cusum_state st = {0, 0, 0};
  size_t alarms = 0;
  *last_alarm = n;
  for (size_t i = 0; i < n; i++) {
    if (trust_cusum_feed(cfg, &st, x[i], program_mean, sigma)) {
      alarms++;
      *last_alarm = i;
    }
  }
  *s_end = st.s;
  return alarms;
}
