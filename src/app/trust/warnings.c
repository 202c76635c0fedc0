/* warnings.c: computing, keeping and listing early warnings (see
 * warnings.h; TRUST-MODEL.md 4).
 *
 * A refresh reads the relationship's metadata as of c->now (check-in
 * classes, commitment outcomes, reply times, feedback kinds, goals,
 * agreement acknowledgements, pulses, incidents, the decayed trust sums),
 * asks the pure predicates of trust/trust_warn.h which warnings hold, and
 * reconciles the result with the open rows of the warnings table, keyed by
 * (code, party). Every warning carries its evidence as a small JSON object
 * of figures and row ids: never text, and for pulse warnings never the
 * item or the answers (the rated party may read it).
 *
 * `since` is when the condition first held, as far as the data tells
 * (CADENCE_GAP: the day G reached 1.5; a count-based warning: the time of
 * the row that completed it; NO_AGREEMENT, NO_GOALS: the day the grace
 * period ended); a warning that keeps holding keeps the `since` it was
 * opened with. Choices are listed in docs/trust-model.md ("Warnings:
 * choices").
 */
#include "app/trust/warnings.h"
#include "app/privacy/privacy.h"
#include "app/trust/signals.h"
#include "app/trust/state.h"
#include "app/trust/util.h"
#include "crypto/seal.h"
#include "domain/goal.h"
#include "domain/practice.h"
#include "store/recompute.h"
#include "store/warnings.h"
#include "trust/trust_beta.h"
#include "trust/trust_change.h"
#include "trust/trust_index.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* At most one warning per code and party, plus the pair's. */
#define CALC_MAX (2 * TRUST_W_COUNT + 4)
#define FEEDBACK_SHORT_DAYS 60 /* CRITICISM_HEAVY */
#define FEEDBACK_LONG_DAYS 90  /* NO_CONSTRUCTIVE, ONE_WAY_FEEDBACK */
#define COMPONENTS_TEXT_MAX 16 /* "REL,INT,COM,EMP" */

/* A warning that holds now, before it meets the table. */
typedef struct calc {
  trust_warn_code code;
  trust_severity sev;
  int64_t party_id;
  unsigned comps;
  rp_time since, visible_at;
  json_t *evidence; /* owned */
} calc;

/* One refresh. */
typedef struct wctx {
  app_ctx *c;
  relationship r;
  int cadence, reply_hours;
  unsigned off; /* the codes the program turned off */
  trust_warn_settings cfg;
  calc out[CALC_MAX];
  size_t n;
  /* The inputs, read for one relationship or a rebuild's many at once
   * (store/recompute.h), and the sums to score: as stored, or those a
   * rebuild just wrote. */
  const store_recompute_rel *pre;
  const trust_state *sums;
  store_recompute_writes *wr; /* a rebuild's queue for new warnings; NULL: insert at once */
} wctx;

/* ---- small helpers ---- */

static int64_t person_of(const relationship *r, int party) {
  return party == TRUST_GUIDE ? r->guide_id : r->learner_id;
}

/* The trust_party of person_id in r, or -1. */
static int party_of(const relationship *r, int64_t person_id) {
  if (person_id && person_id == r->guide_id) return TRUST_GUIDE;
  if (person_id && person_id == r->learner_id) return TRUST_LEARNER;
  return -1;
}

static double round_to(double x, double unit) { return round(x / unit) * unit; }

static json_t *j_time(rp_time t) {
  char buf[RP_TIME_BUFSZ];
  return json_string(rp_time_format(t, buf));
}

static json_t *j_real(double x, double unit) { return json_real(round_to(x, unit)); }

static json_t *j_ids_append(json_t *arr, int64_t id) {
  json_array_append_new(arr, json_integer((json_int_t)id));
  return arr;
}

static double days_between(rp_time from, rp_time to) { return (double)(to - from) / TRUST_DAY_S; }

/* Records a warning that holds (sev != NONE); takes evidence either way. */
static void hold(wctx *w, trust_warn_code code, trust_severity sev, int64_t party_id,
                 unsigned comps, rp_time since, rp_time visible_at, json_t *evidence) {
  if (sev == TRUST_SEV_NONE || w->n == CALC_MAX || (w->off & (1u << code))) {
    json_decref(evidence);
    return;
  }
  if (since > w->c->now) since = w->c->now;
  calc *k = &w->out[w->n++];
  k->code = code;
  k->sev = sev;
  k->party_id = party_id;
  k->comps = comps ? comps : trust_warn_components(code);
  k->since = since;
  k->visible_at = visible_at;
  k->evidence = evidence ? evidence : json_object();
}

