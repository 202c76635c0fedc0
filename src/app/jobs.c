/* jobs.c: the time-driven jobs (see jobs.h): each room's job, in one
 * write transaction per run, in the order below. The whole run commits or
 * none of it does, so a run breaks everything due or nothing; each job
 * only touches rows still in the state it looks for, so two runs (threads,
 * instances) never do the same work twice.
 */
#include "app/app.h"

rp_rc app_jobs_run(app_ctx *c, int *changed, rp_err *e) {
  app_ctx sys = *c;
  sys.actor = 0; /* the server itself: events carry no actor */
  sys.site_admin = false;
  *changed = 0;
  rp_rc rc = store_begin_write(sys.st, e);
  if (rc) return rc;
  rc = app_commitments_break_due(&sys, changed, e); /* app/practices/commitments.h */
  if (!rc) rc = app_evidence_unanswered_job(&sys, changed, e); /* app/trust/evidence.h */
  if (!rc) rc = app_repair_plans_close_due(&sys, changed, e); /* app/practices/pulses.h */
  if (!rc) rc = app_circle_repairs_close_due(&sys, changed, e); /* app/circles/practice.h */
  if (!rc) rc = app_f360_close_due(&sys, changed, e); /* app/feedback360: past deadline */
  if (!rc) rc = app_warnings_job(&sys, APP_WARNINGS_BATCH, changed, e); /* app/trust/warnings.h */
  if (!rc) rc = app_reach_reminders_job(&sys, changed, e); /* app/reach: check-ins tomorrow */
  if (!rc) rc = app_reach_notices_job(&sys, changed, e); /* app/reach: due, unanswered, warned */
  if (!rc) rc = app_long_term_remind_job(&sys, changed, e); /* app/alumni: short pulses due */
  if (!rc) rc = app_reach_digest_job(&sys, changed, e); /* app/reach: weekly digests */
  int64_t expired = 0;
  if (!rc) rc = app_match_expire_requests(&sys, &expired, e); /* app/matching: lapsed requests */
  if (!rc && expired) *changed += (int)expired;
  if (!rc) rc = app_auth_sweep(&sys, e); /* app/people: expired sessions, old sign-in failures */
  if (!rc) rc = app_sso_sweep(&sys, e); /* app/org: sign-ins never finished, old pending links */
  if (!rc) rc = app_keys_reencrypt_job(&sys, changed, e); /* app/privacy: after rotate --data */
  bool head_signed = false; /* app/privacy/audit.h: the access log's head, every few minutes */
  if (!rc) rc = app_audit_sign_head(&sys, APP_AUDIT_SIGN_EVERY_S, &head_signed, e);
  if (head_signed) (*changed)++;
  rc = app_finish(&sys, rc, e);
  if (rc) *changed = 0;
  /* Unwrapped keys leave the server's cache once past their time, also
   * when nobody asks for them again (app/privacy/keycache.h). */
  if (c->env && c->env->key_cache) app_key_cache_expire(c->env->key_cache, c->now);
  return rc;
}
