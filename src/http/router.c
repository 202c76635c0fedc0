/* router.c: matching a method and path against the route tables. */
#include "http/http.h"
#include "base/num.h"

#include <string.h>

static const http_route_table g_tables[] = {
    {"core", "Sessions, people, programs and relationships.", http_routes_core},
    {"agreements", "A relationship's working agreement and its versions.", http_routes_agreements},
    {"checkins", "Scheduled check-ins and their outcomes.", http_routes_checkins},
    {"commitments", "Commitments and whether they were kept.", http_routes_commitments},
    {"goals", "Goals, milestones and goal reviews.", http_routes_goals},
    {"exchanges", "Requests, replies and feedback between the parties.", http_routes_exchanges},
    {"notes", "Notes, private or shared.", http_routes_notes},
    {"health", "Early warnings and a program's k-anonymous health.", http_routes_health},
    {"settings", "A program's settings and what its administrators may change.",
     http_routes_settings},
    {"pulses", "Pulses, incidents, repair plans and the practice library.", http_routes_pulses},
    {"trust", "Trust, its history and the relationship's timeline.", http_routes_trust},
    {"dev", "Development and benchmark routes (--dev and --bench only).", http_routes_dev},
    {"me", "Confirmation, the export of one's data and deletion.", http_routes_me},
    {"audit", "The access log of one's confidential text.", http_routes_audit},
    {"matching", "Matching learners with guides: profiles, suggestions, a program's matching.",
     http_routes_matching},
    {"mail", "Notifications, mail preferences, password resets and the calendar feed.",
     http_routes_mail},
    {"feedback360", "360 feedback: requests to raters and rater-safe sealed reports.",
     http_routes_feedback360},
    {"alumni", "The alumni network, long-term check-ins and paying it forward.",
     http_routes_alumni},
    {"circles", "Peer circles: members, their practices, trust and warnings.", http_routes_circles},
    {"circle-proposals", "The matcher's proposals of peer circles, for a program's administrators.",
     http_routes_circle_proposals},
    {"circle-repair", "Incidents and repair plans, and goal reviews, in peer circles.",
     http_routes_circle_repair},
    {"org", "Single sign-on, roster imports and program exports.", http_routes_org},
};

const http_route_table *http_route_tables(size_t *n) {
  *n = sizeof g_tables / sizeof g_tables[0];
  return g_tables;
}

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
    for (const http_route *r = g_tables[t].routes; r->method; r++) {
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
