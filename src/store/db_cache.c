/* db_cache.c: the cache of prepared statements every driver keeps per
 * connection (db_driver.h, db_stmt_cache): below the drivers, which use it,
 * and below db.c, which uses the drivers. */
#include "store/db_driver.h"

#include <stdint.h>

static size_t slot_of(const char *sql) {
  uintptr_t p = (uintptr_t)sql;
  p ^= p >> 17;
  p *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(p >> 7) & (DB_CACHE_SLOTS - 1);
}

db_stmt *db_cache_get(db_stmt_cache *cache, db *d, const char *sql,
                      db_stmt *(*make)(db *d, const char *sql, rp_err *e), rp_err *e) {
  size_t i = slot_of(sql);
  for (size_t probe = 0; probe < DB_CACHE_SLOTS; probe++, i = (i + 1) & (DB_CACHE_SLOTS - 1)) {
    db_stmt *s = cache->slots[i];
    if (!s) {
      s = make(d, sql, e);
      if (s) cache->slots[i] = s;
      return s;
    }
    if (s->sql == sql) return s;
  }
  rp_fail(e, RP_ERR_INTERNAL, "storage_error", "Statement cache is full.");
  return NULL;
}
