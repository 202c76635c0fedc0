/* query.c: fuzz target for the page arguments of list requests
 * (?limit=&after=, http_page_parse).
 *
 * The input is a query string ("limit=10&after=42"). It is split and
 * percent-decoded the way libmicrohttpd does before the server sees the
 * arguments: '&' separates, the first '=' splits name from value, a name
 * without '=' has no value, the first occurrence of a name wins. The
 * result is checked against a reference reading of the rules: a value is
 * an optional sign and decimal digits only, within range; a bad value is
 * 400 bad_query; absent values take their defaults.
 */
#include "fuzz.h"

#include "app/app.h"
#include "http/parse.h"

static int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes s in place ('+' is a space); stops at a decoded NUL
 * like a C string would. */
static void unescape(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (*r == '+') {
      *w++ = ' ';
    } else if (*r == '%' && hex(r[1]) >= 0 && hex(r[2]) >= 0) {
      *w++ = (char)(hex(r[1]) * 16 + hex(r[2]));
      r += 2;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
}

/* The value of the first argument called name, or NULL (in q, modified). */
static const char *arg(char *q, const char *name) {
  for (char *p = q; p;) {
    char *amp = strchr(p, '&');
    if (amp) *amp = '\0';
    char *eq = strchr(p, '=');
    if (eq) *eq = '\0';
    unescape(p);
    bool hit = strcmp(p, name) == 0;
    if (eq) {
      if (hit) {
        unescape(eq + 1);
        return eq + 1;
      }
    } else if (hit) {
      return NULL;
    }
    p = amp ? amp + 1 : NULL;
  }
  return NULL;
}

/* The reference: an optional sign and 1 to 40 digits, read without overflow. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *q1 = fuzz_cstr(data, size), *q2 = fuzz_cstr(data, size);
  const char *after_s = arg(q1, "after"), *limit_s = arg(q2, "limit");
  int64_t after = -1, ref_after = 0, ref_limit = APP_PAGE_DEFAULT;
  int limit = -1;
  rp_err e = {0};
  rp_rc rc = http_page_parse(after_s, limit_s, &after, &limit, &e);
  bool ok = (!after_s || fuzz_ref_i64(after_s, 0, INT64_MAX, &ref_after)) &&
            (!limit_s || fuzz_ref_i64(limit_s, 1, APP_PAGE_MAX, &ref_limit));
  if (ok) {
    FUZZ_CHECK(rc == RP_OK);
    FUZZ_CHECK(after == ref_after && after >= 0);
    FUZZ_CHECK(limit == ref_limit && limit >= 1 && limit <= APP_PAGE_MAX);
  } else {
    FUZZ_CHECK(rc == RP_ERR_MALFORMED);
    FUZZ_CHECK(strcmp(e.code, "bad_query") == 0);
  }
  free(q1);
  free(q2);
  return 0;
}
