/* pulse.h: the pulse survey's rules (TRUST-MODEL.md 3.7).
 *
 * A pulse is one party's (the rater's) answers about the other (the
 * ratee): seven items on a five-point frequency scale (1 almost never ..
 * 5 almost always) or "no chance to tell" (PULSE_SKIPPED), plus an overall
 * 0..10 kept for validation only. Items are in this fixed order, the same
 * as trust_pulse_item (trust/trust_values.h):
 *
 *   REL1 REL2 INT1 INT2 COM1 EMP1 EMP2
 *
 * Double-blind reveal: a pulse's effect on the score becomes visible to
 * the ratee at its revealed_at, which is the earlier of
 *
 *   - answered_at + PULSE_REVEAL_AFTER_S (7 days), and
 *   - the first time at or after answered_at that the ratee answered a
 *     pulse about the rater.
 *
 * So when the ratee answers at t, every pulse of the rater about them
 * answered at or before t and not yet revealed at t is revealed at t
 * (pulse_revealed_by).
 *
 * Schedule: a party is due for a pulse every pulse_every_days after their
 * last pulse (or after the relationship became active), or after the third
 * check-in held since then, whichever comes first. A pulse may be answered
 * at any time; the schedule only decides when a party is invited.
 *
 * Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_PULSE_H
#define RAPPORT_DOMAIN_PULSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/relationship.h"

#define PULSE_NITEM 7
#define PULSE_SKIPPED 0
#define PULSE_ANSWER_MIN 1
#define PULSE_ANSWER_MAX 5
#define PULSE_OVERALL_MAX 10
#define PULSE_REVEAL_AFTER_S (7 * RP_DAY)
#define PULSE_EVERY_CHECKINS 3 /* held check-ins that make a pulse due */

typedef struct pulse {
  int64_t id, relationship_id, rater_id, ratee_id;
  rp_time answered_at, revealed_at;
  int answers[PULSE_NITEM]; /* PULSE_ANSWER_MIN..MAX, or PULSE_SKIPPED */
  int overall;              /* 0..PULSE_OVERALL_MAX */
} pulse;

/* "REL1" .. "EMP2"; NULL when i is out of range. */
const char *pulse_item_name(int i);
/* Returns true and sets *out (0..PULSE_NITEM-1) when name is an item. */
bool pulse_item_parse(const char *name, int *out);
/* How many items of p are answered (not skipped). */
int pulse_answered(const pulse *p);

/* Whether a pulse may be answered in r by `rater` at all: RP_ERR_CONFLICT
 * "relationship_state" unless r takes outcomes (active, paused,
 * completed); RP_ERR_NOT_FOUND when rater is not a party. */
rp_rc pulse_check_allowed(const relationship *r, int64_t rater, rp_err *e);

/* Validates p's answers and overall: each answer PULSE_SKIPPED or 1..5
 * (RP_ERR_INVALID at /answers/<ITEM>), overall 0..10 (/overall). */
rp_rc pulse_check(const pulse *p, rp_err *e);

/* revealed_at of a pulse answered at answered_at, given the first time at
 * or after it that the ratee answered about the rater (has_counter false
 * when they have not). */
rp_time pulse_reveal_time(rp_time answered_at, bool has_counter, rp_time counter_at);

/* Whether an answer by the ratee at counter_at reveals p early: p was
 * answered at or before counter_at and is not revealed by then. */
bool pulse_revealed_by(const pulse *p, rp_time counter_at);

/* Whether the ratee may see p's effect at `now`. */
bool pulse_is_revealed(const pulse *p, rp_time now);

typedef enum pulse_due_reason { PULSE_DUE_CADENCE, PULSE_DUE_CHECKINS } pulse_due_reason;

typedef struct pulse_schedule {
  bool due; /* now >= due_at */
  rp_time due_at;
  pulse_due_reason reason;
} pulse_schedule;

/* "cadence", "checkins". */
const char *pulse_due_reason_name(pulse_due_reason r);

/* The schedule of a party whose last pulse (or, without one, the
 * relationship's activation) was at `since`: due_at = since +
 * every_days days ("cadence"), or the time of the PULSE_EVERY_CHECKINS-th
 * check-in held after `since` when that comes strictly earlier
 * ("checkins"; has_nth_held false when there has not been one). */
void pulse_schedule_at(rp_time since, int every_days, bool has_nth_held, rp_time nth_held_at,
                       rp_time now, pulse_schedule *out);

#endif
