/* warnings.h: store operations for early warnings (TRUST-MODEL.md 4).
 *
 * Two halves. The warnings table itself: a warning is open while its
 * cleared_at is NULL; one open row per (relationship, code, party).
 * And the rows the warnings are computed from (check-in classes,
 * commitment outcomes, reply latencies, feedback kinds, goals, incidents),
 * metadata only, as of `now` (rows dated later are ignored, so a clock
 * moved back reads the past): read for one relationship or a run of them
 * at once by store/recompute.h, the one reader of a write's refresh and of
 * a rebuild; health reads two of them for itself. Confidential text never leaves here
 * except goal bodies, still sealed. Conventions as in store.h.
 */
#ifndef RAPPORT_STORE_WARNINGS_H
#define RAPPORT_STORE_WARNINGS_H

#include "store/store.h"

/* One row of the warnings table. Strings live in the caller's arena. */
typedef struct store_warning {
  int64_t id, relationship_id;
  const char *code;       /* "CADENCE_GAP", ... (trust_warn_name) */
  const char *severity;   /* "watch" or "alert" */
  int64_t party_id;       /* 0: the pair rather than one party */
  const char *components; /* "REL,INT" */
  rp_time since;          /* when the condition first held */
  const char *evidence;   /* a JSON object, figures and row ids only */
  const char *practice;   /* the practice's id */
  rp_time visible_at;     /* before it, the party concerned does not see it */
  rp_time cleared_at;     /* 0 while open */
} store_warning;

/* The open warnings of a relationship, by id. */
rp_rc store_warning_list_open(store *s, int64_t rel_id, arena *a, store_warning **items, size_t *n,
                          rp_err *e);
/* The open warnings of every relationship of a program (for health), by
 * relationship then id; only code and relationship_id are filled. */
rp_rc store_warning_codes_in_program(store *s, int64_t program_id, arena *a, store_warning **items,
                                     size_t *n, rp_err *e);
/* The warnings' writes of a refresh, which read the open warnings in the
 * same write transaction: none needs an answer, so each goes with the
 * transaction's next statement (db_exec_later; at the latest its COMMIT).
 * Inserts w (w->id, w->cleared_at ignored). */
rp_rc store_warning_insert(store *s, const store_warning *w, rp_err *e);
/* Rewrites the figures of an open warning (severity, components,
 * evidence, practice, visible_at), keeping its since. */
rp_rc store_warning_update(store *s, const store_warning *w, rp_err *e);
/* Clears an open warning at `at` (one cleared already stays as it was). */
rp_rc store_warning_clear(store *s, int64_t id, rp_time at, rp_err *e);

/* Up to `limit` relationships whose warnings were last computed before
 * `before` (or after `now`: the clock moved back), that are active or
 * paused or still carry an open warning; oldest check first. limit 0:
 * every relationship that is active, paused or carries an open warning,
 * whenever checked. */
rp_rc store_warnings_due(store *s, rp_time before, rp_time now, int limit, arena *a,
                         int64_t **ids, size_t *n, rp_err *e);

/* ---- what warnings are computed from ---- */

/* When the relationship first became active (its first "transition" event
 * to active); *found false when it never did. */
rp_rc store_warn_first_active(store *s, int64_t rel_id, bool *found, rp_time *at, rp_err *e);

/* A check-in outcome, as the late-cancellation rule reads it. */
typedef struct store_warn_checkin {
  int64_t id;
  const char *cls; /* the stored class name */
  int64_t caused_by;
  rp_time scheduled_at, outcome_at;
} store_warn_checkin;

/* One entry of a party's commitment record: a renegotiation ("renegotiated",
 * at its time) or a closing outcome ("kept", "kept_late", "broken"; dropped
 * ones are left out). */
typedef struct store_warn_commit {
  int64_t commitment_id;
  const char *kind;
  rp_time at;
} store_warn_commit;
/* The latest `limit` entries of owner_id's record at or before now, in
 * time order (oldest first). */
rp_rc store_warn_commit_record(store *s, int64_t rel_id, int64_t owner_id, rp_time now, int limit,
                               arena *a, store_warn_commit **items, size_t *n, rp_err *e);

/* A request as the reply-latency rule reads it. */
typedef struct store_warn_request {
  int64_t id;
  rp_time created_at;
  rp_time replied_at; /* 0 while unanswered (or answered after now) */
} store_warn_request;

/* A feedback item without its text. */
typedef struct store_warn_feedback {
  int64_t id, giver_id;
  const char *kind;  /* "recognition", "constructive", "ask" */
  const char *focus; /* "task", "person", or NULL */
  rp_time at;
} store_warn_feedback;

/* A goal's metadata and sealed body. */
typedef struct store_warn_goal {
  int64_t id;
  const char *status;
  int32_t due_on; /* INT32_MIN when none */
  rp_time created_at;
  rp_blob body;
} store_warn_goal;

/* One pulse's answers (0 = skipped), in the order REL1 REL2 INT1 INT2
 * COM1 EMP1 EMP2. */
typedef struct store_warn_pulse {
  int64_t id, relationship_id, rater_id, ratee_id;
  rp_time answered_at, revealed_at;
  int answers[7];
} store_warn_pulse;
/* An incident reported and not resolved. */
typedef struct store_warn_incident {
  int64_t id, concerning_id;
  const char *kind;
  rp_time reported_at;
  bool acknowledged;
} store_warn_incident;

#endif
