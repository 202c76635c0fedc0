/* warnings.h: early warnings (TRUST-MODEL.md 4), kept in the warnings
 * table and refreshed whenever an event that can move them is recorded on
 * the relationship (app_warnings_moved_by; app_finish calls
 * app_warnings_refresh before committing) and when time passes (the jobs:
 * app_warnings_job).
 *
 * A warning is identified by its code and the party it concerns (0: the
 * pair). While its condition keeps holding it stays open with the `since`
 * it was opened with (its figures are brought up to date); when the
 * condition stops holding it is cleared (cleared_at), and a later return
 * opens a new one. Only active and paused relationships carry warnings
 * (paused ones all but CADENCE_GAP: a pause is an agreed break from
 * meeting); when a relationship is completed, ended, declined or alumni
 * its warnings are cleared.
 *
 * Who sees them: the two parties only. A warning raised by a pulse
 * (SAFETY_DOUBT, PULSE_DROP) concerns the rated party and is shown to them
 * only from visible_at, the pulse's reveal; the rater sees it at once.
 */
#ifndef RAPPORT_APP_TRUST_WARNINGS_H
#define RAPPORT_APP_TRUST_WARNINGS_H

#include "app/core/core.h"
#include "store/recompute.h"
#include "trust/trust_warn.h"

/* Relationships refreshed by one run of the time job, and how old a
 * refresh may get before the job repeats it. */
#define APP_WARNINGS_BATCH 100
#define APP_WARNINGS_RECHECK_S RP_DAY

/* A warning as the parties see it. */
typedef struct app_warning {
  int64_t id, relationship_id;
  trust_warn_code code;
  trust_severity severity;
  int64_t party_id;    /* the party concerned; 0: the pair */
  unsigned components; /* mask of 1u << trust_comp */
  rp_time since;       /* when the condition first held */
  rp_time visible_at;  /* the party concerned sees it from then on */
  const char *evidence; /* a JSON object: figures and row ids, never text */
  const char *practice; /* the practice's slug (domain/practice.h) */
} app_warning;

/* Whether an event of `kind` can change what a relationship's warnings
 * read (its evidence and sums, state, terms, check-ins, commitments,
 * requests, feedback, goals, agreements, incidents, pulses): every kind
 * but a note's, "note_added". A note is the pair's own words, which the
 * trust model never reads; refreshing on it would only repeat what the
 * time job does daily, at the cost of the warnings' reads on the busiest
 * write. */
bool app_warnings_moved_by(const char *kind);

/* Recomputes the warnings of relationship rel_id at c->now inside the
 * current write transaction: opens new ones, clears those that no longer
 * hold, keeps `since` of those that still do, and records the check
 * (relationships.warnings_checked_at). */
rp_rc app_warnings_refresh(app_ctx *c, int64_t rel_id, rp_err *e);

/* app_warnings_refresh for `rapport trust recompute` (rules.h): from the
 * inputs read for many relationships at once (store/recompute.h) and the
 * sums the rebuild just wrote (equal to the stored ones), queueing new
 * warnings in wr and leaving warnings_checked_at to the caller. cleared[i]
 * (pre->nopen of them) tells which of pre->open it cleared. Results as
 * app_warnings_refresh's. */
rp_rc app_warnings_refresh_rebuilt(app_ctx *c, const store_recompute_rel *pre,
                                   const trust_state *sums, store_recompute_writes *wr,
                                   bool *cleared, rp_err *e);
/* The windows of the warnings' reads at now, for store_recompute_load. */
void app_warnings_limits(rp_time now, store_recompute_limits *out);

/* The open warnings of rel_id the actor may see, by id: parties only
 * (anyone else RP_ERR_NOT_FOUND). Runs in its own read transaction (or
 * joins the caller's). */
rp_rc app_warnings_list(app_ctx *c, int64_t rel_id, app_warning **items, size_t *n, rp_err *e);

/* The same without the authorisation check, for a caller that has already
 * loaded r for party `viewer` inside its transaction. */
rp_rc app_warnings_visible(app_ctx *c, const relationship *r, int64_t viewer, app_warning **items,
                           size_t *n, rp_err *e);

/* The time job, inside the caller's write transaction: refreshes up to
 * `limit` relationships whose warnings were last computed more than
 * APP_WARNINGS_RECHECK_S ago (or after c->now: the clock moved back);
 * limit 0 refreshes every relationship that is active or paused or still
 * carries an open warning. *changed grows by the warnings opened and
 * cleared. */
rp_rc app_warnings_job(app_ctx *c, int limit, int *changed, rp_err *e);

/* Refreshes every relationship that is active or paused or carries an
 * open warning, in write transactions of APP_WARNINGS_BATCH (the demo,
 * after filling history). *count gets the relationships refreshed. */
rp_rc app_warnings_refresh_all(app_ctx *c, int *count, rp_err *e);

/* The stored form of a components mask ("REL,INT"), and back. */
const char *app_warning_components_text(arena *a, unsigned mask);
unsigned app_warning_components_parse(const char *text);

#endif
