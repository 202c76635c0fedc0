/* test_tzif.c: offsets from TZif data (base/tzif.h), on the copies of
 * Debian's Europe/Paris and UTC kept in the fuzz corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/tzif.h"

static unsigned char *slurp(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", RAPPORT_TZIF_CORPUS, name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  unsigned char *buf = malloc(1 << 16);
  *len = fread(buf, 1, 1 << 16, f);
  fclose(f);
  return buf;
}

static void paris_is_one_hour_east_in_winter_and_two_in_summer(void **state) {
  (void)state;
  size_t len;
  unsigned char *d = slurp("europe_paris", &len);
  int32_t off = 0;
  assert_true(tzif_offset(d, len, 1768478400, &off)); /* 2026-01-15T12:00Z */
  assert_int_equal(off, 3600);
  assert_true(tzif_offset(d, len, 1784116800, &off)); /* 2026-07-15T12:00Z */
  assert_int_equal(off, 7200);
  assert_true(tzif_offset(d, len, 1774746000 - 1, &off)); /* 2026-03-29T00:59:59Z */
  assert_int_equal(off, 3600);
  assert_true(tzif_offset(d, len, 1774746000, &off)); /* 01:00Z: summer time */
  assert_int_equal(off, 7200);
  free(d);
}

static void utc_is_zero_and_damaged_data_is_refused(void **state) {
  (void)state;
  size_t len;
  unsigned char *d = slurp("utc", &len);
  int32_t off = 99;
  assert_true(tzif_offset(d, len, 1768478400, &off));
  assert_int_equal(off, 0);
  assert_false(tzif_offset(d, len - 1 > 50 ? 50 : len - 1, 0, &off));
  d[0] = 'X';
  assert_false(tzif_offset(d, len, 0, &off));
  free(d);
}

static void zone_names_stay_in_the_zone_folder(void **state) {
  (void)state;
  assert_true(tzif_name_valid("Europe/Paris"));
  assert_true(tzif_name_valid("America/Argentina/Buenos_Aires"));
  assert_true(tzif_name_valid("Etc/GMT+5"));
  assert_true(tzif_name_valid("UTC"));
  assert_false(tzif_name_valid(""));
  assert_false(tzif_name_valid("../etc/passwd"));
  assert_false(tzif_name_valid("Europe/../../etc"));
  assert_false(tzif_name_valid("/etc/passwd"));
  assert_false(tzif_name_valid("Europe//Paris"));
  assert_false(tzif_name_valid("Europe/Paris/"));
  assert_false(tzif_name_valid("Europe/.hidden"));
  assert_false(tzif_name_valid("Europe/Par is"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(paris_is_one_hour_east_in_winter_and_two_in_summer),
      cmocka_unit_test(utc_is_zero_and_damaged_data_is_refused),
      cmocka_unit_test(zone_names_stay_in_the_zone_folder),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
