/* log.c: see log.h. A line is written with one fprintf so lines from
 * different threads do not interleave. */
#include "base/log.h"
#include "base/timeutil.h"

#include <stdarg.h>
#include <stdio.h>

static log_level g_level = LOG_INFO;

void log_set_level(log_level l) { g_level = l; }

void log_msg(log_level l, const char *fmt, ...) {
  if (l < g_level) return;
  static const char *const names[] = {"debug", "info", "warn", "error"};
  char msg[512], ts[RP_TIME_BUFSZ];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s %s %s\n", rp_time_format(rp_time_now_real(), ts), names[l], msg);
}
