/* rules.c: moving relationships to the trust rules in force (see
 * rules.h), one by one or all of them (`rapport trust recompute`). */
#include "app/trust/rules.h"
#include "app/trust/evidence.h"
#include "app/trust/util.h"
#include "app/trust/warnings.h"
#include "store/evidence.h"
#include "store/pulses.h"
#include "store/warnings.h"
#include "trust/trust_values.h"

#include <stdbool.h>
#include <string.h>

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

/* Sets each pulse answer's evidence to the value it has read against the
 * rater's own level (app_pulse_levels): one walk over the program's pulse
 * means, whatever the number of the relationship's pulses. */
static rp_rc revalue_pulses(app_ctx *c, int64_t rel_id, int64_t *revalued, rp_err *e) {
  store_pulse_ev *it;
  size_t n;
  rp_rc rc = store_evidence_pulse_items(c->st, rel_id, c->a, &it, &n, e);
  if (rc || n == 0) return rc;
  relationship r;
  store_pulse_mean *rows;
  size_t nrows;
  rc = store_relationship_get(c->st, rel_id, &r, e);
  if (!rc)
    rc = store_program_pulse_means(c->st, r.program_id, it[n - 1].pulse_id, c->a, &rows, &nrows, e);
  if (rc) return rc;
  app_pulse_levels lv;
  app_pulse_levels_init(&lv, &r, rows, nrows);
  pulse p;
  double shift = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    if (i == 0 || it[i].pulse_id != it[i - 1].pulse_id) {
      rc = store_pulse_get(c->st, it[i].pulse_id, &p, e);
      if (rc) break;
      shift = app_pulse_levels_shift(&lv, &p);
    }
    int item = it[i].reason - TRUST_R_PULSE_REL1;
    trust_ev ev[TRUST_EV_MAX];
    if (item < 0 || item >= PULSE_NITEM ||
        !trust_pulse_evidence_shifted((trust_pulse_item)item, p.answers[item], shift, ev) ||
        ev[0].v == it[i].v)
      continue;
    rc = store_evidence_set_value(c->st, it[i].evidence_id, ev[0].v, e);
    (*revalued)++;
  }
  return rc;
}

rp_rc app_trust_refresh_withdrawing(app_ctx *c, int64_t rel_id, const char *why,
                                    int64_t *withdrawn, rp_err *e) {
  store_warning *before, *after;
  size_t nb, na;
  rp_rc rc = store_warning_list_open(c->st, rel_id, c->a, &before, &nb, e);
  if (!rc) rc = app_warnings_refresh(c, rel_id, e);
  if (!rc) rc = store_warning_list_open(c->st, rel_id, c->a, &after, &na, e);
  for (size_t i = 0; i < nb && !rc; i++) {
    bool open = false;
    for (size_t j = 0; j < na && !open; j++) open = after[j].id == before[i].id;
    if (open || before[i].visible_at > c->now) continue;
    rc = app_event(c, rel_id, "warning_withdrawn", before[i].id, c->now, before[i].code, why, NULL,
                   e);
    (*withdrawn)++;
  }
  return rc;
}

rp_rc app_trust_move_to_rules(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats,
                              rp_err *e) {
  int64_t revalued = 0, pulses = 0, withdrawn = 0;
  rp_rc rc = revalue_reviews(c, rel_id, &revalued, e);
  if (!rc) rc = revalue_pulses(c, rel_id, &pulses, e);
  if (!rc) rc = app_trust_rebuild(c, rel_id, stats, e);
  if (!rc) rc = app_trust_refresh_withdrawing(c, rel_id, NULL, &withdrawn, e);
  if (!rc && stats) {
    stats->revalued += revalued;
    stats->pulses_revalued += pulses;
    stats->withdrawn += withdrawn;
  }
  return rc;
}

/* Rebuilds one relationship in its own write transaction. */
static rp_rc rebuild_one(app_ctx *w, int64_t rel_id, app_trust_recompute_stats *out, rp_err *e) {
  rp_rc rc = store_begin_write(w->st, e);
  if (rc) return rc;
  return app_finish(w, app_trust_move_to_rules(w, rel_id, out, e), e);
}

rp_rc app_trust_recompute_all(app_ctx *c, app_trust_recompute_stats *out, rp_err *e) {
  app_ctx w = *c;
  w.ntouched = 0;
  w.a = arena_new(1 << 20);
  memset(out, 0, sizeof *out);
  int64_t after = 0, next = 0;
  /* The sums derive from the evidence: a power cut may lose the latest
   * rebuilt relationships (run it again), so commits need not wait. */
  rp_rc rc = store_set_durable(c->st, false, e);
  while (!rc) {
    int64_t *ids;
    size_t n;
    rc = store_trust_relationships(c->st, after, 1000, c->a, &ids, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      arena_reset(w.a);
      rc = rebuild_one(&w, ids[i], out, e);
    }
    after = next;
    if (!next) break;
  }
  rp_err ignored = {0};
  store_set_durable(c->st, true, &ignored);
  arena_free(w.a);
  return rc;
}

rp_rc app_trust_recompute(app_ctx *c, int64_t *count, rp_err *e) {
  app_trust_recompute_stats s;
  rp_rc rc = app_trust_recompute_all(c, &s, e);
  *count = rc ? 0 : s.relationships;
  return rc;
}
