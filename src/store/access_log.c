/* access_log.c: the access log's rows, their hash chain and signed heads
 * (access_log.h says the encoding; migration 0010 the tables). */
#include "store/access_log.h"
#include "store/store_internal.h"
#include "base/strbuf.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the canonical encoding ---- */

typedef struct enc {
  unsigned char *buf;
  size_t cap, len;
} enc;

static void put_bytes(enc *w, const void *p, size_t n) {
  if (w->len + n <= w->cap && n) memcpy(w->buf + w->len, p, n);
  w->len += n;
}

static void put_i64(enc *w, int64_t v) {
  uint64_t u = (uint64_t)v;
  unsigned char b[8];
  for (int i = 7; i >= 0; i--) {
    b[i] = (unsigned char)(u & 0xffu);
    u >>= 8;
  }
  put_bytes(w, b, sizeof b);
}

static void put_str(enc *w, const char *s) {
  size_t n = s ? strlen(s) : 0;
  uint32_t u = (uint32_t)n;
  unsigned char b[4] = {(unsigned char)(u >> 24), (unsigned char)(u >> 16),
                        (unsigned char)(u >> 8), (unsigned char)u};
  put_bytes(w, b, sizeof b);
  put_bytes(w, s, n);
}

size_t access_log_encode(const access_entry *en, unsigned char *buf, size_t cap) {
  enc w = {buf, buf ? cap : 0, 0};
  put_bytes(&w, "RAL1", 4);
  put_i64(&w, en->seq);
  put_i64(&w, en->at);
  put_i64(&w, en->actor_id);
  put_str(&w, en->action);
  put_i64(&w, en->subject_id);
  put_i64(&w, en->relationship_id);
  put_str(&w, en->what);
  put_str(&w, en->purpose);
  return w.len;
}

void access_log_hash(const access_entry *en, unsigned char out[ACCESS_HASH_LEN]) {
  unsigned char small[512];
  size_t n = access_log_encode(en, small, sizeof small);
  unsigned char *buf = n <= sizeof small ? small : rp_xmalloc(n);
  if (buf != small) access_log_encode(en, buf, n);
  crypto_generichash_state h;
  crypto_generichash_init(&h, NULL, 0, ACCESS_HASH_LEN);
  crypto_generichash_update(&h, en->prev_hash, ACCESS_HASH_LEN);
  crypto_generichash_update(&h, buf, n);
  crypto_generichash_final(&h, out, ACCESS_HASH_LEN);
  if (buf != small) free(buf);
}

void access_head_message(const access_head *h, unsigned char out[ACCESS_HEAD_MSG_LEN]) {
  enc w = {out, ACCESS_HEAD_MSG_LEN, 0};
  put_bytes(&w, "RALH1", 5);
  put_i64(&w, h->seq);
  put_bytes(&w, h->hash, ACCESS_HASH_LEN);
  put_i64(&w, h->signed_at);
}

/* ---- rows ---- */

/* Copies a blob column of exactly n bytes into out; zero bytes otherwise
 * (so a damaged row fails verification instead of reading past it). */
static void col_fixed(db_stmt *st, int col, unsigned char *out, size_t n) {
  memset(out, 0, n);
  if (db_col_len(st, col) == n) memcpy(out, db_col_blob(st, col), n);
}

