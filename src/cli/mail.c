/* mail.c: `rapport mail status|list`: the operator's view of the outbox
 * (app/reach/): how much waits, how much failed and why. Never a mail's
 * content: only its kind, address, subject, state and the SMTP answer.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int status(app_ctx *c) {
  rp_err e = {0};
  store_mail_counts k;
  if (app_mail_counts(c, &k, &e)) return cli_fail("reading the outbox failed", &e);
  char oldest[RP_TIME_BUFSZ] = "-";
  if (k.oldest_waiting) rp_time_format(k.oldest_waiting, oldest);
  printf("waiting: %lld (oldest written %s)\nsent:    %lld\nfailed:  %lld\n",
         (long long)k.waiting, oldest, (long long)k.sent, (long long)k.failed);
  return 0;
}

static int list(app_ctx *c, const char *state) {
  rp_err e = {0};
  int64_t after = 0;
  do {
    store_mail *items;
    size_t n;
    int64_t next = 0;
    if (app_mail_list(c, state, after, APP_PAGE_MAX, &items, &n, &next, &e))
      return cli_fail("reading the outbox failed", &e);
    for (size_t i = 0; i < n; i++) {
      const store_mail *m = &items[i];
      char written[RP_TIME_BUFSZ], next_at[RP_TIME_BUFSZ];
      rp_time_format(m->created_at, written);
      rp_time_format(m->next_at, next_at);
      printf("%lld\t%s\t%s\t%s\t%s\twritten %s\tattempts %lld\tnext %s\t%s\t%s\n",
             (long long)m->id, m->state, m->kind, m->to, m->message_id, written,
             (long long)m->attempts, next_at, m->subject, m->last_error ? m->last_error : "");
    }
    after = next;
    arena_reset(c->a);
  } while (after);
  return 0;
}

int cli_mail(int argc, char **argv) {
  const char *usage = "rapport mail status|list --db FILE [--state waiting|sent|failed]";
  if (argc < 1 || argv[0][0] == '-') {
    bool asked = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    fprintf(asked ? stdout : stderr, "usage: %s\n", usage);
    return asked ? 0 : 2;
  }
  const char *verb = argv[0];
  if (strcmp(verb, "status") && strcmp(verb, "list")) {
    fprintf(stderr, "rapport: unknown mail command '%s'\nusage: %s\n", verb, usage);
    return 2;
  }
  cli_flag flags[] = {{"db", true, true, "the database file", NULL},
                      {"key", true, false, "the key file (default: beside the database, .key)", NULL},
                      {"state", true, false, "list: only mail in this state", NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse(usage, flags, argc - 1, argv + 1, &help)) return help ? 0 : 2;
  const char *state = cli_get(flags, "state");
  if (state && strcmp(state, "waiting") && strcmp(state, "sent") && strcmp(state, "failed")) {
    fprintf(stderr, "rapport: --state wants waiting, sent or failed\n");
    return 2;
  }
  keys *k;
  store *s;
  int rc = cli_open_existing(cli_get(flags, "db"), cli_get(flags, "key"), false, &k, &s);
  if (rc) return rc;
  app_env env = app_env_default(k);
  arena *a = arena_new(0);
  app_ctx c = {.env = &env, .st = s, .a = a, .now = rp_time_now_real()};
  rc = strcmp(verb, "status") == 0 ? status(&c) : list(&c, state);
  arena_free(a);
  store_close(s);
  keys_free(k);
  return rc;
}