const char *app_warning_components_text(arena *a, unsigned mask) {
  char buf[COMPONENTS_TEXT_MAX + 4];
  size_t k = 0;
  for (int i = 0; i < TRUST_NCOMP; i++) {
    if (!(mask & (1u << i))) continue;
    if (k) buf[k++] = ',';
    memcpy(buf + k, trust_comp_name((trust_comp)i), 3);
    k += 3;
  }
  buf[k] = '\0';
  return arena_strdup(a, buf);
}

unsigned app_warning_components_parse(const char *text) {
  unsigned mask = 0;
  for (const char *p = text; p && *p;) {
    size_t n = strcspn(p, ",");
    char name[8];
    if (n < sizeof name) {
      memcpy(name, p, n);
      name[n] = '\0';
      trust_comp comp;
      if (trust_comp_parse(name, &comp)) mask |= 1u << comp;
    }
    p += n;
    if (*p == ',') p++;
  }
  return mask;
}

/* The slug of the practice answering code. Every code has one (pinned by
 * tests/unit/domain/test_practice.c); the library's first practice stands
 * in should a code ever lack it. */
static const char *practice_slug(trust_warn_code code) {
  const practice *p = practice_for_warning(trust_warn_name(code));
  return p ? p->slug : practice_at(0)->slug;
}

/* ---- behaviour: meetings, commitments, replies ---- */

/* CADENCE_GAP: G = days since the last held check-in (or since the
 * relationship became active again, when later) over the cadence. */
static rp_rc cadence_gap(wctx *w, rp_err *e) {
  if (w->r.state != REL_ACTIVE) return RP_OK;
  (void)e;
  bool found = w->pre->in.held_found;
  rp_time held = w->pre->in.held;
  rp_time base = found && held > w->r.state_since ? held : w->r.state_since;
  double g = trust_gap_ratio(w->c->now, base, (double)w->cadence);
  trust_severity sev = trust_warn_cadence_gap(&w->cfg, g);
  json_t *ev = json_pack("{s:o, s:o, s:i, s:o}", "gap_ratio", j_real(g, 0.01), "days_since",
                         j_real(days_between(base, w->c->now), 0.1), "cadence_days", w->cadence,
                         "last_held", found ? j_time(held) : json_null());
  rp_time since = base + (rp_time)(w->cfg.gap_watch * w->cadence * TRUST_DAY_S);
  hold(w, TRUST_W_CADENCE_GAP, sev, 0, 0, since, since, ev);
  return RP_OK;
}

/* LATE_CANCELLATIONS: of the last late_window expected check-ins, the
 * party who caused late_min or more late cancellations or no-shows (late
 * reschedules left out: trust_warn_late_counts). */
static rp_rc late_cancellations(wctx *w, rp_err *e) {
  (void)e;
  const store_warn_checkin *ck = w->pre->in.checkins;
  size_t n = w->pre->in.ncheckins;
  if (n == 0) return RP_OK;
  trust_checkin_obs *obs = arena_zalloc(w->c->a, sizeof *obs * n);
  for (size_t i = 0; i < n; i++) {
    if (!trust_checkin_class_parse(ck[i].cls, &obs[i].cls)) obs[i].cls = TRUST_CHECKIN_HELD;
    obs[i].caused_by = party_of(&w->r, ck[i].caused_by);
  }
  unsigned parties = 0;
  if (!trust_warn_late_cancellations(&w->cfg, obs, n, &parties)) return RP_OK;
  for (int p = 0; p < TRUST_NPARTY; p++) {
    if (!(parties & (1u << p))) continue;
    json_t *ids = json_array();
    size_t count = 0;
    rp_time since = w->c->now;
    for (size_t i = 0; i < n; i++) {
      if (obs[i].caused_by != p || !trust_warn_late_counts(&w->cfg, obs[i].cls)) continue;
      j_ids_append(ids, ck[i].id);
      if (++count == w->cfg.late_min) since = ck[i].outcome_at;
    }
    json_t *ev = json_pack("{s:o, s:I, s:I}", "checkins", ids, "late_or_missed", (json_int_t)count,
                           "of_expected", (json_int_t)n);
    hold(w, TRUST_W_LATE_CANCELLATIONS, TRUST_SEV_ALERT, person_of(&w->r, p), 0, since, since,
         ev);
  }
  return RP_OK;
}

/* FOLLOW_THROUGH of one party: their last follow_window due commitments
 * (renegotiations are entries, dropped ones are not). */
