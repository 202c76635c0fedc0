/* test_trust_index.c: the scores of a direction: P per component, the
 * trust index, its uncertainty and label, the trend, the P_INT cap and
 * the base rate (TRUST-MODEL.md 2 and 3.6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"

#include <string.h>

#include "trust/trust_beta.h"
#include "trust/trust_index.h"

#define DAY 86400
#define T0 ((int64_t)1767225600)

static void add(trust_state *st, const trust_settings *cfg, trust_party p, trust_comp c,
                trust_source src, int64_t t, double v, double w) {
  trust_item it;
  memset(&it, 0, sizeof it);
  it.t = t;
  it.v = v;
  it.w = w;
  it.about = (uint8_t)p;
  it.comp = (uint8_t)c;
  it.source = (uint8_t)src;
  trust_state_add(st, cfg, &it);
}

static void no_evidence_scores_50_with_full_uncertainty(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, T0, true, &sc);
  assert_near(sc.index, 50, 1e-12);
  assert_near(sc.uncertainty, 1, 1e-15);
  assert_near(sc.trend, 0, 1e-15);
  assert_int_equal(sc.label, TRUST_LABEL_NOT_ENOUGH);
  assert_false(sc.declining);
  assert_near(sc.comp[TRUST_REL].low, 0.1, 1e-12);
  assert_near(sc.comp[TRUST_REL].high, 0.9, 1e-12);
}

static void index_is_100_times_the_mean_of_the_four_p(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  /* REL: 8 kept (v 1) and 1 broken (w 1, wneg 2 -> s 2), all at T0. */
  for (int i = 0; i < 8; i++) add(&st, &cfg, TRUST_LEARNER, TRUST_REL, TRUST_SRC_BEHAVIOUR, T0, 1, 1);
  add(&st, &cfg, TRUST_LEARNER, TRUST_REL, TRUST_SRC_BEHAVIOUR, T0, 0, 1);
  /* COM: r = 10, s = 20 from pulse answers (wneg 1). */
  add(&st, &cfg, TRUST_LEARNER, TRUST_COM, TRUST_SRC_PULSE, T0, 1.0 / 3, 30);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_LEARNER, T0, false, &sc);
  assert_near(sc.comp[TRUST_REL].r, 8, 1e-12);
  assert_near(sc.comp[TRUST_REL].s, 2, 1e-12);
  assert_near(sc.comp[TRUST_REL].p, 0.75, 1e-12);
  assert_near(sc.comp[TRUST_REL].u, 1.0 / 6, 1e-12);
  assert_near(sc.comp[TRUST_COM].p, 0.34375, 1e-12);
  assert_near(sc.comp[TRUST_COM].u, 0.0625, 1e-12);
  assert_near(sc.index, 100 * (0.75 + 0.5 + 0.34375 + 0.5) / 4, 1e-10);
  assert_near(sc.uncertainty, (1.0 / 6 + 1 + 0.0625 + 1) / 4, 1e-12);
  assert_int_equal(sc.label, TRUST_LABEL_NOT_ENOUGH);
  assert_near(sc.comp[TRUST_REL].low, 0.0, 0);
  assert_near(sc.comp[TRUST_REL].high, 1.0, 0);
  /* The other direction is untouched. */
  trust_score(&st, &cfg, TRUST_GUIDE, T0, false, &sc);
  assert_near(sc.index, 50, 1e-12);
}

static void intervals_are_beta_percentiles_of_the_evidence(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  for (int i = 0; i < 8; i++) add(&st, &cfg, TRUST_GUIDE, TRUST_EMP, TRUST_SRC_PULSE, T0, 1, 1);
  add(&st, &cfg, TRUST_GUIDE, TRUST_EMP, TRUST_SRC_PULSE, T0, 0, 2);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, T0, true, &sc);
  assert_near(sc.comp[TRUST_EMP].low, 0.58484306827409085831, 1e-9);
  assert_near(sc.comp[TRUST_EMP].high, 0.89522632780980162941, 1e-9);
}

