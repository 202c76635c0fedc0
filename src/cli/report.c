/* report.c: `rapport report`, program health in plain text for an
 * operator: the same k-anonymous figures as GET /programs/{id}/health
 * (app/trust/health.h), with the same cells suppressed, as of now or of --at.
 * Reads only metadata, so the key file is not needed (--key is accepted
 * for symmetry and checked when given).
 */
#include "cli/cli.h"
#include "app/trust/trust.h"
#include "base/num.h"

#include <stdio.h>
#include <unistd.h>

static void print_hidden(const char *what, const app_health_cell *c) {
  printf("  %-22s suppressed (%s)\n", what, app_health_reason_text(c->hidden));
}

static void print_trend(const app_health_cell *t, double scale, const char *unit) {
  if (t->hidden) {
    printf("; trend suppressed (%s)\n", app_health_reason_text(t->hidden));
    return;
  }
  printf("; period before %.0f%s (%+.0f)\n", t->previous * scale, unit,
         (t->value - t->previous) * scale);
}

static void print_rate(const char *what, const app_health_cell *c, const app_health_cell *t) {
  if (c->hidden) {
    print_hidden(what, c);
    return;
  }
  printf("  %-22s %.0f%% of %zu relationships", what, c->value * 100.0, c->units);
  print_trend(t, 100.0, "%");
}

static void print_group(const app_health_group *g) {
  const app_health_cell *c = g->cell;
  printf("\n%s %s (%zu current relationship%s)\n", g->is_program ? "Program" : "Guide",
         g->name ? g->name : "?", g->relationships, g->relationships == 1 ? "" : "s");
  if (c[HEALTH_TRUST_INDEX].hidden) {
    print_hidden("trust index", &c[HEALTH_TRUST_INDEX]);
  } else {
    printf("  %-22s mean %.1f, quartiles %.0f / %.0f / %.0f (%zu established directions)\n",
           "trust index", c[HEALTH_TRUST_INDEX].value, g->index_p25, g->index_median,
           g->index_p75, g->directions);
  }
  if (c[HEALTH_WARNINGS].hidden) {
    print_hidden("warnings", &c[HEALTH_WARNINGS]);
  } else {
    printf("  %-22s", "warnings");
    int shown = 0;
    for (int k = 0; k < TRUST_W_COUNT; k++) {
      if (g->warning_share[k] <= 0) continue;
      printf("%s %s %.0f%%", shown++ ? "," : "", trust_warn_name((trust_warn_code)k),
             g->warning_share[k] * 100.0);
    }
    printf("%s\n", shown ? "" : " none open");
  }
  print_rate("cadence adherence", &c[HEALTH_CADENCE], &c[HEALTH_CADENCE_TREND]);
  print_rate("follow-through", &c[HEALTH_FOLLOW], &c[HEALTH_FOLLOW_TREND]);
  if (c[HEALTH_PULSE].hidden) {
    print_hidden("pulse", &c[HEALTH_PULSE]);
    return;
  }
  printf("  %-22s mean %.2f of 5 from %zu raters", "pulse", c[HEALTH_PULSE].value,
         c[HEALTH_PULSE].units);
  if (c[HEALTH_PULSE_TREND].hidden)
    printf("; trend suppressed (%s)\n", app_health_reason_text(c[HEALTH_PULSE_TREND].hidden));
  else
    printf("; period before %.2f (%+.2f)\n", c[HEALTH_PULSE_TREND].previous,
           c[HEALTH_PULSE_TREND].value - c[HEALTH_PULSE_TREND].previous);
  printf("  %-22s", "pulse items");
  for (int i = 0; i < APP_HEALTH_NITEM; i++) {
    const app_health_cell *x = &c[HEALTH_ITEM0 + i];
    if (x->hidden) printf(" %s suppressed", trust_pulse_item_name((trust_pulse_item)i));
    else printf(" %s %.2f", trust_pulse_item_name((trust_pulse_item)i), x->value);
  }
  printf("\n");
}

static int report_program(app_ctx *c, int64_t program_id) {
  app_health h;
  rp_err e = {0};
  if (app_program_health(c, program_id, &h, &e)) return cli_fail("cannot report", &e);
  char when[RP_TIME_BUFSZ];
  printf("Program %lld \"%s\": health as of %s, last %d days; figures resting on fewer than "
         "k = %d raters or relationships are suppressed.\n",
         (long long)h.program_id, h.program_name, rp_time_format(h.as_of, when), h.period_days,
         h.k);
  for (size_t i = 0; i < h.ngroups; i++) print_group(&h.groups[i]);
  if (h.alumni_guiding.hidden)
    printf("  %-22s suppressed (%s)\n", "alumni guiding",
           app_health_reason_text(h.alumni_guiding.hidden));
  else
    printf("  %-22s %.0f\n", "alumni guiding", h.alumni_guiding.value);
  return 0;
}

int cli_report(int argc, char **argv) {
  cli_flag flags[] = {{"db", true, true, "the database file", NULL},
                      {"key", true, false, "the key file (not needed: no text is read)", NULL},
                      {"program", true, false, "one program's id (default: every program)", NULL},
                      {"at", true, false, "report as of this RFC 3339 time (default: now)", NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse("rapport report --db FILE [--key FILE] [--program ID] [--at T]", flags, argc,
                 argv, &help))
    return help ? 0 : 2;
  int64_t program_id = 0;
  const char *pid = cli_get(flags, "program");
  if (pid && !rp_parse_i64(pid, 1, INT64_MAX, &program_id)) {
    fprintf(stderr, "rapport: --program wants a program id\n");
    return 2;
  }
  rp_time now = app_clock_now();
  const char *at = cli_get(flags, "at");
  if (at && !rp_time_parse(at, &now)) {
    fprintf(stderr, "rapport: --at wants an RFC 3339 time such as 2026-03-01T09:00:00Z\n");
    return 2;
  }
  const char *db = cli_get(flags, "db");
  keys *k;
  store *s;
  int rc = cli_open_existing(db, cli_get(flags, "key"), false, &k, &s);
  if (rc) return rc;
  app_env env = app_env_default(k);
  arena *a = arena_new(0);
  app_ctx c = {.env = &env, .st = s, .a = a, .now = now};
  if (program_id) {
    rc = report_program(&c, program_id);
  } else {
    int64_t *ids = NULL;
    size_t n = 0;
    rp_err e = {0};
    if (app_health_programs(&c, &ids, &n, &e)) rc = cli_fail("cannot report", &e);
    if (!rc && n == 0) printf("No programs yet.\n");
    for (size_t i = 0; i < n && !rc; i++) {
      if (i) printf("\n");
      rc = report_program(&c, ids[i]);
    }
  }
  arena_free(a);
  store_close(s);
  keys_free(k);
  return rc;
}
