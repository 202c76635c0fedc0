/* test_goal.c: SMART hints, level keys, weights, statuses and review checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "domain/goal.h"

/* A goal text with every SMART text and every level described. */
static goal_text full_text(void) {
  goal_text t = {0};
  t.title = "Lead the weekly stand-up";
  t.specific = "Run it alone";
  t.measurable = "4 of 4 weeks";
  t.achievable = "With notes";
  t.relevant = "Team lead path";
  t.levels[0] = "never";
  t.levels[1] = "once";
  t.levels[2] = "twice";
  t.levels[3] = "three times";
  t.levels[4] = "every week";
  return t;
}

static void hints_empty_for_a_complete_goal(void **state) {
  (void)state;
  goal_text t = full_text();
  const char *h[GOAL_HINT_MAX];
  assert_int_equal(goal_hints(&t, 20000, h), 0);
}

static void hints_name_missing_smart_parts_in_order(void **state) {
  (void)state;
  goal_text t = full_text();
  t.measurable = NULL;
  t.relevant = " \t\n"; /* blank counts as missing */
  const char *h[GOAL_HINT_MAX];
  size_t n = goal_hints(&t, GOAL_NO_DUE, h);
  assert_int_equal(n, 3);
  assert_string_equal(h[0], "measurable");
  assert_string_equal(h[1], "relevant");
  assert_string_equal(h[2], "due_on");
}

static void hints_name_each_undescribed_level(void **state) {
  (void)state;
  goal_text t = full_text();
  t.levels[0] = NULL; /* -2 */
  t.levels[3] = "";   /* +1 */
  const char *h[GOAL_HINT_MAX];
  size_t n = goal_hints(&t, 20000, h);
  assert_int_equal(n, 2);
  assert_string_equal(h[0], "level -2");
  assert_string_equal(h[1], "level 1");
}

static void hints_list_all_ten_for_a_title_only_goal(void **state) {
  (void)state;
  goal_text t = {0};
  t.title = "Read two books";
  const char *h[GOAL_HINT_MAX];
  size_t n = goal_hints(&t, GOAL_NO_DUE, h);
  assert_int_equal(n, GOAL_HINT_MAX);
  assert_string_equal(h[0], "specific");
  assert_string_equal(h[4], "due_on");
  assert_string_equal(h[5], "level -2");
  assert_string_equal(h[9], "level 2");
}

static void level_keys_parse_exactly_minus_two_to_two(void **state) {
  (void)state;
  int x = 99;
  assert_true(goal_level_key_parse("-2", &x));
  assert_int_equal(x, -2);
  assert_true(goal_level_key_parse("0", &x));
  assert_int_equal(x, 0);
  assert_true(goal_level_key_parse("2", &x));
  assert_int_equal(x, 2);
  const char *bad[] = {"+1", "3", "-3", "-0", "01", " 1", "1 ", "", "one", NULL};
  for (int i = 0; bad[i]; i++)
    assert_false(goal_level_key_parse(bad[i], &x));
  assert_false(goal_level_key_parse(NULL, &x));
  assert_string_equal(goal_level_key(-1), "-1");
  assert_string_equal(goal_level_key(1), "1");
}

static void weight_must_be_above_zero_and_at_most_100(void **state) {
  (void)state;
  assert_true(goal_weight_valid(1));
  assert_true(goal_weight_valid(0.001));
  assert_true(goal_weight_valid(100));
  assert_false(goal_weight_valid(0));
  assert_false(goal_weight_valid(-1));
  assert_false(goal_weight_valid(100.0001));
  assert_false(goal_weight_valid(INFINITY));
  assert_false(goal_weight_valid(NAN));
}

static void check_accepts_a_title_only_goal(void **state) {
  (void)state;
  goal_text t = {0};
  t.title = "Read two books";
  rp_err e = {0};
  assert_int_equal(goal_check(&t, 1, &e), RP_OK);
  assert_int_equal(e.nfield, 0);
}

