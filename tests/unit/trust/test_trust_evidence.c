/* test_trust_evidence.c: decayed sums (TRUST-MODEL.md 2 and the time-decay
 * and per-event forgetting vectors of section 8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"
#include <math.h>
#include <string.h>

#include "sim_rng.h"
#include "trust/trust_evidence.h"
#include "trust/trust_opinion.h"

#define DAY 86400
#define T0 ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */

static trust_item item(int64_t t, double v, double w, trust_party p, trust_comp c, trust_source s) {
  trust_item it;
  memset(&it, 0, sizeof it);
  it.t = t;
  it.v = v;
  it.w = w;
  it.about = (uint8_t)p;
  it.comp = (uint8_t)c;
  it.source = (uint8_t)s;
  return it;
}

static void defaults_follow_the_model(void **state) {
  (void)state;
  trust_settings s = trust_settings_default();
  assert_near(s.half_life_days[TRUST_REL], 90, 0);
  assert_near(s.half_life_days[TRUST_INT], 180, 0);
  assert_near(s.half_life_days[TRUST_COM], 90, 0);
  assert_near(s.half_life_days[TRUST_EMP], 90, 0);
  assert_near(s.wneg[TRUST_SRC_BEHAVIOUR], 2, 0);
  assert_near(s.wneg[TRUST_SRC_PULSE], 1, 0);
  assert_near(s.prior_weight, 2, 0);
  for (int k = 0; k < TRUST_NCOMP; k++) assert_near(s.base_rate[k], 0.5, 0);
  assert_near(s.trend_divisor, 3, 0);
  assert_near(s.int_cap, 0.85, 0);
  assert_near(s.int_cap_days, 180, 0);
}

static void item_30_days_old_weighs_0_7937_at_90_day_half_life(void **state) {
  (void)state;
  assert_near(trust_decay(30.0 * DAY, 90), 0.7937, 5e-5);
  assert_near(trust_decay(30.0 * DAY, 90), cbrt(0.5), 1e-15);
  assert_near(trust_decay(90.0 * DAY, 90), 0.5, 1e-15);
  assert_near(trust_decay(0, 90), 1.0, 0);
  assert_near(trust_decay(-5.0 * DAY, 90), 1.0, 0);
}

static void wneg_is_2_for_behaviour_and_1_for_pulse(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item b = item(T0, 0.25, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR);
  trust_item p = item(T0, 0.25, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_PULSE);
  trust_rs db = trust_item_increment(&b, &cfg), dp = trust_item_increment(&p, &cfg);
  assert_near(db.r, 0.5, 1e-15);
  assert_near(db.s, 3.0, 1e-15);
  assert_near(dp.r, 0.5, 1e-15);
  assert_near(dp.s, 1.5, 1e-15);
}

static void in_order_adds_decay_the_old_sums_first(void **state) {
  (void)state;
  trust_sums x = {0, 0, 0};
  trust_sums_add(&x, 90, T0, 1.0, 0.0);
  trust_sums_add(&x, 90, T0 + 90 * DAY, 0.0, 2.0);
  assert_int_equal(x.t_ref, T0 + 90 * DAY);
  assert_near(x.r, 0.5, 1e-15);
  assert_near(x.s, 2.0, 1e-15);
  trust_rs now = trust_sums_at(&x, 90, T0 + 180 * DAY);
  assert_near(now.r, 0.25, 1e-15);
  assert_near(now.s, 1.0, 1e-15);
}

static void out_of_order_item_is_added_decayed_to_t_ref(void **state) {
  (void)state;
  trust_sums x = {0, 0, 0};
  trust_sums_add(&x, 90, T0 + 180 * DAY, 1.0, 0.0);
  trust_sums_add(&x, 90, T0, 4.0, 8.0); /* 180 days older: weighs a quarter */
  assert_int_equal(x.t_ref, T0 + 180 * DAY);
  assert_near(x.r, 2.0, 1e-15);
  assert_near(x.s, 2.0, 1e-15);
}

static void reading_before_t_ref_never_amplifies(void **state) {
  (void)state;
  trust_sums x = {0, 0, 0};
  trust_sums_add(&x, 90, T0, 3.0, 1.0);
  trust_rs early = trust_sums_at(&x, 90, T0 - 30 * DAY);
  assert_near(early.r, 3.0, 0);
  assert_near(early.s, 1.0, 0);
}

static void empty_state_reads_zero(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_settings cfg = trust_settings_default();
  trust_rs x = trust_state_rs(&st, &cfg, TRUST_LEARNER, TRUST_EMP, TRUST_SRC_MASK_ALL, T0);
  assert_near(x.r, 0, 0);
  assert_near(x.s, 0, 0);
}

/* Random items over both parties, all components and both sources, with
 * times spread over two years; the incremental state in three shuffled
 * orders must equal the direct definition to 1e-9 relative. */