static void labels_follow_the_uncertainty_thresholds(void **state) {
  (void)state;
  assert_int_equal(trust_label_of(1.0), TRUST_LABEL_NOT_ENOUGH);
  assert_int_equal(trust_label_of(0.5000001), TRUST_LABEL_NOT_ENOUGH);
  assert_int_equal(trust_label_of(0.5), TRUST_LABEL_PROVISIONAL);
  assert_int_equal(trust_label_of(0.2500001), TRUST_LABEL_PROVISIONAL);
  assert_int_equal(trust_label_of(0.25), TRUST_LABEL_ESTABLISHED);
  assert_int_equal(trust_label_of(0.0), TRUST_LABEL_ESTABLISHED);
  assert_string_equal(trust_label_text(TRUST_LABEL_NOT_ENOUGH), "not enough evidence yet");
  assert_string_equal(trust_label_text(TRUST_LABEL_PROVISIONAL), "provisional");
  assert_string_equal(trust_label_text(TRUST_LABEL_ESTABLISHED), "established");
  assert_string_equal(trust_label_name(TRUST_LABEL_NOT_ENOUGH), "not_enough_evidence");
}

static void six_weights_of_evidence_per_component_establish_a_score(void **state) {
  (void)state;
  /* u = W / (r + s + W) <= 0.25 needs r + s >= 6 in every component. */
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  for (int c = 0; c < TRUST_NCOMP; c++)
    add(&st, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_PULSE, T0, 1, 6);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, T0, false, &sc);
  assert_near(sc.uncertainty, 0.25, 1e-15);
  assert_int_equal(sc.label, TRUST_LABEL_ESTABLISHED);
  assert_int_equal(trust_index_display(sc.index), 88); /* (6 + 1) / 8 = 0.875 -> 87.5 -> 88 */
}

static void displayed_index_rounds_half_up_within_0_100(void **state) {
  (void)state;
  assert_int_equal(trust_index_display(49.5), 50);
  assert_int_equal(trust_index_display(49.49), 49);
  assert_int_equal(trust_index_display(-3), 0);
  assert_int_equal(trust_index_display(100.4), 100);
  const double p[4] = {0.75, 0.5, 0.25, 1.0};
  assert_near(trust_index_of(p), 62.5, 1e-12);
}

static void recent_failures_after_a_good_history_read_as_declining(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  /* A year of kept commitments every week, then three weeks of no-shows
   * and broken promises, on every component. */
  for (int c = 0; c < TRUST_NCOMP; c++) {
    for (int wk = 0; wk < 52; wk++)
      add(&st, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_BEHAVIOUR, T0 + wk * 7 * DAY, 1, 1);
    for (int d = 0; d < 3; d++)
      add(&st, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_BEHAVIOUR, T0 + (365 + 7 * d) * DAY, 0, 2);
  }
  int64_t now = T0 + 380 * DAY;
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, now, false, &sc);
  for (int c = 0; c < TRUST_NCOMP; c++) {
    double h = cfg.half_life_days[c];
    trust_rs slow = trust_state_rs(&st, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_MASK_ALL, now);
    trust_rs fast = trust_state_rs_fast(&st, &cfg, TRUST_GUIDE, (trust_comp)c, now);
    double ps = (slow.r + 1) / (slow.r + slow.s + 2);
    double pf = (fast.r + 1.0 / 3) / (fast.r + fast.s + 2.0 / 3);
    assert_near(sc.comp[c].trend, pf - ps, 1e-12);
    assert_true(h > 0);
  }
  assert_true(sc.trend < -0.10);
  assert_true(sc.declining);
}

static void a_steady_record_has_no_trend(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  for (int c = 0; c < TRUST_NCOMP; c++)
    for (int wk = 0; wk < 104; wk++)
      add(&st, &cfg, TRUST_LEARNER, (trust_comp)c, TRUST_SRC_BEHAVIOUR, T0 + wk * 7 * DAY,
          wk % 4 == 3 ? 0.5 : 1, 1);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_LEARNER, T0 + 104 * 7 * DAY, false, &sc);
  assert_true(fabs(sc.trend) < 0.03);
  assert_false(sc.declining);
  assert_int_equal(sc.label, TRUST_LABEL_ESTABLISHED);
}

/* A spotless record with check-ins every 14 days: with W scaled to the
 * short half-life the trend is 0 up to the sawtooth of the last item's
 * age; with W = 2 for both (the literal reading) it drifts below zero. */
static void a_spotless_fortnightly_record_is_not_declining(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  for (int c = 0; c < TRUST_NCOMP; c++)
    for (int k = 0; k < 40; k++)
      add(&st, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_BEHAVIOUR, T0 + k * 14 * DAY, 1, 1);
  int64_t now = T0 + 39 * 14 * DAY + 7 * DAY;
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, now, false, &sc);
  assert_true(fabs(sc.trend) < 0.02);
  assert_false(sc.declining);
  cfg.trend_scale_prior = false;
  trust_score(&st, &cfg, TRUST_GUIDE, now, false, &sc);
  assert_true(sc.trend < -0.05);
}

