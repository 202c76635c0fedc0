/* test_f360.c: the rules of 360 feedback (domain/f360.h): merging small
 * groups into "others", k-anonymity with complementary suppression over
 * the rater groups, members as the units, gaps and the reflection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/f360.h"

static f360_answer A(f360_group g, bool member, int r0, int r1, int r2, int r3, int r4, int r5,
                     int r6) {
  f360_answer a = {g, member, {r0, r1, r2, r3, r4, r5, r6}};
  return a;
}

#define ROW(g) F360_ROW(g)

static void three_peers_and_three_colleagues_are_shown_with_exact_means(void **state) {
  (void)state;
  f360_answer a[] = {
      A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 4),       A(F360_PEER, true, 5, 3, 4, 4, 4, 2, 4),
      A(F360_PEER, true, 3, 2, 4, 4, 4, 3, 4),       A(F360_COLLEAGUE, true, 2, 2, 2, 2, 2, 2, 2),
      A(F360_COLLEAGUE, true, 3, 3, 3, 3, 3, 3, 3), A(F360_COLLEAGUE, true, 1, 1, 1, 1, 1, 1, 1),
  };
  int self[F360_NITEM] = {5, 5, 5, 5, 5, 1, 0};
  f360_figures f;
  f360_figure(a, 6, self, 3, &f);
  assert_int_equal(f.k, 3);
  assert_int_equal(f.answers[F360_ALL], 6);
  assert_int_equal(f.answers[ROW(F360_PEER)], 3);
  assert_int_equal(f.answers[ROW(F360_COLLEAGUE)], 3);
  assert_false(f.merged[F360_PEER]);
  assert_true(f.shown[ROW(F360_PEER)] && f.shown[ROW(F360_COLLEAGUE)] && f.shown[F360_ALL]);
  assert_float_equal(f.cell[ROW(F360_PEER)][0].mean, 4.0, 1e-9);
  assert_float_equal(f.cell[ROW(F360_PEER)][1].mean, 3.0, 1e-9);
  assert_float_equal(f.cell[ROW(F360_COLLEAGUE)][0].mean, 2.0, 1e-9);
  assert_float_equal(f.cell[F360_ALL][0].mean, 3.0, 1e-9);
  assert_float_equal(f.cell[F360_ALL][5].mean, 2.5, 1e-9);
  /* gaps: self minus every rater, where self rated */
  assert_true(f.has_gap[0]);
  assert_float_equal(f.gap[0], 2.0, 1e-9);
  assert_float_equal(f.gap[5], -1.5, 1e-9);
  assert_false(f.has_gap[6]);
  /* the lowest items: EMP1 (2.5), then REL2 (15/6 = 2.5 as well, later) */
  size_t low[F360_REFLECT_ITEMS];
  assert_int_equal(f360_reflection(&f, self, low), 2);
  assert_int_equal(low[0], 1); /* REL2: 2.5, ties in item order */
  assert_int_equal(low[1], 5); /* EMP1: 2.5 */
  assert_string_equal(f360_item_at(low[0])->practice, "reply-within-window");
}

static void a_group_of_two_is_merged_and_its_complement_hidden(void **state) {
  (void)state;
  f360_answer a[] = {
      A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 4), A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 4),
      A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 4), A(F360_COLLEAGUE, true, 1, 1, 1, 1, 1, 1, 1),
      A(F360_GUIDE, true, 2, 2, 2, 2, 2, 2, 2),
  };
  f360_figures f;
  f360_figure(a, 5, NULL, 3, &f);
  assert_true(f.merged[F360_COLLEAGUE]);
  assert_true(f.merged[F360_GUIDE]);
  assert_int_equal(f.answers[ROW(F360_OTHER)], 2);
  for (int j = 0; j < F360_NITEM; j++) {
    assert_int_equal(f.cell[ROW(F360_OTHER)][j].k.hidden, KANON_FEWER_THAN_K);
    assert_int_equal(f.cell[ROW(F360_PEER)][j].k.hidden, KANON_COMPLEMENTARY);
    assert_int_equal(f.cell[F360_ALL][j].k.hidden, KANON_SHOWN);
    assert_float_equal(f.cell[ROW(F360_PEER)][j].mean, 0, 0); /* hidden keeps no figure */
    assert_float_equal(f.cell[F360_ALL][j].mean, 3.0, 1e-9);  /* (12 + 1 + 2) / 5 */
  }
  assert_false(f.shown[ROW(F360_PEER)]);
}

