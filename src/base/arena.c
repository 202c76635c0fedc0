/* arena.c: a chain of blocks; large requests get a block of their own. */
#include "base/arena.h"
#include "base/err.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
  struct block *next;
  size_t size, used;
  alignas(max_align_t) unsigned char data[];
} block;

struct arena {
  block *head, *tail; /* allocation happens in tail */
  size_t block_size;
};

static block *block_new(size_t size) {
  block *b = rp_xmalloc(sizeof *b + size);
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

arena *arena_new(size_t block_size) {
  arena *a = rp_xmalloc(sizeof *a);
  a->block_size = block_size ? block_size : 16384;
  a->head = a->tail = block_new(a->block_size);
  return a;
}

void arena_free(arena *a) {
  if (!a) return;
  for (block *b = a->head, *n; b; b = n) {
    n = b->next;
    free(b);
  }
  free(a);
}

void arena_reset(arena *a) {
  for (block *b = a->head->next, *n; b; b = n) {
    n = b->next;
    free(b);
  }
  a->head->next = NULL;
  a->head->used = 0;
  a->tail = a->head;
}

void *arena_alloc(arena *a, size_t n) {
  const size_t align = alignof(max_align_t);
  n = (n + align - 1) & ~(align - 1);
  block *b = a->tail;
  if (b->size - b->used < n) {
    b = block_new(n > a->block_size ? n : a->block_size);
    a->tail->next = b;
    a->tail = b;
  }
  void *p = b->data + b->used;
  b->used += n;
  return p;
}

void *arena_zalloc(arena *a, size_t n) {
  void *p = arena_alloc(a, n);
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return arena_strdup(a, "");
  if ((size_t)n < sizeof small) return arena_strndup(a, small, (size_t)n);
  char *p = arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}
