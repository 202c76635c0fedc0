/* f360.h: the rows of 360-degree feedback (migration 0070). Conventions
 * as in store.h. Answers carry no rater, and nothing here joins a rater to
 * an answer; closing a request deletes its answers and marks every rater
 * 'done'.
 */
#ifndef RAPPORT_STORE_F360_H
#define RAPPORT_STORE_F360_H

#include "domain/f360.h"
#include "store/store.h"

typedef struct store_f360 {
  int64_t id;
  int64_t requester_id, program_id;
  rp_blob purpose;
  int self[F360_NITEM];
  rp_time deadline, created_at, closed_at;
  bool closed;
  rp_blob report; /* empty until closed */
  int64_t shared_relationship_id; /* 0: not shared */
  rp_time shared_at;
  int64_t invited; /* raters asked (members and links) */
} store_f360;

typedef enum store_f360_state {
  F360_INVITED = 0,
  F360_ANSWERED,
  F360_DECLINED,
  F360_DONE
} store_f360_state;

typedef struct store_f360_rater {
  int64_t id, request_id;
  int64_t person_id; /* 0: an outside rater through a link */
  f360_group group;
  store_f360_state state;
  rp_time invited_at;
} store_f360_rater;

typedef struct store_f360_answer {
  int64_t id, request_id;
  f360_group group;
  bool member;
  int64_t signed_by; /* 0: unsigned */
  int ratings[F360_NITEM];
  rp_blob keep, change;
} store_f360_answer;

/* Inserts r (r->id set); purpose as given (APP_SEAL_PENDING, then sealed). */
rp_rc store_f360_insert(store *s, store_f360 *r, rp_err *e);
rp_rc store_f360_get(store *s, int64_t id, arena *a, store_f360 *out, rp_err *e);
/* The requester's requests, newest first, paged by id. */
rp_rc store_f360_list(store *s, int64_t requester_id, int64_t after, int limit, arena *a,
                      store_f360 **items, size_t *n, int64_t *next, rp_err *e);
rp_rc store_f360_set_deadline(store *s, int64_t id, rp_time deadline, rp_err *e);
/* Closes an open request at `at` with its sealed report, deletes its
 * answers and marks its raters 'done'. RP_ERR_NOT_FOUND unless open. */
rp_rc store_f360_close(store *s, int64_t id, rp_time at, rp_blob report, rp_err *e);
/* Shares with relationship rel_id at `at`, or withdraws (rel_id 0). */
rp_rc store_f360_share(store *s, int64_t id, int64_t rel_id, rp_time at, rp_err *e);
/* The open requests whose deadline is at or before `now`, up to limit. */
rp_rc store_f360_due(store *s, rp_time now, int limit, arena *a, int64_t **ids, size_t *n,
                     rp_err *e);

/* Raters. token_hash NULL for members; email_hash (the keyed hash of the
 * folded address, hash_len bytes like the token's) NULL when unknown. */
rp_rc store_f360_rater_insert(store *s, store_f360_rater *r, const unsigned char *token_hash,
                              size_t hash_len, const unsigned char *email_hash, rp_err *e);
rp_rc store_f360_raters(store *s, int64_t request_id, arena *a, store_f360_rater **items,
                        size_t *n, rp_err *e);
/* The member's rater row of a request, or the row of a link token;
 * RP_ERR_NOT_FOUND when none. */
rp_rc store_f360_rater_of(store *s, int64_t request_id, int64_t person_id,
                          store_f360_rater *out, rp_err *e);
rp_rc store_f360_rater_by_token(store *s, const unsigned char *hash, size_t len,
                                store_f360_rater *out, rp_err *e);
rp_rc store_f360_rater_set(store *s, int64_t rater_id, store_f360_state state, rp_err *e);
/* The requests person_id was asked to rate, newest first (open and
 * closed), with the caller's own rater row in *raters (same order). */
rp_rc store_f360_asks(store *s, int64_t person_id, arena *a, store_f360 **items,
                      store_f360_rater **raters, size_t *n, rp_err *e);
/* Whether person_id, or the address whose keyed hash is email_hash, was
 * asked to rate requester_id in a request created after `since`. */
rp_rc store_f360_asked_since(store *s, int64_t requester_id, int64_t person_id,
                             const unsigned char *email_hash, size_t hash_len, rp_time since,
                             bool *out, rp_err *e);

/* Answers (keep and change as given: APP_SEAL_PENDING, then sealed). */
rp_rc store_f360_answer_insert(store *s, store_f360_answer *a, rp_err *e);
rp_rc store_f360_answers(store *s, int64_t request_id, arena *a, store_f360_answer **items,
                         size_t *n, rp_err *e);

/* The latest relationship (active, paused, completed or alumni) in which
 * guide_id guides learner_id; *rel_id 0 when none. */
rp_rc store_f360_guide_of(store *s, int64_t guide_id, int64_t learner_id, int64_t *rel_id,
                          rp_err *e);

/* How many requests of the program exist, and how many closed with a report. */
rp_rc store_f360_program_counts(store *s, int64_t program_id, int64_t *requests,
                                int64_t *completed, rp_err *e);

#endif