static rp_rc follow_through(wctx *w, int p, rp_err *e) {
  (void)e;
  const store_warn_commit *rec = w->pre->in.commits[p];
  size_t n = w->pre->in.ncommits[p];
  if (n == 0) return RP_OK;
  trust_commit_class *seq = arena_zalloc(w->c->a, sizeof *seq * n);
  json_t *broken = json_array();
  for (size_t i = 0; i < n; i++) {
    if (!trust_commit_class_parse(rec[i].kind, &seq[i])) seq[i] = TRUST_COMMIT_KEPT;
    if (seq[i] == TRUST_COMMIT_BROKEN) j_ids_append(broken, rec[i].commitment_id);
  }
  size_t due = 0;
  double rate = trust_follow_through_rate(seq, n, w->cfg.follow_window, &due);
  double score = trust_follow_through_score(&w->cfg, seq, n, &due);
  bool streak = trust_follow_broken_streak(&w->cfg, seq, n) >= w->cfg.follow_broken_min;
  json_t *ev = json_pack("{s:o, s:o, s:I, s:o, s:b}", "rate", j_real(rate, 0.01), "score",
                         j_real(score, 0.01), "due", (json_int_t)due, "broken", broken,
                         "broken_in_a_row", streak);
  hold(w, TRUST_W_FOLLOW_THROUGH, trust_warn_follow_through(&w->cfg, seq, n),
       person_of(&w->r, p), 0, rec[n - 1].at, rec[n - 1].at, ev);
  return RP_OK;
}

/* SLOW_REPLIES of one party as responder: the latencies of the last
 * slow_window requests made of them (an unanswered one counts with the
 * time it has waited so far); the evidence shows their median and how
 * many were late. */
static rp_rc slow_replies(wctx *w, int p, rp_err *e) {
  (void)e;
  const store_warn_request *q = w->pre->in.requests[p];
  size_t n = w->pre->in.nrequests[p];
  if (n == 0) return RP_OK;
  double *lat = arena_zalloc(w->c->a, sizeof *lat * n);
  double *tmp = arena_zalloc(w->c->a, sizeof *tmp * n);
  json_t *ids = json_array();
  size_t unanswered = 0;
  rp_time latest = 0;
  for (size_t i = 0; i < n; i++) {
    rp_time end = q[i].replied_at ? q[i].replied_at : w->c->now;
    if (!q[i].replied_at) unanswered++;
    lat[i] = tmp[i] = (double)(end - q[i].created_at);
    rp_time seen = q[i].replied_at ? q[i].replied_at : q[i].created_at;
    if (seen > latest) latest = seen;
    j_ids_append(ids, q[i].id);
  }
  double median = trust_quantile(tmp, n, 0.5);
  size_t late = trust_slow_replies_late(lat, n, n, (double)w->reply_hours);
  json_t *ev = json_pack("{s:o, s:i, s:o, s:I, s:I}", "median_hours", j_real(median / 3600.0, 0.1),
                         "reply_window_hours", w->reply_hours, "requests", ids, "unanswered",
                         (json_int_t)unanswered, "late", (json_int_t)late);
  hold(w, TRUST_W_SLOW_REPLIES, trust_warn_slow_replies(&w->cfg, lat, n, (double)w->reply_hours),
       person_of(&w->r, p), 0, latest, latest, ev);
  return RP_OK;
}

/* ---- feedback ---- */

typedef struct fb_counts {
  trust_feedback_tally n;
  rp_time latest;
  json_t *ids; /* owned until handed to evidence */
} fb_counts;

static void fb_add(fb_counts *k, const store_warn_feedback *f) {
  trust_feedback_kind kind = strcmp(f->kind, "recognition") == 0    ? TRUST_FEEDBACK_RECOGNITION
                             : strcmp(f->kind, "constructive") == 0 ? TRUST_FEEDBACK_CONSTRUCTIVE
                                                                    : TRUST_FEEDBACK_ASK;
  bool at_person = f->focus && strcmp(f->focus, "person") == 0;
  if (!trust_feedback_tally_add(&k->n, kind, at_person ? TRUST_FOCUS_PERSON : TRUST_FOCUS_TASK))
    return; /* asking is not an item */
  if (f->at > k->latest) k->latest = f->at;
  j_ids_append(k->ids, f->id);
}

/* CRITICISM_HEAVY (60 days) and NO_CONSTRUCTIVE (90 days) per giver, and
 * ONE_WAY_FEEDBACK (90 days) for the pair. */
