/* commands.c: init, user add, serve and db. */
#include "cli/cli.h"
#include "app/privacy/privacy.h"
#include "base/log.h"
#include "base/num.h"
#include "crypto/password.h"
#include "http/http.h"
#include "store/access_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_init(int argc, char **argv) {
  cli_flag flags[] = {
      {"db", true, true, "the database file to create", NULL},
      {"key", true, false, "the key file (default: beside the database, .key)", NULL},
      {"admin-email", true, true, "the site administrator's e-mail", NULL},
      {"admin-password", true, true, "the site administrator's password (8 to 128)", NULL},
      {"admin-name", true, false, "the site administrator's name (default: Administrator)", NULL},
      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse("rapport init --db FILE [--key FILE] --admin-email E --admin-password P "
                 "[--admin-name N]",
                 flags, argc, argv, &help))
    return help ? 0 : 2;
  const char *db = cli_get(flags, "db");
  bool exists = false;
  if (cli_db_exists(db, &exists)) return 1;
  if (exists) {
    fprintf(stderr, "rapport: %s already exists; init creates a new database\n", db);
    return 1;
  }
  keys *k = NULL;
  store *s = NULL;
  int rc = cli_load_keys(db, cli_get(flags, "key"), true, &k);
  if (!rc) rc = cli_open_store(db, k, &s);
  if (!rc) {
    app_env env = app_env_default(k);
    arena *a = arena_new(0);
    app_ctx c = {.env = &env, .st = s, .a = a, .now = rp_time_now_real()};
    rp_err e = {0};
    int64_t id;
    const char *name = cli_get(flags, "admin-name");
    if (app_user_add(&c, cli_get(flags, "admin-email"), name ? name : "Administrator",
                     cli_get(flags, "admin-password"), true, &id, &e))
      rc = cli_fail("cannot create the administrator", &e);
    else
      printf("Created %s with site administrator %s.\n", db, cli_get(flags, "admin-email"));
    arena_free(a);
  }
  store_close(s);
  keys_free(k);
  return rc;
}

int cli_user(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "add") != 0) {
    if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
      printf("usage: rapport user add --db FILE --email E --password P --name N\n");
      return 0;
    }
    fprintf(stderr, "usage: rapport user add --db FILE --email E --password P --name N\n");
    return 2;
  }
  cli_flag flags[] = {{"db", true, true, "the database file", NULL},
                      {"email", true, true, "the person's e-mail", NULL},
                      {"password", true, true, "their password (8 to 128 characters)", NULL},
                      {"name", true, true, "their name", NULL},
                      {"key", true, false, "the key file, whose destroyed-key log is replayed "
                                           "(default: beside the database; PostgreSQL: none)",
                       NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse("rapport user add --db FILE --email E --password P --name N [--key FILE]", flags,
                 argc - 1, argv + 1, &help))
    return help ? 0 : 2;
  store *s = NULL;
  keys *k = NULL;
  const char *key = cli_get(flags, "key");
  int rc = key ? cli_load_keys(cli_get(flags, "db"), key, false, &k) : 0;
  if (!rc) rc = cli_open_store(cli_get(flags, "db"), k, &s);
  keys_free(k);
  if (rc) return rc;
  app_env env = app_env_default(NULL);
  arena *a = arena_new(0);
  app_ctx c = {.env = &env, .st = s, .a = a, .now = rp_time_now_real()};
  rp_err e = {0};
  int64_t id;
  if (app_user_add(&c, cli_get(flags, "email"), cli_get(flags, "name"),
                   cli_get(flags, "password"), false, &id, &e))
    rc = cli_fail("cannot add the user", &e);
  else
    printf("Added %s (id %lld).\n", cli_get(flags, "email"), (long long)id);
  arena_free(a);
  store_close(s);
  return rc;
}

