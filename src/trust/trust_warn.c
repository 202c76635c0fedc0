/* trust_warn.c: see trust_warn.h. */
#include "trust/trust_warn.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "trust/trust_beta.h"
#include "trust/trust_change.h"

#define M_(c) (1u << (c))
#define ALL_COMPS (M_(TRUST_REL) | M_(TRUST_INT) | M_(TRUST_COM) | M_(TRUST_EMP))
#define SLOW_WINDOW_MAX 64

typedef struct warn_info {
  const char *name;
  trust_severity severity;
  unsigned comps;
} warn_info;

static const warn_info warn_table[TRUST_W_COUNT] = {
    [TRUST_W_CADENCE_GAP] = {"CADENCE_GAP", TRUST_SEV_ALERT, M_(TRUST_REL)},
    [TRUST_W_LATE_CANCELLATIONS] = {"LATE_CANCELLATIONS", TRUST_SEV_ALERT, M_(TRUST_REL)},
    [TRUST_W_FOLLOW_THROUGH] = {"FOLLOW_THROUGH", TRUST_SEV_ALERT, M_(TRUST_REL) | M_(TRUST_INT)},
    [TRUST_W_SLOW_REPLIES] = {"SLOW_REPLIES", TRUST_SEV_WATCH, M_(TRUST_REL)},
    [TRUST_W_CRITICISM_HEAVY] = {"CRITICISM_HEAVY", TRUST_SEV_WATCH, M_(TRUST_EMP)},
    [TRUST_W_NO_CONSTRUCTIVE] = {"NO_CONSTRUCTIVE", TRUST_SEV_WATCH, M_(TRUST_EMP) | M_(TRUST_COM)},
    [TRUST_W_ONE_WAY_FEEDBACK] = {"ONE_WAY_FEEDBACK", TRUST_SEV_WATCH, M_(TRUST_EMP)},
    [TRUST_W_SAFETY_DOUBT] = {"SAFETY_DOUBT", TRUST_SEV_ALERT, M_(TRUST_INT) | M_(TRUST_EMP)},
    [TRUST_W_PULSE_DROP] = {"PULSE_DROP", TRUST_SEV_ALERT, ALL_COMPS},
    [TRUST_W_INCIDENT] = {"INCIDENT", TRUST_SEV_ALERT, M_(TRUST_INT)},
    [TRUST_W_NO_AGREEMENT] = {"NO_AGREEMENT", TRUST_SEV_WATCH, M_(TRUST_REL) | M_(TRUST_INT)},
    [TRUST_W_NO_GOALS] = {"NO_GOALS", TRUST_SEV_WATCH, M_(TRUST_COM)},
    [TRUST_W_PERCEPTION_GAP] = {"PERCEPTION_GAP", TRUST_SEV_WATCH, ALL_COMPS},
    [TRUST_W_ONE_SIDED_DRIFT] = {"ONE_SIDED_DRIFT", TRUST_SEV_WATCH, ALL_COMPS},
    [TRUST_W_DECLINING] = {"DECLINING", TRUST_SEV_WATCH, ALL_COMPS},
};

const char *trust_warn_name(trust_warn_code c) {
  return (unsigned)c < TRUST_W_COUNT ? warn_table[c].name : "?";
}

bool trust_warn_parse(const char *name, trust_warn_code *out) {
  for (int i = 0; i < TRUST_W_COUNT; i++) {
    if (strcmp(warn_table[i].name, name) == 0) {
      *out = (trust_warn_code)i;
      return true;
    }
  }
  return false;
}

const char *trust_severity_name(trust_severity s) {
  switch (s) {
  case TRUST_SEV_NONE: return "none";
  case TRUST_SEV_WATCH: return "watch";
  case TRUST_SEV_ALERT: return "alert";
  default: return "?";
  }
}

trust_severity trust_warn_severity(trust_warn_code c) {
  return (unsigned)c < TRUST_W_COUNT ? warn_table[c].severity : TRUST_SEV_NONE;
}

unsigned trust_warn_components(trust_warn_code c) {
  return (unsigned)c < TRUST_W_COUNT ? warn_table[c].comps : 0;
}