rp_rc store_access_head(store *s, int64_t *seq, unsigned char hash[ACCESS_HASH_LEN], rp_err *e) {
  STORE_PREP(s, "SELECT seq, hash FROM audit.access_log ORDER BY seq DESC LIMIT 1", e);
  int r = db_step(st, e);
  *seq = 0;
  memset(hash, 0, ACCESS_HASH_LEN);
  if (r == 1) {
    *seq = db_col_i64(st, 0);
    col_fixed(st, 1, hash, ACCESS_HASH_LEN);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

/* Rows go to statements of 1, 2, 4, ... 256 rows, the largest first, so
 * that up to 511 rows take at most one statement of each size: distinct
 * statements, all sent ahead in one pipeline (db_run_ahead; on PostgreSQL
 * each round trip costs a wake-up of both sides). The SQL of each size is
 * built once, into storage kept for the process (db.h keys statements by
 * the SQL's address). */
#define INSERT_SIZES 9
#define ROW_PARAMS 10
static char *g_insert_sql[INSERT_SIZES];
static pthread_once_t g_insert_once = PTHREAD_ONCE_INIT;

static void build_inserts(void) {
  static const char head[] = "INSERT INTO audit.access_log (seq, at, actor_id, action,"
                             " subject_id, relationship_id, what, purpose, prev_hash, hash)"
                             " VALUES ";
  for (int j = 0; j < INSERT_SIZES; j++) {
    size_t cap = sizeof head + ((size_t)ROW_PARAMS * 8 + 4) * ((size_t)1 << j);
    g_insert_sql[j] = rp_xmalloc(cap);
    store_sql_rows(g_insert_sql[j], cap, head, 1 << j, ROW_PARAMS);
  }
}

static void bind_entry(db_stmt *st, int first, const access_entry *en) {
  db_bind_i64(st, first, en->seq);
  db_bind_i64(st, first + 1, en->at);
  db_bind_i64(st, first + 2, en->actor_id);
  db_bind_text(st, first + 3, en->action);
  db_bind_i64(st, first + 4, en->subject_id);
  db_bind_i64(st, first + 5, en->relationship_id);
  db_bind_text(st, first + 6, en->what);
  db_bind_text(st, first + 7, en->purpose);
  db_bind_blob(st, first + 8, en->prev_hash, ACCESS_HASH_LEN);
  db_bind_blob(st, first + 9, en->hash, ACCESS_HASH_LEN);
}

/* Appends en[0..n) after the row (*seq, prev): chains them, sends their
 * inserts ahead, a pipeline of at most 511 rows at a time, the last one
 * with the COMMIT when `commit` (db_run_ahead_commit), and leaves *seq and
 * prev at the last row. */
static rp_rc append_after(store *s, access_entry *en, size_t n, int64_t *seq,
                          unsigned char prev[ACCESS_HASH_LEN], bool commit, rp_err *e) {
  pthread_once(&g_insert_once, build_inserts);
  const size_t most = ((size_t)1 << INSERT_SIZES) - 1;
  for (size_t i = 0; i < n;) {
    size_t left = n - i < most ? n - i : most, k = 0;
    db_stmt *st[INSERT_SIZES];
    for (int j = INSERT_SIZES - 1; j >= 0; j--) {
      size_t rows = (size_t)1 << j;
      if (left < rows) continue;
      st[k] = db_prep(s->db, g_insert_sql[j], e);
      if (!st[k]) break;
      for (size_t r = 0; r < rows; r++, i++) {
        en[i].seq = ++*seq;
        memcpy(en[i].prev_hash, prev, ACCESS_HASH_LEN);
        access_log_hash(&en[i], en[i].hash);
        memcpy(prev, en[i].hash, ACCESS_HASH_LEN);
        bind_entry(st[k], (int)r * ROW_PARAMS + 1, &en[i]);
      }
      left -= rows;
      k++;
    }
    if (left) { /* a statement could not be prepared */
      for (size_t j = 0; j < k; j++) db_done(st[j]);
      return e ? e->rc : RP_ERR_INTERNAL;
    }
    if (commit && i == n) db_run_ahead_commit(st, k);
    else db_run_ahead(st, k);
    rp_rc rc = RP_OK;
    for (size_t j = 0; j < k; j++) {
      if (!rc) rc = db_exec_stmt(st[j], e);
      else db_done(st[j]); /* PostgreSQL skipped it after the failure */
    }
    if (rc) return rc;
  }
  return RP_OK;
}

rp_rc store_access_append_rows(store *s, access_entry *en, size_t n, rp_err *e) {
  int64_t head;
  unsigned char prev[ACCESS_HASH_LEN];
  rp_rc rc = n ? store_access_head(s, &head, prev, e) : RP_OK;
  return rc ? rc : append_after(s, en, n, &head, prev, false, e);
}

/* One try of store_access_append_commit: after the head `tail` names when
 * `known`, else after the head read under the lock. */
static rp_rc append_commit_once(store *s, access_entry *en, size_t n, access_tail *tail,
                                bool known, rp_err *e) {
  int64_t seq = tail->seq;
  unsigned char prev[ACCESS_HASH_LEN];
  memcpy(prev, tail->hash, ACCESS_HASH_LEN);
  rp_rc rc = store_begin_read(s, e);
  if (rc) return rc;
  rc = store_access_lock(s, e);
  if (!rc && !known) rc = store_access_head(s, &seq, prev, e);
  if (!rc) rc = append_after(s, en, n, &seq, prev, true, e);
  if (rc) {
    store_end_all(s);
    return rc;
  }
  rc = store_commit(s, e);
  if (rc) return rc;
  tail->seq = seq;
  memcpy(tail->hash, prev, ACCESS_HASH_LEN);
  return RP_OK;
}

rp_rc store_access_append_commit(store *s, access_entry *en, size_t n, access_tail *tail,
                                 rp_err *e) {
  if (!n) return RP_OK;
  /* SQLite reads the head in the process, without a round trip to save. */
  bool known = tail->known && !tail->wary && db_kind_of(s->db) == DB_POSTGRES;
  if (tail->wary) tail->wary--;
  tail->known = false; /* until a commit returned */
  rp_rc rc = append_commit_once(s, en, n, tail, known, e);
  if (rc == RP_ERR_CONFLICT && known) { /* the head moved: another appender's rows */
    memset(e, 0, sizeof *e);
    rc = append_commit_once(s, en, n, tail, false, e);
    /* Others append too (another instance): each such try costs a round
     * trip and an error in PostgreSQL's log, so read the head first for a
     * while. */
    tail->wary = ACCESS_TAIL_WARY;
  }
  tail->known = rc == RP_OK;
  return rc;
}

rp_rc store_access_append(store *s, access_entry *en, rp_err *e) {
  return store_access_append_rows(s, en, 1, e);
}

#define ENTRY_COLS \
  "l.seq, l.at, l.actor_id, l.action, l.subject_id, l.relationship_id, l.what, l.purpose," \
  " l.prev_hash, l.hash"

static void read_entry(db_stmt *st, arena *a, void *elem) {
  access_entry *en = elem;
  en->seq = db_col_i64(st, 0);
  en->at = db_col_i64(st, 1);
  en->actor_id = db_col_i64(st, 2);
  en->action = store_col_str(st, 3, a);
  en->subject_id = db_col_i64(st, 4);
  en->relationship_id = db_col_i64(st, 5);
  en->what = store_col_str(st, 6, a);
  en->purpose = store_col_str(st, 7, a);
  col_fixed(st, 8, en->prev_hash, ACCESS_HASH_LEN);
  col_fixed(st, 9, en->hash, ACCESS_HASH_LEN);
}

static void read_view(db_stmt *st, arena *a, void *elem) {
  access_view *v = elem;
  read_entry(st, a, &v->en);
  v->actor_name = store_col_str(st, 10, a);
  v->guide_id = db_col_null(st, 11) ? 0 : db_col_i64(st, 11);
  v->learner_id = db_col_null(st, 12) ? 0 : db_col_i64(st, 12);
  v->program_kind = store_col_str(st, 13, a);
}

rp_rc store_access_of_subject(store *s, int64_t subject_id, int64_t after, int limit, arena *a,
                              access_view **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " ENTRY_COLS ", p.name, r.guide_id, r.learner_id, g.kind"
             " FROM audit.access_log l LEFT JOIN persons p ON p.id = l.actor_id"
             " LEFT JOIN relationships r ON r.id = l.relationship_id"
             " LEFT JOIN programs g ON g.id = r.program_id"
             " WHERE l.subject_id = $1 AND l.seq > $2 ORDER BY l.seq LIMIT $3",
             e);
  db_bind_i64(st, 1, subject_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_view, a, (void **)items, n, next, e);
}

rp_rc store_access_rows(store *s, int64_t after, int limit, arena *a, access_entry **items,
                        size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s, "SELECT " ENTRY_COLS " FROM audit.access_log l WHERE l.seq > $1 ORDER BY l.seq LIMIT $2",
             e);
  db_bind_i64(st, 1, after);
  db_bind_i64(st, 2, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_entry, a, (void **)items, n, next, e);
}

