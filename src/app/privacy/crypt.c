/* crypt.c: the one boundary for confidential text, and the data keys
 * behind it (app/privacy/privacy.h "confidential text"; crypto/seal.h has the hierarchy
 * and the blob format).
 *
 * Only this file unwraps data keys. Unwrapped keys live in the request's
 * app_ctx (at most APP_DATA_KEYS_MAX, wiped with sodium_memzero when the
 * transaction ends, see app_crypt_end, and when the cache is full). The
 * server also keeps the keys it read in env->key_cache (app/privacy/keycache.h
 * says why that is safe): opening text takes a key from there first, and
 * when a cached key fails to open the text, from the store again. Sealing
 * never takes a key from there, and a key created in the open transaction
 * never goes there (the transaction could still roll back).
 *
 * Versions: key_state holds the wrapping version in force and the
 * data-key version new writes use. A relationship's key of that version is
 * created on its first write; `rotate --data` raises the version, so the
 * next write of every relationship creates a new key, and the re-encryption
 * job rewrites older rows (format 1, or an older key version), column by
 * column in row order, keeping (column, last row) in key_state. When it
 * finishes, keys of older versions are deleted.
 *
 * Shredding writes the destroyed key ids to the log (fsync) BEFORE the
 * caller's transaction commits. A crash between the two leaves keys in the
 * database that the log lists: the replay at the next open destroys them,
 * which completes a deletion that was asked for. The other order could
 * commit the deletion and lose the log line, and a backup restored later
 * would decrypt the relationship again.
 */
#include "app/privacy/privacy.h"
#include "app/privacy/keycache.h"
#include "base/log.h"
#include "crypto/seal.h"
#include "store/circle_repairs.h"
#include "store/keyring.h"
#include "store/yourdata.h"

#include <sodium.h>
#include <string.h>

static rp_rc destroyed(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "text_destroyed", "This text was deleted.");
}

static int col_of_kind(seal_kind kind) {
  for (int i = 0; i < store_sealed_columns(); i++)
    if (store_sealed_kind(i) == kind) return i;
  return -1;
}

void app_crypt_forget(app_ctx *c) {
  sodium_memzero(c->data_keys, sizeof c->data_keys);
  c->ndata_keys = 0;
  c->data_version = 0;
  c->created_key = false;
}

void app_crypt_end(app_ctx *c, bool committed) {
  app_crypt_forget(c);
  if (committed && c->shredded) {
    /* Once more after the commit: a reader of an older snapshot may have
     * cached a key of what was just destroyed (app/privacy/keycache.h). */
    if (c->env && c->env->key_cache) app_key_cache_clear(c->env->key_cache);
    rp_err ce = {0};
    if (store_checkpoint_truncate(c->st, &ce))
      log_warn("keys: the WAL checkpoint after crypto-shredding failed: %s", ce.detail);
  }
  c->shredded = false;
}

/* ---- data keys ---- */

static struct app_data_key *cache_slot(app_ctx *c, int64_t rel_id, int64_t author,
                                       uint32_t version) {
  for (int i = 0; i < c->ndata_keys; i++) {
    struct app_data_key *k = &c->data_keys[i];
    if (k->relationship_id == rel_id && k->author_id == author && k->version == version) return k;
  }
  return NULL;
}

static const unsigned char *cache_find(app_ctx *c, int64_t rel_id, int64_t author,
                                       uint32_t version) {
  const struct app_data_key *k = cache_slot(c, rel_id, author, version);
  return k ? k->key : NULL;
}

static const unsigned char *cache_put(app_ctx *c, int64_t rel_id, int64_t author,
                                      uint32_t version, const unsigned char key[SEAL_KEY_LEN],
                                      bool cached) {
  if (c->ndata_keys == APP_DATA_KEYS_MAX) {
    sodium_memzero(c->data_keys, sizeof c->data_keys);
    c->ndata_keys = 0;
  }
  struct app_data_key *k = &c->data_keys[c->ndata_keys++];
  k->relationship_id = rel_id;
  k->author_id = author;
  k->version = version;
  k->cached = cached;
  memcpy(k->key, key, SEAL_KEY_LEN);
  return k->key;
}

