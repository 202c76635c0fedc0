/* pulses.h: pulse surveys, incidents and repair plans (TRUST-MODEL.md 3.6,
 * 3.7, 5). */
#ifndef RAPPORT_APP_PULSES_H
#define RAPPORT_APP_PULSES_H

#include "app/app.h"

/* The evidence of a "pulse_answered" event (called by app_evidence_for_event). */
rp_rc app_evidence_pulse(app_ctx *c, const rel_event *ev, rp_err *e);
/* The evidence of "incident_acknowledged", "repair_acknowledged" and
 * "repair_amends_agreed" events. */
rp_rc app_evidence_incident(app_ctx *c, const rel_event *ev, rp_err *e);

#endif
