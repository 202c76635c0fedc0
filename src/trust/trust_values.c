/* trust_values.c: see trust_values.h. */
#include "trust/trust_values.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "trust/gas.h"

typedef struct reason_text {
  trust_reason r;
  const char *name, *sentence;
} reason_text;

static const reason_text reasons[] = {
    {TRUST_R_CHECKIN_HELD, "checkin_held", "Showed up for a check-in on time."},
    {TRUST_R_CHECKIN_HELD_LATE, "checkin_held_late", "A check-in was held later than agreed."},
    {TRUST_R_CHECKIN_RESCHEDULED_WITH_NOTICE, "checkin_rescheduled_with_notice",
     "Rescheduled a check-in at least a day ahead."},
    {TRUST_R_CHECKIN_RESCHEDULED_LATE, "checkin_rescheduled_late",
     "Rescheduled a check-in less than a day ahead."},
    {TRUST_R_CHECKIN_CANCELLED_WITH_NOTICE, "checkin_cancelled_with_notice",
     "Cancelled a check-in at least a day ahead."},
    {TRUST_R_CHECKIN_CANCELLED_LATE, "checkin_cancelled_late",
     "Cancelled a check-in less than a day ahead."},
    {TRUST_R_CHECKIN_NO_SHOW, "checkin_no_show", "Did not show up for a check-in."},
    {TRUST_R_COMMITMENT_KEPT, "commitment_kept", "Kept a commitment on time."},
    {TRUST_R_COMMITMENT_KEPT_LATE, "commitment_kept_late", "Kept a commitment late."},
    {TRUST_R_COMMITMENT_RENEGOTIATED, "commitment_renegotiated",
     "Renegotiated a commitment before it was due."},
    {TRUST_R_COMMITMENT_RENEGOTIATED_OPENLY, "commitment_renegotiated_openly",
     "Said early that a commitment would not be met as agreed."},
    {TRUST_R_COMMITMENT_BROKEN, "commitment_broken", "Let a commitment pass its due time unmet."},
    {TRUST_R_REPLY_ON_TIME, "reply_on_time", "Replied within the agreed time."},
    {TRUST_R_REPLY_LATE, "reply_late", "Replied, up to twice the agreed time."},
    {TRUST_R_REPLY_VERY_LATE, "reply_very_late", "Replied after more than twice the agreed time."},
    {TRUST_R_NO_REPLY, "no_reply", "Did not reply within three times the agreed time."},
    {TRUST_R_FEEDBACK_RECOGNITION, "feedback_recognition", "Gave recognition."},
    {TRUST_R_FEEDBACK_CONSTRUCTIVE_TASK, "feedback_constructive_task",
     "Gave a task-focused suggestion."},
    {TRUST_R_FEEDBACK_CONSTRUCTIVE_PERSON, "feedback_constructive_person",
     "Gave criticism aimed at the person rather than the task."},
    {TRUST_R_FEEDBACK_ASKED, "feedback_asked", "Asked for feedback on the relationship."},
    {TRUST_R_GOAL_REVIEW, "goal_review", "A goal review measured progress on the goals."},
    {TRUST_R_INCIDENT_CONFIRMED, "incident_confirmed", "An incident was acknowledged."},
    {TRUST_R_REPAIR_ACKNOWLEDGED, "repair_acknowledged",
     "Acknowledged an incident in their own words."},
    {TRUST_R_REPAIR_AMENDS_AGREED, "repair_amends_agreed", "Agreed a plan to make amends."},
    {TRUST_R_PULSE_REL1, "pulse_rel1", "A pulse answer about doing what was said."},
    {TRUST_R_PULSE_REL2, "pulse_rel2", "A pulse answer about replying in time."},
    {TRUST_R_PULSE_INT1, "pulse_int1", "A pulse answer about being straight."},
    {TRUST_R_PULSE_INT2, "pulse_int2", "A pulse answer about keeping confidences."},
    {TRUST_R_PULSE_COM1, "pulse_com1", "A pulse answer about helping move forward."},
    {TRUST_R_PULSE_EMP1, "pulse_emp1", "A pulse answer about understanding before advising."},
    {TRUST_R_PULSE_EMP2, "pulse_emp2", "A pulse answer about feeling safe to disagree."},
};
#define NREASON (sizeof reasons / sizeof reasons[0])

static const reason_text *reason_find(trust_reason r) {
  for (size_t i = 0; i < NREASON; i++)
    if (reasons[i].r == r) return &reasons[i];
  return NULL;
}

