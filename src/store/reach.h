/* reach.h: store operations for reaching people besides the outbox
 * (migration 0021, app/reach/): calendar feeds, the marks of mails sent
 * about a thing, and the reads the reminders and the feed are made of.
 */
#ifndef RAPPORT_STORE_REACH_H
#define RAPPORT_STORE_REACH_H

#include "store/store.h"

/* ---- calendar feeds ---- */

/* Sets person_id's feed secret (its keyed hash), replacing any. */
rp_rc store_feed_set(store *s, int64_t person_id, const unsigned char hash[32], rp_time now,
                     rp_err *e);
/* When person_id's feed was made; RP_ERR_NOT_FOUND when there is none. */
rp_rc store_feed_get(store *s, int64_t person_id, rp_time *created_at, rp_err *e);
rp_rc store_feed_delete(store *s, int64_t person_id, bool *deleted, rp_err *e);
/* Whose feed has secret hash `hash`; RP_ERR_NOT_FOUND for none. */
rp_rc store_feed_person(store *s, const unsigned char hash[32], int64_t *person_id, rp_err *e);

/* ---- marks ---- */

/* Marks that a mail of `kind` about about_id went to person_id; *added is
 * false when it had already. */
rp_rc store_mark_add(store *s, const char *kind, int64_t about_id, int64_t person_id, rp_time at,
                     bool *added, rp_err *e);
rp_rc store_mark_has(store *s, const char *kind, int64_t about_id, int64_t person_id, bool *has,
                     rp_err *e);

/* ---- check-ins and commitments as the calendar shows them ---- */

typedef struct store_party {
  int64_t id;
  const char *name, *email;
} store_party;

typedef struct store_cal_checkin {
  int64_t id, relationship_id;
  rp_time scheduled_at, created_at;
  const char *outcome; /* NULL: none yet */
  store_party guide, learner;
} store_cal_checkin;

/* Check-ins with no outcome, scheduled in (from, to], of active
 * relationships, that one of the parties has no `mark_kind` mark for yet;
 * at most `limit`, soonest first. */
rp_rc store_checkins_to_remind(store *s, rp_time from, rp_time to, const char *mark_kind,
                               int limit, arena *a, store_cal_checkin **items, size_t *n,
                               rp_err *e);
/* Check-in id with its parties. */
rp_rc store_cal_checkin_get(store *s, int64_t id, arena *a, store_cal_checkin *out, rp_err *e);
/* The first check-in of id's chain of reschedules (*root) and how many
 * reschedules lead to id (*sequence: 0 for a first schedule). */
rp_rc store_checkin_series(store *s, int64_t id, int64_t *root, int64_t *sequence, rp_err *e);

/* person_id's check-ins scheduled at or after `from` that were not
 * rescheduled away (held, still to come, cancelled, missed), in every
 * relationship they are a party of, by time; at most `limit`. */
rp_rc store_cal_checkins_of(store *s, int64_t person_id, rp_time from, int limit, arena *a,
                            store_cal_checkin **items, size_t *n, rp_err *e);

typedef struct store_cal_commitment {
  int64_t id, relationship_id, owner_id;
  rp_time due_at;
  store_party guide, learner;
} store_cal_commitment;

/* The open commitments due at or after `from` in person_id's
 * relationships, by due time; at most `limit`. */
rp_rc store_cal_commitments_of(store *s, int64_t person_id, rp_time from, int limit, arena *a,
                               store_cal_commitment **items, size_t *n, rp_err *e);

/* ---- what the reminders are about ---- */

/* One thing a person is told of: about_id (a commitment, a request, a
 * warning) in relationship_id, due or raised at `at`, for `to`, whose
 * counterpart in the relationship is `other`. */
typedef struct store_reach_item {
  int64_t about_id, relationship_id;
  rp_time at;
  store_party to, other;
} store_reach_item;

/* Open commitments due in (from, to] of active relationships whose owner
 * has no `mark` for them: for the owner. */
rp_rc store_commitments_to_remind(store *s, rp_time from, rp_time to, const char *mark, int limit,
                                  arena *a, store_reach_item **items, size_t *n, rp_err *e);
/* Unanswered requests written at or before `before` in active
 * relationships whose responder has no `mark` for them, oldest first: for
 * the responder (who owes the reply); `at` is when it was asked. */
rp_rc store_requests_unanswered(store *s, rp_time before, const char *mark, int limit, arena *a,
                                store_reach_item **items, size_t *n, rp_err *e);
/* Open warnings visible at `now` that a party of the relationship has no
 * `mark` for: one item per party (never anyone else). */
rp_rc store_warnings_to_tell(store *s, rp_time now, const char *mark, int limit, arena *a,
                             store_reach_item **items, size_t *n, rp_err *e);

/* Each party of an active relationship who may owe a pulse and has no
 * `mark` for their current round: about_id is their latest pulse (by
 * answered_at), or minus the relationship's id before their first; `at`
 * is that pulse's time, or the relationship's proposal. Only those whose
 * round may have come at `now`: every_days (the program's) after `at`,
 * or `nth` check-ins held since; the caller decides by the schedule. */
rp_rc store_pulses_to_tell(store *s, rp_time now, int nth, const char *mark, int limit, arena *a,
                           store_reach_item **items, size_t *n, rp_err *e);

/* ---- in-app notifications ---- */

typedef struct store_notification {
  int64_t id;
  const char *kind, *title, *link;
  rp_time at, read_at; /* read_at 0: unread */
} store_notification;

rp_rc store_notification_insert(store *s, int64_t person_id, const char *kind, const char *title,
                                const char *link, rp_time at, rp_err *e);
/* person_id's notifications, newest first, paged by id (after 0: the
 * newest); *unread counts the unread ones. */
rp_rc store_notifications_of(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                             store_notification **items, size_t *n, int64_t *next, int64_t *unread,
                             rp_err *e);
/* Marks notification id of person_id read (*marked 0 when it is not
 * theirs), or all their unread ones when id is 0; *marked counts. */
rp_rc store_notifications_read(store *s, int64_t person_id, int64_t id, rp_time at,
                               int64_t *marked, rp_err *e);

/* ---- a person's wishes about mail ---- */

typedef struct store_mail_prefs {
  const char *time_zone; /* "UTC" by default */
  int quiet_from, quiet_to; /* minutes after local midnight; -1: no quiet hours */
  bool digest;
  const char *off;       /* kinds not wanted, comma-separated; "" */
  int64_t digest_week;   /* the last local week whose digest was made (read only) */
  int64_t digest_last;   /* the newest notification then (read only) */
} store_mail_prefs;

/* person_id's wishes, or the defaults when they stated none. */
rp_rc store_mail_prefs_get(store *s, int64_t person_id, arena *a, store_mail_prefs *out,
                           rp_err *e);
rp_rc store_mail_prefs_put(store *s, int64_t person_id, const store_mail_prefs *p, rp_err *e);

/* Records that person_id's digest of local week `week` was made when
 * their newest notification was `last` (creating the row of defaults
 * when there is none). */
rp_rc store_digest_mark(store *s, int64_t person_id, int64_t week, int64_t last, rp_err *e);

/* Who wants a weekly digest and has had none for a week before `week`:
 * at most `limit`, the longest waiting first. */
typedef struct store_digest_person {
  store_party who;
  store_mail_prefs prefs;
} store_digest_person;
rp_rc store_digest_people(store *s, int64_t week, int limit, arena *a,
                          store_digest_person **items, size_t *n, rp_err *e);

#endif
