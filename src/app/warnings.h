/* warnings.h: early warnings (TRUST-MODEL.md 4), kept in the warnings
 * table and refreshed whenever an event on the relationship is recorded
 * (app_finish calls app_warnings_refresh before committing) and when time
 * passes (the jobs). */
#ifndef RAPPORT_APP_WARNINGS_H
#define RAPPORT_APP_WARNINGS_H

#include "app/app.h"

/* Recomputes the warnings of relationship rel_id at c->now inside the
 * current write transaction: opens new ones, clears those that no longer
 * hold, keeps `since` of those that still do. */
rp_rc app_warnings_refresh(app_ctx *c, int64_t rel_id, rp_err *e);

#endif
