/* test_strbuf.c: the capped growable buffer (src/base/strbuf.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/strbuf.h"

static void strbuf_starts_empty_and_unfailed(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 100);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, 100);
  assert_false(b.failed);
  sb_free(&b);
}

static void strbuf_appends_and_keeps_nul_terminated(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 100);
  assert_int_equal(sb_append(&b, "abc", 3), 0);
  assert_int_equal(sb_puts(&b, "def"), 0);
  assert_int_equal(sb_printf(&b, "-%d-%s", 42, "x"), 0);
  assert_int_equal(b.len, 11);
  assert_string_equal(b.data, "abcdef-42-x");
  assert_int_equal(b.data[b.len], '\0');
  sb_free(&b);
}

static void strbuf_keeps_binary_bytes(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 16);
  const char bytes[4] = {'a', '\0', 'b', '\0'};
  assert_int_equal(sb_append(&b, bytes, 4), 0);
  assert_int_equal(b.len, 4);
  assert_memory_equal(b.data, bytes, 4);
  sb_free(&b);
}

static void strbuf_fills_exactly_to_the_cap(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 10);
  assert_int_equal(sb_append(&b, "12345", 5), 0);
  assert_int_equal(sb_append(&b, "67890", 5), 0);
  assert_int_equal(b.len, 10);
  assert_false(b.failed);
  assert_string_equal(b.data, "1234567890");
  sb_free(&b);
}

static void strbuf_one_byte_past_the_cap_fails_and_frees(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 10);
  assert_int_equal(sb_append(&b, "1234567890", 10), 0);
  assert_int_equal(sb_append(&b, "x", 1), -1);
  assert_true(b.failed);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  sb_free(&b);
}

static void strbuf_single_append_larger_than_cap_fails(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 4);
  assert_int_equal(sb_append(&b, "12345", 5), -1);
  assert_true(b.failed);
  assert_null(b.data);
  sb_free(&b);
}

static void strbuf_stays_failed_for_every_later_append(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 4);
  assert_int_equal(sb_puts(&b, "too long"), -1);
  assert_int_equal(sb_append(&b, "a", 1), -1);
  assert_int_equal(sb_append(&b, "", 0), -1);
  assert_int_equal(sb_puts(&b, "b"), -1);
  assert_int_equal(sb_printf(&b, "%d", 1), -1);
  assert_true(b.failed);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  sb_free(&b);
}

static void strbuf_printf_past_the_cap_fails(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 8);
  assert_int_equal(sb_printf(&b, "%s", "1234"), 0);
  assert_int_equal(sb_printf(&b, "%05d", 42), -1);
  assert_true(b.failed);
  assert_null(b.data);
  sb_free(&b);
}

static void strbuf_printf_longer_than_its_stack_buffer(void **state) {
  (void)state;
  char big[1001];
  memset(big, 'q', 1000);
  big[1000] = '\0';
  strbuf b;
  sb_init(&b, 4096);
  assert_int_equal(sb_printf(&b, "<%s>", big), 0);
  assert_int_equal(b.len, 1002);
  assert_int_equal(b.data[0], '<');
  assert_int_equal(b.data[1], 'q');
  assert_int_equal(b.data[1000], 'q');
  assert_int_equal(b.data[1001], '>');
  assert_int_equal(b.data[1002], '\0');
  sb_free(&b);
}

static void strbuf_grows_keeping_earlier_content(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 1 << 20);
  for (int i = 0; i < 10000; i++) assert_int_equal(sb_printf(&b, "%04d", i % 10000), 0);
  assert_int_equal(b.len, 40000);
  assert_memory_equal(b.data, "000000010002", 12);
  assert_memory_equal(b.data + 39996, "9999", 4);
  assert_true(b.alloc > b.len);
  sb_free(&b);
}

static void strbuf_zero_cap_refuses_any_byte(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 0);
  assert_int_equal(sb_append(&b, "a", 1), -1);
  assert_true(b.failed);
  sb_free(&b);
}

static void strbuf_free_leaves_an_empty_buffer(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 64);
  assert_int_equal(sb_puts(&b, "hello"), 0);
  sb_free(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.alloc, 0);
  sb_free(&b); /* twice is harmless */
}

static void path_beside_replaces_the_ending_or_appends(void **state) {
  (void)state;
  char *p = rp_path_beside("/var/lib/rapport.db", ".db", ".audit.db", ".audit");
  assert_string_equal(p, "/var/lib/rapport.audit.db");
  free(p);
  p = rp_path_beside("data/store", ".db", ".audit.db", ".audit");
  assert_string_equal(p, "data/store.audit");
  free(p);
  p = rp_path_beside(".db", ".db", ".key", ".key"); /* nothing but the ending */
  assert_string_equal(p, ".db.key");
  free(p);
  p = rp_path_beside("x.key", ".key", ".destroyed", ".destroyed");
  assert_string_equal(p, "x.destroyed");
  free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(strbuf_starts_empty_and_unfailed),
      cmocka_unit_test(strbuf_appends_and_keeps_nul_terminated),
      cmocka_unit_test(strbuf_keeps_binary_bytes),
      cmocka_unit_test(strbuf_fills_exactly_to_the_cap),
      cmocka_unit_test(strbuf_one_byte_past_the_cap_fails_and_frees),
      cmocka_unit_test(strbuf_single_append_larger_than_cap_fails),
      cmocka_unit_test(strbuf_stays_failed_for_every_later_append),
      cmocka_unit_test(strbuf_printf_past_the_cap_fails),
      cmocka_unit_test(strbuf_printf_longer_than_its_stack_buffer),
      cmocka_unit_test(strbuf_grows_keeping_earlier_content),
      cmocka_unit_test(strbuf_zero_cap_refuses_any_byte),
      cmocka_unit_test(strbuf_free_leaves_an_empty_buffer),
      cmocka_unit_test(path_beside_replaces_the_ending_or_appends),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
