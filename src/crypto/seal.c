/* seal.c: see seal.h. */
#include "crypto/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define HEAD2 (1 + 4 + NONCE) /* format 2: version, key version, nonce */
#define PLAIN_LEN (sizeof SEAL_PLAIN_MARKER - 1)

static rp_rc damaged(rp_err *e) {
  return rp_fail(e, RP_ERR_INTERNAL, "sealed_text_damaged", "Stored text cannot be read.");
}

static size_t ad_legacy(const seal_ad *ad, unsigned char out[96]) {
  int n = snprintf((char *)out, 96, "%d|%d|%lld|%lld", (int)ad->kind, SEAL_FORMAT_LEGACY,
                   (long long)ad->relationship_id, (long long)ad->author_id);
  return (size_t)n;
}

static size_t ad_v2(const seal_ad *ad, uint32_t key_version, unsigned char out[128]) {
  int n = snprintf((char *)out, 128, "%d|%d|%lld|%lld|%lld|%lu", (int)ad->kind, SEAL_FORMAT,
                   (long long)ad->relationship_id, (long long)ad->row_id,
                   (long long)ad->author_id, (unsigned long)key_version);
  return (size_t)n;
}

int seal_format(rp_blob b, uint32_t *key_version) {
  *key_version = 0;
  if (b.len >= PLAIN_LEN && memcmp(b.data, SEAL_PLAIN_MARKER, PLAIN_LEN) == 0)
    return SEAL_FORMAT_PLAIN;
  if (b.len >= 1 + NONCE + TAG && b.data[0] == SEAL_FORMAT_LEGACY) return SEAL_FORMAT_LEGACY;
  if (b.len >= HEAD2 + TAG && b.data[0] == SEAL_FORMAT) {
    *key_version = (uint32_t)b.data[1] << 24 | (uint32_t)b.data[2] << 16 |
                   (uint32_t)b.data[3] << 8 | (uint32_t)b.data[4];
    return SEAL_FORMAT;
  }
  return 0;
}

rp_blob seal_text(const unsigned char key[SEAL_KEY_LEN], uint32_t key_version, const seal_ad *ad,
                  const char *text, size_t len, arena *a) {
  unsigned char adb[128];
  size_t adn = ad_v2(ad, key_version, adb);
  unsigned char *out = arena_alloc(a, HEAD2 + len + TAG);
  out[0] = SEAL_FORMAT;
  out[1] = (unsigned char)(key_version >> 24);
  out[2] = (unsigned char)(key_version >> 16);
  out[3] = (unsigned char)(key_version >> 8);
  out[4] = (unsigned char)key_version;
  randombytes_buf(out + 5, NONCE);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + HEAD2, &clen, (const unsigned char *)text, len,
                                             adb, adn, NULL, out + 5, key);
  rp_blob b = {out, HEAD2 + (size_t)clen};
  return b;
}

/* Opens the ciphertext that starts `head` bytes into b (its nonce just
 * before it) with key and the associated data adb; NUL-terminated text in
 * the arena. */
static rp_rc aead_open(const unsigned char *key, const unsigned char *adb, size_t adn, rp_blob b,
                       size_t head, arena *a, const char **out, rp_err *e) {
  size_t clen = b.len - head;
  unsigned char *plain = arena_alloc(a, clen - TAG + 1);
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, b.data + head, clen, adb,
                                                 adn, b.data + head - NONCE, key) != 0)
    return damaged(e);
  plain[plen] = '\0';
  *out = (const char *)plain;
  return RP_OK;
}

rp_rc seal_open(const unsigned char key[SEAL_KEY_LEN], const seal_ad *ad, rp_blob b, arena *a,
                const char **out, rp_err *e) {
  uint32_t kv;
  if (seal_format(b, &kv) != SEAL_FORMAT) return damaged(e);
  unsigned char adb[128];
  size_t adn = ad_v2(ad, kv, adb);
  return aead_open(key, adb, adn, b, HEAD2, a, out, e);
}

