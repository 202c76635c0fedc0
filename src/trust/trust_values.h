/* trust_values.h: what each observation is worth as evidence
 * (TRUST-MODEL.md 3), as pure functions from an outcome to at most
 * TRUST_EV_MAX evidence values. The caller (app/) decides which party the
 * values are about, stamps them with the event's time and id, stores them
 * as trust_item and adds them to the relationship's trust_state.
 *
 * Choices where the model is silent are marked CHOICE and listed in
 * docs/trust-model.md.
 */
#ifndef RAPPORT_TRUST_VALUES_H
#define RAPPORT_TRUST_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trust/trust_evidence.h"

/* Why an item exists; stored with it (trust_item.reason) so that an
 * explanation can say it in words. Values are stable (stored). */
typedef enum trust_reason {
  TRUST_R_NONE = 0,
  TRUST_R_CHECKIN_HELD = 1,
  TRUST_R_CHECKIN_HELD_LATE,
  TRUST_R_CHECKIN_RESCHEDULED_WITH_NOTICE,
  TRUST_R_CHECKIN_RESCHEDULED_LATE,
  TRUST_R_CHECKIN_CANCELLED_WITH_NOTICE,
  TRUST_R_CHECKIN_CANCELLED_LATE,
  TRUST_R_CHECKIN_NO_SHOW,
  TRUST_R_COMMITMENT_KEPT = 16,
  TRUST_R_COMMITMENT_KEPT_LATE,
  TRUST_R_COMMITMENT_RENEGOTIATED,
  TRUST_R_COMMITMENT_RENEGOTIATED_OPENLY, /* the INT item of a renegotiation */
  TRUST_R_COMMITMENT_BROKEN,
  TRUST_R_REPLY_ON_TIME = 32,
  TRUST_R_REPLY_LATE,
  TRUST_R_REPLY_VERY_LATE,
  TRUST_R_NO_REPLY,
  TRUST_R_FEEDBACK_RECOGNITION = 48,
  TRUST_R_FEEDBACK_CONSTRUCTIVE_TASK,
  TRUST_R_FEEDBACK_CONSTRUCTIVE_PERSON,
  TRUST_R_FEEDBACK_ASKED,
  TRUST_R_GOAL_REVIEW = 64,
  TRUST_R_INCIDENT_CONFIRMED = 80,
  TRUST_R_REPAIR_ACKNOWLEDGED,
  TRUST_R_REPAIR_AMENDS_AGREED,
  TRUST_R_PULSE_REL1 = 96,
  TRUST_R_PULSE_REL2,
  TRUST_R_PULSE_INT1,
  TRUST_R_PULSE_INT2,
  TRUST_R_PULSE_COM1,
  TRUST_R_PULSE_EMP1,
  TRUST_R_PULSE_EMP2
} trust_reason;

/* A stable code ("checkin_no_show") and a plain sentence about the rated
 * party ("Did not show up for a check-in."); "?" / "" when unknown. */
const char *trust_reason_name(trust_reason r);
const char *trust_reason_sentence(trust_reason r);

/* One evidence value before it is stamped with party, time and event. */
typedef struct trust_ev {
  double v, w;
  uint8_t comp;   /* trust_comp */
  uint8_t source; /* trust_source */
  uint8_t reason; /* trust_reason */
} trust_ev;
#define TRUST_EV_MAX 2

/* Stamps ev into an item about `about` at time t caused by event source_id. */
trust_item trust_ev_item(const trust_ev *ev, trust_party about, int64_t t, int64_t source_id);

/* --- 3.1 Check-ins (REL) -------------------------------------------------- */

/* The classes of domain/checkin.h, by the same names. */
typedef enum trust_checkin_class {
  TRUST_CHECKIN_HELD = 0,
  TRUST_CHECKIN_HELD_LATE,
  TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE,
  TRUST_CHECKIN_RESCHEDULED_LATE,
  TRUST_CHECKIN_CANCELLED_WITH_NOTICE,
  TRUST_CHECKIN_CANCELLED_LATE,
  TRUST_CHECKIN_NO_SHOW,
  TRUST_CHECKIN_MUTUAL_CANCEL
} trust_checkin_class;
#define TRUST_CHECKIN_NCLASS 8

/* "held", "held_late", "rescheduled_with_notice", "rescheduled_late",
 * "cancelled_with_notice", "cancelled_late", "no_show", "mutual_cancel". */
const char *trust_checkin_class_name(trust_checkin_class c);
bool trust_checkin_class_parse(const char *name, trust_checkin_class *out);