static void cache_drop_relationship(app_ctx *c, int64_t rel_id, int64_t author) {
  for (int i = 0; i < c->ndata_keys; i++)
    if (c->data_keys[i].relationship_id == rel_id || (author && c->data_keys[i].author_id == author))
      sodium_memzero(&c->data_keys[i], sizeof c->data_keys[i]);
  if (c->env && c->env->key_cache) app_key_cache_drop(c->env->key_cache, rel_id, author);
}

static rp_rc need_keys(app_ctx *c, rp_err *e) {
  if (c->env && c->env->keys) return RP_OK;
  return rp_fail(e, RP_ERR_INTERNAL, "no_keys", "The key file is not loaded.");
}

static rp_rc key_read(app_ctx *c, int64_t rel_id, int64_t author, uint32_t version, bool create,
                      rp_rc rc, store_data_key *kp, const store_key_state *known,
                      const unsigned char **out, rp_err *e);

/* The key of (rel_id, author) at version into *out; created (wrapped with
 * the wrapping key in force) when `create` and absent. Only an opening
 * (!create) takes it from env->key_cache, and only when `shared` (false
 * on the retry after a cached key failed). */
static rp_rc load_key(app_ctx *c, int64_t rel_id, int64_t author, uint32_t version, bool create,
                      bool shared, const unsigned char **out, rp_err *e) {
  if ((*out = cache_find(c, rel_id, author, version))) return RP_OK;
  rp_rc rc = need_keys(c, e);
  if (rc) return rc;
  app_key_cache *kc = c->env->key_cache;
  unsigned char key[SEAL_KEY_LEN];
  if (kc && shared && !create && app_key_cache_get(kc, rel_id, author, version, c->now, key)) {
    *out = cache_put(c, rel_id, author, version, key, true);
    sodium_memzero(key, sizeof key);
    return RP_OK;
  }
  store_data_key k;
  rc = store_key_get(c->st, rel_id, author, version, c->a, &k, e);
  return key_read(c, rel_id, author, version, create, rc, &k, NULL, out, e);
}

/* The rest of load_key once the store answered rc for the key k (absent:
 * RP_ERR_NOT_FOUND, e filled): created when `create` (wrapped with the
 * wrapping key of *known, or of the key state read now when NULL), else
 * unwrapped; cached for the transaction, and for the process when read. */
static rp_rc key_read(app_ctx *c, int64_t rel_id, int64_t author, uint32_t version, bool create,
                      rp_rc rc, store_data_key *kp, const store_key_state *known,
                      const unsigned char **out, rp_err *e) {
  app_key_cache *kc = c->env->key_cache;
  unsigned char key[SEAL_KEY_LEN];
  store_data_key k = {0};
  if (!rc) k = *kp;
  if (rc == RP_ERR_NOT_FOUND && create) {
    rp_err_reset(e);
    store_key_state ks;
    if (known) ks = *known;
    rc = known ? RP_OK : store_keys_state(c->st, &ks, e);
    if (rc) return rc;
    memset(&k, 0, sizeof k);
    k.ref.relationship_id = rel_id;
    k.ref.author_id = author;
    k.ref.version = version;
    k.wrap_version = ks.wrap_version;
    k.created_at = c->now;
    seal_key_new(key, &k.ref);
    k.wrapped = seal_key_wrap(c->env->keys, k.wrap_version, &k.ref, key, c->a);
    rc = store_key_insert(c->st, &k, e);
    c->created_key = true;
  } else if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    return destroyed(e);
  } else if (!rc) {
    rc = seal_key_unwrap(c->env->keys, k.wrap_version, &k.ref, k.wrapped, key, e);
  }
  if (!rc) *out = cache_put(c, rel_id, author, version, key, false);
  if (!rc && !c->created_key && kc)
    app_key_cache_put(kc, rel_id, author, version, c->now, key);
  sodium_memzero(key, sizeof key);
  return rc;
}

static int64_t key_author(const seal_ad *ad) { return ad->author_key ? ad->author_id : 0; }

