/* demo.c: `rapport demo` (filled by its slice). */
#include "cli/cli.h"

#include <stdio.h>

int cli_demo(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "rapport demo: coming with the demo slice\n");
  return 1;
}
