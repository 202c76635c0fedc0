/* test_seal.c: the cryptography of the key hierarchy (src/crypto/seal.h):
 * sealed text bound to its row, legacy format-1 blobs, wrapped data keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/seal.h"

typedef struct fixture {
  char dir[64], path[96];
  keys *k;
  arena *a;
} fixture;

static int setup(void **state) {
  if (!crypto_init()) return -1;
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/rapport-test-seal-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->path, sizeof f->path, "%s/t.key", f->dir);
  rp_err e = {0};
  if (keys_create(f->path, &e) || keys_load(f->path, &f->k, &e)) return -1;
  f->a = arena_new(4096);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  keys_free(f->k);
  arena_free(f->a);
  unlink(f->path);
  rmdir(f->dir);
  free(f);
  return 0;
}

static const seal_ad AD = {SEAL_NOTE, 7, 42, 3, false};
static const char TEXT[] = "I am thinking of leaving the team.";

static rp_rc open_with(fixture *f, const unsigned char *key, const seal_ad *ad, rp_blob b,
                       const char **out) {
  rp_err e = {0};
  return seal_open(key, ad, b, f->a, out, &e);
}

static void sealed_text_opens_only_in_its_own_row_relationship_kind_and_author(void **state) {
  fixture *f = *state;
  unsigned char key[SEAL_KEY_LEN];
  seal_keyref ref = {0};
  seal_key_new(key, &ref);
  rp_blob b = seal_text(key, 1, &AD, TEXT, strlen(TEXT), f->a);
  const char *out = NULL;
  assert_int_equal(open_with(f, key, &AD, b, &out), RP_OK);
  assert_string_equal(out, TEXT);
  /* No plaintext in the blob. */
  assert_null(memmem(b.data, b.len, "leaving", 7));

  seal_ad moved = AD;
  moved.row_id = 43;
  assert_int_equal(open_with(f, key, &moved, b, &out), RP_ERR_INTERNAL);
  moved = AD;
  moved.relationship_id = 8;
  assert_int_equal(open_with(f, key, &moved, b, &out), RP_ERR_INTERNAL);
  moved = AD;
  moved.kind = SEAL_FEEDBACK;
  assert_int_equal(open_with(f, key, &moved, b, &out), RP_ERR_INTERNAL);
  moved = AD;
  moved.author_id = 4;
  assert_int_equal(open_with(f, key, &moved, b, &out), RP_ERR_INTERNAL);

  unsigned char other[SEAL_KEY_LEN];
  seal_keyref oref = {0};
  seal_key_new(other, &oref);
  assert_int_equal(open_with(f, other, &AD, b, &out), RP_ERR_INTERNAL);
}

static void the_header_names_the_key_version_and_changing_it_fails(void **state) {
  fixture *f = *state;
  unsigned char key[SEAL_KEY_LEN];
  seal_keyref ref = {0};
  seal_key_new(key, &ref);
  rp_blob b = seal_text(key, 3, &AD, TEXT, strlen(TEXT), f->a);
  uint32_t kv = 0;
  assert_int_equal(seal_format(b, &kv), SEAL_FORMAT);
  assert_int_equal(kv, 3);
  assert_int_equal(b.len, 1 + 4 + 24 + strlen(TEXT) + 16);
  unsigned char *copy = arena_alloc(f->a, b.len);
  memcpy(copy, b.data, b.len);
  copy[4] = 4; /* claims key version 4 */
  rp_blob forged = {copy, b.len};
  assert_int_equal(seal_format(forged, &kv), SEAL_FORMAT);
  assert_int_equal(kv, 4);
  const char *out;
  assert_int_equal(open_with(f, key, &AD, forged, &out), RP_ERR_INTERNAL);
}

/* A blob as the format-1 code wrote it: byte 1 | nonce | ciphertext under
 * the single derived key, AD "kind|1|relationship|author". */
static rp_blob legacy_blob(fixture *f, const seal_ad *ad, const char *text) {
  char adb[64];
  int adn = snprintf(adb, sizeof adb, "%d|1|%lld|%lld", (int)ad->kind,
                     (long long)ad->relationship_id, (long long)ad->author_id);
  size_t len = strlen(text);
  unsigned char *out = arena_alloc(f->a, 1 + 24 + len + 16);
  out[0] = 1;
  randombytes_buf(out + 1, 24);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + 25, &clen, (const unsigned char *)text, len,
                                             (const unsigned char *)adb, (size_t)adn, NULL,
                                             out + 1, keys_sub(f->k, KEYS_DATA));
  rp_blob b = {out, 25 + (size_t)clen};
  return b;
}

static void format_1_blobs_still_open_with_the_derived_key(void **state) {
  fixture *f = *state;
  rp_blob b = legacy_blob(f, &AD, TEXT);
  uint32_t kv = 9;
  assert_int_equal(seal_format(b, &kv), SEAL_FORMAT_LEGACY);
  assert_int_equal(kv, 0);
  rp_err e = {0};
  const char *out = NULL;
  assert_int_equal(seal_open_legacy(f->k, &AD, b, f->a, &out, &e), RP_OK);
  assert_string_equal(out, TEXT);
  seal_ad other = AD;
  other.relationship_id = 8;
  assert_int_equal(seal_open_legacy(f->k, &other, b, f->a, &out, &e), RP_ERR_INTERNAL);
  /* A format-1 blob is not a format-2 blob. */
  unsigned char key[SEAL_KEY_LEN];
  seal_keyref ref = {0};
  seal_key_new(key, &ref);
  assert_int_equal(open_with(f, key, &AD, b, &out), RP_ERR_INTERNAL);
}

