/* trust_explain.h: which evidence moves a score most now
 * (TRUST-MODEL.md 2, "Explanation").
 *
 * Each item contributes, at `now`, cr = w v d(t) to r and
 * cs = w wneg (1 - v) d(t) to s. Its effect on the score is the
 * leave-one-out change of P: delta = P(r, s) - P(r - cr, s - cs), positive
 * when the item raised P. Items are ranked by |delta| (CHOICE: the model
 * says "by their current decayed contribution to r or s"; |delta| is that
 * contribution weighed by how much r and s each move P right now, so a
 * recent no-show outranks an old one and a mixed item ranks by its net
 * effect; TRUST_RANK_MASS ranks by max(cr, cs) instead). delta is taken
 * before the P_INT cap (an item's weight in the evidence does not depend
 * on the cap).
 *
 * Selection is partial: a bounded heap of k entries over one pass, O(n log k),
 * no allocation, nothing sorted beyond the k kept. Ties break toward the
 * newer item, then the larger source_id, so the answer is deterministic.
 */
#ifndef RAPPORT_TRUST_EXPLAIN_H
#define RAPPORT_TRUST_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "trust/trust_evidence.h"

typedef enum trust_rank {
  TRUST_RANK_IMPACT = 0, /* |delta P| (default) */
  TRUST_RANK_MASS        /* max(cr, cs) */
} trust_rank;

typedef struct trust_contrib {
  size_t index;      /* into the items array */
  int64_t source_id; /* the event */
  double cr, cs;     /* decayed contribution now to r and s */
  double delta;      /* P with the item minus P without it */
  double key;        /* the ranking key */
} trust_contrib;

/* Writes into out[0..k) the at most k valid items about `about` for
 * component c (both sources, t <= now) that move P most at `now`, best first, and
 * returns how many were written. Items whose contribution has decayed to
 * 0 are never listed. */
size_t trust_explain_top(const trust_item *items, size_t n, const trust_settings *cfg,
                         trust_party about, trust_comp c, int64_t now, trust_rank rank, size_t k,
                         trust_contrib *out);

#endif
