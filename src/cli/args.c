/* args.c: flag parsing shared by every command, and opening what a
 * command needs. */
#include "cli/cli.h"
#include "base/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage_print(FILE *f, const char *usage, const cli_flag *flags) {
  fprintf(f, "usage: %s\n\n", usage);
  for (const cli_flag *fl = flags; fl->name; fl++)
    fprintf(f, "  --%-16s %s%s\n", fl->name, fl->help, fl->required ? " (required)" : "");
  fprintf(f, "  --%-16s %s\n", "help", "show this help");
  fprintf(f, "\nEach flag --foo-bar may also be given as the variable RAPPORT_FOO_BAR.\n");
}

static cli_flag *find(cli_flag *flags, const char *name, size_t n) {
  for (cli_flag *fl = flags; fl->name; fl++)
    if (strlen(fl->name) == n && strncmp(fl->name, name, n) == 0) return fl;
  return NULL;
}

static void from_env(cli_flag *fl) {
  char var[64] = "RAPPORT_";
  size_t k = strlen(var);
  for (const char *p = fl->name; *p && k + 1 < sizeof var; p++)
    var[k++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
  var[k] = '\0';
  const char *v = getenv(var);
  if (v && *v) fl->value = v;
}

bool cli_parse(const char *usage, cli_flag *flags, int argc, char **argv, bool *help) {
  *help = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage_print(stdout, usage, flags);
      *help = true;
      return false;
    }
    if (strncmp(a, "--", 2) != 0) {
      fprintf(stderr, "rapport: unexpected argument '%s'\n\n", a);
      usage_print(stderr, usage, flags);
      return false;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    cli_flag *fl = find(flags, name, eq ? (size_t)(eq - name) : strlen(name));
    if (!fl) {
      fprintf(stderr, "rapport: unknown flag '%s'\n\n", a);
      usage_print(stderr, usage, flags);
      return false;
    }
    if (!fl->takes_value) {
      if (eq) {
        fprintf(stderr, "rapport: --%s takes no value\n", fl->name);
        return false;
      }
      fl->value = "1";
    } else if (eq) {
      fl->value = eq + 1;
    } else if (i + 1 < argc) {
      fl->value = argv[++i];
    } else {
      fprintf(stderr, "rapport: --%s needs a value\n", fl->name);
      return false;
    }
  }
  bool ok = true;
  for (cli_flag *fl = flags; fl->name; fl++)
    if (!fl->value) from_env(fl);
  const char *config = cli_get(flags, "config");
  if (config && !cli_config_read(config, flags)) return false;
  for (cli_flag *fl = flags; fl->name; fl++) {
    if (fl->required && !fl->value) {
      fprintf(stderr, "rapport: --%s is required\n", fl->name);
      ok = false;
    }
  }
  if (!ok) {
    fputc('\n', stderr);
    usage_print(stderr, usage, flags);
  }
  return ok;
}

const char *cli_get(const cli_flag *flags, const char *name) {
  for (const cli_flag *fl = flags; fl->name; fl++)
    if (strcmp(fl->name, name) == 0) return fl->value;
  return NULL;
}

int cli_fail(const char *what, const rp_err *e) {
  fprintf(stderr, "rapport: %s: %s", what, e->detail[0] ? e->detail : rp_rc_title(e->rc));
  for (int i = 0; i < e->nfield; i++)
    fprintf(stderr, "%s%s %s", i ? "; " : " (", e->field[i].pointer + 1, e->field[i].detail);
  fprintf(stderr, "%s\n", e->nfield ? ")" : "");
  return 1;
}

/* Replays the destroyed-key log into s (app/privacy/crypt.c): a key listed there
 * is destroyed with its ciphertext, also in a restored backup. The log is
 * the one beside k's key file, else beside the default key file. */
