/* keycache.h: the server's cache of unwrapped data keys (app/privacy/crypt.c
 * alone uses it).
 *
 * Reading a relationship's text needs its data key: a row of data_keys and
 * an XChaCha20-Poly1305 unwrap, about as much work again as opening the
 * text itself. The server keeps recently used keys, keyed by (relationship,
 * author, data-key version), for APP_KEY_CACHE_TTL_S seconds.
 *
 * Why this is safe:
 *  - A key's bytes never change while the key exists: rotating the wrapping
 *    key re-wraps the same bytes, and a new data-key version is a new key
 *    under a new triple. So a cached key is the stored key, or one that was
 *    destroyed since.
 *  - Only keys read from the database are put here, never one created in a
 *    transaction that could still roll back (crypt.c), and sealing never
 *    reads the cache: a new row is always sealed with the stored key.
 *  - A destroyed key's text is emptied in the same transaction that deletes
 *    the key (crypto-shredding), so a stale key opens nothing. The process
 *    that shreds drops the keys at once; on PostgreSQL the others are told
 *    (app_key_watch_start, below); otherwise another process (a second
 *    instance, the CLI) holds them at most APP_KEY_CACHE_TTL_S seconds.
 *  - The process holds the master key, which unwraps every data key; the
 *    cache adds no key a memory read could not already derive. Its memory
 *    comes from sodium_malloc (guard pages, locked, out of core dumps) and
 *    a dropped slot is wiped.
 *
 * All functions are safe from any thread (one mutex; a lookup copies the
 * key out, so no pointer into the cache escapes).
 */
#ifndef RAPPORT_APP_PRIVACY_KEYCACHE_H
#define RAPPORT_APP_PRIVACY_KEYCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/timeutil.h"
#include "crypto/seal.h"

#define APP_KEY_CACHE_SLOTS 1024
#define APP_KEY_CACHE_TTL_S 300

typedef struct app_key_cache app_key_cache;

/* A cache of `slots` keys (rounded up to a power of two) that keeps each
 * for ttl_s seconds; NULL when locked memory cannot be had. */
app_key_cache *app_key_cache_new(unsigned slots, int ttl_s);
/* Wipes every key and frees the cache; NULL is fine. */
void app_key_cache_free(app_key_cache *kc);

/* Copies the key of (rel_id, author_id, version) into out and returns true
 * when cached and younger than the cache's ttl at `now`. */
bool app_key_cache_get(app_key_cache *kc, int64_t rel_id, int64_t author_id, uint32_t version,
                       rp_time now, unsigned char out[SEAL_KEY_LEN]);
/* Caches a key read from the database at `now`, replacing whatever held
 * its slot. */
void app_key_cache_put(app_key_cache *kc, int64_t rel_id, int64_t author_id, uint32_t version,
                       rp_time now, const unsigned char key[SEAL_KEY_LEN]);
/* Wipes the keys of relationship rel_id (any author) when rel_id > 0, and
 * the keys of author_id (any relationship) when author_id > 0. */
void app_key_cache_drop(app_key_cache *kc, int64_t rel_id, int64_t author_id);
/* Wipes every key. */
void app_key_cache_clear(app_key_cache *kc);
/* Wipes the one key of (rel_id, author_id, version), if cached. */
void app_key_cache_drop_one(app_key_cache *kc, int64_t rel_id, int64_t author_id,
                            uint32_t version);
/* Wipes the keys older than the ttl at `now`; returns how many. */
int app_key_cache_expire(app_key_cache *kc, rp_time now);

/* Several instances on one PostgreSQL: a thread that wipes kc whenever
 * another process destroyed keys (store_keys_destroyed_notify), within
 * APP_KEY_WATCH_MS of that commit, and also whenever its connection failed
 * (it may have missed one; it reconnects). NULL on SQLite, where this
 * process alone serves, and when kc is NULL. The cache's ttl stays the
 * backstop. */
#define APP_KEY_WATCH_MS 200
typedef struct app_key_watch app_key_watch;
app_key_watch *app_key_watch_start(const char *db_path, app_key_cache *kc);
/* Stops the thread and frees w; NULL is fine. */
void app_key_watch_stop(app_key_watch *w);

#endif
