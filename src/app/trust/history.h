/* history.h: the trust index of a relationship over time (GET
 * .../trust/history), for its two parties only.
 */
#ifndef RAPPORT_APP_TRUST_HISTORY_H
#define RAPPORT_APP_TRUST_HISTORY_H

#include "app/core/core.h"
#include "trust/trust_index.h"

/* The trust index over time (GET .../trust/history): npoints evenly spaced
 * times from the relationship's proposal to c->now (both included), each
 * direction scored at each time from the evidence up to it (items the
 * viewer may see now; breaches acknowledged by then); the last point is
 * exactly what app_trust_get scores. lower/upper: 100 * the mean of the
 * components' 80% interval ends. Parties only (RP_ERR_NOT_FOUND
 * otherwise); npoints outside [2, 52] is a field error at "/points". */
#define APP_TRUST_HISTORY_DEFAULT 12
#define APP_TRUST_HISTORY_MIN 2
#define APP_TRUST_HISTORY_MAX 52
typedef struct app_trust_point {
  rp_time at;
  double index_value, lower, upper; /* 0..100 */
  bool has_index;                   /* false while "not enough evidence yet" */
  int index;                        /* trust_index_display(index_value) */
  trust_label label;
} app_trust_point;
typedef struct app_trust_history {
  int64_t rel_id;
  rp_time start, end;
  size_t npoints;
  struct {
    trust_party about;
    int64_t from_id, to_id;
    app_trust_point *points; /* npoints, ascending in time (arena) */
  } dir[TRUST_NPARTY];       /* indexed by the rated party, as app_trust_view */
} app_trust_history;
rp_rc app_trust_history_get(app_ctx *c, int64_t rel_id, int64_t npoints, app_trust_history *out,
                            rp_err *e);

#endif
