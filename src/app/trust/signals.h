/* signals.h: the pulse signals of a relationship that its warnings read
 * (SAFETY_DOUBT, PULSE_DROP; TRUST-MODEL.md 4).
 */
#ifndef RAPPORT_APP_TRUST_SIGNALS_H
#define RAPPORT_APP_TRUST_SIGNALS_H

#include "app/core/core.h"
#include "domain/pulse.h"
#include "store/pulses.h"
#include "trust/trust_evidence.h"

/* What the warnings need to know about one rater's pulses, for
 * SAFETY_DOUBT and PULSE_DROP (trust/trust_warn.h). */
typedef struct app_pulse_rater {
  int64_t rater_id, ratee_id;
  size_t npulses;         /* 0..3: how many of latest/prev/prev2 are set */
  pulse latest;           /* the rater's latest pulse (by answered_at, then id) */
  pulse prev;             /* the one before it, when npulses >= 2 */
  pulse prev2;            /* the one before that, when npulses == 3 */
  bool cusum_alarm;       /* the rater's CUSUM alarmed at `latest` */
  double cusum_s;         /* the CUSUM statistic after the latest pulse counted */
  rp_time cusum_alarm_at; /* answered_at of the pulse of the last alarm, 0 if none */
  bool safety_doubt;      /* trust_warn_safety_doubt on prev, latest (default settings) */
  bool reliable_drop;     /* trust_warn_reliable_drop on prev, prev2, latest */
  bool pulse_drop;        /* trust_warn_pulse_drop on prev, prev2, latest, cusum_alarm */
} app_pulse_rater;

/* The pulse signals of relationship r, indexed by the party RATED
 * (trust_party, as trust_state is): out[TRUST_GUIDE] is the learner's
 * pulses about the guide, out[TRUST_LEARNER] the guide's about the
 * learner. Reads inside the caller's open transaction (it begins none):
 * safe to call from app_warnings_refresh. No authorisation: the caller
 * has already decided who may see what.
 *
 * How to use it: PULSE_DROP "fired" for out[p] when out[p].pulse_drop;
 * it fired at out[p].latest.answered_at (that is the "since" of a new
 * warning; a warning already open keeps its own since) and raised by that
 * pulse it may be shown to the rated party from out[p].latest.revealed_at
 * (at once to the rater). SAFETY_DOUBT likewise from out[p].safety_doubt
 * with the same times. revealed_at can move earlier when the rated party
 * answers, so read it on every refresh. A drop lasts until the rater's
 * next pulse, which either fires again or clears it. */
rp_rc app_pulse_raters(app_ctx *c, const relationship *r, app_pulse_rater out[TRUST_NPARTY],
                       rp_err *e);
/* The same from pulses already read: pulses[p][0..npulses[p]) are the
 * latest pulses (newest first) of the rater who rates party p, cusum[p]
 * that rater's CUSUM state (store/recompute.h). Always RP_OK. */
rp_rc app_pulse_raters_from(const relationship *r, const pulse pulses[TRUST_NPARTY][3],
                            const size_t npulses[TRUST_NPARTY],
                            const store_pulse_cusum cusum[TRUST_NPARTY],
                            app_pulse_rater out[TRUST_NPARTY]);

#endif
