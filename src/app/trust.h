/* trust.h: the trust views of a relationship and the upkeep of its sums
 * (TRUST-MODEL.md 2, 3.7; DESIGN.md "GET /relationships/{id}/trust").
 *
 * Only the two parties see a relationship's trust and timeline; anyone
 * else, program admins included, gets RP_ERR_NOT_FOUND. Scores are read
 * from the stored decayed sums (never recomputed from history on a
 * request); the explanation reads the relationship's evidence items to
 * rank them. Pulse evidence about the viewer that is not revealed yet
 * (visible_at in the future) is left out of everything the viewer sees:
 * the score, the explanation, the timeline.
 */
#ifndef RAPPORT_APP_TRUST_H
#define RAPPORT_APP_TRUST_H

#include "app/app.h"
#include "app/warnings.h"
#include "trust/trust_evidence.h"
#include "trust/trust_index.h"

/* Evidence items explained per component. */
#define APP_TRUST_TOP 3

/* One evidence item that moves a score now. */
typedef struct app_trust_because {
  int64_t event_id;
  rp_time at;
  const char *reason;   /* stable code, e.g. "commitment_kept" */
  const char *sentence; /* e.g. "Kept the commitment 'Send the plan' on time (12 Mar)." */
  double delta;         /* P now with the item minus P without it (leave-one-out) */
} app_trust_because;

typedef struct app_trust_comp {
  trust_comp_score score; /* p, u, low, high, trend (and r, s) */
  app_trust_because top[APP_TRUST_TOP];
  size_t ntop;
} app_trust_comp;

/* One direction: how far `from` can rely on `to` (the rated party `about`). */
typedef struct app_trust_dir {
  trust_party about;
  int64_t from_id, to_id;
  trust_dir_score score;
  bool has_index; /* false while "not enough evidence yet" (U > 0.5) */
  int index;      /* 0..100, meaningful when has_index */
  app_trust_comp comp[TRUST_NCOMP];
} app_trust_dir;

typedef struct app_trust_view {
  int64_t rel_id;
  rp_time now;
  int64_t seq;         /* app_trust_stamp's count when the view was read */
  rp_time next_reveal; /* when the viewer's view next changes by time alone
                          (a pulse or warning revealed to them); 0: none */
  trust_party viewer;
  app_trust_dir dir[TRUST_NPARTY]; /* indexed by the rated party: [TRUST_GUIDE] is learner -> guide */
  app_warning *warnings; /* open, visible to the viewer (app_warnings_visible) */
  size_t nwarnings;
} app_trust_view;

/* Both directions of relationship rel_id for the signed-in party, with
 * the top evidence per component and the warnings visible to them. */
rp_rc app_trust_get(app_ctx *c, int64_t rel_id, app_trust_view *out, rp_err *e);

/* The count of changes to what app_trust_get shows of rel_id (migration
 * 0005's trust_seq): while it and the viewer stay the same, a view read
 * before differs from a fresh one only by the time passed (decay, and
 * reveals at app_trust_view.next_reveal). For the signed-in party only
 * (RP_ERR_NOT_FOUND otherwise). Joins the caller's read transaction. */
rp_rc app_trust_stamp(app_ctx *c, int64_t rel_id, int64_t *seq, rp_err *e);

/* One evidence item of a timeline event. */
typedef struct app_timeline_evidence {
  trust_comp comp;
  trust_party about;
  double delta; /* as app_trust_because.delta */
} app_timeline_evidence;

typedef struct app_timeline_item {
  rel_event ev;
  const char *sentence;
  bool celebration; /* milestone_reached */
  app_timeline_evidence *evidence;
  size_t nevidence;
} app_timeline_item;

/* The events of rel_id newest first (by time, then id), each worded, with
 * its evidence; `after` is the id of the last event of the previous page
 * (0: from the newest). Parties only. */
rp_rc app_trust_timeline(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                         app_timeline_item **items, size_t *n, int64_t *next, rp_err *e);

/* Records in st the latest confidentiality breach of each party that was
 * acknowledged by `at`. */
rp_rc app_trust_add_breaches(app_ctx *c, const relationship *r, rp_time at, trust_state *st,
                             rp_err *e);
/* The trust state of r as viewer may see it at c->now (see
 * app_trust_state in evidence.h), inside the caller's transaction. */
rp_rc app_trust_state_of(app_ctx *c, const relationship *r, int64_t viewer, trust_state *out,
                         rp_err *e);

/* What a rebuild found. */
typedef struct app_trust_recompute_stats {
  int64_t relationships; /* rebuilt */
  int64_t with_evidence; /* of which had evidence */
  int64_t items;         /* evidence items read */
  int64_t without_sums;  /* had evidence but no stored sums (nothing to compare) */
  double max_rel_diff;   /* the largest relative difference from the stored sums */
  int64_t max_diff_rel;  /* the relationship where it was found (0: none) */
  int64_t revalued;      /* goal-review items given their value under the rules in force */
  int64_t withdrawn;     /* warnings cleared because the rules in force do not raise them */
} app_trust_recompute_stats;

/* Rebuilds the sums of rel_id from its stored evidence inside the caller's
 * write transaction, adding what it found to *stats (may be NULL). */
rp_rc app_trust_rebuild(app_ctx *c, int64_t rel_id, app_trust_recompute_stats *stats, rp_err *e);

/* Moves every relationship to the rules in force (app_trust_move_to_rules:
 * goal reviews re-valued, sums rebuilt, warnings refreshed), one write
 * transaction each (the operator's `rapport trust recompute`). */
rp_rc app_trust_recompute_all(app_ctx *c, app_trust_recompute_stats *out, rp_err *e);

/* The trust index over time (GET .../trust/history): npoints evenly spaced
 * times from the relationship's proposal to c->now (both included), each
 * direction scored at each time from the evidence up to it (items the
 * viewer may see now; breaches acknowledged by then); the last point is
 * exactly what app_trust_get scores. lower/upper: 100 * the mean of the
 * components' 80% interval ends. Parties only (RP_ERR_NOT_FOUND
 * otherwise); npoints outside [2, 52] is a field error at "/points". */
#define APP_TRUST_HISTORY_DEFAULT 12
#define APP_TRUST_HISTORY_MIN 2
#define APP_TRUST_HISTORY_MAX 52
typedef struct app_trust_point {
  rp_time at;
  double index_value, lower, upper; /* 0..100 */
  bool has_index;                   /* false while "not enough evidence yet" */
  int index;                        /* trust_index_display(index_value) */
  trust_label label;
} app_trust_point;
typedef struct app_trust_history {
  int64_t rel_id;
  rp_time start, end;
  size_t npoints;
  struct {
    trust_party about;
    int64_t from_id, to_id;
    app_trust_point *points; /* npoints, ascending in time (arena) */
  } dir[TRUST_NPARTY];       /* indexed by the rated party, as app_trust_view */
} app_trust_history;
rp_rc app_trust_history_get(app_ctx *c, int64_t rel_id, int64_t npoints, app_trust_history *out,
                            rp_err *e);

#endif