/* serve's flags, also what `config check` reads and prints. */
#define SERVE_FLAGS(flags)                                                                        \
  cli_flag flags[] = {                                                                            \
      {"config", true, false, "a configuration file of name = value lines (flags, env win)", NULL}, \
      {"db", true, true, "the database file", NULL},                                              \
      {"key", true, false, "the key file (default: beside the database, .key)", NULL},            \
      {"listen", true, false, "address and port (default 127.0.0.1:8080; port 0 picks one)", NULL}, \
      {"threads", true, false, "HTTP worker threads (default 2)", NULL},                          \
      {"metrics", true, false, "serve Prometheus metrics at this HOST:PORT's /metrics", NULL},    \
      {"log-format", true, false, "text (default) or json: one JSON object per line", NULL},      \
      {"log-level", true, false, "debug, info (default), warn or error", NULL},                   \
      {"log-file", true, false, "append the log to this file (SIGHUP reopens it)", NULL},         \
      {"drain-seconds", true, false, "on SIGTERM, how long requests in flight may take (10)", NULL}, \
      {"dev", false, false, "development mode: allows --clock and the /dev routes", NULL},        \
      {"clock", true, false, "with --dev: start with the clock fixed at this RFC 3339 time", NULL}, \
      {"public-url", true, false,                                                                 \
       "the address people use, e.g. https://rapport.example.org (https: HSTS and a Secure "      \
       "__Host- session cookie)",                                                                 \
       NULL},                                                                                     \
      {"smtp", true, false,                                                                       \
       "deliver mail: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465",        \
       NULL},                                                                                     \
      {"mail-from", true, false, "the From of mail, e.g. \"Rapport <rapport@example.org>\"", NULL}, \
      {"smtp-ca", true, false, "trust this CA bundle (PEM) for the SMTP server", NULL},           \
      {"smtp-timeout", true, false, "seconds to connect and to send one mail (default 30)", NULL}, \
      {NULL, false, false, NULL, NULL}}
#define SERVE_USAGE                                                                               \
  "rapport serve --db FILE [--config FILE] [--key FILE] [--listen 127.0.0.1:8080] [--threads N] " \
  "[--metrics 127.0.0.1:9464] [--log-format text|json] [--log-level L] [--log-file F] "           \
  "[--drain-seconds N] [--dev [--clock T]] [--public-url URL] [--smtp URL --mail-from ADDRESS]"

/* Applies the logging flags; false (printed) when one is wrong. */
static bool set_up_log(const cli_flag *flags) {
  const char *format = cli_get(flags, "log-format"), *level = cli_get(flags, "log-level");
  const char *file = cli_get(flags, "log-file");
  if (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
    fprintf(stderr, "rapport: --log-format wants text or json\n");
    return false;
  }
  log_level l = LOG_INFO;
  if (level && !log_level_parse(level, &l)) {
    fprintf(stderr, "rapport: --log-level wants debug, info, warn or error\n");
    return false;
  }
  if (file && !log_open(file)) {
    fprintf(stderr, "rapport: cannot open the log file %s\n", file);
    return false;
  }
  log_set_json(format && strcmp(format, "json") == 0);
  log_set_level(l);
  return true;
}

int cli_config(int argc, char **argv) {
  if (argc < 1 || strcmp(argv[0], "check") != 0) {
    fprintf(stderr, "usage: rapport config check [--config FILE] [serve's flags]\n"
                    "  prints the configuration serve would use, secrets masked\n");
    return argc >= 1 && strcmp(argv[0], "--help") == 0 ? 0 : 2;
  }
  SERVE_FLAGS(flags);
  bool help;
  if (!cli_parse("rapport config check [--config FILE] [serve's flags]", flags, argc - 1, argv + 1,
                 &help))
    return help ? 0 : 2;
  cli_config_print(flags);
  return 0;
}