/* Seals with the relationship's key of the version in force. */
static rp_rc seal_keyed(app_ctx *c, const seal_ad *ad, const char *text, size_t len,
                        rp_blob *out, rp_err *e) {
  const unsigned char *key;
  rp_rc rc;
  if (!c->data_version) { /* the version in force and its key, in one statement */
    store_key_state ks;
    store_data_key k;
    bool found = false;
    rc = need_keys(c, e);
    if (!rc)
      rc = store_key_in_force(c->st, ad->relationship_id, key_author(ad), c->a, &ks, &found, &k,
                              e);
    if (rc) return rc;
    c->data_version = ks.data_version;
    if (!cache_find(c, ad->relationship_id, key_author(ad), c->data_version)) {
      if (!found) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such data key.");
      rc = key_read(c, ad->relationship_id, key_author(ad), c->data_version, true, rc, &k, &ks,
                    &key, e);
      if (rc) return rc;
    }
  }
  rc = load_key(c, ad->relationship_id, key_author(ad), c->data_version, true, false, &key, e);
  if (rc) return rc;
  *out = seal_text(key, c->data_version, ad, text, len, c->a);
  return RP_OK;
}

/* After a failed open: whether the key used came from env->key_cache, in
 * which case it is dropped from both caches so that the retry reads the
 * store (a key cached by another instance's view could be stale). */
static bool retry_uncached(app_ctx *c, int64_t rel_id, int64_t author, uint32_t version) {
  struct app_data_key *k = cache_slot(c, rel_id, author, version);
  if (!k || !k->cached) return false;
  sodium_memzero(k, sizeof *k);
  app_key_cache_drop_one(c->env->key_cache, rel_id, author, version);
  return true;
}

/* Opens without noting an access (the re-encryption job is no reader). */
static rp_rc open_blob(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out, rp_err *e) {
  uint32_t kv;
  if (b.len == 0) return destroyed(e);
  switch (seal_format(b, &kv)) {
  case SEAL_FORMAT_LEGACY: {
    rp_rc rc = need_keys(c, e);
    return rc ? rc : seal_open_legacy(c->env->keys, ad, b, c->a, out, e);
  }
  case SEAL_FORMAT: {
    const unsigned char *key;
    rp_rc rc = load_key(c, ad->relationship_id, key_author(ad), kv, false, true, &key, e);
    if (!rc) rc = seal_open(key, ad, b, c->a, out, e);
    if (rc && retry_uncached(c, ad->relationship_id, key_author(ad), kv)) {
      rp_err_reset(e);
      rc = load_key(c, ad->relationship_id, key_author(ad), kv, false, false, &key, e);
      if (!rc) rc = seal_open(key, ad, b, c->a, out, e);
    }
    return rc;
  }
  case SEAL_FORMAT_PLAIN:
#ifdef RAPPORT_BENCH_PLAIN
    return seal_open_plain(b, c->a, out, e);
#else
    return rp_fail(e, RP_ERR_INTERNAL, "plaintext_in_store",
                   "Stored text was written by a bench-only build without encryption.");
#endif
  default:
    return rp_fail(e, RP_ERR_INTERNAL, "sealed_text_damaged", "Stored text cannot be read.");
  }
}

rp_rc app_seal(app_ctx *c, const seal_ad *ad, const char *text, size_t len, rp_blob *out,
               rp_err *e) {
#ifdef RAPPORT_BENCH_PLAIN /* bench-only: no key lookup, no encryption */
  (void)ad;
  (void)e;
  *out = seal_plain(text, len, c->a);
  return RP_OK;
#else
  return seal_keyed(c, ad, text, len, out, e);
#endif
}

void app_seal_ahead(app_ctx *c, const seal_ad *ad) {
#ifdef RAPPORT_BENCH_PLAIN
  (void)c;
  (void)ad;
#else
  if (!c->data_version && c->env && c->env->keys)
    store_key_in_force_ahead(c->st, ad->relationship_id, key_author(ad));
#endif
}

rp_rc app_seal_row(app_ctx *c, const seal_ad *ad, const char *text, size_t len, rp_blob *out,
                   rp_err *e) {
  int col = col_of_kind(ad->kind);
  if (col < 0)
    return rp_fail(e, RP_ERR_INTERNAL, "seal_kind", "No column holds texts of kind %d.",
                   (int)ad->kind);
  rp_blob b;
  rp_rc rc = app_seal(c, ad, text, len, &b, e);
  if (!rc) rc = store_sealed_set(c->st, col, ad->row_id, b, e);
  if (!rc && out) *out = b;
  return rc;
}

