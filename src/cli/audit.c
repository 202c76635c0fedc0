/* audit.c: `rapport audit verify`, checking the access log's hash chain
 * and signed heads (app/privacy/audit.h).
 *
 * Exit status: 0 when the log is intact ("N entries, M signed heads, chain
 * intact"), 1 when it is not (naming the first bad sequence number and
 * why) or cannot be read, 2 for wrong usage. The key file (--key, or the
 * one beside the database when it exists) lets verify insist that the
 * heads are signed by this installation's key, not only by the key stored
 * with them; without it, it says so.
 */
#include "cli/cli.h"
#include "app/privacy/privacy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] = "rapport audit verify --db FILE [--key FILE]";

/* Loads the key file named, or the default one if it exists; *k stays
 * NULL when there is none. Returns non-zero on a failure to load. */
static int load_optional_key(const char *db, const char *key_path, keys **k) {
  *k = NULL;
  if (key_path) return cli_load_keys(db, key_path, false, k);
  if (store_is_postgres(db)) return 0; /* no key file beside a URI */
  char *def = keys_default_path(db);
  bool exists = access(def, F_OK) == 0;
  free(def);
  return exists ? cli_load_keys(db, NULL, false, k) : 0;
}

static int verify(const char *db, const char *key_path) {
  bool exists = false;
  if (cli_db_exists(db, &exists)) return 1;
  if (!exists) {
    fprintf(stderr, "rapport: %s does not exist\n", db);
    return 1;
  }
  keys *k = NULL;
  if (load_optional_key(db, key_path, &k)) return 1;
  rp_err e = {0};
  store *s = NULL;
  app_audit_report rep;
  int rc = 0;
  if (store_open(db, &s, &e)) rc = cli_fail("cannot open the database", &e);
  else if (app_audit_verify(s, k, &rep, &e)) rc = cli_fail("cannot read the access log", &e);
  else if (!rep.ok) {
    fprintf(stderr, "rapport: the access log is NOT intact: sequence %lld: %s\n",
            (long long)rep.bad_seq, rep.why);
    rc = 1;
  } else {
    printf("%lld entries, %lld signed heads, chain intact", (long long)rep.entries,
           (long long)rep.heads);
    if (rep.key_checked)
      printf(" (%lld heads signed by this key file's signing key)\n", (long long)rep.heads_by_key);
    else
      printf(" (no key file: signatures checked against their stored public keys only)\n");
  }
  store_close(s);
  keys_free(k);
  return rc;
}

int cli_audit(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "verify") != 0) {
    bool help = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    fprintf(help ? stdout : stderr, "usage: %s\n", USAGE);
    return help ? 0 : 2;
  }
  cli_flag flags[] = {{"db", true, true, "the database file", NULL},
                      {"key", true, false, "the key file (default: beside the database, if any)",
                       NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(USAGE, flags, argc - 1, argv + 1, &help)) return help ? 0 : 2;
  return verify(cli_get(flags, "db"), cli_get(flags, "key"));
}
