/* util.h: small pure helpers the trust room shares (app/trust/evidence.c,
 * app/trust/view.c, the recompute command). No I/O, no clock: unit-tested in
 * tests/unit/app/trust/test_util.c.
 */
#ifndef RAPPORT_APP_TRUST_UTIL_H
#define RAPPORT_APP_TRUST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/timeutil.h"
#include "domain/relationship.h"
#include "trust/trust_evidence.h"

/* The engine's settings for a relationship: the defaults of
 * TRUST-MODEL.md (programs do not override them yet). */
trust_settings app_trust_settings(void);

/* The trust party of person_id in r (the guide or the learner); false
 * when they are neither. */
bool app_trust_party_of(const relationship *r, int64_t person_id, trust_party *out);
/* The person who is party p of r. */
int64_t app_trust_person_of(const relationship *r, trust_party p);

/* The stored row (kind 0 behaviour, 1 pulse, 2 fast; store/evidence.h) of
 * st for (about, comp, kind). */
trust_sums *app_trust_sums_row(trust_state *st, int about, int comp, int kind);

/* Bit of row (about, comp, kind) in a 24-bit mask of rows. */
uint32_t app_trust_row_bit(int about, int comp, int kind);

/* The rows an item changes: its source's main row and the fast row. */
uint32_t app_trust_item_rows(const trust_item *it);

/* Takes items[0..n) out of st again (their contributions, decayed as
 * trust_state_add added them), for a viewer who may not see them yet.
 * Sums that rounding would leave a hair below zero are set to zero. */
void app_trust_state_remove(trust_state *st, const trust_settings *cfg, const trust_item *items,
                            size_t n);

/* The leave-one-out effect of item `it` on P of its party and component,
 * as read from st at now (both sources, half-life H): P(r, s) minus P
 * without the item's decayed contribution. Positive when the item raised
 * P; 0 for an item later than now. The same quantity trust_explain_top
 * ranks by (before any INT cap). */
double app_trust_item_delta(const trust_state *st, const trust_settings *cfg, const trust_item *it,
                            int64_t now);

/* The largest relative difference between the sums of a and b over every
 * row, each pair of rows read at the later of their two t_ref:
 * |x - y| / max(|x|, |y|) for r and s (0 where both are 0). */
double app_trust_state_diff(const trust_state *a, const trust_state *b,
                            const trust_settings *cfg);

/* The to_state of a "warning_withdrawn" event whose warning the
 * program's settings withdrew (rules.h; worded in text.c). */
#define APP_WITHDRAWN_BY_PROGRAM "program_settings"

#endif
