/* tzif.c: fuzz target for tzif_offset and tzif_name_valid
 * (src/base/tzif.c), which read the time-zone files named by a person's
 * mail preferences.
 *
 * The input is the file's bytes (and, as a string, a zone name).
 * Properties: no read outside the input (the sanitizers watch), an offset
 * only ever within a day of UTC, and a valid name never climbs out of the
 * zone folder.
 */
#include "fuzz.h"

#include <string.h>

#include "base/tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that any read past it is caught. */
  unsigned char *copy = malloc(size ? size : 1);
  if (size) memcpy(copy, data, size);
  static const int64_t times[] = {INT64_MIN, -1, 0, 1700000000, 4102444800LL, INT64_MAX};
  for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
    int32_t off = 99;
    if (tzif_offset(copy, size, times[i], &off)) FUZZ_CHECK(off > -25 * 3600 && off < 26 * 3600);
    else FUZZ_CHECK(off == 99 || (off <= -25 * 3600 || off >= 26 * 3600));
  }
  free(copy);
  char *s = fuzz_cstr(data, size);
  if (tzif_name_valid(s)) FUZZ_CHECK(strstr(s, "..") == NULL && s[0] != '/');
  free(s);
  return 0;
}
