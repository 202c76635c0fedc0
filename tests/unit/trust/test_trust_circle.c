/* test_trust_circle.c: the trust rules of circles with exact figures (the
 * vectors of docs/trust-model.md, "Circles"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "trust_test.h"

#include "trust/trust_circle.h"
#include "trust/trust_index.h"

#define DAY 86400

static const trust_attendance P = TRUST_ATTEND_PRESENT, L = TRUST_ATTEND_LATE,
                              N = TRUST_ATTEND_ABSENT_WITH_NOTICE,
                              A = TRUST_ATTEND_ABSENT_WITHOUT_NOTICE;

static void attendance_is_scored_as_the_checkin_classes(void **state) {
  (void)state;
  assert_near(trust_attendance_value(P), 1.0, 0);
  assert_near(trust_attendance_value(L), 0.5, 0);
  assert_near(trust_attendance_value(N), 0.5, 0);
  assert_near(trust_attendance_value(A), 0.0, 0);
  trust_item it[TRUST_EV_MAX];
  assert_int_equal(trust_attendance_items(A, 7 * DAY, 42, it), 1);
  assert_int_equal(it[0].about, TRUST_CIRCLE_IN_MEMBER);
  assert_int_equal(it[0].comp, TRUST_REL);
  assert_near(it[0].w, 2.0, 0);
  assert_int_equal(it[0].reason, TRUST_R_CHECKIN_NO_SHOW);
  assert_int_equal(it[0].source_id, 42);
  assert_int_equal(trust_attendance_items(N, 0, 1, it), 1);
  assert_int_equal(it[0].reason, TRUST_R_CHECKIN_CANCELLED_WITH_NOTICE);
}

/* Vector C1: present, late, absent with notice, absent without notice at
 * days 0, 7, 14, 21, read at day 21 (H_REL 90 days, W 2, a 0.5):
 *   r = 2^(-21/90) + 0.5 * 2^(-14/90) + 0.5 * 2^(-7/90) = 1.7733184573909595
 *   s = 2^(-14/90) + 2^(-7/90) + 4                     = 5.845302592880207
 *   P_REL = (r + 1) / (r + s + 2) = 0.28832807144562317, u = 0.20793001299740532 */
static void a_members_attendance_gives_the_circles_trust_in_them(void **state) {
  (void)state;
  const trust_attendance seq[] = {P, L, N, A};
  trust_item items[8];
  size_t n = 0;
  for (int i = 0; i < 4; i++) n += trust_attendance_items(seq[i], (int64_t)i * 7 * DAY, i + 1, items + n);
  trust_settings cfg = trust_settings_default();
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_state_rebuild(&st, &cfg, items, n);
  trust_rs rs = trust_state_rs(&st, &cfg, TRUST_CIRCLE_IN_MEMBER, TRUST_REL, TRUST_SRC_MASK_ALL,
                               21 * DAY);
  assert_near(rs.r, 1.7733184573909595, 1e-12);
  assert_near(rs.s, 5.845302592880207, 1e-12);
  trust_dir_score sc;
  trust_score(&st, &cfg, TRUST_CIRCLE_IN_MEMBER, 21 * DAY, true, &sc);
  assert_near(sc.comp[TRUST_REL].p, 0.28832807144562317, 1e-12);
  assert_near(sc.comp[TRUST_REL].u, 0.20793001299740532, 1e-12);
  /* Nothing about the circle as the member sees it: the base rate. */
  trust_score(&st, &cfg, TRUST_MEMBER_IN_CIRCLE, 21 * DAY, false, &sc);
  assert_near(sc.index, 50.0, 1e-12);
}

/* Vector C2: the drift test. Three check-ins present, then absent without
 * notice, against a circle mean of 1: mu = 1, z = -1/0.3, S = 2.8333 after
 * the first absence, 5.6667 >= 5 at the second: an alarm. */
static void the_second_absence_after_steady_attendance_is_a_drift(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_circle_cusum_default();
  double s;
  const trust_attendance one[] = {P, P, P, A};
  assert_false(trust_circle_drifting(&cfg, one, 4, 1.0, &s));
  assert_near(s, 2.8333333333333335, 1e-12);
  const trust_attendance two[] = {P, P, P, A, A};
  assert_true(trust_circle_drifting(&cfg, two, 5, 1.0, &s));
  assert_near(s, 0.0, 0);
  /* Against a circle mean of 0.9: mu = 0.96 from the fourth on, S = 2.7,
   * then 5.4: an alarm too. */
  assert_false(trust_circle_drifting(&cfg, one, 4, 0.9, &s));
  assert_near(s, 2.7, 1e-12);
  assert_true(trust_circle_drifting(&cfg, two, 5, 0.9, &s));
}

