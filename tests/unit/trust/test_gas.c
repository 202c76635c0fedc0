/* test_gas.c: Goal Attainment Scaling against TRUST-MODEL.md section 8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust/gas.h"

static void gas_all_expected_levels_score_50(void **state) {
  (void)state;
  const double w[] = {1, 1, 1};
  const int x[] = {0, 1, -1};
  assert_float_equal(trust_gas_t(w, x, 3, TRUST_GAS_RHO), 50.0, 1e-9);
}

static void gas_weighted_gain_scores_60(void **state) {
  (void)state;
  const double w[] = {2, 1, 1};
  const int x[] = {1, 1, 0};
  assert_float_equal(trust_gas_t(w, x, 3, TRUST_GAS_RHO), 60.0, 1e-2);
}

static void gas_shortfall_scores_31_39(void **state) {
  (void)state;
  const double w[] = {1, 1};
  const int x[] = {-1, -2};
  assert_float_equal(trust_gas_t(w, x, 2, TRUST_GAS_RHO), 31.39, 5e-3);
}

static void gas_evidence_clamps_to_unit_interval(void **state) {
  (void)state;
  assert_float_equal(trust_gas_evidence(20), 0.0, 1e-12);
  assert_float_equal(trust_gas_evidence(30), 0.0, 1e-12);
  assert_float_equal(trust_gas_evidence(40), 0.5, 1e-12);
  assert_float_equal(trust_gas_evidence(45), 0.75, 1e-12);
  assert_float_equal(trust_gas_evidence(80), 1.0, 1e-12);
}

static void gas_expected_outcome_is_a_success(void **state) {
  (void)state;
  const double w[] = {2, 1};
  const int x[] = {0, 0};
  assert_float_equal(trust_gas_t(w, x, 2, TRUST_GAS_RHO), 50.0, 1e-12);
  assert_float_equal(trust_gas_evidence(trust_gas_t(w, x, 2, TRUST_GAS_RHO)), 1.0, 1e-12);
  /* The weightier goal a level short: T 41.97, v 0.598 (0.299 before). */
  const int short_one[] = {-1, 0};
  double t = trust_gas_t(w, short_one, 2, TRUST_GAS_RHO);
  assert_float_equal(trust_gas_evidence(t), (t - 30) / 20, 1e-12);
  assert_float_equal(trust_gas_evidence(t), 0.598, 5e-4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(gas_all_expected_levels_score_50),
      cmocka_unit_test(gas_weighted_gain_scores_60),
      cmocka_unit_test(gas_shortfall_scores_31_39),
      cmocka_unit_test(gas_evidence_clamps_to_unit_interval),
      cmocka_unit_test(gas_expected_outcome_is_a_success),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
