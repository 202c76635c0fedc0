/* checkin.c: check-in outcomes and their classification (see checkin.h). */
#include "domain/checkin.h"

#include <assert.h>
#include <string.h>

static const char *const outcome_names[CHECKIN_OUTCOME_COUNT] = {"held", "rescheduled", "cancelled",
                                                                 "no_show", "mutual_cancel"};

static const char *const class_names[CHECKIN_CLASS_COUNT] = {"held",
                                                             "held_late",
                                                             "rescheduled_with_notice",
                                                             "rescheduled_late",
                                                             "cancelled_with_notice",
                                                             "cancelled_late",
                                                             "no_show",
                                                             "mutual_cancel"};

const char *checkin_outcome_name(checkin_outcome o) {
  assert((unsigned)o < CHECKIN_OUTCOME_COUNT);
  return outcome_names[o];
}

bool checkin_outcome_parse(const char *name, checkin_outcome *out) {
  for (int i = 0; name && i < CHECKIN_OUTCOME_COUNT; i++) {
    if (strcmp(name, outcome_names[i]) == 0) {
      *out = (checkin_outcome)i;
      return true;
    }
  }
  return false;
}

const char *checkin_class_name(checkin_class c) {
  assert((unsigned)c < CHECKIN_CLASS_COUNT);
  return class_names[c];
}

bool checkin_class_parse(const char *name, checkin_class *out) {
  for (int i = 0; name && i < CHECKIN_CLASS_COUNT; i++) {
    if (strcmp(name, class_names[i]) == 0) {
      *out = (checkin_class)i;
      return true;
    }
  }
  return false;
}

/* 0.2 * c days is exactly c * 17280 s, so tau needs no floating point. */
rp_time checkin_tolerance(int cadence_days) {
  rp_time t = (rp_time)cadence_days * (RP_DAY / 5);
  return t > RP_DAY ? t : RP_DAY;
}

void checkin_classify(checkin_outcome o, rp_time scheduled_at, rp_time at, int cadence_days,
                      checkin_verdict *out) {
  memset(out, 0, sizeof *out);
  rp_time notice = scheduled_at - at;
  switch (o) {
  case CHECKIN_HELD:
    if (at - scheduled_at > checkin_tolerance(cadence_days)) {
      out->cls = CHECKIN_CLASS_HELD_LATE;
      out->cause_required = true;
      out->has_late = true;
      out->late_s = at - scheduled_at;
    } else {
      out->cls = CHECKIN_CLASS_HELD;
    }
    return;
  case CHECKIN_RESCHEDULED:
    out->cls = notice >= CHECKIN_NOTICE_S ? CHECKIN_CLASS_RESCHEDULED_WITH_NOTICE
                                          : CHECKIN_CLASS_RESCHEDULED_LATE;
    out->cause_required = true;
    out->has_notice = true;
    out->notice_s = notice;
    return;
  case CHECKIN_CANCELLED:
    out->cls = notice >= CHECKIN_NOTICE_S ? CHECKIN_CLASS_CANCELLED_WITH_NOTICE
                                          : CHECKIN_CLASS_CANCELLED_LATE;
    out->cause_required = true;
    out->has_notice = true;
    out->notice_s = notice;
    return;
  case CHECKIN_NO_SHOW:
    out->cls = CHECKIN_CLASS_NO_SHOW;
    out->cause_required = true;
    return;
  case CHECKIN_MUTUAL_CANCEL: out->cls = CHECKIN_CLASS_MUTUAL_CANCEL; return;
  }
  assert(!"unknown check-in outcome");
}

rp_rc checkin_check_schedule(const relationship *r, rp_time scheduled_at, rp_err *e) {
  if (!rel_allows_new_activity(r->state))
    return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                   "Check-ins can be scheduled only while the relationship is active (it is %s).",
                   rel_state_name(r->state));
  if (scheduled_at < r->proposed_at) {
    rp_field(e, "/scheduled_at", "The time may not be before the relationship was proposed.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

/* Each check_ adds its field error to e and returns false when the report fails it. */

static bool check_at(const checkin *ck, const checkin_report *rep, rp_err *e) {
  if (rep->at < ck->created_at) {
    rp_field(e, "/at", "The time may not be before the check-in was scheduled.");
    return false;
  }
  if (rep->outcome == CHECKIN_NO_SHOW && rep->at < ck->scheduled_at) {
    rp_field(e, "/at", "A no-show cannot be recorded before the scheduled time.");
    return false;
  }
  return true;
}

static bool check_new_time(const relationship *r, const checkin *ck, const checkin_report *rep,
                           rp_err *e) {
  const char *why = NULL;
  if (rep->outcome != CHECKIN_RESCHEDULED) {
    if (rep->has_new_scheduled_at) why = "Give a new time only when the check-in is rescheduled.";
  } else if (!rep->has_new_scheduled_at) {
    why = "Say when the check-in is rescheduled to.";
  } else if (rep->new_scheduled_at <= rep->at) {
    why = "The new time must be after the time of rescheduling.";
  } else if (rep->new_scheduled_at == ck->scheduled_at) {
    why = "The new time must differ from the scheduled time.";
  } else if (rep->new_scheduled_at < r->proposed_at) {
    why = "The time may not be before the relationship was proposed.";
  }
  if (why) rp_field(e, "/new_scheduled_at", "%s", why);
  return !why;
}

static bool check_cause(const relationship *r, const checkin_report *rep, const checkin_verdict *v,
                        rp_err *e) {
  const char *why = NULL;
  if (rep->caused_by && rep->caused_by != r->guide_id && rep->caused_by != r->learner_id)
    why = "Must be the guide or the learner.";
  else if (v->cause_required && !rep->caused_by)
    why = "Say who caused it.";
  else if (!v->cause_required && rep->caused_by)
    why = v->cls == CHECKIN_CLASS_MUTUAL_CANCEL
              ? "A mutual cancellation has no cause; leave caused_by out."
              : "A check-in held on time has no cause; leave caused_by out.";
  if (why) rp_field(e, "/caused_by", "%s", why);
  return !why;
}

rp_rc checkin_decide(const relationship *r, const checkin *ck, const checkin_report *rep,
                     int cadence_days, checkin_verdict *out, rp_err *e) {
  assert(ck->relationship_id == r->id);
  if (!rel_allows_outcomes(r->state))
    return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                   "Outcomes cannot be recorded while the relationship is %s.",
                   rel_state_name(r->state));
  if (ck->has_outcome)
    return rp_fail(e, RP_ERR_CONFLICT, "outcome_recorded",
                   "This check-in's outcome was recorded already.");
  checkin_classify(rep->outcome, ck->scheduled_at, rep->at, cadence_days, out);
  bool ok = check_at(ck, rep, e);
  ok = check_new_time(r, ck, rep, e) && ok;
  ok = check_cause(r, rep, out, e) && ok;
  return ok ? RP_OK : RP_ERR_INVALID;
}
