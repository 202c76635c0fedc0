/* trust_warn.h: the early warnings of TRUST-MODEL.md 4 as predicates over
 * numbers and arrays the caller passes (app/ reads them from the store
 * and keeps the windows: 60 days for CRITICISM_HEAVY, 90 days for
 * NO_CONSTRUCTIVE and ONE_WAY_FEEDBACK). Each predicate returns the
 * severity it raises, TRUST_SEV_NONE when it raises nothing. Codes and
 * their names are stable: clients switch on them.
 *
 * Choices where the model is silent are marked CHOICE and listed in
 * docs/trust-model.md. Pure arithmetic: no I/O, no clock, no allocation.
 */
#ifndef RAPPORT_TRUST_WARN_H
#define RAPPORT_TRUST_WARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trust/trust_evidence.h"
#include "trust/trust_values.h"

typedef enum trust_warn_code {
  TRUST_W_CADENCE_GAP = 0,
  TRUST_W_LATE_CANCELLATIONS,
  TRUST_W_FOLLOW_THROUGH,
  TRUST_W_SLOW_REPLIES,
  TRUST_W_CRITICISM_HEAVY,
  TRUST_W_NO_CONSTRUCTIVE,
  TRUST_W_ONE_WAY_FEEDBACK,
  TRUST_W_SAFETY_DOUBT,
  TRUST_W_PULSE_DROP,
  TRUST_W_INCIDENT,
  TRUST_W_NO_AGREEMENT,
  TRUST_W_NO_GOALS,
  TRUST_W_PERCEPTION_GAP,
  TRUST_W_ONE_SIDED_DRIFT,
  TRUST_W_DECLINING
} trust_warn_code;
#define TRUST_W_COUNT 15

typedef enum trust_severity { TRUST_SEV_NONE = 0, TRUST_SEV_WATCH, TRUST_SEV_ALERT } trust_severity;

/* "CADENCE_GAP", ...; "?" when out of range. */
const char *trust_warn_name(trust_warn_code c);
bool trust_warn_parse(const char *name, trust_warn_code *out);
/* "none", "watch", "alert". */
const char *trust_severity_name(trust_severity s);
/* The severity a code raises (CADENCE_GAP: its highest, alert). */
trust_severity trust_warn_severity(trust_warn_code c);
/* The components a code threatens, as a mask of 1u << trust_comp
 * (PERCEPTION_GAP: all; the predicate says which). */
unsigned trust_warn_components(trust_warn_code c);

/* The practice that answers a code is product content: see
 * domain/practice.h (practice_for_warning). */

typedef struct trust_warn_settings {
  double gap_watch, gap_alert;        /* CADENCE_GAP: G >= 1.5 watch, >= 2 alert */
  size_t late_window, late_min;       /* LATE_CANCELLATIONS: 2 of the last 4 */
  size_t follow_window;               /* FOLLOW_THROUGH: last 10 due */
  size_t follow_min_due;              /* ... the rate is judged from 5 due on (CHOICE) */
  double follow_min_rate;             /* ... below 0.7 */
  size_t slow_window, slow_min;       /* SLOW_REPLIES: median of the last 5, from 3 on (CHOICE) */
  size_t criticism_min_n;             /* CRITICISM_HEAVY: n >= 6 */
  double criticism_prob;              /* ... P(p < 0.5) > 0.9 */
  size_t no_constructive_min_n;       /* NO_CONSTRUCTIVE: n >= 6 */
  size_t one_way_min_n;               /* ONE_WAY_FEEDBACK: n >= 4 */
  double one_way_share;               /* ... learner-to-guide share < 0.15 */
  int safety_max;                     /* SAFETY_DOUBT: INT2 or EMP2 <= 2 */
  double rci_sd, rci_alpha;           /* PULSE_DROP: SD 0.8, alpha 0.85 -> 0.86 */
  double perception_gap;              /* PERCEPTION_GAP: |P_pulse - P_behaviour| > 0.25 */
  double perception_max_u;            /* ... both with u <= 0.5 */
  double declining;                   /* DECLINING, ONE_SIDED_DRIFT: trend < -0.10 */
  double no_agreement_days;           /* NO_AGREEMENT: 14 */
  double no_goals_days;               /* NO_GOALS: 21 */
} trust_warn_settings;

trust_warn_settings trust_warn_default(void);

/* CADENCE_GAP from the gap ratio G (trust_gap_ratio). */
trust_severity trust_warn_cadence_gap(const trust_warn_settings *cfg, double gap_ratio);

/* One expected check-in as LATE_CANCELLATIONS sees it. */
typedef struct trust_checkin_obs {
  trust_checkin_class cls;
  int caused_by; /* trust_party, or -1 when nobody was named */
} trust_checkin_obs;

/* LATE_CANCELLATIONS over the last late_window of obs[0..n) (time order):
 * alert when one party caused late_min or more late cancellations
 * (cancelled_late, rescheduled_late) or no-shows. *parties gets the mask
 * 1u << party of the parties who did (0 when none). */
