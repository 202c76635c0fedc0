/* token.c: see token.h. */
#include "crypto/token.h"

#include <sodium.h>
#include <string.h>

void token_new(char out[TOKEN_BUFSZ]) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(out, TOKEN_BUFSZ, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
}

bool token_well_formed(const char *s) {
  if (!s) return false;
  size_t i = 0;
  for (; s[i]; i++) {
    char c = s[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok || i >= TOKEN_CHARS) return false;
  }
  return i == TOKEN_CHARS;
}

void token_hash(const unsigned char *key, const char *token, unsigned char hash[TOKEN_HASH_LEN]) {
  crypto_generichash(hash, TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token), key, 32);
}

void token_csrf(const unsigned char *key, const char *session_token, char out[TOKEN_BUFSZ]) {
  unsigned char mac[32];
  crypto_generichash(mac, sizeof mac, (const unsigned char *)session_token,
                     strlen(session_token), key, 32);
  sodium_bin2base64(out, TOKEN_BUFSZ, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool token_equal(const char *a, const char *b) {
  size_t n = strlen(a);
  if (n != strlen(b)) return false;
  return sodium_memcmp(a, b, n) == 0;
}
