/* exchanges.c: requests and replies between the parties, and feedback. */
#include "app/practices/exchanges.h"
#include "app/privacy/privacy.h"
#include "crypto/seal.h"

#include <string.h>

static rp_rc state_conflict(const relationship *r, rp_err *e) {
  return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                 "The relationship is %s: this cannot be done now.", rel_state_name(r->state));
}

/* ---- requests and replies ---- */

/* Opens a stored request's texts for a party. */
static rp_rc request_view(app_ctx *c, const store_request *sq, app_request_view *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->q = sq->q;
  seal_ad ad = {SEAL_REQUEST, sq->q.relationship_id, sq->q.id, sq->q.requester_id, false};
  rp_rc rc = app_open(c, &ad, sq->text, &out->text, e);
  if (!rc && sq->q.replied_at) {
    seal_ad rad = {SEAL_REPLY, sq->q.relationship_id, sq->q.id, sq->q.responder_id, false};
    rc = app_open(c, &rad, sq->reply, &out->reply, e);
  }
  return rc;
}

/* Loads request id and its relationship for a party; anything else the
 * caller may not see is "No such request.". */
static rp_rc load_request(app_ctx *c, int64_t id, store_request *sq, relationship *r, rp_err *e) {
  rp_rc rc = store_request_get(c->st, id, c->a, sq, e);
  return app_row_of_party(c, rc, rc ? 0 : sq->q.relationship_id, "request", r, e);
}

rp_rc app_request_make(app_ctx *c, int64_t rel_id, const char *text, const rp_time *at,
                       app_request_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  app_seal_ahead(c, &(seal_ad){.relationship_id = rel_id}); /* its key: no trip of its own */
  relationship r;
  rel_role role;
  rp_time when = c->now;
  memset(out, 0, sizeof *out);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc && !rel_allows_new_activity(r.state)) rc = state_conflict(&r, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = request_text_check(text, e);
  if (!rc) {
    out->q.relationship_id = rel_id;
    out->q.requester_id = c->actor;
    out->q.responder_id = rel_other_party(&r, role);
    out->q.created_at = when;
    out->text = arena_strdup(c->a, text);
    rc = store_request_insert(c->st, &out->q, APP_SEAL_PENDING, &out->q.id, e);
  }
  if (!rc) {
    seal_ad ad = {SEAL_REQUEST, rel_id, out->q.id, c->actor, false};
    rc = app_seal_row(c, &ad, text, strlen(text), NULL, e);
  }
  if (!rc) rc = app_event(c, rel_id, "request_made", out->q.id, when, NULL, NULL, NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_request_reply(app_ctx *c, int64_t id, const char *text, const rp_time *at,
                        app_request_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_item(c->st, STORE_ITEM_REQUEST, id, e);
  if (rc) return rc;
  store_request sq;
  relationship r;
  rp_time when = c->now;
  rc = load_request(c, id, &sq, &r, e);
  if (!rc) rc = request_reply_check(&sq.q, c->actor, e);
  if (!rc && !rel_allows_outcomes(r.state)) rc = state_conflict(&r, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = request_reply_time_check(&sq.q, when, e);
  if (!rc) rc = request_text_check(text, e);
  if (!rc) {
    seal_ad ad = {SEAL_REPLY, sq.q.relationship_id, id, c->actor, false};
    rc = app_seal(c, &ad, text, strlen(text), &sq.reply, e);
    sq.q.replied_at = when;
    if (!rc) rc = store_request_reply(c->st, id, when, sq.reply, e);
  }
  if (!rc) rc = app_event(c, r.id, "request_replied", id, when, NULL, NULL, NULL, e);
  if (!rc) rc = request_view(c, &sq, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_request_get(app_ctx *c, int64_t id, app_request_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_request sq;
  relationship r;
  rc = load_request(c, id, &sq, &r, e);
  if (!rc) rc = request_view(c, &sq, out, e);
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

rp_rc app_requests_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                        app_request_view **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_request *qs = NULL;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_requests_list(c->st, rel_id, after, app_page_limit(limit), c->a, &qs, n, next, e);
  app_request_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; !rc && i < *n; i++)
    rc = request_view(c, &qs[i], &v[i], e);
  store_rollback(c->st);
  *items = v;
  return rc;
}

/* ---- feedback ---- */

static rp_rc feedback_view(app_ctx *c, const store_feedback *sf, app_feedback_view *out,
                           rp_err *e) {
  memset(out, 0, sizeof *out);
  out->f = sf->f;
  if (!sf->text.len) return RP_OK;
  seal_ad ad = {SEAL_FEEDBACK, sf->f.relationship_id, sf->f.id, sf->f.giver_id, false};
  return app_open(c, &ad, sf->text, &out->text, e);
}

rp_rc app_feedback_give(app_ctx *c, int64_t rel_id, feedback_kind kind, feedback_focus focus,
                        const char *text, const rp_time *at, app_feedback_view *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  app_seal_ahead(c, &(seal_ad){.relationship_id = rel_id}); /* its key: no trip of its own */
  relationship r;
  rel_role role;
  rp_time when = c->now;
  store_feedback sf;
  memset(&sf, 0, sizeof sf);
  if (text && !*text) text = NULL; /* an empty text is no text */
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc && !rel_allows_new_activity(r.state)) rc = state_conflict(&r, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = feedback_check(kind, focus, text, e);
  if (!rc) {
    sf.f.relationship_id = rel_id;
    sf.f.giver_id = c->actor;
    sf.f.receiver_id = rel_other_party(&r, role);
    sf.f.kind = kind;
    sf.f.focus = focus;
    sf.f.at = when;
    rc = store_feedback_insert(c->st, &sf.f, sf.text, &sf.f.id, e); /* text: NULL for now */
  }
  if (!rc && text) {
    seal_ad ad = {SEAL_FEEDBACK, rel_id, sf.f.id, c->actor, false};
    rc = app_seal_row(c, &ad, text, strlen(text), NULL, e);
  }
  if (!rc) rc = app_event(c, rel_id, feedback_event_kind(kind), sf.f.id, when, NULL, NULL, NULL, e);
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->f = sf.f;
    out->text = text ? arena_strdup(c->a, text) : NULL;
  }
  return app_finish(c, rc, e);
}

rp_rc app_feedback_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                        app_feedback_view **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_feedback *fs = NULL;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_feedback_list(c->st, rel_id, after, app_page_limit(limit), c->a, &fs, n, next, e);
  app_feedback_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; !rc && i < *n; i++)
    rc = feedback_view(c, &fs[i], &v[i], e);
  store_rollback(c->st);
  *items = v;
  return rc;
}
