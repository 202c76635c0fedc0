/* recompute.c: the reads and writes of `rapport trust recompute` for a run
 * of relationships at once (see recompute.h).
 *
 * Every read is the per-relationship read it replaces with `relationship_id
 * = $1` widened to `BETWEEN $1 AND $2`, ordered by relationship first and
 * then as the original orders; a per-relationship LIMIT becomes
 * row_number() over the same order within the relationship (and the party
 * where the original names one). Rows carry their relationship (and
 * party's person) in their last columns, so each table's own row reader
 * reads them (store_internal.h).
 */
#include "store/recompute.h"
#include "base/num.h"
#include "store/store_internal.h"
#include "trust/trust_values.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- spreading tagged rows over the relationships ---- */

/* Where a query's rows go in store_recompute_rel: the array and its count,
 * or (per_party) arrays of two, indexed by the party of the person in the
 * column after the relationship's. */
typedef struct spread_to {
  size_t items, count; /* offsetof in store_recompute_rel */
  bool per_party;
} spread_to;

/* Runs st, whose rows are ordered by the relationship in column relcol
 * (and, per party, by the person in relcol + 1), reads each row with
 * `read`, and points each relationship's fields at its rows. */
static rp_rc spread(db_stmt *st, int relcol, size_t elem_size, store_read_fn read, arena *a,
                    store_recompute_rel *rels, size_t nrels, spread_to to, rp_err *e) {
  size_t cap = 64, k = 0;
  unsigned char *rows = arena_alloc(a, elem_size * cap);
  int64_t *rel = arena_alloc(a, sizeof *rel * cap), *who = arena_alloc(a, sizeof *who * cap);
  int r;
  while ((r = db_step(st, e)) == 1) {
    if (k == cap) {
      unsigned char *g = arena_alloc(a, elem_size * cap * 2);
      int64_t *gr = arena_alloc(a, sizeof *gr * cap * 2), *gw = arena_alloc(a, sizeof *gw * cap * 2);
      memcpy(g, rows, elem_size * cap);
      memcpy(gr, rel, sizeof *rel * cap);
      memcpy(gw, who, sizeof *who * cap);
      rows = g;
      rel = gr;
      who = gw;
      cap *= 2;
    }
    memset(rows + elem_size * k, 0, elem_size);
    read(st, a, rows + elem_size * k);
    rel[k] = db_col_i64(st, relcol);
    who[k] = to.per_party ? db_col_i64(st, relcol + 1) : 0;
    k++;
  }
  db_done(st);
  if (r < 0) return e ? e->rc : RP_ERR_INTERNAL;
  size_t j = 0;
  for (size_t i = 0; i < k;) {
    size_t end = i + 1;
    while (end < k && rel[end] == rel[i] && who[end] == who[i]) end++;
    while (j < nrels && rels[j].r.id < rel[i]) j++;
    if (j < nrels && rels[j].r.id == rel[i]) {
      unsigned char *base = (unsigned char *)&rels[j];
      int slot = 0;
      if (to.per_party) slot = who[i] == rels[j].r.guide_id    ? TRUST_GUIDE
                               : who[i] == rels[j].r.learner_id ? TRUST_LEARNER
                                                                : -1;
      if (slot >= 0) {
        void **items = (void **)(base + to.items) + slot;
        size_t *count = (size_t *)(base + to.count) + slot;
        *items = rows + elem_size * i;
        *count = end - i;
      }
    }
    i = end;
  }
  return RP_OK;
}

/* The relationship of id, or NULL (rels sorted by id; *hint walks along). */
static store_recompute_rel *find(store_recompute_rel *rels, size_t n, size_t *hint, int64_t id) {
  while (*hint < n && rels[*hint].r.id < id) (*hint)++;
  return *hint < n && rels[*hint].r.id == id ? &rels[*hint] : NULL;
}

#define TO(field, count, party)                                                            \
  ((spread_to){offsetof(store_recompute_rel, field), offsetof(store_recompute_rel, count), party})

/* ---- the reads ---- */

static const char SQL_RELS[] =
    "SELECT " STORE_REL_COLS " FROM relationships WHERE id BETWEEN $1 AND $2 ORDER BY id";
static rp_rc load_rels(db_stmt *st, arena *a, store_recompute_rel **rels, size_t *n, rp_err *e) {
  relationship *r;
  rp_rc rc = store_collect(st, sizeof *r, store_read_rel, a, (void **)&r, n, e);
  if (rc) return rc;
  *rels = arena_zalloc(a, sizeof **rels * (*n ? *n : 1));
  for (size_t i = 0; i < *n; i++) (*rels)[i].r = r[i];
  return RP_OK;
}

/* An evidence row and its relationship, for sorting. */
typedef struct tagged_evidence {
  int64_t rel;
  store_evidence ev;
} tagged_evidence;

static void read_tagged_evidence(db_stmt *st, arena *a, void *elem) {
  tagged_evidence *t = elem;
  store_read_evidence(st, a, &t->ev);
  t->rel = db_col_i64(st, 10);
}

