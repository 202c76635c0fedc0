/* checkins.h: store operations for check-ins and their outcomes. */
#ifndef RAPPORT_STORE_CHECKINS_H
#define RAPPORT_STORE_CHECKINS_H

#include "domain/checkin.h"
#include "store/store.h"

/* Inserts a check-in without an outcome (scheduled_at, created_at,
 * created_by, relationship_id); fills ck->id. */
rp_rc store_checkin_insert(store *s, checkin *ck, rp_err *e);
rp_rc store_checkin_get(store *s, int64_t id, checkin *out, rp_err *e);
/* Records ck's outcome fields (outcome, class, caused_by, outcome_at,
 * recorded_by, notice, lateness, rescheduled_to) on a check-in that has no
 * outcome yet; RP_ERR_CONFLICT "outcome_recorded" when it already has one. */
rp_rc store_checkin_set_outcome(store *s, const checkin *ck, rp_err *e);
/* A relationship's check-ins in id order (paged as store.h says). */
rp_rc store_checkins_list(store *s, int64_t relationship_id, int64_t after, int limit, arena *a,
                          checkin **items, size_t *n, int64_t *next, rp_err *e);

#endif
