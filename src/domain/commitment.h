/* commitment.h: commitments, their outcomes and the automatic break.
 *
 * A commitment has an owner (either party), a text, a creation time and a
 * due time. It is open until an outcome closes it:
 *
 *   kept          at <= due_at -> "kept", else "kept_late" (closed at `at`)
 *   renegotiated  only while at < due_at; moves due_at, stays open, and
 *                 keeps the old due time in a revision
 *   broken        "broken" (closed at `at`)
 *   dropped       "dropped" (closed at `at`)
 *
 * An open commitment COMMITMENT_BREAK_AFTER_S past its due time becomes
 * "broken" by itself, closed at due_at + COMMITMENT_BREAK_AFTER_S with no
 * one as closer (TRUST-MODEL.md 3.2). Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_COMMITMENT_H
#define RAPPORT_DOMAIN_COMMITMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/relationship.h"

typedef enum commitment_state {
  COMMITMENT_OPEN,
  COMMITMENT_KEPT,
  COMMITMENT_KEPT_LATE,
  COMMITMENT_BROKEN,
  COMMITMENT_DROPPED
} commitment_state;
#define COMMITMENT_STATE_COUNT 5

typedef enum commitment_outcome {
  COMMITMENT_OUT_KEPT,
  COMMITMENT_OUT_RENEGOTIATED,
  COMMITMENT_OUT_BROKEN,
  COMMITMENT_OUT_DROPPED
} commitment_outcome;
#define COMMITMENT_OUTCOME_COUNT 4

#define COMMITMENT_TEXT_MAX 2000
#define COMMITMENT_BREAK_AFTER_S RP_DAY

typedef struct commitment {
  int64_t id, relationship_id, owner_id;
  int64_t created_by; /* 0: the operator */
  rp_time created_at, due_at, original_due_at;
  commitment_state state;
  rp_time closed_at; /* 0 while open */
  int64_t closed_by; /* 0 while open, and when it broke by itself */
} commitment;

/* One renegotiation: the due time moved from old_due_at to new_due_at. */
typedef struct commitment_revision {
  int64_t id, commitment_id;
  rp_time at;
  int64_t by; /* 0: the operator */
  rp_time old_due_at, new_due_at;
} commitment_revision;

/* What an outcome does to a commitment. */
typedef struct commitment_decision {
  commitment_state to; /* COMMITMENT_OPEN for a renegotiation */
  bool renegotiates;   /* when true, due_at becomes new_due_at */
  rp_time new_due_at;
} commitment_decision;

const char *commitment_state_name(commitment_state s);
bool commitment_state_parse(const char *name, commitment_state *out);
const char *commitment_outcome_name(commitment_outcome o);
bool commitment_outcome_parse(const char *name, commitment_outcome *out);

/* Whether a new commitment of `text_len` bytes, owned by owner_id, made
 * at `at` and due at due_at, may be added to r: RP_ERR_CONFLICT
 * "relationship_state" unless r is active; RP_ERR_INVALID with /owner_id
 * (not a party), /text (empty or longer than COMMITMENT_TEXT_MAX) and
 * /due_at (not after `at`). */
rp_rc commitment_check_new(const relationship *r, int64_t owner_id, size_t text_len, rp_time at,
                           rp_time due_at, rp_err *e);

/* Decides outcome o recorded at `at` for cm on r; new_due_at is NULL
 * when not given. Fails with RP_ERR_CONFLICT "relationship_state" (r takes
 * no outcomes), "commitment_closed" (cm is not open) or "past_due" (a
 * renegotiation at or after the due time), or RP_ERR_INVALID with /at
 * (before cm was created) or /new_due_at (missing for renegotiated, given
 * for another outcome, not after `at`, or equal to the current due time). */
rp_rc commitment_decide(const relationship *r, const commitment *cm, commitment_outcome o,
                        rp_time at, const rp_time *new_due_at, commitment_decision *out, rp_err *e);

/* When cm breaks by itself: due_at + COMMITMENT_BREAK_AFTER_S. */
rp_time commitment_break_time(rp_time due_at);
/* Whether cm is open and its automatic break time is at or before now. */
bool commitment_due_for_break(const commitment *cm, rp_time now);
/* The latest due time that is due for an automatic break at now. */
rp_time commitment_break_cutoff(rp_time now);
/* Whether cm was broken by the server rather than by a party: broken, with
 * no closer, at its automatic break time. */
bool commitment_broken_automatically(const commitment *cm);

#endif
