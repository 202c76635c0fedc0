/* keys.c: `rapport keys rotate|status|reencrypt` and `rapport db restore`
 * (app/privacy/crypt.c does the work; crypto/seal.h describes the hierarchy). */
#include "cli/cli.h"
#include "base/log.h"
#include "store/access_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REENCRYPT_BATCH 500

static int rotate(app_ctx *c, bool wrap, bool data) {
  rp_err e = {0};
  if (!wrap && !data) {
    fprintf(stderr, "rapport: keys rotate needs --wrap, --data or both\n");
    return 2;
  }
  if (wrap) {
    int64_t n = 0;
    if (app_keys_rotate_wrap(c, &n, &e)) return cli_fail("rotating the wrapping key failed", &e);
    printf("New key-wrapping key: %lld data keys re-wrapped.\n", (long long)n);
  }
  if (data) {
    uint32_t v = 0;
    if (app_keys_rotate_data(c, &v, &e)) return cli_fail("rotating the data keys failed", &e);
    printf("Data-key version %lu: new writes use it now. Older rows are re-encrypted by the\n"
           "running server's jobs, or at once with 'rapport keys reencrypt'.\n",
           (unsigned long)v);
  }
  return 0;
}

static int status(app_ctx *c) {
  rp_err e = {0};
  app_keys_status st;
  if (app_keys_status_get(c, &st, &e)) return cli_fail("reading the key status failed", &e);
  printf("wrapping key version:  %lu\n", (unsigned long)st.wrap_version);
  printf("data-key version:      %lu\n", (unsigned long)st.data_version);
  printf("data keys:             %lld (%lld of older versions, %lld wrapped by an older key)\n",
         (long long)st.keys, (long long)st.keys_old, (long long)st.keys_old_wrap);
  printf("sealed texts:          %lld\n", (long long)st.rows);
  printf("  on older versions:   %lld (format 1: %lld, older data keys: %lld)\n",
         (long long)(st.rows_legacy + st.rows_old), (long long)st.rows_legacy,
         (long long)st.rows_old);
  if (st.rows_plain)
    printf("  UNENCRYPTED (bench): %lld\n", (long long)st.rows_plain);
  printf("re-encryption:         %s\n", st.reencrypt_running ? "running" : "done");
  return 0;
}

static int reencrypt(app_ctx *c) {
  rp_err e = {0};
  bool finished = false;
  long long total = 0;
  while (!finished) {
    int n = 0;
    rp_rc rc = store_begin_write(c->st, &e);
    if (!rc) rc = app_finish(c, app_keys_reencrypt_step(c, REENCRYPT_BATCH, &n, &finished, &e), &e);
    if (rc) return cli_fail("re-encryption failed (run it again: it resumes)", &e);
    total += n;
    arena_reset(c->a);
  }
  printf("Re-encryption done: %lld texts rewritten.\n", total);
  return 0;
}

int cli_keys(int argc, char **argv) {
  const char *usage = "rapport keys rotate|status|reencrypt --db FILE [--key FILE] [--wrap] [--data]";
  if (argc < 1 || argv[0][0] == '-') {
    bool asked = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    fprintf(asked ? stdout : stderr, "usage: %s\n", usage);
    return asked ? 0 : 2;
  }
  const char *verb = argv[0];
  if (strcmp(verb, "rotate") && strcmp(verb, "status") && strcmp(verb, "reencrypt")) {
    fprintf(stderr, "rapport: unknown keys command '%s'\nusage: %s\n", verb, usage);
    return 2;
  }
  cli_flag flags[] = {{"db", true, true, "the database file", NULL},
                      {"key", true, false, "the key file (default: beside the database, .key)", NULL},
                      {"wrap", false, false, "rotate: a new key-wrapping key (re-wraps every data key)", NULL},
                      {"data", false, false, "rotate: a new data-key version (re-encrypts in the background)", NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(usage, flags, argc - 1, argv + 1, &help)) return help ? 0 : 2;
  const char *db = cli_get(flags, "db");
  keys *k;
  store *s;
  int rc = cli_open_existing(db, cli_get(flags, "key"), true, &k, &s);
  if (rc) return rc;
  app_env env = app_env_default(k);
  arena *a = arena_new(0);
  app_ctx c = {.env = &env, .st = s, .a = a, .now = rp_time_now_real()};
  if (strcmp(verb, "rotate") == 0)
    rc = rotate(&c, cli_get(flags, "wrap") != NULL, cli_get(flags, "data") != NULL);
  else if (strcmp(verb, "status") == 0) rc = status(&c);
  else rc = reencrypt(&c);
  app_crypt_forget(&c);
  arena_free(a);
  store_close(s);
  keys_free(k);
  return rc;
}

int cli_db_restore(int argc, char **argv) {
  const char *usage = "rapport db restore --from BACKUP --db FILE [--key FILE]  (server stopped)";
  cli_flag flags[] = {{"from", true, true, "the backup to restore (from 'rapport db backup')", NULL},
                      {"db", true, true, "the database file to replace", NULL},
                      {"key", true, false, "the key file (default: beside the database, .key)", NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(usage, flags, argc, argv, &help)) return help ? 0 : 2;
  const char *from = cli_get(flags, "from"), *db = cli_get(flags, "db");
  if (store_is_postgres(db)) return cli_pg_restore(from, db, cli_get(flags, "key"));
  if (access(from, R_OK) != 0) {
    fprintf(stderr, "rapport: cannot read the backup %s\n", from);
    return 1;
  }
  if (strcmp(from, db) == 0) {
    fprintf(stderr, "rapport: --from and --db name the same file\n");
    return 2;
  }
  /* The access log's file is restored with the database ('db backup' puts
   * it beside the backup, store_audit_path): without it the restored
   * database would start an empty log, so the restore is refused. */
  char *audit = store_audit_path(from);
  bool have_audit = access(audit, R_OK) == 0;
  if (!have_audit) fprintf(stderr, "rapport: cannot read the backup's access log %s\n", audit);
  free(audit);
  if (!have_audit) return 1;
  /* The key file must be the one the backup was made with, and its
   * destroyed-key log is replayed into the restored copy. */
  keys *k = NULL;
  int rc = cli_load_keys(db, cli_get(flags, "key"), false, &k);
  if (rc) return rc;
  rp_err e = {0};
  store *src = NULL;
  if (store_open(from, &src, &e)) rc = cli_fail("cannot open the backup", &e);
  /* SQLite's online backup copies page by page in one transaction of the
   * target, so the target is never left half old, half new; the audit
   * database is copied after the main one the same way (store_backup). */
  else if (store_backup(src, db, &e)) rc = cli_fail("restoring failed", &e);
  store_close(src);
  store *s = NULL;
  if (!rc) rc = cli_open_store(db, k, &s); /* migrates, then replays the destroyed-key log */
  keys_free(k);
  if (rc) return rc;
  store_close(s);
  printf("Restored %s and its access log from %s; destroyed keys replayed.\n", db, from);
  return 0;
}
