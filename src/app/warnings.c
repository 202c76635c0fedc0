/* warnings.c: early warnings (see warnings.h). Being written by the trust
 * wiring; until then no warning is raised. */
#include "app/warnings.h"

rp_rc app_warnings_refresh(app_ctx *c, int64_t rel_id, rp_err *e) {
  (void)c;
  (void)rel_id;
  (void)e;
  return RP_OK;
}
