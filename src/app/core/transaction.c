/* transaction.c: recording an event and ending a transaction, with the
 * moments at which the rooms above act (core.h, app_moments).
 *
 * The core knows those rooms only through c->env->moments: sealing an
 * event's reason and deriving its trust evidence, refreshing warnings and
 * writing access-log rows before a commit, wiping data keys after the end.
 * Their order is written once, in app/app.c.
 */
#include "app/core/core.h"

#include <assert.h>

rp_rc app_event(app_ctx *c, int64_t rel, const char *kind, int64_t subject, rp_time at,
                const char *from_state, const char *to_state, const char *reason, rp_err *e) {
  assert(c->env && c->env->moments);
  rel_event ev = {0};
  ev.relationship_id = rel;
  ev.kind = kind;
  ev.actor_id = c->actor;
  ev.at = at;
  ev.recorded_at = c->now;
  ev.subject_id = subject;
  ev.from_state = from_state;
  ev.to_state = to_state;
  rp_rc rc = store_event_insert(c->st, &ev, e); /* the reason is sealed into the row */
  return rc ? rc : c->env->moments->event_recorded(c, &ev, reason, e);
}

void app_touch(app_ctx *c, int64_t rel) {
  for (int i = 0; i < c->ntouched; i++)
    if (c->touched[i] == rel) return;
  if (c->ntouched < APP_TOUCHED_MAX) c->touched[c->ntouched++] = rel;
}

rp_rc app_notice_queue(app_ctx *c, const app_notice *n, rp_err *e) {
  assert(c->env && c->env->moments);
  const app_moments *m = c->env->moments;
  return m->noticed ? m->noticed(c, n, e) : RP_OK;
}

rp_rc app_finish(app_ctx *c, rp_rc rc, rp_err *e) {
  assert(c->env && c->env->moments);
  const app_moments *m = c->env->moments;
  if (!rc) rc = m->before_commit(c, e);
  c->ntouched = 0;
  if (rc) {
    store_rollback(c->st);
    m->after_end(c, false);
    return rc;
  }
  rc = store_commit(c->st, e);
  m->after_end(c, rc == RP_OK);
  return rc;
}
