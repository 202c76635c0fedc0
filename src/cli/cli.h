/* cli.h: the command line. Each command returns the process exit status:
 * 0 success, 1 failure, 2 wrong usage. Flags are the contract of
 * DESIGN.md; each flag --foo-bar may also come from RAPPORT_FOO_BAR. */
#ifndef RAPPORT_CLI_CLI_H
#define RAPPORT_CLI_CLI_H

#include <stdbool.h>

#include "app/app.h"

typedef struct cli_flag {
  const char *name;  /* without the dashes */
  bool takes_value;  /* false: a switch */
  bool required;
  const char *help;
  const char *value; /* filled by cli_parse: the value, "1" for a set switch, or NULL */
} cli_flag;

/* Parses argv against flags (terminated by a {NULL} entry), then fills
 * unset flags from the environment, then, when the command has a
 * "config" flag and it is set, from that configuration file (config.c).
 * Prints usage and returns false on an unknown flag, a missing value, a
 * bad configuration file or a missing required flag; `--help` prints
 * usage and sets *help. */
bool cli_parse(const char *usage, cli_flag *flags, int argc, char **argv, bool *help);
const char *cli_get(const cli_flag *flags, const char *name);
/* Sets the flags still unset from the configuration file at path;
 * false (with the reason printed) when it cannot be read or names
 * something unknown (config.c). */
bool cli_config_read(const char *path, cli_flag *flags);
/* Prints every flag's effective value, secrets masked (config check). */
void cli_config_print(const cli_flag *flags);
int cli_config(int argc, char **argv); /* commands.c: config check */

/* Opens the store at db_path, applies pending migrations and replays the
 * destroyed-key log of k's key file (k NULL: of the default key file);
 * with k, seals the client secrets an earlier release stored plain. */
int cli_open_store(const char *db_path, const keys *k, store **out);
/* Loads the key file (default: beside the database); creates it when
 * `create` and it does not exist. */
int cli_load_keys(const char *db_path, const char *key_path, bool create, keys **out);
/* Whether a Rapport database is at db_path (store_exists); 1 after
 * printing why when that cannot be told. */
int cli_db_exists(const char *db_path, bool *out);
/* Opens an existing database for a command: refuses a missing file (with a
 * hint to create it), loads the key file when `need_keys` or when key_path
 * is given (*k stays NULL otherwise), then cli_open_store. On failure
 * nothing is left open. */
int cli_open_existing(const char *db_path, const char *key_path, bool need_keys, keys **k,
                      store **s);
/* Prints an error for e and returns 1. */
int cli_fail(const char *what, const rp_err *e);

int cli_init(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_db(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_report(int argc, char **argv); /* report.c */
int cli_trust(int argc, char **argv);  /* trust.c: trust recompute */
int cli_keys(int argc, char **argv);   /* keys.c: keys rotate|status|reencrypt */
int cli_db_restore(int argc, char **argv); /* keys.c: db restore (argv after "restore") */
/* postgres.c: db copy (argv after "copy"); backup and restore of a
 * postgresql:// database through pg_dump and pg_restore. */
int cli_db_copy(int argc, char **argv);
int cli_pg_backup(const char *uri, const char *to);
int cli_pg_restore(const char *from, const char *uri, const char *key_path);
int cli_openapi(int argc, char **argv); /* commands.c: the API description */
int cli_mail(int argc, char **argv);   /* mail.c: mail status|list */
int cli_audit(int argc, char **argv);  /* audit.c: audit verify */

#endif
