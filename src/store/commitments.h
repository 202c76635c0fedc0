/* commitments.h: store operations for commitments and their revisions. */
#ifndef RAPPORT_STORE_COMMITMENTS_H
#define RAPPORT_STORE_COMMITMENTS_H

#include "domain/commitment.h"
#include "store/store.h"

/* A commitment as stored: its text stays sealed here. */
typedef struct store_commitment {
  commitment cm;
  rp_blob text_ct;
} store_commitment;

/* Which commitments a list returns. */
typedef enum store_commitment_filter {
  STORE_COMMITMENTS_ALL,
  STORE_COMMITMENTS_OPEN,
  STORE_COMMITMENTS_CLOSED
} store_commitment_filter;

/* Inserts cm (open, due_at = original_due_at) with its sealed text; fills cm->id. */
rp_rc store_commitment_insert(store *s, commitment *cm, rp_blob text_ct, rp_err *e);
rp_rc store_commitment_get(store *s, int64_t id, arena *a, store_commitment *out, rp_err *e);
rp_rc store_commitments_list(store *s, int64_t relationship_id, store_commitment_filter filter,
                             int64_t after, int limit, arena *a, store_commitment **items,
                             size_t *n, int64_t *next, rp_err *e);
/* Closes an open commitment: sets state, closed_at and closed_by (0 binds
 * NULL). RP_ERR_NOT_FOUND when it is not open (any more). */
rp_rc store_commitment_close(store *s, int64_t id, commitment_state state, rp_time closed_at,
                             int64_t closed_by, rp_err *e);
/* Moves an open commitment's due time from rev->old_due_at to
 * rev->new_due_at and records the revision (fills rev->id).
 * RP_ERR_NOT_FOUND when it is not open or its due time has changed. */
rp_rc store_commitment_renegotiate(store *s, commitment_revision *rev, rp_err *e);
/* The revisions of one commitment, oldest first. */
rp_rc store_commitment_revisions(store *s, int64_t commitment_id, arena *a,
                                 commitment_revision **items, size_t *n, rp_err *e);
/* The revisions of a relationship's commitments with ids in [lo, hi],
 * by commitment then oldest first (one query for a page of commitments). */
rp_rc store_commitment_revisions_range(store *s, int64_t relationship_id, int64_t lo, int64_t hi,
                                       arena *a, commitment_revision **items, size_t *n, rp_err *e);
/* Open commitments due at or before due_before, of relationships that still
 * take outcomes (active, paused, completed: one that was declined, ended or
 * became alumni keeps its commitments as they were), in id order after
 * `after`, at most `limit` (paged as store.h says). */
rp_rc store_commitments_open_due(store *s, rp_time due_before, int64_t after, int limit, arena *a,
                                 commitment **items, size_t *n, int64_t *next, rp_err *e);

#endif
