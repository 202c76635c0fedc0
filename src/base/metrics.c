/* metrics.c: see metrics.h. */
#include "base/metrics.h"

#include <time.h>

const double metric_seconds[METRIC_SECONDS_N] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                 0.005,  0.01,    0.025,  0.05,  0.1,
                                                 0.25,   0.5,     1,      2.5};
const double metric_sizes[METRIC_SIZES_N] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

rp_metrics g_metrics = {
    .write_lock_wait = {.bounds = metric_seconds, .nbounds = METRIC_SECONDS_N},
    .audit_batch_rows = {.bounds = metric_sizes, .nbounds = METRIC_SIZES_N},
    .audit_commit = {.bounds = metric_seconds, .nbounds = METRIC_SECONDS_N},
};

void metric_observe(metric_hist *h, double v) {
  int i = 0;
  while (i < h->nbounds && v > h->bounds[i]) i++;
  if (i < h->nbounds) atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&h->sum_micro, (uint64_t)(v * 1e6 + 0.5), memory_order_relaxed);
}

void metric_hist_write(strbuf *sb, const char *name, const char *labels, const metric_hist *h) {
  const char *sep = labels && *labels ? "," : "";
  if (!labels) labels = "";
  uint64_t cum = 0;
  for (int i = 0; i < h->nbounds; i++) {
    cum += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
    sb_printf(sb, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep, h->bounds[i],
              (unsigned long long)cum);
  }
  uint64_t count = atomic_load_explicit(&h->count, memory_order_relaxed);
  sb_printf(sb, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, (unsigned long long)count);
  const char *open = *labels ? "{" : "", *close = *labels ? "}" : "";
  sb_printf(sb, "%s_sum%s%s%s %.6f\n", name, open, labels, close,
            (double)atomic_load_explicit(&h->sum_micro, memory_order_relaxed) / 1e6);
  sb_printf(sb, "%s_count%s%s%s %llu\n", name, open, labels, close, (unsigned long long)count);
}

double metric_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
