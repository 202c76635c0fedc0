/* circle_proposals.h: store operations for the matcher's proposals of
 * peer circles (migration 0066): the proposal with the request it was
 * made from, its circles (slots) and their people. Conventions as in
 * store.h. */
#ifndef RAPPORT_STORE_CIRCLE_PROPOSALS_H
#define RAPPORT_STORE_CIRCLE_PROPOSALS_H

#include "store/store.h"

typedef struct store_circle_proposal {
  int64_t id, program_id, created_by;
  const char *state; /* draft, published, discarded */
  rp_time created_at, published_at;
  const char *name;  /* the circles are named "<name> 1", "<name> 2", ... */
  int size, circles_asked; /* circles_asked 0: as many as fit */
  const char *pool;  /* learners, guides, everyone */
  bool overlap_topics, mix_attributes, facilitator, include_active;
  const char *mix_attribute_ids; /* "3,7"; "" every attribute */
  int min_overlap_minutes;
  int64_t seed;
  const char *report; /* JSON: figures only */
} store_circle_proposal;

typedef struct store_circle_slot {
  int slot, score;
  int64_t circle_id; /* 0 until published */
} store_circle_slot;

typedef struct store_circle_slot_person {
  int slot;
  int64_t person_id;
  bool facilitator;
} store_circle_slot_person;

rp_rc store_circle_proposal_insert(store *s, store_circle_proposal *p, rp_err *e);
rp_rc store_circle_proposal_get(store *s, int64_t id, arena *a, store_circle_proposal *out,
                                rp_err *e);
/* Sets state, published_at and report. */
rp_rc store_circle_proposal_update(store *s, const store_circle_proposal *p, rp_err *e);
rp_rc store_circle_proposals_list(store *s, int64_t program_id, int64_t after, int limit,
                                  arena *a, store_circle_proposal **items, size_t *n,
                                  int64_t *next, rp_err *e);

rp_rc store_circle_slot_insert(store *s, int64_t proposal_id, const store_circle_slot *slot,
                               const store_circle_slot_person *people, size_t n, rp_err *e);
/* The slots by number, and their people by slot, facilitator last. */
rp_rc store_circle_slots(store *s, int64_t proposal_id, arena *a, store_circle_slot **slots,
                         size_t *nslots, store_circle_slot_person **people, size_t *npeople,
                         rp_err *e);
rp_rc store_circle_slot_published(store *s, int64_t proposal_id, int slot, int64_t circle_id,
                                  rp_err *e);
/* Removes a person from the proposal; RP_ERR_NOT_FOUND when not in it. */
rp_rc store_circle_slot_drop_person(store *s, int64_t proposal_id, int64_t person_id, rp_err *e);
/* Removes a slot and its people. */
rp_rc store_circle_slot_drop(store *s, int64_t proposal_id, int slot, rp_err *e);

/* The people who are members (not left) of a proposed, active or paused
 * circle of the program, by id. */
rp_rc store_circle_open_members(store *s, int64_t program_id, arena *a, int64_t **ids, size_t *n,
                                rp_err *e);

#endif
