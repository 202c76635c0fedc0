/* test_arena.c: request-scoped memory (src/base/arena.h). Under the ASan
 * build these tests also catch overruns between allocations. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"

static void arena_allocations_are_aligned_for_any_type(void **state) {
  (void)state;
  arena *a = arena_new(256);
  const size_t sizes[] = {1, 3, 7, 8, 9, 15, 16, 17, 33, 100, 255, 256, 257, 1000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    void *p = arena_alloc(a, sizes[i]);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
  }
  arena_free(a);
}

static void arena_allocations_do_not_overlap(void **state) {
  (void)state;
  arena *a = arena_new(128);
  unsigned char *p[64];
  for (int i = 0; i < 64; i++) {
    p[i] = arena_alloc(a, 24);
    memset(p[i], i, 24);
  }
  for (int i = 0; i < 64; i++)
    for (int k = 0; k < 24; k++) assert_int_equal(p[i][k], i);
  arena_free(a);
}

static void arena_serves_requests_larger_than_a_block(void **state) {
  (void)state;
  arena *a = arena_new(64);
  char *small = arena_strdup(a, "before");
  unsigned char *big = arena_alloc(a, 10000);
  memset(big, 0xab, 10000);
  char *after = arena_strdup(a, "after");
  assert_int_equal(big[0], 0xab);
  assert_int_equal(big[9999], 0xab);
  assert_string_equal(small, "before");
  assert_string_equal(after, "after");
  arena_free(a);
}

static void arena_zalloc_zeroes_reused_memory(void **state) {
  (void)state;
  arena *a = arena_new(1024);
  memset(arena_alloc(a, 512), 0xff, 512);
  arena_reset(a);
  unsigned char *z = arena_zalloc(a, 512);
  for (int i = 0; i < 512; i++) assert_int_equal(z[i], 0);
  arena_free(a);
}

static void arena_reset_reuses_the_first_block(void **state) {
  (void)state;
  arena *a = arena_new(256);
  void *first = arena_alloc(a, 16);
  for (int i = 0; i < 100; i++) arena_alloc(a, 200); /* many more blocks */
  arena_reset(a);
  assert_ptr_equal(arena_alloc(a, 16), first);
  arena_free(a);
}

static void arena_strdup_copies_the_string(void **state) {
  (void)state;
  arena *a = arena_new(0);
  char src[] = "relationship";
  char *copy = arena_strdup(a, src);
  assert_ptr_not_equal(copy, src);
  src[0] = 'X';
  assert_string_equal(copy, "relationship");
  assert_string_equal(arena_strdup(a, ""), "");
  arena_free(a);
}

static void arena_strndup_takes_n_bytes_and_terminates(void **state) {
  (void)state;
  arena *a = arena_new(0);
  assert_string_equal(arena_strndup(a, "guide-learner", 5), "guide");
  assert_string_equal(arena_strndup(a, "abc", 0), "");
  arena_free(a);
}

static void arena_printf_formats_short_and_long_text(void **state) {
  (void)state;
  arena *a = arena_new(64);
  assert_string_equal(arena_printf(a, "%s #%d", "rel", 7), "rel #7");
  char big[3000];
  memset(big, 'z', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  char *p = arena_printf(a, "[%s]", big);
  assert_int_equal(strlen(p), 3001);
  assert_int_equal(p[0], '[');
  assert_int_equal(p[2999], 'z');
  assert_int_equal(p[3000], ']');
  arena_free(a);
}

static void arena_zero_block_size_means_16_kib_blocks(void **state) {
  (void)state;
  arena *a = arena_new(0);
  unsigned char *p1 = arena_alloc(a, 8000);
  unsigned char *p2 = arena_alloc(a, 8000);
  assert_ptr_equal(p2, p1 + 8000); /* both fit in one 16384-byte block */
  unsigned char *p3 = arena_alloc(a, 8000); /* 24000 do not */
  assert_ptr_not_equal(p3, p2 + 8000);
  memset(p1, 1, 8000);
  memset(p2, 2, 8000);
  memset(p3, 3, 8000);
  assert_int_equal(p1[7999], 1);
  assert_int_equal(p2[7999], 2);
  arena_free(a);
}

static void arena_free_accepts_null(void **state) {
  (void)state;
  arena_free(NULL); /* fails by crashing */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arena_allocations_are_aligned_for_any_type),
      cmocka_unit_test(arena_allocations_do_not_overlap),
      cmocka_unit_test(arena_serves_requests_larger_than_a_block),
      cmocka_unit_test(arena_zalloc_zeroes_reused_memory),
      cmocka_unit_test(arena_reset_reuses_the_first_block),
      cmocka_unit_test(arena_strdup_copies_the_string),
      cmocka_unit_test(arena_strndup_takes_n_bytes_and_terminates),
      cmocka_unit_test(arena_printf_formats_short_and_long_text),
      cmocka_unit_test(arena_zero_block_size_means_16_kib_blocks),
      cmocka_unit_test(arena_free_accepts_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
