/* test_kanon.c: k-anonymous release over a partition (domain/kanon.h):
 * row 0 is the whole, the other rows its parts, one column per figure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/kanon.h"

static void cells_below_k_are_hidden_and_the_smallest_shown_part_with_them(void **state) {
  (void)state;
  kanon_cell c[4] = {{12, KANON_SHOWN}, {2, KANON_SHOWN}, {6, KANON_SHOWN}, {4, KANON_SHOWN}};
  kanon_suppress(c, 4, 1, 3, NULL, NULL);
  assert_int_equal(c[0].hidden, KANON_SHOWN);
  assert_int_equal(c[1].hidden, KANON_FEWER_THAN_K);
  assert_int_equal(c[2].hidden, KANON_SHOWN);
  assert_int_equal(c[3].hidden, KANON_COMPLEMENTARY); /* 4 < 6: the smallest shown */
}

static void two_hidden_parts_resting_on_k_together_need_no_complement(void **state) {
  (void)state;
  kanon_cell c[4] = {{10, KANON_SHOWN}, {1, KANON_SHOWN}, {2, KANON_SHOWN}, {7, KANON_SHOWN}};
  kanon_suppress(c, 4, 1, 3, NULL, NULL);
  assert_int_equal(c[0].hidden, KANON_SHOWN);
  assert_int_equal(c[1].hidden, KANON_FEWER_THAN_K);
  assert_int_equal(c[2].hidden, KANON_FEWER_THAN_K);
  assert_int_equal(c[3].hidden, KANON_SHOWN);
}

static void two_hidden_parts_under_k_together_take_a_third(void **state) {
  (void)state;
  kanon_cell c[4] = {{10, KANON_SHOWN}, {1, KANON_SHOWN}, {1, KANON_SHOWN}, {8, KANON_SHOWN}};
  kanon_suppress(c, 4, 1, 3, NULL, NULL);
  assert_int_equal(c[3].hidden, KANON_COMPLEMENTARY);
  assert_int_equal(c[0].hidden, KANON_SHOWN); /* 10 units, hidden parts 10: safe */
}

static void with_no_part_left_to_hide_the_whole_goes(void **state) {
  (void)state;
  kanon_cell c[2] = {{2, KANON_SHOWN}, {2, KANON_SHOWN}};
  kanon_suppress(c, 2, 1, 3, NULL, NULL);
  assert_int_equal(c[0].hidden, KANON_FEWER_THAN_K);
  assert_int_equal(c[1].hidden, KANON_FEWER_THAN_K);
  /* a whole of 5 with one part of 1 and one of 4: the 4 goes with it */
  kanon_cell d[3] = {{5, KANON_SHOWN}, {1, KANON_SHOWN}, {4, KANON_SHOWN}};
  kanon_suppress(d, 3, 1, 3, NULL, NULL);
  assert_int_equal(d[0].hidden, KANON_SHOWN);
  assert_int_equal(d[2].hidden, KANON_COMPLEMENTARY);
}

static void a_hidden_whole_hides_every_part(void **state) {
  (void)state;
  kanon_cell c[3] = {{9, KANON_FEWER_THAN_K}, {4, KANON_SHOWN}, {5, KANON_SHOWN}};
  kanon_suppress(c, 3, 1, 3, NULL, NULL);
  assert_int_equal(c[1].hidden, KANON_COMPLEMENTARY);
  assert_int_equal(c[2].hidden, KANON_COMPLEMENTARY);
}

static void columns_are_suppressed_each_on_their_own(void **state) {
  (void)state;
  /* rows: whole, part A, part B; columns: x, y */
  kanon_cell c[6] = {{8, KANON_SHOWN}, {8, KANON_SHOWN}, {4, KANON_SHOWN},
                     {5, KANON_SHOWN}, {4, KANON_SHOWN}, {3, KANON_SHOWN}};
  kanon_suppress(c, 3, 2, 4, NULL, NULL);
  assert_int_equal(c[0].hidden, KANON_SHOWN); /* x of the whole */
  assert_int_equal(c[2].hidden, KANON_SHOWN); /* x of A: 4 */
  assert_int_equal(c[4].hidden, KANON_SHOWN); /* x of B: 4 */
  assert_int_equal(c[1].hidden, KANON_SHOWN); /* y of the whole: 8 */
  assert_int_equal(c[3].hidden, KANON_COMPLEMENTARY); /* y of A: 5, B's complement */
  assert_int_equal(c[5].hidden, KANON_FEWER_THAN_K);  /* y of B: 3 < 4 */
  assert_string_equal(kanon_reason_text(KANON_COMPLEMENTARY), "complementary");
  assert_null(kanon_reason_text(KANON_SHOWN));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cells_below_k_are_hidden_and_the_smallest_shown_part_with_them),
      cmocka_unit_test(two_hidden_parts_resting_on_k_together_need_no_complement),
      cmocka_unit_test(two_hidden_parts_under_k_together_take_a_third),
      cmocka_unit_test(with_no_part_left_to_hide_the_whole_goes),
      cmocka_unit_test(a_hidden_whole_hides_every_part),
      cmocka_unit_test(columns_are_suppressed_each_on_their_own),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
