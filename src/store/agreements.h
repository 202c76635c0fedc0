/* agreements.h: store operations for versioned agreements. */
#ifndef RAPPORT_STORE_AGREEMENTS_H
#define RAPPORT_STORE_AGREEMENTS_H

#include "store/store.h"

/* One version of a relationship's agreement as stored: the plain terms,
 * the sealed free text, and who acknowledged it (at most the two parties,
 * earliest first, the guide first within the same second). */
typedef struct store_agreement {
  int64_t id, relationship_id, author_id;
  int version;
  rp_time created_at;
  int cadence_days, reply_window_hours;
  int32_t ends_on;   /* days since 1970-01-01, or INT32_MIN when none */
  int quiet_from, quiet_to; /* minutes after local midnight; -1: no quiet hours */
  rp_blob body;      /* sealed JSON document of the free text */
  int64_t acked_by[2];
  rp_time acked_at[2];
  size_t nacked;
} store_agreement;

/* The quiet hours of the relationship's agreement in force (*from, *to:
 * minutes after local midnight; -1 when none or no agreement in force). */
rp_rc store_agreement_quiet_hours(store *s, int64_t relationship_id, int *from, int *to,
                                  rp_err *e);

/* The latest version (0 if none) and the latest version acknowledged by
 * both parties (0 if none). */
rp_rc store_agreement_versions(store *s, int64_t relationship_id, int *latest, int *in_force,
                               rp_err *e);

/* The cadence and reply window of the agreement in force (acknowledged by
 * both parties). *found is false when no version is in force; the outputs
 * are then untouched. */
rp_rc store_agreement_terms(store *s, int64_t relationship_id, bool *found, int *cadence_days,
                            int *reply_window_hours, rp_err *e);

/* Inserts a version (all fields but id and the acknowledgements); fills
 * ag->id. RP_ERR_CONFLICT when the version number is taken. */
rp_rc store_agreement_insert(store *s, store_agreement *ag, rp_err *e);

/* Records person_id's acknowledgement of the version with row id
 * agreement_id at `at`. RP_ERR_CONFLICT when already recorded. */
rp_rc store_agreement_ack(store *s, int64_t agreement_id, int64_t person_id, rp_time at,
                          rp_err *e);

/* Version `version` of relationship_id's agreement, with its
 * acknowledgements; RP_ERR_NOT_FOUND when there is none. */
rp_rc store_agreement_get(store *s, int64_t relationship_id, int version, arena *a,
                          store_agreement *out, rp_err *e);

/* The versions of relationship_id's agreement, oldest first, paged by
 * version number (after and *next are version numbers). */
rp_rc store_agreements_list(store *s, int64_t relationship_id, int64_t after, int limit, arena *a,
                            store_agreement **items, size_t *n, int64_t *next, rp_err *e);

#endif
