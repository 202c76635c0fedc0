/* useragent.c: fuzz target for ua_family (src/domain/useragent.c), which
 * reads the User-Agent header of a sign-in.
 *
 * The input is the header. Properties: the answer is NUL-terminated within
 * the buffer, made only of letters and spaces (fixed words, nothing of the
 * input), and the same for the same input.
 */
#include "fuzz.h"

#include "domain/useragent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  char out[48], again[48];
  ua_family(s, out, sizeof out);
  FUZZ_CHECK(memchr(out, '\0', sizeof out) != NULL);
  for (const char *p = out; *p; p++)
    FUZZ_CHECK((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == ' ');
  FUZZ_CHECK(strcmp(ua_family(s, again, sizeof again), out) == 0);
  free(s);
  return 0;
}