rp_rc app_seal_reason(app_ctx *c, const rel_event *ev, const char *reason, rp_err *e) {
  seal_ad ad = {SEAL_REASON, ev->relationship_id, ev->id, ev->actor_id, false};
  return app_seal_row(c, &ad, reason, strlen(reason), NULL, e);
}

rp_rc app_open(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out, rp_err *e) {
  rp_rc rc = open_blob(c, ad, b, out, e);
  /* A private note opened by its own author is nobody else's data: logging
   * it for the other party would tell them that private notes exist. */
  bool own_private = ad->author_key && ad->author_id == c->actor;
  if (!rc && !own_private && ad->relationship_id == 0 && ad->author_key)
    app_access_saw_owned(c, ad->author_id, (int)ad->kind);
  else if (!rc && !own_private)
    app_access_saw(c, ad->relationship_id, (int)ad->kind);
  return rc;
}

rp_rc app_open_for_server(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out,
                          rp_err *e) {
  return open_blob(c, ad, b, out, e);
}

rp_rc app_open_sent(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out, rp_err *e) {
  return open_blob(c, ad, b, out, e);
}

/* ---- crypto-shredding ---- */

static rp_rc log_destroyed(app_ctx *c, char **ids, size_t n, rp_err *e) {
  rp_rc rc = need_keys(c, e);
  return rc ? rc : keys_destroyed_append(keys_destroyed_path(c->env->keys), ids, n, e);
}

/* Empties every sealed column of the relationship and deletes its keys. */
static rp_rc destroy_relationship_text(app_ctx *c, int64_t rel_id, rp_err *e) {
  rp_rc rc = store_sealed_clear_relationship(c->st, rel_id, e);
  return rc ? rc : store_keys_delete_relationship(c->st, rel_id, e);
}

rp_rc app_keys_shred_relationship(app_ctx *c, int64_t rel_id, rp_err *e) {
  if (rel_id <= 0) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  char **ids;
  size_t n;
  rp_rc rc = store_key_ids_of_relationship(c->st, rel_id, c->a, &ids, &n, e);
  if (!rc) rc = log_destroyed(c, ids, n, e); /* before the commit: see the top */
  if (!rc) rc = destroy_relationship_text(c, rel_id, e);
  if (!rc) rc = store_keys_destroyed_notify(c->st, e); /* other instances, at the commit */
  if (!rc) {
    cache_drop_relationship(c, rel_id, 0);
    c->shredded = true;
  }
  return rc;
}

rp_rc app_keys_shred_author(app_ctx *c, int64_t person_id, rp_err *e) {
  if (person_id <= 0) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such person.");
  char **ids;
  size_t n;
  rp_rc rc = store_key_ids_of_author(c->st, person_id, c->a, &ids, &n, e);
  if (!rc) rc = log_destroyed(c, ids, n, e);
  if (!rc) rc = store_sealed_delete_private_notes(c->st, person_id, 0, e);
  if (!rc) rc = store_keys_delete_author(c->st, person_id, e);
  if (!rc) rc = store_keys_destroyed_notify(c->st, e);
  if (!rc) {
    cache_drop_relationship(c, -1, person_id);
    c->shredded = true;
  }
  return rc;
}

/* Which of the n key ids this database holds: their references in refs. */
static rp_rc held_keys(app_ctx *c, char **ids, size_t n, seal_keyref *refs, size_t *nfound,
                       rp_err *e) {
  rp_rc rc = RP_OK;
  *nfound = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    bool found = false;
    rc = store_key_find(c->st, ids[i], &found, &refs[*nfound], e);
    if (!rc && found) (*nfound)++;
  }
  return rc;
}