/* The REL evidence of a check-in of class c (0 or 1 values):
 *   held 1/1, held_late 0.5/1, rescheduled_with_notice 0.75/1,
 *   rescheduled_late 0/1 (CHOICE: a late cancellation that keeps the pair
 *   meeting; the new meeting is scored on its own), cancelled_with_notice
 *   0.5/1 (CHOICE), cancelled_late 0/1, no_show 0/2, mutual_cancel none. */
size_t trust_checkin_evidence(trust_checkin_class c, trust_ev out[TRUST_EV_MAX]);

/* Whether the evidence of class c is about both parties (held: both
 * showed up) rather than about the party who caused it. */
bool trust_checkin_about_both(trust_checkin_class c);

/* The items of a check-in of class c whose outcome came at t (event
 * source_id): about both parties for a meeting held on time, otherwise
 * about caused_by (a trust_party; -1, nobody named, gives none). Returns
 * how many, at most 2 * TRUST_EV_MAX. */
size_t trust_checkin_items(trust_checkin_class c, int caused_by, int64_t t, int64_t source_id,
                           trust_item out[2 * TRUST_EV_MAX]);

/* Whether c counts toward LATE_CANCELLATIONS: cancelled_late,
 * rescheduled_late (CHOICE) and no_show. */
bool trust_checkin_is_late_cancel(trust_checkin_class c);

/* The tolerance tau = max(1 day, 0.2 cadence) in seconds. */
int64_t trust_checkin_tolerance_s(double cadence_days);

/* The gap ratio G = (now - last_held) / (cadence days), in cadences. The
 * caller passes the start of the relationship's active period as last_held
 * when no check-in was held yet. */
double trust_gap_ratio(int64_t now, int64_t last_held, double cadence_days);

/* --- 3.2 Commitments (REL, and INT of a renegotiation) -------------------- */

typedef enum trust_commit_class {
  TRUST_COMMIT_KEPT = 0,     /* kept by the due time */
  TRUST_COMMIT_KEPT_LATE,
  TRUST_COMMIT_RENEGOTIATED, /* before the due time; the commitment stays open */
  TRUST_COMMIT_BROKEN,
  TRUST_COMMIT_DROPPED       /* by mutual agreement */
} trust_commit_class;
#define TRUST_COMMIT_NCLASS 5

/* "kept", "kept_late", "renegotiated", "broken", "dropped". */
const char *trust_commit_class_name(trust_commit_class c);
bool trust_commit_class_parse(const char *name, trust_commit_class *out);

/* v of a commitment kept at `kept_at` after its due time:
 * max(0, 1 - (kept_at - due_at) / (due_at - created_at)); 1 when kept on
 * time, 0 when due_at <= created_at (no time was given, none can be late
 * by a fraction of it). due_at is the due time in force (after any
 * renegotiation). */
double trust_kept_late_value(int64_t created_at, int64_t due_at, int64_t kept_at);

/* The evidence of a commitment outcome (0 to 2 values): kept REL 1/1,
 * kept_late REL trust_kept_late_value/1, renegotiated REL 0.75/1 and
 * INT 1/0.5, broken REL 0/1, dropped none. The times matter only for
 * kept_late. */
size_t trust_commitment_evidence(trust_commit_class c, int64_t created_at, int64_t due_at,
                                 int64_t closed_at, trust_ev out[TRUST_EV_MAX]);

/* --- 3.3 Responsiveness (REL of the responder) ---------------------------- */

typedef enum trust_reply_class {
  TRUST_REPLY_PENDING = 0, /* no reply yet, 3R not passed: no evidence yet */
  TRUST_REPLY_ON_TIME,     /* q <= 1 */
  TRUST_REPLY_LATE,        /* 1 < q <= 2 */
  TRUST_REPLY_VERY_LATE,   /* 2 < q <= 3 */
  TRUST_REPLY_NONE         /* no reply by 3R (a reply after 3R stays here) */
} trust_reply_class;

const char *trust_reply_class_name(trust_reply_class c);

/* Classifies a request asked at asked_at with reply window window_hours,
 * replied at replied_at when `replied`, seen at now. */
trust_reply_class trust_reply_classify(int64_t asked_at, bool replied, int64_t replied_at,
                                       int64_t now, double window_hours);

/* on_time 1/1, late 0.5/1, very_late 0/1, none 0/2, pending none. */
size_t trust_reply_evidence(trust_reply_class c, trust_ev out[TRUST_EV_MAX]);

/* --- 3.4 Feedback (EMP of the giver) -------------------------------------- */

typedef enum trust_feedback_kind {
  TRUST_FEEDBACK_RECOGNITION = 0,
  TRUST_FEEDBACK_CONSTRUCTIVE,
  TRUST_FEEDBACK_ASK /* asking the other for feedback on the relationship */
} trust_feedback_kind;

typedef enum trust_feedback_focus { TRUST_FOCUS_TASK = 0, TRUST_FOCUS_PERSON } trust_feedback_focus;

