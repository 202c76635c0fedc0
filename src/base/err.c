/* err.c: filling rp_err, and the allocation failure policy (see err.h). */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the well-formed UTF-8 sequence starting at s (1 to 4), or
 * 0 when none starts there (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF; a NUL ends a sequence early). */
static size_t utf8_seq(const unsigned char *s) {
  unsigned c = s[0], cp, min;
  size_t n;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1Fu, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0Fu, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0u) != 0x80u) return 0;
    cp = cp << 6 | (s[i] & 0x3Fu);
  }
  return cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : n;
}

/* Replaces every byte that is not part of well-formed UTF-8 with '?'.
 * Error texts quote outside input (a path, a JSON key, the parser's
 * message) and are cut to fit their arrays, possibly inside a character;
 * the problem document built from them must still be valid JSON text. */
static void utf8_scrub(char *s) {
  unsigned char *p = (unsigned char *)s;
  while (*p) {
    size_t n = utf8_seq(p);
    if (n) p += n;
    else *p++ = '?';
  }
}

rp_rc rp_fail(rp_err *e, rp_rc rc, const char *code, const char *fmt, ...) {
  if (!e) return rc;
  e->rc = rc;
  snprintf(e->code, sizeof e->code, "%s", code);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->detail, sizeof e->detail, fmt, ap);
  va_end(ap);
  utf8_scrub(e->detail);
  return rc;
}

void rp_field(rp_err *e, const char *pointer, const char *fmt, ...) {
  if (!e) return;
  if (e->rc != RP_ERR_INVALID) {
    e->rc = RP_ERR_INVALID;
    snprintf(e->code, sizeof e->code, "validation");
    snprintf(e->detail, sizeof e->detail, "The request has invalid fields.");
    e->nfield = 0;
  }
  if (e->nfield >= RP_ERR_MAX_FIELDS) return;
  rp_err_field *f = &e->field[e->nfield++];
  snprintf(f->pointer, sizeof f->pointer, "%s", pointer);
  utf8_scrub(f->pointer);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(f->detail, sizeof f->detail, fmt, ap);
  va_end(ap);
  utf8_scrub(f->detail);
}

void rp_err_reset(rp_err *e) {
  if (e) memset(e, 0, sizeof *e);
}

int rp_rc_status(rp_rc rc) {
  switch (rc) {
  case RP_OK: return 200;
  case RP_ERR_MALFORMED: return 400;
  case RP_ERR_AUTH: return 401;
  case RP_ERR_FORBIDDEN: return 403;
  case RP_ERR_NOT_FOUND: return 404;
  case RP_ERR_METHOD: return 405;
  case RP_ERR_CONFLICT: return 409;
  case RP_ERR_TOO_LARGE: return 413;
  case RP_ERR_UNSUPPORTED: return 415;
  case RP_ERR_INVALID: return 422;
  case RP_ERR_RATE: return 429;
  case RP_ERR_UNAVAILABLE: return 503;
  case RP_ERR_FULL: return 507;
  case RP_ERR_INTERNAL: return 500;
  }
  return 500;
}

const char *rp_rc_title(rp_rc rc) {
  switch (rc) {
  case RP_OK: return "OK";
  case RP_ERR_MALFORMED: return "Malformed request";
  case RP_ERR_AUTH: return "Sign-in required";
  case RP_ERR_FORBIDDEN: return "Not allowed";
  case RP_ERR_NOT_FOUND: return "Not found";
  case RP_ERR_METHOD: return "Method not allowed";
  case RP_ERR_CONFLICT: return "Conflict with the current state";
  case RP_ERR_TOO_LARGE: return "Request too large";
  case RP_ERR_UNSUPPORTED: return "Unsupported media type";
  case RP_ERR_INVALID: return "Validation failed";
  case RP_ERR_RATE: return "Too many requests";
  case RP_ERR_UNAVAILABLE: return "Service unavailable";
  case RP_ERR_FULL: return "Insufficient storage";
  case RP_ERR_INTERNAL: return "Internal error";
  }
  return "Internal error";
}

static void *oom(size_t n) {
  fprintf(stderr, "rapport: out of memory allocating %zu bytes\n", n);
  abort();
}

void *rp_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  return p ? p : oom(n);
}

void *rp_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  return p ? p : oom(n * size);
}

void *rp_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  return q ? q : oom(n);
}

char *rp_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = rp_xmalloc(n);
  memcpy(p, s, n);
  return p;
}
