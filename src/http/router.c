/* router.c: matching a method and path against the route tables. */
#include "http/http.h"
#include "base/num.h"

#include <string.h>

static const http_route *const g_tables[] = {
    http_routes_core,  http_routes_agreements, http_routes_checkins, http_routes_commitments,
    http_routes_goals, http_routes_exchanges,  http_routes_notes, http_routes_health,
    http_routes_settings,
    http_routes_pulses, http_routes_trust, http_routes_dev, http_routes_me, http_routes_matching,
    http_routes_circles, http_routes_audit, http_routes_mail, http_routes_feedback360,
    http_routes_alumni, http_routes_org};

/* Matches one pattern; "{id}" segments must be positive integers. Every
 * request is matched against the tables in order, so the literal
 * characters are compared first and "{id}" is looked for only at a '{'. */
static bool match(const char *pattern, const char *path, int64_t ids[HTTP_MAX_IDS]) {
  int nid = 0;
  while (*pattern && *path) {
    if (*pattern == '{' && strncmp(pattern, "{id}", 4) == 0) {
      char seg[24];
      size_t n = strcspn(path, "/");
      if (n == 0 || n >= sizeof seg || nid == HTTP_MAX_IDS) return false;
      memcpy(seg, path, n);
      seg[n] = '\0';
      if (!rp_parse_i64(seg, 1, INT64_MAX, &ids[nid]) || seg[0] == '+' || seg[0] == '0')
        return false;
      nid++;
      pattern += 4;
      path += n;
      continue;
    }
    if (*pattern != *path) return false;
    pattern++;
    path++;
  }
  return *pattern == '\0' && *path == '\0';
}

const http_route *http_route_find(const char *method, const char *path, int64_t ids[HTTP_MAX_IDS],
                                  bool *path_known) {
  *path_known = false;
  for (size_t t = 0; t < sizeof g_tables / sizeof g_tables[0]; t++) {
    for (const http_route *r = g_tables[t]; r->method; r++) {
      int64_t tmp[HTTP_MAX_IDS] = {0};
      if (!match(r->pattern, path, tmp)) continue;
      if (strcmp(r->method, method) != 0) {
        *path_known = true;
        continue;
      }
      memcpy(ids, tmp, sizeof tmp);
      return r;
    }
  }
  return NULL;
}

size_t http_upload_max(const http_route *route) {
  for (const http_upload_route *u = http_uploads; u->method; u++)
    if (strcmp(u->method, route->method) == 0 && strcmp(u->pattern, route->pattern) == 0)
      return u->max;
  return 0;
}

size_t http_body_cap(const char *method, const char *path) {
  int64_t ids[HTTP_MAX_IDS];
  bool known;
  const http_route *r = http_route_find(method, path, ids, &known);
  size_t max = r ? http_upload_max(r) : 0;
  return max ? max : HTTP_BODY_MAX;
}
