/* checkin.h: check-ins and how their outcomes are classified.
 *
 * A check-in is a meeting scheduled between the two parties. Once it is
 * past, a party records what happened (the outcome) and, for everything but
 * a meeting held on time and a mutual cancellation, who caused it. The
 * outcome is classified here, once, with the cadence then in force, and the
 * class is stored: the trust engine (TRUST-MODEL.md 3.1) reads classes, so
 * a later change of cadence does not rewrite history.
 *
 *   held          at - scheduled_at <= tau            -> held
 *                 at - scheduled_at >  tau            -> held_late (late = at - scheduled_at)
 *   rescheduled   notice = scheduled_at - at >= 24 h  -> rescheduled_with_notice
 *                 otherwise                           -> rescheduled_late
 *   cancelled     notice >= 24 h                      -> cancelled_with_notice
 *                 otherwise                           -> cancelled_late
 *   no_show                                           -> no_show
 *   mutual_cancel                                     -> mutual_cancel
 *
 * with tau = max(1 day, 0.2 * cadence days). A meeting held early (more than
 * tau before its time) is "held": both parties showed up, nobody failed.
 * Notice may be negative (a cancellation recorded after the scheduled
 * time); it is stored as it is. Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_CHECKIN_H
#define RAPPORT_DOMAIN_CHECKIN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/relationship.h"

typedef enum checkin_outcome {
  CHECKIN_HELD,
  CHECKIN_RESCHEDULED,
  CHECKIN_CANCELLED,
  CHECKIN_NO_SHOW,
  CHECKIN_MUTUAL_CANCEL
} checkin_outcome;
#define CHECKIN_OUTCOME_COUNT 5

typedef enum checkin_class {
  CHECKIN_CLASS_HELD,
  CHECKIN_CLASS_HELD_LATE,
  CHECKIN_CLASS_RESCHEDULED_WITH_NOTICE,
  CHECKIN_CLASS_RESCHEDULED_LATE,
  CHECKIN_CLASS_CANCELLED_WITH_NOTICE,
  CHECKIN_CLASS_CANCELLED_LATE,
  CHECKIN_CLASS_NO_SHOW,
  CHECKIN_CLASS_MUTUAL_CANCEL
} checkin_class;
#define CHECKIN_CLASS_COUNT 8

/* Notice of at least this much makes a cancellation or reschedule "with notice". */
#define CHECKIN_NOTICE_S (24 * RP_HOUR)

typedef struct checkin {
  int64_t id, relationship_id;
  rp_time scheduled_at, created_at;
  int64_t created_by; /* 0: recorded by the operator */
  bool has_outcome;   /* the fields below are meaningful only when true */
  checkin_outcome outcome;
  checkin_class cls;
  int64_t caused_by; /* 0: nobody named */
  rp_time outcome_at;
  int64_t recorded_by;
  bool has_notice; /* cancelled and rescheduled */
  int64_t notice_s;
  bool has_late; /* held_late */
  int64_t late_s;
  int64_t rescheduled_to; /* the follow-up check-in, 0 if none */
} checkin;

/* What a party reports about a check-in. */
typedef struct checkin_report {
  checkin_outcome outcome;
  rp_time at;        /* when it happened (or when notice was given) */
  int64_t caused_by; /* 0 when not given */
  bool has_new_scheduled_at;
  rp_time new_scheduled_at; /* rescheduled only */
} checkin_report;

/* The classification of an outcome and what goes with it. */
typedef struct checkin_verdict {
  checkin_class cls;
  bool cause_required; /* caused_by must be named; when false it must be absent */
  bool has_notice;
  int64_t notice_s;
  bool has_late;
  int64_t late_s;
} checkin_verdict;

const char *checkin_outcome_name(checkin_outcome o);
bool checkin_outcome_parse(const char *name, checkin_outcome *out);
const char *checkin_class_name(checkin_class c);
bool checkin_class_parse(const char *name, checkin_class *out);

/* tau in seconds: max(1 day, 0.2 * cadence_days days). */
rp_time checkin_tolerance(int cadence_days);

/* Classifies outcome o recorded at `at` for a check-in scheduled at
 * scheduled_at under cadence_days. Cannot fail. */
void checkin_classify(checkin_outcome o, rp_time scheduled_at, rp_time at, int cadence_days,
                      checkin_verdict *out);

/* Whether a check-in may be scheduled on r at scheduled_at: RP_ERR_CONFLICT
 * "relationship_state" unless r is active, RP_ERR_INVALID at /scheduled_at
 * when it is before the relationship's proposal. */
rp_rc checkin_check_schedule(const relationship *r, rp_time scheduled_at, rp_err *e);

/* Checks rep against check-in ck of r and classifies it into *out.
 * Fails with RP_ERR_CONFLICT "relationship_state" (r takes no outcomes),
 * RP_ERR_CONFLICT "outcome_recorded" (ck has one), or RP_ERR_INVALID with
 * fields /at (before ck was created; a no-show before its time),
 * /new_scheduled_at (missing for rescheduled, given for another outcome,
 * not after `at`, equal to the old time, or before the proposal) and
 * /caused_by (not a party; missing where a cause is required; given
 * where there is none). rep->at must already be checked against the clock
 * and the proposal (rel_check_at). */
rp_rc checkin_decide(const relationship *r, const checkin *ck, const checkin_report *rep,
                     int cadence_days, checkin_verdict *out, rp_err *e);

#endif
