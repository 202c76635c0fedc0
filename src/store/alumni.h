/* alumni.h: the rows of the alumni network (migration 0071). Conventions
 * as in store.h. */
#ifndef RAPPORT_STORE_ALUMNI_H
#define RAPPORT_STORE_ALUMNI_H

#include "store/store.h"

typedef struct store_alumnus {
  int64_t id, program_id, person_id;
  rp_time joined_at;
  bool show_name, show_topics, show_contact;
  const char *topics;
  rp_time guiding_since; /* 0: not guiding as an alumnus */
  const char *name;      /* the person's name (reads only) */
} store_alumnus;

/* Inserts or updates (program, person)'s entry (consent and topics; the
 * join time and guiding_since of an existing entry stay). */
rp_rc store_alumnus_put(store *s, store_alumnus *a, rp_err *e);
rp_rc store_alumnus_get(store *s, int64_t program_id, int64_t person_id, arena *a,
                        store_alumnus *out, rp_err *e);
rp_rc store_alumnus_delete(store *s, int64_t program_id, int64_t person_id, rp_err *e);
rp_rc store_alumnus_guiding(store *s, int64_t program_id, int64_t person_id, rp_time since,
                            rp_err *e);
/* The program's alumni by id, paged. */
rp_rc store_alumni_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                        store_alumnus **items, size_t *n, int64_t *next, rp_err *e);
/* person_id's own entries, in every program. */
rp_rc store_alumni_of_person(store *s, int64_t person_id, arena *a, store_alumnus **items,
                             size_t *n, rp_err *e);
/* How many alumni of the program guide now (guiding_since set and a guide
 * membership held). */
rp_rc store_alumni_guiding_count(store *s, int64_t program_id, int64_t *n, rp_err *e);
/* Whether person_id had a completed (or alumni) relationship in the
 * program, as either party (*any) and as the learner (*as_learner). */
rp_rc store_alumni_eligible(store *s, int64_t program_id, int64_t person_id, bool *any,
                            bool *as_learner, rp_err *e);

/* Long-term check-ins: who of the pair wants them. */
rp_rc store_long_term_set(store *s, int64_t rel_id, int64_t person_id, bool want, rp_time now,
                          rp_err *e);
rp_rc store_long_term_wants(store *s, int64_t rel_id, int64_t person_id, bool *out, rp_err *e);
/* The latest pulse person_id answered in the relationship (0: none). */
rp_rc store_long_term_last_pulse(store *s, int64_t rel_id, int64_t person_id, rp_time *at,
                                 rp_err *e);

/* The cadence a pair agreed (days 0: none, the program's value holds)
 * and a proposal waiting for the other's agreement (proposed_by 0: none;
 * proposed_days 0: back to the program's value). All 0 without a row. */
typedef struct store_long_term_cadence {
  int days;
  rp_time agreed_at;
  int proposed_days;
  int64_t proposed_by;
  rp_time proposed_at;
} store_long_term_cadence;

rp_rc store_long_term_cadence_get(store *s, int64_t rel_id, store_long_term_cadence *out,
                                  rp_err *e);
/* A proposal of `days` (0: the program's value) by person `by`, replacing
 * any earlier one; by 0 withdraws the proposal. */
rp_rc store_long_term_cadence_propose(store *s, int64_t rel_id, int days, int64_t by,
                                      rp_time at, rp_err *e);
/* The waiting proposal becomes the pair's cadence at `at`. */
rp_rc store_long_term_cadence_agree(store *s, int64_t rel_id, rp_time at, rp_err *e);

/* A party of an alumni relationship whose both parties want long-term
 * check-ins, and whose short pulse is due: their last pulse (at 0: none)
 * plus the pair's cadence (every_days: agreed, else default_days) is at or
 * before `now`, and they have no `mark` for that pulse (about_id: the
 * pulse's id, or minus the relationship's id when none). */
typedef struct store_long_term_due {
  int64_t relationship_id, to_id, other_id, about_id;
  rp_time last_at;
  int every_days;
} store_long_term_due;

rp_rc store_long_term_to_remind(store *s, rp_time now, int default_days, const char *mark,
                                int limit, arena *a, store_long_term_due **items, size_t *n,
                                rp_err *e);

#endif
