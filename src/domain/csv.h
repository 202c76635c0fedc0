/* csv.h: reading and writing RFC 4180 CSV, for roster imports and admin
 * exports. Pure: no I/O, no clock.
 *
 * The reader takes UTF-8 text with or without a byte order mark, records
 * ended by CRLF or LF (a last record may lack its end), fields separated
 * by commas, optionally in double quotes, where a quoted field may hold
 * commas, line ends and doubled quotes. A blank line (nothing between two
 * line ends) is no record. It refuses, with the line it happened on:
 * bytes that are not UTF-8, a NUL byte, a quote inside an unquoted field,
 * anything but a separator or line end after a closing quote, a quoted
 * field left open at the end, and more records, fields or bytes in a
 * field than the limits allow. Field texts are copied into the arena,
 * unquoted, NUL-terminated.
 */
#ifndef RAPPORT_DOMAIN_CSV_H
#define RAPPORT_DOMAIN_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strbuf.h"

typedef struct csv_field {
  const char *s; /* NUL-terminated copy; no NUL inside (the reader refuses them) */
  size_t len;
} csv_field;

typedef struct csv_row {
  csv_field *f;
  size_t n;
  size_t line; /* the line of the input it starts on, from 1 */
} csv_row;

typedef struct csv_table {
  csv_row *rows;
  size_t nrows;
  bool had_bom;
} csv_table;

typedef struct csv_limits {
  size_t max_rows;      /* records, the header included */
  size_t max_fields;    /* per record */
  size_t max_field_len; /* bytes */
} csv_limits;

/* Reads data[0..len) into out. RP_ERR_INVALID with code "csv_malformed"
 * (or "csv_too_large" past a limit) and a sentence naming the line, which
 * is also its one field error, at the pointer "" (the whole body). */
rp_rc csv_parse(const char *data, size_t len, const csv_limits *lim, arena *a, csv_table *out,
                rp_err *e);

/* Appends one field to b, quoted when it holds a comma, quote, CR or LF
 * (quotes doubled); with `first` false a comma goes before it. 0 or -1
 * as sb_append. */
int csv_put(strbuf *b, bool first, const char *s, size_t len);
/* Ends a record with CRLF. */
int csv_end_row(strbuf *b);

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF). */
bool csv_utf8_valid(const char *s, size_t len);

#endif
