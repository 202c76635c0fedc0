/* test_health.c: k-anonymity and complementary suppression of program
 * health (app_health_suppress, TRUST-MODEL.md 7). Group 0 is the program,
 * the others its guides (a partition of it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/trust/trust.h"

#define K 5

/* Groups whose every cell rests on units[i] units, with the program's the
 * sum of its guides' (units[0] when there are no guides); values are 1 + i
 * so that hiding can be seen. */
static void groups_with(app_health_group *g, const size_t *units, size_t nguides) {
  memset(g, 0, sizeof *g * (nguides + 1));
  size_t total = nguides ? 0 : units[0];
  for (size_t i = 0; i < nguides; i++) total += units[i];
  for (size_t i = 0; i <= nguides; i++) {
    g[i].is_program = i == 0;
    for (int c = 0; c < HEALTH_NCELL; c++) {
      g[i].cell[c].units = i == 0 ? total : units[i - 1];
      g[i].cell[c].value = 1.0 + (double)i;
    }
  }
}

static void cohort_of_four_is_hidden_with_the_smallest_other_cohort(void **state) {
  (void)state;
  app_health_group g[4];
  const size_t units[] = {4, 6, 5};
  groups_with(g, units, 3);
  app_health_suppress(g, 4, K, NULL);
  for (int c = 0; c < HEALTH_NCELL; c++) {
    assert_int_equal(g[0].cell[c].hidden, HEALTH_SHOWN);
    assert_int_equal(g[1].cell[c].hidden, HEALTH_FEWER_THAN_K);
    assert_int_equal(g[2].cell[c].hidden, HEALTH_SHOWN);
    assert_int_equal(g[3].cell[c].hidden, HEALTH_COMPLEMENTARY);
  }
  assert_float_equal(g[1].cell[HEALTH_PULSE].value, 0.0, 0);
  assert_float_equal(g[3].cell[HEALTH_PULSE].value, 0.0, 0);
  assert_float_equal(g[2].cell[HEALTH_PULSE].value, 3.0, 0);
}

static void two_small_cohorts_hidden_together_need_no_complement_when_they_reach_k(void **state) {
  (void)state;
  app_health_group g[4];
  const size_t units[] = {2, 3, 10};
  groups_with(g, units, 3);
  app_health_suppress(g, 4, K, NULL);
  assert_int_equal(g[1].cell[HEALTH_FOLLOW].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[2].cell[HEALTH_FOLLOW].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[3].cell[HEALTH_FOLLOW].hidden, HEALTH_SHOWN);
  assert_int_equal(g[0].cell[HEALTH_FOLLOW].hidden, HEALTH_SHOWN);
}

static void hidden_cohorts_below_k_together_take_the_smallest_shown_one(void **state) {
  (void)state;
  app_health_group g[5];
  const size_t units[] = {1, 2, 12, 10};
  groups_with(g, units, 4);
  app_health_suppress(g, 5, K, NULL);
  assert_int_equal(g[1].cell[HEALTH_WARNINGS].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[2].cell[HEALTH_WARNINGS].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[3].cell[HEALTH_WARNINGS].hidden, HEALTH_SHOWN);
  assert_int_equal(g[4].cell[HEALTH_WARNINGS].hidden, HEALTH_COMPLEMENTARY);
}

static void only_cohort_hidden_hides_the_program_figure(void **state) {
  (void)state;
  app_health_group g[2];
  const size_t units[] = {8};
  groups_with(g, units, 1);
  bool hidden[2] = {false, true}; /* the guide rated by too few learners */
  app_health_suppress(g, 2, K, hidden);
  assert_int_equal(g[1].cell[HEALTH_CADENCE].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[0].cell[HEALTH_CADENCE].hidden, HEALTH_COMPLEMENTARY);
}

static void guide_rated_by_too_few_is_hidden_whatever_its_size(void **state) {
  (void)state;
  app_health_group g[4];
  const size_t units[] = {9, 7, 8};
  groups_with(g, units, 3);
  bool hidden[4] = {false, true, false, false};
  app_health_suppress(g, 4, K, hidden);
  assert_int_equal(g[1].cell[HEALTH_TRUST_INDEX].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[2].cell[HEALTH_TRUST_INDEX].hidden, HEALTH_COMPLEMENTARY);
  assert_int_equal(g[3].cell[HEALTH_TRUST_INDEX].hidden, HEALTH_SHOWN);
}

