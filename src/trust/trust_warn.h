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
#include "trust/trust_index.h"
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

/* The defaults are the calibrated ones of docs/trust-model.md ("Calibrated
 * on the program simulator"); the figures before calibration are named
 * where they changed. */
typedef struct trust_warn_settings {
  double gap_watch, gap_alert;        /* CADENCE_GAP: G >= 3.5 watch, >= 4.5 alert (was 1.5, 2) */
  size_t late_window, late_min;       /* LATE_CANCELLATIONS: 2 of the last 4 */
  bool late_reschedules;              /* ... late reschedules among them (false; was true) */
  size_t follow_window;               /* FOLLOW_THROUGH: last 10 due */
  size_t follow_min_due;              /* ... the rate is judged from 10 due on (was 5) */
  double follow_min_rate;             /* ... below 0.7 ... */
  double follow_late_credit;          /* ... a kept-late entry counting 0.5 (was 0) */
  size_t follow_broken_of, follow_broken_min; /* ... or the latest 2 (of 2) broken */
  bool follow_streak_skips_late;      /* ... kept-late entries between them passed over (true; was false) */
  size_t slow_window, slow_min;       /* SLOW_REPLIES: the last 5 requests, from 3 on (CHOICE): */
  double slow_prob;                   /* ... latest 3, 4 or 5: P(most late) > 0.8 (was: median) */
  size_t criticism_min_n;             /* CRITICISM_HEAVY: n >= 6 */
  double criticism_prob;              /* ... P(p < 0.5) > 0.9, p the share not aimed at the person, */
  size_t criticism_recent_n;          /* ... or of the giver's last 6 items in 90 days, */
  size_t criticism_recent_min;        /* ... 3 aimed at the person (new in calibration) */
  size_t no_constructive_min_n;       /* NO_CONSTRUCTIVE: n >= 10 (was 6) */
  size_t one_way_min_n;               /* ONE_WAY_FEEDBACK: none from the learner of n >= 10 (was 4, then 8) */
  double one_way_share;               /* ... or a learner-to-guide share < 0.15 ... */
  size_t one_way_share_min_n;         /* ... of n >= 20 (was 4) */
  int safety_max;                     /* SAFETY_DOUBT: INT2 or EMP2 <= 2 ... */
  int safety_confirm;                 /* ... confirmed by the rater's previous answer <= 2 ... */
  int safety_strong;                  /* ... or <= 1 at once (was: any <= 2 at once) */
  size_t safety_min_others;           /* ... and it stands out: the rater's answers to the five */
  double safety_sd_floor;             /* ... other items (this pulse and the two before; 5 +) */
  double safety_z;                    /* ... lie 4 spreads (SD, at least 0.5) above it, */
  double safety_low_level;            /* ... or average 3 or lower (new) */
  double rci_sd, rci_alpha;           /* PULSE_DROP: SD 0.8, alpha 0.85 ... */
  double rci_z;                       /* ... and z 3.09 (was 1.96): a drop > 1.35 (was 0.86) */
  double rci_item_share;              /* ... the SEM widened for a rater whose items wander more
                                       * than half the model's SEM^2 allows (new) */
  double perception_gap;              /* PERCEPTION_GAP: the means differ by more than 0.25 */
  double perception_z;                /* ... and by more than 2 standard errors */
  double perception_min_pulses;       /* ... the survey side holds 1.5 pulses' worth (two pulses) */
  double perception_max_u;            /* ... the behaviour side with u <= 0.5 */
  double declining;                   /* DECLINING, ONE_SIDED_DRIFT: trend < -0.10 */
  unsigned comp_declining_mask;       /* DECLINING also for one of REL, INT, EMP (not COM) ... */
  double comp_declining;              /* ... whose own trend is below -0.10 (was -0.08) ... */
  double comp_declining_p;            /* ... while its P is below 0.75, with u <= perception_max_u */
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
 * (cancelled_late; rescheduled_late only with late_reschedules, off by
 * default: the meeting still happens on a new date) or no-shows. *parties gets the mask
 * 1u << party of the parties who did (0 when none). */
/* Whether an expected check-in of class c counts toward LATE_CANCELLATIONS. */
bool trust_warn_late_counts(const trust_warn_settings *cfg, trust_checkin_class c);

trust_severity trust_warn_late_cancellations(const trust_warn_settings *cfg,
                                             const trust_checkin_obs *obs, size_t n,
                                             unsigned *parties);

/* Follow-through of one party's commitment outcomes seq[0..n) (time
 * order; a renegotiation is an entry of its own, dropped ones are skipped):
 * (kept + renegotiated) / all, over the last `window` non-dropped entries.
 * *due gets the number of entries used; the rate is 1 when there are none. */
double trust_follow_through_rate(const trust_commit_class *seq, size_t n, size_t window, size_t *due);

/* The score FOLLOW_THROUGH judges: like the rate, over the last
 * follow_window non-dropped entries, but a kept-late entry counts
 * follow_late_credit (0.5): late is not followed through, and not broken
 * either. *due gets the number of entries used; 1 when there are none. */
double trust_follow_through_score(const trust_warn_settings *cfg, const trust_commit_class *seq,
                                  size_t n, size_t *due);

/* How many of the latest follow_broken_of (2) entries of seq[0..n) are
 * broken, dropped entries skipped and, with follow_streak_skips_late,
 * kept-late ones too: a commitment kept late between two broken ones
 * does not end the streak (late is not followed through either), one
 * kept on time or renegotiated does. */
size_t trust_follow_broken_streak(const trust_warn_settings *cfg, const trust_commit_class *seq,
                                  size_t n);

/* FOLLOW_THROUGH for one party: alert when the score over the last
 * follow_window is below follow_min_rate with at least follow_min_due
 * entries, or when the two latest entries are both broken (CHOICE: "two
 * broken in a row" means the latest two, kept-late ones between them
 * passed over (trust_follow_broken_streak), so the warning clears as
 * soon as one is kept on time or renegotiated). */
trust_severity trust_warn_follow_through(const trust_warn_settings *cfg,
                                         const trust_commit_class *seq, size_t n);

/* The p-quantile (0 <= p <= 1, linear interpolation between order
 * statistics, "type 7") of x[0..n), n > 0. Reorders x (partial selection,
 * O(n) expected); does not allocate. */
double trust_quantile(double *x, size_t n, double p);

/* How many of the last k latencies of latency_s[0..n) (seconds, time
 * order; k <= n) exceed the reply window. */
size_t trust_slow_replies_late(const double *latency_s, size_t n, size_t k, double window_hours);

/* The probability that most of a responder's replies come late, from
 * `late` of `used` requests: P(q > 0.5) under Beta(1 + late, 1 + used -
 * late). 4 of 5: 0.891; 3 of 3: 0.9375; 3 of 4: 0.8125; 3 of 5: 0.656. */
double trust_slow_replies_prob(size_t late, size_t used);

/* SLOW_REPLIES for one responder: latencies in seconds of their requests
 * in time order, latency_s[0..n); an unanswered request is passed with
 * its time waited so far (a lower bound, so lateness is never
 * overstated). Watch when, for the latest k requests with slow_min <= k
 * <= slow_window (as many as there are), the probability that most of
 * their replies come late (trust_slow_replies_prob) exceeds slow_prob
 * (0.8): 3 of the latest 3 or 4 late, or 4 of the latest 5. The model's
 * median above the window is "most replies late" read from the sample at
 * face value: 3 late among 5, an older prompt reply among the latest,
 * happens by chance to a responder whose replies are prompt but now and
 * then slow (docs/trust-model.md, change 18). */
trust_severity trust_warn_slow_replies(const trust_warn_settings *cfg, const double *latency_s,
                                       size_t n, double window_hours);

/* The PULSE_DROP threshold: rci_z * sqrt(2) * rci_sd * sqrt(1 - rci_alpha)
 * (1.35 by default). */
double trust_warn_drop_threshold(const trust_warn_settings *cfg);

/* One giver's feedback in a window, as the feedback warnings count it:
 * recognition and constructive items (person_focused: the constructive
 * ones aimed at the person); asking for feedback is not an item. */
typedef struct trust_feedback_tally {
  size_t recognition, constructive, person_focused;
} trust_feedback_tally;

/* Counts one item; returns false (counting nothing) for an ask. */
bool trust_feedback_tally_add(trust_feedback_tally *t, trust_feedback_kind k,
                              trust_feedback_focus f);

/* P(p < 0.5) for the share p of a giver's items that are not criticism
 * aimed at the person, under Beta(1 + n - person_focused, 1 +
 * person_focused), n = recognition + constructive. */
double trust_criticism_share_prob(const trust_feedback_tally *t);

/* CRITICISM_HEAVY for one giver over 60 days: n >= criticism_min_n and
 * trust_criticism_share_prob > criticism_prob. Criticism is what the
 * model's section 3.4 says hurts: constructive feedback aimed at the
 * person. A task-focused suggestion is not criticism (it was counted as
 * such before, and balanced feedback then warned by chance). */
trust_severity trust_warn_criticism_heavy(const trust_warn_settings *cfg,
                                          const trust_feedback_tally *t);

/* The second clause of CRITICISM_HEAVY: `last` tallies the giver's last
 * criticism_recent_n (6) items within 90 days (fewer when they gave
 * fewer); watch when criticism_recent_min (3) of them are criticism aimed
 * at the person. A balanced giver aims 2% of their items at the person,
 * so three of six is not chance; the 60-day share above waits until the
 * criticism outweighs two months of earlier feedback. */
trust_severity trust_warn_criticism_recent(const trust_warn_settings *cfg,
                                           const trust_feedback_tally *last);

/* NO_CONSTRUCTIVE for one giver over 90 days: n >= no_constructive_min_n
 * and no constructive item. */
trust_severity trust_warn_no_constructive(const trust_warn_settings *cfg,
                                          const trust_feedback_tally *t);

/* ONE_WAY_FEEDBACK over 90 days, of the n feedback items given in the
 * relationship (recognition or constructive; asking is not an item): none
 * from the learner with n >= one_way_min_n, or a learner-to-guide share
 * below one_way_share with n >= one_way_share_min_n. */
trust_severity trust_warn_one_way_feedback(const trust_warn_settings *cfg,
                                           size_t learner_to_guide, size_t guide_to_learner);

/* SAFETY_DOUBT from a rater's latest pulse and the two before (answers
 * indexed by trust_pulse_item, 0 = skipped; prev NULL for a first pulse,
 * prev2 NULL for a first or second): INT2 or EMP2 answered <=
 * safety_strong (1), or answered <= safety_max (2) where the rater's
 * previous answer to the same item was at most safety_confirm (2),
 * skipped, or not given (a first pulse): two low answers in a row. A
 * single 2 after a 3, 4 or 5 is within a wandering rater's noise; a fall
 * that large on every item is PULSE_DROP's. Either way the low answer
 * must stand out from the rater's other answers
 * (trust_safety_stands_out): a rater whose answers wander by two or
 * three steps gives a 1 or a 2 now and then; but a 1 after a 1 on the
 * same item warns whatever the rater's spread. */
trust_severity trust_warn_safety_doubt(const trust_warn_settings *cfg, const int *prev,
                                       const int *prev2, const int answers[TRUST_PULSE_NITEM]);

/* Whether a low answer x to INT2 or EMP2 stands out from how its rater
 * answers: the rater's answers to the five other items (REL1, REL2,
 * INT1, COM1, EMP1) in cur, prev and prev2 (either may be NULL; skipped
 * answers left out) lie at least safety_z (4) spreads above x, the
 * spread being their standard deviation but at least safety_sd_floor
 * (0.5 step: few answers that happen to agree do not make a rater
 * steady); or their mean is safety_low_level (3) or lower (a rater low on
 * everything is taken at their word). *z gets the number of spreads.
 * With fewer than safety_min_others (5) such answers it stands out. A 2
 * among 4s: z = 4, stands out; a 1 from a rater whose other answers
 * average 4.4 with a spread of 1: z = 3.4, does not. */
bool trust_safety_stands_out(const trust_warn_settings *cfg, const int *cur, const int *prev,
                             const int *prev2, int x, double *z);

/* The reliable-change part of PULSE_DROP: the latest pulse cur fell by
 * more than the threshold below the rater's previous pulse prev AND below
 * the one before it, prev2 (when there is one: NULL otherwise; prev NULL
 * for a first pulse, which never drops). Against one earlier pulse only,
 * a fall after an unusually good pulse is the rater's noise returning to
 * its level (regression to the mean): a wandering rater raised it several
 * times a year (docs/trust-model.md, calibration). */
/* The standard error of measurement (SEM) of one rater's pulse mean, as
 * PULSE_DROP's reliable change reads it: the model's rci_sd * sqrt(1 -
 * rci_alpha) (0.31), widened for a rater whose answers wander item by
 * item more than the model allows. The rater's item noise is measured on
 * their three latest pulses (prev2, prev, cur; all needed): the changes
 * d_i of each item from one pulse to the next (items answered in both,
 * TRUST_PULSE_MIN_PAIRED at least), whose spread around their mean
 * change estimates 2 sigma^2 (the mood of a pulse moves every item alike
 * and drops out, and so do the items' own levels, and so does a fall of
 * every item together), pooled over the two changes. The model's SEM^2
 * leaves rci_item_share (0.5) of itself to item noise over 7 items,
 * sigma_0^2 = 0.5 * 0.31^2 * 7 = 0.336 (sigma_0 = 0.58 step); when
 * sigma^2 is larger the SEM is sqrt(sigma^2 / 3.5), sigma / sigma_0 times
 * the model's. Never below the model's: steady raters keep it. */
double trust_warn_rater_sem(const trust_warn_settings *cfg, const int *cur, const int *prev,
                            const int *prev2);

bool trust_warn_reliable_drop(const trust_warn_settings *cfg, const int *prev, const int *prev2,
                              const int cur[TRUST_PULSE_NITEM]);

/* PULSE_DROP from a rater's three latest pulses (trust_warn_reliable_drop)
 * and whether their CUSUM alarmed at the latest pulse (trust_cusum_scan's
 * last_alarm == n - 1). */
trust_severity trust_warn_pulse_drop(const trust_warn_settings *cfg, const int *prev,
                                     const int *prev2, const int cur[TRUST_PULSE_NITEM],
                                     bool cusum_alarm);

/* The survey and the behaviour of one component put on one footing, for
 * PERCEPTION_GAP. Both are means of the evidence values shrunk to the
 * base rate a with the prior weight W, without the loss-aversion weight
 * wneg (which the behaviour's P carries and the pulse's does not):
 *   survey    = (r_p + a W) / (r_p + s_p / wneg_p + W), over n_p pulses,
 *               n_p = (r_p + s_p / wneg_p) / (2 * items of the component),
 *               a pulse being one reading however many items it has;
 *   behaviour = (r_b + a W) / (r_b + s_b / wneg_b + W), n_b = r_b + s_b / wneg_b;
 *   se = sqrt(survey (1 - survey) / (n_p + W + 1)
 *             + behaviour (1 - behaviour) / (n_b + W + 1)).
 * u_behaviour = W / (n_b + W). */
typedef struct trust_perception {
  double survey, behaviour, se, n_pulses, u_behaviour;
} trust_perception;

trust_perception trust_perception_of(trust_rs pulse, trust_rs behaviour,
                                     const trust_settings *scfg, trust_comp c);

/* PERCEPTION_GAP for one component: |survey - behaviour| > perception_gap
 * and > perception_z * se, with n_pulses >= perception_min_pulses and
 * u_behaviour <= perception_max_u. */
trust_severity trust_warn_perception_gap(const trust_warn_settings *cfg, const trust_perception *x);

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

/* DECLINING for a direction: its index trend is below `declining`, or a
 * component of comp_declining_mask is falling on its own (trend below
 * comp_declining with P below comp_declining_p and u at most
 * perception_max_u, 0.5, so that the first pieces of evidence do not
 * read as a fall: one part can fail while
 * the mean of four hardly moves). COM is left out: its evidence comes in
 * monthly lumps (goal reviews) whose trend swings on healthy pairs.
 * *comps gets the components whose trend is below `declining` or that
 * fall on their own (0 when none: the whole direction). */
trust_severity trust_warn_declining_dir(const trust_warn_settings *cfg, const trust_dir_score *sc,
                                        unsigned *comps);

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
