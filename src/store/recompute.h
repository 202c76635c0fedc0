/* recompute.h: what `rapport trust recompute` reads and writes, for a run
 * of relationships at once (app/trust/rules.h), and what a write's refresh
 * of the warnings reads (a run of one: app/trust/warnings.h).
 *
 * Rebuilding one relationship reads about thirty small results (its
 * evidence, sums, open warnings and every input of the warnings'
 * refresh). One statement each per relationship makes the rebuild a
 * round trip per read, which on PostgreSQL costs far more than the work.
 * So the reads come here once per run of consecutive ids [lo, hi], each
 * one statement whose rows are tagged with their relationship, in the
 * order a reader of one relationship would give (store/evidence.h and
 * store/pulses.h say what those hold; store_warn_inputs below the rest);
 * the per-party windows ("the latest n") are window functions over the
 * same order. All of them go in one round trip (db_run_ahead).
 *
 * Writes come back the same way: sums rows and trust_seq bumps gathered and
 * written many rows per statement, and warnings_checked_at for the whole
 * run at once with the bumps (a write's refresh: with the reads).
 * Conventions as in store.h.
 */
#ifndef RAPPORT_STORE_RECOMPUTE_H
#define RAPPORT_STORE_RECOMPUTE_H

#include "domain/program.h"
#include "domain/pulse.h"
#include "store/evidence.h"
#include "store/pulses.h"
#include "store/store.h"
#include "store/warnings.h"

/* The inputs of one relationship's warnings (types in store/warnings.h),
 * all as of `now`; [p] is indexed by trust_party. */
typedef struct store_warn_inputs {
  bool has_terms; /* an agreement in force (store_agreement_terms) */
  int cadence_days, reply_window_hours;
  bool held_found; /* the latest time a check-in was held (outcome "held") */
  rp_time held;
  bool active_found; /* when it first became active (its first transition to active) */
  rp_time active;
  bool agreed; /* an agreement version acknowledged by both parties exists */
  /* The latest late_window check-ins with an outcome that were expected to
   * take place (every class but mutual_cancel and rescheduled_with_notice),
   * oldest first. */
  store_warn_checkin *checkins;
  size_t ncheckins;
  store_warn_commit *commits[2]; /* party p's latest follow_window record entries, oldest first */
  size_t ncommits[2];
  store_warn_request *requests[2]; /* the latest slow_window requests made of p, oldest first */
  size_t nrequests[2];
  store_warn_feedback *feedback; /* given in (feedback_from, now], in time order */
  size_t nfeedback;
  store_warn_goal *goals; /* added by now, by id */
  size_t ngoals;
  store_warn_incident *incidents; /* reported by now and not resolved by now, by id */
  size_t nincidents;
  pulse pulses[2][3]; /* store_pulses_latest of the rater who rates party p */
  size_t npulses[2];
  store_pulse_cusum cusum[2]; /* store_pulse_cusum_get of that rater */
  store_breach breaches[2];   /* store_breaches */
  size_t nbreaches;
} store_warn_inputs;

/* The bit of trust_sums row (about, comp, kind) in sums_rows below. */
#define STORE_SUMS_ROW_BIT(about, comp, kind) (1u << (((about) * TRUST_NCOMP + (comp)) * 3 + (kind)))

/* Everything a rebuild reads of one relationship. */
typedef struct store_recompute_rel {
  relationship r;
  program prog; /* its program (store_program_get) */
  store_evidence *items; /* every item, in id order (store_evidence_items) */
  size_t nitems;
  trust_state sums; /* store_trust_sums_load */
  bool has_sums;
  uint32_t sums_rows; /* the rows stored, by STORE_SUMS_ROW_BIT */
  /* Its pulse evidence with their pulses (store_evidence_pulse_items, with
   * each item's pulse), matched here to the items above; a write's
   * refresh leaves it empty. */
  store_pulse_ev_of *pulse_items;
  size_t npulse_items;
  store_review_item *reviews; /* store_evidence_goal_reviews */
  size_t nreviews;
  store_warning *open; /* store_warning_list_open */
  size_t nopen;
  store_warn_inputs in;
} store_recompute_rel;

/* The windows of the warnings' rules (trust/trust_warn.h's settings). */
typedef struct store_recompute_limits {
  int late_window, follow_window, slow_window;
  rp_time feedback_from; /* store_warn_feedback_since's `from` */
  /* For a write's refresh of the warnings, not a rebuild: `items` holds
   * only the pulse evidence not yet revealed (what the warnings' state
   * leaves out) and `reviews` stays empty. */
  bool refresh_only;
} store_recompute_limits;

/* Reads every relationship with lo <= id <= hi, in id order, as of `now`,
 * in the caller's transaction, all in one round trip (db_run_ahead); rows
 * live in the arena. A write's refresh (lim->refresh_only) also records
 * their warnings as checked at `now` (relationships.warnings_checked_at);
 * a rebuild records it at its end (store_recompute_finish). */
rp_rc store_recompute_load(store *s, int64_t lo, int64_t hi, rp_time now,
                           const store_recompute_limits *lim, arena *a, store_recompute_rel **rels,
                           size_t *n, rp_err *e);

/* Writes gathered for a run, in the caller's transaction. */
typedef struct store_recompute_writes store_recompute_writes;
store_recompute_writes *store_recompute_writes_new(arena *a);
/* Queues the write of one sums row (as store_trust_sums_put); `stored`:
 * the row was there when the run read its sums (false: inserted without
 * looking for it, which the run's locks on its relationships allow). */
rp_rc store_recompute_put_sums(store *s, store_recompute_writes *w, int64_t rel_id, int about,
                               int comp, int kind, const trust_sums *x, bool stored, rp_err *e);
/* Queues a trust_seq bump of rel_id (as store_trust_seq_bump). */
rp_rc store_recompute_bump(store *s, store_recompute_writes *w, int64_t rel_id, rp_err *e);
/* Queues the insert of warning w (as store_warning_insert, without
 * setting w->id); its strings must live until the flush. */
rp_rc store_recompute_put_warning(store *s, store_recompute_writes *w, const store_warning *nw,
                                  rp_err *e);
/* Writes what is queued (the queues in the order they were filled:
 * inserted warnings get their ids in the order they were queued). */
rp_rc store_recompute_flush(store *s, store_recompute_writes *w, rp_err *e);
/* The end of a rebuild's run lo..hi: store_recompute_flush, the queued
 * bumps written in one statement with the run's warnings checked at `now`
 * (each relationship's row written once). */
rp_rc store_recompute_finish(store *s, store_recompute_writes *w, int64_t lo, int64_t hi,
                             rp_time now, rp_err *e);

/* Deletes one sums row (a row the rebuild leaves empty). */
rp_rc store_trust_sums_delete(store *s, int64_t rel_id, int about, int comp, int kind, rp_err *e);

/* Begins a write transaction for rebuilding the relationships lo..hi:
 * on PostgreSQL it holds the writers' lock shared (rebuilds of other
 * relationships go on beside it; every other writer waits, as for any
 * writer) and a lock of each of those relationships (two rebuilds of one
 * relationship, from two runs of the command, serialise); on SQLite it is
 * store_begin_write. */
rp_rc store_begin_rebuild(store *s, int64_t lo, int64_t hi, rp_err *e);

#endif
