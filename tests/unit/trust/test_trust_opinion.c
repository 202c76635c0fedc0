/* test_trust_opinion.c: opinions, cumulative fusion and Beta reputation
 * against the vectors of TRUST-MODEL.md section 8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"

#include "trust/trust_opinion.h"

static void beta_reputation_table(void **state) {
  (void)state;
  static const double rows[4][4] = {
      {0, 0, 0.5, 0}, {8, 2, 0.75, 0.5}, {20, 10, 0.65625, 0.3125}, {0, 3, 0.2, -0.6}};
  for (int i = 0; i < 4; i++) {
    assert_near(trust_beta_rep_e(rows[i][0], rows[i][1]), rows[i][2], 1e-12);
    assert_near(trust_beta_rep_rating(rows[i][0], rows[i][1]), rows[i][3], 1e-12);
  }
}

static void opinions_table(void **state) {
  (void)state;
  static const double rows[3][6] = {{8, 2, 0.666667, 0.166667, 0.166667, 0.75},
                                    {10, 20, 0.3125, 0.625, 0.0625, 0.34375},
                                    {30, 2, 0.882353, 0.058824, 0.058824, 0.911765}};
  for (int i = 0; i < 3; i++) {
    trust_opinion o = trust_opinion_of(rows[i][0], rows[i][1], 2, 0.5);
    assert_near(o.b, rows[i][2], 1e-6);
    assert_near(o.d, rows[i][3], 1e-6);
    assert_near(o.u, rows[i][4], 1e-6);
    assert_near(trust_opinion_p(o), rows[i][5], 1e-6);
    assert_near(o.b + o.d + o.u, 1.0, 1e-15);
  }
}

static void projected_probability_equals_beta_reputation_at_w2_a_half(void **state) {
  (void)state;
  for (double r = 0; r < 40; r += 3.5) {
    for (double s = 0; s < 40; s += 2.25) {
      trust_opinion o = trust_opinion_of(r, s, 2, 0.5);
      assert_near(trust_opinion_p(o), trust_beta_rep_e(r, s), 1e-14);
    }
  }
}

static void base_rate_weighs_only_the_uncertain_part(void **state) {
  (void)state;
  trust_opinion o = trust_opinion_of(0, 0, 2, 0.7);
  assert_near(o.u, 1.0, 0);
  assert_near(trust_opinion_p(o), 0.7, 1e-15);
  o = trust_opinion_of(8, 2, 2, 0.7);
  assert_near(trust_opinion_p(o), (8 + 1.4) / 12.0, 1e-15);
}

static void fusing_8_2_with_3_1_is_the_opinion_of_11_3(void **state) {
  (void)state;
  trust_opinion f = trust_opinion_fuse(trust_opinion_of(8, 2, 2, 0.5), trust_opinion_of(3, 1, 2, 0.5));
  assert_near(f.b, 0.6875, 1e-12);
  assert_near(f.d, 0.1875, 1e-12);
  assert_near(f.u, 0.125, 1e-12);
  assert_near(f.a, 0.5, 1e-12);
  trust_opinion e = trust_opinion_of(11, 3, 2, 0.5);
  assert_near(f.b, e.b, 1e-12);
  assert_near(f.d, e.d, 1e-12);
  assert_near(f.u, e.u, 1e-12);
}

static void fusion_pools_evidence_commutatively(void **state) {
  (void)state;
  trust_opinion x = trust_opinion_of(2.5, 7, 2, 0.5), y = trust_opinion_of(13, 0.5, 2, 0.5);
  trust_opinion xy = trust_opinion_fuse(x, y), yx = trust_opinion_fuse(y, x);
  assert_near(xy.b, yx.b, 1e-15);
  assert_near(xy.d, yx.d, 1e-15);
  double r, s;
  trust_opinion_evidence(xy, 2, &r, &s);
  assert_near(r, 15.5, 1e-12);
  assert_near(s, 7.5, 1e-12);
}

static void fusing_with_a_vacuous_opinion_changes_nothing(void **state) {
  (void)state;
  trust_opinion x = trust_opinion_of(8, 2, 2, 0.5);
  trust_opinion f = trust_opinion_fuse(x, trust_opinion_of(0, 0, 2, 0.5));
  assert_near(f.b, x.b, 1e-15);
  assert_near(f.d, x.d, 1e-15);
  assert_near(f.u, x.u, 1e-15);
}

static void two_dogmatic_opinions_fuse_to_their_average(void **state) {
  (void)state;
  trust_opinion x = {0.9, 0.1, 0, 0.5}, y = {0.5, 0.5, 0, 0.5};
  trust_opinion f = trust_opinion_fuse(x, y);
  assert_near(f.b, 0.7, 1e-15);
  assert_near(f.d, 0.3, 1e-15);
  assert_near(f.u, 0.0, 0);
}

static void evidence_round_trips_through_an_opinion(void **state) {
  (void)state;
  double r, s;
  trust_opinion_evidence(trust_opinion_of(30, 2, 2, 0.5), 2, &r, &s);
  assert_near(r, 30, 1e-12);
  assert_near(s, 2, 1e-12);
}

static void forget_step_applies_lambda_then_adds(void **state) {
  (void)state;
  double r = 10, s = 4;
  trust_forget_step(&r, &s, 0.9, 0.25, 2, 2);
  assert_near(r, 9.5, 1e-15);
  assert_near(s, 3.6 + 3.0, 1e-15);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(beta_reputation_table),
      cmocka_unit_test(opinions_table),
      cmocka_unit_test(projected_probability_equals_beta_reputation_at_w2_a_half),
      cmocka_unit_test(base_rate_weighs_only_the_uncertain_part),
      cmocka_unit_test(fusing_8_2_with_3_1_is_the_opinion_of_11_3),
      cmocka_unit_test(fusion_pools_evidence_commutatively),
      cmocka_unit_test(fusing_with_a_vacuous_opinion_changes_nothing),
      cmocka_unit_test(two_dogmatic_opinions_fuse_to_their_average),
      cmocka_unit_test(evidence_round_trips_through_an_opinion),
      cmocka_unit_test(forget_step_applies_lambda_then_adds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
