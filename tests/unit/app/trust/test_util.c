/* test_trust_util.c: the trust wiring's pure helpers (src/app/trust/util.c):
 * parties, stored rows, hiding unrevealed items, comparing states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "app/trust/util.h"
#include "trust/trust_explain.h"

#define DAY ((int64_t)86400)
#define T0 ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */

#define assert_near(got, want, tol)                                                          \
  do {                                                                                       \
    double got_ = (got), want_ = (want), tol_ = (tol);                                       \
    if (!(fabs(got_ - want_) <= tol_))                                                       \
      fail_msg("%s = %.17g, want %.17g within %.3g", #got, got_, want_, tol_);               \
  } while (0)

static trust_item item(int64_t t, double v, double w, trust_party p, trust_comp c,
                       trust_source s, int64_t event) {
  trust_item it;
  memset(&it, 0, sizeof it);
  it.t = t;
  it.v = v;
  it.w = w;
  it.about = (uint8_t)p;
  it.comp = (uint8_t)c;
  it.source = (uint8_t)s;
  it.source_id = event;
  return it;
}

static void party_of_knows_guide_learner_and_nobody_else(void **state) {
  (void)state;
  relationship r;
  memset(&r, 0, sizeof r);
  r.guide_id = 7;
  r.learner_id = 9;
  trust_party p = TRUST_LEARNER;
  assert_true(app_trust_party_of(&r, 7, &p));
  assert_int_equal(p, TRUST_GUIDE);
  assert_true(app_trust_party_of(&r, 9, &p));
  assert_int_equal(p, TRUST_LEARNER);
  assert_false(app_trust_party_of(&r, 8, &p));
  assert_false(app_trust_party_of(&r, 0, &p));
  assert_int_equal(app_trust_person_of(&r, TRUST_GUIDE), 7);
  assert_int_equal(app_trust_person_of(&r, TRUST_LEARNER), 9);
}

static void the_24_stored_rows_have_distinct_bits(void **state) {
  (void)state;
  uint32_t all = 0;
  int count = 0;
  for (int p = 0; p < TRUST_NPARTY; p++)
    for (int c = 0; c < TRUST_NCOMP; c++)
      for (int k = 0; k < 3; k++) {
        uint32_t b = app_trust_row_bit(p, c, k);
        assert_int_equal(all & b, 0);
        all |= b;
        count++;
      }
  assert_int_equal(count, 24);
  assert_int_equal(all, 0xFFFFFFu);
}

static void an_item_changes_its_source_row_and_the_fast_row(void **state) {
  (void)state;
  trust_item b = item(T0, 1, 1, TRUST_LEARNER, TRUST_COM, TRUST_SRC_BEHAVIOUR, 1);
  trust_item p = item(T0, 1, 2, TRUST_GUIDE, TRUST_INT, TRUST_SRC_PULSE, 2);
  assert_int_equal(app_trust_item_rows(&b), app_trust_row_bit(1, TRUST_COM, 0) |
                                                app_trust_row_bit(1, TRUST_COM, 2));
  assert_int_equal(app_trust_item_rows(&p), app_trust_row_bit(0, TRUST_INT, 1) |
                                                app_trust_row_bit(0, TRUST_INT, 2));
  trust_state st;
  memset(&st, 0, sizeof st);
  assert_ptr_equal(app_trust_sums_row(&st, 1, TRUST_COM, 0),
                   &st.main[1][TRUST_COM][TRUST_SRC_BEHAVIOUR]);
  assert_ptr_equal(app_trust_sums_row(&st, 0, TRUST_INT, 1), &st.main[0][TRUST_INT][TRUST_SRC_PULSE]);
  assert_ptr_equal(app_trust_sums_row(&st, 0, TRUST_EMP, 2), &st.fast[0][TRUST_EMP]);
}

/* Removing unrevealed pulse items gives the state without them, read at
 * any later time, for the main and the fast sums. */
static void removing_items_gives_the_state_without_them(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item seen[] = {
      item(T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR, 1),
      item(T0 + 10 * DAY, 0.75, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_PULSE, 2),
      item(T0 + 20 * DAY, 0, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR, 3),
  };
  trust_item hidden[] = {
      item(T0 + 25 * DAY, 0.25, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_PULSE, 4),
      item(T0 + 25 * DAY, 0, 2, TRUST_GUIDE, TRUST_INT, TRUST_SRC_PULSE, 4),
  };
  trust_state want, got;
  memset(&want, 0, sizeof want);
  memset(&got, 0, sizeof got);
  for (size_t i = 0; i < 3; i++) trust_state_add(&want, &cfg, &seen[i]);
  for (size_t i = 0; i < 3; i++) trust_state_add(&got, &cfg, &seen[i]);
  for (size_t i = 0; i < 2; i++) trust_state_add(&got, &cfg, &hidden[i]);
  app_trust_state_remove(&got, &cfg, hidden, 2);
  int64_t now = T0 + 30 * DAY;
  for (int c = 0; c < TRUST_NCOMP; c++) {
    trust_rs w = trust_state_rs(&want, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_MASK_ALL, now);
    trust_rs g = trust_state_rs(&got, &cfg, TRUST_GUIDE, (trust_comp)c, TRUST_SRC_MASK_ALL, now);
    assert_near(g.r, w.r, 1e-12);
    assert_near(g.s, w.s, 1e-12);
    trust_rs wf = trust_state_rs_fast(&want, &cfg, TRUST_GUIDE, (trust_comp)c, now);
    trust_rs gf = trust_state_rs_fast(&got, &cfg, TRUST_GUIDE, (trust_comp)c, now);
    assert_near(gf.r, wf.r, 1e-12);
    assert_near(gf.s, wf.s, 1e-12);
  }
  assert_true(got.main[TRUST_GUIDE][TRUST_INT][TRUST_SRC_PULSE].s >= 0);
}

static void removing_more_than_was_added_stops_at_zero(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item it = item(T0, 0.5, 2, TRUST_LEARNER, TRUST_EMP, TRUST_SRC_PULSE, 1);
  trust_state st;
  memset(&st, 0, sizeof st);
  app_trust_state_remove(&st, &cfg, &it, 1);
  assert_true(st.main[TRUST_LEARNER][TRUST_EMP][TRUST_SRC_PULSE].r == 0);
  assert_true(st.main[TRUST_LEARNER][TRUST_EMP][TRUST_SRC_PULSE].s == 0);
  assert_true(st.fast[TRUST_LEARNER][TRUST_EMP].r == 0);
}

static void state_diff_is_the_largest_relative_difference(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_state a, b;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  assert_near(app_trust_state_diff(&a, &b, &cfg), 0, 0);
  a.main[1][TRUST_REL][0] = (trust_sums){1.0, 2.0, T0};
  b.main[1][TRUST_REL][0] = (trust_sums){1.1, 2.0, T0};
  a.fast[0][TRUST_COM] = (trust_sums){4.0, 0.0, T0};
  b.fast[0][TRUST_COM] = (trust_sums){4.0, 0.0, T0};
  assert_near(app_trust_state_diff(&a, &b, &cfg), 0.1 / 1.1, 1e-15);
  /* The same sums stored as of another t_ref are the same state. */
  b.main[1][TRUST_REL][0] = (trust_sums){0.5, 1.0, T0 + 90 * DAY};
  assert_near(app_trust_state_diff(&a, &b, &cfg), 0, 1e-15);
  b.fast[0][TRUST_COM] = (trust_sums){0.0, 0.0, 0};
  assert_near(app_trust_state_diff(&a, &b, &cfg), 1, 0);
}

/* The timeline's delta is the explanation's leave-one-out delta. */
static void item_delta_agrees_with_the_explanation(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[] = {
      item(T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR, 1),
      item(T0 + 5 * DAY, 0, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR, 2),
      item(T0 + 9 * DAY, 0.75, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_PULSE, 3),
      item(T0 + 12 * DAY, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR, 4),
  };
  trust_state st;
  memset(&st, 0, sizeof st);
  trust_state_rebuild(&st, &cfg, items, 4);
  int64_t now = T0 + 40 * DAY;
  trust_contrib top[4];
  size_t n = trust_explain_top(items, 4, &cfg, TRUST_GUIDE, TRUST_REL, now, TRUST_RANK_IMPACT, 4,
                               top);
  assert_int_equal(n, 4);
  for (size_t i = 0; i < n; i++)
    assert_near(app_trust_item_delta(&st, &cfg, &items[top[i].index], now), top[i].delta, 1e-12);
  assert_true(app_trust_item_delta(&st, &cfg, &items[1], now) < 0);
  assert_true(app_trust_item_delta(&st, &cfg, &items[0], now) > 0);
  assert_near(app_trust_item_delta(&st, &cfg, &items[3], T0 + 11 * DAY), 0, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(party_of_knows_guide_learner_and_nobody_else),
      cmocka_unit_test(the_24_stored_rows_have_distinct_bits),
      cmocka_unit_test(an_item_changes_its_source_row_and_the_fast_row),
      cmocka_unit_test(removing_items_gives_the_state_without_them),
      cmocka_unit_test(removing_more_than_was_added_stops_at_zero),
      cmocka_unit_test(state_diff_is_the_largest_relative_difference),
      cmocka_unit_test(item_delta_agrees_with_the_explanation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