static rp_rc feedback_balance(wctx *w, rp_err *e) {
  (void)e;
  const store_warn_feedback *f = w->pre->in.feedback; /* from FEEDBACK_LONG_DAYS ago */
  size_t n = w->pre->in.nfeedback;
  rp_time short_from = w->c->now - FEEDBACK_SHORT_DAYS * RP_DAY;
  if (n == 0) return RP_OK;
  fb_counts lng[TRUST_NPARTY], shrt[TRUST_NPARTY];
  for (int p = 0; p < TRUST_NPARTY; p++) {
    memset(&lng[p], 0, sizeof lng[p]);
    memset(&shrt[p], 0, sizeof shrt[p]);
    lng[p].ids = json_array();
    shrt[p].ids = json_array();
  }
  for (size_t i = 0; i < n; i++) {
    int p = party_of(&w->r, f[i].giver_id);
    if (p < 0) continue;
    fb_add(&lng[p], &f[i]);
    if (f[i].at > short_from) fb_add(&shrt[p], &f[i]);
  }
  /* The giver's last criticism_recent_n items in the window, newest first. */
  fb_counts last[TRUST_NPARTY];
  memset(last, 0, sizeof last);
  for (int p = 0; p < TRUST_NPARTY; p++) last[p].ids = json_array();
  for (size_t i = n; i > 0; i--) {
    int p = party_of(&w->r, f[i - 1].giver_id);
    if (p >= 0 && last[p].n.recognition + last[p].n.constructive < w->cfg.criticism_recent_n)
      fb_add(&last[p], &f[i - 1]);
  }
  for (int p = 0; p < TRUST_NPARTY; p++) {
    const fb_counts *s = &shrt[p], *l = &lng[p];
    double prob = trust_criticism_share_prob(&s->n);
    trust_severity share = trust_warn_criticism_heavy(&w->cfg, &s->n);
    trust_severity recent = trust_warn_criticism_recent(&w->cfg, &last[p].n);
    hold(w, TRUST_W_CRITICISM_HEAVY, share ? share : recent, person_of(&w->r, p), 0,
         share ? s->latest : last[p].latest, share ? s->latest : last[p].latest,
         json_pack("{s:I, s:I, s:I, s:o, s:i, s:O, s:I}", "recognitions",
                   (json_int_t)s->n.recognition, "constructive", (json_int_t)s->n.constructive,
                   "person_focused", (json_int_t)s->n.person_focused, "p_criticism",
                   j_real(prob, 0.001), "window_days", FEEDBACK_SHORT_DAYS, "feedback", s->ids,
                   "person_focused_of_last_6", (json_int_t)last[p].n.person_focused));
    json_decref(last[p].ids);
    hold(w, TRUST_W_NO_CONSTRUCTIVE, trust_warn_no_constructive(&w->cfg, &l->n),
         person_of(&w->r, p), 0, l->latest, l->latest,
         json_pack("{s:I, s:I, s:i, s:O}", "recognitions", (json_int_t)l->n.recognition,
                   "constructive", (json_int_t)l->n.constructive, "window_days",
                   FEEDBACK_LONG_DAYS, "feedback", l->ids));
  }
  size_t to_guide = lng[TRUST_LEARNER].n.recognition + lng[TRUST_LEARNER].n.constructive;
  size_t to_learner = lng[TRUST_GUIDE].n.recognition + lng[TRUST_GUIDE].n.constructive;
  size_t total = to_guide + to_learner;
  rp_time latest = lng[0].latest > lng[1].latest ? lng[0].latest : lng[1].latest;
  hold(w, TRUST_W_ONE_WAY_FEEDBACK, trust_warn_one_way_feedback(&w->cfg, to_guide, to_learner), 0,
       0, latest, latest,
       json_pack("{s:I, s:I, s:o, s:i}", "learner_to_guide", (json_int_t)to_guide,
                 "guide_to_learner", (json_int_t)to_learner, "share",
                 j_real(total ? (double)to_guide / (double)total : 0.0, 0.01), "window_days",
                 FEEDBACK_LONG_DAYS));
  for (int p = 0; p < TRUST_NPARTY; p++) {
    json_decref(lng[p].ids);
    json_decref(shrt[p].ids);
  }
  return RP_OK;
}

/* ---- agreement and goals ---- */

/* The SMART parts goal g lacks, appended to `missing` (names only: the
 * sealed body is opened here and nothing of it leaves). */
