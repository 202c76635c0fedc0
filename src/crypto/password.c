/* password.c: see password.h. */
#include "crypto/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_limit = 0; /* 0: not yet set, use the number of cores */
static int g_running = 0;
static bool g_fast = false;

void password_set_concurrency(int n) {
  pthread_mutex_lock(&g_mu);
  g_limit = n > 0 ? n : 1;
  pthread_mutex_unlock(&g_mu);
}

void password_set_fast(bool fast) { g_fast = fast; }

static void slot_take(void) {
  pthread_mutex_lock(&g_mu);
  if (g_limit == 0) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    g_limit = c > 0 ? (int)c : 1;
  }
  while (g_running >= g_limit) pthread_cond_wait(&g_cv, &g_mu);
  g_running++;
  pthread_mutex_unlock(&g_mu);
}

static void slot_give(void) {
  pthread_mutex_lock(&g_mu);
  g_running--;
  pthread_cond_signal(&g_cv);
  pthread_mutex_unlock(&g_mu);
}

static unsigned long long opslimit(void) { return g_fast ? 1 : 3; }
static size_t memlimit(void) { return g_fast ? 8192 : 64u << 20; }

rp_rc password_hash(const char *pw, char out[PASSWORD_HASH_MAX], rp_err *e) {
  slot_take();
  int rc = crypto_pwhash_str_alg(out, pw, strlen(pw), opslimit(), memlimit(),
                                 crypto_pwhash_ALG_ARGON2ID13);
  slot_give();
  if (rc != 0) return rp_fail(e, RP_ERR_UNAVAILABLE, "busy", "Could not hash the password now.");
  return RP_OK;
}

bool password_verify(const char *hash, const char *pw) {
  slot_take();
  bool ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
  slot_give();
  return ok;
}

static char g_dummy[PASSWORD_HASH_MAX];
static pthread_once_t g_dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void) {
  if (password_hash("rapport-no-such-account", g_dummy, NULL) != RP_OK) g_dummy[0] = '\0';
}

void password_verify_dummy(const char *pw) {
  pthread_once(&g_dummy_once, dummy_make);
  if (g_dummy[0]) (void)password_verify(g_dummy, pw);
}

bool password_acceptable(const char *pw, const char *pointer, rp_err *e) {
  size_t n = pw ? strlen(pw) : 0;
  if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
    rp_field(e, pointer, "Use %d to %d characters.", PASSWORD_MIN, PASSWORD_MAX);
    return false;
  }
  return true;
}
