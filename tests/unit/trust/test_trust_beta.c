/* test_trust_beta.c: the regularised incomplete beta function, its
 * inverse and the 80% credible interval, against values computed with
 * mpmath at 40 digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"
#include <math.h>

#include "trust/trust_beta.h"

typedef struct qcase {
  double a, b, q10, q90;
} qcase;

static const qcase quantiles[] = {
    {2, 2, 0.19580010565909172337, 0.80419989434090830601},
    {1, 1, 0.1, 0.9},
    {10, 3, 0.61447830853211854619, 0.90434709443139597428},
    {9, 3, 0.58484306827409085831, 0.89522632780980162941},
    {0.5, 0.5, 0.024471741852423216636, 0.97552825814757679684},
    {1, 5.5, 0.018974138513143406759, 0.34206677534243203429},
    {200.5, 50.5, 0.76592712377932030293, 0.8306571460428323062},
    {1001, 3001, 0.24137902062877252654, 0.25892435103612168101},
    {0.3, 40, 8.1643251376416584936e-6, 0.022067496184342034694},
    {3, 1, 0.46415888336127789783, 0.9654893846056297658},
    {31, 3, 0.8466661445273451851, 0.96613292401822502424},
    {0.101, 5, 1.6742684642642174693e-11, 0.057453793568310903196},
};

static void quantiles_match_known_values(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof quantiles / sizeof quantiles[0]; i++) {
    const qcase *c = &quantiles[i];
    double lo = trust_beta_quantile(0.1, c->a, c->b), hi = trust_beta_quantile(0.9, c->a, c->b);
    if (fabs(lo - c->q10) > 1e-9 * fmax(1, c->q10) + 1e-15 || fabs(hi - c->q90) > 1e-9)
      fail_msg("Beta(%g,%g): got %.17g %.17g want %.17g %.17g", c->a, c->b, lo, hi, c->q10, c->q90);
  }
}

static void tiny_quantile_is_right_relative_to_its_size(void **state) {
  (void)state;
  double q = trust_beta_quantile(0.1, 0.101, 5);
  assert_near(q / 1.6742684642642174693e-11, 1.0, 1e-8);
}

static void cdf_matches_known_values(void **state) {
  (void)state;
  static const double rows[][4] = {
      {0.3, 2, 5, 0.57982499999999997601},   {0.5, 10, 3, 0.019287109375},
      {0.9, 200.5, 50.5, 0.99999890838393770399}, {0.01, 0.5, 0.5, 0.063768560858519848583},
      {0.26, 1001, 3001, 0.92452220248078284303}, {0.75, 1001, 3001, 1.0}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    assert_near(trust_beta_cdf(rows[i][0], rows[i][1], rows[i][2]), rows[i][3], 1e-12);
  assert_near(trust_beta_cdf(0, 2, 3), 0, 0);
  assert_near(trust_beta_cdf(-1, 2, 3), 0, 0);
  assert_near(trust_beta_cdf(1, 2, 3), 1, 0);
}

static void cdf_of_beta_2_2_is_the_cubic(void **state) {
  (void)state;
  for (double x = 0.01; x < 1; x += 0.0137)
    assert_near(trust_beta_cdf(x, 2, 2), 3 * x * x - 2 * x * x * x, 1e-14);
}

static void quantile_inverts_the_cdf_across_shapes(void **state) {
  (void)state;
  static const double shapes[] = {0.2, 0.5, 1, 1.7, 3, 12.5, 60, 400, 5000};
  static const double ps[] = {1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6};
  for (size_t i = 0; i < 9; i++) {
    for (size_t j = 0; j < 9; j++) {
      for (size_t k = 0; k < 9; k++) {
        double a = shapes[i], b = shapes[j], p = ps[k];
        double x = trust_beta_quantile(p, a, b);
        assert_true(x >= 0 && x <= 1);
        double got = trust_beta_cdf(x, a, b);
        if (fabs(got - p) <= 1e-9 * fmin(p, 1 - p) + 1e-15) continue;
        /* Otherwise p must fall between the cdf at the doubles 8 steps
         * below and above x: x is then within 8 ulps of the best double
         * (near 1 with b < 1 the cdf moves more than 1e-11 per ulp). */
        double xlo = x, xhi = x;
        for (int u = 0; u < 8; u++) {
          xlo = nextafter(xlo, 0);
          xhi = nextafter(xhi, 1);
        }
        double below = trust_beta_cdf(xlo, a, b), above = trust_beta_cdf(xhi, a, b);
        if (!(below <= p && p <= above))
          fail_msg("Beta(%g,%g) p=%g: x=%.17g cdf=%.17g", a, b, p, x, got);
      }
    }
  }
}

