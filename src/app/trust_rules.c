/* trust_rules.c: see trust_rules.h. */
#include "app/trust_rules.h"
#include "app/warnings.h"
#include "store/evidence.h"
#include "store/warnings.h"
#include "trust/trust_values.h"

#include <stdbool.h>

/* Sets each goal review's evidence to the value its T score has now. */
static rp_rc revalue_reviews(app_ctx *c, int64_t rel_id, int64_t *revalued, rp_err *e) {
  store_review_item *it;
  size_t n;
  rp_rc rc = store_evidence_goal_reviews(c->st, rel_id, c->a, &it, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    trust_ev ev[TRUST_EV_MAX];
    if (!trust_goal_review_evidence(it[i].t_score, ev) || ev[0].v == it[i].v) continue;
    rc = store_evidence_set_value(c->st, it[i].evidence_id, ev[0].v, e);
    (*revalued)++;
  }
  return rc;
}

/* Refreshes the warnings of rel_id and records why each it cleared went.
 * A warning its party may not see yet (a pulse's, before the reveal) goes
 * without an event: the event would tell them what the pulse said. */
static rp_rc withdraw_cleared(app_ctx *c, int64_t rel_id, int64_t *withdrawn, rp_err *e) {
  store_warning *before, *after;
  size_t nb, na;
  rp_rc rc = store_warning_list_open(c->st, rel_id, c->a, &before, &nb, e);
  if (!rc) rc = app_warnings_refresh(c, rel_id, e);
  if (!rc) rc = store_warning_list_open(c->st, rel_id, c->a, &after, &na, e);
  for (size_t i = 0; i < nb && !rc; i++) {
    bool open = false;
    for (size_t j = 0; j < na && !open; j++) open = after[j].id == before[i].id;
    if (open || before[i].visible_at > c->now) continue;
    rc = app_event(c, rel_id, "warning_withdrawn", before[i].id, c->now, before[i].code, NULL, NULL,
                   e);
    (*withdrawn)++;
  }
  return rc;
}

rp_rc app_trust_move_to_rules(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats,
                              rp_err *e) {
  int64_t revalued = 0, withdrawn = 0;
  rp_rc rc = revalue_reviews(c, rel_id, &revalued, e);
  if (!rc) rc = app_trust_rebuild(c, rel_id, stats, e);
  if (!rc) rc = withdraw_cleared(c, rel_id, &withdrawn, e);
  if (!rc && stats) {
    stats->revalued += revalued;
    stats->withdrawn += withdrawn;
  }
  return rc;
}