static void wrapped_keys_unwrap_only_with_their_wrapping_version_and_identity(void **state) {
  fixture *f = *state;
  unsigned char key[SEAL_KEY_LEN], back[SEAL_KEY_LEN];
  seal_keyref ref = {{0}, 5, 0, 1};
  seal_key_new(key, &ref);
  rp_blob w = seal_key_wrap(f->k, 1, &ref, key, f->a);
  assert_int_equal(w.len, 24 + 32 + 16);
  assert_null(memmem(w.data, w.len, key, sizeof key));
  rp_err e = {0};
  assert_int_equal(seal_key_unwrap(f->k, 1, &ref, w, back, &e), RP_OK);
  assert_memory_equal(back, key, sizeof key);

  assert_int_equal(seal_key_unwrap(f->k, 2, &ref, w, back, &e), RP_ERR_INTERNAL);
  assert_string_equal(e.code, "data_key_damaged");
  seal_keyref moved = ref;
  moved.relationship_id = 6;
  assert_int_equal(seal_key_unwrap(f->k, 1, &moved, w, back, &e), RP_ERR_INTERNAL);
  moved = ref;
  moved.author_id = 3;
  assert_int_equal(seal_key_unwrap(f->k, 1, &moved, w, back, &e), RP_ERR_INTERNAL);
  moved = ref;
  moved.version = 2;
  assert_int_equal(seal_key_unwrap(f->k, 1, &moved, w, back, &e), RP_ERR_INTERNAL);

  /* Re-wrapped under version 2, it unwraps there and not under 1. */
  rp_blob w2 = seal_key_wrap(f->k, 2, &ref, key, f->a);
  assert_int_equal(seal_key_unwrap(f->k, 2, &ref, w2, back, &e), RP_OK);
  assert_memory_equal(back, key, sizeof key);
  assert_int_equal(seal_key_unwrap(f->k, 1, &ref, w2, back, &e), RP_ERR_INTERNAL);
}

static void wrapping_keys_differ_per_version(void **state) {
  fixture *f = *state;
  unsigned char a[KEYS_LEN], b[KEYS_LEN], a2[KEYS_LEN];
  keys_wrap_key(f->k, 1, a);
  keys_wrap_key(f->k, 2, b);
  keys_wrap_key(f->k, 1, a2);
  assert_memory_not_equal(a, b, KEYS_LEN);
  assert_memory_equal(a, a2, KEYS_LEN);
}

static void key_ids_are_32_random_hex_digits(void **state) {
  (void)state;
  unsigned char k1[SEAL_KEY_LEN], k2[SEAL_KEY_LEN];
  seal_keyref r1 = {0}, r2 = {0};
  seal_key_new(k1, &r1);
  seal_key_new(k2, &r2);
  assert_int_equal(strlen(r1.key_id), 32);
  assert_int_equal(strspn(r1.key_id, "0123456789abcdef"), 32);
  assert_string_not_equal(r1.key_id, r2.key_id);
  assert_memory_not_equal(k1, k2, SEAL_KEY_LEN);
}

static void bench_plaintext_carries_a_marker_and_is_no_sealed_blob(void **state) {
  fixture *f = *state;
  rp_blob b = seal_plain(TEXT, strlen(TEXT), f->a);
  uint32_t kv;
  assert_int_equal(seal_format(b, &kv), SEAL_FORMAT_PLAIN);
  rp_err e = {0};
  const char *out = NULL;
  assert_int_equal(seal_open_plain(b, f->a, &out, &e), RP_OK);
  assert_string_equal(out, TEXT);
  assert_int_equal(seal_open_legacy(f->k, &AD, b, f->a, &out, &e), RP_ERR_INTERNAL);
}

static void the_destroyed_log_path_sits_beside_the_key_file(void **state) {
  (void)state;
  char *p = keys_destroyed_path_for("/srv/rapport.key");
  assert_string_equal(p, "/srv/rapport.destroyed");
  free(p);
  p = keys_destroyed_path_for("/srv/master");
  assert_string_equal(p, "/srv/master.destroyed");
  free(p);
}

int main(void) {
  if (!crypto_init()) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(
          sealed_text_opens_only_in_its_own_row_relationship_kind_and_author, setup, teardown),
      cmocka_unit_test_setup_teardown(the_header_names_the_key_version_and_changing_it_fails,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(format_1_blobs_still_open_with_the_derived_key, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          wrapped_keys_unwrap_only_with_their_wrapping_version_and_identity, setup, teardown),
      cmocka_unit_test_setup_teardown(wrapping_keys_differ_per_version, setup, teardown),
      cmocka_unit_test(key_ids_are_32_random_hex_digits),
      cmocka_unit_test_setup_teardown(bench_plaintext_carries_a_marker_and_is_no_sealed_blob,
                                      setup, teardown),
      cmocka_unit_test(the_destroyed_log_path_sits_beside_the_key_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
