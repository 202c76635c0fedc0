/* pulses.c: answering pulses, the double-blind reveal, the CUSUM state
 * and the schedule (see pulses.h; the warnings read the pulses through
 * app/trust/signals.c).
 * Incidents and repair plans are in incidents.c.
 *
 * Design note. A pulse is stored with its revealed_at already decided
 * (domain/pulse.h): the earlier of seven days later and the first pulse
 * the ratee answered about the rater at or after it. When a pulse arrives
 * it also reveals, at its own time, the ratee's earlier unrevealed pulses
 * about the rater, moving both their revealed_at and the visible_at of
 * their evidence rows, in the same transaction; the trust wiring hides
 * from a viewer the pulse evidence about them whose visible_at is still to
 * come (app_trust_state), so the score the ratee reads does not move the
 * minute the rater answers.
 *
 * CUSUM (TRUST-MODEL.md 4): per rater and relationship, pulse_cusum keeps
 * n, the sum of the first min(n, 3) pulse means, S and the time of the
 * last alarm. Each pulse that answers at least one item is one step, in
 * the order pulses arrive (a sequential monitor judges what it has seen;
 * history entered later with an earlier `at` is a step when it arrives):
 *
 *   mu = (first_sum + 2 * program_mean) / (min(n, 3) + 2)
 *   z  = (mean - mu) / 0.8,    S = max(0, S - z - 0.5), alarm at S >= 5
 *
 * program_mean is the mean of the program's other pulse means once it has
 * PROGRAM_MEAN_MIN of them; before that the scale's midpoint 3, the answer
 * that maps to v = 0.5, the same neutral point as the engine's base rate.
 * sigma is the fixed 0.8 (the pooled SD needs 30 raters with three pulses,
 * which the first programs will not have).
 */
#include "app/practices/pulses.h"
#include "app/trust/trust.h"
#include "store/pulses.h"
#include "trust/trust_change.h"
#include "trust/trust_warn.h"

#include <string.h>

/* Pulses a program needs before its mean replaces the neutral midpoint. */
#define PROGRAM_MEAN_MIN 10
#define NEUTRAL_MEAN 3.0

/* ---- answering ---- */

/* One CUSUM step for the rater of p (a pulse with no answered item is
 * none). */
static rp_rc cusum_step(app_ctx *c, const relationship *r, const pulse *p, rp_err *e) {
  double mean = 0, program_mean = NEUTRAL_MEAN, pm = 0;
  int64_t npm = 0;
  if (!trust_pulse_mean(p->answers, &mean)) return RP_OK;
  store_pulse_cusum cs;
  rp_rc rc = store_pulse_cusum_get(c->st, r->id, p->rater_id, &cs, e);
  if (!rc) rc = store_program_pulse_mean(c->st, r->program_id, p->id, &npm, &pm, e);
  if (rc) return rc;
  if (npm >= PROGRAM_MEAN_MIN) program_mean = pm;
  trust_cusum_settings cfg = trust_cusum_default();
  trust_cusum_state st = {(size_t)cs.n, cs.first_sum, cs.s};
  if (trust_cusum_feed(&cfg, &st, mean, program_mean, cfg.sigma)) cs.alarm_at = p->answered_at;
  cs.n = (int64_t)st.n;
  cs.first_sum = st.first_sum;
  cs.s = st.s;
  return store_pulse_cusum_put(c->st, r->id, p->rater_id, &cs, e);
}

/* Stores p (answered_at set) with its reveal time, and reveals the ratee's
 * earlier pulses about the rater. */
static rp_rc store_with_reveal(app_ctx *c, pulse *p, rp_err *e) {
  bool counter = false;
  rp_time counter_at = 0;
  int64_t revealed = 0;
  rp_rc rc = store_pulse_first_since(c->st, p->relationship_id, p->ratee_id, p->answered_at,
                                     &counter, &counter_at, e);
  if (rc) return rc;
  p->revealed_at = pulse_reveal_time(p->answered_at, counter, counter_at);
  rc = store_pulse_insert(c->st, p, e);
  if (!rc)
    rc = store_pulses_reveal(c->st, p->relationship_id, p->ratee_id, p->answered_at, &revealed, e);
  return rc;
}

rp_rc app_pulse_answer(app_ctx *c, int64_t rel_id, const int answers[PULSE_NITEM], int overall,
                       const rp_time *at, pulse *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  pulse p;
  memset(&p, 0, sizeof p);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = pulse_check_allowed(&r, c->actor, e);
  if (!rc) rc = app_event_time(c, &r, at, &p.answered_at, e);
  if (!rc) {
    p.relationship_id = rel_id;
    p.rater_id = c->actor;
    p.ratee_id = rel_other_party(&r, role);
    memcpy(p.answers, answers, sizeof p.answers);
    p.overall = overall;
    rc = pulse_check(&p, e);
  }
  if (!rc) rc = store_with_reveal(c, &p, e);
  if (!rc) rc = cusum_step(c, &r, &p, e);
  if (!rc) rc = app_event(c, rel_id, "pulse_answered", p.id, p.answered_at, NULL, NULL, NULL, e);
  if (!rc) *out = p;
  return app_finish(c, rc, e);
}

rp_rc app_pulses_mine(app_ctx *c, int64_t rel_id, int64_t after, int limit, pulse **items,
                      size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_pulses_by_rater(c->st, rel_id, c->actor, after, app_page_limit(limit), c->a, items,
                               n, next, e);
  store_rollback(c->st);
  return rc;
}

/* ---- the schedule ---- */

static rp_rc schedule_of(app_ctx *c, const relationship *r, app_pulse_schedule *out, rp_err *e) {
  bool active = false, nth = false;
  rp_time active_at = r->state_since, nth_at = 0;
  program prog;
  rp_rc rc = store_rel_active_since(c->st, r->id, &active, &active_at, e);
  if (!rc) rc = store_program_get(c->st, r->program_id, c->a, &prog, e);
  if (rc) return rc;
  if (!active) active_at = r->state_since;
  rp_time since = out->has_last && out->last_at > active_at ? out->last_at : active_at;
  rc = store_checkin_nth_held_after(c->st, r->id, since, PULSE_EVERY_CHECKINS, &nth, &nth_at, e);
  if (rc) return rc;
  pulse_schedule_at(since, prog.settings.pulse_every_days, nth, nth_at, c->now, &out->sched);
  out->scheduled = true;
  return RP_OK;
}

rp_rc app_pulse_schedule_of(app_ctx *c, const relationship *r, int64_t person_id,
                            app_pulse_schedule *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_pulse_last_at(c->st, r->id, person_id, &out->has_last, &out->last_at, e);
  if (!rc && r->state == REL_ACTIVE) rc = schedule_of(c, r, out, e);
  return rc;
}

rp_rc app_pulse_schedule_get(app_ctx *c, int64_t rel_id, app_pulse_schedule *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  memset(out, 0, sizeof *out);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = app_pulse_schedule_of(c, &r, c->actor, out, e);
  store_rollback(c->st);
  return rc;
}
