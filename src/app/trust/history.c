/* history.c: the trust index of a relationship over time (see
 * app_trust_history_get in history.h).
 *
 * The engine is pure: the index at a past time t is trust_score at t of the
 * state rebuilt from the evidence items with t_item <= t (and the breaches
 * acknowledged by t). The items are those the viewer may see now: pulse
 * answers about the viewer that are not revealed yet are left out of every
 * point, as GET .../trust leaves them out. The last point is at c->now and is
 * scored from the stored sums exactly as GET .../trust scores them, so the
 * two agree to the last digit.
 */
#include "store/evidence.h"
#include "app/trust/history.h"
#include "app/trust/state.h"
#include "app/trust/util.h"

#include <string.h>

/* The state of r at `at`: the items up to `at` and the latest breach of
 * each party acknowledged by then. */
static rp_rc state_at(app_ctx *c, const relationship *r, const trust_settings *cfg,
                      const trust_item *items, size_t n, rp_time at, trust_state *st, rp_err *e) {
  memset(st, 0, sizeof *st);
  for (size_t i = 0; i < n; i++)
    if (items[i].t <= at) trust_state_add(st, cfg, &items[i]);
  return app_trust_add_breaches(c, r, at, st, e);
}

static void point_of(const trust_state *st, const trust_settings *cfg, trust_party p, rp_time at,
                     app_trust_point *out) {
  trust_dir_score sc;
  trust_score(st, cfg, p, at, true, &sc);
  double lo = 0, hi = 0;
  for (int k = 0; k < TRUST_NCOMP; k++) {
    lo += sc.comp[k].low;
    hi += sc.comp[k].high;
  }
  out->at = at;
  out->index_value = sc.index;
  out->has_index = sc.label != TRUST_LABEL_NOT_ENOUGH;
  out->index = trust_index_display(sc.index);
  out->label = sc.label;
  out->lower = 100.0 * lo / TRUST_NCOMP;
  out->upper = 100.0 * hi / TRUST_NCOMP;
}

static rp_rc history(app_ctx *c, const relationship *r, size_t np, app_trust_history *out,
                     rp_err *e) {
  trust_settings cfg = app_trust_settings();
  trust_party viewer;
  if (!app_trust_party_of(r, c->actor, &viewer))
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  trust_item *items;
  size_t n;
  rp_rc rc = store_evidence_items(c->st, r->id, (int)viewer, c->now, c->a, &items, &n, e);
  if (rc) return rc;
  out->start = r->proposed_at < c->now ? r->proposed_at : c->now;
  out->end = c->now;
  out->npoints = np;
  for (int p = 0; p < TRUST_NPARTY; p++) {
    out->dir[p].about = (trust_party)p;
    out->dir[p].to_id = app_trust_person_of(r, (trust_party)p);
    out->dir[p].from_id = app_trust_person_of(r, p == TRUST_GUIDE ? TRUST_LEARNER : TRUST_GUIDE);
    out->dir[p].points = arena_zalloc(c->a, sizeof *out->dir[p].points * np);
  }
  int64_t span = out->end - out->start;
  for (size_t i = 0; i < np && !rc; i++) {
    trust_state st;
    rp_time at;
    if (i + 1 == np) {
      at = c->now;
      rc = app_trust_state_of(c, r, c->actor, &st, e); /* what GET .../trust scores */
    } else {
      at = out->start + span * (int64_t)i / (int64_t)(np - 1);
      rc = state_at(c, r, &cfg, items, n, at, &st, e);
    }
    for (int p = 0; p < TRUST_NPARTY && !rc; p++)
      point_of(&st, &cfg, (trust_party)p, at, &out->dir[p].points[i]);
  }
  return rc;
}

rp_rc app_trust_history_get(app_ctx *c, int64_t rel_id, int64_t npoints, app_trust_history *out,
                            rp_err *e) {
  memset(out, 0, sizeof *out);
  out->rel_id = rel_id;
  if (npoints < APP_TRUST_HISTORY_MIN || npoints > APP_TRUST_HISTORY_MAX) {
    rp_field(e, "/points", "Must be an integer from %d to %d.", APP_TRUST_HISTORY_MIN,
             APP_TRUST_HISTORY_MAX);
    return RP_ERR_INVALID;
  }
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = history(c, &r, (size_t)npoints, out, e);
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}