trust_warn_settings trust_warn_default(void) {
  trust_warn_settings s;
  s.gap_watch = 3.5;
  s.gap_alert = 4.5;
  s.late_window = 4;
  s.late_min = 2;
  s.late_reschedules = false;
  s.follow_window = 10;
  s.follow_min_due = 10;
  s.follow_min_rate = 0.7;
  s.follow_late_credit = 0.5;
  s.follow_broken_of = 2;
  s.follow_broken_min = 2;
  s.follow_streak_skips_late = true;
  s.slow_window = 5;
  s.slow_min = 3;
  s.slow_prob = 0.8;
  s.criticism_min_n = 6;
  s.criticism_prob = 0.9;
  s.criticism_recent_n = 6;
  s.criticism_recent_min = 3;
  s.no_constructive_min_n = 10;
  s.one_way_min_n = 10;
  s.one_way_share = 0.15;
  s.one_way_share_min_n = 20;
  s.safety_max = 2;
  s.safety_strong = 1;
  s.safety_confirm = 2;
  s.safety_min_others = 5;
  s.safety_sd_floor = 0.5;
  s.safety_z = 4;
  s.safety_low_level = 3;
  s.rci_sd = 0.8;
  s.rci_alpha = 0.85;
  s.rci_z = 3.09;
  s.rci_item_share = 0.5;
  s.perception_gap = 0.25;
  s.perception_z = 2.0;
  s.perception_min_pulses = 1.5;
  s.perception_max_u = 0.5;
  s.declining = -0.10;
  s.comp_declining_mask = M_(TRUST_REL) | M_(TRUST_INT) | M_(TRUST_EMP);
  s.comp_declining = -0.10;
  s.comp_declining_p = 0.75;
  s.no_agreement_days = 14;
  s.no_goals_days = 21;
  return s;
}

static trust_severity when(bool raised, trust_severity s) {
  return raised ? s : TRUST_SEV_NONE;
}

trust_severity trust_warn_cadence_gap(const trust_warn_settings *cfg, double gap_ratio) {
  if (gap_ratio >= cfg->gap_alert) return TRUST_SEV_ALERT;
  if (gap_ratio >= cfg->gap_watch) return TRUST_SEV_WATCH;
  return TRUST_SEV_NONE;
}

bool trust_warn_late_counts(const trust_warn_settings *cfg, trust_checkin_class c) {
  return trust_checkin_is_late_cancel(c) &&
         (cfg->late_reschedules || c != TRUST_CHECKIN_RESCHEDULED_LATE);
}

trust_severity trust_warn_late_cancellations(const trust_warn_settings *cfg,
                                             const trust_checkin_obs *obs, size_t n,
                                             unsigned *parties) {
  size_t count[TRUST_NPARTY] = {0, 0};
  size_t from = n > cfg->late_window ? n - cfg->late_window : 0;
  for (size_t i = from; i < n; i++) {
    int p = obs[i].caused_by;
    if (p < 0 || p >= TRUST_NPARTY || !trust_warn_late_counts(cfg, obs[i].cls)) continue;
    count[p]++;
  }
  *parties = 0;
  for (int p = 0; p < TRUST_NPARTY; p++)
    if (count[p] >= cfg->late_min) *parties |= 1u << p;
  return when(*parties != 0, TRUST_SEV_ALERT);
}

double trust_follow_through_rate(const trust_commit_class *seq, size_t n, size_t window, size_t *due) {
  size_t used = 0, good = 0;
  for (size_t i = n; i > 0 && used < window; i--) {
    trust_commit_class c = seq[i - 1];
    if (c == TRUST_COMMIT_DROPPED) continue;
    used++;
    if (c == TRUST_COMMIT_KEPT || c == TRUST_COMMIT_RENEGOTIATED) good++;
  }
  *due = used;
  return used ? (double)good / (double)used : 1.0;
}

