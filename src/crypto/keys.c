/* keys.c: see keys.h. */
#include "crypto/keys.h"
#include "base/err.h"
#include "base/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define KDF_CONTEXT "rapport1"
#define WRAP_CONTEXT "rpwrap01" /* key-wrapping keys, one sub-key id per wrapping version */
#define NSUB 5

struct keys {
  unsigned char *sub;    /* NSUB * KEYS_LEN bytes of sodium_malloc memory */
  unsigned char *master; /* crypto_kdf_KEYBYTES, sodium_malloc, read-only */
  char *destroyed;       /* the destroyed-key log beside the key file */
};

bool crypto_init(void) { return sodium_init() >= 0; }

char *keys_default_path(const char *db_path) {
  return rp_path_beside(db_path, ".db", ".key", ".key");
}

rp_rc keys_create(const char *path, rp_err *e) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST)
      return rp_fail(e, RP_ERR_CONFLICT, "key_exists", "The key file %s already exists.", path);
    return rp_fail(e, RP_ERR_UNAVAILABLE, "key_file", "Cannot create %s: %s", path,
                   strerror(errno));
  }
  unsigned char master[crypto_kdf_KEYBYTES];
  crypto_kdf_keygen(master);
  ssize_t w = write(fd, master, sizeof master);
  sodium_memzero(master, sizeof master);
  int synced = fsync(fd);
  close(fd);
  if (w != (ssize_t)sizeof master || synced != 0) {
    unlink(path);
    return rp_fail(e, RP_ERR_UNAVAILABLE, "key_file", "Cannot write %s.", path);
  }
  return RP_OK;
}

rp_rc keys_load(const char *path, keys **out, rp_err *e) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "key_file", "Cannot open the key file %s: %s", path,
                   strerror(errno));
  struct stat sb;
  if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
    close(fd);
    return rp_fail(e, RP_ERR_FORBIDDEN, "key_file_mode",
                   "The key file %s must be readable by its owner only (chmod 600).", path);
  }
  unsigned char *master = sodium_malloc(crypto_kdf_KEYBYTES);
  ssize_t r = master ? read(fd, master, crypto_kdf_KEYBYTES) : -1;
  close(fd);
  if (r != crypto_kdf_KEYBYTES) {
    sodium_free(master);
    return rp_fail(e, RP_ERR_UNAVAILABLE, "key_file", "The key file %s is damaged.", path);
  }
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  keys *k = rp_xcalloc(1, sizeof *k);
  k->sub = sodium_malloc(NSUB * KEYS_LEN);
  if (!k->sub) rp_xmalloc(SIZE_MAX); /* aborts: see err.h */
  for (int i = 0; i < NSUB; i++)
    crypto_kdf_derive_from_key(k->sub + i * KEYS_LEN, KEYS_LEN, (uint64_t)(i + 1), KDF_CONTEXT,
                               master);
  sodium_mprotect_readonly(master);
  k->master = master;
  k->destroyed = keys_destroyed_path_for(path);
  sodium_mprotect_readonly(k->sub);
  *out = k;
  return RP_OK;
}

void keys_free(keys *k) {
  if (!k) return;
  sodium_free(k->sub);
  sodium_free(k->master);
  free(k->destroyed);
  free(k);
}

const unsigned char *keys_sub(const keys *k, keys_purpose p) {
  return k->sub + ((int)p - 1) * KEYS_LEN;
}

void keys_wrap_key(const keys *k, uint32_t version, unsigned char out[KEYS_LEN]) {
  crypto_kdf_derive_from_key(out, KEYS_LEN, (uint64_t)version, WRAP_CONTEXT, k->master);
}

/* ---- the destroyed-key log ---- */

char *keys_destroyed_path_for(const char *key_path) {
  return rp_path_beside(key_path, ".key", ".destroyed", ".destroyed");
}

const char *keys_destroyed_path(const keys *k) { return k->destroyed; }

/* fsyncs the directory holding path, so a newly created file survives. */
static int sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  if (!slash) snprintf(dir, sizeof dir, ".");
  else if (slash == path) snprintf(dir, sizeof dir, "/");
  else snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int r = fsync(fd);
  close(fd);
  return r;
}

rp_rc keys_destroyed_append(const char *path, char *const *ids, size_t n, rp_err *e) {
  if (n == 0) return RP_OK;
  bool existed = access(path, F_OK) == 0;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "destroyed_log", "Cannot open %s: %s", path,
                   strerror(errno));
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    char line[KEYS_ID_MAX + 2];
    int len = snprintf(line, sizeof line, "%s\n", ids[i]);
    ok = len > 1 && (size_t)len < sizeof line && write(fd, line, (size_t)len) == (ssize_t)len;
  }
  if (ok) ok = fsync(fd) == 0;
  close(fd);
  if (ok && !existed) ok = sync_dir(path) == 0;
  if (!ok)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "destroyed_log", "Cannot write %s.", path);
  return RP_OK;
}

rp_rc keys_destroyed_read(const char *path, arena *a, char ***ids, size_t *n, rp_err *e) {
  *ids = NULL;
  *n = 0;
  FILE *f = fopen(path, "re");
  if (!f) {
    if (errno == ENOENT) return RP_OK;
    return rp_fail(e, RP_ERR_UNAVAILABLE, "destroyed_log", "Cannot read %s: %s", path,
                   strerror(errno));
  }
  size_t cap = 16;
  char **out = arena_alloc(a, cap * sizeof *out);
  char line[256];
  while (fgets(line, sizeof line, f)) {
    size_t len = strcspn(line, "\r\n");
    line[len] = '\0';
    if (len == 0 || len > KEYS_ID_MAX) continue; /* a torn last line: never written whole */
    if (*n == cap) {
      char **bigger = arena_alloc(a, 2 * cap * sizeof *out);
      memcpy(bigger, out, cap * sizeof *out);
      out = bigger;
      cap *= 2;
    }
    out[(*n)++] = arena_strdup(a, line);
  }
  fclose(f);
  *ids = out;
  return RP_OK;
}