static int by_rel_then_id(const void *x, const void *y) {
  const tagged_evidence *a = x, *b = y;
  if (a->rel != b->rel) return a->rel < b->rel ? -1 : 1;
  return a->ev.id < b->ev.id ? -1 : a->ev.id > b->ev.id;
}

/* The run's evidence: tens of thousands of rows, which PostgreSQL would
 * sort on disk with its default work_mem; they are sorted here instead
 * (by relationship, then id: store_evidence_items's order). A write's
 * refresh reads only the pulse evidence not yet revealed at $3, all that
 * the warnings use of it (app_trust_state_of_rows). */
#define EVIDENCE_OF_RUN                                                                            \
  "SELECT id, about, comp, source, reason, v, w, t, event_id, visible_at,"                         \
  " relationship_id FROM evidence WHERE relationship_id BETWEEN $1 AND $2"
static const char SQL_EVIDENCE[] = EVIDENCE_OF_RUN;
static const char SQL_EVIDENCE_HIDDEN[] = EVIDENCE_OF_RUN " AND visible_at > $3 AND source = 1";
static rp_rc load_evidence(db_stmt *st, arena *a, store_recompute_rel *rels, size_t n,
                           rp_err *e) {
  tagged_evidence *rows;
  size_t k;
  rp_rc rc = store_collect(st, sizeof *rows, read_tagged_evidence, a, (void **)&rows, &k, e);
  if (rc) return rc;
  qsort(rows, k, sizeof *rows, by_rel_then_id);
  store_evidence *items = arena_alloc(a, sizeof *items * (k ? k : 1));
  for (size_t i = 0; i < k; i++) items[i] = rows[i].ev;
  size_t hint = 0;
  for (size_t i = 0; i < k;) {
    size_t end = i + 1;
    while (end < k && rows[end].rel == rows[i].rel) end++;
    store_recompute_rel *x = find(rels, n, &hint, rows[i].rel);
    if (x) {
      x->items = items + i;
      x->nitems = end - i;
    }
    i = end;
  }
  return RP_OK;
}

/* ---- a rebuild's pulse evidence, matched to its pulses here ---- */

/* The run's pulses, and its "pulse_answered" events with the pulse each
 * names: two range reads that PostgreSQL plans the same at any size (a
 * join of them with the evidence was planned to read every item of a
 * relationship for each of its pulses on a large store). */
static const char SQL_RUN_PULSES[] = "SELECT " STORE_PULSE_COLS " FROM pulses"
                                     " WHERE relationship_id BETWEEN $1 AND $2"
                                     " ORDER BY relationship_id, id";
static const char SQL_PULSE_EVENTS[] =
    "SELECT id, subject_id, relationship_id FROM events WHERE relationship_id BETWEEN $1 AND $2"
    " AND kind = 'pulse_answered' ORDER BY relationship_id, id";

static int by_pulse_then_id(const void *x, const void *y) {
  const store_pulse_ev_of *a = x, *b = y;
  if (a->p.id != b->p.id) return a->p.id < b->p.id ? -1 : 1;
  return a->ev.evidence_id < b->ev.evidence_id ? -1 : a->ev.evidence_id > b->ev.evidence_id;
}

typedef struct pulse_event {
  int64_t id, pulse_id, rel;
} pulse_event;

static void read_pulse_event(db_stmt *st, arena *a, void *elem) {
  (void)a;
  pulse_event *v = elem;
  v->id = db_col_i64(st, 0);
  v->pulse_id = db_col_i64(st, 1);
  v->rel = db_col_i64(st, 2);
}

/* Points each relationship's pulse_items at its pulse evidence (items of
 * source pulse whose event is one of its "pulse_answered" events, naming
 * one of its pulses), by pulse then id, as store_evidence_pulse_items
 * gives them: the run's pulses and events (each sorted by relationship,
 * then id) walked along with the relationships. */
static void match_pulses(const pulse *ps, size_t nps, const pulse_event *vs, size_t nvs, arena *a,
                         store_recompute_rel *rels, size_t n) {
  size_t ip = 0, iv = 0;
  for (size_t r = 0; r < n; r++) {
    store_recompute_rel *x = &rels[r];
    int64_t rel = x->r.id;
    while (ip < nps && ps[ip].relationship_id < rel) ip++;
    while (iv < nvs && vs[iv].rel < rel) iv++;
    size_t p0 = ip, v0 = iv;
    while (ip < nps && ps[ip].relationship_id == rel) ip++;
    while (iv < nvs && vs[iv].rel == rel) iv++;
    if (ip == p0 || iv == v0) continue;
    store_pulse_ev_of *out = NULL;
    size_t k = 0;
    for (size_t i = 0; i < x->nitems; i++) {
      const store_evidence *it = &x->items[i];
      if (it->item.source != TRUST_SRC_PULSE) continue;
      const pulse_event *v = bsearch(&it->item.source_id, vs + v0, iv - v0, sizeof *vs, rp_cmp_i64);
      const pulse *p = v ? bsearch(&v->pulse_id, ps + p0, ip - p0, sizeof *ps, rp_cmp_i64) : NULL;
      if (!p) continue;
      if (!out) out = arena_alloc(a, sizeof *out * (x->nitems - i));
      out[k].p = *p;
      out[k].ev = (store_pulse_ev){.evidence_id = it->id, .pulse_id = p->id,
                                   .reason = it->item.reason, .v = it->item.v};
      k++;
    }
    if (k) qsort(out, k, sizeof *out, by_pulse_then_id);
    x->pulse_items = out;
    x->npulse_items = k;
  }
}