static void empty_cohort_gives_nothing_away_and_forces_no_complement(void **state) {
  (void)state;
  app_health_group g[4];
  const size_t units[] = {6, 7, 8};
  groups_with(g, units, 3);
  g[1].cell[HEALTH_FOLLOW].units = 0;
  g[0].cell[HEALTH_FOLLOW].units = 15;
  app_health_suppress(g, 4, K, NULL);
  assert_int_equal(g[1].cell[HEALTH_FOLLOW].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[2].cell[HEALTH_FOLLOW].hidden, HEALTH_SHOWN);
  assert_int_equal(g[3].cell[HEALTH_FOLLOW].hidden, HEALTH_SHOWN);
}

static void program_below_k_hides_every_cohort(void **state) {
  (void)state;
  app_health_group g[3];
  const size_t units[] = {2, 2};
  groups_with(g, units, 2);
  app_health_suppress(g, 3, K, NULL);
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(g[i].cell[HEALTH_PULSE].hidden, HEALTH_FEWER_THAN_K);
}

static void hidden_item_hides_the_pulse_mean_and_every_item(void **state) {
  (void)state;
  app_health_group g[1];
  const size_t units[] = {6};
  groups_with(g, units, 0);
  g[0].cell[HEALTH_PULSE].units = 6;
  for (int i = 0; i < APP_HEALTH_NITEM; i++) g[0].cell[HEALTH_ITEM0 + i].units = 6;
  g[0].cell[HEALTH_ITEM0 + 3].units = 4; /* INT2 answered by four */
  app_health_suppress(g, 1, K, NULL);
  assert_int_equal(g[0].cell[HEALTH_ITEM0 + 3].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[0].cell[HEALTH_PULSE].hidden, HEALTH_COMPLEMENTARY);
  assert_int_equal(g[0].cell[HEALTH_ITEM0].hidden, HEALTH_COMPLEMENTARY);
  assert_int_equal(g[0].cell[HEALTH_PULSE_TREND].hidden, HEALTH_COMPLEMENTARY);
  assert_int_equal(g[0].cell[HEALTH_FOLLOW].hidden, HEALTH_SHOWN);
}

static void trend_needs_both_periods_and_its_figure(void **state) {
  (void)state;
  app_health_group g[1];
  const size_t units[] = {6};
  groups_with(g, units, 0);
  g[0].cell[HEALTH_CADENCE_TREND].units = 3; /* the period before had three */
  g[0].cell[HEALTH_FOLLOW].units = 4;        /* the figure itself too few */
  app_health_suppress(g, 1, K, NULL);
  assert_int_equal(g[0].cell[HEALTH_CADENCE].hidden, HEALTH_SHOWN);
  assert_int_equal(g[0].cell[HEALTH_CADENCE_TREND].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[0].cell[HEALTH_FOLLOW].hidden, HEALTH_FEWER_THAN_K);
  assert_int_equal(g[0].cell[HEALTH_FOLLOW_TREND].hidden, HEALTH_COMPLEMENTARY);
}

static void reasons_read_as_the_api_says_them(void **state) {
  (void)state;
  assert_string_equal(app_health_reason_text(HEALTH_FEWER_THAN_K), "fewer than k");
  assert_string_equal(app_health_reason_text(HEALTH_COMPLEMENTARY), "complementary");
  assert_null(app_health_reason_text(HEALTH_SHOWN));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cohort_of_four_is_hidden_with_the_smallest_other_cohort),
      cmocka_unit_test(two_small_cohorts_hidden_together_need_no_complement_when_they_reach_k),
      cmocka_unit_test(hidden_cohorts_below_k_together_take_the_smallest_shown_one),
      cmocka_unit_test(only_cohort_hidden_hides_the_program_figure),
      cmocka_unit_test(guide_rated_by_too_few_is_hidden_whatever_its_size),
      cmocka_unit_test(empty_cohort_gives_nothing_away_and_forces_no_complement),
      cmocka_unit_test(program_below_k_hides_every_cohort),
      cmocka_unit_test(hidden_item_hides_the_pulse_mean_and_every_item),
      cmocka_unit_test(trend_needs_both_periods_and_its_figure),
      cmocka_unit_test(reasons_read_as_the_api_says_them),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
