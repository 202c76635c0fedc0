/* metrics.c: the requests' figures by route, and the Prometheus text the
 * metrics listener serves (`serve --metrics HOST:PORT`, never on the
 * public address).
 *
 * Requests are counted by route pattern (never the raw path: ids would
 * make a series per object), method and status, with a latency histogram
 * per route. Each route has a slot, found by its place in the route
 * tables; requests that match no route share the slots "static" (the web
 * client's files), "health" (/healthz and /readyz), the description's
 * own path and "none". Statuses
 * are counted per class of the ones Rapport answers with.
 */
#include "http/http.h"
#include "base/metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS_MAX 256
static const int g_statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409,
                                 413, 415, 422, 429, 431, 500, 503, 507};
#define NSTATUS ((int)(sizeof g_statuses / sizeof g_statuses[0]))

typedef struct slot {
  _Atomic uint64_t by_status[NSTATUS + 1]; /* the last: any other status */
  metric_hist latency;
} slot;

static slot g_slots[SLOTS_MAX];
static int g_nroutes; /* slots 0..g_nroutes-1 are routes, then the three others */
static int g_table_base[64];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void init_slots(void) {
  size_t ntables;
  const http_route_table *t = http_route_tables(&ntables);
  int n = 0;
  for (size_t i = 0; i < ntables && i < 64; i++) {
    g_table_base[i] = n;
    for (const http_route *r = t[i].routes; r->method; r++) n++;
  }
  g_nroutes = n;
  for (int i = 0; i < SLOTS_MAX; i++) {
    g_slots[i].latency.bounds = metric_seconds;
    g_slots[i].latency.nbounds = METRIC_SECONDS_N;
  }
}

void http_metrics_init(void) { pthread_once(&g_once, init_slots); }

int http_metrics_slot(const http_route *route, http_metrics_other other) {
  if (route) {
    size_t ntables;
    const http_route_table *t = http_route_tables(&ntables);
    for (size_t i = 0; i < ntables && i < 64; i++) {
      const http_route *first = t[i].routes;
      const http_route *r = first;
      while (r->method) r++;
      if (route >= first && route < r) return g_table_base[i] + (int)(route - first);
    }
  }
  int s = g_nroutes + (int)other;
  return s < SLOTS_MAX ? s : SLOTS_MAX - 1;
}

void http_metrics_request(int slot_index, unsigned status, double seconds) {
  if (slot_index < 0 || slot_index >= SLOTS_MAX) return;
  slot *s = &g_slots[slot_index];
  int k = NSTATUS;
  for (int i = 0; i < NSTATUS; i++)
    if (g_statuses[i] == (int)status) k = i;
  atomic_fetch_add_explicit(&s->by_status[k], 1, memory_order_relaxed);
  metric_observe(&s->latency, seconds);
}

/* The labels of slot i: route and method. */
static void slot_labels(int i, const http_route *const *routes, char *out, size_t cap) {
  static const char *const others[] = {"static", "health", HTTP_OPENAPI_PATH, "none"};
  if (i < g_nroutes)
    snprintf(out, cap, "route=\"%s\",method=\"%s\"", routes[i]->pattern, routes[i]->method);
  else
    snprintf(out, cap, "route=\"%s\",method=\"any\"", others[i - g_nroutes]);
}

