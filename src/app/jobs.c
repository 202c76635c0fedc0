/* jobs.c: the time-driven jobs (see jobs.h).
 *
 * The first of them: open commitments COMMITMENT_BREAK_AFTER_S past their
 * due time become broken (TRUST-MODEL.md 3.2), closed at that moment with
 * no closer, each with a "commitment_broken" event by nobody (actor NULL)
 * at the moment it broke. The whole run is one write transaction, so a run
 * breaks everything due or nothing; the close only touches rows still open,
 * so two runs (threads, instances) never break the same commitment twice.
 */
#include "app/jobs.h"
#include "app/audit.h"
#include "app/evidence.h"
#include "app/keycache.h"
#include "app/pulses.h"
#include "app/warnings.h"

/* Due commitments read per query; a run loops until none is left. */
#define JOBS_BATCH 200

/* Breaks one commitment if still open; *done tells whether it did. */
static rp_rc break_one(app_ctx *sys, const commitment *cm, bool *done, rp_err *e) {
  rp_time at = commitment_break_time(cm->due_at);
  *done = false;
  rp_rc rc = store_commitment_close(sys->st, cm->id, COMMITMENT_BROKEN, at, 0, e);
  if (rc == RP_ERR_NOT_FOUND) { /* closed since it was read */
    rp_err_reset(e);
    return RP_OK;
  }
  if (!rc)
    rc = app_event(sys, cm->relationship_id, "commitment_broken", cm->id, at, NULL, NULL, NULL, e);
  *done = rc == RP_OK;
  return rc;
}

static rp_rc break_overdue(app_ctx *sys, int *changed, rp_err *e) {
  int64_t after = 0, next = 0;
  do {
    commitment *items;
    size_t n;
    rp_rc rc = store_commitments_open_due(sys->st, commitment_break_cutoff(sys->now), after,
                                          JOBS_BATCH, sys->a, &items, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      bool done = false;
      if (commitment_due_for_break(&items[i], sys->now)) rc = break_one(sys, &items[i], &done, e);
      if (done) (*changed)++;
    }
    if (rc) return rc;
    after = next;
  } while (next);
  return RP_OK;
}

rp_rc app_jobs_run(app_ctx *c, int *changed, rp_err *e) {
  app_ctx sys = *c;
  sys.actor = 0; /* the server itself: events carry no actor */
  sys.site_admin = false;
  *changed = 0;
  rp_rc rc = store_begin_write(sys.st, e);
  if (rc) return rc;
  rc = break_overdue(&sys, changed, e);
  if (!rc) rc = app_evidence_unanswered_job(&sys, changed, e); /* app/evidence.h */
  if (!rc) rc = app_repair_plans_close_due(&sys, changed, e); /* app/pulses.h */
  if (!rc) rc = app_warnings_job(&sys, APP_WARNINGS_BATCH, changed, e); /* app/warnings.h */
  if (!rc) rc = app_auth_sweep(&sys, e); /* app/app.h: expired sessions, old sign-in failures */
  if (!rc) rc = app_keys_reencrypt_job(&sys, changed, e); /* app/crypt.c: after rotate --data */
  bool head_signed = false; /* app/audit.h: the access log's head, every few minutes */
  if (!rc) rc = app_audit_sign_head(&sys, APP_AUDIT_SIGN_EVERY_S, &head_signed, e);
  if (head_signed) (*changed)++;
  rc = app_finish(&sys, rc, e);
  if (rc) *changed = 0;
  /* Unwrapped keys leave the server's cache once past their time, also
   * when nobody asks for them again (app/keycache.h). */
  if (c->env && c->env->key_cache) app_key_cache_expire(c->env->key_cache, c->now);
  return rc;
}
