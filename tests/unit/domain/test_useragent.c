/* test_useragent.c: a browser's family from its User-Agent
 * (domain/useragent.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/useragent.h"

static void check(const char *ua, const char *want) {
  char out[64];
  assert_string_equal(ua_family(ua, out, sizeof out), want);
}

static void the_common_browsers_are_named_with_their_system(void **state) {
  (void)state;
  check("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Firefox on Linux");
  check("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Edge on Windows");
  check("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/18.1 Safari/605.1.15",
        "Safari on macOS");
  check("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36",
        "Chrome on Android");
  check("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
        "Chrome on iOS");
  check("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
        "Opera on Linux");
  check("curl/8.11.0", "curl");
}

static void anything_else_is_an_unknown_browser_and_never_copied(void **state) {
  (void)state;
  check(NULL, "an unknown browser");
  check("", "an unknown browser");
  check("<script>alert(1)</script>", "an unknown browser");
  check("EvilBot/1.0 (Windows)", "an unknown browser on Windows");
  char tiny[8];
  assert_string_equal(ua_family("Firefox/1", tiny, sizeof tiny), "Firefox");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_common_browsers_are_named_with_their_system),
      cmocka_unit_test(anything_else_is_an_unknown_browser_and_never_copied),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
