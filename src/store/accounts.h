/* accounts.h: store operations for sign-in throttling (migration 0008)
 * and for the sessions a person lists and ends.
 *
 * Session rows are made, found, touched and deleted by token hash in
 * people.c; here they are seen by their id, which is what the API shows
 * (never the token hash).
 */
#ifndef RAPPORT_STORE_ACCOUNTS_H
#define RAPPORT_STORE_ACCOUNTS_H

#include "store/store.h"

/* ---- sign-in throttling ---- */

/* Records a sign-in attempt for email from address at `at`. */
rp_rc store_login_failure_add(store *s, const char *email, const char *address, rp_time at,
                              rp_err *e);
/* The time of the n-th most recent attempt (n >= 1) recorded after `since`
 * for email, or for address; *at is 0 when there are fewer than n. */
rp_rc store_login_failure_nth_by_email(store *s, const char *email, rp_time since, int n,
                                       rp_time *at, rp_err *e);
rp_rc store_login_failure_nth_by_address(store *s, const char *address, rp_time since, int n,
                                         rp_time *at, rp_err *e);
/* Forgets every attempt recorded for email (after a successful sign-in). */
rp_rc store_login_failures_clear(store *s, const char *email, rp_err *e);
/* Deletes the attempts recorded at or before `before`. */
rp_rc store_login_failures_prune(store *s, rp_time before, rp_err *e);

/* Replaces person_id's password hash `old` by `fresh`; does nothing when
 * the hash is no longer `old` (the password changed meanwhile). */
rp_rc store_person_rehash(store *s, int64_t person_id, const char *old, const char *fresh,
                          rp_err *e);

/* ---- a person's sessions ---- */

typedef struct store_session {
  int64_t id;
  rp_time created_at, last_seen_at;
  bool current; /* its token hash is the `current` one passed in */
} store_session;

/* The sessions of person_id still alive (last used at or after seen_since
 * and begun at or after created_since), in id order, paged by id. */
rp_rc store_sessions_of(store *s, int64_t person_id, const unsigned char current[32],
                        rp_time seen_since, rp_time created_since, int64_t after, int limit,
                        arena *a, store_session **items, size_t *n, int64_t *next, rp_err *e);
/* Deletes session id if it belongs to person_id; RP_ERR_NOT_FOUND if not. */
rp_rc store_session_end(store *s, int64_t person_id, int64_t id, rp_err *e);
/* Whether session id is the one whose token hash is `hash`. */
rp_rc store_session_is(store *s, int64_t id, const unsigned char hash[32], bool *out, rp_err *e);
/* Deletes every session of person_id but the one whose hash is `keep`;
 * *ended counts them. */
rp_rc store_sessions_end_others(store *s, int64_t person_id, const unsigned char keep[32],
                                int64_t *ended, rp_err *e);

/* For the metrics: the sessions used since idle_since, and the database's
 * size in bytes (db_size_sql). */
rp_rc store_ops_figures(store *s, rp_time idle_since, int64_t *sessions, int64_t *bytes,
                        rp_err *e);

#endif
