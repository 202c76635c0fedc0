/* test_timeutil.c: RFC 3339 and calendar-date parsing and formatting
 * (src/base/timeutil.h). Expected instants were computed independently
 * with Python's datetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/timeutil.h"

/* 2026-03-01T09:00:00Z */
#define T_2026_03_01_0900 ((rp_time)1772355600)

static rp_time parse_ok(const char *s) {
  rp_time t = -42;
  if (!rp_time_parse(s, &t)) fail_msg("expected \"%s\" to parse", s);
  return t;
}

static void time_parse_epoch_is_zero(void **state) {
  (void)state;
  assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
}

static void time_parse_utc_gives_exact_seconds(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-03-01T09:00:00Z"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-12-31T23:59:59Z"), 1798761599);
  assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), 253402300799);
}

static void time_parse_before_epoch_is_negative(void **state) {
  (void)state;
  assert_int_equal(parse_ok("1900-01-01T00:00:00Z"), -2208988800);
  assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), -1);
}

static void time_parse_accepts_lowercase_t_and_z(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-03-01t09:00:00z"), T_2026_03_01_0900);
}

static void time_parse_positive_offset_is_subtracted(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-03-01T10:30:00+01:30"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-03-01T09:00:00+00:00"), T_2026_03_01_0900);
}

static void time_parse_negative_offset_is_added(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-03-01T04:00:00-05:00"), T_2026_03_01_0900);
  /* An offset that crosses midnight backwards into the previous day. */
  assert_int_equal(parse_ok("2026-02-28T23:00:00-10:00"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-03-01T09:00:00-00:00"), T_2026_03_01_0900);
}

static void time_parse_offset_at_the_extremes(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-03-02T08:59:00+23:59"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-02-28T09:01:00-23:59"), T_2026_03_01_0900);
}

static void time_parse_truncates_fractions(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2026-03-01T09:00:00.999999Z"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-03-01T09:00:00.5+00:00"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-03-01T09:00:00.000000001Z"), T_2026_03_01_0900);
  assert_int_equal(parse_ok("2026-03-01T09:00:01.1Z"), T_2026_03_01_0900 + 1);
}

static void time_parse_refuses_empty_fraction(void **state) {
  (void)state;
  rp_time t;
  assert_false(rp_time_parse("2026-03-01T09:00:00.Z", &t));
  assert_false(rp_time_parse("2026-03-01T09:00:00.", &t));
  assert_false(rp_time_parse("2026-03-01T09:00:00.5", &t));
}

static void time_parse_leap_days_only_in_leap_years(void **state) {
  (void)state;
  rp_time t;
  assert_int_equal(parse_ok("2024-02-29T23:59:59Z"), 1709251199);
  assert_int_equal(parse_ok("2000-02-29T12:00:00Z"), 951825600); /* divisible by 400 */
  assert_false(rp_time_parse("2023-02-29T00:00:00Z", &t));
  assert_false(rp_time_parse("1900-02-29T00:00:00Z", &t)); /* divisible by 100, not 400 */
  assert_false(rp_time_parse("2100-02-29T00:00:00Z", &t));
  assert_false(rp_time_parse("2024-02-30T00:00:00Z", &t));
}

static void time_parse_leap_second_becomes_the_second_before(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2016-12-31T23:59:60Z"), parse_ok("2016-12-31T23:59:59Z"));
}

static void time_parse_refuses_impossible_dates(void **state) {
  (void)state;
  static const char *const bad[] = {
      "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z",
      "2026-01-32T00:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T00:00:00Z",
      "2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "1899-12-31T23:59:59Z",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rp_time t = 7;
    if (rp_time_parse(bad[i], &t)) fail_msg("\"%s\" should be refused", bad[i]);
    assert_int_equal(t, 7); /* untouched on failure */
  }
}

static void time_parse_refuses_impossible_times(void **state) {
  (void)state;
  static const char *const bad[] = {
      "2026-03-01T24:00:00Z", "2026-03-01T23:60:00Z", "2026-03-01T23:59:61Z",
      "2026-03-01T09:00:00+24:00", "2026-03-01T09:00:00+01:60",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rp_time t;
    if (rp_time_parse(bad[i], &t)) fail_msg("\"%s\" should be refused", bad[i]);
  }
}

