/* test_trust_change.c: reliable change and the lower CUSUM of pulse means
 * (TRUST-MODEL.md 4 and the section 8 vectors). The full 100,000-series
 * in-control simulation takes about 3 s and lives in bench/trust/
 * (bench_trust_cusum); here the out-of-control run lengths use 100,000
 * series and the in-control ones 10,000 (10% is then about 10 standard
 * errors, so a correct CUSUM passes and a wrong k, h or reset does not). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"

#include "sim_rng.h"
#include "trust/trust_change.h"

static void reliable_change_for_sd_0_8_alpha_0_85_is_0_86(void **state) {
  (void)state;
  double thr = trust_rci_threshold(TRUST_RCI_SD, TRUST_RCI_ALPHA);
  assert_near(thr, 1.96 * sqrt(2.0) * 0.8 * sqrt(0.15), 1e-15);
  assert_near(thr, 0.8588290, 1e-7);
  assert_near(round(thr * 100) / 100, 0.86, 1e-15);
}

static void drop_must_exceed_the_threshold(void **state) {
  (void)state;
  double thr = trust_rci_threshold(0.8, 0.85);
  assert_true(trust_pulse_drop(4.5, 3.5, thr));
  assert_false(trust_pulse_drop(4.5, 3.65, thr));
  assert_false(trust_pulse_drop(3.5, 4.5, thr));
}

static void pulse_mean_skips_unanswered_items(void **state) {
  (void)state;
  const int a[7] = {5, 4, 0, 3, 0, 4, 4};
  double m;
  assert_int_equal(trust_pulse_mean(a, &m), 5);
  assert_near(m, 4.0, 1e-15);
  const int none[7] = {0, 0, 0, 0, 0, 0, 0};
  assert_int_equal(trust_pulse_mean(none, &m), 0);
  assert_near(m, 0, 0);
}

static void drop_compares_items_answered_in_both_pulses(void **state) {
  (void)state;
  double thr = trust_rci_threshold(0.8, 0.85);
  /* The rater skipped the two low items next time: the plain means rise,
   * the paired means do not move. */
  const int prev[7] = {5, 5, 5, 1, 5, 5, 1};
  const int cur[7] = {5, 5, 5, 0, 5, 5, 0};
  double mp, mc;
  assert_int_equal(trust_pulse_paired_means(prev, cur, &mp, &mc), 5);
  assert_near(mp, 5, 0);
  assert_near(mc, 5, 0);
  const int fell[7] = {4, 4, 4, 1, 4, 3, 1};
  assert_false(trust_pulse_drop_between(prev, fell, thr)); /* 27/7 -> 21/7: 0.857 < 0.8588 */
  const int hi[7] = {5, 5, 5, 5, 5, 5, 5};
  const int lo[7] = {4, 4, 4, 4, 4, 4, 4};
  assert_true(trust_pulse_drop_between(hi, lo, thr));   /* 1.0 > 0.86 */
  const int lo2[7] = {5, 4, 4, 4, 4, 4, 4};
  assert_false(trust_pulse_drop_between(hi, lo2, thr)); /* 0.857 */
  const int three[7] = {1, 1, 1, 0, 0, 0, 0};
  assert_false(trust_pulse_drop_between(hi, three, thr)); /* only 3 paired items */
}

static void mu_shrinks_the_first_three_toward_the_program_mean(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_cusum_default();
  const double x[5] = {4.0, 4.5, 3.5, 1.0, 1.0};
  assert_near(trust_cusum_mu(&cfg, x, 0, 3.8), 3.8, 1e-15);
  assert_near(trust_cusum_mu(&cfg, x, 1, 3.8), (4.0 + 7.6) / 3, 1e-15);
  assert_near(trust_cusum_mu(&cfg, x, 3, 3.8), (12.0 + 7.6) / 5, 1e-15);
  assert_near(trust_cusum_mu(&cfg, x, 5, 3.8), (12.0 + 7.6) / 5, 1e-15);
}

static void sigma_is_0_8_until_30_raters_have_three_pulses(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_cusum_default();
  assert_near(cfg.k, 0.5, 0);
  assert_near(cfg.h, 5, 0);
  assert_near(trust_cusum_sigma(&cfg, 0.6, 29), 0.8, 0);
  assert_near(trust_cusum_sigma(&cfg, 0.6, 30), 0.6, 0);
  assert_near(trust_cusum_sigma(&cfg, 0.0, 50), 0.8, 0);
}

static void step_accumulates_drops_and_resets_after_an_alarm(void **state) {
  (void)state;
  double s = 0;
  assert_false(trust_cusum_step(&s, 1.0, 0.5, 5));  /* max(0, 0 - 1 - 0.5) */
  assert_near(s, 0, 0);
  assert_false(trust_cusum_step(&s, -2.0, 0.5, 5)); /* 1.5 */
  assert_near(s, 1.5, 1e-15);
  assert_false(trust_cusum_step(&s, -3.0, 0.5, 5)); /* 4.0 */
  assert_near(s, 4.0, 1e-15);
  assert_true(trust_cusum_step(&s, -1.5, 0.5, 5));  /* 5.0 >= h: alarm, reset */
  assert_near(s, 0, 0);
  assert_false(trust_cusum_step(&s, -0.5, 0.5, 5)); /* exactly k below: stays 0 */
  assert_near(s, 0, 0);
}

