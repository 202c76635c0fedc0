/* trust.c: `rapport trust recompute`, moving every relationship to the
 * trust rules in force (app_trust_recompute_all: goal-review evidence
 * re-valued, sums rebuilt from the stored evidence, warnings refreshed and
 * those no longer raised withdrawn with an event), one write transaction
 * per relationship, and saying how far the sums it replaced were from the
 * rebuilt ones. The server may keep running meanwhile. */
#include "app/trust/trust.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const usage_line =
    "rapport trust recompute --db FILE [--key FILE] [--jobs N] [--clock TIME] [--one-by-one]";

/* Connections rebuilding at once on PostgreSQL, at most (SQLite has one
 * writer: one connection there). */
#define JOBS_MAX 16

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void report(const app_trust_recompute_stats *s, double secs) {
  printf("Recomputed the trust sums of %lld relationships (%lld with evidence, %lld evidence "
         "items) in %.2f s.\n",
         (long long)s->relationships, (long long)s->with_evidence, (long long)s->items, secs);
  printf("Largest relative difference from the stored sums: %.3g", s->max_rel_diff);
  if (s->max_diff_rel) printf(" (relationship %lld)", (long long)s->max_diff_rel);
  printf(".\n");
  printf("Goal-review items re-valued under the rules in force: %lld; warnings withdrawn because "
         "those rules do not raise them: %lld.\n",
         (long long)s->revalued, (long long)s->withdrawn);
  printf("Pulse answers re-valued against their rater's own level: %lld.\n",
         (long long)s->pulses_revalued);
  if (s->without_sums)
    printf("%lld relationships had evidence but no stored sums (nothing to compare).\n",
           (long long)s->without_sums);
}

static int recompute(int argc, char **argv) {
  cli_flag flags[] = {
      {"db", true, true, "the database file", NULL},
      {"key", true, false, "the key file (default: beside the database, .key)", NULL},
      {"jobs", true, false,
       "PostgreSQL: connections rebuilding at once (default: the processors online, at most 8)",
       NULL},
      {"clock", true, false,
       "refresh the warnings as of this RFC 3339 time instead of now (to compare two runs)", NULL},
      {"one-by-one", false, false,
       "each relationship in its own transaction with its own reads (slow: the reference the "
       "default is checked against)",
       NULL},
      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(usage_line, flags, argc, argv, &help)) return help ? 0 : 2;
  const char *db = cli_get(flags, "db");
  const char *jobs_text = cli_get(flags, "jobs");
  const char *clock = cli_get(flags, "clock");
  bool one_by_one = cli_get(flags, "one-by-one") != NULL;
  rp_time now = rp_time_now_real();
  if (clock && !rp_time_parse(clock, &now)) {
    fprintf(stderr, "rapport: --clock wants an RFC 3339 time such as 2026-03-01T09:00:00Z\n");
    return 2;
  }
  long jobs = 1;
  if (store_is_postgres(db)) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = cpus < 1 ? 1 : cpus > 8 ? 8 : cpus;
  }
  if (jobs_text) {
    char *end;
    jobs = strtol(jobs_text, &end, 10);
    if (*end || jobs < 1 || jobs > JOBS_MAX) {
      fprintf(stderr, "rapport: --jobs takes a number from 1 to %d\n", JOBS_MAX);
      return 2;
    }
    if (!store_is_postgres(db)) jobs = 1;
  }
  if (one_by_one) jobs = 1;
  keys *k;
  store *s;
  store *more[JOBS_MAX];
  size_t nmore = 0;
  int rc = cli_open_existing(db, cli_get(flags, "key"), true, &k, &s);
  while (!rc && nmore + 1 < (size_t)jobs) {
    rp_err oe = {0};
    if (store_open(db, &more[nmore], &oe)) rc = cli_fail("cannot open the database", &oe);
    else nmore++;
  }
  if (!rc) {
    app_env env = app_env_default(k);
    arena *a = arena_new(0);
    app_ctx c = {.env = &env, .st = s, .a = a, .now = now};
    rp_err e = {0};
    app_trust_recompute_stats stats;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (one_by_one ? app_trust_recompute_one_by_one(&c, &stats, &e)
                   : app_trust_recompute_on(&c, more, nmore, &stats, &e))
      rc = cli_fail("cannot recompute the trust sums", &e);
    else
      report(&stats, seconds_since(&t0));
    arena_free(a);
  }
  for (size_t i = 0; i < nmore; i++) store_close(more[i]);
  store_close(s);
  keys_free(k);
  return rc;
}

int cli_trust(int argc, char **argv) {
  if (argc >= 1 && strcmp(argv[0], "recompute") == 0) return recompute(argc - 1, argv + 1);
  bool asked = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
  fprintf(asked ? stdout : stderr, "usage: %s\n", usage_line);
  return asked ? 0 : 2;
}
