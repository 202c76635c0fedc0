/* health.h: the reads behind program health (TRUST-MODEL.md 7): counts and
 * metadata only, never text. Conventions as in store.h.
 */
#ifndef RAPPORT_STORE_HEALTH_H
#define RAPPORT_STORE_HEALTH_H

#include "store/store.h"
#include "store/warnings.h"

/* Check-ins held (outcome "held") in (from, to]. */
rp_rc store_health_held(store *s, int64_t rel_id, rp_time from, rp_time to, int64_t *held,
                        rp_err *e);

/* The commitment record of both parties in (from, to]: entries as
 * store_warn_commit_record counts them (renegotiations, kept, kept late,
 * broken; dropped left out); *good counts kept on time and renegotiated. */
rp_rc store_health_follow(store *s, int64_t rel_id, rp_time from, rp_time to, int64_t *good,
                          int64_t *due, rp_err *e);

/* The pulses of the program's relationships answered in (from, to], by
 * relationship, rater, then time. */
rp_rc store_health_pulses(store *s, int64_t program_id, rp_time from, rp_time to, arena *a,
                          store_warn_pulse **items, size_t *n, rp_err *e);

/* How many distinct learners have rated guide_id in the program's
 * relationships (pulses answered at or before `now`). */
rp_rc store_health_learners_rating(store *s, int64_t program_id, int64_t guide_id, rp_time now,
                                   int64_t *count, rp_err *e);

/* Every program's id, in id order (the operator's report). */
rp_rc store_health_program_ids(store *s, arena *a, int64_t **ids, size_t *n, rp_err *e);

#endif