static void int_is_capped_at_0_85_for_180_days_after_a_breach(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  add(&st, &cfg, TRUST_GUIDE, TRUST_INT, TRUST_SRC_BEHAVIOUR, T0, 1, 60);
  trust_state_breach(&st, TRUST_GUIDE, T0);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, T0 + 179 * DAY, true, &sc);
  assert_true(sc.int_capped);
  assert_near(sc.comp[TRUST_INT].p, 0.85, 0);
  assert_true(sc.comp[TRUST_INT].high <= 0.85);
  assert_true(sc.comp[TRUST_INT].low <= 0.85);
  assert_near(sc.comp[TRUST_INT].trend, 0, 0);
  trust_score(&st, &cfg, TRUST_GUIDE, T0 + 180 * DAY, true, &sc);
  assert_false(sc.int_capped);
  /* r = 30 after one half-life: P = 31 / 32. */
  assert_near(sc.comp[TRUST_INT].p, 31.0 / 32, 1e-12);
  /* The other components and the other party are not capped. */
  trust_score(&st, &cfg, TRUST_LEARNER, T0 + DAY, false, &sc);
  assert_false(sc.int_capped);
}

static void cap_window_edges(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  assert_near(trust_int_cap_at(&cfg, false, T0, T0), 1.0, 0);
  assert_near(trust_int_cap_at(&cfg, true, T0, T0 - 1), 1.0, 0);
  assert_near(trust_int_cap_at(&cfg, true, T0, T0), 0.85, 0);
  assert_near(trust_int_cap_at(&cfg, true, T0, T0 + 180 * DAY - 1), 0.85, 0);
  assert_near(trust_int_cap_at(&cfg, true, T0, T0 + 180 * DAY), 1.0, 0);
}

static void a_cap_never_raises_a_low_p(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  add(&st, &cfg, TRUST_GUIDE, TRUST_INT, TRUST_SRC_BEHAVIOUR, T0, 0, 5);
  trust_state_breach(&st, TRUST_GUIDE, T0);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, T0, false, &sc);
  assert_near(sc.comp[TRUST_INT].p, 1.0 / 12, 1e-12); /* s = 10: (0 + 1) / 12 */
}

static void base_rate_is_the_program_mean_from_30_established(void **state) {
  (void)state;
  double p[30];
  for (int i = 0; i < 30; i++) p[i] = i < 15 ? 0.6 : 0.8;
  assert_near(trust_base_rate(p, 29, 30, 0.5), 0.5, 0);
  assert_near(trust_base_rate(p, 30, 30, 0.5), 0.7, 1e-12);
  assert_near(trust_base_rate(p, 0, 0, 0.5), 0.5, 0);
}

static void base_rate_setting_moves_p_of_thin_evidence(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  cfg.base_rate[TRUST_COM] = 0.7;
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_GUIDE, T0, false, &sc);
  assert_near(sc.comp[TRUST_COM].p, 0.7, 1e-15);
  assert_near(sc.comp[TRUST_REL].p, 0.5, 1e-15);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(no_evidence_scores_50_with_full_uncertainty),
      cmocka_unit_test(index_is_100_times_the_mean_of_the_four_p),
      cmocka_unit_test(intervals_are_beta_percentiles_of_the_evidence),
      cmocka_unit_test(labels_follow_the_uncertainty_thresholds),
      cmocka_unit_test(six_weights_of_evidence_per_component_establish_a_score),
      cmocka_unit_test(displayed_index_rounds_half_up_within_0_100),
      cmocka_unit_test(recent_failures_after_a_good_history_read_as_declining),
      cmocka_unit_test(a_steady_record_has_no_trend),
      cmocka_unit_test(a_spotless_fortnightly_record_is_not_declining),
      cmocka_unit_test(int_is_capped_at_0_85_for_180_days_after_a_breach),
      cmocka_unit_test(cap_window_edges),
      cmocka_unit_test(a_cap_never_raises_a_low_p),
      cmocka_unit_test(base_rate_is_the_program_mean_from_30_established),
      cmocka_unit_test(base_rate_setting_moves_p_of_thin_evidence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
