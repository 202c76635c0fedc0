/* test_circle.c: the pure rules of circles: states, size, attendance and
 * kinds, who reads what (leaving ends access to what comes after). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/circle.h"

static void moves_are_those_of_a_relationship(void **state) {
  (void)state;
  assert_true(circle_transition_allowed(REL_ACTIVE, REL_PAUSED));
  assert_true(circle_transition_allowed(REL_PAUSED, REL_ACTIVE));
  assert_true(circle_transition_allowed(REL_ACTIVE, REL_COMPLETED));
  assert_true(circle_transition_allowed(REL_PROPOSED, REL_ENDED));
  assert_false(circle_transition_allowed(REL_PROPOSED, REL_ACTIVE)); /* by accepting only */
  assert_false(circle_transition_allowed(REL_ENDED, REL_ACTIVE));
  assert_false(circle_transition_allowed(REL_COMPLETED, REL_PAUSED));
  assert_true(circle_allows_writing(REL_ACTIVE));
  assert_false(circle_allows_writing(REL_PAUSED));
}

static void three_to_eight_members(void **state) {
  (void)state;
  for (size_t n = 0; n < 11; n++) {
    rp_err e = {0};
    bool ok = circle_size_check(n, "/member_ids", &e) == RP_OK;
    assert_int_equal(ok, n >= 3 && n <= 8);
    if (!ok) assert_string_equal(e.field[0].pointer, "/member_ids");
  }
}

static void names_round_trip(void **state) {
  (void)state;
  for (int i = 0; i < CIRCLE_ATTENDANCE_COUNT; i++) {
    circle_attendance a;
    assert_true(circle_attendance_parse(circle_attendance_name((circle_attendance)i), &a));
    assert_int_equal(a, i);
  }
  for (int i = 0; i < CIRCLE_ITEM_KIND_COUNT; i++) {
    circle_item_kind k;
    assert_true(circle_item_kind_parse(circle_item_kind_name((circle_item_kind)i), &k));
    assert_int_equal(k, i);
    assert_true(circle_item_seal_kind(k) > 0);
  }
  circle_attendance a;
  assert_false(circle_attendance_parse("absent", &a));
  assert_true(circle_attended(CIRCLE_LATE));
  assert_false(circle_attended(CIRCLE_ABSENT_WITH_NOTICE));
  for (int i = 0; i < CIRCLE_WARNING_COUNT; i++) {
    circle_warning w;
    assert_true(circle_warning_parse(circle_warning_of((circle_warning)i)->code, &w));
    assert_int_equal(w, i);
    assert_non_null(circle_warning_of(w)->questions[1]);
  }
}

static void what_was_written_while_in_the_circle(void **state) {
  (void)state;
  circle_place in = {true, CIRCLE_MEMBER, 100, 0};
  circle_place left = {true, CIRCLE_MEMBER, 100, 200};
  circle_place never = {false, CIRCLE_MEMBER, 0, 0};
  assert_true(circle_text_readable(&in, 7, 8, true, 150));
  assert_false(circle_text_readable(&in, 7, 8, true, 50));  /* before joining */
  assert_true(circle_text_readable(&in, 7, 7, true, 50));   /* ... unless their own */
  assert_true(circle_text_readable(&left, 7, 8, true, 199));
  assert_false(circle_text_readable(&left, 7, 8, true, 200)); /* written as they left */
  assert_false(circle_text_readable(&left, 7, 8, true, 300));
  assert_false(circle_text_readable(&in, 7, 8, false, 150)); /* another's private note */
  assert_true(circle_text_readable(&in, 7, 7, false, 150));
  assert_false(circle_text_readable(&never, 7, 8, true, 150));
  assert_true(circle_is_current(&in));
  assert_false(circle_is_current(&left));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(moves_are_those_of_a_relationship),
      cmocka_unit_test(three_to_eight_members),
      cmocka_unit_test(names_round_trip),
      cmocka_unit_test(what_was_written_while_in_the_circle),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
