/* num.h: strict number parsing for outside input (no atoi: a number is
 * all digits, optionally signed, within range, or it is refused). */
#ifndef RAPPORT_BASE_NUM_H
#define RAPPORT_BASE_NUM_H

#include <stdbool.h>
#include <stdint.h>

/* True when s is a base-10 integer within [lo, hi]; sets *out. */
bool rp_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);

#endif