const char *trust_reason_name(trust_reason r) {
  const reason_text *t = reason_find(r);
  return t ? t->name : "?";
}

const char *trust_reason_sentence(trust_reason r) {
  const reason_text *t = reason_find(r);
  return t ? t->sentence : "";
}

static size_t ev1(trust_ev *out, trust_comp c, trust_source src, trust_reason r,
                  double v, double w) {
  out[0].v = v;
  out[0].w = w;
  out[0].comp = (uint8_t)c;
  out[0].source = (uint8_t)src;
  out[0].reason = (uint8_t)r;
  return 1;
}

trust_item trust_ev_item(const trust_ev *ev, trust_party about, int64_t t, int64_t source_id) {
  trust_item it;
  it.source_id = source_id;
  it.t = t;
  it.v = ev->v;
  it.w = ev->w;
  it.about = (uint8_t)about;
  it.comp = ev->comp;
  it.source = ev->source;
  it.reason = ev->reason;
  return it;
}

static bool name_parse(const char *const *names, int n, const char *name, int *out) {
  for (int i = 0; i < n; i++) {
    if (strcmp(names[i], name) == 0) {
      *out = i;
      return true;
    }
  }
  return false;
}

/* --- check-ins ----------------------------------------------------------- */

static const char *const checkin_names[TRUST_CHECKIN_NCLASS] = {
    "held",          "held_late",      "rescheduled_with_notice", "rescheduled_late",
    "cancelled_with_notice", "cancelled_late", "no_show",   "mutual_cancel"};

const char *trust_checkin_class_name(trust_checkin_class c) {
  return (unsigned)c < TRUST_CHECKIN_NCLASS ? checkin_names[c] : "?";
}

bool trust_checkin_class_parse(const char *name, trust_checkin_class *out) {
  int i;
  if (!name_parse(checkin_names, TRUST_CHECKIN_NCLASS, name, &i)) return false;
  *out = (trust_checkin_class)i;
  return true;
}

size_t trust_checkin_evidence(trust_checkin_class c, trust_ev out[TRUST_EV_MAX]) {
  switch (c) {
  case TRUST_CHECKIN_HELD:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_HELD, 1, 1);
  case TRUST_CHECKIN_HELD_LATE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_HELD_LATE, 0.5, 1);
  case TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_RESCHEDULED_WITH_NOTICE, 0.75, 1);
  case TRUST_CHECKIN_RESCHEDULED_LATE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_RESCHEDULED_LATE, 0, 1);
  case TRUST_CHECKIN_CANCELLED_WITH_NOTICE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_CANCELLED_WITH_NOTICE, 0.5, 1);
  case TRUST_CHECKIN_CANCELLED_LATE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_CANCELLED_LATE, 0, 1);
  case TRUST_CHECKIN_NO_SHOW:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_CHECKIN_NO_SHOW, 0, 2);
  case TRUST_CHECKIN_MUTUAL_CANCEL:
  default:
    return 0;
  }
}

bool trust_checkin_about_both(trust_checkin_class c) {
  return c == TRUST_CHECKIN_HELD;
}

size_t trust_checkin_items(trust_checkin_class c, int caused_by, int64_t t, int64_t source_id,
                           trust_item out[2 * TRUST_EV_MAX]) {
  trust_ev vals[TRUST_EV_MAX];
  size_t n = trust_checkin_evidence(c, vals), k = 0;
  for (size_t i = 0; i < n; i++) {
    if (trust_checkin_about_both(c)) {
      out[k++] = trust_ev_item(&vals[i], TRUST_GUIDE, t, source_id);
      out[k++] = trust_ev_item(&vals[i], TRUST_LEARNER, t, source_id);
    } else if (caused_by >= 0 && caused_by < TRUST_NPARTY) {
      out[k++] = trust_ev_item(&vals[i], (trust_party)caused_by, t, source_id);
    }
  }
  return k;
}

bool trust_checkin_is_late_cancel(trust_checkin_class c) {
  return c == TRUST_CHECKIN_CANCELLED_LATE || c == TRUST_CHECKIN_RESCHEDULED_LATE ||
         c == TRUST_CHECKIN_NO_SHOW;
}

int64_t trust_checkin_tolerance_s(double cadence_days) {
  double tau = 0.2 * cadence_days * TRUST_DAY_S;
  return tau > TRUST_DAY_S ? (int64_t)llround(tau) : (int64_t)TRUST_DAY_S;
}

