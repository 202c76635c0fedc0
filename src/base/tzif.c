/* tzif.c: offsets from TZif data (see tzif.h). */
#include "base/tzif.h"

#include <string.h>

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
  return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_counts {
  uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

/* Reads the header at p (44 bytes); false unless it is one. */
static bool header(const unsigned char *p, size_t left, tzif_counts *k) {
  if (left < 44 || memcmp(p, "TZif", 4) != 0) return false;
  k->isut = be32(p + 20);
  k->isstd = be32(p + 24);
  k->leap = be32(p + 28);
  k->time = be32(p + 32);
  k->type = be32(p + 36);
  k->chars = be32(p + 40);
  return k->type > 0 && k->type <= 256 && k->time <= 100000 && k->leap <= 100000 &&
         k->chars <= 100000 && k->isut <= 256 && k->isstd <= 256;
}

/* The size of a data block with these counts, at time size ts (4 or 8). */
static size_t block(const tzif_counts *k, size_t ts) {
  return (size_t)k->time * ts + k->time + (size_t)k->type * 6 + k->chars +
         (size_t)k->leap * (ts + 4) + k->isstd + k->isut;
}

bool tzif_offset(const unsigned char *data, size_t len, int64_t t, int32_t *offset_s) {
  tzif_counts k;
  if (!header(data, len, &k) || data[4] < '2') return false;
  size_t v1 = 44 + block(&k, 4);
  if (v1 > len || !header(data + v1, len - v1, &k)) return false;
  const unsigned char *p = data + v1 + 44;
  if (block(&k, 8) > len - v1 - 44) return false;
  const unsigned char *times = p, *idx = p + (size_t)k.time * 8, *types = idx + k.time;
  /* Before the first transition (or with none): the first type. */
  uint32_t type = 0;
  for (uint32_t i = 0; i < k.time && be64(times + (size_t)i * 8) <= t; i++) type = idx[i];
  if (type >= k.type) return false;
  *offset_s = (int32_t)be32(types + (size_t)type * 6);
  return *offset_s > -25 * 3600 && *offset_s < 26 * 3600;
}

bool tzif_name_valid(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > 64 || name[0] == '/' || name[n - 1] == '/') return false;
  for (size_t i = 0; i < n; i++) {
    char ch = name[i];
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '+' || ch == '/';
    if (!ok || (ch == '/' && name[i + 1] == '/')) return false;
    if ((i == 0 || name[i - 1] == '/') && (ch == '.' || ch == '-')) return false;
  }
  return true;
}
