/* evidence.h: turning events into trust evidence (TRUST-MODEL.md 2-3).
 *
 * Every event app_event() records reaches app_evidence_for_event through
 * the core's event_recorded moment (app/app.c), inside the action's
 * transaction: the evidence rows and the
 * relationship's decayed sums change atomically with the event. Events
 * that carry no evidence are ignored.
 */
#ifndef RAPPORT_APP_TRUST_EVIDENCE_H
#define RAPPORT_APP_TRUST_EVIDENCE_H

#include "app/core/core.h"
#include "domain/pulse.h"
#include "store/pulses.h"
#include "trust/trust_evidence.h"

/* Derives and records the evidence of ev (already inserted, ev->id set). */
rp_rc app_evidence_for_event(app_ctx *c, const rel_event *ev, rp_err *e);

/* Stores items (each stamped with its event) and adds them to the sums.
 * visible_at is when the rated party may see their effect (0: at once). */
rp_rc app_evidence_add(app_ctx *c, int64_t rel_id, const trust_item *items, size_t n,
                       rp_time visible_at, rp_err *e);

/* What a pulse is read against (trust_pulse_rater_shift): walking the
 * program's pulse means in the order they were recorded
 * (store_program_pulse_means), the program's sum and count and those of
 * each of the relationship's two raters, over the pulses recorded before
 * the one asked about. The live path and `rapport trust recompute` both
 * read through it, so they sum in the same order and agree to the bit. */
typedef struct app_pulse_levels {
  const store_pulse_mean *rows;
  size_t n, next;
  int64_t rel_id, rater_id[2]; /* guide, learner */
  double program_sum, rater_sum[2];
  size_t program_n, rater_n[2];
} app_pulse_levels;

void app_pulse_levels_init(app_pulse_levels *lv, const relationship *r,
                           const store_pulse_mean *rows, size_t n);
/* The shift of pulse p (of lv's relationship); pulses asked about in
 * increasing id order. */
double app_pulse_levels_shift(app_pulse_levels *lv, const pulse *p);
/* The same where lv was given only the relationship's own rows and the
 * program's count and sum before p come from the caller (summed in id
 * order, as app_pulse_levels_shift sums them). */
double app_pulse_levels_shift_given(app_pulse_levels *lv, const pulse *p, size_t program_n,
                                    double program_sum);

/* The request_unanswered job (app_jobs_run): every open request whose
 * reply window R has passed three times without a reply gets, once, a
 * "request_unanswered" event by the server dated created + 3R, with its
 * evidence. Runs inside the caller's write transaction; *changed counts
 * the requests recorded. */
rp_rc app_evidence_unanswered_job(app_ctx *sys, int *changed, rp_err *e);

#endif
