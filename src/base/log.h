/* log.h: one line per event, with UTC time and level, on standard error or
 * in a file (--log-file; reopened on SIGHUP for log rotation), as text or
 * as JSON (--log-format json: one object per line). Never log confidential
 * text, passwords or tokens: request lines carry the route pattern, never
 * the raw path or a body. */
#ifndef RAPPORT_BASE_LOG_H
#define RAPPORT_BASE_LOG_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level l);
/* Parses "debug", "info", "warn" or "error"; false when it is none. */
bool log_level_parse(const char *s, log_level *out);
bool log_enabled(log_level l);
void log_set_json(bool json);
/* Writes to path (appending) from now on; NULL: standard error. Returns
 * false (and keeps the current output) when the file cannot be opened. */
bool log_open(const char *path);
/* Opens the same file again (after logrotate moved it): SIGHUP. */
bool log_reopen(void);

void log_msg(log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One request's line: msg "request" with these fields. */
typedef struct log_request_line {
  const char *request_id, *method, *route; /* route: the pattern, or "static", "none" */
  int status;
  double seconds;
  int64_t actor; /* 0: none */
} log_request_line;
void log_request(log_level l, const log_request_line *r);

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
