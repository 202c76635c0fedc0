/* jobs.h: work the server does as time passes, not on a request. */
#ifndef RAPPORT_APP_JOBS_H
#define RAPPORT_APP_JOBS_H

#include "app/core/core.h"

/* Runs every due job once at c->now (c->actor is 0: the server itself):
 * open commitments 24 h past due become broken. *changed counts the rows
 * the jobs changed. Safe to run from several threads or instances. */
rp_rc app_jobs_run(app_ctx *c, int *changed, rp_err *e);

/* How often the server runs the jobs, in seconds. */
#define APP_JOBS_EVERY_S 60

#endif
