/* pulses.h: store operations for pulse surveys, their CUSUM state and the
 * few reads the pulse schedule needs (TRUST-MODEL.md 3.7, 4). */
#ifndef RAPPORT_STORE_PULSES_H
#define RAPPORT_STORE_PULSES_H

#include "domain/pulse.h"
#include "store/store.h"

/* Inserts p (answers, overall, times); fills p->id. */
rp_rc store_pulse_insert(store *s, pulse *p, rp_err *e);
rp_rc store_pulse_get(store *s, int64_t id, pulse *out, rp_err *e);
/* The pulses `rater` answered in relationship rel, in id order (paged as
 * store.h says). */
rp_rc store_pulses_by_rater(store *s, int64_t rel, int64_t rater, int64_t after, int limit,
                            arena *a, pulse **items, size_t *n, int64_t *next, rp_err *e);
/* The latest three pulses of `rater` in rel by answered_at (then id), the
 * newest first, into out; *n is how many (0..3). */
rp_rc store_pulses_latest(store *s, int64_t rel, int64_t rater, pulse out[3], size_t *n, rp_err *e);
/* The earliest answered_at at or after t of the pulses of `rater` in rel;
 * *found is false when there is none. */
rp_rc store_pulse_first_since(store *s, int64_t rel, int64_t rater, rp_time t, bool *found,
                              rp_time *at, rp_err *e);
/* The latest answered_at of `rater`'s pulses in rel; *found false if none. */
rp_rc store_pulse_last_at(store *s, int64_t rel, int64_t rater, bool *found, rp_time *at,
                          rp_err *e);
/* The double-blind reveal (domain/pulse.h): every pulse of `rater` in rel
 * answered at or before t and not revealed by t gets revealed_at = t, and
 * the evidence rows of their "pulse_answered" events get visible_at = t.
 * *count is the number of pulses revealed. */
rp_rc store_pulses_reveal(store *s, int64_t rel, int64_t rater, rp_time t, int64_t *count,
                          rp_err *e);
/* The mean of the 7-item means of the program's pulses that answer at
 * least one item, leaving out pulse `except`; *n counts the pulses used
 * (*mean is 0 when none). */
rp_rc store_program_pulse_mean(store *s, int64_t program_id, int64_t except, int64_t *n,
                               double *mean, rp_err *e);
/* The 7-item means of the program's pulses with id < before that answer
 * at least one item, by id (the order they were recorded in): what a
 * pulse is read against (app/trust/evidence.h, app_pulse_levels). */
typedef struct store_pulse_mean {
  int64_t id, relationship_id, rater_id;
  double mean;
} store_pulse_mean;
rp_rc store_program_pulse_means(store *s, int64_t program_id, int64_t before, arena *a,
                                store_pulse_mean **out, size_t *n, rp_err *e);
/* The same for the pulses with from <= id < before. */
rp_rc store_program_pulse_means_range(store *s, int64_t program_id, int64_t from, int64_t before,
                                      arena *a, store_pulse_mean **out, size_t *n, rp_err *e);
/* The same rows for the pulses of the relationships lo..hi, by
 * relationship and id. */
rp_rc store_pulse_means_of_rels(store *s, int64_t lo, int64_t hi, arena *a,
                                store_pulse_mean **out, size_t *n, rp_err *e);
/* The largest pulse id (0: none). */
rp_rc store_pulse_last_id(store *s, int64_t *id, rp_err *e);

/* The CUSUM state of one rater in one relationship (pulse_cusum):
 * n pulses counted (those answering at least one item), the sum of the
 * means of the first min(n, 3), the lower CUSUM statistic S after the
 * latest, and the time of the pulse of the last alarm (0: never). */
typedef struct store_pulse_cusum {
  int64_t n;
  double first_sum, s;
  rp_time alarm_at;
} store_pulse_cusum;

/* A rater with no row reads as zeroed. */
rp_rc store_pulse_cusum_get(store *s, int64_t rel, int64_t rater, store_pulse_cusum *out,
                            rp_err *e);
rp_rc store_pulse_cusum_put(store *s, int64_t rel, int64_t rater, const store_pulse_cusum *c,
                            rp_err *e);

/* When rel first became active (its first transition to "active");
 * *found is false when it never did. */
rp_rc store_rel_active_since(store *s, int64_t rel, bool *found, rp_time *at, rp_err *e);
/* The time of the nth (1-based) check-in of rel held after `after`
 * (outcome "held", by the time it happened); *found false if fewer. */
rp_rc store_checkin_nth_held_after(store *s, int64_t rel, rp_time after, int nth, bool *found,
                                   rp_time *at, rp_err *e);
/* How many check-ins of rel were held at a time in [from, to]. */
rp_rc store_checkins_held_between(store *s, int64_t rel, rp_time from, rp_time to, int64_t *count,
                                  rp_err *e);

#endif
