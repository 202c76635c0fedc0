/* num.c: fuzz target for rp_parse_i64 (src/base/num.c), the only way
 * Rapport reads an integer from outside input: path ids, ?limit= and
 * ?after=, the --listen port.
 *
 * The input is the string. Property: for each of the ranges the callers
 * use, rp_parse_i64 accepts exactly what a reference reader accepts (an
 * optional sign, then decimal digits and nothing else, within range, no
 * overflow) and yields the same value; on refusal it leaves *out alone.
 */
#include "fuzz.h"

#include "base/num.h"

static const int64_t g_ranges[][2] = {
    {0, INT64_MAX}, {1, INT64_MAX}, {1, 100}, {0, 65535}, {INT64_MIN, INT64_MAX}, {-5, -1},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  for (size_t i = 0; i < sizeof g_ranges / sizeof g_ranges[0]; i++) {
    int64_t got = 12345, want = 0;
    bool ok = rp_parse_i64(s, g_ranges[i][0], g_ranges[i][1], &got);
    bool ref = fuzz_ref_i64(s, g_ranges[i][0], g_ranges[i][1], &want);
    FUZZ_CHECK(ok == ref);
    FUZZ_CHECK(ok ? got == want : got == 12345);
  }
  free(s);
  return 0;
}