static void quantile_edges(void **state) {
  (void)state;
  assert_near(trust_beta_quantile(0, 3, 4), 0, 0);
  assert_near(trust_beta_quantile(1, 3, 4), 1, 0);
  assert_near(trust_beta_quantile(0.5, 7, 7), 0.5, 1e-14);
}

static void lgamma_matches_known_values(void **state) {
  (void)state;
  static const double rows[][2] = {{0.001, 6.9071788853838536617}, {0.5, 0.57236494292470008707},
                                   {1, 0},  {1.5, -0.12078223763524522235}, {2, 0},
                                   {3.7, 1.4280723266653881292},  {10, 12.801827480081469611},
                                   {100.25, 360.28455963776423497}, {1e5, 1051287.7089736568949}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    assert_near(trust_lgamma(rows[i][0]), rows[i][1], 1e-13 * fmax(1, fabs(rows[i][1])));
}

static void interval80_of_8_kept_2_broken_is_beta_9_3(void **state) {
  (void)state;
  double lo, hi;
  trust_interval80(8, 2, 2, 0.5, &lo, &hi);
  assert_near(lo, 0.58484306827409085831, 1e-9);
  assert_near(hi, 0.89522632780980162941, 1e-9);
  trust_interval80(0, 0, 2, 0.5, &lo, &hi);
  assert_near(lo, 0.1, 1e-12);
  assert_near(hi, 0.9, 1e-12);
}

static void interval_contains_p_and_narrows_with_evidence(void **state) {
  (void)state;
  double lo1, hi1, lo2, hi2;
  trust_interval80(4, 1, 2, 0.5, &lo1, &hi1);
  trust_interval80(40, 10, 2, 0.5, &lo2, &hi2);
  double p1 = 5.0 / 7, p2 = 41.0 / 52;
  assert_true(lo1 < p1 && p1 < hi1);
  assert_true(lo2 < p2 && p2 < hi2);
  assert_true(hi2 - lo2 < hi1 - lo1);
}

static void criticism_probability_is_exact_for_counts(void **state) {
  (void)state;
  /* P(p < 0.5) under Beta(1 + k, 1 + m) = P(Bin(k + m + 1, 1/2) >= k + 1). */
  assert_near(trust_criticism_prob(0, 6), 0.9921875, 1e-13);
  assert_near(trust_criticism_prob(1, 5), 0.9375, 1e-13);
  assert_near(trust_criticism_prob(2, 4), 0.7734375, 1e-13);
  assert_near(trust_criticism_prob(3, 3), 0.5, 1e-13);
  assert_near(trust_criticism_prob(0, 0), 0.5, 1e-13);
  assert_near(trust_criticism_prob(1, 7), 0.98046875, 1e-13);
  assert_near(trust_criticism_prob(2, 8), 0.96728515625, 1e-13);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(quantiles_match_known_values),
      cmocka_unit_test(tiny_quantile_is_right_relative_to_its_size),
      cmocka_unit_test(cdf_matches_known_values),
      cmocka_unit_test(cdf_of_beta_2_2_is_the_cubic),
      cmocka_unit_test(quantile_inverts_the_cdf_across_shapes),
      cmocka_unit_test(quantile_edges),
      cmocka_unit_test(lgamma_matches_known_values),
      cmocka_unit_test(interval80_of_8_kept_2_broken_is_beta_9_3),
      cmocka_unit_test(interval_contains_p_and_narrows_with_evidence),
      cmocka_unit_test(criticism_probability_is_exact_for_counts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
