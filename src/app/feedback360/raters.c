/* raters.c: the raters' side of 360 feedback (see feedback360.h).
 *
 * A member finds what they were asked by request id; an outside rater by
 * the one-time token of their link, whose keyed hash is all the store
 * keeps. Answering or declining only changes the rater's own state; the
 * answer row carries the group, whether the rater is a member, the
 * ratings and the sealed texts, never the rater. Whether someone declined
 * is told to nobody but them. Anything a rater may not see is 404.
 */
#include "app/feedback360/internal.h"
#include "app/privacy/privacy.h"

#include <string.h>

static rp_rc view_of(app_ctx *c, const store_f360 *row, const store_f360_rater *r,
                     app_f360_ask *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  person p;
  rp_rc rc = store_person_get(c->st, row->requester_id, c->a, &p, e);
  if (rc) return rc;
  out->id = row->id;
  out->requester_name = p.name;
  out->deadline = row->deadline;
  out->open = !row->closed && row->deadline > c->now;
  out->state = r->state;
  out->group = r->group;
  out->may_sign = r->person_id && r->group == F360_GUIDE;
  /* the requester sent it to the rater: no reading of it reaches the
   * requester's access log, which would tell who answered or declined */
  seal_ad ad = f360_ad(SEAL_F360_PURPOSE, row->id, row->requester_id);
  return app_open_sent(c, &ad, row->purpose, &out->purpose, e);
}

/* The member's request and rater row; 404 for anyone not asked. */
static rp_rc load_member(app_ctx *c, int64_t id, store_f360 *row, store_f360_rater *r,
                         rp_err *e) {
  rp_rc rc = store_f360_get(c->st, id, c->a, row, e);
  if (!rc) rc = store_f360_rater_of(c->st, id, c->actor, r, e);
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    return f360_not_found(e);
  }
  return rc;
}

static rp_rc load_link(app_ctx *c, const char *token, store_f360 *row, store_f360_rater *r,
                       rp_err *e) {
  if (!token || !token_well_formed(token)) return f360_not_found(e);
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  rp_rc rc = store_f360_rater_by_token(c->st, hash, sizeof hash, r, e);
  if (!rc) rc = store_f360_get(c->st, r->request_id, c->a, row, e);
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    return f360_not_found(e);
  }
  return rc;
}

rp_rc app_f360_asks(app_ctx *c, app_f360_ask **items, size_t *n, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_f360 *rows;
  store_f360_rater *raters;
  rc = store_f360_asks(c->st, c->actor, c->a, &rows, &raters, n, e);
  if (!rc) *items = arena_zalloc(c->a, sizeof **items * (*n + 1));
  for (size_t i = 0; i < *n && !rc; i++) rc = view_of(c, &rows[i], &raters[i], &(*items)[i], e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_f360_ask_get(app_ctx *c, int64_t id, app_f360_ask *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_f360 row;
  store_f360_rater r;
  rc = load_member(c, id, &row, &r, e);
  if (!rc) rc = view_of(c, &row, &r, out, e);
  store_rollback(c->st);
  return rc;
}

/* A POST (the token stays out of paths and logs): one write transaction,
 * so that the opening of the purpose goes through app_finish's access-log
 * moment like any other. */
rp_rc app_f360_link_get(app_ctx *c, const char *token, app_f360_ask *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_f360 row;
  store_f360_rater r;
  rc = load_link(c, token, &row, &r, e);
  if (!rc) rc = view_of(c, &row, &r, out, e);
  return app_finish(c, rc, e);
}

/* Whether the rater may still answer or decline. */
static rp_rc still_asked(app_ctx *c, const store_f360 *row, const store_f360_rater *r,
                         rp_err *e) {
  if (row->closed || row->deadline <= c->now)
    return rp_fail(e, RP_ERR_CONFLICT, "closed", "This request is closed.");
  if (r->state == F360_ANSWERED)
    return rp_fail(e, RP_ERR_CONFLICT, "answered", "You answered this request already.");
  if (r->state != F360_INVITED)
    return rp_fail(e, RP_ERR_CONFLICT, "declined", "You declined this request.");
  return RP_OK;
}

static rp_rc check_answer(const app_f360_answer_in *in, const store_f360_rater *r, rp_err *e) {
  rp_rc rc = f360_ratings_check(in->ratings, false, e);
  if (rc) return rc;
  if ((in->keep && strlen(in->keep) > F360_TEXT_MAX) ||
      (in->change && strlen(in->change) > F360_TEXT_MAX)) {
    rp_field(e, in->keep && strlen(in->keep) > F360_TEXT_MAX ? "/keep" : "/change",
             "At most %d bytes.", F360_TEXT_MAX);
    return RP_ERR_INVALID;
  }
  if (in->sign && !(r->person_id && r->group == F360_GUIDE)) {
    rp_field(e, "/sign", "Only the requester's guide may sign their answers.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

/* Records the answer of rater r (write transaction open). */
static rp_rc record(app_ctx *c, const store_f360 *row, const store_f360_rater *r,
                    const app_f360_answer_in *in, rp_err *e) {
  rp_rc rc = still_asked(c, row, r, e);
  if (!rc) rc = check_answer(in, r, e);
  store_f360_answer a = {0};
  if (!rc) {
    a.request_id = row->id;
    a.group = r->group;
    a.member = r->person_id != 0;
    a.signed_by = in->sign ? r->person_id : 0;
    memcpy(a.ratings, in->ratings, sizeof a.ratings);
    a.keep = a.change = APP_SEAL_PENDING;
    rc = store_f360_answer_insert(c->st, &a, e);
  }
  const char *keep = in->keep ? in->keep : "", *change = in->change ? in->change : "";
  if (!rc) {
    seal_ad ad = f360_ad(SEAL_F360_KEEP, a.id, row->requester_id);
    rc = app_seal_row(c, &ad, keep, strlen(keep), NULL, e);
  }
  if (!rc) {
    seal_ad ad = f360_ad(SEAL_F360_CHANGE, a.id, row->requester_id);
    rc = app_seal_row(c, &ad, change, strlen(change), NULL, e);
  }
  if (!rc) rc = store_f360_rater_set(c->st, r->id, F360_ANSWERED, e);
  return rc;
}

static rp_rc decline(app_ctx *c, const store_f360 *row, const store_f360_rater *r, rp_err *e) {
  rp_rc rc = still_asked(c, row, r, e);
  return rc ? rc : store_f360_rater_set(c->st, r->id, F360_DECLINED, e);
}

rp_rc app_f360_answer(app_ctx *c, int64_t id, const app_f360_answer_in *in, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_f360 row;
  store_f360_rater r;
  rc = load_member(c, id, &row, &r, e);
  if (!rc) rc = record(c, &row, &r, in, e);
  return app_finish(c, rc, e);
}

rp_rc app_f360_decline(app_ctx *c, int64_t id, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_f360 row;
  store_f360_rater r;
  rc = load_member(c, id, &row, &r, e);
  if (!rc) rc = decline(c, &row, &r, e);
  return app_finish(c, rc, e);
}

rp_rc app_f360_link_answer(app_ctx *c, const char *token, const app_f360_answer_in *in,
                           rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_f360 row;
  store_f360_rater r;
  rc = load_link(c, token, &row, &r, e);
  if (!rc) rc = record(c, &row, &r, in, e);
  return app_finish(c, rc, e);
}

rp_rc app_f360_link_decline(app_ctx *c, const char *token, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  store_f360 row;
  store_f360_rater r;
  rc = load_link(c, token, &row, &r, e);
  if (!rc) rc = decline(c, &row, &r, e);
  return app_finish(c, rc, e);
}
