/* app.c: the composer at the top of app/: what the rooms do at the
 * moments of the core's transactions, in one order written here (see
 * app.h and docs/architecture.md).
 */
#include "app/app.h"

#include <string.h>

/* An event recorded: its reason sealed into its row (privacy/), then its
 * trust evidence (trust/), which reads the row as stored, then the mail it
 * causes (reach/), which never reads the reason. Its relationship's
 * warnings are refreshed before the commit when the event can move them
 * (trust/). */
static rp_rc event_recorded(app_ctx *c, const rel_event *ev, const char *reason, rp_err *e) {
  rp_rc rc = RP_OK;
  if (app_warnings_moved_by(ev->kind)) app_touch(c, ev->relationship_id);
  if (reason && *reason) rc = app_seal_reason(c, ev, reason, e);
  if (!rc) rc = app_evidence_for_event(c, ev, e);
  return rc ? rc : app_reach_event(c, ev, e); /* its mail, in the same transaction (reach/) */
}

/* Before a commit: the warnings of the relationships the transaction
 * touched (trust/), which may open text for the server, then the access-log
 * rows of everything opened for the actor (privacy/), in the same
 * transaction. */
static rp_rc before_commit(app_ctx *c, rp_err *e) {
  rp_rc rc = RP_OK;
  for (int i = 0; i < c->ntouched && !rc; i++) rc = app_warnings_refresh(c, c->touched[i], e);
  return rc ? rc : app_access_flush(c, e);
}

const app_moments app_moments_all = {
    .event_recorded = event_recorded,
    .before_commit = before_commit,
    .after_end = app_crypt_end,
    .noticed = app_reach_noticed,
};

app_env app_env_default(const keys *k) {
  app_env env;
  memset(&env, 0, sizeof env);
  env.keys = k;
  env.session_idle_s = 30 * 60;
  env.session_max_s = 12 * 3600;
  env.moments = &app_moments_all;
  return env;
}
