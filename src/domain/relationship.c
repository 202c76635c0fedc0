/* relationship.c: the relationship state machine (see relationship.h). */
#include "domain/relationship.h"

#include <assert.h>
#include <string.h>

static const char *const state_names[REL_STATE_COUNT] = {
    "proposed", "active", "paused", "completed", "alumni", "declined", "ended"};

const char *rel_state_name(rel_state s) {
  assert((unsigned)s < REL_STATE_COUNT);
  return state_names[s];
}

bool rel_state_parse(const char *name, rel_state *out) {
  for (int i = 0; i < REL_STATE_COUNT; i++) {
    if (name && strcmp(name, state_names[i]) == 0) {
      *out = (rel_state)i;
      return true;
    }
  }
  return false;
}

rel_role rel_role_of(const relationship *r, int64_t person, bool is_program_admin) {
  if (person == r->guide_id) return REL_ROLE_GUIDE;
  if (person == r->learner_id) return REL_ROLE_LEARNER;
  return is_program_admin ? REL_ROLE_ADMIN : REL_ROLE_NONE;
}

bool rel_role_is_party(rel_role role) {
  return role == REL_ROLE_GUIDE || role == REL_ROLE_LEARNER;
}

int64_t rel_other_party(const relationship *r, rel_role role) {
  assert(rel_role_is_party(role));
  return role == REL_ROLE_GUIDE ? r->learner_id : r->guide_id;
}

static rp_rc refuse(const relationship *r, rel_state to, rp_err *e) {
  return rp_fail(e, RP_ERR_CONFLICT, "invalid_transition",
                 "A relationship that is %s cannot become %s.", rel_state_name(r->state),
                 rel_state_name(to));
}

/* Whether `from -> to` is an edge of the state machine at all. */
static bool edge_exists(rel_state from, rel_state to) {
  switch (to) {
  case REL_ACTIVE: return from == REL_PROPOSED || from == REL_PAUSED;
  case REL_DECLINED: return from == REL_PROPOSED;
  case REL_PAUSED: return from == REL_ACTIVE;
  case REL_COMPLETED: return from == REL_ACTIVE;
  case REL_ALUMNI: return from == REL_COMPLETED;
  case REL_ENDED:
    return from == REL_PROPOSED || from == REL_ACTIVE || from == REL_PAUSED ||
           from == REL_COMPLETED;
  case REL_PROPOSED: return false;
  }
  return false;
}

/* Admins may end a relationship or move completed pairs to alumni; every
 * other step belongs to the parties. */
static bool role_may(rel_role role, rel_state to) {
  if (rel_role_is_party(role)) return true;
  if (role == REL_ROLE_ADMIN) return to == REL_ENDED || to == REL_ALUMNI;
  return false;
}

rp_rc rel_transition(const relationship *r, rel_role role, rel_state to, bool has_reason,
                     rel_change *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->from = r->state;
  out->to = r->state;
  out->guide_accepted = r->guide_accepted;
  out->learner_accepted = r->learner_accepted;
  if (!edge_exists(r->state, to)) return refuse(r, to, e);
  if (!role_may(role, to))
    return rp_fail(e, RP_ERR_FORBIDDEN, "role",
                   "Only the guide or the learner can make this relationship %s.",
                   rel_state_name(to));
  if (to == REL_ENDED && !has_reason) {
    rp_field(e, "/reason", "Say why the relationship ends.");
    return RP_ERR_INVALID;
  }
  if (r->state == REL_PROPOSED && to == REL_ACTIVE) {
    bool *mine = role == REL_ROLE_GUIDE ? &out->guide_accepted : &out->learner_accepted;
    if (*mine)
      return rp_fail(e, RP_ERR_CONFLICT, "already_accepted",
                     "You have already accepted; the other party has not yet.");
    *mine = true;
    if (!(out->guide_accepted && out->learner_accepted)) return RP_OK;
  }
  out->to = to;
  out->state_changed = true;
  return RP_OK;
}

bool rel_allows_new_activity(rel_state s) { return s == REL_ACTIVE; }

bool rel_allows_outcomes(rel_state s) {
  return s == REL_ACTIVE || s == REL_PAUSED || s == REL_COMPLETED;
}

bool rel_allows_notes(rel_state s) { return s != REL_DECLINED && s != REL_ENDED; }

bool rel_allows_agreement(rel_state s) {
  return s == REL_PROPOSED || s == REL_ACTIVE || s == REL_PAUSED;
}

rp_rc rel_check_at(const relationship *r, rp_time at, rp_time now, rp_err *e) {
  if (at > now) {
    rp_field(e, "/at", "The time may not be in the future.");
    return RP_ERR_INVALID;
  }
  if (at < r->proposed_at) {
    rp_field(e, "/at", "The time may not be before the relationship was proposed.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}
