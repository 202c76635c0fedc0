/* metrics.h: Rapport's figures for Prometheus, counted in memory.
 *
 * Counters and histograms are plain atomics that any layer may bump
 * without a lock (store/ times its write lock, app/ the access-log writer
 * and the jobs); http/metrics.c writes them out in Prometheus's text
 * format on the separate metrics listener (`serve --metrics`). Nothing
 * here knows a request's content: the labels are route patterns, methods
 * and statuses. */
#ifndef RAPPORT_BASE_METRICS_H
#define RAPPORT_BASE_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "base/strbuf.h"

#define METRIC_BUCKETS_MAX 16

/* A histogram: counts of observations at or under each bound, their sum
 * (in millionths of the unit) and their count. */
typedef struct metric_hist {
  const double *bounds; /* increasing; nbounds of them (+Inf is implied) */
  int nbounds;
  _Atomic uint64_t bucket[METRIC_BUCKETS_MAX]; /* per bound, not cumulative */
  _Atomic uint64_t count;
  _Atomic uint64_t sum_micro;
} metric_hist;

/* Latency bounds in seconds (METRIC_SECONDS_N of them) and batch sizes. */
extern const double metric_seconds[];
#define METRIC_SECONDS_N 14
extern const double metric_sizes[];
#define METRIC_SIZES_N 10

void metric_observe(metric_hist *h, double v);
/* Seconds on the monotonic clock, for measuring how long something took
 * (never a time of day: that is app/'s clock). */
double metric_now(void);
/* Writes h's samples as `name` (_bucket, _sum, _count); labels
 * ("route=\"...\"", or NULL) go inside every sample's braces. The caller
 * writes the HELP and TYPE lines once. */
void metric_hist_write(strbuf *sb, const char *name, const char *labels, const metric_hist *h);

/* The figures the lower layers keep. */
typedef struct rp_metrics {
  metric_hist write_lock_wait;   /* seconds a writer waited for the write lock */
  metric_hist audit_batch_rows;  /* access-log rows per group commit */
  metric_hist audit_commit;      /* seconds a group commit took */
  _Atomic uint64_t job_runs, job_failures;
  _Atomic uint64_t log_reopens;
} rp_metrics;

extern rp_metrics g_metrics;

#endif
