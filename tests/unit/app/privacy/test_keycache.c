/* test_keycache.c: the server's cache of unwrapped data keys
 * (src/app/privacy/keycache.h): a key comes back only for its own triple and only
 * within its time; dropping a relationship or an author wipes their keys;
 * a full set gives up its oldest key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/privacy/privacy.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

static void key_of(unsigned char k[SEAL_KEY_LEN], unsigned char tag) {
  memset(k, tag, SEAL_KEY_LEN);
}

static int setup(void **state) {
  *state = app_key_cache_new(64, 300);
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  app_key_cache_free(*state);
  return 0;
}

static void a_key_comes_back_only_for_its_own_triple(void **state) {
  app_key_cache *kc = *state;
  unsigned char k[SEAL_KEY_LEN], out[SEAL_KEY_LEN];
  key_of(k, 0xa1);
  app_key_cache_put(kc, 7, 0, 1, T0, k);
  assert_true(app_key_cache_get(kc, 7, 0, 1, T0 + 10, out));
  assert_memory_equal(out, k, SEAL_KEY_LEN);
  assert_false(app_key_cache_get(kc, 7, 0, 2, T0, out)); /* another version */
  assert_false(app_key_cache_get(kc, 7, 3, 1, T0, out)); /* an author's own key */
  assert_false(app_key_cache_get(kc, 8, 0, 1, T0, out)); /* another relationship */
  /* Putting the same triple again replaces it. */
  key_of(k, 0xa2);
  app_key_cache_put(kc, 7, 0, 1, T0, k);
  assert_true(app_key_cache_get(kc, 7, 0, 1, T0, out));
  assert_memory_equal(out, k, SEAL_KEY_LEN);
}

static void a_key_is_kept_for_its_time_only(void **state) {
  app_key_cache *kc = *state;
  unsigned char k[SEAL_KEY_LEN], out[SEAL_KEY_LEN];
  key_of(k, 0xb1);
  app_key_cache_put(kc, 7, 0, 1, T0, k);
  assert_true(app_key_cache_get(kc, 7, 0, 1, T0 + 299, out));
  assert_false(app_key_cache_get(kc, 7, 0, 1, T0 + 300, out));
  assert_false(app_key_cache_get(kc, 7, 0, 1, T0 + 1, out)); /* wiped when found expired */
  /* A clock that went back does not make a key young. */
  app_key_cache_put(kc, 9, 0, 1, T0, k);
  assert_false(app_key_cache_get(kc, 9, 0, 1, T0 - 1, out));
  /* The job wipes what expired, also what nobody asked for again. */
  app_key_cache_put(kc, 10, 0, 1, T0, k);
  app_key_cache_put(kc, 11, 0, 1, T0 + 200, k);
  assert_int_equal(app_key_cache_expire(kc, T0 + 350), 1);
  assert_false(app_key_cache_get(kc, 10, 0, 1, T0 + 350, out));
  assert_true(app_key_cache_get(kc, 11, 0, 1, T0 + 350, out));
}

static void dropping_wipes_a_relationship_an_author_or_one_key(void **state) {
  app_key_cache *kc = *state;
  unsigned char k[SEAL_KEY_LEN], out[SEAL_KEY_LEN];
  key_of(k, 0xc1);
  app_key_cache_put(kc, 7, 0, 1, T0, k);
  app_key_cache_put(kc, 7, 3, 1, T0, k);
  app_key_cache_put(kc, 8, 3, 1, T0, k);
  app_key_cache_put(kc, 8, 0, 1, T0, k);
  app_key_cache_put(kc, 8, 0, 2, T0, k);
  app_key_cache_drop(kc, 7, 0); /* relationship 7, every author */
  assert_false(app_key_cache_get(kc, 7, 0, 1, T0, out));
  assert_false(app_key_cache_get(kc, 7, 3, 1, T0, out));
  assert_true(app_key_cache_get(kc, 8, 3, 1, T0, out));
  app_key_cache_drop(kc, -1, 3); /* author 3, every relationship */
  assert_false(app_key_cache_get(kc, 8, 3, 1, T0, out));
  assert_true(app_key_cache_get(kc, 8, 0, 1, T0, out));
  app_key_cache_drop_one(kc, 8, 0, 1);
  assert_false(app_key_cache_get(kc, 8, 0, 1, T0, out));
  assert_true(app_key_cache_get(kc, 8, 0, 2, T0, out));
  app_key_cache_clear(kc);
  assert_false(app_key_cache_get(kc, 8, 0, 2, T0, out));
}

static void a_full_cache_gives_up_its_oldest_keys(void **state) {
  app_key_cache *kc = *state;
  unsigned char k[SEAL_KEY_LEN], out[SEAL_KEY_LEN];
  /* Four times the slots: every set overflows, and what stays is among
   * the newest: the first keys put are gone, the last one is there. */
  for (int64_t rel = 1; rel <= 256; rel++) {
    key_of(k, (unsigned char)rel);
    app_key_cache_put(kc, rel, 0, 1, T0 + rel, k);
  }
  int kept = 0, old_kept = 0;
  for (int64_t rel = 1; rel <= 256; rel++) {
    if (!app_key_cache_get(kc, rel, 0, 1, T0 + 256, out)) continue;
    key_of(k, (unsigned char)rel);
    assert_memory_equal(out, k, SEAL_KEY_LEN);
    kept++;
    old_kept += rel <= 64;
  }
  assert_int_equal(kept, 64);
  assert_true(old_kept < 16);
  assert_true(app_key_cache_get(kc, 256, 0, 1, T0 + 256, out));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_key_comes_back_only_for_its_own_triple, setup, teardown),
      cmocka_unit_test_setup_teardown(a_key_is_kept_for_its_time_only, setup, teardown),
      cmocka_unit_test_setup_teardown(dropping_wipes_a_relationship_an_author_or_one_key, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_full_cache_gives_up_its_oldest_keys, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
