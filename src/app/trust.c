/* trust.c: the trust state a viewer may see, the trust view and the
 * timeline of a relationship, and rebuilding sums from evidence (see
 * trust.h; the wording is in trust_text.c, the facts it words in
 * trust_facts.c).
 */
#include "app/trust.h"
#include "app/evidence.h"
#include "app/trust_rules.h"
#include "app/trust_facts.h"
#include "app/trust_text.h"
#include "app/trust_util.h"
#include "trust/trust_explain.h"

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

rp_rc app_trust_state(app_ctx *c, int64_t rel_id, int64_t viewer, trust_state *out, rp_err *e) {
  relationship r;
  rp_rc rc = store_relationship_get(c->st, rel_id, &r, e);
  return rc ? rc : app_trust_state_of(c, &r, viewer, out, e);
}

/* ---- the trust view ---- */

/* Explains component k of direction d: the top items with sentences. */
static rp_rc explain_comp(app_ctx *c, app_fact_cache *fc, const trust_item *items, size_t n,
                          const trust_settings *cfg, app_trust_dir *d, trust_comp k,
                          bool viewer_rated, rp_err *e) {
  trust_contrib top[APP_TRUST_TOP];
  app_trust_comp *out = &d->comp[k];
  out->ntop = trust_explain_top(items, n, cfg, d->about, k, c->now, TRUST_RANK_IMPACT,
                                APP_TRUST_TOP, top);
  for (size_t i = 0; i < out->ntop; i++) {
    const trust_item *it = &items[top[i].index];
    const app_fact *f;
    rp_rc rc = app_fact_cached(c, fc, it->source_id, it->t, &f, e);
    if (rc) return rc;
    app_trust_because *b = &out->top[i];
    b->event_id = it->source_id;
    b->at = it->t;
    b->reason = trust_reason_name((trust_reason)it->reason);
    b->sentence = app_text_evidence(c->a, f, (trust_reason)it->reason, viewer_rated);
    b->delta = top[i].delta;
  }
  return RP_OK;
}

/* Scores and explains the direction about party p. */
static rp_rc direction(app_ctx *c, app_fact_cache *fc, const trust_state *st,
                       const trust_item *items, size_t n, trust_party p, app_trust_dir *d,
                       rp_err *e) {
  const relationship *r = fc->rel;
  trust_settings cfg = app_trust_settings();
  memset(d, 0, sizeof *d);
  d->about = p;
  d->to_id = app_trust_person_of(r, p);
  d->from_id = app_trust_person_of(r, p == TRUST_GUIDE ? TRUST_LEARNER : TRUST_GUIDE);
  trust_score(st, &cfg, p, c->now, true, &d->score);
  d->has_index = d->score.label != TRUST_LABEL_NOT_ENOUGH;
  d->index = trust_index_display(d->score.index);
  rp_rc rc = RP_OK;
  for (int k = 0; k < TRUST_NCOMP && !rc; k++) {
    d->comp[k].score = d->score.comp[k];
    rc = explain_comp(c, fc, items, n, &cfg, d, (trust_comp)k, d->to_id == c->actor, e);
  }
  return rc;
}

static rp_rc view(app_ctx *c, const relationship *r, app_trust_view *out, rp_err *e) {
  trust_state st;
  trust_item *items;
  size_t n;
  app_fact_cache fc;
  app_fact_cache_init(&fc, r, c->actor);
  memset(out, 0, sizeof *out);
  out->rel_id = r->id;
  out->now = c->now;
  if (!app_trust_party_of(r, c->actor, &out->viewer))
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  rp_rc rc = store_trust_seq(c->st, r->id, &out->seq, e);
  if (!rc)
    rc = store_trust_next_reveal(c->st, r->id, out->viewer, c->actor, c->now, &out->next_reveal, e);
  if (!rc) rc = app_trust_state_of(c, r, c->actor, &st, e);
  if (!rc) rc = store_evidence_items(c->st, r->id, out->viewer, c->now, c->a, &items, &n, e);
  for (int p = 0; p < TRUST_NPARTY && !rc; p++)
    rc = direction(c, &fc, &st, items, n, (trust_party)p, &out->dir[p], e);
  if (!rc) rc = app_warnings_visible(c, r, c->actor, &out->warnings, &out->nwarnings, e);
  return rc;
}

