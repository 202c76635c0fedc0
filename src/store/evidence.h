/* evidence.h: trust evidence, the decayed sums kept with it, and the reads
 * the trust views need (TRUST-MODEL.md 2; tables of migrations 0004, 0005).
 *
 * Evidence rows are written once, in the transaction of the event that
 * caused them, and never updated except for visible_at (a pulse's reveal)
 * and the value of a goal review's item when the mapping from its T score
 * changes (`rapport trust recompute`, app/trust/rules.h).
 * The sums of a relationship are up to 24 trust_sums rows: per party
 * (`about`), component and kind, where kind 0 is behaviour with half-life
 * H, 1 pulse answers with H, and 2 both sources with H / 3 (the trend);
 * a row that is absent is empty. Conventions as in store.h.
 */
#ifndef RAPPORT_STORE_EVIDENCE_H
#define RAPPORT_STORE_EVIDENCE_H

#include "domain/exchange.h"
#include "domain/pulse.h"
#include "store/store.h"
#include "trust/trust_evidence.h"

/* trust_sums.kind */
#define STORE_SUMS_BEHAVIOUR 0
#define STORE_SUMS_PULSE 1
#define STORE_SUMS_FAST 2

/* One stored evidence item. item.source_id is the event (0 when the event
 * row is gone). */
typedef struct store_evidence {
  int64_t id;
  trust_item item;
  rp_time visible_at;
} store_evidence;

/* A goal review's evidence row and the T score of its review. */
typedef struct store_review_item {
  int64_t evidence_id;
  double v, t_score;
} store_review_item;

/* The goal-review evidence rows of rel_id (reason TRUST_R_GOAL_REVIEW, event
 * "goal_review") with their review's T score, by id. */
rp_rc store_evidence_goal_reviews(store *s, int64_t rel_id, arena *a, store_review_item **items,
                                  size_t *n, rp_err *e);

typedef struct store_pulse_ev {
  int64_t evidence_id, pulse_id;
  int reason; /* trust_reason: TRUST_R_PULSE_REL1 + item */
  double v;
} store_pulse_ev;

/* The pulse evidence rows of rel_id (event "pulse_answered") with their
 * pulse, by pulse and id. */
rp_rc store_evidence_pulse_items(store *s, int64_t rel_id, arena *a, store_pulse_ev **items,
                                 size_t *n, rp_err *e);

/* A pulse evidence row with its pulse (a rebuild's run: store/recompute.h). */
typedef struct store_pulse_ev_of {
  pulse p; /* p.relationship_id: the relationship */
  store_pulse_ev ev;
} store_pulse_ev_of;

/* Sets v of evidence row id (0 <= v <= 1). */
rp_rc store_evidence_set_value(store *s, int64_t id, double v, rp_err *e);

/* Inserts one item of relationship rel_id (its event is item->source_id). */
rp_rc store_evidence_insert(store *s, int64_t rel_id, const trust_item *item, rp_time visible_at,
                            rp_err *e);

/* Every item of rel_id in id order, except pulse items about party
 * `hidden_about` that are not visible at `now` (hidden_about -1 hides
 * nothing). The array lives in the arena; *items is NULL when *n is 0. */
rp_rc store_evidence_items(store *s, int64_t rel_id, int hidden_about, rp_time now, arena *a,
                           trust_item **items, size_t *n, rp_err *e);

/* The pulse items about party `about` of rel_id not visible at `now`
 * (visible_at > now), in id order. */
rp_rc store_evidence_unrevealed(store *s, int64_t rel_id, trust_party about, rp_time now,
                                arena *a, trust_item **items, size_t *n, rp_err *e);

/* The items of rel_id caused by events with ids in [lo, hi], by event then
 * id (the evidence of a page of the timeline). */
rp_rc store_evidence_of_events(store *s, int64_t rel_id, int64_t lo, int64_t hi, arena *a,
                               store_evidence **items, size_t *n, rp_err *e);

/* Deletes the items caused by event_id of rel_id; *deleted counts them. */
rp_rc store_evidence_delete_event(store *s, int64_t rel_id, int64_t event_id, int64_t *deleted,
                                  rp_err *e);

/* Sets visible_at of every item caused by event_id (a pulse revealed
 * earlier than planned, because the rated party answered meanwhile). */
rp_rc store_evidence_set_visible(store *s, int64_t event_id, rp_time visible_at, rp_err *e);

/* ---- the decayed sums ---- */

/* Loads the sums of rel_id into *out (zeroed first; breach fields stay
 * empty). *found tells whether any row existed. */
