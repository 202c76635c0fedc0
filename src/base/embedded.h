/* embedded.h: files compiled into the binary (migrations, the web client).
 * Tables end with an entry whose name is NULL. */
#ifndef RAPPORT_BASE_EMBEDDED_H
#define RAPPORT_BASE_EMBEDDED_H

#include <stddef.h>

typedef struct rp_embedded {
  const char *name;          /* file name without folders */
  const unsigned char *data; /* NUL-terminated */
  size_t len;                /* without the NUL */
} rp_embedded;

#endif
