/* postgres.c: what the operator does with a PostgreSQL database that a
 * SQLite file does otherwise: moving up from SQLite (`rapport db copy`),
 * and backups through PostgreSQL's own pg_dump and pg_restore (custom
 * format), which `rapport db backup` and `restore` run for a
 * postgresql:// database.
 *
 * pg_dump and pg_restore come with PostgreSQL's client (Debian's
 * postgresql-client); they are run directly, never through a shell. A
 * password belongs in ~/.pgpass or PGPASSWORD rather than the URI, which
 * other local users can see in the process list while they run.
 */
#include "cli/cli.h"
#include "base/log.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs argv[0] (found on PATH) with argv and waits: 0 when it exited 0,
 * else 1 after saying so. */
static int run(char *const argv[]) {
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (err) {
    fprintf(stderr, "rapport: cannot run %s: %s (it comes with PostgreSQL's client: "
                    "apt-get install postgresql-client)\n",
            argv[0], strerror(err));
    return 1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  fprintf(stderr, "rapport: %s failed (%s %d)\n", argv[0],
          WIFEXITED(status) ? "exit status" : "signal",
          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return 1;
}

int cli_pg_backup(const char *uri, const char *to) {
  if (access(to, F_OK) == 0) {
    fprintf(stderr, "rapport: %s already exists; choose a new file\n", to);
    return 1;
  }
  char *file = rp_xstrdup(to), *db = rp_xstrdup(uri);
  char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--file", file, "--dbname", db, NULL};
  int rc = run(argv);
  free(file);
  free(db);
  if (!rc)
    printf("Backed up the database and its access log (schema audit) to %s with pg_dump. Keep "
           "the key file safe too: the backup needs it.\n",
           to);
  return rc;
}

int cli_pg_restore(const char *from, const char *uri, const char *key_path) {
  if (access(from, R_OK) != 0) {
    fprintf(stderr, "rapport: cannot read the backup %s\n", from);
    return 1;
  }
  /* The key file must be the one the backup was made with, and its
   * destroyed-key log is replayed into the restored database. */
  keys *k = NULL;
  int rc = cli_load_keys(uri, key_path, false, &k);
  if (rc) return rc;
  char *file = rp_xstrdup(from), *db = rp_xstrdup(uri);
  char *argv[] = {"pg_restore", "--clean",    "--if-exists", "--no-owner", "--single-transaction",
                  "--dbname",   db,           file,          NULL};
  rc = run(argv);
  free(file);
  free(db);
  store *s = NULL;
  if (!rc) rc = cli_open_store(uri, k, &s); /* migrates, then replays the destroyed-key log */
  keys_free(k);
  if (rc) return rc;
  store_close(s);
  printf("Restored the database and its access log from %s; destroyed keys replayed.\n", from);
  return 0;
}

int cli_db_copy(int argc, char **argv) {
  const char *usage =
      "rapport db copy --from FILE --to postgresql://... [--key FILE]  (server stopped)";
  cli_flag flags[] = {{"from", true, true, "the SQLite database to copy", NULL},
                      {"to", true, true, "the empty PostgreSQL database to copy it into", NULL},
                      {"key", true, false, "the key file (default: beside the SQLite file)", NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(usage, flags, argc, argv, &help)) return help ? 0 : 2;
  const char *from = cli_get(flags, "from"), *to = cli_get(flags, "to");
  if (store_is_postgres(from) || !store_is_postgres(to)) {
    fprintf(stderr, "rapport: db copy goes from a SQLite file (--from) to a postgresql:// "
                    "database (--to)\n");
    return 2;
  }
  bool exists = false;
  if (cli_db_exists(to, &exists)) return 1;
  if (exists) {
    fprintf(stderr, "rapport: %s already holds a Rapport database; db copy needs an empty one\n",
            to);
    return 1;
  }
  /* The key file is the SQLite deployment's: the copied text is sealed with
   * it, and its destroyed-key log is replayed into the copy. */
  keys *k = NULL;
  store *src = NULL, *dst = NULL;
  int rc = cli_open_existing(from, cli_get(flags, "key"), true, &k, &src);
  if (!rc) rc = cli_open_store(to, k, &dst);
  rp_err e = {0};
  store_copy_stats stats;
  if (!rc && store_copy(src, dst, &stats, &e)) rc = cli_fail("copy failed", &e);
  store_close(src);
  store_close(dst);
  dst = NULL;
  if (!rc) rc = cli_open_store(to, k, &dst); /* the destroyed-key log, into the copy */
  store_close(dst);
  keys_free(k);
  if (!rc)
    printf("Copied %lld rows of %lld tables from %s to the PostgreSQL database; serve it with "
           "--db and the same --key.\n",
           (long long)stats.rows, (long long)stats.tables, from);
  return rc;
}
