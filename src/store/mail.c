/* mail.c: the outbox as a queue (see mail.h). */
#include "store/mail.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

rp_rc store_mail_insert(store *s, const store_mail_new *m, rp_time now, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO outbox (to_email, subject, body_ct, created_at, kind, person_id,"
             " message_id, state, attempts, next_at, claimed_until)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', 0, $8, 0) RETURNING id",
             e);
  db_bind_text(st, 1, m->to);
  db_bind_text(st, 2, m->subject);
  db_bind_blob(st, 3, "", 0);
  db_bind_i64(st, 4, now);
  db_bind_text(st, 5, m->kind);
  db_bind_id_or_null(st, 6, m->person_id);
  db_bind_text(st, 7, m->message_id);
  db_bind_i64(st, 8, m->next_at);
  return store_insert_id(st, id, e);
}

#define MAIL_COLS                                                                              \
  "id, kind, to_email, subject, message_id, person_id, state, attempts, created_at, next_at,"  \
  " claimed_until, sent_at, last_error"

static void read_mail(db_stmt *st, arena *a, void *elem) {
  store_mail *m = elem;
  memset(m, 0, sizeof *m);
  m->id = db_col_i64(st, 0);
  m->kind = store_col_str(st, 1, a);
  m->to = store_col_str(st, 2, a);
  m->subject = store_col_str(st, 3, a);
  m->message_id = store_col_str(st, 4, a);
  m->person_id = db_col_null(st, 5) ? 0 : db_col_i64(st, 5);
  m->state = store_col_str(st, 6, a);
  m->attempts = db_col_i64(st, 7);
  m->created_at = db_col_i64(st, 8);
  m->next_at = db_col_i64(st, 9);
  m->claimed_until = db_col_i64(st, 10);
  m->sent_at = db_col_null(st, 11) ? 0 : db_col_i64(st, 11);
  m->last_error = store_col_str(st, 12, a);
}

static void read_claimed(db_stmt *st, arena *a, void *elem) {
  read_mail(st, a, elem);
  ((store_mail *)elem)->body = store_col_blob(st, 13, a);
}

/* The same claim on both backends but for PostgreSQL's row locks, which
 * let instances claim side by side without waiting on each other. */
static const char CLAIM_SQLITE[] =
    "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1"
    " WHERE id IN (SELECT id FROM outbox WHERE state = 'waiting' AND next_at <= $1"
    " AND claimed_until <= $1 ORDER BY id LIMIT $3)"
    " RETURNING " MAIL_COLS ", body_ct";
static const char CLAIM_POSTGRES[] =
    "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1"
    " WHERE id IN (SELECT id FROM outbox WHERE state = 'waiting' AND next_at <= $1"
    " AND claimed_until <= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)"
    " RETURNING " MAIL_COLS ", body_ct";

static int by_id(const void *x, const void *y) {
  int64_t a = ((const store_mail *)x)->id, b = ((const store_mail *)y)->id;
  return (a > b) - (a < b);
}

rp_rc store_mail_claim(store *s, rp_time now, int lease_s, int max, arena *a, store_mail **items,
                       size_t *n, rp_err *e) {
  STORE_PREP(s, db_kind_of(s->db) == DB_POSTGRES ? CLAIM_POSTGRES : CLAIM_SQLITE, e);
  db_bind_i64(st, 1, now);
  db_bind_i64(st, 2, now + lease_s);
  db_bind_i64(st, 3, max);
  rp_rc rc = store_collect(st, sizeof **items, read_claimed, a, (void **)items, n, e);
  if (!rc && *n > 1) qsort(*items, *n, sizeof **items, by_id); /* RETURNING has no order */
  return rc;
}

rp_rc store_mail_due(store *s, rp_time now, bool *due, rp_err *e) {
  STORE_PREP(s,
             "SELECT 1 FROM outbox WHERE state = 'waiting' AND next_at <= $1"
             " AND claimed_until <= $1 LIMIT 1",
             e);
  db_bind_i64(st, 1, now);
  int r = db_step(st, e);
  *due = r == 1;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_mail_sent(store *s, int64_t id, rp_time at, rp_err *e) {
  STORE_PREP(s,
             "UPDATE outbox SET state = 'sent', sent_at = $2, claimed_until = 0, last_error = NULL"
             " WHERE id = $1",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  return db_exec_stmt(st, e);
}

rp_rc store_mail_retry(store *s, int64_t id, rp_time next_at, const char *why, rp_err *e) {
  STORE_PREP(s,
             "UPDATE outbox SET next_at = $2, claimed_until = 0, last_error = $3"
             " WHERE id = $1 AND state = 'waiting'",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, next_at);
  db_bind_text(st, 3, why);
  return db_exec_stmt(st, e);
}

rp_rc store_mail_failed(store *s, int64_t id, const char *why, rp_err *e) {
  STORE_PREP(s,
             "UPDATE outbox SET state = 'failed', claimed_until = 0, last_error = $2"
             " WHERE id = $1 AND state = 'waiting'",
             e);
  db_bind_i64(st, 1, id);
  db_bind_text(st, 2, why);
  return db_exec_stmt(st, e);
}

rp_rc store_mail_count(store *s, store_mail_counts *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT state, COUNT(*), MIN(created_at) FROM outbox GROUP BY state", e);
  memset(out, 0, sizeof *out);
  int r;
  while ((r = db_step(st, e)) == 1) {
    const char *state = db_col_text(st, 0);
    int64_t count = db_col_i64(st, 1);
    if (strcmp(state, "waiting") == 0) {
      out->waiting = count;
      out->oldest_waiting = db_col_i64(st, 2);
    } else if (strcmp(state, "sent") == 0) {
      out->sent = count;
    } else {
      out->failed = count;
    }
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_mail_list(store *s, const char *state, int64_t after, int limit, arena *a,
                      store_mail **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " MAIL_COLS " FROM outbox WHERE ($1 = '' OR state = $1)"
             " AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3",
             e);
  db_bind_text(st, 1, state ? state : "");
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_mail, a, (void **)items, n, next, e);
}
