/* commitments.h: use cases for commitments: adding them, reading them and
 * recording their outcomes. Only the guide and the learner see or touch a
 * commitment; anyone else gets RP_ERR_NOT_FOUND. The text is sealed with
 * (SEAL_COMMITMENT, relationship, author 0): both parties read it. */
#ifndef RAPPORT_APP_PRACTICES_COMMITMENTS_H
#define RAPPORT_APP_PRACTICES_COMMITMENTS_H

#include "app/core/core.h"
#include "domain/commitment.h"

/* A commitment as a party sees it: its text opened, its revisions oldest first. */
typedef struct app_commitment_view {
  commitment cm;
  const char *text;
  commitment_revision *revs;
  size_t nrevs;
} app_commitment_view;

/* Adds a commitment owned by owner_id (the guide or the learner), due at
 * due_at (after `at`). `at` (NULL: now) becomes its created_at. Records
 * "commitment_added". Errors as commitment_check_new says, plus /at. */
rp_rc app_commitment_add(app_ctx *c, int64_t rel_id, int64_t owner_id, const char *text,
                         rp_time due_at, const rp_time *at, app_commitment_view *out, rp_err *e);
rp_rc app_commitment_get(app_ctx *c, int64_t id, app_commitment_view *out, rp_err *e);
rp_rc app_commitments_list(app_ctx *c, int64_t rel_id, store_commitment_filter filter,
                           int64_t after, int limit, app_commitment_view **items, size_t *n,
                           int64_t *next, rp_err *e);

/* Records outcome o at `at` (NULL: now); new_due_at is NULL unless given.
 * A renegotiation moves the due time, keeps a revision and records
 * "commitment_renegotiated"; any other outcome closes the commitment
 * (closed_by = the actor) and records "commitment_outcome". Errors as
 * commitment_decide says, plus /at against the clock and the proposal. */
rp_rc app_commitment_outcome(app_ctx *c, int64_t id, commitment_outcome o,
                             const rp_time *new_due_at, const rp_time *at, app_commitment_view *out,
                             rp_err *e);

/* The job (app_jobs_run), inside the caller's write transaction: open
 * commitments COMMITMENT_BREAK_AFTER_S past their due time become broken
 * (TRUST-MODEL.md 3.2), closed at that moment with no closer, each with a
 * "commitment_broken" event by nobody (actor 0) at the moment it broke.
 * The close only touches rows still open, so two runs (threads,
 * instances) never break the same commitment twice. *changed counts the
 * commitments broken. */
rp_rc app_commitments_break_due(app_ctx *sys, int *changed, rp_err *e);

#endif
