/* trust_change.h: detecting a drop in a rater's pulse (TRUST-MODEL.md 4,
 * PULSE_DROP): the reliable change index between two consecutive pulses,
 * and a lower one-sided CUSUM over all of a rater's pulses.
 *
 * Reliable change (Jacobson & Truax 1991): a difference between two
 * scores is beyond measurement error at 95% when it exceeds
 * 1.96 * sqrt(2) * SD * sqrt(1 - alpha); 0.86 for SD 0.8 and alpha 0.85.
 *
 * CUSUM (Page 1954): z_t = (x_t - mu) / sigma, S_t = max(0, S_{t-1} - z_t - k),
 * alarm when S_t >= h, then S restarts at 0. mu is the mean of the rater's
 * first n <= 3 pulses shrunk toward the program mean with weight 2:
 * mu = (sum + 2 * program_mean) / (n + 2). With k = 0.5 the in-control
 * average run length is about 930 pulses at h = 5 and 336 at h = 4.
 * Pure arithmetic.
 */
#ifndef RAPPORT_TRUST_CHANGE_H
#define RAPPORT_TRUST_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#define TRUST_RCI_SD 0.8
#define TRUST_RCI_ALPHA 0.85
#define TRUST_PULSE_MIN_PAIRED 4 /* items answered in both pulses for a PULSE_DROP test */

typedef struct trust_cusum_settings {
  double k;            /* reference value: 0.5 (in sigma) */
  double h;            /* decision interval: 5 */
  double sigma;        /* pooled within-rater SD while fewer than min_raters: 0.8 */
  size_t min_raters;   /* raters with three pulses needed to use the pooled SD: 30 */
  size_t baseline_n;   /* pulses in the rater's baseline: 3 */
  double shrink;       /* weight of the program mean in mu: 2 */
} trust_cusum_settings;

trust_cusum_settings trust_cusum_default(void);

/* 1.96 * sqrt(2) * sd * sqrt(1 - alpha). */
double trust_rci_threshold(double sd, double alpha);

/* Whether the mean fell by more than threshold from prev to cur. */
bool trust_pulse_drop(double prev_mean, double cur_mean, double threshold);

/* The mean of the answered items of one pulse (answers in 1..5, 0 =
 * skipped); returns the number answered, and *mean = 0 when none. */
size_t trust_pulse_mean(const int answers[7], double *mean);

/* The means over the items answered in both pulses (CHOICE: paired, so
 * that skipping an item does not read as a change); returns that count. */
size_t trust_pulse_paired_means(const int prev[7], const int cur[7], double *prev_mean,
                                double *cur_mean);

/* The PULSE_DROP test between two consecutive pulses of one rater: at
 * least TRUST_PULSE_MIN_PAIRED items answered in both and the paired
 * mean fell by more than threshold. */
bool trust_pulse_drop_between(const int prev[7], const int cur[7], double threshold);

/* The sigma to use: pooled_sd once raters_with_three >= cfg->min_raters
 * (and pooled_sd > 0), else cfg->sigma. */
double trust_cusum_sigma(const trust_cusum_settings *cfg, double pooled_sd, size_t raters_with_three);

/* mu from the first min(n, baseline_n) means of x: (sum + shrink * program_mean)
 * / (count + shrink). */
double trust_cusum_mu(const trust_cusum_settings *cfg, const double *x, size_t n, double program_mean);

/* One step: S <- max(0, S - z - k); returns true on an alarm (S >= h),
 * after which S is 0. */
bool trust_cusum_step(double *s, double z, double k, double h);

/* A rater's CUSUM as stored between pulses (store: pulse_cusum). Zeroed =
 * no pulse yet. */
typedef struct trust_cusum_state {
  size_t n;         /* pulses fed so far */
  double first_sum; /* sum of the first min(n, baseline_n) means */
  double s;         /* the statistic after the latest pulse */
} trust_cusum_state;

/* Feeds the rater's next pulse mean x: updates the baseline, standardises
 * x with mu = (first_sum + shrink * program_mean) / (min(n, baseline_n) +
 * shrink) (n counting x), steps S. Returns true on an alarm (S is then 0).
 * Feeding x[0..n) one by one gives exactly what trust_cusum_scan gives. */
bool trust_cusum_feed(const trust_cusum_settings *cfg, trust_cusum_state *st, double x,
                      double program_mean, double sigma);

/* Runs the CUSUM over a rater's pulse means x[0..n) in time order. Pulse i
 * is standardised with mu from the pulses known then (the first
 * min(i + 1, baseline_n)), so a rescan gives what was seen at the time.
 * Returns the number of alarms; *last_alarm is the index of the last one
 * (n when none) and *s_end the statistic after x[n-1]. */
size_t trust_cusum_scan(const trust_cusum_settings *cfg, const double *x, size_t n,
                        double program_mean, double sigma, size_t *last_alarm, double *s_end);

#endif