static rp_rc goal_missing(wctx *w, const store_warn_goal *g, json_t *missing, rp_err *e) {
  static const char *const parts[] = {"specific", "measurable", "achievable", "relevant"};
  seal_ad ad = {SEAL_GOAL, w->r.id, g->id, 0, false};
  const char *text;
  rp_rc rc = app_open_for_server(w->c, &ad, g->body, &text, e);
  if (rc) return rc;
  json_t *doc = json_loads(text, 0, NULL);
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    json_t *v = json_object_get(doc, parts[i]);
    if (!json_is_string(v) || !goal_text_present(json_string_value(v)))
      json_array_append_new(missing, json_string(parts[i]));
  }
  json_decref(doc);
  if (g->due_on == GOAL_NO_DUE) json_array_append_new(missing, json_string("due_on"));
  return RP_OK;
}

/* NO_AGREEMENT and NO_GOALS, counted from the first activation. */
static rp_rc agreement_and_goals(wctx *w, rp_err *e) {
  bool found = w->pre->in.active_found, agreed = w->pre->in.agreed;
  rp_time active = w->pre->in.active;
  rp_rc rc = RP_OK;
  if (!found) active = w->r.state_since;
  double days = days_between(active, w->c->now);
  rp_time since = active + (rp_time)(w->cfg.no_agreement_days * TRUST_DAY_S);
  hold(w, TRUST_W_NO_AGREEMENT, trust_warn_no_agreement(&w->cfg, active, w->c->now, agreed), 0, 0,
       since, since, json_pack("{s:o, s:b}", "days_active", j_real(days, 0.1), "agreed", agreed));

  const store_warn_goal *g = w->pre->in.goals;
  size_t n = w->pre->in.ngoals, counted = 0;
  json_t *incomplete = json_array();
  rp_time first_incomplete = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    if (strcmp(g[i].status, "dropped") != 0) counted++;
    if (strcmp(g[i].status, "active") != 0) continue;
    json_t *missing = json_array();
    rc = goal_missing(w, &g[i], missing, e);
    if (!rc && json_array_size(missing)) {
      json_array_append_new(incomplete, json_pack("{s:I, s:O}", "goal", (json_int_t)g[i].id,
                                                  "missing", missing));
      if (!first_incomplete || g[i].created_at < first_incomplete)
        first_incomplete = g[i].created_at;
    }
    json_decref(missing);
  }
  if (rc) {
    json_decref(incomplete);
    return rc;
  }
  bool not_smart = json_array_size(incomplete) > 0;
  since = not_smart ? first_incomplete : active + (rp_time)(w->cfg.no_goals_days * TRUST_DAY_S);
  hold(w, TRUST_W_NO_GOALS, trust_warn_no_goals(&w->cfg, active, w->c->now, counted, not_smart),
       0, 0, since, since,
       json_pack("{s:I, s:o, s:o}", "goals", (json_int_t)counted, "days_active",
                 j_real(days, 0.1), "not_smart", incomplete));
  return RP_OK;
}

/* ---- pulses and incidents ---- */

/* SAFETY_DOUBT and PULSE_DROP from each rater's latest pulses (the
 * signals app/practices/pulses.h computes). Both concern the rated party and become
 * visible to them at the pulse's reveal; the evidence names the pulses,
 * never an item or an answer. */
static rp_rc pulse_warnings(wctx *w, rp_err *e) {
  (void)e;
  app_pulse_rater pr[TRUST_NPARTY];
  rp_rc rc = app_pulse_raters_from(&w->r, w->pre->in.pulses, w->pre->in.npulses,
                                   w->pre->in.cusum, pr);
  if (rc) return rc;
  for (int p = 0; p < TRUST_NPARTY; p++) {
    const app_pulse_rater *x = &pr[p];
    if (!x->npulses) continue;
    rp_time at = x->latest.answered_at, shown = x->latest.revealed_at;
    hold(w, TRUST_W_SAFETY_DOUBT, x->safety_doubt ? TRUST_SEV_ALERT : TRUST_SEV_NONE,
         x->ratee_id, 0, at, shown,
         json_pack("{s:I, s:I}", "pulse", (json_int_t)x->latest.id, "rater",
                   (json_int_t)x->rater_id));
    bool rci = x->reliable_drop;
    hold(w, TRUST_W_PULSE_DROP, x->pulse_drop ? TRUST_SEV_ALERT : TRUST_SEV_NONE, x->ratee_id, 0,
         at, shown,
         json_pack("{s:I, s:o, s:I, s:s}", "pulse", (json_int_t)x->latest.id, "previous_pulse",
                   x->npulses >= 2 ? json_integer((json_int_t)x->prev.id) : json_null(), "rater",
                   (json_int_t)x->rater_id, "test", rci ? "reliable_change" : "cusum"));
  }
  return RP_OK;
}