/* recognition 1/0.5, constructive task 0.75/0.5, constructive person
 * 0.25/0.5, the guide asking 1/0.5; the learner asking gives none
 * (CHOICE: the model credits asking as the guide's practice). */
size_t trust_feedback_evidence(trust_feedback_kind k, trust_feedback_focus f, trust_party giver,
                               trust_ev out[TRUST_EV_MAX]);

/* --- 3.5 Goal reviews (COM of the guide) ---------------------------------- */

/* COM v = trust_gas_evidence(t_score), w = 1. */
size_t trust_goal_review_evidence(double t_score, trust_ev out[TRUST_EV_MAX]);

/* --- 3.6 Incidents and repair (INT of the party concerned) ---------------- */

typedef enum trust_incident_kind {
  TRUST_INCIDENT_CONFIDENTIALITY = 0,
  TRUST_INCIDENT_BIAS,
  TRUST_INCIDENT_JUDGMENT,
  TRUST_INCIDENT_OTHER
} trust_incident_kind;

typedef enum trust_incident_step {
  TRUST_INCIDENT_REPORTED = 0,   /* an allegation: an alert, no evidence */
  TRUST_INCIDENT_CONFIRMED,      /* acknowledged by the other party or confirmed by an admin */
  TRUST_INCIDENT_REPAIR_ACKNOWLEDGED,
  TRUST_INCIDENT_REPAIR_AMENDS_AGREED
} trust_incident_step;

/* reported none, confirmed INT 0/5, each repair step INT 1/0.5. */
size_t trust_incident_evidence(trust_incident_step s, trust_ev out[TRUST_EV_MAX]);

/* Whether a confirmed incident of kind k starts the P_INT cap
 * (trust_state_breach): confidentiality only. */
bool trust_incident_caps_int(trust_incident_kind k);

/* --- 3.7 Pulse answers (rater about the rated party) ---------------------- */

typedef enum trust_pulse_item {
  TRUST_PULSE_REL1 = 0,
  TRUST_PULSE_REL2,
  TRUST_PULSE_INT1,
  TRUST_PULSE_INT2,
  TRUST_PULSE_COM1,
  TRUST_PULSE_EMP1,
  TRUST_PULSE_EMP2
} trust_pulse_item;
#define TRUST_PULSE_NITEM 7
#define TRUST_PULSE_SKIPPED 0 /* "no chance to tell" */

/* "REL1" ... "EMP2"; and back. */
const char *trust_pulse_item_name(trust_pulse_item i);
bool trust_pulse_item_parse(const char *name, trust_pulse_item *out);
trust_comp trust_pulse_item_comp(trust_pulse_item i);

/* The weight of one pulse answer, and how many of the seven items bear on
 * component c (REL, INT, EMP 2; COM 1). */
#define TRUST_PULSE_WEIGHT 2.0
size_t trust_pulse_items_of(trust_comp c);

/* Answer x in 1..5 gives v = (x - 1) / 4, w = 2, source pulse, to the
 * item's component; skipped (0) or out of range gives none. */
size_t trust_pulse_evidence(trust_pulse_item i, int x, trust_ev out[TRUST_EV_MAX]);

/* Each rater read against their own usual level (docs/trust-model.md,
 * calibration change 15). A rater's answers carry their style (some answer 4
 * where others answer 5) as well as what happened; the style spread
 * healthy pairs' indices as widely as a failure moved them. The shift, in
 * answer steps, that puts the rater's usual level at the program's:
 *   shift = clamp(program_mean - rater_mean, -TRUST_PULSE_SHIFT_MAX, +MAX)
 * where rater_mean is the mean of the rater's earlier pulse means in the
 * relationship (rater_n of them) and program_mean the mean of the
 * program's earlier pulse means (program_n of them); 0 when rater_n is 0
 * (a first pulse is taken at its word) or program_n is below
 * TRUST_PULSE_PROGRAM_MIN (the program has no usual level yet). The cap keeps a level far from the program's (a rater who
 * always answers 2) for what it says: half a step is style, more is not. */
#define TRUST_PULSE_SHIFT_MAX 0.5
#define TRUST_PULSE_PROGRAM_MIN 10
double trust_pulse_rater_shift(double rater_mean, size_t rater_n, double program_mean,
                               size_t program_n);

/* trust_pulse_evidence with the answer read as x + shift:
 * v = clamp((x + shift - 1) / 4, 0, 1); skipped (0) or out of range
 * gives none. shift 0 gives trust_pulse_evidence's values. */
size_t trust_pulse_evidence_shifted(trust_pulse_item i, int x, double shift,
                                    trust_ev out[TRUST_EV_MAX]);

#endif