static void time_parse_refuses_malformed_text(void **state) {
  (void)state;
  static const char *const bad[] = {
      "",
      "2026-03-01",
      "2026-03-01T09:00Z",         /* seconds are required */
      "2026-03-01T09:00:00",       /* a zone is required */
      "2026-03-01 09:00:00Z",      /* 'T', not a space */
      "2026-03-01T09:00:00Z ",     /* trailing text */
      "2026-03-01T09:00:00ZZ",
      " 2026-03-01T09:00:00Z",
      "2026-3-01T09:00:00Z",       /* two-digit month */
      "26-03-01T09:00:00Z",        /* four-digit year */
      "2026/03/01T09:00:00Z",
      "2026-03-01T9:00:00Z",
      "2026-03-01T09:00:00+0100",  /* the offset needs its colon */
      "2026-03-01T09:00:00+01",
      "2026-03-01T09:00:00UTC",
      "2026-03-01T09:00:00+01:00x",
      "+2026-03-01T09:00:00Z",
      "2026-03-01T09:00:0aZ",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rp_time t;
    if (rp_time_parse(bad[i], &t)) fail_msg("\"%s\" should be refused", bad[i]);
  }
  rp_time t;
  assert_false(rp_time_parse(NULL, &t));
}

static void time_format_writes_utc_with_z(void **state) {
  (void)state;
  char buf[RP_TIME_BUFSZ];
  assert_string_equal(rp_time_format(0, buf), "1970-01-01T00:00:00Z");
  assert_string_equal(rp_time_format(T_2026_03_01_0900, buf), "2026-03-01T09:00:00Z");
  assert_string_equal(rp_time_format(1709251199, buf), "2024-02-29T23:59:59Z");
  assert_string_equal(rp_time_format(253402300799, buf), "9999-12-31T23:59:59Z");
}

static void time_format_before_epoch(void **state) {
  (void)state;
  char buf[RP_TIME_BUFSZ];
  assert_string_equal(rp_time_format(-1, buf), "1969-12-31T23:59:59Z");
  assert_string_equal(rp_time_format(-86400, buf), "1969-12-31T00:00:00Z");
  assert_string_equal(rp_time_format(-86401, buf), "1969-12-30T23:59:59Z");
  assert_string_equal(rp_time_format(-2208988800, buf), "1900-01-01T00:00:00Z");
}

static void time_format_returns_its_buffer(void **state) {
  (void)state;
  char buf[RP_TIME_BUFSZ];
  assert_ptr_equal(rp_time_format(0, buf), buf);
}

/* The digits are written by hand; they must be what printf writes of
 * libc's own calendar (gmtime_r), for every instant from before year 0 to
 * past year 9999 (years modulo 10000, as before). */
static void time_and_date_format_write_what_printf_writes(void **state) {
  (void)state;
  for (int64_t t = -70000000000LL; t < 400000000000LL; t += 86400LL * 97 + 3671) {
    time_t tt = (time_t)t;
    struct tm tm;
    assert_non_null(gmtime_r(&tt, &tm));
    unsigned y = (unsigned)((long)tm.tm_year + 1900) % 10000u;
    char want[RP_TIME_BUFSZ], got[RP_TIME_BUFSZ], wdate[RP_DATE_BUFSZ], gdate[RP_DATE_BUFSZ];
    snprintf(want, sizeof want, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, (unsigned)tm.tm_mon + 1,
             (unsigned)tm.tm_mday, (unsigned)tm.tm_hour, (unsigned)tm.tm_min, (unsigned)tm.tm_sec);
    assert_string_equal(rp_time_format(t, got), want);
    int64_t days = t >= 0 ? t / RP_DAY : -((-t + RP_DAY - 1) / RP_DAY);
    snprintf(wdate, sizeof wdate, "%.10s", want);
    assert_string_equal(rp_date_format((int32_t)days, gdate), wdate);
  }
}

static void time_format_then_parse_round_trips(void **state) {
  (void)state;
  static const rp_time samples[] = {
      0, 1, -1, 59, 60, 3599, 3600, 86399, 86400, 951782400, 951868799, 1709164800,
      1709251199, 1709251200, T_2026_03_01_0900, 1798761599, 1798761600, -2208988800,
      253402300799,
  };
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    char buf[RP_TIME_BUFSZ];
    rp_time back = 0;
    rp_time_format(samples[i], buf);
    if (!rp_time_parse(buf, &back)) fail_msg("%s did not parse back", buf);
    assert_int_equal(back, samples[i]);
  }
}