/* INCIDENT: one per party concerned while any incident about them is open. */
static rp_rc incidents(wctx *w, rp_err *e) {
  (void)e;
  const store_warn_incident *in = w->pre->in.incidents;
  size_t n = w->pre->in.nincidents;
  for (int p = 0; p < TRUST_NPARTY; p++) {
    json_t *ids = json_array();
    size_t count = 0, acknowledged = 0;
    rp_time since = w->c->now;
    for (size_t i = 0; i < n; i++) {
      if (party_of(&w->r, in[i].concerning_id) != p) continue;
      j_ids_append(ids, in[i].id);
      count++;
      if (in[i].acknowledged) acknowledged++;
      if (in[i].reported_at < since) since = in[i].reported_at;
    }
    hold(w, TRUST_W_INCIDENT, trust_warn_incident(count), person_of(&w->r, p), 0, since, since,
         json_pack("{s:o, s:I}", "incidents", ids, "acknowledged", (json_int_t)acknowledged));
  }
  return RP_OK;
}

/* ---- the trust scores ---- */

/* The state of the direction about party p as p may see it: pulse
 * evidence about p not yet revealed is left out, so what the warnings
 * show never runs ahead of the reveal. */
static rp_rc state_about(wctx *w, int p, trust_state *st, rp_err *e) {
  (void)e;
  app_trust_state_of_rows(w->c, &w->pre->r, w->sums, w->pre->items, w->pre->nitems,
                          w->pre->in.breaches, w->pre->in.nbreaches, (trust_party)p, st);
  return RP_OK;
}

/* DECLINING and PERCEPTION_GAP per direction, ONE_SIDED_DRIFT across. */
static rp_rc trust_warnings(wctx *w, rp_err *e) {
  trust_settings scfg = app_trust_settings();
  double trend[TRUST_NPARTY];
  int idx[TRUST_NPARTY];
  for (int p = 0; p < TRUST_NPARTY; p++) {
    trust_state st;
    trust_dir_score sc;
    rp_rc rc = state_about(w, p, &st, e);
    if (rc) return rc;
    trust_score(&st, &scfg, (trust_party)p, w->c->now, false, &sc);
    trend[p] = sc.trend;
    idx[p] = trust_index_display(sc.index);
    unsigned falling = 0;
    trust_severity declining = trust_warn_declining_dir(&w->cfg, &sc, &falling);
    hold(w, TRUST_W_DECLINING, declining, person_of(&w->r, p),
         falling, w->c->now, w->c->now,
         json_pack("{s:o, s:i, s:s}", "trend", j_real(sc.trend, 0.001), "index", idx[p],
                   "label", trust_label_name(sc.label)));
    unsigned gaps = trust_warn_perception_gaps(&w->cfg, &st, &scfg, (trust_party)p, w->c->now);
    if (!gaps) continue;
    json_t *comps = json_object();
    for (int k = 0; k < TRUST_NCOMP; k++) {
      if (!(gaps & (1u << k))) continue;
      trust_rs pr = trust_state_rs(&st, &scfg, (trust_party)p, (trust_comp)k,
                                   1u << TRUST_SRC_PULSE, w->c->now);
      trust_rs br = trust_state_rs(&st, &scfg, (trust_party)p, (trust_comp)k,
                                   1u << TRUST_SRC_BEHAVIOUR, w->c->now);
      trust_perception x = trust_perception_of(pr, br, &scfg, (trust_comp)k);
      json_object_set_new(comps, trust_comp_name((trust_comp)k),
                          json_pack("{s:o, s:o, s:o}", "survey", j_real(x.survey, 0.01),
                                    "behaviour", j_real(x.behaviour, 0.01), "standard_error",
                                    j_real(x.se, 0.01)));
    }
    hold(w, TRUST_W_PERCEPTION_GAP, TRUST_SEV_WATCH, person_of(&w->r, p), gaps, w->c->now,
         w->c->now, json_pack("{s:o}", "components", comps));
  }
  trust_party drifting = TRUST_GUIDE;
  trust_severity sev = trust_warn_one_sided_drift(&w->cfg, trend, &drifting);
  hold(w, TRUST_W_ONE_SIDED_DRIFT, sev, person_of(&w->r, drifting), 0, w->c->now, w->c->now,
       json_pack("{s:o, s:o}", "trend", j_real(trend[drifting], 0.001), "other_trend",
                 j_real(trend[1 - drifting], 0.001)));
  return RP_OK;
}

/* ---- the refresh ---- */

