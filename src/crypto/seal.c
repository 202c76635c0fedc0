/* seal.c: see seal.h. */
#include "crypto/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEAL_VERSION 1
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES

static size_t ad_bytes(const seal_ad *ad, unsigned char out[64]) {
  int n = snprintf((char *)out, 64, "%d|%d|%lld|%lld", (int)ad->kind, SEAL_VERSION,
                   (long long)ad->relationship_id, (long long)ad->author_id);
  return (size_t)n;
}

rp_blob seal_text(const keys *k, const seal_ad *ad, const char *text, size_t len, arena *a) {
  unsigned char adb[64];
  size_t adn = ad_bytes(ad, adb);
  unsigned char *out = arena_alloc(a, 1 + NONCE + len + TAG);
  out[0] = SEAL_VERSION;
  randombytes_buf(out + 1, NONCE);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE, &clen, (const unsigned char *)text,
                                             len, adb, adn, NULL, out + 1,
                                             keys_sub(k, KEYS_DATA));
  rp_blob b = {out, 1 + NONCE + (size_t)clen};
  return b;
}

rp_rc seal_open(const keys *k, const seal_ad *ad, rp_blob b, arena *a, const char **out,
                rp_err *e) {
  if (b.len < 1 + NONCE + TAG || b.data[0] != SEAL_VERSION)
    return rp_fail(e, RP_ERR_INTERNAL, "sealed_text_damaged", "Stored text cannot be read.");
  unsigned char adb[64];
  size_t adn = ad_bytes(ad, adb);
  size_t clen = b.len - 1 - NONCE;
  unsigned char *plain = arena_alloc(a, clen - TAG + 1);
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, b.data + 1 + NONCE, clen, adb,
                                                 adn, b.data + 1, keys_sub(k, KEYS_DATA)) != 0)
    return rp_fail(e, RP_ERR_INTERNAL, "sealed_text_damaged", "Stored text cannot be read.");
  plain[plen] = '\0';
  *out = (const char *)plain;
  return RP_OK;
}