rp_rc app_keys_replay(app_ctx *c, const char *log_path, int *count, rp_err *e) {
  char **ids;
  size_t n, nfound = 0;
  *count = 0;
  rp_rc rc = keys_destroyed_read(log_path, c->a, &ids, &n, e);
  if (rc || n == 0) return rc;
  /* Usually the log's keys are long gone: a read finds that without the
   * write lock, so opening the database does not wait for writers. */
  seal_keyref *refs = arena_alloc(c->a, n * sizeof *refs);
  rc = store_begin_read(c->st, e);
  if (!rc) rc = held_keys(c, ids, n, refs, &nfound, e);
  store_rollback(c->st);
  if (rc || nfound == 0) return rc;
  /* Some are here: which, again under the write lock, then destroy them
   * (one relationship's shared key takes its authors' keys along). */
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = held_keys(c, ids, n, refs, &nfound, e);
  for (size_t i = 0; i < nfound && !rc; i++) {
    const seal_keyref ref = refs[i];
    if (ref.author_id == 0) { /* the relationship's own key: all of its text */
      rc = destroy_relationship_text(c, ref.relationship_id, e);
      /* Only deleting a relationship destroys its shared key: the restored
       * copy loses the row again too (app/yourdata/yourdata.c deletes it the same way). */
      if (!rc && ref.relationship_id > 0) {
        rc = store_relationship_delete(c->st, ref.relationship_id, e);
        if (rc == RP_ERR_NOT_FOUND) {
          rp_err_reset(e);
          rc = RP_OK;
        }
      }
    } else if (ref.relationship_id < 0) { /* an author's key in a circle: all they wrote there */
      int64_t emptied = 0;
      rc = store_circle_texts_shred_author(c->st, ref.author_id, -ref.relationship_id, &emptied, e);
      if (!rc) rc = store_key_delete(c->st, ref.key_id, e);
    } else { /* an author's key in one relationship: their private notes there */
      rc = store_sealed_delete_private_notes(c->st, ref.author_id, ref.relationship_id, e);
      if (!rc) rc = store_key_delete(c->st, ref.key_id, e);
    }
    if (!rc) (*count)++;
  }
  if (!rc && *count) rc = store_keys_destroyed_notify(c->st, e);
  if (!rc && *count) c->shredded = true;
  return app_finish(c, rc, e);
}

/* ---- rotation and re-encryption ---- */

rp_rc app_keys_rotate_wrap(app_ctx *c, int64_t *rewrapped, rp_err *e) {
  *rewrapped = 0;
  rp_rc rc = need_keys(c, e);
  if (!rc) rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_key_state ks;
  rc = store_keys_state(c->st, &ks, e);
  uint32_t next_wrap = ks.wrap_version + 1;
  int64_t after = 0, next = 0;
  do {
    store_data_key *items = NULL;
    size_t n = 0;
    if (!rc) rc = store_keys_list(c->st, after, 200, c->a, &items, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      unsigned char key[SEAL_KEY_LEN];
      rc = seal_key_unwrap(c->env->keys, items[i].wrap_version, &items[i].ref, items[i].wrapped,
                           key, e);
      if (!rc) {
        rp_blob w = seal_key_wrap(c->env->keys, next_wrap, &items[i].ref, key, c->a);
        rc = store_key_rewrap(c->st, items[i].id, next_wrap, w, e);
      }
      sodium_memzero(key, sizeof key);
      if (!rc) (*rewrapped)++;
    }
    after = next;
  } while (!rc && next);
  if (!rc) {
    ks.wrap_version = next_wrap;
    rc = store_keys_state_set(c->st, &ks, e);
  }
  return app_finish(c, rc, e);
}

rp_rc app_keys_rotate_data(app_ctx *c, uint32_t *version, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_key_state ks;
  rc = store_keys_state(c->st, &ks, e);
  if (!rc) {
    ks.data_version++;
    ks.reencrypt_running = true; /* from the start: every column again */
    ks.reencrypt_column = 0;
    ks.reencrypt_after = 0;
    *version = ks.data_version;
    rc = store_keys_state_set(c->st, &ks, e);
  }
  return app_finish(c, rc, e);
}

static bool needs_rewrite(rp_blob b, uint32_t data_version) {
  uint32_t kv;
  int f = seal_format(b, &kv);
  return f == SEAL_FORMAT_LEGACY || (f == SEAL_FORMAT && kv < data_version);
}