static rp_rc compute(wctx *w, rp_err *e) {
  const program *prog = &w->pre->prog;
  w->off = prog->settings.warnings_off;
  if (w->pre->in.has_terms) {
    w->cadence = w->pre->in.cadence_days;
    w->reply_hours = w->pre->in.reply_window_hours;
  } else { /* app_rel_terms without an agreement */
    w->cadence = prog->settings.cadence_days;
    w->reply_hours = prog->settings.reply_window_hours;
  }
  rp_rc rc = cadence_gap(w, e);
  if (!rc) rc = late_cancellations(w, e);
  for (int p = 0; p < TRUST_NPARTY && !rc; p++) {
    rc = follow_through(w, p, e);
    if (!rc) rc = slow_replies(w, p, e);
  }
  if (!rc) rc = pulse_warnings(w, e);
  if (!rc) rc = feedback_balance(w, e);
  if (!rc) rc = agreement_and_goals(w, e);
  if (!rc) rc = incidents(w, e);
  if (!rc) rc = trust_warnings(w, e);
  return rc;
}

/* The evidence as stored: compact, keys sorted, so equal figures compare
 * equal. */
static const char *evidence_text(arena *a, json_t *ev) {
  char *text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10));
  const char *out = arena_strdup(a, text ? text : "{}");
  free(text);
  return out;
}

static bool same(const char *x, const char *y) { return strcmp(x ? x : "", y ? y : "") == 0; }

/* Brings the table in line with what holds: clears, updates, opens. */
static rp_rc reconcile(wctx *w, int *changed, bool *cleared, rp_err *e) {
  app_ctx *c = w->c;
  const store_warning *open = w->pre->open;
  size_t nopen = w->pre->nopen;
  bool used[CALC_MAX] = {false};
  rp_rc rc = RP_OK;
  for (size_t i = 0; i < nopen && !rc; i++) {
    size_t m = w->n;
    for (size_t k = 0; k < w->n && m == w->n; k++)
      if (!used[k] && w->out[k].party_id == open[i].party_id &&
          strcmp(trust_warn_name(w->out[k].code), open[i].code) == 0)
        m = k;
    if (m == w->n) {
      rc = store_warning_clear(c->st, open[i].id, c->now, e);
      (*changed)++;
      if (cleared) cleared[i] = true;
      continue;
    }
    used[m] = true;
    const calc *k = &w->out[m];
    store_warning upd = open[i];
    upd.severity = trust_severity_name(k->sev);
    upd.components = app_warning_components_text(c->a, k->comps);
    upd.evidence = evidence_text(c->a, k->evidence);
    upd.practice = practice_slug(k->code);
    if (k->visible_at < upd.visible_at) upd.visible_at = k->visible_at;
    if (!same(upd.severity, open[i].severity) || !same(upd.components, open[i].components) ||
        !same(upd.evidence, open[i].evidence) || !same(upd.practice, open[i].practice) ||
        upd.visible_at != open[i].visible_at)
      rc = store_warning_update(c->st, &upd, e);
  }
  for (size_t k = 0; k < w->n && !rc; k++) {
    if (used[k]) continue;
    const calc *x = &w->out[k];
    store_warning nw = {0};
    nw.relationship_id = w->r.id;
    nw.code = trust_warn_name(x->code);
    nw.severity = trust_severity_name(x->sev);
    nw.party_id = x->party_id;
    nw.components = app_warning_components_text(c->a, x->comps);
    nw.since = x->since;
    nw.evidence = evidence_text(c->a, x->evidence);
    nw.practice = practice_slug(x->code);
    nw.visible_at = x->visible_at;
    rc = w->wr ? store_recompute_put_warning(c->st, w->wr, &nw, e)
               : store_warning_insert(c->st, &nw, e);
    (*changed)++;
  }
  return rc;
}

static bool carries_warnings(rel_state s) { return s == REL_ACTIVE || s == REL_PAUSED; }

/* One refresh from the inputs pre read and the sums to score, marking in
 * cleared[i] (when not NULL) each of pre->open it cleared. */
static rp_rc refresh_with(app_ctx *c, const store_recompute_rel *pre, const trust_state *sums,
                          store_recompute_writes *wr, int *changed, bool *cleared, rp_err *e) {
  wctx *w = arena_zalloc(c->a, sizeof *w);
  w->c = c;
  w->cfg = trust_warn_default();
  w->pre = pre;
  w->sums = sums;
  w->wr = wr;
  w->r = pre->r;
  rp_rc rc = RP_OK;
  if (carries_warnings(w->r.state)) rc = compute(w, e);
  if (!rc) rc = reconcile(w, changed, cleared, e);
  for (size_t i = 0; i < w->n; i++) json_decref(w->out[i].evidence);
  return rc;
}

