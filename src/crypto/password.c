/* password.c: see password.h.
 *
 * The common passwords come from data/common-passwords.txt, compiled into
 * the binary by tools/embed.py (crypto_common_passwords). On first use the
 * text is copied once, split into lines, folded to lower case and sorted,
 * so a check is one binary search. The copy lives until the process ends.
 */
#include "crypto/password.h"
#include "base/embedded.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const rp_embedded crypto_common_passwords[];

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

bool password_needs_rehash(const char *hash) {
  return crypto_pwhash_str_needs_rehash(hash, opslimit(), memlimit()) != 0;
}

/* ---- the common passwords ---- */

static char *g_common_text; /* the lines g_common points into */
static const char **g_common;
static size_t g_ncommon;
static pthread_once_t g_common_once = PTHREAD_ONCE_INIT;

static char ascii_lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

static int cmp_text(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the lines of one embedded list (text is a writable copy); blank
 * lines and lines starting with '#' are skipped. */
static void common_add(char *text) {
  for (char *line = text; *line;) {
    char *end = strchr(line, '\n');
    char *next = end ? end + 1 : line + strlen(line);
    if (end) *end = '\0';
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r') line[--n] = '\0';
    if (n && line[0] != '#') {
      for (size_t i = 0; i < n; i++) line[i] = ascii_lower(line[i]);
      g_common[g_ncommon++] = line;
    }
    line = next;
  }
}

static void common_load(void) {
  size_t lines = 0, bytes = 0;
  for (const rp_embedded *f = crypto_common_passwords; f->name; f++) {
    bytes += f->len + 1;
    for (size_t i = 0; i < f->len; i++) lines += f->data[i] == '\n';
    lines++;
  }
  g_common_text = rp_xmalloc(bytes ? bytes : 1);
  g_common = rp_xcalloc(lines ? lines : 1, sizeof *g_common);
  char *at = g_common_text;
  for (const rp_embedded *f = crypto_common_passwords; f->name; f++) {
    memcpy(at, f->data, f->len);
    at[f->len] = '\0';
    common_add(at);
    at += f->len + 1;
  }
  qsort(g_common, g_ncommon, sizeof *g_common, cmp_text);
}

bool password_is_common(const char *pw) {
  char folded[PASSWORD_MAX + 1];
  size_t n = pw ? strlen(pw) : 0;
  if (n == 0 || n > PASSWORD_MAX) return false;
  for (size_t i = 0; i <= n; i++) folded[i] = ascii_lower(pw[i]);
  pthread_once(&g_common_once, common_load);
  const char *key = folded;
  return bsearch(&key, g_common, g_ncommon, sizeof *g_common, cmp_text) != NULL;
}

/* a and b are equal when ASCII case is ignored. */
static bool same_text_nocase(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (ascii_lower(*a) != ascii_lower(*b)) return false;
  return *a == *b;
}

bool password_acceptable(const char *pw, const char *email, const char *pointer, rp_err *e) {
  size_t n = pw ? strlen(pw) : 0;
  if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
    rp_field(e, pointer, "Use %d to %d characters.", PASSWORD_MIN, PASSWORD_MAX);
    return false;
  }
  if (password_is_common(pw)) {
    rp_field(e, pointer,
             "This is one of the most common passwords; choose one that is harder to guess.");
    return false;
  }
  if (email && same_text_nocase(pw, email)) {
    rp_field(e, pointer, "Do not use your e-mail address as your password.");
    return false;
  }
  return true;
}