static void check_refuses_blank_title_long_texts_and_bad_weight(void **state) {
  (void)state;
  char long_level[GOAL_LEVEL_TEXT_MAX + 2];
  memset(long_level, 'x', sizeof long_level - 1);
  long_level[sizeof long_level - 1] = '\0';
  goal_text t = full_text();
  t.title = "  ";
  t.levels[4] = long_level;
  rp_err e = {0};
  assert_int_equal(goal_check(&t, 0, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 3);
  assert_string_equal(e.field[0].pointer, "/title");
  assert_string_equal(e.field[1].pointer, "/levels/2");
  assert_string_equal(e.field[2].pointer, "/weight");
}

static void status_names_round_trip(void **state) {
  (void)state;
  goal_status s;
  assert_true(goal_status_parse("achieved", &s));
  assert_int_equal(s, GOAL_ACHIEVED);
  assert_string_equal(goal_status_name(GOAL_DROPPED), "dropped");
  assert_false(goal_status_parse("done", &s));
}

static void status_change_to_the_same_status_conflicts(void **state) {
  (void)state;
  rp_err e = {0};
  assert_int_equal(goal_status_change(GOAL_ACTIVE, GOAL_ACTIVE, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "status_unchanged");
  assert_int_equal(goal_status_change(GOAL_ACHIEVED, GOAL_ACTIVE, NULL), RP_OK);
  assert_int_equal(goal_status_change(GOAL_ACTIVE, GOAL_DROPPED, NULL), RP_OK);
}

static void milestone_title_must_be_present_and_short(void **state) {
  (void)state;
  char long_title[MILESTONE_TITLE_MAX + 2];
  memset(long_title, 'm', sizeof long_title - 1);
  long_title[sizeof long_title - 1] = '\0';
  rp_err e = {0};
  assert_int_equal(milestone_check("First talk", &e), RP_OK);
  assert_int_equal(milestone_check(" ", &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/title");
  assert_int_equal(milestone_check(long_title, NULL), RP_ERR_INVALID);
}

static void review_keys_are_canonical_positive_ids(void **state) {
  (void)state;
  int64_t id = 0;
  assert_true(goal_review_key_parse("1", &id));
  assert_int_equal(id, 1);
  assert_true(goal_review_key_parse("9223372036854775807", &id));
  assert_int_equal(id, INT64_MAX);
  const char *bad[] = {"0", "01", "+1", "-1", "1.0", "1a", "", "9223372036854775808", NULL};
  for (int i = 0; bad[i]; i++)
    assert_false(goal_review_key_parse(bad[i], &id));
}

/* Goals 10 (weight 2) and 11 (weight 1) are active, created at 1000. */
static const goal active_goals[] = {
    {10, 1, 5, 1000, GOAL_NO_DUE, 2.0, GOAL_ACTIVE},
    {11, 1, 5, 1000, GOAL_NO_DUE, 1.0, GOAL_ACTIVE},
};

static void review_check_fills_weights_of_active_goals(void **state) {
  (void)state;
  const goal_review_level lv[] = {{11, -1}, {10, 2}};
  double w[2] = {0, 0};
  rp_err e = {0};
  assert_int_equal(goal_review_check(lv, 2, active_goals, 2, 2000, w, &e), RP_OK);
  assert_float_equal(w[0], 1.0, 0);
  assert_float_equal(w[1], 2.0, 0);
}

static void review_check_points_at_unknown_goal_ids(void **state) {
  (void)state;
  const goal_review_level lv[] = {{10, 0}, {12, 1}, {99, 0}};
  double w[3];
  rp_err e = {0};
  assert_int_equal(goal_review_check(lv, 3, active_goals, 2, 2000, w, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/levels/12");
  assert_string_equal(e.field[1].pointer, "/levels/99");
}

static void review_check_refuses_levels_outside_minus_two_to_two(void **state) {
  (void)state;
  const goal_review_level lv[] = {{10, 3}, {11, -3}};
  double w[2];
  rp_err e = {0};
  assert_int_equal(goal_review_check(lv, 2, active_goals, 2, 2000, w, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/levels/10");
  assert_string_equal(e.field[1].pointer, "/levels/11");
}

static void review_check_refuses_goals_added_after_the_review(void **state) {
  (void)state;
  const goal_review_level lv[] = {{10, 0}};
  double w[1];
  rp_err e = {0};
  assert_int_equal(goal_review_check(lv, 1, active_goals, 2, 999, w, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/levels/10");
  rp_err_reset(&e);
  assert_int_equal(goal_review_check(lv, 1, active_goals, 2, 1000, w, &e), RP_OK);
}

static void review_check_needs_at_least_one_goal_named_once(void **state) {
  (void)state;
  double w[2];
  rp_err e = {0};
  assert_int_equal(goal_review_check(NULL, 0, active_goals, 2, 2000, w, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/levels");
  const goal_review_level twice[] = {{10, 0}, {10, 1}};
  rp_err_reset(&e);
  assert_int_equal(goal_review_check(twice, 2, active_goals, 2, 2000, w, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/levels/10");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hints_empty_for_a_complete_goal),
      cmocka_unit_test(hints_name_missing_smart_parts_in_order),
      cmocka_unit_test(hints_name_each_undescribed_level),
      cmocka_unit_test(hints_list_all_ten_for_a_title_only_goal),
      cmocka_unit_test(level_keys_parse_exactly_minus_two_to_two),
      cmocka_unit_test(weight_must_be_above_zero_and_at_most_100),
      cmocka_unit_test(check_accepts_a_title_only_goal),
      cmocka_unit_test(check_refuses_blank_title_long_texts_and_bad_weight),
      cmocka_unit_test(status_names_round_trip),
      cmocka_unit_test(status_change_to_the_same_status_conflicts),
      cmocka_unit_test(milestone_title_must_be_present_and_short),
      cmocka_unit_test(review_keys_are_canonical_positive_ids),
      cmocka_unit_test(review_check_fills_weights_of_active_goals),
      cmocka_unit_test(review_check_points_at_unknown_goal_ids),
      cmocka_unit_test(review_check_refuses_levels_outside_minus_two_to_two),
      cmocka_unit_test(review_check_refuses_goals_added_after_the_review),
      cmocka_unit_test(review_check_needs_at_least_one_goal_named_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