int cli_serve(int argc, char **argv) {
  SERVE_FLAGS(flags);
  bool help;
  if (!cli_parse(SERVE_USAGE, flags, argc, argv, &help)) return help ? 0 : 2;
  if (!set_up_log(flags)) return 2;
  int64_t drain_s = 10;
  if (cli_get(flags, "drain-seconds") &&
      !rp_parse_i64(cli_get(flags, "drain-seconds"), 0, 3600, &drain_s)) {
    fprintf(stderr, "rapport: --drain-seconds wants a number from 0 to 3600\n");
    return 2;
  }
  bool dev = cli_get(flags, "dev") != NULL;
  const char *clock = cli_get(flags, "clock");
  int64_t threads = 2;
  if (clock && !dev) {
    fprintf(stderr, "rapport: --clock is refused unless --dev is given\n");
    return 2;
  }
  rp_time t;
  if (clock && !rp_time_parse(clock, &t)) {
    fprintf(stderr, "rapport: --clock wants an RFC 3339 time such as 2026-03-01T09:00:00Z\n");
    return 2;
  }
  if (cli_get(flags, "threads") && !rp_parse_i64(cli_get(flags, "threads"), 1, 64, &threads)) {
    fprintf(stderr, "rapport: --threads wants a number from 1 to 64\n");
    return 2;
  }
  const char *public_url = cli_get(flags, "public-url");
  if (public_url && strncmp(public_url, "https://", 8) != 0 &&
      strncmp(public_url, "http://", 7) != 0) {
    fprintf(stderr, "rapport: --public-url wants an http:// or https:// address\n");
    return 2;
  }
  app_smtp smtp = {.url = cli_get(flags, "smtp"), .ca_file = cli_get(flags, "smtp-ca")};
  const char *mail_from = cli_get(flags, "mail-from");
  if (smtp.url && !app_smtp_url_valid(smtp.url)) {
    fprintf(stderr, "rapport: --smtp wants an smtp:// or smtps:// URL\n");
    return 2;
  }
  if (smtp.url && (!mail_from || !strchr(mail_from, '@'))) {
    fprintf(stderr, "rapport: --smtp needs --mail-from with an address\n");
    return 2;
  }
  int64_t smtp_timeout = 30;
  if (cli_get(flags, "smtp-timeout") &&
      !rp_parse_i64(cli_get(flags, "smtp-timeout"), 1, 600, &smtp_timeout)) {
    fprintf(stderr, "rapport: --smtp-timeout wants seconds from 1 to 600\n");
    return 2;
  }
  smtp.timeout_s = (int)smtp_timeout;
  const char *db = cli_get(flags, "db");
  keys *k;
  store *s;
  /* applies pending migrations and replays destroyed keys before serving */
  int rc = cli_open_existing(db, cli_get(flags, "key"), true, &k, &s);
  if (rc) return rc;
  store_close(s);
  if (clock) app_clock_fix(t);
  app_env env = app_env_default(k);
  env.dev = dev;
  env.https = public_url && strncmp(public_url, "https://", 8) == 0;
  env.public_url = public_url;
  env.mail_from = mail_from;
  env.key_cache = app_key_cache_new(APP_KEY_CACHE_SLOTS, APP_KEY_CACHE_TTL_S);
  if (!env.key_cache)
    log_warn("serve: no locked memory for the key cache; keys are unwrapped per request");
  const char *listen = cli_get(flags, "listen");
  http_config cfg = {.db_path = db,
                     .listen = listen ? listen : "127.0.0.1:8080",
                     .metrics = cli_get(flags, "metrics"),
                     .threads = (int)threads,
                     .drain_s = (int)drain_s,
                     .notify = getenv("NOTIFY_SOCKET") != NULL,
                     .env = &env,
                     .smtp = smtp.url ? &smtp : NULL};
#ifdef RAPPORT_BENCH_PLAIN /* meson -Dbench_plain=true: app/privacy/crypt.c stores text in the clear */
  fprintf(stderr, "\n*** WARNING: this rapport was built with -Dbench_plain=true. ***\n"
                  "*** Confidential text is stored UNENCRYPTED and reads are not logged. ***\n"
                  "*** It exists for benchmarks only; never use it with real data.  ***\n\n");
#endif
  /* Several instances on one PostgreSQL: keys destroyed by another reach
   * this one's cache within a second (app/privacy/keycache.h). */
  app_key_watch *watch = app_key_watch_start(db, env.key_cache);
  rc = http_serve(&cfg);
  app_key_watch_stop(watch);
  app_key_cache_free(env.key_cache);
  keys_free(k);
  return rc;
}

