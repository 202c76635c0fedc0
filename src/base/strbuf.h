/* strbuf.h: a growable byte buffer with a hard cap set at creation.
 *
 * An append that would pass the cap fails, frees the buffer and leaves it
 * empty and failed (every later append fails too), so a caller that checks
 * only at the end cannot keep a half-built value by mistake.
 */
#ifndef RAPPORT_BASE_STRBUF_H
#define RAPPORT_BASE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
  char *data; /* NUL-terminated while not failed */
  size_t len, alloc, cap;
  bool failed;
} strbuf;

void sb_init(strbuf *b, size_t cap);
void sb_free(strbuf *b);
/* Each returns 0, or -1 when the cap would be passed (b is then failed). */
int sb_append(strbuf *b, const void *p, size_t n);
int sb_puts(strbuf *b, const char *s);
int sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name of a file that lives beside path: path with its ending `ext`
 * replaced by `with` ("x.db" -> "x.key"), or path + `otherwise` when it
 * does not end in ext (or is nothing but ext). malloc'd. */
char *rp_path_beside(const char *path, const char *ext, const char *with, const char *otherwise);

#endif
