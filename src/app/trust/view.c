/* view.c: the trust view and the timeline of a relationship (see
 * view.h; the wording is in text.c, the facts it words in facts.c, the
 * state it reads in state.c).
 */
#include "app/trust/view.h"
#include "app/trust/facts.h"
#include "app/trust/state.h"
#include "app/trust/text.h"
#include "app/trust/util.h"
#include "app/people/people.h"
#include "trust/trust_explain.h"

#include <string.h>

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
  if (c->session_unchecked) { /* the session, read with the relationship */
    store_signed_in who;
    unsigned char key[32];
    app_session_key(c, key);
    rc = store_relationship_get_seq_as(c->st, key, rel_id, &who, &r, seq, e);
    rc = app_session_admit(c, rc, &who, "relationship", e);
    /* a party or no one: whether an admin is not asked */
    if (!rc) rc = app_rel_admit_as(c, &r, APP_NEED_PARTY, false, &role, e);
  } else {
    rc = store_relationship_get_seq(c->st, rel_id, &r, seq, e);
    if (!rc) rc = app_rel_admit(c, &r, APP_NEED_PARTY, &role, e);
  }
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
