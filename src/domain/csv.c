/* csv.c: the RFC 4180 reader and writer of csv.h.
 *
 * The reader is one pass over the bytes with a small state machine; rows
 * and fields grow in the arena by doubling (the old arrays are left to the
 * arena, at most as much again as the final ones). It never reads past
 * len, and a field's text is built in the arena only once its end is
 * known, so a field costs its length once.
 */
#include "domain/csv.h"

#include <string.h>

bool csv_utf8_valid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned c = p[i];
    size_t need;
    unsigned min, cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      need = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      need = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      need = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (len - i <= need) return false;
    for (size_t k = 1; k <= need; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += need + 1;
  }
  return true;
}

/* The reader's state between calls of its helpers. */
typedef struct reader {
  arena *a;
  const csv_limits *lim;
  csv_table *t;
  size_t rows_cap;
  csv_field *fields; /* the record being read */
  size_t nfields, fields_cap;
  size_t line, row_line;
  rp_err *e;
} reader;

/* A problem of the whole file: its sentence is also the one field error,
 * at the pointer "" (the body). */
static rp_rc whole_file(rp_err *e, const char *code, size_t line, const char *what) {
  if (line)
    rp_fail(e, RP_ERR_INVALID, code, "Line %zu: %s.", line, what);
  else
    rp_fail(e, RP_ERR_INVALID, code, "%s.", what);
  if (e) rp_field(e, "", "%s", e->detail);
  return RP_ERR_INVALID;
}

static rp_rc too_large(reader *r, const char *what) {
  return whole_file(r->e, "csv_too_large", r->row_line, what);
}

static rp_rc malformed(reader *r, const char *what) {
  return whole_file(r->e, "csv_malformed", r->line, what);
}

/* Appends a field; `quoted` fields keep doubled quotes to undo. */
static rp_rc add_field(reader *r, const char *s, size_t len, bool quoted) {
  if (r->nfields == r->lim->max_fields)
    return too_large(r, "more fields in a record than allowed");
  if (len > r->lim->max_field_len) return too_large(r, "a field is longer than allowed");
  if (r->nfields == r->fields_cap) {
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 8;
    if (cap > r->lim->max_fields) cap = r->lim->max_fields;
    csv_field *f = arena_alloc(r->a, cap * sizeof *f);
    if (r->nfields) memcpy(f, r->fields, r->nfields * sizeof *f);
    r->fields = f;
    r->fields_cap = cap;
  }
  char *out = arena_alloc(r->a, len + 1);
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    out[n++] = s[i];
    if (quoted && s[i] == '"') i++; /* a doubled quote is one */
  }
  out[n] = '\0';
  r->fields[r->nfields++] = (csv_field){out, n};
  return RP_OK;
}

/* Ends the record read so far. */
static rp_rc end_row(reader *r) {
  csv_table *t = r->t;
  if (t->nrows == r->lim->max_rows) return too_large(r, "more records than allowed");
  if (t->nrows == r->rows_cap) {
    size_t cap = r->rows_cap ? r->rows_cap * 2 : 64;
    if (cap > r->lim->max_rows) cap = r->lim->max_rows;
    csv_row *rows = arena_alloc(r->a, cap * sizeof *rows);
    if (t->nrows) memcpy(rows, t->rows, t->nrows * sizeof *rows);
    t->rows = rows;
    r->rows_cap = cap;
  }
  csv_field *f = arena_alloc(r->a, (r->nfields ? r->nfields : 1) * sizeof *f);
  memcpy(f, r->fields, r->nfields * sizeof *f);
  t->rows[t->nrows++] = (csv_row){f, r->nfields, r->row_line};
  r->nfields = 0;
  return RP_OK;
}

rp_rc csv_parse(const char *data, size_t len, const csv_limits *lim, arena *a, csv_table *out,
                rp_err *e) {
  memset(out, 0, sizeof *out);
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    data += 3;
    len -= 3;
    out->had_bom = true;
  }
  reader r = {.a = a, .lim = lim, .t = out, .line = 1, .row_line = 1, .e = e};
  if (memchr(data, '\0', len)) return malformed(&r, "the file holds a NUL byte");
  if (!csv_utf8_valid(data, len))
    return whole_file(e, "csv_malformed", 0, "The file is not UTF-8 text");
  size_t i = 0;
  rp_rc rc = RP_OK;
  while (i < len && !rc) {
    /* At the start of a field. */
    if (data[i] == '"') {
      size_t start = ++i;
      for (;;) {
        if (i == len) return malformed(&r, "a quoted field is not closed");
        if (data[i] == '"') {
          if (i + 1 < len && data[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        if (data[i] == '\n') r.line++;
        i++;
      }
      rc = add_field(&r, data + start, i - start, true);
      i++; /* the closing quote */
      if (rc) break;
      if (i < len && data[i] != ',' && data[i] != '\r' && data[i] != '\n')
        return malformed(&r, "text after a closing quote");
    } else {
      size_t start = i;
      while (i < len && data[i] != ',' && data[i] != '\r' && data[i] != '\n') {
        if (data[i] == '"') return malformed(&r, "a quote inside an unquoted field");
        i++;
      }
      bool blank = i == start && r.nfields == 0 && (i == len || data[i] != ',');
      if (blank) {
        if (i < len && data[i] == '\r') i++;
        if (i < len && data[i] != '\n') return malformed(&r, "a CR that does not end a line");
        if (i < len) i++, r.line++;
        r.row_line = r.line;
        continue;
      }
      rc = add_field(&r, data + start, i - start, false);
      if (rc) break;
    }
    /* After a field: a separator, a line end or the end. */
    if (i == len) {
      rc = end_row(&r);
    } else if (data[i] == ',') {
      i++;
      if (i == len) { /* "a,b," ends with an empty field */
        rc = add_field(&r, "", 0, false);
        if (!rc) rc = end_row(&r);
      }
    } else {
      if (data[i] == '\r') {
        i++;
        if (i == len || data[i] != '\n') return malformed(&r, "a CR that does not end a line");
      }
      i++; /* the LF */
      rc = end_row(&r);
      r.line++;
      r.row_line = r.line;
    }
  }
  return rc;
}

int csv_put(strbuf *b, bool first, const char *s, size_t len) {
  if (!first && sb_append(b, ",", 1) < 0) return -1;
  bool quote = false;
  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  if (!quote) return sb_append(b, s, len);
  if (sb_append(b, "\"", 1) < 0) return -1;
  size_t from = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '"') continue;
    if (sb_append(b, s + from, i + 1 - from) < 0 || sb_append(b, "\"", 1) < 0) return -1;
    from = i + 1;
  }
  if (sb_append(b, s + from, len - from) < 0) return -1;
  return sb_append(b, "\"", 1);
}

int csv_end_row(strbuf *b) { return sb_append(b, "\r\n", 2); }