static void hist_family(strbuf *sb, const char *name, const char *help, const metric_hist *h) {
  sb_printf(sb, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
  metric_hist_write(sb, name, NULL, h);
}

char *http_metrics_text(const http_ops_figures *f) {
  http_metrics_init();
  const http_route *routes[SLOTS_MAX];
  size_t ntables;
  const http_route_table *t = http_route_tables(&ntables);
  int n = 0;
  for (size_t i = 0; i < ntables; i++)
    for (const http_route *r = t[i].routes; r->method && n < SLOTS_MAX; r++) routes[n++] = r;
  int nslots = g_nroutes + 4 < SLOTS_MAX ? g_nroutes + 4 : SLOTS_MAX;
  strbuf sb;
  sb_init(&sb, (size_t)4 << 20);
  char labels[320];
  sb_puts(&sb, "# HELP rapport_build_info Rapport's version (the value is always 1).\n"
               "# TYPE rapport_build_info gauge\n");
  sb_printf(&sb, "rapport_build_info{version=\"%s\",backend=\"%s\"} 1\n", RAPPORT_VERSION,
            f->backend);
  sb_puts(&sb, "# HELP rapport_http_requests_total HTTP requests answered, by route pattern, "
               "method and status.\n# TYPE rapport_http_requests_total counter\n");
  for (int i = 0; i < nslots; i++) {
    slot_labels(i, routes, labels, sizeof labels);
    for (int k = 0; k <= NSTATUS; k++) {
      uint64_t v = atomic_load_explicit(&g_slots[i].by_status[k], memory_order_relaxed);
      if (!v) continue;
      if (k < NSTATUS)
        sb_printf(&sb, "rapport_http_requests_total{%s,status=\"%d\"} %llu\n", labels,
                  g_statuses[k], (unsigned long long)v);
      else
        sb_printf(&sb, "rapport_http_requests_total{%s,status=\"other\"} %llu\n", labels,
                  (unsigned long long)v);
    }
  }
  sb_puts(&sb, "# HELP rapport_http_request_duration_seconds Time from the request's arrival "
               "to its answer being queued, by route pattern.\n"
               "# TYPE rapport_http_request_duration_seconds histogram\n");
  for (int i = 0; i < nslots; i++) {
    if (!atomic_load_explicit(&g_slots[i].latency.count, memory_order_relaxed)) continue;
    slot_labels(i, routes, labels, sizeof labels);
    metric_hist_write(&sb, "rapport_http_request_duration_seconds", labels, &g_slots[i].latency);
  }
  hist_family(&sb, "rapport_write_lock_wait_seconds",
              "Time a writer waited for the process's write lock.", &g_metrics.write_lock_wait);
  hist_family(&sb, "rapport_access_log_batch_rows",
              "Access-log rows per group commit of the log writer.", &g_metrics.audit_batch_rows);
  hist_family(&sb, "rapport_access_log_commit_seconds",
              "Time a group commit of the access log took.", &g_metrics.audit_commit);
  sb_printf(&sb,
            "# HELP rapport_job_runs_total Runs of the time-driven jobs.\n"
            "# TYPE rapport_job_runs_total counter\nrapport_job_runs_total %llu\n"
            "# HELP rapport_job_failures_total Runs of the time-driven jobs that failed.\n"
            "# TYPE rapport_job_failures_total counter\nrapport_job_failures_total %llu\n",
            (unsigned long long)atomic_load(&g_metrics.job_runs),
            (unsigned long long)atomic_load(&g_metrics.job_failures));
  sb_printf(&sb,
            "# HELP rapport_log_reopens_total Times the log file was reopened (SIGHUP).\n"
            "# TYPE rapport_log_reopens_total counter\nrapport_log_reopens_total %llu\n",
            (unsigned long long)atomic_load(&g_metrics.log_reopens));
  /* Read at scrape time; absent when the database did not answer. The
   * outbox depth joins these once mail is sent from it. */
  if (f->have_db) {
    sb_printf(&sb,
              "# HELP rapport_sessions_active Sessions used within the idle limit.\n"
              "# TYPE rapport_sessions_active gauge\nrapport_sessions_active %lld\n"
              "# HELP rapport_database_size_bytes The database's size on disk.\n"
              "# TYPE rapport_database_size_bytes gauge\nrapport_database_size_bytes %lld\n",
              (long long)f->sessions, (long long)f->db_bytes);
  }
  sb_printf(&sb,
            "# HELP rapport_database_up Whether the database answered this scrape.\n"
            "# TYPE rapport_database_up gauge\nrapport_database_up %d\n",
            f->have_db ? 1 : 0);
  if (sb.failed || !sb.data) {
    sb_free(&sb);
    return NULL;
  }
  char *out = rp_xstrdup(sb.data);
  sb_free(&sb);
  return out;
}