void app_warnings_limits(rp_time now, store_recompute_limits *out) {
  trust_warn_settings cfg = trust_warn_default();
  memset(out, 0, sizeof *out);
  out->late_window = (int)cfg.late_window;
  out->follow_window = (int)cfg.follow_window;
  out->slow_window = (int)cfg.slow_window;
  out->feedback_from = now - FEEDBACK_LONG_DAYS * RP_DAY;
}

/* The refresh of one relationship in a write: its inputs read (and the
 * check recorded) by the rebuild's reader for a run of one, in one round
 * trip, scored with the sums as stored. */
static rp_rc refresh(app_ctx *c, int64_t rel_id, int *changed, rp_err *e) {
  store_recompute_limits lim;
  app_warnings_limits(c->now, &lim);
  lim.refresh_only = true;
  store_recompute_rel *rels;
  size_t n = 0;
  rp_rc rc = store_recompute_load(c->st, rel_id, rel_id, c->now, &lim, c->a, &rels, &n, e);
  if (!rc && n == 0) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  return rc ? rc : refresh_with(c, &rels[0], &rels[0].sums, NULL, changed, NULL, e);
}

rp_rc app_warnings_refresh_rebuilt(app_ctx *c, const store_recompute_rel *pre,
                                   const trust_state *sums, store_recompute_writes *wr,
                                   bool *cleared, rp_err *e) {
  int changed = 0;
  return refresh_with(c, pre, sums, wr, &changed, cleared, e);
}

bool app_warnings_moved_by(const char *kind) { return strcmp(kind, "note_added") != 0; }

rp_rc app_warnings_refresh(app_ctx *c, int64_t rel_id, rp_err *e) {
  int changed = 0;
  return refresh(c, rel_id, &changed, e);
}

rp_rc app_warnings_job(app_ctx *c, int limit, int *changed, rp_err *e) {
  int64_t *ids;
  size_t n;
  rp_rc rc = store_warnings_due(c->st, c->now - APP_WARNINGS_RECHECK_S, c->now, limit, c->a, &ids,
                                &n, e);
  for (size_t i = 0; i < n && !rc; i++) rc = refresh(c, ids[i], changed, e);
  return rc;
}

rp_rc app_warnings_refresh_all(app_ctx *c, int *count, rp_err *e) {
  int64_t *ids;
  size_t n;
  *count = 0;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_warnings_due(c->st, 0, c->now, 0, c->a, &ids, &n, e);
  store_rollback(c->st);
  for (size_t i = 0; i < n && !rc; i += APP_WARNINGS_BATCH) {
    int changed = 0;
    rc = store_begin_write(c->st, e);
    if (rc) return rc;
    for (size_t j = i; j < n && j < i + APP_WARNINGS_BATCH && !rc; j++)
      rc = refresh(c, ids[j], &changed, e);
    rc = app_finish(c, rc, e);
    if (!rc) *count += (int)(n - i < APP_WARNINGS_BATCH ? n - i : APP_WARNINGS_BATCH);
  }
  return rc;
}

/* ---- listing ---- */

rp_rc app_warnings_visible(app_ctx *c, const relationship *r, int64_t viewer, app_warning **items,
                           size_t *n, rp_err *e) {
  store_warning *rows;
  size_t nrows;
  rp_rc rc = store_warning_list_open(c->st, r->id, c->a, &rows, &nrows, e);
  if (rc) return rc;
  app_warning *out = arena_zalloc(c->a, sizeof *out * (nrows ? nrows : 1));
  size_t k = 0;
  for (size_t i = 0; i < nrows; i++) {
    trust_warn_code code;
    if (!trust_warn_parse(rows[i].code, &code)) continue;
    if (rows[i].party_id == viewer && rows[i].visible_at > c->now) continue;
    app_warning *w = &out[k++];
    w->id = rows[i].id;
    w->relationship_id = r->id;
    w->code = code;
    w->severity = strcmp(rows[i].severity, "alert") == 0 ? TRUST_SEV_ALERT : TRUST_SEV_WATCH;
    w->party_id = rows[i].party_id;
    w->components = app_warning_components_parse(rows[i].components);
    w->since = rows[i].since;
    w->visible_at = rows[i].visible_at;
    w->evidence = rows[i].evidence;
    w->practice = rows[i].practice;
  }
  *items = out;
  *n = k;
  return RP_OK;
}

rp_rc app_warnings_list(app_ctx *c, int64_t rel_id, app_warning **items, size_t *n, rp_err *e) {
  relationship r;
  rel_role role;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = app_warnings_visible(c, &r, c->actor, items, n, e);
  store_rollback(c->st);
  return rc;
}
