/* jobs.c: the time-driven jobs (see jobs.h). */
#include "app/app.h"

rp_rc app_jobs_run(app_ctx *c, int *changed, rp_err *e) {
  (void)c;
  (void)e;
  *changed = 0;
  return RP_OK;
}
