/* timeutil.c: fuzz target for RFC 3339 date-times and YYYY-MM-DD dates
 * (rp_time_parse, rp_date_parse in src/base/timeutil.c), the parsers
 * behind every `at`, `due_at`, `scheduled_at` and `due_on` field.
 *
 * The input is the string. Properties, checked against libc's timegm:
 * an accepted date-time has the strict shape and denotes the instant its
 * fields and offset say (a leap second counts as :59); formatting it and
 * parsing again gives the same instant. An accepted date is exactly the
 * text rp_date_format writes for it, and every real calendar date of the
 * years 1900 to 9999 in that shape is accepted.
 */
#include "fuzz.h"

#include "base/timeutil.h"

#include <time.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int num(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

/* Whether s is DDDD-DD-DD with digits where D is. */
static bool date_shape(const char *s) {
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return false;
    } else if (!is_digit(s[i])) {
      return false;
    }
  }
  return true;
}

/* libc's count of seconds for a UTC civil time, or false when the fields
 * are not a real date (timegm normalises them away). */
static bool ref_timegm(int y, int mo, int d, int h, int mi, int se, int64_t *out) {
  struct tm tm = {0};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  time_t t = timegm(&tm);
  if (tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d) return false;
  *out = (int64_t)t;
  return true;
}

static void check_date(const char *s) {
  int32_t days = 0;
  bool ok = rp_date_parse(s, &days);
  if (ok) {
    char buf[RP_DATE_BUFSZ];
    FUZZ_CHECK(strcmp(rp_date_format(days, buf), s) == 0);
  }
  if (strlen(s) == 10 && date_shape(s)) {
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    int64_t t;
    bool real = y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && ref_timegm(y, mo, d, 0, 0, 0, &t);
    FUZZ_CHECK(ok == real);
    if (ok) FUZZ_CHECK((int64_t)days * 86400 == t);
  } else {
    FUZZ_CHECK(!ok);
  }
}

static void check_time(const char *s) {
  rp_time t = 0;
  if (!rp_time_parse(s, &t)) return;
  size_t n = strlen(s);
  FUZZ_CHECK(n >= 20 && date_shape(s));
  FUZZ_CHECK((s[10] == 'T' || s[10] == 't') && s[13] == ':' && s[16] == ':');
  FUZZ_CHECK(is_digit(s[11]) && is_digit(s[12]) && is_digit(s[14]) && is_digit(s[15]) &&
             is_digit(s[17]) && is_digit(s[18]));
  int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
  int h = num(s + 11, 2), mi = num(s + 14, 2), se = num(s + 17, 2);
  FUZZ_CHECK(h <= 23 && mi <= 59 && se <= 60);
  const char *p = s + 19;
  if (*p == '.') {
    p++;
    FUZZ_CHECK(is_digit(*p));
    while (is_digit(*p)) p++;
  }
  int64_t offset = 0;
  if (*p == 'Z' || *p == 'z') {
    FUZZ_CHECK(p[1] == '\0');
  } else {
    FUZZ_CHECK((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':');
    FUZZ_CHECK(is_digit(p[1]) && is_digit(p[2]) && is_digit(p[4]) && is_digit(p[5]));
    int oh = num(p + 1, 2), om = num(p + 4, 2);
    FUZZ_CHECK(oh <= 23 && om <= 59);
    offset = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  int64_t ref;
  FUZZ_CHECK(ref_timegm(y, mo, d, h, mi, se == 60 ? 59 : se, &ref));
  FUZZ_CHECK(t == ref - offset);

  char buf[RP_TIME_BUFSZ];
  rp_time again = 0;
  rp_time_format(t, buf);
  int fy = num(buf, 4);
  if (fy >= 1900 && fy <= 9999) {
    FUZZ_CHECK(rp_time_parse(buf, &again));
    FUZZ_CHECK(again == t);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  check_date(s);
  check_time(s);
  free(s);
  return 0;
}