double trust_follow_through_score(const trust_warn_settings *cfg, const trust_commit_class *seq,
                                  size_t n, size_t *due) {
  size_t used = 0;
  double good = 0;
  for (size_t i = n; i > 0 && used < cfg->follow_window; i--) {
    trust_commit_class c = seq[i - 1];
    if (c == TRUST_COMMIT_DROPPED) continue;
    used++;
    if (c == TRUST_COMMIT_KEPT || c == TRUST_COMMIT_RENEGOTIATED) good += 1;
    else if (c == TRUST_COMMIT_KEPT_LATE) good += cfg->follow_late_credit;
  }
  *due = used;
  return used ? good / (double)used : 1.0;
}

size_t trust_follow_broken_streak(const trust_warn_settings *cfg, const trust_commit_class *seq,
                                  size_t n) {
  size_t broken = 0, seen = 0;
  for (size_t i = n; i > 0 && seen < cfg->follow_broken_of; i--) {
    trust_commit_class c = seq[i - 1];
    if (c == TRUST_COMMIT_DROPPED) continue;
    if (c == TRUST_COMMIT_KEPT_LATE && cfg->follow_streak_skips_late) continue;
    seen++;
    if (c == TRUST_COMMIT_BROKEN) broken++;
  }
  return broken;
}

trust_severity trust_warn_follow_through(const trust_warn_settings *cfg,
                                         const trust_commit_class *seq, size_t n) {
  size_t due;
  double score = trust_follow_through_score(cfg, seq, n, &due);
  if (due >= cfg->follow_min_due && score < cfg->follow_min_rate) return TRUST_SEV_ALERT;
  return when(trust_follow_broken_streak(cfg, seq, n) >= cfg->follow_broken_min, TRUST_SEV_ALERT);
}

