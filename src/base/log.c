/* log.c: see log.h. A line is written with one fputs of a finished buffer
 * so lines from different threads do not interleave; the output file is
 * swapped under a lock on reopen. */
#include "base/log.h"
#include "base/timeutil.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static log_level g_level = LOG_INFO;
static bool g_json;
static FILE *g_file; /* NULL: stderr */
static char *g_path;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static const char *const g_names[] = {"debug", "info", "warn", "error"};

void log_set_level(log_level l) { g_level = l; }
bool log_enabled(log_level l) { return l >= g_level; }
void log_set_json(bool json) { g_json = json; }

bool log_level_parse(const char *s, log_level *out) {
  for (int i = 0; i < 4; i++)
    if (strcmp(s, g_names[i]) == 0) {
      *out = (log_level)i;
      return true;
    }
  return false;
}

static bool open_path(const char *path) {
  FILE *f = path ? fopen(path, "a") : NULL;
  if (path && !f) return false;
  if (f) setvbuf(f, NULL, _IOLBF, 0);
  pthread_mutex_lock(&g_mu);
  FILE *old = g_file;
  g_file = f;
  pthread_mutex_unlock(&g_mu);
  if (old) fclose(old);
  return true;
}

static void log_close(void) {
  open_path(NULL);
  free(g_path);
  g_path = NULL;
}

bool log_open(const char *path) {
  if (!open_path(path)) return false;
  if (!g_path && path) atexit(log_close);
  free(g_path);
  g_path = path ? strdup(path) : NULL;
  return true;
}

bool log_reopen(void) { return g_path ? open_path(g_path) : true; }

static void emit(const char *line) {
  pthread_mutex_lock(&g_mu);
  fputs(line, g_file ? g_file : stderr);
  pthread_mutex_unlock(&g_mu);
}

/* s as the inside of a JSON string, cut to fit out. */
static void json_escape(const char *s, char *out, size_t cap) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = '\0';
}

void log_msg(log_level l, const char *fmt, ...) {
  if (l < g_level) return;
  char msg[512], ts[RP_TIME_BUFSZ], line[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  rp_time_format(rp_time_now_real(), ts);
  if (g_json) {
    char esc[1100];
    json_escape(msg, esc, sizeof esc);
    snprintf(line, sizeof line, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}\n", ts,
             g_names[l], esc);
  } else {
    snprintf(line, sizeof line, "%s %s %s\n", ts, g_names[l], msg);
  }
  emit(line);
}

void log_request(log_level l, const log_request_line *r) {
  if (l < g_level) return;
  char ts[RP_TIME_BUFSZ], line[800], rid[140], route[300], method[80];
  rp_time_format(rp_time_now_real(), ts);
  json_escape(r->method, method, sizeof method);
  json_escape(r->request_id, rid, sizeof rid);
  json_escape(r->route, route, sizeof route);
  if (g_json) {
    char actor[32] = "null";
    if (r->actor) snprintf(actor, sizeof actor, "%lld", (long long)r->actor);
    snprintf(line, sizeof line,
             "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"request\",\"request_id\":\"%s\","
             "\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"duration_ms\":%.3f,"
             "\"actor\":%s}\n",
             ts, g_names[l], rid, method, route, r->status, r->seconds * 1e3, actor);
  } else {
    snprintf(line, sizeof line, "%s %s request id=%s %s %s %d %.3fms actor=%lld\n", ts,
             g_names[l], rid, method, route, r->status, r->seconds * 1e3,
             (long long)r->actor);
  }
  emit(line);
}
