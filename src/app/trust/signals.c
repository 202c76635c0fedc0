/* signals.c: what the warnings need to know about each rater's pulses
 * (see signals.h): the latest two pulses, the CUSUM state kept by the
 * pulses (app/practices/pulses.c) and the SAFETY_DOUBT and PULSE_DROP
 * rules of trust/trust_warn.h applied to them.
 */
#include "app/trust/signals.h"
#include "app/trust/util.h"
#include "store/pulses.h"
#include "trust/trust_warn.h"

#include <string.h>

/* The signals of the rater about party `about` from their latest pulses
 * (three[0..npulses), newest first) and CUSUM state. */
static void rater_from(const relationship *r, trust_party about, const pulse three[3],
                       size_t npulses, const store_pulse_cusum *cs, app_pulse_rater *out) {
  memset(out, 0, sizeof *out);
  out->ratee_id = app_trust_person_of(r, about);
  out->rater_id = out->ratee_id == r->guide_id ? r->learner_id : r->guide_id;
  out->npulses = npulses;
  if (!out->npulses) return;
  out->latest = three[0];
  if (out->npulses >= 2) out->prev = three[1];
  if (out->npulses == 3) out->prev2 = three[2];
  out->cusum_s = cs->s;
  out->cusum_alarm_at = cs->alarm_at;
  out->cusum_alarm = cs->alarm_at != 0 && cs->alarm_at == out->latest.answered_at;
  trust_warn_settings w = trust_warn_default();
  const int *prev = out->npulses >= 2 ? out->prev.answers : NULL;
  const int *prev2 = out->npulses == 3 ? out->prev2.answers : NULL;
  out->safety_doubt =
      trust_warn_safety_doubt(&w, prev, prev2, out->latest.answers) != TRUST_SEV_NONE;
  out->reliable_drop = trust_warn_reliable_drop(&w, prev, prev2, out->latest.answers);
  out->pulse_drop = trust_warn_pulse_drop(&w, prev, prev2, out->latest.answers,
                                          out->cusum_alarm) != TRUST_SEV_NONE;
}

static rp_rc rater_signals(app_ctx *c, const relationship *r, trust_party about,
                           app_pulse_rater *out, rp_err *e) {
  pulse three[3];
  store_pulse_cusum cs;
  size_t n = 0;
  int64_t ratee = app_trust_person_of(r, about);
  int64_t rater = ratee == r->guide_id ? r->learner_id : r->guide_id;
  rp_rc rc = store_pulses_latest(c->st, r->id, rater, three, &n, e);
  if (!rc) rc = store_pulse_cusum_get(c->st, r->id, rater, &cs, e);
  if (rc) return rc;
  rater_from(r, about, three, n, &cs, out);
  return RP_OK;
}

rp_rc app_pulse_raters(app_ctx *c, const relationship *r, app_pulse_rater out[TRUST_NPARTY],
                       rp_err *e) {
  rp_rc rc = rater_signals(c, r, TRUST_GUIDE, &out[TRUST_GUIDE], e);
  if (!rc) rc = rater_signals(c, r, TRUST_LEARNER, &out[TRUST_LEARNER], e);
  return rc;
}

rp_rc app_pulse_raters_from(const relationship *r, const pulse pulses[TRUST_NPARTY][3],
                            const size_t npulses[TRUST_NPARTY],
                            const store_pulse_cusum cusum[TRUST_NPARTY],
                            app_pulse_rater out[TRUST_NPARTY]) {
  for (int p = 0; p < TRUST_NPARTY; p++)
    rater_from(r, (trust_party)p, pulses[p], npulses[p], &cusum[p], &out[p]);
  return RP_OK;
}
