/* exchanges.c: requests and replies, and feedback (see exchanges.h). */
#include "store/store_internal.h"

/* ---- requests and replies ---- */

#define REQUEST_COLS                                                                               \
  "id, relationship_id, requester_id, responder_id, created_at, text_ct, replied_at, reply_ct"

static void read_request(db_stmt *st, arena *a, void *elem) {
  store_request *out = elem;
  out->q.id = db_col_i64(st, 0);
  out->q.relationship_id = db_col_i64(st, 1);
  out->q.requester_id = db_col_i64(st, 2);
  out->q.responder_id = db_col_i64(st, 3);
  out->q.created_at = db_col_i64(st, 4);
  out->text = store_col_blob(st, 5, a);
  out->q.replied_at = db_col_null(st, 6) ? 0 : db_col_i64(st, 6);
  out->reply = store_col_blob(st, 7, a);
}

rp_rc store_request_insert(store *s, const request *q, rp_blob text, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO requests (relationship_id, requester_id, responder_id, created_at,"
             " text_ct) VALUES ($1, $2, $3, $4, $5) RETURNING id",
             e);
  db_bind_i64(st, 1, q->relationship_id);
  db_bind_i64(st, 2, q->requester_id);
  db_bind_i64(st, 3, q->responder_id);
  db_bind_i64(st, 4, q->created_at);
  db_bind_blob(st, 5, text.data, text.len);
  return store_insert_id(st, id, e);
}

rp_rc store_request_get(store *s, int64_t id, arena *a, store_request *out, rp_err *e) {
  STORE_PREP(s, "SELECT " REQUEST_COLS " FROM requests WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "request", e);
  if (rc) return rc;
  read_request(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_request_reply(store *s, int64_t id, rp_time at, rp_blob reply, rp_err *e) {
  STORE_PREP(s,
             "UPDATE requests SET replied_at = $1, reply_ct = $2"
             " WHERE id = $3 AND replied_at IS NULL",
             e);
  db_bind_i64(st, 1, at);
  db_bind_blob(st, 2, reply.data, reply.len);
  db_bind_i64(st, 3, id);
  rp_rc rc = db_exec_stmt(st, e);
  if (rc) return rc;
  if (db_changes(s->db) != 1)
    return rp_fail(e, RP_ERR_CONFLICT, "already_replied",
                   "This request has already been replied to.");
  return RP_OK;
}

rp_rc store_requests_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                          store_request **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REQUEST_COLS " FROM requests"
             " WHERE relationship_id = $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_request, a, (void **)items, n, next, e);
}

/* ---- feedback ---- */

static void read_feedback(db_stmt *st, arena *a, void *elem) {
  store_feedback *out = elem;
  out->f.id = db_col_i64(st, 0);
  out->f.relationship_id = db_col_i64(st, 1);
  out->f.giver_id = db_col_i64(st, 2);
  out->f.receiver_id = db_col_i64(st, 3);
  if (!feedback_kind_parse(db_col_text(st, 4), &out->f.kind)) out->f.kind = FEEDBACK_ASK;
  out->f.focus = FOCUS_NONE;
  if (!db_col_null(st, 5)) feedback_focus_parse(db_col_text(st, 5), &out->f.focus);
  out->f.at = db_col_i64(st, 6);
  out->text = store_col_blob(st, 7, a);
}

rp_rc store_feedback_insert(store *s, const feedback_item *f, rp_blob text, int64_t *id,
                            rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO feedback (relationship_id, giver_id, receiver_id, kind, focus, at,"
             " text_ct) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             e);
  db_bind_i64(st, 1, f->relationship_id);
  db_bind_i64(st, 2, f->giver_id);
  db_bind_i64(st, 3, f->receiver_id);
  db_bind_text(st, 4, feedback_kind_name(f->kind));
  db_bind_text(st, 5, feedback_focus_name(f->focus));
  db_bind_i64(st, 6, f->at);
  if (text.len)
    db_bind_blob(st, 7, text.data, text.len);
  else
    db_bind_null(st, 7);
  return store_insert_id(st, id, e);
}

rp_rc store_feedback_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                          store_feedback **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, relationship_id, giver_id, receiver_id, kind, focus, at, text_ct"
             " FROM feedback WHERE relationship_id = $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_feedback, a, (void **)items, n, next, e);
}