static void time_round_trip_every_hour_across_a_leap_year(void **state) {
  (void)state;
  const rp_time start = 1703980800; /* 2023-12-31T00:00:00Z */
  for (rp_time t = start; t < start + 368 * RP_DAY; t += RP_HOUR + 7) {
    char buf[RP_TIME_BUFSZ];
    rp_time back = 0;
    assert_true(rp_time_parse(rp_time_format(t, buf), &back));
    assert_int_equal(back, t);
  }
}

static void date_parse_counts_days_from_epoch(void **state) {
  (void)state;
  int32_t d = 99;
  assert_true(rp_date_parse("1970-01-01", &d));
  assert_int_equal(d, 0);
  assert_true(rp_date_parse("2026-06-30", &d));
  assert_int_equal(d, 20634);
  assert_true(rp_date_parse("2024-02-29", &d));
  assert_int_equal(d, 19782);
  assert_true(rp_date_parse("1969-12-31", &d));
  assert_int_equal(d, -1);
  assert_true(rp_date_parse("1900-01-01", &d));
  assert_int_equal(d, -25567);
  assert_true(rp_date_parse("9999-12-31", &d));
  assert_int_equal(d, 2932896);
}

static void date_parse_refuses_invalid_dates(void **state) {
  (void)state;
  static const char *const bad[] = {
      "",           "2026-6-30",  "2026-06-31", "2023-02-29", "2100-02-29",
      "2026-00-01", "2026-13-01", "2026-01-00", "1899-12-31", "2026-06-30T00:00:00Z",
      "2026-06-30 ", "20260630",  "2026/06/30", "2026-06-3x",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int32_t d = 5;
    if (rp_date_parse(bad[i], &d)) fail_msg("\"%s\" should be refused", bad[i]);
    assert_int_equal(d, 5);
  }
  int32_t d;
  assert_false(rp_date_parse(NULL, &d));
}

static void date_format_and_parse_round_trip(void **state) {
  (void)state;
  char buf[RP_DATE_BUFSZ];
  assert_string_equal(rp_date_format(0, buf), "1970-01-01");
  assert_string_equal(rp_date_format(20634, buf), "2026-06-30");
  assert_string_equal(rp_date_format(-1, buf), "1969-12-31");
  assert_string_equal(rp_date_format(-25567, buf), "1900-01-01");
  for (int32_t d = -800; d < 25000; d += 13) {
    int32_t back = 0;
    assert_true(rp_date_parse(rp_date_format(d, buf), &back));
    assert_int_equal(back, d);
  }
}

static void date_and_time_agree_on_the_day(void **state) {
  (void)state;
  int32_t d;
  assert_true(rp_date_parse("2026-03-01", &d));
  assert_int_equal((rp_time)d * RP_DAY, parse_ok("2026-03-01T00:00:00Z"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(time_parse_epoch_is_zero),
      cmocka_unit_test(time_parse_utc_gives_exact_seconds),
      cmocka_unit_test(time_parse_before_epoch_is_negative),
      cmocka_unit_test(time_parse_accepts_lowercase_t_and_z),
      cmocka_unit_test(time_parse_positive_offset_is_subtracted),
      cmocka_unit_test(time_parse_negative_offset_is_added),
      cmocka_unit_test(time_parse_offset_at_the_extremes),
      cmocka_unit_test(time_parse_truncates_fractions),
      cmocka_unit_test(time_parse_refuses_empty_fraction),
      cmocka_unit_test(time_parse_leap_days_only_in_leap_years),
      cmocka_unit_test(time_parse_leap_second_becomes_the_second_before),
      cmocka_unit_test(time_parse_refuses_impossible_dates),
      cmocka_unit_test(time_parse_refuses_impossible_times),
      cmocka_unit_test(time_parse_refuses_malformed_text),
      cmocka_unit_test(time_format_writes_utc_with_z),
      cmocka_unit_test(time_format_before_epoch),
      cmocka_unit_test(time_format_returns_its_buffer),
      cmocka_unit_test(time_and_date_format_write_what_printf_writes),
      cmocka_unit_test(time_format_then_parse_round_trips),
      cmocka_unit_test(time_round_trip_every_hour_across_a_leap_year),
      cmocka_unit_test(date_parse_counts_days_from_epoch),
      cmocka_unit_test(date_parse_refuses_invalid_dates),
      cmocka_unit_test(date_format_and_parse_round_trip),
      cmocka_unit_test(date_and_time_agree_on_the_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