rp_rc store_access_row(store *s, int64_t seq, arena *a, access_entry *out, rp_err *e) {
  STORE_PREP(s, "SELECT " ENTRY_COLS " FROM audit.access_log l WHERE l.seq = $1", e);
  db_bind_i64(st, 1, seq);
  rp_rc rc = store_row(st, "access-log entry", e);
  if (rc) return rc;
  read_entry(st, a, out);
  db_done(st);
  return RP_OK;
}

/* ---- the audit database ---- */

/* ---- signed heads ---- */

rp_rc store_access_signed_last(store *s, int64_t *seq, rp_time *signed_at, rp_err *e) {
  STORE_PREP(s, "SELECT seq, signed_at FROM audit.access_log_heads ORDER BY seq DESC LIMIT 1", e);
  int r = db_step(st, e);
  *seq = r == 1 ? db_col_i64(st, 0) : 0;
  *signed_at = r == 1 ? db_col_i64(st, 1) : 0;
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_access_head_insert(store *s, const access_head *h, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO audit.access_log_heads (seq, hash, signature, public_key, signed_at)"
             " VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_i64(st, 1, h->seq);
  db_bind_blob(st, 2, h->hash, ACCESS_HASH_LEN);
  db_bind_blob(st, 3, h->signature, ACCESS_SIG_LEN);
  db_bind_blob(st, 4, h->public_key, ACCESS_PK_LEN);
  db_bind_i64(st, 5, h->signed_at);
  return db_exec_stmt(st, e);
}

static void read_head(db_stmt *st, arena *a, void *elem) {
  (void)a;
  access_head *h = elem;
  h->seq = db_col_i64(st, 0);
  col_fixed(st, 1, h->hash, ACCESS_HASH_LEN);
  col_fixed(st, 2, h->signature, ACCESS_SIG_LEN);
  col_fixed(st, 3, h->public_key, ACCESS_PK_LEN);
  h->signed_at = db_col_i64(st, 4);
}

rp_rc store_access_heads(store *s, int64_t after, int limit, arena *a, access_head **items,
                         size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT seq, hash, signature, public_key, signed_at FROM audit.access_log_heads"
             " WHERE seq > $1 ORDER BY seq LIMIT $2",
             e);
  db_bind_i64(st, 1, after);
  db_bind_i64(st, 2, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_head, a, (void **)items, n, next, e);
}
