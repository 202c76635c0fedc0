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
 * goal reviews re-valued, sums rebuilt, warnings refreshed), the operator's
 * `rapport trust recompute`. Relationships go in runs of consecutive ids,
 * one write transaction each, whose rows are read and written many at a
 * time (store/recompute.h) with the same results as one by one. */
rp_rc app_trust_recompute_all(app_ctx *c, app_trust_recompute_stats *out, rp_err *e);
/* The same with runs shared among c->st and the nmore further connections
 * `more` to the same database (a thread each; PostgreSQL: runs on
 * different connections go on at once, store_begin_rebuild). Warnings,
 * sums and events come out as with one connection; only the order in
 * which rows got their ids may differ. */
rp_rc app_trust_recompute_on(app_ctx *c, store **more, size_t nmore,
                             app_trust_recompute_stats *out, rp_err *e);
/* The reference app_trust_recompute_all is checked against: each
 * relationship moved with app_trust_move_to_rules in its own write
 * transaction, reading its own rows. */
rp_rc app_trust_recompute_one_by_one(app_ctx *c, app_trust_recompute_stats *out, rp_err *e);
/* app_trust_recompute_all; *count is how many relationships. */
rp_rc app_trust_recompute(app_ctx *c, int64_t *count, rp_err *e);

#endif
