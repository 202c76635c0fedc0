/* tzif.h: the UTC offset of a time zone at a given time, from a TZif file
 * (RFC 8536, versions 2 and later: the 64-bit transitions). Times past the
 * last transition take its offset (Debian's tzdata lists transitions to
 * 2037). A parser of outside bytes: it checks every length against the
 * data and fails rather than reads past it (fuzzed: tests/fuzz/).
 */
#ifndef RAPPORT_BASE_TZIF_H
#define RAPPORT_BASE_TZIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sets *offset_s (seconds east of UTC) in force at UTC time t in the TZif
 * data; false when the data is not a well-formed TZif v2+ file. */
bool tzif_offset(const unsigned char *data, size_t len, int64_t t, int32_t *offset_s);

/* Whether name may name a zone file: letters, digits, '_', '-', '+' and
 * '/' between parts, no part starting with '.', 1 to 64 characters. */
bool tzif_name_valid(const char *name);

#endif