static int replay_destroyed(const char *db_path, const keys *k, store *s) {
  if (!k && store_is_postgres(db_path)) return 0; /* no key file, no log */
  char *def = k ? NULL : keys_default_path(db_path);
  char *owned = def ? keys_destroyed_path_for(def) : NULL;
  const char *log = owned ? owned : keys_destroyed_path(k);
  free(def);
  rp_err e = {0};
  app_env env = app_env_default(NULL);
  arena *a = arena_new(0);
  app_ctx c = {.env = &env, .st = s, .a = a, .now = rp_time_now_real()};
  int n = 0;
  rp_rc rc = app_keys_replay(&c, log, &n, &e);
  if (!rc && n) log_info("destroyed-key log %s: %d destroyed keys removed again", log, n);
  free(owned);
  arena_free(a);
  return rc ? cli_fail("cannot replay the destroyed-key log", &e) : 0;
}

/* Seals the client secrets of sign-in providers that an earlier release
 * stored plain (app/org/sso.c), once the key file is loaded. */
static int seal_plain_secrets(const keys *k, store *s) {
  if (!k) return 0;
  rp_err e = {0};
  app_env env = app_env_default(k);
  arena *a = arena_new(0);
  app_ctx c = {.env = &env, .st = s, .a = a, .now = rp_time_now_real()};
  int n = 0;
  rp_rc rc = app_sso_seal_secrets(&c, &n, &e);
  if (!rc && n) log_info("sso: %d client secrets stored plain are now sealed", n);
  arena_free(a);
  return rc ? cli_fail("cannot seal the sign-in providers' client secrets", &e) : 0;
}

int cli_open_store(const char *db_path, const keys *k, store **out) {
  rp_err e = {0};
  int applied = 0;
  if (store_open(db_path, out, &e)) return cli_fail("cannot open the database", &e);
  if (store_migrate(*out, rp_time_now_real(), &applied, &e)) {
    store_close(*out);
    *out = NULL; /* the callers close what they were given */
    return cli_fail("cannot migrate the database", &e);
  }
  if (replay_destroyed(db_path, k, *out) || seal_plain_secrets(k, *out)) {
    store_close(*out);
    *out = NULL;
    return 1;
  }
  return 0;
}

int cli_db_exists(const char *db_path, bool *out) {
  rp_err e = {0};
  return store_exists(db_path, out, &e) ? cli_fail("cannot open the database", &e) : 0;
}

int cli_open_existing(const char *db_path, const char *key_path, bool need_keys, keys **k,
                      store **s) {
  *k = NULL;
  *s = NULL;
  bool exists = false;
  if (cli_db_exists(db_path, &exists)) return 1;
  if (!exists) {
    fprintf(stderr, "rapport: %s does not exist; create it with 'rapport init' or 'rapport demo'\n",
            db_path);
    return 1;
  }
  int rc = need_keys || key_path ? cli_load_keys(db_path, key_path, false, k) : 0;
  if (!rc) rc = cli_open_store(db_path, *k, s);
  if (rc) {
    keys_free(*k);
    *k = NULL;
  }
  return rc;
}

int cli_load_keys(const char *db_path, const char *key_path, bool create, keys **out) {
  rp_err e = {0};
  if (!key_path && store_is_postgres(db_path)) {
    fprintf(stderr, "rapport: a PostgreSQL database has no file for the key file to sit beside: "
                    "give --key FILE (or RAPPORT_KEY)\n");
    return 1;
  }
  char *def = key_path ? NULL : keys_default_path(db_path);
  const char *path = key_path ? key_path : def;
  if (create && access(path, F_OK) != 0 && errno == ENOENT) {
    if (keys_create(path, &e)) {
      free(def);
      return cli_fail("cannot create the key file", &e);
    }
    log_info("created the key file %s (back it up: without it, confidential text cannot be read)",
             path);
  }
  int rc = keys_load(path, out, &e) ? cli_fail("cannot load the key file", &e) : 0;
  free(def);
  return rc;
}
