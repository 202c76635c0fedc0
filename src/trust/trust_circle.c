/* trust_circle.c: the trust rules of peer circles (trust/trust_circle.h). */
#include "trust/trust_circle.h"

#include <string.h>

static const trust_checkin_class g_class[] = {
    TRUST_CHECKIN_HELD, TRUST_CHECKIN_HELD_LATE, TRUST_CHECKIN_CANCELLED_WITH_NOTICE,
    TRUST_CHECKIN_NO_SHOW};

trust_checkin_class trust_attendance_class(trust_attendance a) {
  return (unsigned)a < 4 ? g_class[a] : TRUST_CHECKIN_NO_SHOW;
}

double trust_attendance_value(trust_attendance a) {
  trust_ev ev[TRUST_EV_MAX];
  size_t n = trust_checkin_evidence(trust_attendance_class(a), ev);
  return n ? ev[0].v : 0.0;
}

size_t trust_attendance_items(trust_attendance a, int64_t t, int64_t source_id,
                              trust_item out[TRUST_EV_MAX]) {
  trust_ev ev[TRUST_EV_MAX];
  size_t n = trust_checkin_evidence(trust_attendance_class(a), ev);
  for (size_t i = 0; i < n; i++) out[i] = trust_ev_item(&ev[i], TRUST_CIRCLE_IN_MEMBER, t, source_id);
  return n;
}

trust_cusum_settings trust_circle_cusum_default(void) {
  trust_cusum_settings cfg = trust_cusum_default();
  cfg.sigma = 0.3;
  return cfg;
}

bool trust_circle_drifting(const trust_cusum_settings *cfg, const trust_attendance *a, size_t n,
                           double circle_mean, double *s_end) {
  double x[64];
  size_t from = n > 64 ? n - 64 : 0; /* the latest 64 check-ins are plenty for a drift */
  size_t m = n - from;
  for (size_t i = 0; i < m; i++) x[i] = trust_attendance_value(a[from + i]);
  size_t last = m;
  double s = 0;
  if (m) trust_cusum_scan(cfg, x, m, circle_mean, cfg->sigma, &last, &s);
  if (s_end) *s_end = s;
  if (last == m || last + TRUST_CIRCLE_DRIFT_RECENT < m) return false;
  for (size_t i = last + 1; i < m; i++)
    if (a[from + i] == TRUST_ATTEND_PRESENT || a[from + i] == TRUST_ATTEND_LATE) return false;
  return true;
}

bool trust_circle_silent(const int64_t *checkins, size_t n, int64_t joined_at,
                         int64_t last_contribution) {
  if (n < TRUST_CIRCLE_SILENT_CHECKINS) return false;
  int64_t since = n > TRUST_CIRCLE_SILENT_CHECKINS ? checkins[n - TRUST_CIRCLE_SILENT_CHECKINS - 1]
                                                   : joined_at;
  return last_contribution <= since;
}

bool trust_circle_one_way(const size_t *given, size_t members, double *share) {
  size_t total = 0, top1 = 0, top2 = 0;
  for (size_t i = 0; i < members; i++) {
    total += given[i];
    if (given[i] > top1) {
      top2 = top1;
      top1 = given[i];
    } else if (given[i] > top2) {
      top2 = given[i];
    }
  }
  size_t top = members <= 3 ? top1 : top1 + top2;
  *share = total ? (double)top / (double)total : 0.0;
  return total >= TRUST_CIRCLE_ONE_WAY_MIN_N && *share > TRUST_CIRCLE_ONE_WAY_SHARE;
}

bool trust_circle_pulse_aggregate(const int (*answers)[TRUST_PULSE_NITEM], size_t n,
                                  size_t min_raters, double means[TRUST_PULSE_NITEM],
                                  size_t counts[TRUST_PULSE_NITEM]) {
  memset(means, 0, sizeof(double) * TRUST_PULSE_NITEM);
  memset(counts, 0, sizeof(size_t) * TRUST_PULSE_NITEM);
  if (n < min_raters) return false;
  for (size_t k = 0; k < TRUST_PULSE_NITEM; k++) {
    double sum = 0;
    for (size_t i = 0; i < n; i++)
      if (answers[i][k] >= 1 && answers[i][k] <= 5) {
        sum += answers[i][k];
        counts[k]++;
      }
    means[k] = counts[k] ? sum / (double)counts[k] : 0.0;
  }
  return true;
}
