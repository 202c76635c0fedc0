/* access_log.h: the hash-chained access log and its signed heads.
 *
 * Every row carries hash = BLAKE2b-256(prev_hash || encoding), where the
 * encoding (access_log_encode) is canonical and unambiguous: the tag "RAL1",
 * then seq, at, actor_id as 8-byte big-endian two's complement, action as a
 * 4-byte big-endian length and its bytes, subject_id, relationship_id, then
 * what and purpose as length and bytes. The first row's prev_hash is 32
 * zero bytes. A signed head is an Ed25519 signature over "RALH1" || seq ||
 * hash || signed_at (integers as above).
 *
 * The tables refuse UPDATE and DELETE (migration 0010); appending reads the
 * head and writes the next row, so it must run in a write transaction or
 * after store_access_lock.
 *
 * The audit database. The log lives in its own SQLite file, ATTACHed to
 * every store connection as the schema `audit` (store_open; on PostgreSQL
 * a schema of the same name), so SQL names it audit.access_log. Logging a
 * read then writes only that file: the main database is not written, its
 * write lock is not held while the request runs, and the other
 * connections' page caches of it stay valid. A transaction that writes
 * both (a write that also opens text) commits each file atomically, main
 * first, but not both together: SQLite's WAL has no cross-file commit. The
 * response is sent only after the commit returned, so a crash between the
 * two commits can lose log rows of text that was never sent, never text
 * that was sent unlogged.
 *
 * Readers never wait on each other and never deadlock with writers: they
 * take the process's write lock (the same one BEGIN IMMEDIATE writers
 * queue on, since BEGIN IMMEDIATE locks every attached file) only at their
 * flush, before the first statement that touches `audit`, so their audit
 * snapshot begins after every other in-process writer committed and their
 * append cannot fail with SQLITE_BUSY_SNAPSHOT. A request that reads the
 * audit schema before it appends (the export) must run as a write.
 */
#ifndef RAPPORT_STORE_ACCESS_LOG_H
#define RAPPORT_STORE_ACCESS_LOG_H

#include "store/store.h"

#define ACCESS_HASH_LEN 32
#define ACCESS_SIG_LEN 64
#define ACCESS_PK_LEN 32

typedef struct access_entry {
  int64_t seq;
  rp_time at;
  int64_t actor_id, subject_id, relationship_id;
  const char *action;  /* "read" */
  const char *what;    /* the kinds opened, "notes,feedback" */
  const char *purpose; /* "shown in Rapport", "export" */
  unsigned char prev_hash[ACCESS_HASH_LEN], hash[ACCESS_HASH_LEN];
} access_entry;

typedef struct access_head {
  int64_t seq;
  unsigned char hash[ACCESS_HASH_LEN];
  unsigned char signature[ACCESS_SIG_LEN];
  unsigned char public_key[ACCESS_PK_LEN];
  rp_time signed_at;
} access_head;

/* An entry as its subject reads it, with what is known of its actor and
 * relationship today (NULL and 0 when they have since been deleted). */
typedef struct access_view {
  access_entry en;
  const char *actor_name;
  int64_t guide_id, learner_id;
  const char *program_kind; /* "mentoring" | "coaching" | NULL */
} access_view;

/* Writes the canonical encoding of en's fields (not its hashes) into buf
 * when it fits in cap; returns the encoding's length either way. */
size_t access_log_encode(const access_entry *en, unsigned char *buf, size_t cap);
/* out = BLAKE2b-256(en->prev_hash || access_log_encode(en)). */
void access_log_hash(const access_entry *en, unsigned char out[ACCESS_HASH_LEN]);
/* The 53 bytes an access-log head signature covers. */
#define ACCESS_HEAD_MSG_LEN (5 + 8 + ACCESS_HASH_LEN + 8)
void access_head_message(const access_head *h, unsigned char out[ACCESS_HEAD_MSG_LEN]);

/* Appends en after the current head: fills en->seq, prev_hash and hash. */
rp_rc store_access_append(store *s, access_entry *en, rp_err *e);
/* Appends n entries in order after the current head (read once), filling
 * each one's seq, prev_hash and hash; stops at the first failure. */
rp_rc store_access_append_rows(store *s, access_entry *en, size_t n, rp_err *e);
/* The head of the log as one appender's own last commit left it. */
typedef struct access_tail {
  bool known; /* seq and hash are that commit's last row (false: read the head) */
  int64_t seq;
  unsigned char hash[ACCESS_HASH_LEN];
  int wary; /* appends left that read the head first, after another appender was found */
} access_tail;
#define ACCESS_TAIL_WARY 64
/* The log writer's append: in a transaction of its own, the n entries
 * after *tail when it is known (on PostgreSQL), else after the head read
 * under the log's lock, then the commit; on PostgreSQL the inserts and
 * the COMMIT go in one round trip with the BEGIN and the lock
 * (db_run_ahead_commit). A known
 * tail that is no longer the head (another appender's rows came after it)
 * makes the first insert fail on seq, the log's key, and the append runs
 * again after the head it reads, so no row ever follows anything but the
 * head; the ACCESS_TAIL_WARY appends after such a one read the head
 * first (two round trips: BEGIN, the lock and the head, then the inserts
 * with the COMMIT). *tail is the last row once committed, unknown after a
 * failure. */
rp_rc store_access_append_commit(store *s, access_entry *en, size_t n, access_tail *tail,
                                 rp_err *e);
/* The last row's seq and hash; seq 0 and zero bytes when the log is empty. */
rp_rc store_access_head(store *s, int64_t *seq, unsigned char hash[ACCESS_HASH_LEN], rp_err *e);
/* Takes the process's write lock for the rest of the open transaction
 * (released by its commit or rollback; nothing when it is already held).
 * A read transaction that appends access-log rows calls it before its
 * first statement on the audit schema: see "The audit database" above. */
rp_rc store_access_lock(store *s, rp_err *e);
/* The seq and signing time of the latest signed head, 0 and 0 when none. */
rp_rc store_access_signed_last(store *s, int64_t *seq, rp_time *signed_at, rp_err *e);
rp_rc store_access_head_insert(store *s, const access_head *h, rp_err *e);

/* The entries whose subject is subject_id, in seq order, paged by seq
 * like every list (store.h). */
rp_rc store_access_of_subject(store *s, int64_t subject_id, int64_t after, int limit, arena *a,
                              access_view **items, size_t *n, int64_t *next, rp_err *e);
/* Every row in seq order from seq > after, at most limit (for verifying). */
rp_rc store_access_rows(store *s, int64_t after, int limit, arena *a, access_entry **items,
                        size_t *n, int64_t *next, rp_err *e);
/* Every signed head in seq order from seq > after. */
rp_rc store_access_heads(store *s, int64_t after, int limit, arena *a, access_head **items,
                         size_t *n, int64_t *next, rp_err *e);
/* The row with seq (RP_ERR_NOT_FOUND when there is none). */
rp_rc store_access_row(store *s, int64_t seq, arena *a, access_entry *out, rp_err *e);

#endif
