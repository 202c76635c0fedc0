/* prefs.c: what each person wishes of mail (reach.h). */
#include "app/reach/reach.h"

#include "store/reach.h"

rp_rc app_reach_time_zone(app_ctx *c, int64_t person_id, const char **tz, rp_err *e) {
  store_mail_prefs p;
  rp_rc rc = store_mail_prefs_get(c->st, person_id, c->a, &p, e);
  if (!rc) *tz = p.time_zone;
  return rc;
}
