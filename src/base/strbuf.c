/* strbuf.c: see strbuf.h. */
#include "base/strbuf.h"
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *b, size_t cap) {
  memset(b, 0, sizeof *b);
  b->cap = cap;
}

void sb_free(strbuf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->alloc = 0;
}

static int sb_fail(strbuf *b) {
  sb_free(b);
  b->failed = true;
  return -1;
}

int sb_append(strbuf *b, const void *p, size_t n) {
  if (b->failed || n > b->cap || b->len > b->cap - n) return sb_fail(b);
  if (b->len + n + 1 > b->alloc) {
    size_t a = b->alloc ? b->alloc : 256;
    while (a < b->len + n + 1) a *= 2;
    b->data = rp_xrealloc(b->data, a);
    b->alloc = a;
  }
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int sb_puts(strbuf *b, const char *s) { return sb_append(b, s, strlen(s)); }

int sb_printf(strbuf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return sb_fail(b);
  if ((size_t)n < sizeof small) return sb_append(b, small, (size_t)n);
  char *big = rp_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  int rc = sb_append(b, big, (size_t)n);
  free(big);
  return rc;
}

char *rp_path_beside(const char *path, const char *ext, const char *with, const char *otherwise) {
  size_t n = strlen(path), k = strlen(ext);
  bool ends = n > k && strcmp(path + n - k, ext) == 0;
  size_t keep = ends ? n - k : n;
  const char *tail = ends ? with : otherwise;
  size_t t = strlen(tail);
  char *p = rp_xmalloc(keep + t + 1);
  memcpy(p, path, keep);
  memcpy(p + keep, tail, t + 1);
  return p;
}