rp_rc seal_open_legacy(const keys *k, const seal_ad *ad, rp_blob b, arena *a, const char **out,
                       rp_err *e) {
  uint32_t kv;
  if (seal_format(b, &kv) != SEAL_FORMAT_LEGACY) return damaged(e);
  unsigned char adb[96];
  size_t adn = ad_legacy(ad, adb);
  return aead_open(keys_sub(k, KEYS_DATA), adb, adn, b, 1 + NONCE, a, out, e);
}

rp_blob seal_plain(const char *text, size_t len, arena *a) {
  unsigned char *out = arena_alloc(a, PLAIN_LEN + len);
  memcpy(out, SEAL_PLAIN_MARKER, PLAIN_LEN);
  if (len) memcpy(out + PLAIN_LEN, text, len);
  rp_blob b = {out, PLAIN_LEN + len};
  return b;
}

rp_rc seal_open_plain(rp_blob b, arena *a, const char **out, rp_err *e) {
  uint32_t kv;
  if (seal_format(b, &kv) != SEAL_FORMAT_PLAIN) return damaged(e);
  *out = arena_strndup(a, (const char *)b.data + PLAIN_LEN, b.len - PLAIN_LEN);
  return RP_OK;
}

/* ---- data keys ---- */

static size_t ad_key(const seal_keyref *ref, uint32_t wrap_version, unsigned char out[128]) {
  int n = snprintf((char *)out, 128, "%s|%lld|%lld|%lu|%lu", ref->key_id,
                   (long long)ref->relationship_id, (long long)ref->author_id,
                   (unsigned long)ref->version, (unsigned long)wrap_version);
  return (size_t)n;
}

void seal_key_new(unsigned char key[SEAL_KEY_LEN], seal_keyref *ref) {
  unsigned char id[SEAL_KEY_ID_LEN / 2];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  randombytes_buf(id, sizeof id);
  sodium_bin2hex(ref->key_id, sizeof ref->key_id, id, sizeof id);
}

rp_blob seal_key_wrap(const keys *k, uint32_t wrap_version, const seal_keyref *ref,
                      const unsigned char key[SEAL_KEY_LEN], arena *a) {
  unsigned char kek[KEYS_LEN];
  unsigned char adb[128];
  size_t adn = ad_key(ref, wrap_version, adb);
  unsigned char *out = arena_alloc(a, NONCE + SEAL_KEY_LEN + TAG);
  randombytes_buf(out, NONCE);
  keys_wrap_key(k, wrap_version, kek);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE, &clen, key, SEAL_KEY_LEN, adb, adn, NULL,
                                             out, kek);
  sodium_memzero(kek, sizeof kek);
  rp_blob b = {out, NONCE + (size_t)clen};
  return b;
}

rp_rc seal_key_unwrap(const keys *k, uint32_t wrap_version, const seal_keyref *ref,
                      rp_blob wrapped, unsigned char key[SEAL_KEY_LEN], rp_err *e) {
  if (wrapped.len != NONCE + SEAL_KEY_LEN + TAG)
    return rp_fail(e, RP_ERR_INTERNAL, "data_key_damaged", "A stored data key cannot be read.");
  unsigned char kek[KEYS_LEN];
  unsigned char adb[128];
  size_t adn = ad_key(ref, wrap_version, adb);
  keys_wrap_key(k, wrap_version, kek);
  unsigned long long klen = 0;
  int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(key, &klen, NULL, wrapped.data + NONCE,
                                                       wrapped.len - NONCE, adb, adn, wrapped.data,
                                                       kek);
  sodium_memzero(kek, sizeof kek);
  if (bad || klen != SEAL_KEY_LEN) {
    sodium_memzero(key, SEAL_KEY_LEN);
    return rp_fail(e, RP_ERR_INTERNAL, "data_key_damaged", "A stored data key cannot be read.");
  }
  return RP_OK;
}
