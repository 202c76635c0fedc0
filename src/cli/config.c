/* config.c: the configuration file (`--config FILE`, read with Debian's
 * libinih) and `rapport config check`.
 *
 * The file holds `name = value` lines whose names are the command's flags
 * without their dashes (`listen = 127.0.0.1:8080`, `log-format = json`;
 * a switch takes true or false), optionally under a [serve] section; `#`
 * and `;` start comments. A value set there is overridden by the
 * environment (RAPPORT_LISTEN) and that by the command line, in that
 * order (cli_parse). An unknown name or section is an error, so a typo
 * cannot pass for a default.
 */
#include "cli/cli.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The values read, kept until the process ends (flags point into them). */
#define CONFIG_VALUES_MAX 128
static char *g_values[CONFIG_VALUES_MAX];
static int g_nvalues;

static void free_values(void) {
  for (int i = 0; i < g_nvalues; i++) free(g_values[i]);
  g_nvalues = 0;
}

typedef struct config_read {
  cli_flag *flags;
  bool *from_file; /* per flag: its value came from the file */
  const char *path;
  bool bad;
} config_read;

static bool is_true(const char *v, bool *out) {
  if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
    return (*out = true), true;
  if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
    return (*out = false), true;
  return false;
}

static int on_pair(void *user, const char *section, const char *name, const char *value) {
  config_read *c = user;
  if (*section && strcmp(section, "serve") != 0) {
    fprintf(stderr, "rapport: %s: unknown section [%s] (only [serve])\n", c->path, section);
    c->bad = true;
    return 1;
  }
  for (int i = 0; c->flags[i].name; i++) {
    cli_flag *fl = &c->flags[i];
    if (strcmp(fl->name, name) != 0) continue;
    if (strcmp(name, "config") == 0) break;
    if (fl->value && !c->from_file[i]) return 1; /* the environment or a flag wins */
    if (!fl->takes_value) {
      bool on;
      if (!is_true(value, &on)) {
        fprintf(stderr, "rapport: %s: %s wants true or false\n", c->path, name);
        c->bad = true;
        return 1;
      }
      fl->value = on ? "1" : NULL;
    } else {
      if (g_nvalues == CONFIG_VALUES_MAX) {
        fprintf(stderr, "rapport: %s: more than %d settings\n", c->path, CONFIG_VALUES_MAX);
        c->bad = true;
        return 1;
      }
      if (g_nvalues == 0) atexit(free_values);
      fl->value = g_values[g_nvalues++] = rp_xstrdup(value);
    }
    c->from_file[i] = true;
    return 1;
  }
  fprintf(stderr, "rapport: %s: unknown setting '%s'\n", c->path, name);
  c->bad = true;
  return 1;
}

bool cli_config_read(const char *path, cli_flag *flags) {
  int n = 0;
  while (flags[n].name) n++;
  bool *from_file = rp_xcalloc((size_t)n + 1, sizeof *from_file);
  config_read c = {flags, from_file, path, false};
  int rc = ini_parse(path, on_pair, &c);
  free(from_file);
  if (rc < 0) {
    fprintf(stderr, "rapport: cannot read the configuration file %s\n", path);
    return false;
  }
  if (rc > 0 && !c.bad) {
    fprintf(stderr, "rapport: %s:%d: not a `name = value` line\n", path, rc);
    return false;
  }
  return !c.bad;
}

/* v with the password of a postgresql:// URI (user:password@) masked. */
static void masked(const char *name, const char *v, char *out, size_t cap) {
  snprintf(out, cap, "%s", v);
  if (strcmp(name, "db") != 0) return;
  char *scheme = strstr(out, "://");
  if (!scheme) return;
  char *at = strchr(scheme + 3, '@');
  char *colon = strchr(scheme + 3, ':');
  if (at && colon && colon < at) {
    char rest[1024];
    snprintf(rest, sizeof rest, "%s", at);
    snprintf(colon, cap - (size_t)(colon - out), ":****%s", rest);
  }
  char *pw = strstr(out, "password=");
  if (pw) {
    char *end = pw + 9 + strcspn(pw + 9, "&");
    char rest[1024];
    snprintf(rest, sizeof rest, "%s", end);
    snprintf(pw + 9, cap - (size_t)(pw + 9 - out), "****%s", rest);
  }
}

void cli_config_print(const cli_flag *flags) {
  for (const cli_flag *fl = flags; fl->name; fl++) {
    if (strcmp(fl->name, "config") == 0) continue;
    char v[1024];
    if (!fl->value) {
      printf("%s = (default)\n", fl->name);
      continue;
    }
    masked(fl->name, fl->takes_value ? fl->value : "true", v, sizeof v);
    printf("%s = %s\n", fl->name, v);
  }
}
