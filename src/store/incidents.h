/* incidents.h: store operations for incidents, repair plans and the
 * commitments linked to a plan as amends (TRUST-MODEL.md 3.6, 5). Texts
 * stay sealed here. */
#ifndef RAPPORT_STORE_INCIDENTS_H
#define RAPPORT_STORE_INCIDENTS_H

#include "domain/incident.h"
#include "store/commitments.h"
#include "store/store.h"

typedef struct store_incident {
  incident in;
  rp_blob text_ct;
} store_incident;

/* Inserts in (reported, neither acknowledged nor resolved); fills in->id. */
rp_rc store_incident_insert(store *s, incident *in, rp_blob text_ct, rp_err *e);
rp_rc store_incident_get(store *s, int64_t id, arena *a, store_incident *out, rp_err *e);
/* A relationship's incidents in id order (paged as store.h says). */
rp_rc store_incidents_list(store *s, int64_t rel, int64_t after, int limit, arena *a,
                           store_incident **items, size_t *n, int64_t *next, rp_err *e);
/* Every incident of rel concerning `party` (without texts), by id. */
rp_rc store_incidents_concerning(store *s, int64_t rel, int64_t party, arena *a, incident **items,
                                 size_t *n, rp_err *e);
/* Marks an unacknowledged, unresolved incident acknowledged (resolved);
 * RP_ERR_NOT_FOUND when it is not in that state any more. */
rp_rc store_incident_acknowledge(store *s, int64_t id, rp_time at, int64_t by, rp_err *e);
rp_rc store_incident_resolve(store *s, int64_t id, rp_time at, int64_t by, rp_err *e);

typedef struct store_repair_plan {
  repair_plan plan;
  rp_blob acknowledgement_ct, responsibility_ct; /* len 0 until acknowledged */
} store_repair_plan;

/* Inserts an open plan; fills p->id. */
rp_rc store_repair_plan_insert(store *s, repair_plan *p, rp_err *e);
rp_rc store_repair_plan_get(store *s, int64_t id, arena *a, store_repair_plan *out, rp_err *e);
/* The id of the plan opened by incident_id; *found false when none. */
rp_rc store_repair_plan_of_incident(store *s, int64_t incident_id, bool *found, int64_t *plan_id,
                                    rp_err *e);
rp_rc store_repair_plans_list(store *s, int64_t rel, int64_t after, int limit, arena *a,
                              store_repair_plan **items, size_t *n, int64_t *next, rp_err *e);
/* Records the acknowledgement and responsibility of an open plan that has
 * none yet; RP_ERR_NOT_FOUND otherwise. */
rp_rc store_repair_plan_acknowledge(store *s, int64_t id, rp_blob acknowledgement,
                                    rp_blob responsibility, rp_err *e);
/* Records amends agreed at `at` on an open plan without any, linking the
 * commitments ids[0..n); RP_ERR_NOT_FOUND when the plan changed. */
rp_rc store_repair_plan_amends(store *s, int64_t id, rp_time at, const int64_t *ids, size_t n,
                               rp_err *e);
/* Closes an open plan; RP_ERR_NOT_FOUND when it is already closed. */
rp_rc store_repair_plan_close(store *s, int64_t id, rp_time at, repair_outcome o, rp_err *e);
/* The commitments linked to a plan, by id, with their sealed texts. */
rp_rc store_repair_commitments(store *s, int64_t plan_id, arena *a, store_commitment **items,
                               size_t *n, rp_err *e);
/* Open plans whose follow-through period ended at or before now, by id
 * (paged as store.h says). */
rp_rc store_repair_plans_due(store *s, rp_time now, int64_t after, int limit, arena *a,
                             repair_plan **items, size_t *n, int64_t *next, rp_err *e);
/* When event `kind` about `subject` happened in rel (the earliest);
 * *found false when it did not. */
rp_rc store_event_time_of(store *s, int64_t rel, const char *kind, int64_t subject, bool *found,
                          rp_time *at, rp_err *e);

#endif