int cli_db(int argc, char **argv) {
  const char *usage = "rapport db migrate|status|backup|restore|copy --db FILE [--to FILE] [--from FILE]";
  if (argc < 1 || argv[0][0] == '-') {
    bool asked = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    fprintf(asked ? stdout : stderr, "usage: %s\n", usage);
    return asked ? 0 : 2;
  }
  const char *verb = argv[0];
  if (strcmp(verb, "restore") == 0) return cli_db_restore(argc - 1, argv + 1); /* cli/keys.c */
  if (strcmp(verb, "copy") == 0) return cli_db_copy(argc - 1, argv + 1);       /* cli/postgres.c */
  if (strcmp(verb, "migrate") && strcmp(verb, "status") && strcmp(verb, "backup")) {
    fprintf(stderr, "rapport: unknown db command '%s'\nusage: %s\n", verb, usage);
    return 2;
  }
  cli_flag flags[] = {{"db", true, true, "the database file", NULL},
                      {"to", true, false, "backup: the file to write", NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(usage, flags, argc - 1, argv + 1, &help)) return help ? 0 : 2;
  const char *db = cli_get(flags, "db"), *to = cli_get(flags, "to");
  if (strcmp(verb, "backup") == 0 && !to) {
    fprintf(stderr, "rapport: db backup needs --to FILE\n");
    return 2;
  }
  if (strcmp(verb, "backup") == 0 && store_is_postgres(db)) return cli_pg_backup(db, to);
  bool exists = false;
  if (strcmp(verb, "migrate") != 0 && (cli_db_exists(db, &exists) || !exists)) {
    if (!exists) fprintf(stderr, "rapport: %s does not exist\n", db);
    return 1;
  }
  rp_err e = {0};
  store *s = NULL;
  if (store_open(db, &s, &e)) return cli_fail("cannot open the database", &e);
  int rc = 0, cur = 0, latest = 0, pending = 0, applied = 0;
  if (strcmp(verb, "migrate") == 0) {
    if (store_migrate(s, rp_time_now_real(), &applied, &e)) rc = cli_fail("migration failed", &e);
    else if (store_schema_version(s, &cur, &latest, &pending, &e)) rc = cli_fail("cannot read the schema", &e);
    else printf("Applied %d migration(s); the schema is at version %d.\n", applied, cur);
  } else if (strcmp(verb, "status") == 0) {
    if (store_schema_version(s, &cur, &latest, &pending, &e))
      rc = cli_fail("cannot read the schema", &e);
    else if (pending)
      printf("Schema version %d of %d: %d migration(s) to apply (run 'rapport db migrate').\n",
             cur, latest, pending);
    else
      printf("Schema version %d of %d, up to date.\n", cur, latest);
  } else {
    if (access(to, F_OK) == 0) {
      fprintf(stderr, "rapport: %s already exists; choose a new file\n", to);
      rc = 1;
    } else if (store_backup(s, to, &e)) {
      rc = cli_fail("backup failed", &e);
    } else {
      char *audit = store_audit_path(to);
      printf("Backed up %s to %s and its access log to %s. Keep the key file safe too: the "
             "backup needs it.\n", db, to, audit);
      free(audit);
    }
  }
  store_close(s);
  return rc;
}

int cli_openapi(int argc, char **argv) {
  (void)argv;
  if (argc > 0) {
    fprintf(stderr, "usage: rapport openapi   (prints the OpenAPI 3.1 document)\n");
    return 2;
  }
  const char *why;
  const char *text = http_openapi_text(&why);
  if (!text) {
    fprintf(stderr, "rapport: the API description is incomplete: %s\n", why);
    return 1;
  }
  puts(text);
  return 0;
}
