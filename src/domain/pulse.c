/* pulse.c: pulse validation, the double-blind reveal and the schedule
 * (see pulse.h). */
#include "domain/pulse.h"

#include <stdio.h>
#include <string.h>

static const char *const item_names[PULSE_NITEM] = {"REL1", "REL2", "INT1", "INT2",
                                                    "COM1", "EMP1", "EMP2"};

const char *pulse_item_name(int i) { return i >= 0 && i < PULSE_NITEM ? item_names[i] : NULL; }

bool pulse_item_parse(const char *name, int *out) {
  for (int i = 0; name && i < PULSE_NITEM; i++) {
    if (strcmp(name, item_names[i]) == 0) {
      *out = i;
      return true;
    }
  }
  return false;
}

int pulse_answered(const pulse *p) {
  int n = 0;
  for (int i = 0; i < PULSE_NITEM; i++)
    n += p->answers[i] != PULSE_SKIPPED;
  return n;
}

rp_rc pulse_check_allowed(const relationship *r, int64_t rater, rp_err *e) {
  if (rater == 0 || (rater != r->guide_id && rater != r->learner_id))
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  /* alumni: the short pulse of long-term check-ins (app/alumni/) */
  if (!rel_allows_outcomes(r->state) && r->state != REL_ALUMNI)
    return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                   "A pulse cannot be answered in a relationship that is %s.",
                   rel_state_name(r->state));
  return RP_OK;
}

rp_rc pulse_check(const pulse *p, rp_err *e) {
  bool ok = true;
  for (int i = 0; i < PULSE_NITEM; i++) {
    int x = p->answers[i];
    if (x != PULSE_SKIPPED && (x < PULSE_ANSWER_MIN || x > PULSE_ANSWER_MAX)) {
      char ptr[32];
      snprintf(ptr, sizeof ptr, "/answers/%s", item_names[i]);
      rp_field(e, ptr, "Must be between %d and %d, or null for \"no chance to tell\".",
               PULSE_ANSWER_MIN, PULSE_ANSWER_MAX);
      ok = false;
    }
  }
  if (p->overall < 0 || p->overall > PULSE_OVERALL_MAX) {
    rp_field(e, "/overall", "Must be between 0 and %d.", PULSE_OVERALL_MAX);
    ok = false;
  }
  return ok ? RP_OK : RP_ERR_INVALID;
}

rp_time pulse_reveal_time(rp_time answered_at, bool has_counter, rp_time counter_at) {
  rp_time t = answered_at + PULSE_REVEAL_AFTER_S;
  if (has_counter && counter_at >= answered_at && counter_at < t) t = counter_at;
  return t;
}

bool pulse_revealed_by(const pulse *p, rp_time counter_at) {
  return p->answered_at <= counter_at && p->revealed_at > counter_at;
}

bool pulse_is_revealed(const pulse *p, rp_time now) { return now >= p->revealed_at; }

const char *pulse_due_reason_name(pulse_due_reason r) {
  return r == PULSE_DUE_CHECKINS ? "checkins" : "cadence";
}

void pulse_schedule_at(rp_time since, int every_days, bool has_nth_held, rp_time nth_held_at,
                       rp_time now, pulse_schedule *out) {
  out->due_at = since + (rp_time)every_days * RP_DAY;
  out->reason = PULSE_DUE_CADENCE;
  if (has_nth_held && nth_held_at < out->due_at) {
    out->due_at = nth_held_at;
    out->reason = PULSE_DUE_CHECKINS;
  }
  out->due = now >= out->due_at;
}