trust_severity trust_warn_late_cancellations(const trust_warn_settings *cfg,
                                             const trust_checkin_obs *obs, size_t n,
                                             unsigned *parties);

/* Follow-through of one party's commitment outcomes seq[0..n) (time
 * order; a renegotiation is an entry of its own, dropped ones are skipped):
 * (kept + renegotiated) / all, over the last `window` non-dropped entries.
 * *due gets the number of entries used; the rate is 1 when there are none. */
double trust_follow_through_rate(const trust_commit_class *seq, size_t n, size_t window, size_t *due);

/* FOLLOW_THROUGH for one party: alert when the rate over the last
 * follow_window is below follow_min_rate with at least follow_min_due
 * entries, or when the two latest entries are both broken (CHOICE: "two
 * broken in a row" means the latest two, so the warning clears as soon as
 * the streak ends). */
trust_severity trust_warn_follow_through(const trust_warn_settings *cfg,
                                         const trust_commit_class *seq, size_t n);

/* The p-quantile (0 <= p <= 1, linear interpolation between order
 * statistics, "type 7") of x[0..n), n > 0. Reorders x (partial selection,
 * O(n) expected); does not allocate. */
double trust_quantile(double *x, size_t n, double p);

/* SLOW_REPLIES for one responder: latencies in seconds of their requests
 * in time order, latency_s[0..n); an unanswered request is passed with
 * its time waited so far (a lower bound, so the median is never
 * overstated). Watch when the median of the last slow_window exceeds the
 * reply window, with at least slow_min requests. */
trust_severity trust_warn_slow_replies(const trust_warn_settings *cfg, const double *latency_s,
                                       size_t n, double window_hours);

/* CRITICISM_HEAVY for one giver over 60 days: n = recognitions +
 * constructive >= criticism_min_n and P(p < 0.5) > criticism_prob under
 * Beta(1 + recognitions, 1 + constructive). */
trust_severity trust_warn_criticism_heavy(const trust_warn_settings *cfg, size_t recognitions,
                                          size_t constructive);

/* NO_CONSTRUCTIVE for one giver over 90 days: n >= 6 and no constructive item. */
trust_severity trust_warn_no_constructive(const trust_warn_settings *cfg, size_t recognitions,
                                          size_t constructive);

/* ONE_WAY_FEEDBACK over 90 days: of n >= 4 feedback items given in the
 * relationship (recognition or constructive; asking is not an item), the
 * learner-to-guide share is below 0.15 (which includes 0). */
trust_severity trust_warn_one_way_feedback(const trust_warn_settings *cfg,
                                           size_t learner_to_guide, size_t guide_to_learner);

/* SAFETY_DOUBT from a rater's latest pulse (answers indexed by
 * trust_pulse_item, 0 = skipped): INT2 or EMP2 answered and <= 2. */
trust_severity trust_warn_safety_doubt(const trust_warn_settings *cfg,
                                       const int answers[TRUST_PULSE_NITEM]);

/* PULSE_DROP from a rater's two latest pulses (prev may be NULL for a
 * first pulse) and whether their CUSUM alarmed at the latest pulse
 * (trust_cusum_scan's last_alarm == n - 1). */
trust_severity trust_warn_pulse_drop(const trust_warn_settings *cfg,
                                     const int *prev, const int cur[TRUST_PULSE_NITEM],
                                     bool cusum_alarm);

/* PERCEPTION_GAP for one component from the pulse-only and behaviour-only
 * sums (trust_state_rs with one source each), prior weight and base rate. */
trust_severity trust_warn_perception_gap(const trust_warn_settings *cfg, trust_rs pulse,
                                         trust_rs behaviour, double w_prior, double a);

/* The same for every component of the direction about `about` at now;
 * returns the mask 1u << trust_comp of the components with a gap. */
unsigned trust_warn_perception_gaps(const trust_warn_settings *cfg, const trust_state *st,
                                    const trust_settings *scfg, trust_party about, int64_t now);

/* ONE_SIDED_DRIFT from the index trends of both directions (indexed by
 * the party rated): watch when one is below `declining` while the other
 * is >= 0; *party gets the party whose direction drifts. */
trust_severity trust_warn_one_sided_drift(const trust_warn_settings *cfg,
                                          const double trend[TRUST_NPARTY], trust_party *party);

/* DECLINING from one direction's index trend. */
trust_severity trust_warn_declining(const trust_warn_settings *cfg, double trend);

/* INCIDENT: alert while an incident is open (reported and not resolved). */
trust_severity trust_warn_incident(size_t open_incidents);

/* NO_AGREEMENT: active for no_agreement_days without an agreement
 * acknowledged by both. */
trust_severity trust_warn_no_agreement(const trust_warn_settings *cfg, int64_t active_since,
                                       int64_t now, bool agreed);

/* NO_GOALS: active for no_goals_days without a goal, or a goal missing
 * SMART fields (at once). */
trust_severity trust_warn_no_goals(const trust_warn_settings *cfg, int64_t active_since,
                                   int64_t now, size_t goals, bool any_goal_not_smart);

#endif
