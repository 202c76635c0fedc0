/* mail.h: the outbox as a queue (migration 0020), for app/reach/: a mail
 * row is inserted in the transaction of the event that causes it, claimed
 * by a sender for a while, and marked sent, put back for later, or failed.
 */
#ifndef RAPPORT_STORE_MAIL_H
#define RAPPORT_STORE_MAIL_H

#include "store/store.h"

typedef struct store_mail_new {
  const char *kind;       /* invitation, password_reset, ... */
  int64_t person_id;      /* 0: none */
  const char *to;         /* the address, folded */
  const char *subject;
  const char *message_id; /* "<...@...>" */
  rp_time next_at;        /* not before (quiet hours, digests) */
} store_mail_new;

/* Inserts a waiting mail whose body is sealed afterwards (APP_SEAL_PENDING,
 * then app_seal_row of its id); sets *id. */
rp_rc store_mail_insert(store *s, const store_mail_new *m, rp_time now, int64_t *id, rp_err *e);

typedef struct store_mail {
  int64_t id;
  const char *kind, *to, *subject, *message_id;
  int64_t person_id;
  const char *state;      /* waiting, sent, failed */
  int64_t attempts;
  rp_time created_at, next_at, claimed_until, sent_at; /* sent_at 0: not sent */
  const char *last_error; /* NULL when none */
  rp_blob body;           /* sealed; only from store_mail_claim */
} store_mail;

/* In a write transaction: takes up to `max` waiting mails due at `now`
 * that no live sender holds, in the order they were written, holding them
 * until now + lease_s and counting an attempt. On PostgreSQL the rows are
 * locked with FOR UPDATE SKIP LOCKED, so instances never take the same
 * mail. The rows and their sealed bodies are copied into the arena. */
rp_rc store_mail_claim(store *s, rp_time now, int lease_s, int max, arena *a, store_mail **items,
                       size_t *n, rp_err *e);
/* Whether any mail is due at `now` and held by no sender (a read). */
rp_rc store_mail_due(store *s, rp_time now, bool *due, rp_err *e);
/* Marks mail id sent at `at`. */
rp_rc store_mail_sent(store *s, int64_t id, rp_time at, rp_err *e);
/* Puts mail id back to be taken again from next_at, noting why. */
rp_rc store_mail_retry(store *s, int64_t id, rp_time next_at, const char *why, rp_err *e);
/* Marks mail id failed for good, noting why. */
rp_rc store_mail_failed(store *s, int64_t id, const char *why, rp_err *e);

typedef struct store_mail_counts {
  int64_t waiting, sent, failed;
  rp_time oldest_waiting; /* created_at of the oldest waiting mail; 0 none */
} store_mail_counts;

rp_rc store_mail_count(store *s, store_mail_counts *out, rp_err *e);
/* Mails in `state` (NULL: every state), newest first, paged by id
 * (after 0: from the newest); no bodies. */
rp_rc store_mail_list(store *s, const char *state, int64_t after, int limit, arena *a,
                      store_mail **items, size_t *n, int64_t *next, rp_err *e);

#endif
