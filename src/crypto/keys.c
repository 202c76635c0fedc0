/* keys.c: see keys.h. */
#include "crypto/keys.h"
#include "base/err.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define KDF_CONTEXT "rapport1"
#define NSUB 5

struct keys {
  unsigned char *sub; /* NSUB * KEYS_LEN bytes of sodium_malloc memory */
};

bool crypto_init(void) { return sodium_init() >= 0; }

char *keys_default_path(const char *db_path) {
  size_t n = strlen(db_path);
  char *p = rp_xmalloc(n + 5);
  memcpy(p, db_path, n + 1);
  if (n > 3 && strcmp(db_path + n - 3, ".db") == 0) memcpy(p + n - 3, ".key", 5);
  else memcpy(p + n, ".key", 5);
  return p;
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
  sodium_free(master);
  sodium_mprotect_readonly(k->sub);
  *out = k;
  return RP_OK;
}

void keys_free(keys *k) {
  if (!k) return;
  sodium_free(k->sub);
  free(k);
}

const unsigned char *keys_sub(const keys *k, keys_purpose p) {
  return k->sub + ((int)p - 1) * KEYS_LEN;
}
