/* keycache.c: the server's cache of unwrapped data keys (keycache.h says
 * why it is safe).
 *
 * A set-associative table: a triple hashes to a set of KC_WAYS slots; a
 * lookup checks the set, a put takes the triple's own slot, else a free or
 * expired one, else the oldest. The slots live in one sodium_malloc block.
 */
#include "app/privacy/keycache.h"
#include "base/err.h"
#include "base/log.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KC_WAYS 4

typedef struct kc_slot {
  int64_t rel_id;
  int64_t author_id;
  uint32_t version;
  bool used;
  rp_time added;
  unsigned char key[SEAL_KEY_LEN];
} kc_slot;

struct app_key_cache {
  pthread_mutex_t mu;
  kc_slot *slots; /* nsets * KC_WAYS, sodium_malloc */
  unsigned nsets; /* a power of two */
  int ttl_s;
};

app_key_cache *app_key_cache_new(unsigned slots, int ttl_s) {
  unsigned nsets = 1;
  while (nsets * KC_WAYS < slots && nsets < (1u << 20)) nsets <<= 1;
  if (sodium_init() < 0) return NULL;
  app_key_cache *kc = sodium_malloc(sizeof *kc);
  if (!kc) return NULL;
  kc->slots = sodium_allocarray(nsets * KC_WAYS, sizeof *kc->slots);
  if (!kc->slots) {
    sodium_free(kc);
    return NULL;
  }
  memset(kc->slots, 0, sizeof *kc->slots * nsets * KC_WAYS);
  kc->nsets = nsets;
  kc->ttl_s = ttl_s;
  pthread_mutex_init(&kc->mu, NULL);
  return kc;
}

void app_key_cache_free(app_key_cache *kc) {
  if (!kc) return;
  pthread_mutex_destroy(&kc->mu);
  sodium_free(kc->slots); /* sodium_free wipes before freeing */
  sodium_free(kc);
}

static kc_slot *set_of(app_key_cache *kc, int64_t rel_id, int64_t author_id, uint32_t version) {
  uint64_t h = (uint64_t)rel_id * 0x9E3779B97F4A7C15u;
  h ^= (uint64_t)author_id * 0xC2B2AE3D27D4EB4Fu;
  h ^= (uint64_t)version * 0x165667B19E3779F9u;
  h ^= h >> 29;
  return &kc->slots[(h & (kc->nsets - 1)) * KC_WAYS];
}

static bool is(const kc_slot *s, int64_t rel_id, int64_t author_id, uint32_t version) {
  return s->used && s->rel_id == rel_id && s->author_id == author_id && s->version == version;
}

static bool expired(const app_key_cache *kc, const kc_slot *s, rp_time now) {
  return now < s->added || now - s->added >= kc->ttl_s;
}

static void wipe(kc_slot *s) { sodium_memzero(s, sizeof *s); }

bool app_key_cache_get(app_key_cache *kc, int64_t rel_id, int64_t author_id, uint32_t version,
                       rp_time now, unsigned char out[SEAL_KEY_LEN]) {
  bool found = false;
  pthread_mutex_lock(&kc->mu);
  kc_slot *set = set_of(kc, rel_id, author_id, version);
  for (int i = 0; i < KC_WAYS; i++) {
    if (!is(&set[i], rel_id, author_id, version)) continue;
    if (expired(kc, &set[i], now)) {
      wipe(&set[i]);
    } else {
      memcpy(out, set[i].key, SEAL_KEY_LEN);
      found = true;
    }
    break;
  }
  pthread_mutex_unlock(&kc->mu);
  return found;
}

void app_key_cache_put(app_key_cache *kc, int64_t rel_id, int64_t author_id, uint32_t version,
                       rp_time now, const unsigned char key[SEAL_KEY_LEN]) {
  pthread_mutex_lock(&kc->mu);
  kc_slot *set = set_of(kc, rel_id, author_id, version), *pick = NULL;
  for (int i = 0; i < KC_WAYS && !pick; i++)
    if (is(&set[i], rel_id, author_id, version)) pick = &set[i];
  for (int i = 0; i < KC_WAYS && !pick; i++)
    if (!set[i].used || expired(kc, &set[i], now)) pick = &set[i];
  if (!pick) { /* the set is full of live keys: the oldest goes */
    pick = &set[0];
    for (int i = 1; i < KC_WAYS; i++)
      if (set[i].added < pick->added) pick = &set[i];
  }
  wipe(pick);
  pick->rel_id = rel_id;
  pick->author_id = author_id;
  pick->version = version;
  pick->added = now;
  pick->used = true;
  memcpy(pick->key, key, SEAL_KEY_LEN);
  pthread_mutex_unlock(&kc->mu);
}

