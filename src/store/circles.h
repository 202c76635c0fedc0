/* circles.h: store operations for peer circles (domain/circle.h): the
 * circles, their members, events, agreement versions and
 * acknowledgements, check-ins with attendance, what members write
 * (sealed, one table for every kind) and pulses about the circle. */
#ifndef RAPPORT_STORE_CIRCLES_H
#define RAPPORT_STORE_CIRCLES_H

#include "domain/circle.h"
#include "store/store.h"

typedef struct store_circle {
  int64_t id, program_id, proposed_by;
  const char *name;
  circle_state state;
  int cadence_days;
  rp_time proposed_at, state_since;
} store_circle;

typedef struct store_circle_member {
  int64_t person_id;
  const char *name; /* NULL for an account that is gone */
  circle_role role;
  bool accepted;
  rp_time joined_at, left_at; /* left_at 0 while in */
} store_circle_member;

typedef struct store_circle_event {
  int64_t id, circle_id, actor_id, subject_id;
  const char *kind, *from_state, *to_state; /* the states may be NULL */
  rp_time at, recorded_at;
} store_circle_event;

typedef struct store_circle_agreement {
  int64_t id, circle_id, author_id;
  int version, cadence_days;
  rp_time created_at;
  rp_blob text; /* sealed */
} store_circle_agreement;

typedef struct store_circle_checkin {
  int64_t id, circle_id, recorded_by;
  rp_time held_at, recorded_at;
} store_circle_checkin;

typedef struct store_circle_attendance {
  int64_t checkin_id, person_id;
  circle_attendance status;
  rp_time held_at;
} store_circle_attendance;

typedef struct store_circle_item {
  int64_t id, circle_id, author_id, subject_id, parent_id;
  circle_item_kind kind;
  bool shared;
  const char *label, *focus; /* may be NULL */
  rp_time due_at, closed_at, created_at; /* 0: none */
  rp_time recorded_at;                   /* when it was written (created_at may be earlier) */
  bool author_sealed;                    /* sealed with its author's key (0061 on) */
  rp_blob text; /* sealed */
} store_circle_item;

typedef struct store_circle_pulse {
  int64_t id, circle_id, rater_id;
  rp_time at;
  int answers[7];
} store_circle_pulse;

rp_rc store_circle_insert(store *s, store_circle *c, rp_err *e);
rp_rc store_circle_get(store *s, int64_t id, arena *a, store_circle *out, rp_err *e);
rp_rc store_circle_set_state(store *s, int64_t id, circle_state state, rp_time since, rp_err *e);
/* The circles `person` is or was in (any role), in id order, paged. */
rp_rc store_circles_of_person(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                              store_circle **items, size_t *n, int64_t *next, rp_err *e);
rp_rc store_circles_of_program(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                               store_circle **items, size_t *n, int64_t *next, rp_err *e);
/* How many circles of the program are in each state (index rel_state). */
rp_rc store_circle_state_counts(store *s, int64_t program_id, int64_t counts[REL_STATE_COUNT],
                                rp_err *e);

rp_rc store_circle_member_add(store *s, int64_t circle_id, const store_circle_member *m,
                              rp_err *e);
/* Everyone who is or was in the circle, members first, in joining order. */
rp_rc store_circle_members(store *s, int64_t circle_id, arena *a, store_circle_member **items,
                           size_t *n, rp_err *e);
rp_rc store_circle_member_accept(store *s, int64_t circle_id, int64_t person_id, rp_err *e);
rp_rc store_circle_member_leave(store *s, int64_t circle_id, int64_t person_id, rp_time at,
                                rp_err *e);
/* The people in the circle now (members and facilitator), for the access
 * log: whose circle text a reader saw. */
rp_rc store_circle_current_people(store *s, int64_t circle_id, arena *a, int64_t **ids, size_t *n,
                                  rp_err *e);

rp_rc store_circle_event_insert(store *s, store_circle_event *ev, rp_err *e);
rp_rc store_circle_events(store *s, int64_t circle_id, int64_t after, int limit, arena *a,
                          store_circle_event **items, size_t *n, int64_t *next, rp_err *e);

rp_rc store_circle_agreement_insert(store *s, store_circle_agreement *ag, rp_err *e);
rp_rc store_circle_agreement_set_text(store *s, int64_t id, rp_blob text, rp_err *e);
/* The latest version; RP_ERR_NOT_FOUND when none. */
rp_rc store_circle_agreement_latest(store *s, int64_t circle_id, arena *a,
                                    store_circle_agreement *out, rp_err *e);
rp_rc store_circle_ack_insert(store *s, int64_t agreement_id, int64_t person_id, rp_time at,
                              rp_err *e);
/* Who acknowledged agreement_id. */
rp_rc store_circle_acks(store *s, int64_t agreement_id, arena *a, int64_t **ids, size_t *n,
                        rp_err *e);

rp_rc store_circle_checkin_insert(store *s, store_circle_checkin *ck, rp_err *e);
rp_rc store_circle_attendance_insert(store *s, int64_t checkin_id, int64_t person_id,
                                     circle_attendance status, rp_err *e);
/* The circle's check-ins in time order. */
rp_rc store_circle_checkins(store *s, int64_t circle_id, arena *a, store_circle_checkin **items,
                            size_t *n, rp_err *e);
/* Every attendance of the circle, in check-in time order. */
rp_rc store_circle_attendances(store *s, int64_t circle_id, arena *a,
                               store_circle_attendance **items, size_t *n, rp_err *e);

rp_rc store_circle_item_insert(store *s, store_circle_item *it, rp_err *e);
rp_rc store_circle_item_set_text(store *s, int64_t id, rp_blob text, rp_err *e);
rp_rc store_circle_item_get(store *s, int64_t id, arena *a, store_circle_item *out, rp_err *e);
/* Sets an item's label and closed_at (a commitment's outcome, a goal's status). */
rp_rc store_circle_item_close(store *s, int64_t id, const char *label, rp_time closed_at,
                              rp_err *e);
/* The circle's items of kind k (every kind when k < 0), in id order. */
rp_rc store_circle_items(store *s, int64_t circle_id, int k, arena *a, store_circle_item **items,
                         size_t *n, rp_err *e);

rp_rc store_circle_pulse_insert(store *s, store_circle_pulse *p, rp_err *e);
/* Every pulse of the circle in time order. */
rp_rc store_circle_pulses(store *s, int64_t circle_id, arena *a, store_circle_pulse **items,
                          size_t *n, rp_err *e);



/* Warnings a member chose to show the facilitator by name. */
rp_rc store_circle_share_insert(store *s, int64_t circle_id, int64_t person_id, const char *code,
                                rp_time at, rp_err *e);
rp_rc store_circle_shared(store *s, int64_t circle_id, int64_t person_id, const char *code,
                          bool *out, rp_err *e);
#endif
