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

#endif