void app_key_cache_drop(app_key_cache *kc, int64_t rel_id, int64_t author_id) {
  pthread_mutex_lock(&kc->mu);
  for (unsigned i = 0; i < kc->nsets * KC_WAYS; i++) {
    kc_slot *s = &kc->slots[i];
    if (s->used && ((rel_id > 0 && s->rel_id == rel_id) ||
                    (author_id > 0 && s->author_id == author_id)))
      wipe(s);
  }
  pthread_mutex_unlock(&kc->mu);
}

void app_key_cache_clear(app_key_cache *kc) {
  pthread_mutex_lock(&kc->mu);
  sodium_memzero(kc->slots, sizeof *kc->slots * kc->nsets * KC_WAYS);
  pthread_mutex_unlock(&kc->mu);
}

void app_key_cache_drop_one(app_key_cache *kc, int64_t rel_id, int64_t author_id,
                            uint32_t version) {
  pthread_mutex_lock(&kc->mu);
  kc_slot *set = set_of(kc, rel_id, author_id, version);
  for (int i = 0; i < KC_WAYS; i++)
    if (is(&set[i], rel_id, author_id, version)) wipe(&set[i]);
  pthread_mutex_unlock(&kc->mu);
}

int app_key_cache_expire(app_key_cache *kc, rp_time now) {
  int n = 0;
  pthread_mutex_lock(&kc->mu);
  for (unsigned i = 0; i < kc->nsets * KC_WAYS; i++) {
    kc_slot *s = &kc->slots[i];
    if (s->used && expired(kc, s, now)) {
      wipe(s);
      n++;
    }
  }
  pthread_mutex_unlock(&kc->mu);
  return n;
}

/* ---- the watch for keys destroyed by other instances ---- */

struct app_key_watch {
  char *db_path;
  app_key_cache *kc;
  pthread_t thread;
  atomic_bool stop;
};

static void *watch_main(void *arg) {
  app_key_watch *w = arg;
  store_keys_watch *sw = NULL;
  while (!atomic_load(&w->stop)) {
    rp_err e = {0};
    if (!sw) {
      if (store_keys_watch_open(w->db_path, &sw, &e) || !sw) {
        log_warn("keys: cannot watch for keys destroyed elsewhere (%s); retrying",
                 e.detail[0] ? e.detail : "no connection");
        sleep(1);
        continue;
      }
      app_key_cache_clear(w->kc); /* what was destroyed while nobody listened */
    }
    int r = store_keys_watch_wait(sw, APP_KEY_WATCH_MS, &e);
    if (r != 0) app_key_cache_clear(w->kc);
    if (r > 0) log_info("keys: another instance destroyed keys; this one's key cache is wiped");
    if (r < 0) {
      store_keys_watch_close(sw);
      sw = NULL;
    }
  }
  store_keys_watch_close(sw);
  return NULL;
}

app_key_watch *app_key_watch_start(const char *db_path, app_key_cache *kc) {
  if (!kc || !store_is_postgres(db_path)) return NULL;
  app_key_watch *w = rp_xcalloc(1, sizeof *w);
  w->db_path = rp_xstrdup(db_path);
  w->kc = kc;
  atomic_init(&w->stop, false);
  if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
    log_warn("keys: no thread to watch for keys destroyed elsewhere; the cache's ttl bounds them");
    free(w->db_path);
    free(w);
    return NULL;
  }
  return w;
}

void app_key_watch_stop(app_key_watch *w) {
  if (!w) return;
  atomic_store(&w->stop, true);
  pthread_join(w->thread, NULL);
  free(w->db_path);
  free(w);
}