double trust_gap_ratio(int64_t now, int64_t last_held, double cadence_days) {
  assert(cadence_days > 0);
  double days = (double)(now - last_held) / TRUST_DAY_S;
  return days > 0 ? days / cadence_days : 0.0;
}

/* --- commitments --------------------------------------------------------- */

static const char *const commit_names[TRUST_COMMIT_NCLASS] = {"kept", "kept_late", "renegotiated",
                                                              "broken", "dropped"};

const char *trust_commit_class_name(trust_commit_class c) {
  return (unsigned)c < TRUST_COMMIT_NCLASS ? commit_names[c] : "?";
}

bool trust_commit_class_parse(const char *name, trust_commit_class *out) {
  int i;
  if (!name_parse(commit_names, TRUST_COMMIT_NCLASS, name, &i)) return false;
  *out = (trust_commit_class)i;
  return true;
}

double trust_kept_late_value(int64_t created_at, int64_t due_at, int64_t kept_at) {
  if (kept_at <= due_at) return 1.0;
  if (due_at <= created_at) return 0.0;
  double v = 1.0 - (double)(kept_at - due_at) / (double)(due_at - created_at);
  return v > 0 ? v : 0.0;
}

size_t trust_commitment_evidence(trust_commit_class c, int64_t created_at, int64_t due_at,
                                 int64_t closed_at, trust_ev out[TRUST_EV_MAX]) {
  switch (c) {
  case TRUST_COMMIT_KEPT:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_KEPT, 1, 1);
  case TRUST_COMMIT_KEPT_LATE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_KEPT_LATE,
               trust_kept_late_value(created_at, due_at, closed_at), 1);
  case TRUST_COMMIT_RENEGOTIATED:
    ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_RENEGOTIATED, 0.75, 1);
    ev1(out + 1, TRUST_INT, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_RENEGOTIATED_OPENLY, 1, 0.5);
    return 2;
  case TRUST_COMMIT_BROKEN:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_BROKEN, 0, 1);
  case TRUST_COMMIT_DROPPED:
  default:
    return 0;
  }
}

/* --- replies ------------------------------------------------------------- */

const char *trust_reply_class_name(trust_reply_class c) {
  switch (c) {
  case TRUST_REPLY_PENDING: return "pending";
  case TRUST_REPLY_ON_TIME: return "on_time";
  case TRUST_REPLY_LATE: return "late";
  case TRUST_REPLY_VERY_LATE: return "very_late";
  case TRUST_REPLY_NONE: return "no_reply";
  default: return "?";
  }
}

trust_reply_class trust_reply_classify(int64_t asked_at, bool replied, int64_t replied_at,
                                       int64_t now, double window_hours) {
  assert(window_hours > 0);
  double r_s = window_hours * 3600.0;
  if (!replied) return (double)(now - asked_at) > 3.0 * r_s ? TRUST_REPLY_NONE : TRUST_REPLY_PENDING;
  double q = (double)(replied_at - asked_at) / r_s;
  if (q <= 1) return TRUST_REPLY_ON_TIME;
  if (q <= 2) return TRUST_REPLY_LATE;
  if (q <= 3) return TRUST_REPLY_VERY_LATE;
  return TRUST_REPLY_NONE;
}

size_t trust_reply_evidence(trust_reply_class c, trust_ev out[TRUST_EV_MAX]) {
  switch (c) {
  case TRUST_REPLY_ON_TIME:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_REPLY_ON_TIME, 1, 1);
  case TRUST_REPLY_LATE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_REPLY_LATE, 0.5, 1);
  case TRUST_REPLY_VERY_LATE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_REPLY_VERY_LATE, 0, 1);
  case TRUST_REPLY_NONE:
    return ev1(out, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_NO_REPLY, 0, 2);
  case TRUST_REPLY_PENDING:
  default:
    return 0;
  }
}

/* --- feedback, goals, incidents ------------------------------------------ */

