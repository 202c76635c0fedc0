/* commitment.c: commitment outcomes and the automatic break (see commitment.h). */
#include "domain/commitment.h"

#include <assert.h>
#include <string.h>

static const char *const state_names[COMMITMENT_STATE_COUNT] = {"open", "kept", "kept_late",
                                                                "broken", "dropped"};

static const char *const outcome_names[COMMITMENT_OUTCOME_COUNT] = {"kept", "renegotiated",
                                                                    "broken", "dropped"};

const char *commitment_state_name(commitment_state s) {
  assert((unsigned)s < COMMITMENT_STATE_COUNT);
  return state_names[s];
}

bool commitment_state_parse(const char *name, commitment_state *out) {
  for (int i = 0; name && i < COMMITMENT_STATE_COUNT; i++) {
    if (strcmp(name, state_names[i]) == 0) {
      *out = (commitment_state)i;
      return true;
    }
  }
  return false;
}

const char *commitment_outcome_name(commitment_outcome o) {
  assert((unsigned)o < COMMITMENT_OUTCOME_COUNT);
  return outcome_names[o];
}

bool commitment_outcome_parse(const char *name, commitment_outcome *out) {
  for (int i = 0; name && i < COMMITMENT_OUTCOME_COUNT; i++) {
    if (strcmp(name, outcome_names[i]) == 0) {
      *out = (commitment_outcome)i;
      return true;
    }
  }
  return false;
}

rp_rc commitment_check_new(const relationship *r, int64_t owner_id, size_t text_len, rp_time at,
                           rp_time due_at, rp_err *e) {
  if (!rel_allows_new_activity(r->state))
    return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                   "Commitments can be added only while the relationship is active (it is %s).",
                   rel_state_name(r->state));
  bool ok = true;
  if (owner_id != r->guide_id && owner_id != r->learner_id) {
    rp_field(e, "/owner_id", "Must be the guide or the learner.");
    ok = false;
  }
  if (text_len == 0 || text_len > COMMITMENT_TEXT_MAX) {
    rp_field(e, "/text", "Give a text of 1 to %d bytes.", COMMITMENT_TEXT_MAX);
    ok = false;
  }
  if (due_at <= at) {
    rp_field(e, "/due_at", "The due time must be after the time the commitment is made.");
    ok = false;
  }
  return ok ? RP_OK : RP_ERR_INVALID;
}

/* The new due time of a renegotiation, or the refusal of one given where
 * it does not belong. Returns false with a field error in e. */
static bool check_new_due(const commitment *cm, commitment_outcome o, rp_time at,
                          const rp_time *new_due_at, rp_err *e) {
  const char *why = NULL;
  if (o != COMMITMENT_OUT_RENEGOTIATED) {
    if (new_due_at) why = "Give a new due time only when the commitment is renegotiated.";
  } else if (!new_due_at) {
    why = "Say when the commitment is now due.";
  } else if (*new_due_at <= at) {
    why = "The new due time must be after the time of renegotiation.";
  } else if (*new_due_at == cm->due_at) {
    why = "The new due time must differ from the current one.";
  }
  if (why) rp_field(e, "/new_due_at", "%s", why);
  return !why;
}

rp_rc commitment_decide(const relationship *r, const commitment *cm, commitment_outcome o,
                        rp_time at, const rp_time *new_due_at, commitment_decision *out,
                        rp_err *e) {
  assert(cm->relationship_id == r->id);
  memset(out, 0, sizeof *out);
  if (!rel_allows_outcomes(r->state))
    return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                   "Outcomes cannot be recorded while the relationship is %s.",
                   rel_state_name(r->state));
  if (cm->state != COMMITMENT_OPEN)
    return rp_fail(e, RP_ERR_CONFLICT, "commitment_closed", "This commitment is already %s.",
                   commitment_state_name(cm->state));
  if (at < cm->created_at) {
    rp_field(e, "/at", "The time may not be before the commitment was made.");
    return RP_ERR_INVALID;
  }
  if (o == COMMITMENT_OUT_RENEGOTIATED && at >= cm->due_at)
    return rp_fail(e, RP_ERR_CONFLICT, "past_due",
                   "The due time has passed. Record it as kept late, broken or dropped.");
  if (!check_new_due(cm, o, at, new_due_at, e)) return RP_ERR_INVALID;
  switch (o) {
  case COMMITMENT_OUT_KEPT:
    out->to = at <= cm->due_at ? COMMITMENT_KEPT : COMMITMENT_KEPT_LATE;
    return RP_OK;
  case COMMITMENT_OUT_RENEGOTIATED:
    out->to = COMMITMENT_OPEN;
    out->renegotiates = true;
    out->new_due_at = *new_due_at;
    return RP_OK;
  case COMMITMENT_OUT_BROKEN: out->to = COMMITMENT_BROKEN; return RP_OK;
  case COMMITMENT_OUT_DROPPED: out->to = COMMITMENT_DROPPED; return RP_OK;
  }
  assert(!"unknown commitment outcome");
  return rp_fail(e, RP_ERR_INTERNAL, "internal", "Unknown commitment outcome.");
}

rp_time commitment_break_time(rp_time due_at) { return due_at + COMMITMENT_BREAK_AFTER_S; }

bool commitment_due_for_break(const commitment *cm, rp_time now) {
  return cm->state == COMMITMENT_OPEN && commitment_break_time(cm->due_at) <= now;
}

rp_time commitment_break_cutoff(rp_time now) { return now - COMMITMENT_BREAK_AFTER_S; }

bool commitment_broken_automatically(const commitment *cm) {
  return cm->state == COMMITMENT_BROKEN && cm->closed_by == 0 &&
         cm->closed_at == commitment_break_time(cm->due_at);
}
