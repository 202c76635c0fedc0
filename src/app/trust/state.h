/* state.h: the trust state of a relationship (its stored decayed sums,
 * TRUST-MODEL.md 2-3) as a viewer may see it, and rebuilding the sums from
 * the stored evidence (the operator's `rapport trust recompute`).
 *
 * Pulse evidence about the viewer that is not revealed yet (visible_at in
 * the future) is left out of the state the viewer sees; breaches
 * acknowledged by then cap integrity.
 */
#ifndef RAPPORT_APP_TRUST_STATE_H
#define RAPPORT_APP_TRUST_STATE_H

#include "app/core/core.h"
#include "store/evidence.h"
#include "trust/trust_evidence.h"

/* The relationship's trust state as `viewer` may see it at c->now: the
 * stored sums, less pulse evidence about the viewer not yet revealed. */
rp_rc app_trust_state(app_ctx *c, int64_t rel_id, int64_t viewer, trust_state *out, rp_err *e);


/* Records in st the latest confidentiality breach of each party that was
 * acknowledged by `at`. */
rp_rc app_trust_add_breaches(app_ctx *c, const relationship *r, rp_time at, trust_state *st,
                             rp_err *e);
/* The trust state of r as viewer may see it at c->now (see
 * app_trust_state above), inside the caller's transaction. */
rp_rc app_trust_state_of(app_ctx *c, const relationship *r, int64_t viewer, trust_state *out,
                         rp_err *e);

/* app_trust_state_of for a party viewer of r from rows already read
 * (store/recompute.h): the stored sums, every evidence row of r in id
 * order and its breaches as store_breaches returns them. */
void app_trust_state_of_rows(app_ctx *c, const relationship *r, const trust_state *sums,
                             const store_evidence *items, size_t nitems,
                             const store_breach *breaches, size_t nbreaches, trust_party viewer,
                             trust_state *out);

/* What a rebuild found. */
typedef struct app_trust_recompute_stats {
  int64_t relationships; /* rebuilt */
  int64_t with_evidence; /* of which had evidence */
  int64_t items;         /* evidence items read */
  int64_t without_sums;  /* had evidence but no stored sums (nothing to compare) */
  double max_rel_diff;   /* the largest relative difference from the stored sums */
  int64_t max_diff_rel;  /* the relationship where it was found (0: none) */
  int64_t revalued;      /* goal-review items given their value under the rules in force */
  int64_t pulses_revalued; /* pulse answers read against their rater's own level anew */
  int64_t withdrawn;     /* warnings cleared because the rules in force do not raise them */
} app_trust_recompute_stats;

/* Rebuilds the sums of rel_id from its stored evidence inside the caller's
 * write transaction, adding what it found to *stats (may be NULL). */
rp_rc app_trust_rebuild(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats, rp_err *e);
/* Adds to *stats one rebuild of rel_id from n items, whose stored sums
 * (found: there were some) differed from the rebuilt ones by d. */
void app_trust_count_rebuild(app_trust_recompute_stats *stats, int64_t rel_id, size_t n,
                             bool found, double d);

#endif