size_t trust_feedback_evidence(trust_feedback_kind k, trust_feedback_focus f, trust_party giver,
                               trust_ev out[TRUST_EV_MAX]) {
  switch (k) {
  case TRUST_FEEDBACK_RECOGNITION:
    return ev1(out, TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_RECOGNITION, 1, 0.5);
  case TRUST_FEEDBACK_CONSTRUCTIVE:
    if (f == TRUST_FOCUS_PERSON)
      return ev1(out, TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_CONSTRUCTIVE_PERSON, 0.25, 0.5);
    return ev1(out, TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_CONSTRUCTIVE_TASK, 0.75, 0.5);
  case TRUST_FEEDBACK_ASK:
    if (giver != TRUST_GUIDE) return 0;
    return ev1(out, TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_ASKED, 1, 0.5);
  default:
    return 0;
  }
}

size_t trust_goal_review_evidence(double t_score, trust_ev out[TRUST_EV_MAX]) {
  return ev1(out, TRUST_COM, TRUST_SRC_BEHAVIOUR, TRUST_R_GOAL_REVIEW, trust_gas_evidence(t_score), 1);
}

size_t trust_incident_evidence(trust_incident_step s, trust_ev out[TRUST_EV_MAX]) {
  switch (s) {
  case TRUST_INCIDENT_CONFIRMED:
    return ev1(out, TRUST_INT, TRUST_SRC_BEHAVIOUR, TRUST_R_INCIDENT_CONFIRMED, 0, 5);
  case TRUST_INCIDENT_REPAIR_ACKNOWLEDGED:
    return ev1(out, TRUST_INT, TRUST_SRC_BEHAVIOUR, TRUST_R_REPAIR_ACKNOWLEDGED, 1, 0.5);
  case TRUST_INCIDENT_REPAIR_AMENDS_AGREED:
    return ev1(out, TRUST_INT, TRUST_SRC_BEHAVIOUR, TRUST_R_REPAIR_AMENDS_AGREED, 1, 0.5);
  case TRUST_INCIDENT_REPORTED:
  default:
    return 0;
  }
}

bool trust_incident_caps_int(trust_incident_kind k) {
  return k == TRUST_INCIDENT_CONFIDENTIALITY;
}

/* --- pulse ---------------------------------------------------------------- */

static const char *const pulse_names[TRUST_PULSE_NITEM] = {"REL1", "REL2", "INT1", "INT2",
                                                           "COM1", "EMP1", "EMP2"};
static const trust_comp pulse_comps[TRUST_PULSE_NITEM] = {TRUST_REL, TRUST_REL, TRUST_INT, TRUST_INT,
                                                          TRUST_COM, TRUST_EMP, TRUST_EMP};

const char *trust_pulse_item_name(trust_pulse_item i) {
  return (unsigned)i < TRUST_PULSE_NITEM ? pulse_names[i] : "?";
}

bool trust_pulse_item_parse(const char *name, trust_pulse_item *out) {
  int i;
  if (!name_parse(pulse_names, TRUST_PULSE_NITEM, name, &i)) return false;
  *out = (trust_pulse_item)i;
  return true;
}

trust_comp trust_pulse_item_comp(trust_pulse_item i) {
  assert((unsigned)i < TRUST_PULSE_NITEM);
  return pulse_comps[i];
}

size_t trust_pulse_items_of(trust_comp c) {
  size_t n = 0;
  for (int i = 0; i < TRUST_PULSE_NITEM; i++) n += pulse_comps[i] == c;
  return n;
}

size_t trust_pulse_evidence(trust_pulse_item i, int x, trust_ev out[TRUST_EV_MAX]) {
  return trust_pulse_evidence_shifted(i, x, 0, out);
}

double trust_pulse_rater_shift(double rater_mean, size_t rater_n, double program_mean,
                               size_t program_n) {
  if (rater_n == 0 || program_n < TRUST_PULSE_PROGRAM_MIN) return 0;
  double d = program_mean - rater_mean;
  return d > TRUST_PULSE_SHIFT_MAX ? TRUST_PULSE_SHIFT_MAX
         : d < -TRUST_PULSE_SHIFT_MAX ? -TRUST_PULSE_SHIFT_MAX
                                      : d;
}

size_t trust_pulse_evidence_shifted(trust_pulse_item i, int x, double shift,
                                    trust_ev out[TRUST_EV_MAX]) {
  if ((unsigned)i >= TRUST_PULSE_NITEM || x < 1 || x > 5) return 0;
  double v = (x + shift - 1) / 4.0;
  return ev1(out, pulse_comps[i], TRUST_SRC_PULSE, (trust_reason)(TRUST_R_PULSE_REL1 + (int)i),
             v < 0 ? 0 : v > 1 ? 1 : v, TRUST_PULSE_WEIGHT);
}
