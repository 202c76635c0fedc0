/* commitments.c: adding commitments, recording their outcomes, and the
 * job that breaks those left open past their time. */
#include "app/practices/commitments.h"
#include "app/privacy/privacy.h"

#include <string.h>

/* Due commitments the break job reads per query; it loops until none is
 * left. */
#define BREAK_BATCH 200

static seal_ad text_ad(int64_t rel_id, int64_t id) {
  seal_ad ad = {SEAL_COMMITMENT, rel_id, id, 0, false};
  return ad;
}

/* Opens the text of sc into v->cm and v->text (revisions are left empty). */
static rp_rc open_view(app_ctx *c, const store_commitment *sc, app_commitment_view *v, rp_err *e) {
  memset(v, 0, sizeof *v);
  v->cm = sc->cm;
  seal_ad ad = text_ad(sc->cm.relationship_id, sc->cm.id);
  return app_open(c, &ad, sc->text_ct, &v->text, e);
}

/* Loads commitment id and its relationship when the actor is a party to
 * it; RP_ERR_NOT_FOUND ("No such commitment.") otherwise. */
static rp_rc load_commitment(app_ctx *c, int64_t id, store_commitment *sc, relationship *r,
                             rp_err *e) {
  rp_rc rc = store_commitment_get(c->st, id, c->a, sc, e);
  return app_row_of_party(c, rc, rc ? 0 : sc->cm.relationship_id, "commitment", r, e);
}

rp_rc app_commitment_add(app_ctx *c, int64_t rel_id, int64_t owner_id, const char *text,
                         rp_time due_at, const rp_time *at, app_commitment_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  app_seal_ahead(c, &(seal_ad){.relationship_id = rel_id}); /* its key: no trip of its own */
  relationship r;
  rel_role role;
  rp_time when = c->now;
  size_t len = strlen(text);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  /* The state conflict (commitment_check_new) comes before any complaint about `at`. */
  if (!rc && rel_allows_new_activity(r.state)) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = commitment_check_new(&r, owner_id, len, when, due_at, e);
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->cm.relationship_id = rel_id;
    out->cm.owner_id = owner_id;
    out->cm.created_by = c->actor;
    out->cm.created_at = when;
    out->cm.due_at = due_at;
    out->text = arena_strdup(c->a, text);
    rc = store_commitment_insert(c->st, &out->cm, APP_SEAL_PENDING, e);
  }
  if (!rc) {
    seal_ad ad = text_ad(rel_id, out->cm.id);
    rc = app_seal_row(c, &ad, text, len, NULL, e);
  }
  if (!rc) rc = app_event(c, rel_id, "commitment_added", out->cm.id, when, NULL, NULL, NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_commitment_get(app_ctx *c, int64_t id, app_commitment_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_commitment sc;
  relationship r;
  rc = load_commitment(c, id, &sc, &r, e);
  if (!rc) rc = open_view(c, &sc, out, e);
  if (!rc) rc = store_commitment_revisions(c->st, id, c->a, &out->revs, &out->nrevs, e);
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

/* Hands each view of a page its run of revisions (both sorted by commitment id). */
static void attach_revisions(app_commitment_view *v, size_t n, commitment_revision *revs,
                             size_t nrevs) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    while (k < nrevs && revs[k].commitment_id < v[i].cm.id)
      k++;
    size_t start = k;
    while (k < nrevs && revs[k].commitment_id == v[i].cm.id)
      k++;
    v[i].revs = revs + start;
    v[i].nrevs = k - start;
  }
}

static rp_rc list_page(app_ctx *c, int64_t rel_id, store_commitment_filter filter, int64_t after,
                       int limit, app_commitment_view **items, size_t *n, int64_t *next,
                       rp_err *e) {
  store_commitment *rows;
  commitment_revision *revs = NULL;
  size_t nrevs = 0;
  rp_rc rc = store_commitments_list(c->st, rel_id, filter, after, app_page_limit(limit), c->a,
                                    &rows, n, next, e);
  if (rc) return rc;
  app_commitment_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; i < *n && !rc; i++)
    rc = open_view(c, &rows[i], &v[i], e);
  if (!rc && *n)
    rc = store_commitment_revisions_range(c->st, rel_id, rows[0].cm.id, rows[*n - 1].cm.id, c->a,
                                          &revs, &nrevs, e);
  if (rc) return rc;
  attach_revisions(v, *n, revs, nrevs);
  *items = v;
  return RP_OK;
}