static void incremental_adds_in_any_order_equal_a_full_recompute(void **state) {
  (void)state;
  enum { N = 600 };
  static trust_item items[N];
  sim_rng rng;
  sim_seed(&rng, 20260101);
  trust_settings cfg = trust_settings_default();
  for (int i = 0; i < N; i++) {
    items[i] = item(T0 + (int64_t)sim_below(&rng, 730 * DAY), (double)sim_below(&rng, 5) / 4.0,
                    0.5 * (double)(1 + sim_below(&rng, 4)), (trust_party)sim_below(&rng, 2),
                    (trust_comp)sim_below(&rng, 4), (trust_source)sim_below(&rng, 2));
    items[i].source_id = i + 1;
  }
  int64_t now = T0 + 760 * DAY;
  for (int round = 0; round < 3; round++) {
    for (int i = N - 1; i > 0; i--) {
      int j = (int)sim_below(&rng, (uint64_t)i + 1);
      trust_item t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    trust_state st;
    memset(&st, 0, sizeof st);
    for (int i = 0; i < N; i++) trust_state_add(&st, &cfg, &items[i]);
    for (int p = 0; p < TRUST_NPARTY; p++) {
      for (int c = 0; c < TRUST_NCOMP; c++) {
        double h = cfg.half_life_days[c];
        for (unsigned mask = 1; mask <= TRUST_SRC_MASK_ALL; mask++) {
          trust_rs inc = trust_state_rs(&st, &cfg, (trust_party)p, (trust_comp)c, mask, now);
          trust_rs def = trust_recompute(items, N, &cfg, (trust_party)p, (trust_comp)c, mask, h, now);
          assert_true(def.r > 0 && def.s > 0);
          assert_rel(inc.r, def.r, 1e-9);
          assert_rel(inc.s, def.s, 1e-9);
        }
        trust_rs fast = trust_state_rs_fast(&st, &cfg, (trust_party)p, (trust_comp)c, now);
        trust_rs fdef = trust_recompute(items, N, &cfg, (trust_party)p, (trust_comp)c,
                                        TRUST_SRC_MASK_ALL, h / 3, now);
        assert_rel(fast.r, fdef.r, 1e-9);
        assert_rel(fast.s, fdef.s, 1e-9);
      }
    }
  }
}

static void rebuild_equals_adding_and_keeps_the_breach(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[3] = {item(T0, 1, 1, TRUST_GUIDE, TRUST_INT, TRUST_SRC_BEHAVIOUR),
                         item(T0 + DAY, 0, 5, TRUST_GUIDE, TRUST_INT, TRUST_SRC_BEHAVIOUR),
                         item(T0 + 2 * DAY, 1, 2, TRUST_GUIDE, TRUST_INT, TRUST_SRC_PULSE)};
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_state_add(&st, &cfg, &items[0]); /* stale content the rebuild must drop */
  trust_state_breach(&st, TRUST_GUIDE, T0 + DAY);
  trust_state_rebuild(&st, &cfg, items, 3);
  assert_true(st.has_breach[TRUST_GUIDE]);
  assert_int_equal(st.breach_at[TRUST_GUIDE], T0 + DAY);
  trust_rs x = trust_state_rs(&st, &cfg, TRUST_GUIDE, TRUST_INT, TRUST_SRC_MASK_ALL, T0 + 2 * DAY);
  double d1 = exp2(-2.0 / 180), d2 = exp2(-1.0 / 180);
  assert_near(x.r, d1 + 2.0, 1e-12);
  assert_near(x.s, 10.0 * d2, 1e-12);
}

static void latest_breach_counts(void **state) {
  (void)state;
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_state_breach(&st, TRUST_LEARNER, T0 + 10);
  trust_state_breach(&st, TRUST_LEARNER, T0);
  assert_int_equal(st.breach_at[TRUST_LEARNER], T0 + 10);
  assert_false(st.has_breach[TRUST_GUIDE]);
}

static void recompute_ignores_items_after_now(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[2] = {item(T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),
                         item(T0 + DAY, 0, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR)};
  trust_rs x = trust_recompute(items, 2, &cfg, TRUST_GUIDE, TRUST_REL, TRUST_SRC_MASK_ALL, 90, T0);
  assert_near(x.r, 1, 0);
  assert_near(x.s, 0, 0);
}

/* Per-event forgetting with lambda = 0.9 is the engine's time decay with
 * one event per day and H = 1 / log2(1 / 0.9) days. Reads the sums at the
 * last event, as the section 8 table does. */
static void forgetting_run(const double *v, int n, double wneg, double *r, double *s) {
  double h = 1.0 / log2(1.0 / 0.9);
  trust_sums x = {0, 0, 0};
  for (int i = 0; i < n; i++) trust_sums_add(&x, h, T0 + i * DAY, v[i], wneg * (1 - v[i]));
  trust_rs rs = trust_sums_at(&x, h, T0 + (n - 1) * DAY);
  *r = rs.r;
  *s = rs.s;
  double fr = 0, fs = 0;
  for (int i = 0; i < n; i++) trust_forget_step(&fr, &fs, 0.9, v[i], 1, wneg);
  assert_near(fr, *r, 1e-12);
  assert_near(fs, *s, 1e-12);
}

static const double kept8_broken2[10] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
static const double broken2_kept8[10] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

static void forgetting_8_kept_then_2_broken_wneg_1(void **state) {
  (void)state;
  double r, s;
  forgetting_run(kept8_broken2, 10, 1, &r, &s);
  assert_near(r, 4.6132, 5e-5);
  assert_near(s, 1.9000, 5e-5);
  assert_near(trust_beta_rep_e(r, s), 0.6594, 5e-5);
}

static void forgetting_2_broken_then_8_kept_wneg_1(void **state) {
  (void)state;
  double r, s;
  forgetting_run(broken2_kept8, 10, 1, &r, &s);
  assert_near(r, 5.6953, 5e-5);
  assert_near(s, 0.8179, 5e-5);
  assert_near(trust_beta_rep_e(r, s), 0.7865, 5e-5);
}

static void forgetting_8_kept_then_2_broken_wneg_2(void **state) {
  (void)state;
  double r, s;
  forgetting_run(kept8_broken2, 10, 2, &r, &s);
  assert_near(s, 3.8, 1e-12);
  assert_near(trust_beta_rep_e(r, s), 0.5390, 5e-5);
}

static void forgetting_2_broken_then_8_kept_wneg_2(void **state) {
  (void)state;
  double r, s;
  forgetting_run(broken2_kept8, 10, 2, &r, &s);
  assert_near(trust_beta_rep_e(r, s), 0.7175, 5e-5);
}

static void item_validity(void **state) {
  (void)state;
  trust_item ok = item(T0, 0.5, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR);
  assert_true(trust_item_valid(&ok));
  trust_item bad = ok;
  bad.v = 1.01;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.v = NAN;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.w = 0;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.w = INFINITY;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.t = -1;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.about = 2;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.comp = 4;
  assert_false(trust_item_valid(&bad));
  bad = ok;
  bad.source = 2;
  assert_false(trust_item_valid(&bad));
}

static void invalid_items_are_skipped_everywhere(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[2] = {item(T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),
                         item(T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR)};
  items[1].source = 7;
  items[1].w = 100;
  trust_state st;
  memset(&st, 0, sizeof st);
  assert_false(trust_state_add(&st, &cfg, &items[1]));
  trust_rs x = trust_state_rs(&st, &cfg, TRUST_GUIDE, TRUST_REL, TRUST_SRC_MASK_ALL, T0);
  assert_near(x.r, 0, 0);
  assert_int_equal(trust_state_rebuild(&st, &cfg, items, 2), 1);
  x = trust_state_rs(&st, &cfg, TRUST_GUIDE, TRUST_REL, TRUST_SRC_MASK_ALL, T0);
  assert_near(x.r, 1, 0);
  x = trust_recompute(items, 2, &cfg, TRUST_GUIDE, TRUST_REL, 0xffu, 90, T0);
  assert_near(x.r, 1, 0);
}

static void component_and_party_names(void **state) {
  (void)state;
  trust_comp c;
  assert_string_equal(trust_comp_name(TRUST_INT), "INT");
  assert_true(trust_comp_parse("EMP", &c));
  assert_int_equal(c, TRUST_EMP);
  assert_false(trust_comp_parse("rel", &c));
  assert_string_equal(trust_comp_name((trust_comp)9), "?");
  assert_string_equal(trust_party_name(TRUST_GUIDE), "guide");
  assert_string_equal(trust_party_name(TRUST_LEARNER), "learner");
}

static void structs_stay_small(void **state) {
  (void)state;
  assert_int_equal(sizeof(trust_sums), 24);
  assert_int_equal(sizeof(trust_item), 40);
  assert_true(sizeof(trust_state) <= 600);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_follow_the_model),
      cmocka_unit_test(item_30_days_old_weighs_0_7937_at_90_day_half_life),
      cmocka_unit_test(wneg_is_2_for_behaviour_and_1_for_pulse),
      cmocka_unit_test(in_order_adds_decay_the_old_sums_first),
      cmocka_unit_test(out_of_order_item_is_added_decayed_to_t_ref),
      cmocka_unit_test(reading_before_t_ref_never_amplifies),
      cmocka_unit_test(empty_state_reads_zero),
      cmocka_unit_test(incremental_adds_in_any_order_equal_a_full_recompute),
      cmocka_unit_test(rebuild_equals_adding_and_keeps_the_breach),
      cmocka_unit_test(latest_breach_counts),
      cmocka_unit_test(recompute_ignores_items_after_now),
      cmocka_unit_test(forgetting_8_kept_then_2_broken_wneg_1),
      cmocka_unit_test(forgetting_2_broken_then_8_kept_wneg_1),
      cmocka_unit_test(forgetting_8_kept_then_2_broken_wneg_2),
      cmocka_unit_test(forgetting_2_broken_then_8_kept_wneg_2),
      cmocka_unit_test(item_validity),
      cmocka_unit_test(invalid_items_are_skipped_everywhere),
      cmocka_unit_test(component_and_party_names),
      cmocka_unit_test(structs_stay_small),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
