/* checkins.h: use cases for check-ins: scheduling them, reading them and
 * recording what happened. Only the guide and the learner see or touch a
 * check-in; anyone else gets RP_ERR_NOT_FOUND. */
#ifndef RAPPORT_APP_PRACTICES_CHECKINS_H
#define RAPPORT_APP_PRACTICES_CHECKINS_H

#include "app/core/core.h"
#include "domain/checkin.h"

/* Schedules a check-in on relationship rel_id at scheduled_at (past or
 * future). `at` is when it was scheduled (NULL: now); it becomes the
 * check-in's created_at. Records "checkin_scheduled". Fails with
 * RP_ERR_CONFLICT "relationship_state" unless the relationship is active,
 * RP_ERR_INVALID at /scheduled_at or /at. */
rp_rc app_checkin_schedule(app_ctx *c, int64_t rel_id, rp_time scheduled_at, const rp_time *at,
                           checkin *out, rp_err *e);
rp_rc app_checkin_get(app_ctx *c, int64_t id, checkin *out, rp_err *e);
rp_rc app_checkins_list(app_ctx *c, int64_t rel_id, int64_t after, int limit, checkin **items,
                        size_t *n, int64_t *next, rp_err *e);

/* What a party says happened; at NULL means now. */
typedef struct app_checkin_report {
  checkin_outcome outcome;
  int64_t caused_by; /* 0 when not given */
  bool has_new_scheduled_at;
  rp_time new_scheduled_at;
  const rp_time *at;
} app_checkin_report;

/* Records the outcome of check-in id, classified with the cadence in force
 * (see domain/checkin.h), and returns the check-in as it now is. A
 * reschedule also creates the follow-up check-in (created at `at`, linked
 * by rescheduled_to) and records "checkin_scheduled" for it. Records
 * "checkin_outcome" at `at`. Errors as checkin_decide says, plus /at
 * against the clock and the proposal. */
rp_rc app_checkin_outcome(app_ctx *c, int64_t id, const app_checkin_report *rep, checkin *out,
                          rp_err *e);

#endif