rp_rc app_commitments_list(app_ctx *c, int64_t rel_id, store_commitment_filter filter,
                           int64_t after, int limit, app_commitment_view **items, size_t *n,
                           int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = list_page(c, rel_id, filter, after, limit, items, n, next, e);
  store_rollback(c->st);
  return rc;
}

/* Carries out decision d for the commitment in v at `at`, recording its event. */
static rp_rc apply_decision(app_ctx *c, app_commitment_view *v, const commitment_decision *d,
                            rp_time at, rp_err *e) {
  commitment *cm = &v->cm;
  rp_rc rc;
  if (d->renegotiates) {
    commitment_revision rev = {0, cm->id, at, c->actor, cm->due_at, d->new_due_at};
    rc = store_commitment_renegotiate(c->st, &rev, e);
    if (!rc) cm->due_at = d->new_due_at;
    if (!rc)
      rc = app_event(c, cm->relationship_id, "commitment_renegotiated", cm->id, at, NULL, NULL,
                     NULL, e);
  } else {
    rc = store_commitment_close(c->st, cm->id, d->to, at, c->actor, e);
    if (!rc) {
      cm->state = d->to;
      cm->closed_at = at;
      cm->closed_by = c->actor;
      rc = app_event(c, cm->relationship_id, "commitment_outcome", cm->id, at, NULL, NULL, NULL, e);
    }
  }
  /* Not open any more, or moved meanwhile: another writer got there first. */
  if (rc == RP_ERR_NOT_FOUND)
    rc =
        rp_fail(e, RP_ERR_CONFLICT, "commitment_closed", "This commitment has changed; reload it.");
  return rc;
}

rp_rc app_commitment_outcome(app_ctx *c, int64_t id, commitment_outcome o,
                             const rp_time *new_due_at, const rp_time *at, app_commitment_view *out,
                             rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_COMMITMENT, id, e);
  if (rc) return rc;
  store_commitment sc;
  relationship r;
  commitment_decision d;
  rp_time when = c->now;
  commitment_revision *revs = NULL;
  size_t nrevs = 0;
  rc = load_commitment(c, id, &sc, &r, e);
  if (!rc) rc = store_commitment_revisions(c->st, id, c->a, &revs, &nrevs, e);
  /* The state conflicts (commitment_decide) come before any complaint about
   * `at`; an outcome may not predate the latest renegotiation. */
  if (!rc && rel_allows_outcomes(r.state) && sc.cm.state == COMMITMENT_OPEN)
    rc = nrevs ? app_event_time_since(c, &r, at, revs[nrevs - 1].at,
                                      "the commitment was last renegotiated", &when, e)
               : app_event_time(c, &r, at, &when, e);
  if (!rc) rc = commitment_decide(&r, &sc.cm, o, when, new_due_at, &d, e);
  if (!rc) rc = open_view(c, &sc, out, e);
  if (!rc) rc = apply_decision(c, out, &d, when, e);
  if (!rc) rc = store_commitment_revisions(c->st, id, c->a, &out->revs, &out->nrevs, e);
  return app_finish(c, rc, e);
}

/* ---- the break job ---- */

/* Breaks one commitment if still open; *done tells whether it did. */
static rp_rc break_one(app_ctx *sys, const commitment *cm, bool *done, rp_err *e) {
  rp_time at = commitment_break_time(cm->due_at);
  *done = false;
  rp_rc rc = store_commitment_close(sys->st, cm->id, COMMITMENT_BROKEN, at, 0, e);
  if (rc == RP_ERR_NOT_FOUND) { /* closed since it was read */
    rp_err_reset(e);
    return RP_OK;
  }
  if (!rc)
    rc = app_event(sys, cm->relationship_id, "commitment_broken", cm->id, at, NULL, NULL, NULL, e);
  *done = rc == RP_OK;
  return rc;
}

rp_rc app_commitments_break_due(app_ctx *sys, int *changed, rp_err *e) {
  int64_t after = 0, next = 0;
  do {
    commitment *items;
    size_t n;
    rp_rc rc = store_commitments_open_due(sys->st, commitment_break_cutoff(sys->now), after,
                                          BREAK_BATCH, sys->a, &items, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      bool done = false;
      if (commitment_due_for_break(&items[i], sys->now)) rc = break_one(sys, &items[i], &done, e);
      if (done) (*changed)++;
    }
    if (rc) return rc;
    after = next;
  } while (next);
  return RP_OK;
}