static void scan_finds_a_sustained_drop(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_cusum_default();
  /* Baseline 4, 4, 4 with program mean 4: mu = 4; sigma 0.5; then pulses
   * at 3.5 (z = -1): S grows by 0.5 per pulse and alarms at the 10th. */
  double x[16];
  for (int i = 0; i < 3; i++) x[i] = 4.0;
  for (int i = 3; i < 16; i++) x[i] = 3.5;
  size_t last;
  double s;
  assert_int_equal(trust_cusum_scan(&cfg, x, 12, 4.0, 0.5, &last, &s), 0);
  assert_int_equal(last, 12);
  assert_near(s, 4.5, 1e-12);
  assert_int_equal(trust_cusum_scan(&cfg, x, 13, 4.0, 0.5, &last, &s), 1);
  assert_int_equal(last, 12);
  assert_near(s, 0, 0);
  assert_int_equal(trust_cusum_scan(&cfg, x, 16, 4.0, 0.5, &last, &s), 1);
  assert_near(s, 1.5, 1e-12);
}

/* The stored, incremental CUSUM agrees with the definition: mu from the
 * first min(i + 1, 3) means, shrunk toward the program mean. */
static void feeding_pulses_one_by_one_follows_the_definition(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_cusum_default();
  const double x[8] = {4.2, 3.9, 4.4, 3.0, 2.6, 2.9, 1.8, 4.0};
  const double pm = 3.8, sigma = 0.8;
  trust_cusum_state st = {0, 0, 0};
  double s = 0;
  for (size_t i = 0; i < 8; i++) {
    double mu = trust_cusum_mu(&cfg, x, i + 1, pm);
    double want = fmax(0, s - (x[i] - mu) / sigma - cfg.k);
    bool alarm = want >= cfg.h;
    s = alarm ? 0 : want;
    assert_int_equal(trust_cusum_feed(&cfg, &st, x[i], pm, sigma), alarm);
    assert_near(st.s, s, 1e-12);
    assert_int_equal(st.n, i + 1);
  }
  assert_near(st.first_sum, 4.2 + 3.9 + 4.4, 1e-12);
  /* From the 3rd pulse mu = (12.5 + 7.6) / 5 = 4.02; S goes 0.775, 2.05,
   * 2.95, then 1.8 adds 2.275: 5.225 >= 5, an alarm; 4.0 leaves S at 0. */
  size_t last;
  double s_end;
  assert_int_equal(trust_cusum_scan(&cfg, x, 8, pm, sigma, &last, &s_end), 1);
  assert_int_equal(last, 6);
  assert_near(s_end, st.s, 1e-15);
}

static void a_steady_rater_never_alarms(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_cusum_default();
  double x[200];
  for (int i = 0; i < 200; i++) x[i] = i % 2 ? 4.2 : 3.8;
  size_t last;
  double s;
  assert_int_equal(trust_cusum_scan(&cfg, x, 200, 4.0, 0.8, &last, &s), 0);
  assert_int_equal(last, 200);
}

static double average_run_length(sim_rng *rng, int series, double shift, double h) {
  double total = 0;
  for (int i = 0; i < series; i++) {
    double s = 0;
    long n = 0;
    do n++;
    while (!trust_cusum_step(&s, sim_normal(rng) + shift, 0.5, h));
    total += (double)n;
  }
  return total / series;
}

static void run_length_after_a_one_sigma_drop_is_10_4_at_h5_and_8_4_at_h4(void **state) {
  (void)state;
  sim_rng rng;
  sim_seed(&rng, 1993);
  double h5 = average_run_length(&rng, 100000, -1.0, 5), h4 = average_run_length(&rng, 100000, -1.0, 4);
  assert_near(h5, 10.4, 1.04);
  assert_near(h4, 8.4, 0.84);
  print_message("out-of-control ARL: h=5 %.2f, h=4 %.2f\n", h5, h4);
}

static void in_control_run_length_is_930_at_h5_and_336_at_h4(void **state) {
  (void)state;
  sim_rng rng;
  sim_seed(&rng, 2006);
  double h5 = average_run_length(&rng, 10000, 0, 5), h4 = average_run_length(&rng, 10000, 0, 4);
  assert_near(h5, 930, 93);
  assert_near(h4, 336, 33.6);
  print_message("in-control ARL (10,000 series): h=5 %.1f, h=4 %.1f\n", h5, h4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reliable_change_for_sd_0_8_alpha_0_85_is_0_86),
      cmocka_unit_test(drop_must_exceed_the_threshold),
      cmocka_unit_test(pulse_mean_skips_unanswered_items),
      cmocka_unit_test(drop_compares_items_answered_in_both_pulses),
      cmocka_unit_test(mu_shrinks_the_first_three_toward_the_program_mean),
      cmocka_unit_test(sigma_is_0_8_until_30_raters_have_three_pulses),
      cmocka_unit_test(step_accumulates_drops_and_resets_after_an_alarm),
      cmocka_unit_test(scan_finds_a_sustained_drop),
      cmocka_unit_test(feeding_pulses_one_by_one_follows_the_definition),
      cmocka_unit_test(a_steady_rater_never_alarms),
      cmocka_unit_test(run_length_after_a_one_sigma_drop_is_10_4_at_h5_and_8_4_at_h4),
      cmocka_unit_test(in_control_run_length_is_930_at_h5_and_336_at_h4),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