static void outside_raters_never_count_for_a_member(void **state) {
  (void)state;
  /* two links (the requester may have answered them) and one member */
  f360_answer a[] = {
      A(F360_PEER, false, 3, 3, 3, 3, 3, 3, 3), A(F360_PEER, false, 3, 3, 3, 3, 3, 3, 3),
      A(F360_PEER, true, 1, 2, 3, 4, 5, 1, 2),
  };
  f360_figures f;
  f360_figure(a, 3, NULL, 3, &f);
  assert_true(f.merged[F360_PEER]); /* one member: below k */
  for (int j = 0; j < F360_NITEM; j++) {
    assert_int_equal(f.cell[F360_ALL][j].k.units, 1);
    assert_int_equal(f.cell[F360_ALL][j].k.hidden, KANON_FEWER_THAN_K);
  }
  /* three links and no member rest on the links */
  f360_answer b[] = {
      A(F360_COLLEAGUE, false, 2, 2, 2, 2, 2, 2, 2), A(F360_COLLEAGUE, false, 3, 3, 3, 3, 3, 3, 3),
      A(F360_COLLEAGUE, false, 4, 4, 4, 4, 4, 4, 4),
  };
  f360_figure(b, 3, NULL, 3, &f);
  assert_int_equal(f.cell[ROW(F360_COLLEAGUE)][0].k.hidden, KANON_SHOWN);
  assert_float_equal(f.cell[ROW(F360_COLLEAGUE)][0].mean, 3.0, 1e-9);
}

static void cant_say_lowers_an_items_units(void **state) {
  (void)state;
  f360_answer a[] = {
      A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 0), A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 5),
      A(F360_PEER, true, 4, 4, 4, 4, 4, 4, 5),
  };
  f360_figures f;
  f360_figure(a, 3, NULL, 3, &f);
  assert_int_equal(f.cell[ROW(F360_PEER)][6].k.units, 2);
  assert_int_equal(f.cell[ROW(F360_PEER)][6].k.hidden, KANON_FEWER_THAN_K);
  assert_int_equal(f.cell[F360_ALL][6].k.hidden, KANON_FEWER_THAN_K);
  assert_int_equal(f.cell[ROW(F360_PEER)][0].k.hidden, KANON_SHOWN);
}

static void k_is_never_below_three(void **state) {
  (void)state;
  f360_answer a[] = {A(F360_PEER, true, 5, 5, 5, 5, 5, 5, 5),
                     A(F360_PEER, true, 5, 5, 5, 5, 5, 5, 5)};
  f360_figures f;
  f360_figure(a, 2, NULL, 1, &f);
  assert_int_equal(f.k, 3);
  assert_false(f.shown[F360_ALL]);
}

static void the_reflection_falls_back_on_the_self_assessment(void **state) {
  (void)state;
  f360_figures f;
  f360_figure(NULL, 0, NULL, 3, &f);
  int self[F360_NITEM] = {4, 2, 5, 3, 0, 4, 4};
  size_t low[F360_REFLECT_ITEMS];
  assert_int_equal(f360_reflection(&f, self, low), 2);
  assert_int_equal(low[0], 1);
  assert_int_equal(low[1], 3);
  int high[F360_NITEM] = {4, 4, 5, 5, 4, 4, 5};
  assert_int_equal(f360_reflection(&f, high, low), 0); /* nothing below 4 */
}

static void ratings_and_groups_parse_strictly(void **state) {
  (void)state;
  rp_err e = {0};
  int ok[F360_NITEM] = {1, 0, 5, 3, 0, 0, 0};
  assert_int_equal(f360_ratings_check(ok, true, &e), RP_OK);
  int bad[F360_NITEM] = {1, 6, 5, 3, 0, 0, 0};
  assert_int_equal(f360_ratings_check(bad, false, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/ratings/1");
  rp_err_reset(&e);
  int none[F360_NITEM] = {0};
  assert_int_equal(f360_ratings_check(none, false, &e), RP_OK);
  assert_int_equal(f360_ratings_check(none, true, &e), RP_ERR_INVALID);
  f360_group g;
  assert_true(f360_group_parse("colleagues", &g));
  assert_int_equal(g, F360_COLLEAGUE);
  assert_false(f360_group_parse("friends", &g));
  assert_true(f360_rerate_blocked(0, 364LL * 86400));
  assert_false(f360_rerate_blocked(0, 365LL * 86400));
  for (size_t i = 0; i < F360_NITEM; i++)
    assert_non_null(practice_by_slug(f360_item_at(i)->practice));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(three_peers_and_three_colleagues_are_shown_with_exact_means),
      cmocka_unit_test(a_group_of_two_is_merged_and_its_complement_hidden),
      cmocka_unit_test(outside_raters_never_count_for_a_member),
      cmocka_unit_test(cant_say_lowers_an_items_units),
      cmocka_unit_test(k_is_never_below_three),
      cmocka_unit_test(the_reflection_falls_back_on_the_self_assessment),
      cmocka_unit_test(ratings_and_groups_parse_strictly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
