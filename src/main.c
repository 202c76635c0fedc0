/* main.c: Rapport's entry point; dispatches to the subcommands in cli/. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int usage(FILE *f) {
  fprintf(f,
          "Rapport: mentoring and coaching built on trust.\n\n"
          "usage: rapport COMMAND [flags]   (rapport COMMAND --help for its flags)\n\n"
          "  init       create a database, its key file and a site administrator\n"
          "  user add   add a person with a password\n"
          "  serve      serve the API and the web client\n"
          "  demo       create a database filled with a realistic sample program\n"
          "  db         migrate | status | backup | restore | copy\n"
          "  report     program health in plain text (k-anonymous)\n"
          "  trust      recompute: rebuild every relationship's trust sums from its evidence\n"
          "  audit      verify: check the access log's hash chain and signed heads\n"
          "  keys       rotate | status | reencrypt: the data-key hierarchy\n"
          "  mail       status | list: the outbox, what waits and what failed\n"
          "  openapi    print the API's OpenAPI 3.1 description\n"
          "  config     check: print the configuration serve would use, secrets masked\n");
  return f == stdout ? 0 : 2;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage(stderr);
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
    return usage(stdout);
  if (!crypto_init()) {
    fprintf(stderr, "rapport: libsodium could not start\n");
    return 1;
  }
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } commands[] = {{"init", cli_init}, {"user", cli_user}, {"serve", cli_serve},
                  {"db", cli_db},     {"demo", cli_demo}, {"report", cli_report},
                  {"trust", cli_trust}, {"audit", cli_audit}, {"keys", cli_keys},
                  {"mail", cli_mail}, {"openapi", cli_openapi}, {"config", cli_config}};
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(cmd, commands[i].name) == 0) return commands[i].run(argc - 2, argv + 2);
  fprintf(stderr, "rapport: unknown command '%s'\n\n", cmd);
  return usage(stderr);
}
