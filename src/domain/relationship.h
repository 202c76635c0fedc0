/* relationship.h: the relationship between a guide and a learner, and its
 * state machine.
 *
 *   proposed -> active -> paused <-> active -> completed -> alumni
 *   proposed -> declined
 *   proposed | active | paused | completed -> ended   (a reason is required)
 *
 * "active" from "proposed" records the caller's acceptance; the relationship
 * becomes active once both parties accepted. A party who proposes accepts
 * by proposing. Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_RELATIONSHIP_H
#define RAPPORT_DOMAIN_RELATIONSHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"

typedef enum rel_state {
  REL_PROPOSED,
  REL_ACTIVE,
  REL_PAUSED,
  REL_COMPLETED,
  REL_ALUMNI,
  REL_DECLINED,
  REL_ENDED
} rel_state;
#define REL_STATE_COUNT 7

/* Who acts on a relationship, as far as its rules care. */
typedef enum rel_role {
  REL_ROLE_NONE,    /* neither party nor admin: may not see it at all */
  REL_ROLE_GUIDE,
  REL_ROLE_LEARNER,
  REL_ROLE_ADMIN,   /* admin of the relationship's program, not a party */
  REL_ROLE_SYSTEM   /* the server's own jobs */
} rel_role;

typedef struct relationship {
  int64_t id, program_id, guide_id, learner_id;
  rel_state state;
  bool guide_accepted, learner_accepted;
  rp_time proposed_at, state_since;
  int64_t proposed_by;
} relationship;

/* The outcome of a transition request: the new state and acceptances. */
typedef struct rel_change {
  rel_state from, to;
  bool guide_accepted, learner_accepted;
  bool state_changed;
} rel_change;

const char *rel_state_name(rel_state s);
/* Returns true and sets *out when name is a state's name. */
bool rel_state_parse(const char *name, rel_state *out);

/* The role `person` has in r, given whether they administer its program. */
rel_role rel_role_of(const relationship *r, int64_t person, bool is_program_admin);
bool rel_role_is_party(rel_role role);
/* The other party's person id, for a party role. */
int64_t rel_other_party(const relationship *r, rel_role role);

/* rel_transition decides whether `role` may move r to `to`.
 * Returns RP_OK and fills *out, or RP_ERR_CONFLICT ("invalid_transition",
 * "already_accepted"), RP_ERR_FORBIDDEN ("role") or RP_ERR_INVALID (a
 * missing reason for "ended", pointer /reason). */
rp_rc rel_transition(const relationship *r, rel_role role, rel_state to, bool has_reason,
                     rel_change *out, rp_err *e);

/* Whether new activity (check-ins, commitments, goals, requests, feedback)
 * may be started, and whether open items may be closed (outcomes, replies,
 * reviews), and whether notes and agreements may be written. */
bool rel_allows_new_activity(rel_state s);
bool rel_allows_outcomes(rel_state s);
bool rel_allows_notes(rel_state s);
bool rel_allows_agreement(rel_state s);

/* rel_check_at validates the time of an event on r: not after now and not
 * before the relationship's proposal. Fails with RP_ERR_INVALID at /at. */
rp_rc rel_check_at(const relationship *r, rp_time at, rp_time now, rp_err *e);

#endif
