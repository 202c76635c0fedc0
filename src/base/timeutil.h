/* timeutil.h: Rapport's time values.
 *
 * A time is int64 seconds since the Unix epoch, UTC (rp_time). A date
 * (YYYY-MM-DD, for due dates and planned ends) is an int32 count of days
 * since 1970-01-01. Parsing is strict: RFC 3339 with a 'T', seconds, and 'Z'
 * or a numeric offset; fractions of a second are accepted and truncated.
 */
#ifndef RAPPORT_BASE_TIMEUTIL_H
#define RAPPORT_BASE_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t rp_time;

#define RP_DAY  ((rp_time)86400)
#define RP_HOUR ((rp_time)3600)
#define RP_TIME_BUFSZ 32
#define RP_DATE_BUFSZ 12

/* Returns true and sets *out when s is a valid RFC 3339 date-time. */
bool rp_time_parse(const char *s, rp_time *out);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf (RP_TIME_BUFSZ bytes); returns buf. */
char *rp_time_format(rp_time t, char *buf);

/* Returns true and sets *days when s is a valid YYYY-MM-DD calendar date. */
bool rp_date_parse(const char *s, int32_t *days);
char *rp_date_format(int32_t days, char *buf);

/* The wall clock, for the faces and app/ only. */
rp_time rp_time_now_real(void);

#endif
