/* num.h: strict number parsing for outside input (no atoi: a number is
 * all digits, optionally signed, within range, or it is refused), and the
 * order of 64-bit ids for qsort and bsearch. */
#ifndef RAPPORT_BASE_NUM_H
#define RAPPORT_BASE_NUM_H

#include <stdbool.h>
#include <stdint.h>

/* True when s is a base-10 integer within [lo, hi]; sets *out. */
bool rp_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);

/* qsort/bsearch order of the int64_t at a and at b: ids, or rows whose
 * first member is an int64_t id (sorted by it). */
int rp_cmp_i64(const void *a, const void *b);

#endif