rp_rc app_keys_reencrypt_step(app_ctx *c, int batch, int *rewritten, bool *finished, rp_err *e) {
  store_key_state ks;
  *rewritten = 0;
  *finished = false;
  rp_rc rc = store_keys_state(c->st, &ks, e);
  if (rc) return rc;
  if (!ks.reencrypt_running) {
    *finished = true;
    return RP_OK;
  }
  c->data_version = ks.data_version;
  int ncols = store_sealed_columns(), budget = batch > 0 ? batch : 1;
  while (!rc && budget > 0 && ks.reencrypt_column < ncols) {
    int col = ks.reencrypt_column;
    store_sealed_row *rows = NULL;
    size_t n = 0;
    rc = store_sealed_rows(c->st, col, ks.reencrypt_after, budget, c->a, &rows, &n, e);
    for (size_t i = 0; i < n && !rc; i++) {
      if (needs_rewrite(rows[i].ct, ks.data_version)) {
        seal_ad ad = {store_sealed_kind(col), rows[i].relationship_id, rows[i].id,
                      rows[i].author_id, rows[i].author_key};
        const char *plain;
        rp_err oe = {0};
        if (open_blob(c, &ad, rows[i].ct, &plain, &oe)) {
          log_warn("keys: %s row %lld does not open (%s); left as it is",
                   store_sealed_name(col), (long long)rows[i].id, oe.code);
        } else {
          size_t len = strlen(plain);
          rp_blob nb;
          rc = seal_keyed(c, &ad, plain, len, &nb, e);
          sodium_memzero((void *)(uintptr_t)plain, len);
          if (!rc) rc = store_sealed_set(c->st, col, rows[i].id, nb, e);
          if (!rc) (*rewritten)++;
        }
      }
      ks.reencrypt_after = rows[i].id;
    }
    if (rc) break;
    budget -= (int)n;
    if (budget > 0) { /* the column had fewer rows left than asked: it is done */
      ks.reencrypt_column++;
      ks.reencrypt_after = 0;
    }
  }
  if (rc) return rc;
  if (ks.reencrypt_column >= ncols) {
    int64_t retired = 0;
    ks.reencrypt_running = false;
    ks.reencrypt_column = 0;
    ks.reencrypt_after = 0;
    rc = store_keys_retire_below(c->st, ks.data_version, &retired, e);
    if (!rc && retired) log_info("keys: re-encryption done; %lld older data keys deleted",
                                 (long long)retired);
    *finished = true;
  }
  return rc ? rc : store_keys_state_set(c->st, &ks, e);
}

rp_rc app_keys_reencrypt_job(app_ctx *c, int *changed, rp_err *e) {
  int n = 0;
  bool finished = false;
  rp_rc rc = app_keys_reencrypt_step(c, APP_KEYS_REENCRYPT_BATCH, &n, &finished, e);
  if (!rc) *changed += n;
  return rc;
}

rp_rc app_keys_status_get(app_ctx *c, app_keys_status *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_key_state ks;
  rc = store_keys_state(c->st, &ks, e);
  if (!rc) {
    out->wrap_version = ks.wrap_version;
    out->data_version = ks.data_version;
    out->reencrypt_running = ks.reencrypt_running;
  }
  int64_t after = 0, next = 0;
  do {
    store_data_key *items = NULL;
    size_t n = 0;
    if (!rc) rc = store_keys_list(c->st, after, 200, c->a, &items, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      out->keys++;
      if (items[i].ref.version < ks.data_version) out->keys_old++;
      if (items[i].wrap_version < ks.wrap_version) out->keys_old_wrap++;
    }
    after = next;
  } while (!rc && next);
  for (int col = 0; col < store_sealed_columns() && !rc; col++) {
    int64_t from = 0;
    for (;;) {
      store_sealed_row *rows = NULL;
      size_t n = 0;
      rc = store_sealed_rows(c->st, col, from, APP_KEYS_REENCRYPT_BATCH, c->a, &rows, &n, e);
      for (size_t i = 0; i < n && !rc; i++) {
        uint32_t kv;
        int f = seal_format(rows[i].ct, &kv);
        from = rows[i].id;
        if (!rows[i].ct.len) continue; /* destroyed */
        out->rows++;
        if (f == SEAL_FORMAT_LEGACY) out->rows_legacy++;
        else if (f == SEAL_FORMAT && kv < ks.data_version) out->rows_old++;
        else if (f == SEAL_FORMAT_PLAIN) out->rows_plain++;
      }
      if (rc || n < APP_KEYS_REENCRYPT_BATCH) break;
    }
  }
  store_rollback(c->st);
  return rc;
}
