/* blob.h: bytes with their length (sealed text, hashes). */
#ifndef RAPPORT_BASE_BLOB_H
#define RAPPORT_BASE_BLOB_H

#include <stddef.h>

typedef struct rp_blob {
  const unsigned char *data;
  size_t len;
} rp_blob;

#endif
