/* agreements.h: store operations for versioned agreements. */
#ifndef RAPPORT_STORE_AGREEMENTS_H
#define RAPPORT_STORE_AGREEMENTS_H

#include "store/store.h"

/* The latest version (0 if none) and the latest version acknowledged by
 * both parties (0 if none). */
rp_rc store_agreement_versions(store *s, int64_t relationship_id, int *latest, int *in_force,
                               rp_err *e);

/* The cadence and reply window of the agreement in force (acknowledged by
 * both parties). *found is false when no version is in force; the outputs
 * are then untouched. */
rp_rc store_agreement_terms(store *s, int64_t relationship_id, bool *found, int *cadence_days,
                            int *reply_window_hours, rp_err *e);

#endif
