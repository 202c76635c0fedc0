/* arena.h: request-scoped memory.
 *
 * Each request (and each CLI command) allocates from one arena and frees it
 * once at the end; handlers never free piecemeal. Blocks grow on demand;
 * allocation failure aborts (see err.h). Memory is not zeroed unless asked.
 */
#ifndef RAPPORT_BASE_ARENA_H
#define RAPPORT_BASE_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(size_t block_size);
void arena_free(arena *a);
/* arena_reset releases everything but the first block, for reuse. */
void arena_reset(arena *a);

void *arena_alloc(arena *a, size_t n);   /* aligned for any type */
void *arena_zalloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* fmt is nonnull: besides being true, saying so keeps GCC 12 with
 * -fsanitize=undefined from warning about a null format on its check path. */
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), nonnull(2)));

#endif
