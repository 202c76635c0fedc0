/* test_num.c: strict integer parsing (src/base/num.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/num.h"

static int64_t parse_ok(const char *s, int64_t lo, int64_t hi) {
  int64_t v = -12345;
  if (!rp_parse_i64(s, lo, hi, &v)) fail_msg("expected \"%s\" to parse", s);
  return v;
}

static void num_parses_plain_and_signed_integers(void **state) {
  (void)state;
  assert_int_equal(parse_ok("0", INT64_MIN, INT64_MAX), 0);
  assert_int_equal(parse_ok("42", INT64_MIN, INT64_MAX), 42);
  assert_int_equal(parse_ok("-7", INT64_MIN, INT64_MAX), -7);
  assert_int_equal(parse_ok("+5", INT64_MIN, INT64_MAX), 5);
}

static void num_leading_zeros_are_decimal_not_octal(void **state) {
  (void)state;
  assert_int_equal(parse_ok("010", 0, 100), 10);
  assert_int_equal(parse_ok("0009", 0, 100), 9);
}

static void num_bounds_are_inclusive(void **state) {
  (void)state;
  int64_t v;
  assert_int_equal(parse_ok("1", 1, 100), 1);
  assert_int_equal(parse_ok("100", 1, 100), 100);
  assert_false(rp_parse_i64("0", 1, 100, &v));
  assert_false(rp_parse_i64("101", 1, 100, &v));
  assert_false(rp_parse_i64("-1", 0, 10, &v));
}

static void num_reaches_the_int64_limits(void **state) {
  (void)state;
  assert_true(parse_ok("9223372036854775807", INT64_MIN, INT64_MAX) == INT64_MAX);
  assert_true(parse_ok("-9223372036854775808", INT64_MIN, INT64_MAX) == INT64_MIN);
}

static void num_refuses_overflow(void **state) {
  (void)state;
  int64_t v = 3;
  assert_false(rp_parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v));
  assert_false(rp_parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v));
  assert_false(rp_parse_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v));
  assert_int_equal(v, 3);
}

static void num_refuses_anything_but_digits(void **state) {
  (void)state;
  static const char *const bad[] = {
      "", " 1", "1 ", "1a", "a1", "0x10", "1.0", "1e3", "-", "+", "--1", "+-1", "-+1",
      "\t7", "7\n", "١", /* Arabic-Indic digit one */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t v = 3;
    if (rp_parse_i64(bad[i], INT64_MIN, INT64_MAX, &v)) fail_msg("\"%s\" should be refused", bad[i]);
    assert_int_equal(v, 3); /* untouched on failure */
  }
  int64_t v;
  assert_false(rp_parse_i64(NULL, INT64_MIN, INT64_MAX, &v));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(num_parses_plain_and_signed_integers),
      cmocka_unit_test(num_leading_zeros_are_decimal_not_octal),
      cmocka_unit_test(num_bounds_are_inclusive),
      cmocka_unit_test(num_reaches_the_int64_limits),
      cmocka_unit_test(num_refuses_overflow),
      cmocka_unit_test(num_refuses_anything_but_digits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