static void swap_d(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

/* Moves the k-th smallest of x[0..n) to x[k], smaller ones before it and
 * larger or equal ones after it (Hoare's selection, median-of-three). */
static void select_kth(double *x, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (hi > lo) {
    size_t mid = lo + (hi - lo) / 2;
    if (x[mid] < x[lo]) swap_d(&x[mid], &x[lo]);
    if (x[hi] < x[lo]) swap_d(&x[hi], &x[lo]);
    if (x[hi] < x[mid]) swap_d(&x[hi], &x[mid]);
    double pivot = x[mid];
    size_t i = lo, j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        swap_d(&x[i], &x[j]);
        i++;
        if (j == 0) break;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

double trust_quantile(double *x, size_t n, double p) {
  assert(n > 0 && p >= 0 && p <= 1);
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo >= n - 1) lo = n - 1;
  select_kth(x, n, lo);
  double v = x[lo];
  if (lo + 1 >= n || h == (double)lo) return v;
  double next = x[lo + 1];
  for (size_t i = lo + 2; i < n; i++) next = fmin(next, x[i]);
  return v + (h - (double)lo) * (next - v);
}

size_t trust_slow_replies_late(const double *latency_s, size_t n, size_t k, double window_hours) {
  size_t late = 0;
  for (size_t i = n - (k < n ? k : n); i < n; i++) late += latency_s[i] > window_hours * 3600.0;
  return late;
}

double trust_slow_replies_prob(size_t late, size_t used) {
  assert(late <= used);
  return 1.0 - trust_beta_cdf(0.5, 1.0 + (double)late, 1.0 + (double)(used - late));
}

trust_severity trust_warn_slow_replies(const trust_warn_settings *cfg, const double *latency_s,
                                       size_t n, double window_hours) {
  size_t w = cfg->slow_window < SLOW_WINDOW_MAX ? cfg->slow_window : SLOW_WINDOW_MAX;
  size_t m = n < w ? n : w;
  /* The latest k for each k: the newest replies may speak for themselves
   * (3 of 3 late), an older prompt one among them needs more late ones
   * around it (4 of 5). */
  for (size_t k = cfg->slow_min ? cfg->slow_min : 1; k <= m; k++) {
    size_t late = trust_slow_replies_late(latency_s, n, k, window_hours);
    if (trust_slow_replies_prob(late, k) > cfg->slow_prob) return TRUST_SEV_WATCH;
  }
  return TRUST_SEV_NONE;
}

bool trust_feedback_tally_add(trust_feedback_tally *t, trust_feedback_kind k,
                              trust_feedback_focus f) {
  if (k == TRUST_FEEDBACK_RECOGNITION) {
    t->recognition++;
    return true;
  }
  if (k != TRUST_FEEDBACK_CONSTRUCTIVE) return false;
  t->constructive++;
  if (f == TRUST_FOCUS_PERSON) t->person_focused++;
  return true;
}

double trust_criticism_share_prob(const trust_feedback_tally *t) {
  size_t n = t->recognition + t->constructive;
  return trust_criticism_prob((double)(n - t->person_focused), (double)t->person_focused);
}

trust_severity trust_warn_criticism_heavy(const trust_warn_settings *cfg,
                                          const trust_feedback_tally *t) {
  if (t->recognition + t->constructive < cfg->criticism_min_n) return TRUST_SEV_NONE;
  return when(trust_criticism_share_prob(t) > cfg->criticism_prob, TRUST_SEV_WATCH);
}

trust_severity trust_warn_criticism_recent(const trust_warn_settings *cfg,
                                           const trust_feedback_tally *last) {
  return when(last->recognition + last->constructive <= cfg->criticism_recent_n &&
                  last->person_focused >= cfg->criticism_recent_min,
              TRUST_SEV_WATCH);
}

trust_severity trust_warn_no_constructive(const trust_warn_settings *cfg,
                                          const trust_feedback_tally *t) {
  return when(t->recognition + t->constructive >= cfg->no_constructive_min_n &&
                  t->constructive == 0,
              TRUST_SEV_WATCH);
}

trust_severity trust_warn_one_way_feedback(const trust_warn_settings *cfg,
                                           size_t learner_to_guide, size_t guide_to_learner) {
  size_t n = learner_to_guide + guide_to_learner;
  if (n < cfg->one_way_min_n || n == 0) return TRUST_SEV_NONE;
  double share = (double)learner_to_guide / (double)n;
  return when(learner_to_guide == 0 || (n >= cfg->one_way_share_min_n && share < cfg->one_way_share),
              TRUST_SEV_WATCH);
}

static bool low_answer(int x, int max) {
  return x >= 1 && x <= 5 && x <= max;
}

bool trust_safety_stands_out(const trust_warn_settings *cfg, const int *cur, const int *prev,
                             const int *prev2, int x, double *z) {
  const int *pulses[3] = {cur, prev, prev2};
  double sum = 0, sq = 0;
  size_t n = 0;
  for (int k = 0; k < 3; k++) {
    if (pulses[k] == NULL) continue;
    for (int i = 0; i < TRUST_PULSE_NITEM; i++) {
      int a = pulses[k][i];
      if (i == TRUST_PULSE_INT2 || i == TRUST_PULSE_EMP2 || !low_answer(a, 5)) continue;
      sum += a;
      sq += (double)a * a;
      n++;
    }
  }
  *z = 0;
  if (n < cfg->safety_min_others) return true; /* too little to read it against: at its word */
  double mean = sum / (double)n, ss = sq - sum * mean;
  double sd = n > 1 && ss > 0 ? sqrt(ss / (double)(n - 1)) : 0;
  if (sd < cfg->safety_sd_floor) sd = cfg->safety_sd_floor;
  *z = (mean - (double)x) / sd;
  return *z >= cfg->safety_z || mean <= cfg->safety_low_level;
}

/* One item of SAFETY_DOUBT: the answer is at most safety_strong, or at
 * most safety_max and the rater's previous answer to it (when they gave
 * one) was at most safety_confirm; either way it stands out from the
 * rater's other answers (trust_safety_stands_out), unless it is the
 * second answer in a row at most safety_strong. */
static bool safety_item(const trust_warn_settings *cfg, const int *prev, const int *prev2,
                        const int *cur, trust_pulse_item i) {
  if (!low_answer(cur[i], cfg->safety_max)) return false;
  /* The strongest doubt twice in a row is no rater's noise. */
  if (low_answer(cur[i], cfg->safety_strong) && prev != NULL &&
      low_answer(prev[i], cfg->safety_strong))
    return true;
  double z;
  if (!trust_safety_stands_out(cfg, cur, prev, prev2, cur[i], &z)) return false;
  if (low_answer(cur[i], cfg->safety_strong)) return true;
  return prev == NULL || !low_answer(prev[i], 5) || prev[i] <= cfg->safety_confirm;
}

trust_severity trust_warn_safety_doubt(const trust_warn_settings *cfg, const int *prev,
                                       const int *prev2, const int answers[TRUST_PULSE_NITEM]) {
  return when(safety_item(cfg, prev, prev2, answers, TRUST_PULSE_INT2) ||
                  safety_item(cfg, prev, prev2, answers, TRUST_PULSE_EMP2),
              TRUST_SEV_ALERT);
}

double trust_warn_drop_threshold(const trust_warn_settings *cfg) {
  return cfg->rci_z * sqrt(2.0) * cfg->rci_sd * sqrt(1.0 - cfg->rci_alpha);
}

/* The sum of squares of the item-by-item changes from b to a around
 * their mean change; *df gets its degrees of freedom (0 when fewer than
 * TRUST_PULSE_MIN_PAIRED items were answered in both). */
static double item_change_ss(const int *a, const int *b, size_t *df) {
  double d[TRUST_PULSE_NITEM], mean = 0, ss = 0;
  size_t k = 0;
  *df = 0;
  for (int i = 0; i < TRUST_PULSE_NITEM; i++) {
    if (!low_answer(a[i], 5) || !low_answer(b[i], 5)) continue;
    d[k] = a[i] - b[i];
    mean += d[k++];
  }
  if (k < TRUST_PULSE_MIN_PAIRED) return 0;
  mean /= (double)k;
  for (size_t i = 0; i < k; i++) ss += (d[i] - mean) * (d[i] - mean);
  *df = k - 1;
  return ss;
}

double trust_warn_rater_sem(const trust_warn_settings *cfg, const int *cur, const int *prev,
                            const int *prev2) {
  double sem0 = cfg->rci_sd * sqrt(1.0 - cfg->rci_alpha);
  if (cur == NULL || prev == NULL || prev2 == NULL || cfg->rci_item_share <= 0) return sem0;
  /* Each item's change is the pulse's mood (common to all items, removed
   * with the mean change) plus two item errors: the spread around the
   * mean change estimates 2 sigma^2, the mood and the items' own levels
   * left out. Pooled over the rater's two latest changes. */
  size_t df1, df2;
  double ss = item_change_ss(prev, prev2, &df1) + item_change_ss(cur, prev, &df2);
  if (df1 + df2 == 0) return sem0;
  double item_var = ss / (2.0 * (double)(df1 + df2));
  double model_var = cfg->rci_item_share * sem0 * sem0 * TRUST_PULSE_NITEM;
  return item_var > model_var ? sem0 * sqrt(item_var / model_var) : sem0;
}

bool trust_warn_reliable_drop(const trust_warn_settings *cfg, const int *prev, const int *prev2,
                              const int cur[TRUST_PULSE_NITEM]) {
  double thr = cfg->rci_z * sqrt(2.0) * trust_warn_rater_sem(cfg, cur, prev, prev2);
  return prev != NULL && trust_pulse_drop_between(prev, cur, thr) &&
         (prev2 == NULL || trust_pulse_drop_between(prev2, cur, thr));
}

trust_severity trust_warn_pulse_drop(const trust_warn_settings *cfg, const int *prev,
                                     const int *prev2, const int cur[TRUST_PULSE_NITEM],
                                     bool cusum_alarm) {
  return when(trust_warn_reliable_drop(cfg, prev, prev2, cur) || cusum_alarm, TRUST_SEV_ALERT);
}

trust_perception trust_perception_of(trust_rs pulse, trust_rs behaviour,
                                     const trust_settings *scfg, trust_comp c) {
  double w = scfg->prior_weight, a = scfg->base_rate[c];
  double np = pulse.r + pulse.s / scfg->wneg[TRUST_SRC_PULSE];
  double nb = behaviour.r + behaviour.s / scfg->wneg[TRUST_SRC_BEHAVIOUR];
  trust_perception x;
  x.survey = (pulse.r + a * w) / (np + w);
  x.behaviour = (behaviour.r + a * w) / (nb + w);
  x.n_pulses = np / (TRUST_PULSE_WEIGHT * (double)trust_pulse_items_of(c));
  x.u_behaviour = w / (nb + w);
  x.se = sqrt(x.survey * (1 - x.survey) / (x.n_pulses + w + 1) +
              x.behaviour * (1 - x.behaviour) / (nb + w + 1));
  return x;
}

trust_severity trust_warn_perception_gap(const trust_warn_settings *cfg, const trust_perception *x) {
  if (x->n_pulses < cfg->perception_min_pulses || x->u_behaviour > cfg->perception_max_u)
    return TRUST_SEV_NONE;
  double gap = fabs(x->survey - x->behaviour);
  return when(gap > cfg->perception_gap && gap > cfg->perception_z * x->se, TRUST_SEV_WATCH);
}

unsigned trust_warn_perception_gaps(const trust_warn_settings *cfg, const trust_state *st,
                                    const trust_settings *scfg, trust_party about, int64_t now) {
  unsigned mask = 0;
  for (int k = 0; k < TRUST_NCOMP; k++) {
    trust_rs p = trust_state_rs(st, scfg, about, (trust_comp)k, 1u << TRUST_SRC_PULSE, now);
    trust_rs b = trust_state_rs(st, scfg, about, (trust_comp)k, 1u << TRUST_SRC_BEHAVIOUR, now);
    trust_perception x = trust_perception_of(p, b, scfg, (trust_comp)k);
    if (trust_warn_perception_gap(cfg, &x)) mask |= 1u << k;
  }
  return mask;
}

trust_severity trust_warn_one_sided_drift(const trust_warn_settings *cfg,
                                          const double trend[TRUST_NPARTY], trust_party *party) {
  for (int p = 0; p < TRUST_NPARTY; p++) {
    if (trend[p] < cfg->declining && trend[1 - p] >= 0) {
      *party = (trust_party)p;
      return TRUST_SEV_WATCH;
    }
  }
  return TRUST_SEV_NONE;
}

trust_severity trust_warn_declining(const trust_warn_settings *cfg, double trend) {
  return when(trend < cfg->declining, TRUST_SEV_WATCH);
}

trust_severity trust_warn_declining_dir(const trust_warn_settings *cfg, const trust_dir_score *sc,
                                        unsigned *comps) {
  unsigned own = 0;
  *comps = 0;
  for (int k = 0; k < TRUST_NCOMP; k++) {
    const trust_comp_score *c = &sc->comp[k];
    bool alone = (cfg->comp_declining_mask & M_(k)) && c->trend < cfg->comp_declining &&
                 c->p < cfg->comp_declining_p && c->u <= cfg->perception_max_u;
    if (alone) own |= M_(k);
    if (alone || c->trend < cfg->declining) *comps |= M_(k);
  }
  return when(own != 0 || sc->trend < cfg->declining, TRUST_SEV_WATCH);
}

trust_severity trust_warn_incident(size_t open_incidents) {
  return when(open_incidents > 0, TRUST_SEV_ALERT);
}

trust_severity trust_warn_no_agreement(const trust_warn_settings *cfg, int64_t active_since,
                                       int64_t now, bool agreed) {
  double days = (double)(now - active_since) / TRUST_DAY_S;
  return when(!agreed && days >= cfg->no_agreement_days, TRUST_SEV_WATCH);
}

trust_severity trust_warn_no_goals(const trust_warn_settings *cfg, int64_t active_since,
                                   int64_t now, size_t goals, bool any_goal_not_smart) {
  double days = (double)(now - active_since) / TRUST_DAY_S;
  return when((goals == 0 && days >= cfg->no_goals_days) || any_goal_not_smart, TRUST_SEV_WATCH);
}