/* ---- reads of a few rows per relationship, each applied by a function ---- */

typedef void (*row_fn)(store_recompute_rel *x, db_stmt *st);

/* Steps st (bound); each row whose column relcol names a relationship of
 * the run goes to fn with it. */
static rp_rc each_row(db_stmt *st, int relcol, store_recompute_rel *rels, size_t n, row_fn fn,
                      rp_err *e) {
  size_t hint = 0;
  int r;
  while ((r = db_step(st, e)) == 1) {
    store_recompute_rel *x = find(rels, n, &hint, db_col_i64(st, relcol));
    if (x) fn(x, st);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

static const char SQL_SUMS[] =
    "SELECT relationship_id, about, comp, kind, r, s, t_ref FROM trust_sums"
    " WHERE relationship_id BETWEEN $1 AND $2 ORDER BY relationship_id";
static void put_sums(store_recompute_rel *x, db_stmt *st) {
  int64_t about = db_col_i64(st, 1), comp = db_col_i64(st, 2), kind = db_col_i64(st, 3);
  if (about < 0 || about >= TRUST_NPARTY || comp < 0 || comp >= TRUST_NCOMP) return;
  trust_sums *row = store_sums_row(&x->sums, (int)about, (int)comp, (int)kind);
  row->r = db_col_f64(st, 4);
  row->s = db_col_f64(st, 5);
  row->t_ref = db_col_i64(st, 6);
  x->has_sums = true;
  if (kind >= 0 && kind < 3) x->sums_rows |= STORE_SUMS_ROW_BIT(about, comp, kind);
}

static const char SQL_BREACHES[] =
    "SELECT relationship_id, concerning_id, MAX(acknowledged_at) FROM incidents"
    " WHERE relationship_id BETWEEN $1 AND $2 AND kind = 'confidentiality'"
    " AND acknowledged_at IS NOT NULL AND acknowledged_at <= $3"
    " GROUP BY relationship_id, concerning_id ORDER BY relationship_id, concerning_id";
static void put_breach(store_recompute_rel *x, db_stmt *st) {
  if (x->in.nbreaches == 2) return;
  x->in.breaches[x->in.nbreaches].concerning_id = db_col_i64(st, 1);
  x->in.breaches[x->in.nbreaches].at = db_col_i64(st, 2);
  x->in.nbreaches++;
}

static const char SQL_TERMS[] =
    "SELECT relationship_id, cadence_days, reply_window_hours FROM ("
    " SELECT a.relationship_id, a.cadence_days, a.reply_window_hours,"
    " row_number() OVER (PARTITION BY a.relationship_id ORDER BY a.version DESC) AS k"
    " FROM agreements a WHERE a.relationship_id BETWEEN $1 AND $2"
    " AND (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2"
    ") AS x WHERE k = 1 ORDER BY relationship_id";
static void put_terms(store_recompute_rel *x, db_stmt *st) {
  x->in.has_terms = true;
  x->in.cadence_days = (int)db_col_i64(st, 1);
  x->in.reply_window_hours = (int)db_col_i64(st, 2);
}

static const char SQL_LAST_HELD[] =
    "SELECT relationship_id, MAX(outcome_at) FROM checkins"
    " WHERE relationship_id BETWEEN $1 AND $2 AND outcome = 'held' AND outcome_at <= $3"
    " GROUP BY relationship_id ORDER BY relationship_id";
static void put_last_held(store_recompute_rel *x, db_stmt *st) {
  if (db_col_null(st, 1)) return;
  x->in.held_found = true;
  x->in.held = db_col_i64(st, 1);
}

static const char SQL_FIRST_ACTIVE[] =
    "SELECT relationship_id, MIN(at) FROM events WHERE relationship_id BETWEEN $1 AND $2"
    " AND kind = 'transition' AND to_state = 'active'"
    " GROUP BY relationship_id ORDER BY relationship_id";
static void put_first_active(store_recompute_rel *x, db_stmt *st) {
  if (db_col_null(st, 1)) return;
  x->in.active_found = true;
  x->in.active = db_col_i64(st, 1);
}

static const char SQL_AGREED[] =
    "SELECT DISTINCT a.relationship_id FROM agreements a"
    " WHERE a.relationship_id BETWEEN $1 AND $2"
    " AND (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id"
    " AND k.at <= $3) >= 2 ORDER BY a.relationship_id";
static void put_agreed(store_recompute_rel *x, db_stmt *st) {
  (void)st;
  x->in.agreed = true;
}

/* The party rated by rater_id in r (the other party), or -1. */
static int rated_by(const relationship *r, int64_t rater_id) {
  if (rater_id == r->learner_id) return TRUST_GUIDE;
  if (rater_id == r->guide_id) return TRUST_LEARNER;
  return -1;
}

/* The latest three pulses of each rater, newest first (store_pulses_latest). */
static const char SQL_PULSES[] =
    "SELECT " STORE_PULSE_COLS " FROM (SELECT " STORE_PULSE_COLS ","
    " row_number() OVER (PARTITION BY relationship_id, rater_id"
    " ORDER BY answered_at DESC, id DESC) AS k FROM pulses"
    " WHERE relationship_id BETWEEN $1 AND $2) AS x WHERE k <= 3"
    " ORDER BY relationship_id, rater_id, answered_at DESC, id DESC";
static void put_pulse(store_recompute_rel *x, db_stmt *st) {
  pulse p;
  store_read_pulse(st, NULL, &p);
  int party = rated_by(&x->r, p.rater_id);
  if (party < 0 || x->in.npulses[party] == 3) return;
  x->in.pulses[party][x->in.npulses[party]++] = p;
}

static const char SQL_CUSUM[] =
    "SELECT relationship_id, rater_id, n, first_sum, s, alarm_at FROM pulse_cusum"
    " WHERE relationship_id BETWEEN $1 AND $2 ORDER BY relationship_id";
static void put_cusum(store_recompute_rel *x, db_stmt *st) {
  int party = rated_by(&x->r, db_col_i64(st, 1));
  if (party < 0) return;
  store_pulse_cusum *c = &x->in.cusum[party];
  c->n = db_col_i64(st, 2);
  c->first_sum = db_col_f64(st, 3);
  c->s = db_col_f64(st, 4);
  c->alarm_at = db_col_null(st, 5) ? 0 : db_col_i64(st, 5);
}

static void read_review(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_review_item *it = elem;
  it->evidence_id = db_col_i64(st, 0);
  it->v = db_col_f64(st, 1);
  it->t_score = db_col_f64(st, 2);
}

/* The reads whose rows spread over the relationships as they come: each
 * binds lo and hi as $1 and $2, then its own parameters from $3 on. */

/* Goal-review evidence, from the run's reviews (events_goal_reviews) to
 * their items: from the items' side the events were scanned whole. */
static const char SQL_REVIEWS[] =
    "SELECT x.id, x.v, g.t_score, x.relationship_id FROM events v"
    " JOIN goal_reviews g ON g.id = v.subject_id"
    " JOIN evidence x ON x.relationship_id = v.relationship_id AND x.event_id = v.id"
    " WHERE v.relationship_id BETWEEN $1 AND $2 AND v.kind = 'goal_review' AND x.reason = $3"
    " ORDER BY x.relationship_id, x.id";
static const char SQL_OPEN[] =
    "SELECT " STORE_WARNING_COLS " FROM warnings WHERE relationship_id BETWEEN $1 AND $2"
    " AND cleared_at IS NULL ORDER BY relationship_id, id";
static const char SQL_CHECKINS[] =
    "SELECT id, outcome_class, caused_by, scheduled_at, outcome_at, relationship_id"
    " FROM (SELECT id, outcome_class, caused_by, scheduled_at, outcome_at,"
    " relationship_id, row_number() OVER (PARTITION BY relationship_id"
    " ORDER BY scheduled_at DESC, id DESC) AS k FROM checkins"
    " WHERE relationship_id BETWEEN $1 AND $2 AND outcome IS NOT NULL"
    " AND outcome_at <= $3"
    " AND outcome_class NOT IN ('mutual_cancel', 'rescheduled_with_notice')) AS x"
    " WHERE k <= $4 ORDER BY relationship_id, scheduled_at, id";
static const char SQL_COMMITS[] =
    "SELECT id, kind, at, rel, owner FROM ("
    " SELECT id, kind, at, kk, rel, owner, row_number() OVER (PARTITION BY rel, owner"
    " ORDER BY at DESC, id DESC, kk DESC) AS k FROM ("
    " SELECT c.id AS id, 'renegotiated' AS kind, v.at AS at, v.id AS kk,"
    " c.relationship_id AS rel, c.owner_id AS owner"
    " FROM commitment_revisions v JOIN commitments c ON c.id = v.commitment_id"
    " WHERE c.relationship_id BETWEEN $1 AND $2 AND v.at <= $3"
    " UNION ALL"
    " SELECT id, state, closed_at, 0, relationship_id, owner_id FROM commitments"
    " WHERE relationship_id BETWEEN $1 AND $2"
    " AND state IN ('kept', 'kept_late', 'broken') AND closed_at <= $3) AS x) AS y"
    " WHERE k <= $4 ORDER BY rel, owner, at, id, kk";
static const char SQL_REQUESTS[] =
    "SELECT id, created_at, replied, relationship_id, responder_id FROM ("
    " SELECT id, created_at, CASE WHEN replied_at <= $3 THEN replied_at ELSE 0 END"
    " AS replied, relationship_id, responder_id, row_number() OVER (PARTITION BY"
    " relationship_id, responder_id ORDER BY created_at DESC, id DESC) AS k"
    " FROM requests WHERE relationship_id BETWEEN $1 AND $2 AND created_at <= $3) AS x"
    " WHERE k <= $4 ORDER BY relationship_id, responder_id, created_at, id";
static const char SQL_FEEDBACK[] =
    "SELECT id, giver_id, kind, focus, at, relationship_id FROM feedback"
    " WHERE relationship_id BETWEEN $1 AND $2 AND at > $3 AND at <= $4"
    " ORDER BY relationship_id, at, id";
static const char SQL_GOALS[] =
    "SELECT id, status, due_on, created_at, body_ct, relationship_id FROM goals"
    " WHERE relationship_id BETWEEN $1 AND $2 AND created_at <= $3"
    " ORDER BY relationship_id, id";
static const char SQL_INCIDENTS[] =
    "SELECT id, concerning_id, kind, reported_at,"
    " CASE WHEN acknowledged_at IS NOT NULL AND acknowledged_at <= $3 THEN 1 ELSE 0 END,"
    " relationship_id FROM incidents WHERE relationship_id BETWEEN $1 AND $2"
    " AND reported_at <= $3 AND (resolved_at IS NULL OR resolved_at > $3)"
    " ORDER BY relationship_id, id";

/* One of them: sql with lo, hi and params[0..np) bound, rows spread by
 * spread() from column relcol. */
typedef struct spread_read {
  const char *sql;
  int64_t params[2];
  int np, relcol;
  size_t size;
  store_read_fn read;
  spread_to to;
} spread_read;

/* The programs of the run's relationships, by id. */
static const char SQL_PROGRAMS[] =
    "SELECT " STORE_PROGRAM_COLS " FROM programs WHERE id IN"
    " (SELECT program_id FROM relationships WHERE id BETWEEN $1 AND $2) ORDER BY id";
static rp_rc load_programs(db_stmt *st, arena *a, store_recompute_rel *rels, size_t n,
                           rp_err *e) {
  program *progs;
  size_t k;
  rp_rc rc = store_collect(st, sizeof *progs, store_read_program, a, (void **)&progs, &k, e);
  for (size_t i = 0; i < n && !rc; i++) {
    size_t j = 0;
    while (j < k && progs[j].id != rels[i].r.program_id) j++;
    if (j == k) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
    rels[i].prog = progs[j];
  }
  return rc;
}

/* The check of a write's refresh of the warnings, recorded with the reads
 * (the caller's transaction fails as a whole when the refresh does); a
 * rebuild's run records it with its trust_seq bumps (store_recompute_finish). */
static const char SQL_CHECKED[] =
    "UPDATE relationships SET warnings_checked_at = $3 WHERE id BETWEEN $1 AND $2";

/* Prepares sql and binds lo, hi and params[0..np) as $1, $2, $3...; NULL
 * with e filled when it cannot be prepared. */
static db_stmt *bound(store *s, const char *sql, int64_t lo, int64_t hi, const int64_t *params,
                      int np, rp_err *e) {
  db_stmt *st = db_prep(s->db, sql, e);
  if (!st) return NULL;
  db_bind_i64(st, 1, lo);
  db_bind_i64(st, 2, hi);
  for (int i = 0; i < np; i++) db_bind_i64(st, 3 + i, params[i]);
  return st;
}

rp_rc store_recompute_load(store *s, int64_t lo, int64_t hi, rp_time now,
                           const store_recompute_limits *lim, arena *a, store_recompute_rel **rels,
                           size_t *n, rp_err *e) {
  const struct {
    const char *sql;
    int64_t param;
    int np, relcol;
    row_fn fn;
  } rows[] = {
      {SQL_SUMS, 0, 0, 0, put_sums},
      {SQL_BREACHES, now, 1, 0, put_breach},
      {SQL_TERMS, 0, 0, 0, put_terms},
      {SQL_LAST_HELD, now, 1, 0, put_last_held},
      {SQL_FIRST_ACTIVE, 0, 0, 0, put_first_active},
      {SQL_AGREED, now, 1, 0, put_agreed},
      {SQL_PULSES, 0, 0, 1, put_pulse},
      {SQL_CUSUM, 0, 0, 0, put_cusum},
  };
  const spread_read reads[] = {
      {SQL_OPEN, {0}, 0, 1, sizeof(store_warning), store_read_warning, TO(open, nopen, false)},
      {SQL_CHECKINS, {now, lim->late_window}, 2, 5, sizeof(store_warn_checkin),
       store_read_warn_checkin, TO(in.checkins, in.ncheckins, false)},
      {SQL_COMMITS, {now, lim->follow_window}, 2, 3, sizeof(store_warn_commit),
       store_read_warn_commit, TO(in.commits, in.ncommits, true)},
      {SQL_REQUESTS, {now, lim->slow_window}, 2, 3, sizeof(store_warn_request),
       store_read_warn_request, TO(in.requests, in.nrequests, true)},
      {SQL_FEEDBACK, {lim->feedback_from, now}, 2, 5, sizeof(store_warn_feedback),
       store_read_warn_feedback, TO(in.feedback, in.nfeedback, false)},
      {SQL_GOALS, {now}, 1, 5, sizeof(store_warn_goal), store_read_warn_goal,
       TO(in.goals, in.ngoals, false)},
      {SQL_INCIDENTS, {now}, 1, 5, sizeof(store_warn_incident), store_read_warn_incident,
       TO(in.incidents, in.nincidents, false)},
      {SQL_REVIEWS, {TRUST_R_GOAL_REVIEW}, 1, 3, sizeof(store_review_item), read_review,
       TO(reviews, nreviews, false)}, /* last: a write's refresh leaves it out */
  };
  enum { NROWS = sizeof rows / sizeof *rows, NREADS = sizeof reads / sizeof *reads };
  size_t nreads = lim->refresh_only ? NREADS - 1 : NREADS;
  /* Every statement prepared and bound first, then run in one round trip
   * (db_run_ahead), then read in the same order. */
  db_stmt *st[6 + NROWS + NREADS];
  size_t k = 0;
  st[k++] = bound(s, SQL_RELS, lo, hi, NULL, 0, e);
  st[k++] = bound(s, SQL_PROGRAMS, lo, hi, NULL, 0, e);
  st[k++] = lim->refresh_only ? bound(s, SQL_EVIDENCE_HIDDEN, lo, hi, &now, 1, e)
                              : bound(s, SQL_EVIDENCE, lo, hi, NULL, 0, e);
  if (!lim->refresh_only) {
    st[k++] = bound(s, SQL_RUN_PULSES, lo, hi, NULL, 0, e);
    st[k++] = bound(s, SQL_PULSE_EVENTS, lo, hi, NULL, 0, e);
  }
  for (size_t i = 0; i < NROWS; i++)
    st[k++] = bound(s, rows[i].sql, lo, hi, &rows[i].param, rows[i].np, e);
  for (size_t i = 0; i < nreads; i++)
    st[k++] = bound(s, reads[i].sql, lo, hi, reads[i].params, reads[i].np, e);
  if (lim->refresh_only) st[k++] = bound(s, SQL_CHECKED, lo, hi, &now, 1, e);
  for (size_t i = 0; i < k; i++)
    if (!st[i]) {
      for (size_t j = 0; j < k; j++)
        if (st[j]) db_done(st[j]);
      return e->rc;
    }
  db_run_ahead(st, k);
  size_t next = 0;
  rp_rc rc = load_rels(st[next++], a, rels, n, e);
  store_recompute_rel *x = *rels;
  size_t m = rc ? 0 : *n;
  if (!rc) rc = load_programs(st[next++], a, x, m, e);
  if (!rc) rc = load_evidence(st[next++], a, x, m, e);
  if (!rc && !lim->refresh_only) {
    pulse *ps;
    pulse_event *vs;
    size_t nps = 0, nvs = 0;
    rc = store_collect(st[next++], sizeof *ps, store_read_pulse, a, (void **)&ps, &nps, e);
    if (!rc) rc = store_collect(st[next++], sizeof *vs, read_pulse_event, a, (void **)&vs, &nvs, e);
    if (!rc) match_pulses(ps, nps, vs, nvs, a, x, m);
  }
  for (size_t i = 0; i < NROWS && !rc; i++)
    rc = each_row(st[next++], rows[i].relcol, x, m, rows[i].fn, e);
  for (size_t i = 0; i < nreads && !rc; i++, next++)
    rc = spread(st[next], reads[i].relcol, reads[i].size, reads[i].read, a, x, m, reads[i].to, e);
  if (!rc && lim->refresh_only) rc = db_exec_stmt(st[next++], e);
  for (; next < k; next++) db_done(st[next]); /* after a failure: what was run ahead goes unread */
  return rc;
}

/* ---- the writes ---- */

/* Rows per multi-row statement; a run's bumps (one per relationship at
 * most, RUN_RELS of app/trust/rules.c) fit in one. What is left of a
 * queue at a flush goes in statements of 32, 16, ... 1 rows (CHUNKS
 * sizes in all), at most one of each, not a row at a time. */
#define SUMS_ROWS 64
#define SUMS_COLS 7
#define BUMP_IDS 256
#define WARN_ROWS 64
#define WARN_COLS 9
#define CHUNKS 7
_Static_assert(SUMS_ROWS == 1 << (CHUNKS - 1) && WARN_ROWS == 1 << (CHUNKS - 1),
               "a full queue is the largest chunk");

typedef struct sums_row {
  int64_t rel;
  int about, comp, kind;
  trust_sums x;
} sums_row;

/* The sums rows queued: [0] rows stored before (an upsert), [1] rows the
 * run's read found absent (a plain insert: the run holds its
 * relationships' locks, so none appears meanwhile, and an insert that
 * need not look for a row to update first costs PostgreSQL less). */
struct store_recompute_writes {
  sums_row sums[2][SUMS_ROWS];
  size_t nsums[2];
  int64_t bumps[BUMP_IDS];
  size_t nbumps;
  store_warning warnings[WARN_ROWS];
  size_t nwarnings;
};

store_recompute_writes *store_recompute_writes_new(arena *a) {
  return arena_zalloc(a, sizeof(store_recompute_writes));
}

/* The multi-row statements, written out once, [c] of SUMS_ROWS >> c rows
 * (static storage: db.h keys prepared statements by the text's address). */
static char g_sums_sql[CHUNKS][SUMS_ROWS * 48 + 512];
static char g_new_sums_sql[CHUNKS][SUMS_ROWS * 48 + 256];
static char g_warn_sql[CHUNKS][WARN_ROWS * 64 + 256];
static char g_bump_sql[BUMP_IDS * 8 + 128];
static char g_finish_sql[BUMP_IDS * 8 + 256];
static pthread_once_t g_sql_once = PTHREAD_ONCE_INIT;

static void write_sql(void) {
  static const char sums_head[] =
      "INSERT INTO trust_sums (relationship_id, about, comp, kind, r, s, t_ref) VALUES ";
  size_t k;
  for (int c = 0; c < CHUNKS; c++) {
    store_sql_rows(g_new_sums_sql[c], sizeof g_new_sums_sql[c], sums_head, SUMS_ROWS >> c,
                   SUMS_COLS);
    k = store_sql_rows(g_sums_sql[c], sizeof g_sums_sql[c], sums_head, SUMS_ROWS >> c, SUMS_COLS);
    snprintf(g_sums_sql[c] + k, sizeof g_sums_sql[c] - k,
             " ON CONFLICT (relationship_id, about, comp, kind)"
             " DO UPDATE SET r = excluded.r, s = excluded.s, t_ref = excluded.t_ref");
    store_sql_rows(g_warn_sql[c], sizeof g_warn_sql[c],
                   "INSERT INTO warnings (relationship_id, code, severity, party_id, components,"
                   " since, evidence, practice, visible_at) VALUES ",
                   WARN_ROWS >> c, WARN_COLS);
  }
  store_sql_rows(g_bump_sql, sizeof g_bump_sql,
                 "UPDATE relationships SET trust_seq = trust_seq + 1 WHERE id IN ", 1, BUMP_IDS);
  k = store_sql_rows(g_finish_sql, sizeof g_finish_sql,
                     "UPDATE relationships SET trust_seq = trust_seq + CASE WHEN id IN ", 1,
                     BUMP_IDS);
  snprintf(g_finish_sql + k, sizeof g_finish_sql - k,
           " THEN 1 ELSE 0 END, warnings_checked_at = $%d WHERE id BETWEEN $%d AND $%d",
           BUMP_IDS + 1, BUMP_IDS + 2, BUMP_IDS + 3);
}

/* One statement writing rows x[0..n) (n = WARN_ROWS >> c). */
static rp_rc insert_warnings(store *s, int c, const store_warning *x, size_t n, rp_err *e) {
  STORE_PREP(s, g_warn_sql[c], e);
  for (size_t i = 0; i < n; i++, x++) {
    int p = (int)i * WARN_COLS;
    db_bind_i64(st, p + 1, x->relationship_id);
    db_bind_text(st, p + 2, x->code);
    db_bind_text(st, p + 3, x->severity);
    db_bind_id_or_null(st, p + 4, x->party_id);
    db_bind_text(st, p + 5, x->components);
    db_bind_i64(st, p + 6, x->since);
    db_bind_text(st, p + 7, x->evidence);
    db_bind_text(st, p + 8, x->practice);
    db_bind_i64(st, p + 9, x->visible_at);
  }
  return db_exec_stmt(st, e);
}

/* One statement writing sums rows x[0..n) (n = SUMS_ROWS >> c) of queue q. */
static rp_rc insert_sums(store *s, int q, int c, const sums_row *x, size_t n, rp_err *e) {
  STORE_PREP(s, q ? g_new_sums_sql[c] : g_sums_sql[c], e);
  for (size_t i = 0; i < n; i++, x++) {
    int p = (int)i * SUMS_COLS;
    db_bind_i64(st, p + 1, x->rel);
    db_bind_i64(st, p + 2, x->about);
    db_bind_i64(st, p + 3, x->comp);
    db_bind_i64(st, p + 4, x->kind);
    db_bind_f64(st, p + 5, x->x.r);
    db_bind_f64(st, p + 6, x->x.s);
    db_bind_i64(st, p + 7, x->x.t_ref);
  }
  return db_exec_stmt(st, e);
}

/* Writes the n rows queued at rows (sums queue q, or the warnings when q
 * is -1), in queue order, largest chunks first. */
static rp_rc flush_rows(store *s, int q, const void *rows, size_t n, rp_err *e) {
  pthread_once(&g_sql_once, write_sql);
  rp_rc rc = RP_OK;
  size_t done = 0;
  for (int c = 0; c < CHUNKS && !rc; c++) {
    size_t size = (size_t)SUMS_ROWS >> c;
    if (n - done < size) continue;
    rc = q < 0 ? insert_warnings(s, c, (const store_warning *)rows + done, size, e)
               : insert_sums(s, q, c, (const sums_row *)rows + done, size, e);
    done += size;
  }
  return rc;
}

static rp_rc flush_warnings(store *s, store_recompute_writes *w, rp_err *e) {
  size_t n = w->nwarnings;
  w->nwarnings = 0;
  return flush_rows(s, -1, w->warnings, n, e);
}

rp_rc store_recompute_put_warning(store *s, store_recompute_writes *w, const store_warning *nw,
                                  rp_err *e) {
  w->warnings[w->nwarnings++] = *nw;
  return w->nwarnings == WARN_ROWS ? flush_warnings(s, w, e) : RP_OK;
}

static rp_rc flush_sums_queue(store *s, store_recompute_writes *w, int q, rp_err *e) {
  size_t n = w->nsums[q];
  w->nsums[q] = 0;
  return flush_rows(s, q, w->sums[q], n, e);
}

static rp_rc flush_sums(store *s, store_recompute_writes *w, rp_err *e) {
  rp_rc rc = flush_sums_queue(s, w, 0, e);
  return rc ? rc : flush_sums_queue(s, w, 1, e);
}

/* Binds the queued bumps as $1..$BUMP_IDS; unused places repeat an id (IN
 * counts it once), or are -1 (no relationship's) when none is queued. */
static void bind_bumps(db_stmt *st, store_recompute_writes *w) {
  for (size_t i = 0; i < BUMP_IDS; i++)
    db_bind_i64(st, (int)i + 1, w->nbumps ? w->bumps[i < w->nbumps ? i : 0] : -1);
  w->nbumps = 0;
}

static rp_rc flush_bumps(store *s, store_recompute_writes *w, rp_err *e) {
  if (!w->nbumps) return RP_OK;
  pthread_once(&g_sql_once, write_sql);
  STORE_PREP(s, g_bump_sql, e);
  bind_bumps(st, w);
  return db_exec_stmt(st, e);
}

rp_rc store_recompute_put_sums(store *s, store_recompute_writes *w, int64_t rel_id, int about,
                               int comp, int kind, const trust_sums *x, bool stored, rp_err *e) {
  int q = stored ? 0 : 1;
  w->sums[q][w->nsums[q]++] = (sums_row){rel_id, about, comp, kind, *x};
  return w->nsums[q] == SUMS_ROWS ? flush_sums_queue(s, w, q, e) : RP_OK;
}

rp_rc store_recompute_bump(store *s, store_recompute_writes *w, int64_t rel_id, rp_err *e) {
  w->bumps[w->nbumps++] = rel_id;
  return w->nbumps == BUMP_IDS ? flush_bumps(s, w, e) : RP_OK;
}

rp_rc store_recompute_flush(store *s, store_recompute_writes *w, rp_err *e) {
  rp_rc rc = flush_sums(s, w, e);
  if (!rc) rc = flush_bumps(s, w, e);
  return rc ? rc : flush_warnings(s, w, e);
}

rp_rc store_recompute_finish(store *s, store_recompute_writes *w, int64_t lo, int64_t hi,
                             rp_time now, rp_err *e) {
  /* The run's relationships' rows written once: each would otherwise be
   * updated for the check and again for its bump. */
  rp_rc rc = flush_sums(s, w, e);
  if (rc) return rc;
  pthread_once(&g_sql_once, write_sql);
  STORE_PREP(s, g_finish_sql, e);
  bind_bumps(st, w);
  db_bind_i64(st, BUMP_IDS + 1, now);
  db_bind_i64(st, BUMP_IDS + 2, lo);
  db_bind_i64(st, BUMP_IDS + 3, hi);
  rc = db_exec_stmt(st, e);
  return rc ? rc : flush_warnings(s, w, e);
}

rp_rc store_trust_sums_delete(store *s, int64_t rel_id, int about, int comp, int kind, rp_err *e) {
  STORE_PREP(s,
             "DELETE FROM trust_sums WHERE relationship_id = $1 AND about = $2 AND comp = $3"
             " AND kind = $4",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, about);
  db_bind_i64(st, 3, comp);
  db_bind_i64(st, 4, kind);
  return db_exec_stmt(st, e);
}

rp_rc store_begin_rebuild(store *s, int64_t lo, int64_t hi, rp_err *e) {
  if (db_kind_of(s->db) == DB_SQLITE) return store_begin_write(s, e);
  if (s->depth)
    return rp_fail(e, RP_ERR_INTERNAL, "nested_write", "A write began inside another transaction.");
  rp_rc rc = db_begin_rebuild(s->db, lo, hi, e);
  if (!rc) s->depth = 1;
  return rc;
}