rp_rc app_trust_get(app_ctx *c, int64_t rel_id, app_trust_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = view(c, &r, out, e);
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

rp_rc app_trust_stamp(app_ctx *c, int64_t rel_id, int64_t *seq, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = store_trust_seq(c->st, rel_id, seq, e);
  store_rollback(c->st);
  return rc;
}

/* ---- the timeline ---- */

/* Hands each item of a page its evidence (ev sorted by event id), leaving
 * out pulse items about the viewer not revealed yet. */
static void attach_evidence(app_ctx *c, const trust_state *st, trust_party viewer,
                            app_timeline_item *items, size_t n, const store_evidence *ev,
                            size_t nev) {
  trust_settings cfg = app_trust_settings();
  for (size_t i = 0; i < n; i++) {
    app_timeline_item *t = &items[i];
    t->evidence = arena_alloc(c->a, sizeof *t->evidence * (nev ? nev : 1));
    for (size_t k = 0; k < nev; k++) {
      const trust_item *it = &ev[k].item;
      if (it->source_id != t->ev.id) continue;
      if (it->source == TRUST_SRC_PULSE && it->about == viewer && ev[k].visible_at > c->now)
        continue;
      app_timeline_evidence *o = &t->evidence[t->nevidence++];
      o->comp = (trust_comp)it->comp;
      o->about = (trust_party)it->about;
      o->delta = app_trust_item_delta(st, &cfg, it, c->now);
    }
  }
}

static rp_rc timeline(app_ctx *c, const relationship *r, int64_t after, int limit,
                      app_timeline_item **items, size_t *n, int64_t *next, rp_err *e) {
  rel_event *evs;
  store_evidence *ev = NULL;
  size_t nev = 0;
  trust_state st;
  trust_party viewer;
  app_fact_cache fc;
  app_fact_cache_init(&fc, r, c->actor);
  if (!app_trust_party_of(r, c->actor, &viewer))
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  rp_rc rc = store_events_newest(c->st, r->id, c->actor, after, app_page_limit(limit), c->a,
                                 &evs, n, next, e);
  if (!rc) rc = app_trust_state_of(c, r, c->actor, &st, e);
  if (rc) return rc;
  app_timeline_item *out = arena_zalloc(c->a, sizeof *out * (*n ? *n : 1));
  int64_t lo = INT64_MAX, hi = 0;
  for (size_t i = 0; i < *n && !rc; i++) {
    const app_fact *f;
    out[i].ev = evs[i];
    lo = evs[i].id < lo ? evs[i].id : lo;
    hi = evs[i].id > hi ? evs[i].id : hi;
    rc = app_fact_of_event(c, &fc, &evs[i], &f, e);
    if (!rc) out[i].sentence = app_text_event(c->a, f);
    out[i].celebration = app_text_is_celebration(evs[i].kind);
  }
  if (!rc && *n) rc = store_evidence_of_events(c->st, r->id, lo, hi, c->a, &ev, &nev, e);
  if (!rc) attach_evidence(c, &st, viewer, out, *n, ev, nev);
  *items = out;
  return rc;
}

rp_rc app_trust_timeline(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                         app_timeline_item **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  *n = 0;
  *next = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = timeline(c, &r, after, limit, items, n, next, e);
  store_rollback(c->st);
  return rc;
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
  if (rc || !stats) return rc;
  stats->relationships++;
  stats->items += (int64_t)n;
  if (n) stats->with_evidence++;
  if (n && !found) stats->without_sums++;
  if (found && (d > stats->max_rel_diff || stats->max_diff_rel == 0)) {
    stats->max_rel_diff = d;
    stats->max_diff_rel = rel_id;
  }
  return RP_OK;
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
  rp_rc rc = store_trust_durable(c->st, false, e);
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
  store_trust_durable(c->st, true, &ignored);
  arena_free(w.a);
  return rc;
}

rp_rc app_trust_recompute(app_ctx *c, int64_t *count, rp_err *e) {
  app_trust_recompute_stats s;
  rp_rc rc = app_trust_recompute_all(c, &s, e);
  *count = rc ? 0 : s.relationships;
  return rc;
}
