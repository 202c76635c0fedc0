/* csv.c: fuzz target for csv_parse (src/domain/csv.c), the reader of
 * roster files an administrator uploads.
 *
 * The input is the file. Properties: the reader never reads outside the
 * input and either refuses it with a problem code or gives a table within
 * the limits; a table it gives, written back with csv_put and read again,
 * is the same table (every field's bytes, every record's field count).
 * The written file starts with a BOM, which the reader takes away, so a
 * first field that itself starts with one stays data.
 */
#include "fuzz.h"

#include "domain/csv.h"

static bool same(const csv_table *x, const csv_table *y) {
  if (x->nrows != y->nrows) return false;
  for (size_t i = 0; i < x->nrows; i++) {
    if (x->rows[i].n != y->rows[i].n) return false;
    for (size_t k = 0; k < x->rows[i].n; k++) {
      const csv_field *a = &x->rows[i].f[k], *b = &y->rows[i].f[k];
      if (a->len != b->len || memcmp(a->s, b->s, a->len) != 0) return false;
    }
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const csv_limits lim = {200, 16, 64};
  arena *a = arena_new(4096);
  /* An exact-size copy, so AddressSanitizer sees a read past the end. */
  char *in = malloc(size ? size : 1);
  if (!in) abort();
  if (size) memcpy(in, data, size);
  csv_table t;
  rp_err e = {0};
  rp_rc rc = csv_parse(in, size, &lim, a, &t, &e);
  if (rc) {
    FUZZ_CHECK(rc == RP_ERR_INVALID);
    FUZZ_CHECK(strcmp(e.code, "csv_malformed") == 0 || strcmp(e.code, "csv_too_large") == 0);
  } else {
    FUZZ_CHECK(t.nrows <= lim.max_rows);
    strbuf b;
    sb_init(&b, 1u << 20);
    /* A BOM first, so that a first field starting with one stays data. */
    FUZZ_CHECK(sb_append(&b, "\xEF\xBB\xBF", 3) == 0);
    for (size_t i = 0; i < t.nrows; i++) {
      FUZZ_CHECK(t.rows[i].n >= 1 && t.rows[i].n <= lim.max_fields);
      for (size_t k = 0; k < t.rows[i].n; k++) {
        FUZZ_CHECK(t.rows[i].f[k].len <= lim.max_field_len);
        FUZZ_CHECK(strlen(t.rows[i].f[k].s) == t.rows[i].f[k].len);
        const csv_field *f = &t.rows[i].f[k];
        FUZZ_CHECK(csv_put(&b, k == 0, f->s, f->len) == 0);
      }
      /* A record of one empty field would write back as a blank line. */
      if (t.rows[i].n == 1 && t.rows[i].f[0].len == 0) sb_append(&b, "\"\"", 2);
      FUZZ_CHECK(csv_end_row(&b) == 0);
    }
    csv_table u;
    rp_err e2 = {0};
    FUZZ_CHECK(csv_parse(b.data ? b.data : "", b.len, &lim, a, &u, &e2) == RP_OK);
    FUZZ_CHECK(same(&t, &u));
    sb_free(&b);
  }
  free(in);
  arena_free(a);
  return 0;
}
