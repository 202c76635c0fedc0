/* rules.h: moving a relationship to the trust rules in force
 * (`rapport trust recompute`, docs/trust-model.md "Calibrated on the
 * program simulator").
 *
 * When the rules change, what is stored was made under the old ones: the
 * value of each goal review's evidence (a function of the review's T
 * score) and of each pulse answer's (read against the rater's own level:
 * app_pulse_levels), the sums built from the evidence, and the warnings
 * open. Moving a relationship re-values its goal-review evidence from the
 * T scores and its pulse evidence from the answers, rebuilds its sums, and refreshes its warnings at c->now; each warning
 * the refresh clears gets a "warning_withdrawn" event by the server
 * (subject: the warning, from_state: its code) whose timeline sentence
 * says that the recalibrated rules do not raise it, unless its party may
 * not see it yet (a pulse's warning before the reveal). The history itself (events, evidence rows,
 * cleared warnings) is kept.
 */
#ifndef RAPPORT_APP_TRUST_RULES_H
#define RAPPORT_APP_TRUST_RULES_H

#include "app/trust/state.h"

/* Refreshes the warnings of rel_id inside the caller's write transaction
 * and records why each one it cleared went: a "warning_withdrawn" event
 * (from_state the code, to_state `why`: NULL for the recalibrated rules,
 * APP_WITHDRAWN_BY_PROGRAM when the program's settings turned it off or
 * changed the terms it was judged by). A warning its party may not see
 * yet (a pulse's, before the reveal) goes without an event: the event
 * would tell them what the pulse said. *withdrawn counts the events. */
rp_rc app_trust_refresh_withdrawing(app_ctx *c, int64_t rel_id, const char *why,
                                    int64_t *withdrawn, rp_err *e);

/* Moves rel_id to the rules in force inside the caller's write
 * transaction, adding what it did to *stats (revalued, withdrawn and what
 * app_trust_rebuild counts). */
rp_rc app_trust_move_to_rules(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats,
                              rp_err *e);

/* Moves every relationship to the rules in force (app_trust_move_to_rules:
 * goal reviews re-valued, sums rebuilt, warnings refreshed), one write
 * transaction each (the operator's `rapport trust recompute`). */
rp_rc app_trust_recompute_all(app_ctx *c, app_trust_recompute_stats *out, rp_err *e);
/* app_trust_recompute_all; *count is how many relationships. */
rp_rc app_trust_recompute(app_ctx *c, int64_t *count, rp_err *e);

#endif
