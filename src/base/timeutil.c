/* timeutil.c: strict RFC 3339 and calendar-date parsing without locale or
 * time zone state (days_from_civil is Howard Hinnant's algorithm). */
#include "base/timeutil.h"

#include <string.h>
#include <time.h>

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : dm[m - 1];
}

/* Reads exactly n digits at *p. */
static bool digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *out = v;
  return true;
}

static bool parse_date_part(const char **p, int *y, int *m, int *d) {
  if (!digits(p, 4, y) || **p != '-') return false;
  (*p)++;
  if (!digits(p, 2, m) || **p != '-') return false;
  (*p)++;
  if (!digits(p, 2, d)) return false;
  return *y >= 1900 && *y <= 9999 && *m >= 1 && *m <= 12 && *d >= 1 &&
         *d <= days_in_month(*y, *m);
}

bool rp_date_parse(const char *s, int32_t *days) {
  int y, m, d;
  if (!s || !parse_date_part(&s, &y, &m, &d) || *s) return false;
  *days = (int32_t)days_from_civil(y, m, d);
  return true;
}

/* Writes n's last `width` decimal digits at p, zero-padded, and returns
 * the end: "%0*u" of a value below 10^width, without printf's cost (every
 * time an answer shows goes through here). */
static char *put_digits(char *p, unsigned n, int width) {
  for (int i = width - 1; i >= 0; i--) {
    p[i] = (char)('0' + n % 10u);
    n /= 10u;
  }
  return p + width;
}

/* "YYYY-MM-DD" at p, returning the end; years are taken modulo 10000 (they
 * stay within 0..9999). */
static char *put_date(char *p, int64_t days) {
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  p = put_digits(p, (unsigned)y % 10000u, 4);
  *p++ = '-';
  p = put_digits(p, (unsigned)m, 2);
  *p++ = '-';
  return put_digits(p, (unsigned)d, 2);
}

char *rp_date_format(int32_t days, char *buf) {
  *put_date(buf, days) = '\0';
  return buf;
}

bool rp_time_parse(const char *s, rp_time *out) {
  int y, mo, d, h, mi, se;
  if (!s || !parse_date_part(&s, &y, &mo, &d)) return false;
  if (*s != 'T' && *s != 't') return false;
  s++;
  if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) || *s++ != ':' ||
      !digits(&s, 2, &se))
    return false;
  if (h > 23 || mi > 59 || se > 60) return false;
  if (*s == '.') {
    s++;
    if (*s < '0' || *s > '9') return false;
    while (*s >= '0' && *s <= '9') s++;
  }
  int64_t offset = 0;
  if (*s == 'Z' || *s == 'z') {
    s++;
  } else if (*s == '+' || *s == '-') {
    int sign = *s == '-' ? -1 : 1, oh, om;
    s++;
    if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om) || oh > 23 || om > 59)
      return false;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return false;
  }
  if (*s) return false;
  if (se == 60) se = 59; /* leap second: the nearest representable instant */
  *out = days_from_civil(y, mo, d) * RP_DAY + h * 3600 + mi * 60 + se - offset;
  return true;
}

char *rp_time_format(rp_time t, char *buf) {
  int64_t days = t >= 0 ? t / RP_DAY : -((-t + RP_DAY - 1) / RP_DAY);
  unsigned secs = (unsigned)(t - days * RP_DAY); /* 0..86399 */
  char *p = put_date(buf, days);
  *p++ = 'T';
  p = put_digits(p, secs / 3600u, 2);
  *p++ = ':';
  p = put_digits(p, secs / 60u % 60u, 2);
  *p++ = ':';
  p = put_digits(p, secs % 60u, 2);
  *p++ = 'Z';
  *p = '\0';
  return buf;
}

rp_time rp_time_now_real(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (rp_time)ts.tv_sec;
}
