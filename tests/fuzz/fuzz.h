/* fuzz.h: what every fuzz target in tests/fuzz/ shares.
 *
 * A target defines LLVMFuzzerTestOneInput. Built with -Dfuzz=true it links
 * libFuzzer; otherwise it links replay.c, which feeds it every file of a
 * saved corpus (the `fuzz` test suite). FUZZ_CHECK states a property the
 * parser must keep for every input: a broken one aborts, which libFuzzer
 * and the replay test both report as a crash.
 */
#ifndef RAPPORT_TESTS_FUZZ_H
#define RAPPORT_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "%s:%d: fuzz property broken: %s\n", __FILE__, __LINE__, #cond);        \
      abort();                                                                                 \
    }                                                                                          \
  } while (0)

/* The input as a NUL-terminated string in a buffer of exactly size + 1
 * bytes (so AddressSanitizer sees any read past it); stops at an embedded
 * NUL like every C string the server is handed. The caller frees it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) abort();
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

/* A reference reader of base-10 integers, written independently of
 * rp_parse_i64 so the targets can compare against it: an optional sign,
 * digits only, within [lo, hi]. */
static inline bool fuzz_ref_i64(const char *s, int64_t lo, int64_t hi, int64_t *out) {
  bool neg = false;
  if (*s == '+' || *s == '-') neg = *s++ == '-';
  if (!*s) return false;
  /* magnitude up to 2^63 fits in uint64_t; more digits refuse */
  uint64_t m = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    unsigned d = (unsigned)(*s - '0');
    if (m > (UINT64_MAX - d) / 10) return false;
    m = m * 10 + d;
  }
  int64_t v;
  if (neg) {
    if (m > (uint64_t)INT64_MAX + 1) return false;
    v = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
  } else {
    if (m > (uint64_t)INT64_MAX) return false;
    v = (int64_t)m;
  }
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

#endif
