/* trust_circle.h: the trust rules of peer circles (docs/trust-model.md,
 * "Circles"), on the pairs' arithmetic: the same evidence values,
 * decayed sums, half-lives, opinions, intervals, explanations and CUSUM.
 *
 * Each member has two directions, kept in one trust_state per member with
 * its two party slots:
 *   - TRUST_CIRCLE_IN_MEMBER (the slot about the guide in pairs): the
 *     circle's trust in the member, from what the member did: attendance
 *     (as the check-in classes: present = held, late = held_late, absent
 *     with notice = cancelled_with_notice, absent without notice =
 *     no_show), commitments, replies to the circle's requests, and the
 *     balance of the feedback they give (EMP of the giver);
 *   - TRUST_MEMBER_IN_CIRCLE (the slot about the learner): the member's
 *     trust in the circle, from their pulses about the circle (the seven
 *     items of the pairs' pulse).
 * trust_score, trust_explain_top and trust_interval80 read them as they
 * read a pair. Pure arithmetic: no I/O, no clock, no allocation.
 */
#ifndef RAPPORT_TRUST_CIRCLE_H
#define RAPPORT_TRUST_CIRCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trust/trust_change.h"
#include "trust/trust_evidence.h"
#include "trust/trust_values.h"
#include "trust/trust_warn.h"

#define TRUST_CIRCLE_IN_MEMBER TRUST_GUIDE
#define TRUST_MEMBER_IN_CIRCLE TRUST_LEARNER

/* Attendance as domain/circle.h names it (the same order). */
typedef enum trust_attendance {
  TRUST_ATTEND_PRESENT = 0,
  TRUST_ATTEND_LATE,
  TRUST_ATTEND_ABSENT_WITH_NOTICE,
  TRUST_ATTEND_ABSENT_WITHOUT_NOTICE
} trust_attendance;

/* The check-in class that attendance is scored as. */
trust_checkin_class trust_attendance_class(trust_attendance a);
/* The REL value of attendance a: 1, 0.5, 0.5, 0 (the value of its class). */
double trust_attendance_value(trust_attendance a);
/* The items about the member of attendance a at check-in source_id held
 * at t (one: REL, w 1, or w 2 for absent without notice). */
size_t trust_attendance_items(trust_attendance a, int64_t t, int64_t source_id,
                              trust_item out[TRUST_EV_MAX]);

/* The settings of the drift test: the pulses' CUSUM (k 0.5, h 5, baseline
 * of 3 with the circle's mean at weight 2) over attendance values, whose
 * sigma is 0.3 (CHOICE: on the 0..1 scale, so that the second absence
 * without notice after steady attendance alarms, five late arrivals in a
 * row do too, and one late arrival fades after three check-ins). */
trust_cusum_settings trust_circle_cusum_default(void);
#define TRUST_CIRCLE_DRIFT_RECENT 4 /* the alarm counts for the last 4 check-ins */

/* MEMBER_DRIFTING: the member's attendance a[0..n) (time order, the
 * check-ins since they joined) through trust_cusum_scan against
 * circle_mean (the mean attendance value of the circle); drifting when
 * an alarm fell on one of the last TRUST_CIRCLE_DRIFT_RECENT check-ins
 * and the member attended (present or late) none after it. *s_end gets the
 * statistic after the last check-in. */
bool trust_circle_drifting(const trust_cusum_settings *cfg, const trust_attendance *a, size_t n,
                           double circle_mean, double *s_end);

#define TRUST_CIRCLE_SILENT_CHECKINS 4
/* SILENT_MEMBER: checkins[0..n) are the times of the check-ins held since
 * the member joined (time order). Silent when n >= 4 and the member's
 * latest request, reply or feedback (0: none ever) came no later than the
 * check-in before the last four (joined_at when there is none). */
bool trust_circle_silent(const int64_t *checkins, size_t n, int64_t joined_at,
                         int64_t last_contribution);

#define TRUST_CIRCLE_ONE_WAY_MIN_N 8
#define TRUST_CIRCLE_ONE_WAY_SHARE 0.8
/* ONE_WAY_FEEDBACK in a circle: given[0..members) is how many feedback
 * items each member gave in the window (90 days). With n >= 8 items, one
 * way when the top giver (circles of 3) or the top two givers (4 or more)
 * gave more than 80% of them. *share gets that share (0 with no items). */
bool trust_circle_one_way(const size_t *given, size_t members, double *share);

/* The pulse about the circle as an aggregate: answers[i][item] are the
 * latest pulses of n raters (0 = skipped). Shown only with at least
 * min_raters raters (3): then means[item] is the mean of the answered
 * values (0 where nobody answered) and counts[item] how many answered;
 * returns whether shown (false leaves means and counts at 0). */
#define TRUST_CIRCLE_MIN_RATERS 3
bool trust_circle_pulse_aggregate(const int (*answers)[TRUST_PULSE_NITEM], size_t n,
                                  size_t min_raters, double means[TRUST_PULSE_NITEM],
                                  size_t counts[TRUST_PULSE_NITEM]);

#endif