static void late_arrivals_drift_only_at_the_fifth_in_a_row(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_circle_cusum_default();
  double s;
  const trust_attendance seq[] = {P, P, P, L, L, L, L, L};
  assert_false(trust_circle_drifting(&cfg, seq, 7, 1.0, &s));
  assert_near(s, 4.666666666666667, 1e-12);
  assert_true(trust_circle_drifting(&cfg, seq, 8, 1.0, &s));
  /* One late arrival fades: 1.1667, 0.6667, 0.1667, 0. */
  const trust_attendance once[] = {P, P, P, L, P, P, P};
  assert_false(trust_circle_drifting(&cfg, once, 7, 1.0, &s));
  assert_near(s, 0.0, 0);
}

static void a_drift_ends_when_the_member_comes_back(void **state) {
  (void)state;
  trust_cusum_settings cfg = trust_circle_cusum_default();
  const trust_attendance back[] = {P, P, P, A, A, P};
  assert_false(trust_circle_drifting(&cfg, back, 6, 1.0, NULL));
  /* An alarm more than four check-ins ago no longer counts. */
  const trust_attendance old[] = {P, P, P, A, A, N, N, N, N};
  assert_false(trust_circle_drifting(&cfg, old, 9, 1.0, NULL));
}

static void silent_after_four_checkins_without_a_word(void **state) {
  (void)state;
  const int64_t held[] = {10, 20, 30, 40, 50};
  assert_false(trust_circle_silent(held, 3, 0, 0));     /* three check-ins: too soon */
  assert_true(trust_circle_silent(held, 4, 5, 0));      /* four, never a word */
  assert_false(trust_circle_silent(held, 4, 5, 6));     /* spoke after joining */
  assert_true(trust_circle_silent(held, 5, 5, 10));     /* last word at the check-in before the four */
  assert_false(trust_circle_silent(held, 5, 5, 11));    /* ... or after it */
}

/* Vector C3: one-way feedback. */
static void one_way_when_one_or_two_give_most_of_it(void **state) {
  (void)state;
  double share;
  const size_t four[] = {6, 3, 1, 0};
  assert_true(trust_circle_one_way(four, 4, &share));
  assert_near(share, 0.9, 1e-15);
  const size_t even[] = {5, 1, 1, 1};
  assert_false(trust_circle_one_way(even, 4, &share));
  assert_near(share, 0.75, 1e-15);
  const size_t three[] = {7, 1, 0};
  assert_true(trust_circle_one_way(three, 3, &share));
  assert_near(share, 0.875, 1e-15);
  const size_t few[] = {6, 1, 0};
  assert_false(trust_circle_one_way(few, 3, &share)); /* 7 items: too few */
  const size_t none[] = {0, 0, 0};
  assert_false(trust_circle_one_way(none, 3, &share));
  assert_near(share, 0.0, 0);
}

static void pulses_are_shown_from_three_raters(void **state) {
  (void)state;
  const int answers[3][TRUST_PULSE_NITEM] = {
      {4, 4, 5, 5, 3, 4, 0}, {2, 4, 5, 4, 3, 4, 0}, {3, 4, 5, 3, 3, 5, 2}};
  double means[TRUST_PULSE_NITEM];
  size_t counts[TRUST_PULSE_NITEM];
  assert_false(trust_circle_pulse_aggregate(answers, 2, 3, means, counts));
  assert_near(means[0], 0.0, 0);
  assert_int_equal(counts[0], 0);
  assert_true(trust_circle_pulse_aggregate(answers, 3, 3, means, counts));
  assert_near(means[0], 3.0, 1e-15);
  assert_near(means[3], 4.0, 1e-15);
  assert_near(means[5], 13.0 / 3.0, 1e-15);
  assert_near(means[6], 2.0, 1e-15);
  assert_int_equal(counts[6], 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(attendance_is_scored_as_the_checkin_classes),
      cmocka_unit_test(a_members_attendance_gives_the_circles_trust_in_them),
      cmocka_unit_test(the_second_absence_after_steady_attendance_is_a_drift),
      cmocka_unit_test(late_arrivals_drift_only_at_the_fifth_in_a_row),
      cmocka_unit_test(a_drift_ends_when_the_member_comes_back),
      cmocka_unit_test(silent_after_four_checkins_without_a_word),
      cmocka_unit_test(one_way_when_one_or_two_give_most_of_it),
      cmocka_unit_test(pulses_are_shown_from_three_raters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