rp_rc store_trust_sums_load(store *s, int64_t rel_id, trust_state *out, bool *found, rp_err *e);

/* Writes one row: the sums x of (about, comp, kind). */
rp_rc store_trust_sums_put(store *s, int64_t rel_id, int about, int comp, int kind,
                           const trust_sums *x, rp_err *e);

/* Deletes every row of rel_id. */
rp_rc store_trust_sums_clear(store *s, int64_t rel_id, rp_err *e);

/* Every relationship id, in id order after `after` (paged as store.h
 * says): what a full rebuild walks. */
rp_rc store_trust_relationships(store *s, int64_t after, int limit, arena *a, int64_t **ids,
                                size_t *n, int64_t *next, rp_err *e);

/* ---- what the trust view's cache checks (migration 0005) ---- */

/* The count of changes to what the trust view of rel_id shows. */
rp_rc store_trust_seq(store *s, int64_t rel_id, int64_t *seq, rp_err *e);
/* Counts one more change (sums rewritten by a rebuild). */
rp_rc store_trust_seq_bump(store *s, int64_t rel_id, rp_err *e);
/* The earliest visible_at after `now` of the pulse evidence about party
 * `about` and of the open warnings concerning person_id in rel_id: when
 * that party's view next changes by time alone (0: no such moment). */
rp_rc store_trust_next_reveal(store *s, int64_t rel_id, trust_party about, int64_t person_id,
                              rp_time now, rp_time *at, rp_err *e);

/* ---- what the scores and explanations read besides evidence ---- */

/* A confirmed confidentiality breach: the latest acknowledged
 * confidentiality incident concerning a person. */
typedef struct store_breach {
  int64_t concerning_id;
  rp_time at; /* acknowledged_at */
} store_breach;

/* The latest breach per person concerned in rel_id, acknowledged at or
 * before `now`; at most 2 rows (the parties) go into out. */
rp_rc store_breaches(store *s, int64_t rel_id, rp_time now, store_breach out[2], size_t *n,
                     rp_err *e);

/* A goal review's score and the goals it levelled (ids, in goal order,
 * at most `max`; *ngoals is the full count). */
rp_rc store_goal_review_brief(store *s, int64_t id, double *t_score, int64_t *goal_ids,
                              size_t max, size_t *ngoals, rp_err *e);

/* A feedback item's metadata (no text). */
rp_rc store_feedback_get_meta(store *s, int64_t id, feedback_item *out, rp_err *e);

/* An incident's kind ("confidentiality", ...) and the person it concerns. */
rp_rc store_incident_brief(store *s, int64_t id, arena *a, const char **kind,
                           int64_t *concerning_id, rp_err *e);

/* ---- requests without a reply (the request_unanswered job) ---- */

/* Open requests not yet recorded as unanswered, made at or before
 * `made_before`, in relationships that still take replies (active,
 * paused, completed); id order after `after` (paged as store.h says). */
rp_rc store_requests_awaiting(store *s, rp_time made_before, int64_t after, int limit, arena *a,
                              request **items, size_t *n, int64_t *next, rp_err *e);

/* Records that request id went unanswered at `at`; RP_ERR_NOT_FOUND when
 * it was replied to or recorded meanwhile. */
rp_rc store_request_mark_unanswered(store *s, int64_t id, rp_time at, rp_err *e);

/* When request id was recorded as unanswered (0: never). */
rp_rc store_request_unanswered_at(store *s, int64_t id, rp_time *at, rp_err *e);

/* The id of the latest event of `kind` about subject_id in rel_id (0: none). */
rp_rc store_event_of_subject(store *s, int64_t rel_id, const char *kind, int64_t subject_id,
                             int64_t *event_id, rp_err *e);

/* One event of rel_id (RP_ERR_NOT_FOUND when it is not one of rel_id's). */
rp_rc store_event_get(store *s, int64_t rel_id, int64_t id, arena *a, rel_event *out, rp_err *e);

/* ---- the timeline ---- */

/* Events of rel_id newest first (by time, then id): those after the event
 * `before` in that order (0: from the newest), at most `limit`; *next is
 * the id of the last event returned when more follow, else 0. Only the
 * events `viewer` may see (STORE_EVENT_VISIBLE in store.h). */
rp_rc store_events_newest(store *s, int64_t rel_id, int64_t viewer, int64_t before, int limit,
                          arena *a, rel_event **items, size_t *n, int64_t *next, rp_err *e);

#endif
