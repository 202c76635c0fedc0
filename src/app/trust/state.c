/* state.c: the trust state of a relationship as a viewer may see it, and
 * rebuilding its stored sums from the evidence (see state.h).
 */
#include "app/trust/state.h"
#include "app/trust/util.h"

#include <string.h>

/* ---- the state a viewer may see ---- */

rp_rc app_trust_add_breaches(app_ctx *c, const relationship *r, rp_time at, trust_state *st,
                             rp_err *e) {
  store_breach b[2];
  size_t n = 0;
  rp_rc rc = store_breaches(c->st, r->id, at, b, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    trust_party p;
    if (app_trust_party_of(r, b[i].concerning_id, &p)) trust_state_breach(st, p, b[i].at);
  }
  return rc;
}

rp_rc app_trust_state_of(app_ctx *c, const relationship *r, int64_t viewer, trust_state *out,
                         rp_err *e) {
  trust_settings cfg = app_trust_settings();
  trust_party vp;
  bool found;
  rp_rc rc = store_trust_sums_load(c->st, r->id, out, &found, e);
  if (!rc && app_trust_party_of(r, viewer, &vp)) {
    trust_item *items;
    size_t n;
    rc = store_evidence_unrevealed(c->st, r->id, vp, c->now, c->a, &items, &n, e);
    if (!rc) app_trust_state_remove(out, &cfg, items, n);
  }
  if (!rc) rc = app_trust_add_breaches(c, r, c->now, out, e);
  return rc;
}

void app_trust_state_of_rows(app_ctx *c, const relationship *r, const trust_state *sums,
                             const store_evidence *items, size_t nitems,
                             const store_breach *breaches, size_t nbreaches, trust_party viewer,
                             trust_state *out) {
  trust_settings cfg = app_trust_settings();
  memset(out, 0, sizeof *out); /* as store_trust_sums_load reads the stored rows */
  memcpy(out->main, sums->main, sizeof out->main);
  memcpy(out->fast, sums->fast, sizeof out->fast);
  size_t n = 0;
  for (size_t i = 0; i < nitems; i++)
    n += items[i].visible_at > c->now && items[i].item.source == TRUST_SRC_PULSE &&
         items[i].item.about == viewer;
  if (n) {
    trust_item *hidden = arena_alloc(c->a, sizeof *hidden * n);
    size_t k = 0;
    for (size_t i = 0; i < nitems; i++)
      if (items[i].visible_at > c->now && items[i].item.source == TRUST_SRC_PULSE &&
          items[i].item.about == viewer)
        hidden[k++] = items[i].item;
    app_trust_state_remove(out, &cfg, hidden, n);
  }
  for (size_t i = 0; i < nbreaches; i++) {
    trust_party p;
    if (app_trust_party_of(r, breaches[i].concerning_id, &p))
      trust_state_breach(out, p, breaches[i].at);
  }
}

rp_rc app_trust_state(app_ctx *c, int64_t rel_id, int64_t viewer, trust_state *out, rp_err *e) {
  relationship r;
  rp_rc rc = store_relationship_get(c->st, rel_id, &r, e);
  return rc ? rc : app_trust_state_of(c, &r, viewer, out, e);
}

/* ---- rebuilding the sums ---- */

/* Replaces the stored rows of rel_id by those of st. */
static rp_rc save_state(app_ctx *c, int64_t rel_id, trust_state *st, rp_err *e) {
  rp_rc rc = store_trust_sums_clear(c->st, rel_id, e);
  for (int p = 0; p < TRUST_NPARTY && !rc; p++)
    for (int k = 0; k < TRUST_NCOMP && !rc; k++)
      for (int kind = 0; kind < 3 && !rc; kind++) {
        const trust_sums *x = app_trust_sums_row(st, p, k, kind);
        if (x->r != 0 || x->s != 0 || x->t_ref != 0)
          rc = store_trust_sums_put(c->st, rel_id, p, k, kind, x, e);
      }
  return rc;
}

rp_rc app_trust_rebuild(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats, rp_err *e) {
  trust_settings cfg = app_trust_settings();
  trust_state old, fresh;
  trust_item *items;
  size_t n;
  bool found;
  rp_rc rc = store_trust_sums_load(c->st, rel_id, &old, &found, e);
  if (!rc) rc = store_evidence_items(c->st, rel_id, -1, 0, c->a, &items, &n, e);
  if (rc) return rc;
  memset(&fresh, 0, sizeof fresh);
  trust_state_rebuild(&fresh, &cfg, items, n);
  double d = found ? app_trust_state_diff(&old, &fresh, &cfg) : (n ? 1.0 : 0.0);
  rc = save_state(c, rel_id, &fresh, e);
  if (!rc && d > 0) rc = store_trust_seq_bump(c->st, rel_id, e); /* views read before are stale */
  if (!rc && stats) app_trust_count_rebuild(stats, rel_id, n, found, d);
  return rc;
}

void app_trust_count_rebuild(app_trust_recompute_stats *stats, int64_t rel_id, size_t n,
                             bool found, double d) {
  stats->relationships++;
  stats->items += (int64_t)n;
  if (n) stats->with_evidence++;
  if (n && !found) stats->without_sums++;
  if (found && (d > stats->max_rel_diff || stats->max_diff_rel == 0)) {
    stats->max_rel_diff = d;
    stats->max_diff_rel = rel_id;
  }
}
