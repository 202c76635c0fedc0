/* program_sim.c: a simulated mentoring program, to measure how far the
 * early warnings can be believed (false alarms on healthy pairs, how many
 * failing pairs are warned and how early, how well the trust index tells
 * them apart).
 *
 * Each pair lives M months of check-ins, commitments, requests, feedback,
 * goal reviews, pulses and (for one failure pattern) an incident, drawn
 * from the noise model below. The events are replayed in time order
 * through the trust engine the server runs (src/trust/: the evidence
 * values of trust_values, trust_state_add, trust_score, the predicates of
 * trust_warn, the CUSUM of trust_change), and the warnings are recomputed
 * as the server does: after every recorded event, at its own time, and by
 * the daily time job for a pair not refreshed for a day. What the server
 * reads from the store for each predicate is kept here in memory with the
 * same selections (assess() below), so the numbers a predicate sees are
 * the numbers it would see in the server. Scheduling a check-in and making
 * a commitment are not events of their own here: a refresh at those times
 * would see nothing that the next one does not.
 *
 * Noise of a healthy pair (noise level m scales every rate of something
 * going wrong and the spread of the pulse answers; m = 1 ordinary, m = 2
 * twice as noisy):
 *   - cadence 7 days (70% of pairs) or 14 days; reply window 48 h;
 *     agreement acknowledged on day 1, a SMART goal on day 2;
 *   - each check-in: mutual cancellation 3%; rescheduled with notice 6m%,
 *     cancelled with notice 3m%, held late 4m%, rescheduled late 1m%,
 *     cancelled late 1m%, no-show 0.5m%, each caused by either party; a
 *     rescheduled meeting is held two days later (drawn again);
 *   - after each held check-in the learner makes a commitment (80%), the
 *     guide one (40%), due in 5 to 9 days: dropped 3%, renegotiated two
 *     days before due 6m% (then kept), kept late 5m% (by up to half the
 *     time given), broken 1.5m% (the job breaks it 24 h after due), else
 *     kept;
 *   - requests: the learner asks the guide on 1 day in 7, the guide asks
 *     on 1 in 14; reply latency log-normal, median 6 h x m, sigma
 *     0.9 + 0.2 (m - 1);
 *   - feedback after each held check-in: the guide gives one in 60% (55%
 *     recognition, else a suggestion, aimed at the person 4m% of the
 *     time), the learner in 35% (60% recognition, 3m% person-aimed), the
 *     guide asks for feedback in 10%;
 *   - goal reviews every 28 days on two goals (weights 2 and 1): each goal
 *     at -2 2m%, -1 13m%, +1 25%, +2 5%, else the expected level 0;
 *   - pulses: each party every 28 days or after the third held check-in
 *     since their last, whichever comes first, answered up to two days
 *     later; a rater has a level theta ~ N(4.4, 0.3) (within 3.8..4.9), each
 *     pulse a mood N(0, 0.25 m), each item N(0, 0.45 m), rounded into
 *     1..5; an item is skipped 4% of the time; the pulse is revealed to
 *     the rated party when they answer or after 7 days.
 *
 * Failure patterns, from an onset day drawn in [120, 240] (the ramp is how
 * fast it sets in; the rater's answers about the failing party fall by the
 * amounts shown times the ramp):
 *   no_show       the guide stops showing up: 55% no-shows, 25% late
 *                 cancellations; REL items -1.5, the rest -0.5 (30 days);
 *   no_follow     the guide's commitments: 60% broken, 20% kept late;
 *                 REL1 -1.5, INT1 and COM1 -0.5 (30 days);
 *   slow_replies  the guide replies with a median of 100 h; REL2 -1.5;
 *   criticism     the guide gives feedback after 80% of check-ins, 60%
 *                 aimed at the person, 15% recognition; EMP -1.5, COM1 -0.5
 *                 (30 days);
 *   drift         the learner drifts away: cancels with notice 30%, no
 *                 show 15%, reschedules 10%; breaks 40% of commitments;
 *                 replies with a median of 60 h; gives feedback less;
 *                 the guide's answers -0.7 (60 days);
 *   breach        the guide breaks a confidence: the learner reports it
 *                 within two days, the guide acknowledges it 1 to 4 days
 *                 later; INT2 -2.5, INT1 and EMP2 -1 at once;
 *   slow_fade     everything slips a little: every rate of something
 *                 going wrong x (1 + 4 ramp), replies x (1 + 3 ramp),
 *                 feedback less, goals below expected, every answer -1
 *                 (120 days).
 *
 * Figures: false alarms are warnings opened on healthy pairs, per 100
 * relationship-months, by code. A failing pair is warned when a warning
 * opens at or after its onset; its lead is the days from onset to the
 * first. AUC: the probability that a healthy pair's trust index (the lower
 * of its two directions, unrounded) is above a failing pair's, on the day
 * 30 (60) days after that failing pair's onset, over all such pairs.
 *
 * Under a program's settings (the terms an admin sets; the defaults as
 * described above): --cadence D (every pair meets every D days),
 * --reply-hours H (the reply window), --pulse-days D (the pulse interval),
 * --warnings-off CODE,... (warnings the program turned off: never opened,
 * as in app/trust/warnings.c; INCIDENT cannot be).
 *
 * Two further columns bound what any rule could do: "1st ev" and "2nd ev"
 * are the median days from onset to the first and the second piece of
 * evidence below 0.5 about the failing party (or the incident report). A
 * rule that needs a pattern (two events or more) cannot warn before the
 * second; one that warns on the first would warn healthy pairs too, which
 * have such evidence every few weeks: the report prints how often (events
 * with evidence below 0.5 per 100 healthy relationship-months), and the
 * share of failing pairs warned within 14 days of onset against the share
 * that had a second piece by then.
 *
 * Pulse answers become evidence read against the rater's own usual level
 * (trust_pulse_rater_shift), as app/trust/evidence.c reads them: the
 * rater's earlier pulse means in the pair and the program's mean of the
 * pulses answered so far (the pairs are lived one after the other, so
 * "so far" is every pulse of the pairs before and this pair's earlier
 * ones).
 *
 * Usage: program_sim [--pairs N] [--months M] [--seed S] [--noise m]
 *                    [--failing-share x] [--cadence D] [--reply-hours H]
 *                    [--pulse-days D] [--warnings-off CODE,...]
 * Deterministic for a seed; prints the report and the time taken.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_rng.h"
#include "trust/gas.h"
#include "trust/trust_change.h"
#include "trust/trust_evidence.h"
#include "trust/trust_index.h"
#include "trust/trust_values.h"
#include "trust/trust_warn.h"

#define DAY 86400
#define HOUR 3600
#define REVEAL_AFTER (7 * DAY)
#define PROGRAM_MEAN_MIN 10 /* app/practices/pulses.c */
#define NEUTRAL_MEAN 3.0
#define FEEDBACK_SHORT (60 * DAY)
#define FEEDBACK_LONG (90 * DAY)
#define ONSET_MIN 120
#define ONSET_SPAN 120

enum pattern { PAT_HEALTHY = 0, PAT_NO_SHOW, PAT_NO_FOLLOW, PAT_SLOW, PAT_CRITIC, PAT_DRIFT,
               PAT_BREACH, PAT_FADE, NPAT };
/* The program's terms: cadence 0 draws 7 or 14 days per pair. */
static int terms_cadence = 0;
static int terms_reply_hours = 48;
static int terms_pulse_days = 28;
static unsigned terms_warnings_off = 0; /* codes the program turned off (1u << trust_warn_code) */
#define REPLY_HOURS terms_reply_hours
#define PULSE_EVERY ((int64_t)terms_pulse_days * DAY)

static const char *const pattern_names[NPAT] = {"healthy", "no_show", "no_follow", "slow_replies",
                                                "criticism", "drift", "breach", "slow_fade"};

enum evkind { E_CHECKIN, E_RENEG, E_COMMIT, E_REQUEST, E_REPLY, E_UNANSWERED, E_FEEDBACK,
              E_REVIEW, E_PULSE, E_REVEAL, E_INCIDENT, E_ACK, E_JOB };

typedef struct sev {
  int64_t t;
  int64_t a, b;  /* check-in: scheduled; commitment: created, due; request: index */
  double x;      /* review: T */
  int32_t ref;   /* pulse or request index */
  uint8_t kind, party, cls, focus;
} sev;

typedef struct spulse {
  int64_t at, revealed;
  double shift; /* the rater's shift to the program's level, set when answered */
  int answers[TRUST_PULSE_NITEM];
  uint8_t rater;
} spulse;

typedef struct srequest {
  int64_t created, replied; /* replied 0: never */
  uint8_t responder;
} srequest;

typedef struct vec {
  void *p;
  size_t n, cap, size;
} vec;

static void *vec_push(vec *v) {
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 256;
    v->p = realloc(v->p, v->cap * v->size);
    if (!v->p) {
      fprintf(stderr, "out of memory\n");
      exit(1);
    }
  }
  return (char *)v->p + v->size * v->n++;
}

/* ---- the pair and its noise ---- */

typedef struct pair {
  sim_rng rng;
  int pat;
  double m;              /* noise level */
  int64_t onset, end;
  int cadence;           /* days */
  double theta[TRUST_NPARTY]; /* the level of each rater's answers (indexed by rater) */
  vec ev, pulses, reqs;
} pair;

static double uni(pair *p) { return sim_uniform(&p->rng); }
static bool chance(pair *p, double x) { return sim_uniform(&p->rng) < x; }

/* 0 before the onset, rising to 1 over `days` after it. */
static double ramp(const pair *p, int64_t t, double days) {
  if (p->pat == PAT_HEALTHY || t < p->onset) return 0;
  double f = (double)(t - p->onset) / (days * DAY);
  return f > 1 ? 1 : f;
}

static bool after_onset(const pair *p, int64_t t, int pat) {
  return p->pat == pat && t >= p->onset;
}

static sev *add_ev(pair *p, int kind, int64_t t) {
  sev *e = vec_push(&p->ev);
  memset(e, 0, sizeof *e);
  e->kind = (uint8_t)kind;
  e->t = t;
  return e;
}

/* The outcome class of a check-in scheduled at s, and who caused it. */
static trust_checkin_class draw_checkin(pair *p, int64_t s, int *causer) {
  *causer = chance(p, 0.5) ? TRUST_GUIDE : TRUST_LEARNER;
  if (after_onset(p, s, PAT_NO_SHOW)) {
    double u = uni(p);
    *causer = TRUST_GUIDE;
    if (u < 0.55) return TRUST_CHECKIN_NO_SHOW;
    if (u < 0.80) return TRUST_CHECKIN_CANCELLED_LATE;
  }
  if (after_onset(p, s, PAT_DRIFT)) {
    double u = uni(p);
    *causer = TRUST_LEARNER;
    if (u < 0.30) return TRUST_CHECKIN_CANCELLED_WITH_NOTICE;
    if (u < 0.45) return TRUST_CHECKIN_NO_SHOW;
    if (u < 0.55) return TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE;
    *causer = chance(p, 0.5) ? TRUST_GUIDE : TRUST_LEARNER;
  }
  double k = p->m * (1 + 4 * (p->pat == PAT_FADE ? ramp(p, s, 120) : 0));
  static const struct {
    trust_checkin_class cls;
    double rate;
    bool scaled;
  } table[] = {
      {TRUST_CHECKIN_MUTUAL_CANCEL, 0.03, false},
      {TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE, 0.06, true},
      {TRUST_CHECKIN_CANCELLED_WITH_NOTICE, 0.03, true},
      {TRUST_CHECKIN_HELD_LATE, 0.04, true},
      {TRUST_CHECKIN_RESCHEDULED_LATE, 0.01, true},
      {TRUST_CHECKIN_CANCELLED_LATE, 0.01, true},
      {TRUST_CHECKIN_NO_SHOW, 0.005, true},
  };
  double u = uni(p), acc = 0;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    acc += table[i].rate * (table[i].scaled ? k : 1);
    if (u < acc) return table[i].cls;
  }
  return TRUST_CHECKIN_HELD;
}

/* The time a check-in scheduled at s gets its outcome. */
static int64_t outcome_time(pair *p, trust_checkin_class c, int64_t s) {
  switch (c) {
  case TRUST_CHECKIN_HELD: return s + HOUR;
  case TRUST_CHECKIN_HELD_LATE: return s + DAY + (int64_t)(uni(p) * DAY);
  case TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE:
  case TRUST_CHECKIN_CANCELLED_WITH_NOTICE: return s - 2 * DAY;
  case TRUST_CHECKIN_RESCHEDULED_LATE:
  case TRUST_CHECKIN_CANCELLED_LATE: return s - 3 * HOUR;
  case TRUST_CHECKIN_NO_SHOW: return s + HOUR;
  case TRUST_CHECKIN_MUTUAL_CANCEL:
  default: return s - DAY;
  }
}

static void gen_commitment(pair *p, int owner, int64_t created) {
  int64_t due = created + (5 + (int64_t)sim_below(&p->rng, 5)) * DAY;
  int64_t span = due - created;
  double k = p->m * (1 + 4 * (p->pat == PAT_FADE ? ramp(p, created, 120) : 0));
  double broken = 0.015 * k, late = 0.05 * k, reneg = 0.06 * k;
  if (owner == TRUST_GUIDE && after_onset(p, created, PAT_NO_FOLLOW)) broken = 0.6, late = 0.2;
  if (owner == TRUST_LEARNER && after_onset(p, created, PAT_DRIFT)) broken = 0.4, late = 0.2;
  double u = uni(p);
  sev *e;
  if (u < 0.03) return; /* dropped: no evidence, no entry */
  u -= 0.03;
  if (u < broken) {
    e = add_ev(p, E_COMMIT, due + DAY);
    e->cls = TRUST_COMMIT_BROKEN;
  } else if (u < broken + late) {
    e = add_ev(p, E_COMMIT, due + (int64_t)((0.1 + 0.4 * uni(p)) * (double)span));
    e->cls = TRUST_COMMIT_KEPT_LATE;
  } else if (u < broken + late + reneg) {
    sev *r = add_ev(p, E_RENEG, due - 2 * DAY);
    r->party = (uint8_t)owner;
    r->a = created;
    r->b = due;
    due += 4 * DAY;
    e = add_ev(p, E_COMMIT, due - DAY);
    e->cls = TRUST_COMMIT_KEPT;
  } else {
    e = add_ev(p, E_COMMIT, created + (int64_t)(uni(p) * (double)span));
    e->cls = TRUST_COMMIT_KEPT;
  }
  e->party = (uint8_t)owner;
  e->a = created;
  e->b = due;
}

static void gen_feedback(pair *p, int giver, int64_t at) {
  double give = giver == TRUST_GUIDE ? 0.6 : 0.35, recog = giver == TRUST_GUIDE ? 0.55 : 0.6;
  double person = (giver == TRUST_GUIDE ? 0.04 : 0.03) * p->m;
  if (p->pat == PAT_FADE) give *= 1 - 0.5 * ramp(p, at, 120);
  if (giver == TRUST_LEARNER && p->pat == PAT_DRIFT) give *= 1 - 0.8 * ramp(p, at, 60);
  if (giver == TRUST_GUIDE && after_onset(p, at, PAT_CRITIC)) give = 0.8, recog = 0.15,
                                                              person = 0.6 / 0.85;
  if (giver == TRUST_GUIDE && chance(p, 0.1)) {
    sev *e = add_ev(p, E_FEEDBACK, at + HOUR);
    e->party = (uint8_t)giver;
    e->cls = TRUST_FEEDBACK_ASK;
  }
  if (!chance(p, give)) return;
  sev *e = add_ev(p, E_FEEDBACK, at);
  e->party = (uint8_t)giver;
  e->cls = chance(p, recog) ? TRUST_FEEDBACK_RECOGNITION : TRUST_FEEDBACK_CONSTRUCTIVE;
  e->focus = e->cls == TRUST_FEEDBACK_CONSTRUCTIVE && chance(p, person) ? TRUST_FOCUS_PERSON
                                                                        : TRUST_FOCUS_TASK;
}

/* Check-ins, and what follows a held one. Returns nothing; the held
 * times go to held[] (for the pulse schedule). */
static void gen_checkins(pair *p, vec *held) {
  for (int64_t s = (int64_t)p->cadence * DAY + 10 * HOUR; s < p->end; s += (int64_t)p->cadence * DAY) {
    int64_t at = s;
    for (int tries = 0; tries < 3; tries++) {
      int causer;
      trust_checkin_class c = draw_checkin(p, at, &causer);
      if (tries == 2 && (c == TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE ||
                         c == TRUST_CHECKIN_RESCHEDULED_LATE))
        c = TRUST_CHECKIN_HELD;
      sev *e = add_ev(p, E_CHECKIN, outcome_time(p, c, at));
      e->cls = (uint8_t)c;
      e->party = (uint8_t)causer;
      e->a = at;
      if (c == TRUST_CHECKIN_HELD || c == TRUST_CHECKIN_HELD_LATE) {
        int64_t t = e->t;
        *(int64_t *)vec_push(held) = t;
        if (chance(p, 0.8)) gen_commitment(p, TRUST_LEARNER, t + HOUR);
        if (chance(p, 0.4)) gen_commitment(p, TRUST_GUIDE, t + HOUR);
        gen_feedback(p, TRUST_GUIDE, t + 2 * HOUR);
        gen_feedback(p, TRUST_LEARNER, t + 3 * HOUR);
      }
      if (c != TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE && c != TRUST_CHECKIN_RESCHEDULED_LATE) break;
      at += 2 * DAY;
    }
  }
}

static void gen_requests(pair *p) {
  for (int64_t d = 0; d * DAY < p->end; d++) {
    for (int responder = 0; responder < TRUST_NPARTY; responder++) {
      if (!chance(p, responder == TRUST_GUIDE ? 1.0 / 7 : 1.0 / 14)) continue;
      int64_t created = d * DAY + 8 * HOUR + (int64_t)(uni(p) * 12 * HOUR);
      double median = 6 * p->m, sigma = 0.9 + 0.2 * (p->m - 1);
      if (responder == TRUST_GUIDE && after_onset(p, created, PAT_SLOW)) median = 100, sigma = 0.5;
      if (responder == TRUST_LEARNER && after_onset(p, created, PAT_DRIFT)) median = 60, sigma = 0.6;
      if (p->pat == PAT_FADE) median *= 1 + 3 * ramp(p, created, 120);
      double hours = median * exp(sigma * sim_normal(&p->rng));
      srequest *q = vec_push(&p->reqs);
      q->created = created;
      q->responder = (uint8_t)responder;
      q->replied = hours < 20 * 24 ? created + (int64_t)(hours * HOUR) + 1 : 0;
      int32_t idx = (int32_t)(p->reqs.n - 1);
      sev *e = add_ev(p, E_REQUEST, created);
      e->ref = idx;
      e->party = (uint8_t)responder;
      if (q->replied) {
        e = add_ev(p, E_REPLY, q->replied);
        e->ref = idx;
        e->party = (uint8_t)responder;
      }
      int64_t marked = created + 3 * REPLY_HOURS * HOUR;
      if (!q->replied || q->replied > marked) {
        e = add_ev(p, E_UNANSWERED, marked);
        e->ref = idx;
        e->party = (uint8_t)responder;
      }
    }
  }
}

static int level_draw(pair *p, int64_t t) {
  double f = 0;
  if (p->pat == PAT_FADE) f = ramp(p, t, 120);
  if (p->pat == PAT_NO_FOLLOW || p->pat == PAT_DRIFT || p->pat == PAT_CRITIC) f = ramp(p, t, 60);
  double m2 = 0.02 * p->m + 0.15 * f, m1 = 0.13 * p->m + 0.4 * f, p1 = 0.25 * (1 - f),
         p2 = 0.05 * (1 - f);
  double u = uni(p);
  if (u < m2) return -2;
  if (u < m2 + m1) return -1;
  if (u < m2 + m1 + p1) return 1;
  if (u < m2 + m1 + p1 + p2) return 2;
  return 0;
}

static void gen_reviews(pair *p) {
  static const double weights[2] = {2, 1};
  for (int64_t t = 28 * DAY + 12 * HOUR; t < p->end; t += 28 * DAY) {
    int levels[2] = {level_draw(p, t), level_draw(p, t)};
    sev *e = add_ev(p, E_REVIEW, t);
    e->x = trust_gas_t(weights, levels, 2, TRUST_GAS_RHO);
  }
}

/* How far the rater's answers on item i about the failing party fall at t. */
static double answer_shift(pair *p, int rater, int i, int64_t t) {
  int failing = p->pat == PAT_DRIFT ? TRUST_LEARNER : TRUST_GUIDE;
  if (p->pat == PAT_HEALTHY || rater == failing) return 0;
  bool rel = i == TRUST_PULSE_REL1 || i == TRUST_PULSE_REL2;
  switch (p->pat) {
  case PAT_NO_SHOW: return (rel ? 1.5 : 0.5) * ramp(p, t, 30);
  case PAT_NO_FOLLOW:
    return (i == TRUST_PULSE_REL1 ? 1.5 : i == TRUST_PULSE_INT1 || i == TRUST_PULSE_COM1 ? 0.5 : 0) *
           ramp(p, t, 30);
  case PAT_SLOW: return (i == TRUST_PULSE_REL2 ? 1.5 : 0) * ramp(p, t, 30);
  case PAT_CRITIC:
    return (i == TRUST_PULSE_EMP1 || i == TRUST_PULSE_EMP2 ? 1.5 : i == TRUST_PULSE_COM1 ? 0.5 : 0) *
           ramp(p, t, 30);
  case PAT_DRIFT: return 0.7 * ramp(p, t, 60);
  case PAT_BREACH:
    if (t < p->onset) return 0;
    return i == TRUST_PULSE_INT2 ? 2.5 : i == TRUST_PULSE_INT1 || i == TRUST_PULSE_EMP2 ? 1 : 0;
  case PAT_FADE: return 1.0 * ramp(p, t, 120);
  default: return 0;
  }
}

static void gen_pulses(pair *p, const vec *held) {
  const int64_t *h = held->p;
  for (int rater = 0; rater < TRUST_NPARTY; rater++) {
    int64_t last = 0;
    size_t next_held = 0;
    for (;;) {
      int64_t due = last + PULSE_EVERY;
      size_t count = 0;
      for (size_t i = next_held; i < held->n; i++)
        if (h[i] > last && ++count == 3) {
          if (h[i] < due) due = h[i];
          break;
        }
      int64_t at = due + 2 * HOUR + (int64_t)(uni(p) * 46 * HOUR);
      if (at >= p->end) break;
      while (next_held < held->n && h[next_held] <= at) next_held++;
      spulse *q = vec_push(&p->pulses);
      q->at = at;
      q->rater = (uint8_t)rater;
      double mood = 0.25 * p->m * sim_normal(&p->rng);
      for (int i = 0; i < TRUST_PULSE_NITEM; i++) {
        double x = p->theta[rater] + mood + 0.45 * p->m * sim_normal(&p->rng) -
                   answer_shift(p, rater, i, at);
        int a = (int)lround(x);
        q->answers[i] = chance(p, 0.04) ? TRUST_PULSE_SKIPPED : a < 1 ? 1 : a > 5 ? 5 : a;
      }
      last = at;
    }
  }
  /* Reveals: when the rated party answers about the rater, or after 7 days. */
  spulse *ps = p->pulses.p;
  for (size_t i = 0; i < p->pulses.n; i++) {
    ps[i].revealed = ps[i].at + REVEAL_AFTER;
    for (size_t j = 0; j < p->pulses.n; j++)
      if (ps[j].rater != ps[i].rater && ps[j].at >= ps[i].at && ps[j].at < ps[i].revealed)
        ps[i].revealed = ps[j].at;
    sev *e = add_ev(p, E_PULSE, ps[i].at);
    e->ref = (int32_t)i;
    e = add_ev(p, E_REVEAL, ps[i].revealed);
    e->ref = (int32_t)i;
  }
}

static int ev_cmp(const void *x, const void *y) {
  const sev *a = x, *b = y;
  if (a->t != b->t) return a->t < b->t ? -1 : 1;
  return (a->kind > b->kind) - (a->kind < b->kind);
}

static void gen_pair(pair *p) {
  vec held = {.size = sizeof(int64_t)};
  p->cadence = chance(p, 0.7) ? 7 : 14;
  if (terms_cadence) p->cadence = terms_cadence;
  for (int r = 0; r < TRUST_NPARTY; r++) {
    double th = 4.4 + 0.3 * sim_normal(&p->rng);
    p->theta[r] = th < 3.8 ? 3.8 : th > 4.9 ? 4.9 : th;
  }
  gen_checkins(p, &held);
  gen_requests(p);
  gen_reviews(p);
  gen_pulses(p, &held);
  if (p->pat == PAT_BREACH) {
    int64_t rep = p->onset + (int64_t)(uni(p) * 2 * DAY);
    add_ev(p, E_INCIDENT, rep);
    add_ev(p, E_ACK, rep + DAY + (int64_t)(uni(p) * 3 * DAY));
  }
  for (int64_t d = 1; d * DAY < p->end; d++) add_ev(p, E_JOB, d * DAY);
  qsort(p->ev.p, p->ev.n, sizeof(sev), ev_cmp);
  free(held.p);
}

/* ---- the replay: what the server keeps, in memory ---- */

typedef struct obs_ck {
  int64_t scheduled;
  trust_checkin_obs o;
} obs_ck;

typedef struct fb {
  int64_t t;
  uint8_t giver, kind, focus;
} fb;

typedef struct rater_pulses {
  size_t n, nmeans;
  double sum_means; /* the rater's pulse means so far, for their usual level */
  int latest[TRUST_PULSE_NITEM], prev[TRUST_PULSE_NITEM], prev2[TRUST_PULSE_NITEM];
  trust_cusum_state cusum;
  bool alarm_at_latest;
} rater_pulses;

#define SLOT_PAIR 2
#define NSLOT 3

typedef struct replay {
  const trust_settings *scfg;
  const trust_warn_settings *wcfg;
  trust_state st; /* as the rated parties may see it: pulse evidence from its reveal */
  bool has_held;
  int64_t last_held;
  vec cks;                         /* expected check-ins with an outcome, by scheduled time */
  vec commits[TRUST_NPARTY];       /* trust_commit_class entries, time order */
  vec fbs;
  rater_pulses rp[TRUST_NPARTY];   /* by rater */
  size_t incidents_open;
  int64_t last_refresh;
  bool open[TRUST_W_COUNT][NSLOT];
  int64_t closed[TRUST_W_COUNT][NSLOT];
  int64_t onset;      /* a failing pair's onset; INT64_MAX for a healthy one */
  int failing;        /* the party who fails */
  int64_t first_bad;  /* the first evidence below 0.5 about them at or after onset; -1 none */
  int64_t second_bad; /* ... the second such (from another event); -1 none */
  long bad_events;    /* events with evidence below 0.5 about either party */
  int64_t bad_at;     /* the time of the last one counted */
} replay;

/* The program's pulse mean (app/practices/pulses.c: the mean of the program's pulse
 * means, once there are PROGRAM_MEAN_MIN of them), over the pairs
 * simulated so far. */
static double pm_sum;
static long pm_n;

typedef struct tally {
  long opened[TRUST_W_COUNT], reopened[TRUST_W_COUNT];
  int64_t first; /* the first opening at or after onset; -1 none */
  int64_t first_bad, second_bad; /* the first and second failing evidence at or after onset; -1 none */
  long bad_events;
  int first_code;
} tally;

/* Notes the first failing evidence about the failing party after onset,
 * and counts the events with evidence below 0.5 about anyone. */
static void note_bad(replay *r, const trust_item *it) {
  if (it->v < 0.5 && it->t != r->bad_at) {
    r->bad_events++;
    r->bad_at = it->t;
  }
  if (it->t < r->onset || it->about != r->failing || it->v >= 0.5) return;
  if (r->first_bad < 0) r->first_bad = it->t;
  else if (r->second_bad < 0 && it->t > r->first_bad) r->second_bad = it->t;
}

static void feed_items(replay *r, const trust_ev *v, size_t n, int about, int64_t t) {
  for (size_t i = 0; i < n; i++) {
    trust_item it = trust_ev_item(&v[i], (trust_party)about, t, 0);
    trust_state_add(&r->st, r->scfg, &it);
    note_bad(r, &it);
  }
}

static void set(bool hold[TRUST_W_COUNT][NSLOT], trust_warn_code c, int slot, trust_severity s) {
  if (s != TRUST_SEV_NONE) hold[c][slot] = true;
}

/* The warnings that hold at now, as app/trust/warnings.c computes them. */
static void assess(replay *r, const pair *p, const srequest *reqs, int64_t now,
                   bool hold[TRUST_W_COUNT][NSLOT]) {
  const trust_warn_settings *w = r->wcfg;
  memset(hold, 0, sizeof(bool) * TRUST_W_COUNT * NSLOT);
  /* CADENCE_GAP: since the last held check-in (active from 0). */
  set(hold, TRUST_W_CADENCE_GAP, SLOT_PAIR,
      trust_warn_cadence_gap(w, trust_gap_ratio(now, r->has_held ? r->last_held : 0, p->cadence)));
  /* LATE_CANCELLATIONS: the last late_window expected check-ins. */
  size_t n = r->cks.n, k = n < w->late_window ? n : w->late_window;
  trust_checkin_obs obs[16];
  for (size_t i = 0; i < k && i < 16; i++) obs[i] = ((obs_ck *)r->cks.p)[n - k + i].o;
  unsigned parties = 0;
  if (trust_warn_late_cancellations(w, obs, k, &parties))
    for (int q = 0; q < TRUST_NPARTY; q++)
      if (parties & (1u << q)) hold[TRUST_W_LATE_CANCELLATIONS][q] = true;
  for (int q = 0; q < TRUST_NPARTY; q++) {
    /* FOLLOW_THROUGH: the last follow_window entries. */
    const trust_commit_class *seq = r->commits[q].p;
    size_t m = r->commits[q].n, from = m > w->follow_window ? m - w->follow_window : 0;
    set(hold, TRUST_W_FOLLOW_THROUGH, q, trust_warn_follow_through(w, seq + from, m - from));
    /* SLOW_REPLIES: the last slow_window requests made of q. */
    double lat[16];
    size_t nl = 0;
    for (size_t i = (size_t)p->reqs.n; i > 0 && nl < w->slow_window && nl < 16; i--) {
      const srequest *x = &reqs[i - 1];
      if (x->responder != q || x->created > now) continue;
      int64_t end = x->replied && x->replied <= now ? x->replied : now;
      lat[nl++] = (double)(end - x->created);
    }
    for (size_t i = 0; i < nl / 2; i++) {
      double t = lat[i];
      lat[i] = lat[nl - 1 - i];
      lat[nl - 1 - i] = t;
    }
    set(hold, TRUST_W_SLOW_REPLIES, q, trust_warn_slow_replies(w, lat, nl, REPLY_HOURS));
  }
  /* Feedback over 60 and 90 days, per giver. */
  trust_feedback_tally lng[TRUST_NPARTY], shrt[TRUST_NPARTY];
  memset(lng, 0, sizeof lng);
  memset(shrt, 0, sizeof shrt);
  const fb *f = r->fbs.p;
  for (size_t i = r->fbs.n; i > 0; i--) {
    const fb *x = &f[i - 1];
    if (x->t <= now - FEEDBACK_LONG) break;
    trust_feedback_kind kind = (trust_feedback_kind)x->kind;
    trust_feedback_focus focus = (trust_feedback_focus)x->focus;
    trust_feedback_tally_add(&lng[x->giver], kind, focus);
    if (x->t > now - FEEDBACK_SHORT) trust_feedback_tally_add(&shrt[x->giver], kind, focus);
  }
  trust_feedback_tally last[TRUST_NPARTY];
  memset(last, 0, sizeof last);
  for (size_t i = r->fbs.n; i > 0; i--) {
    const fb *x = &f[i - 1];
    if (x->t <= now - FEEDBACK_LONG) break;
    if (last[x->giver].recognition + last[x->giver].constructive < w->criticism_recent_n)
      trust_feedback_tally_add(&last[x->giver], (trust_feedback_kind)x->kind,
                               (trust_feedback_focus)x->focus);
  }
  for (int q = 0; q < TRUST_NPARTY; q++) {
    set(hold, TRUST_W_CRITICISM_HEAVY, q, trust_warn_criticism_recent(w, &last[q]));
    set(hold, TRUST_W_CRITICISM_HEAVY, q, trust_warn_criticism_heavy(w, &shrt[q]));
    set(hold, TRUST_W_NO_CONSTRUCTIVE, q, trust_warn_no_constructive(w, &lng[q]));
  }
  set(hold, TRUST_W_ONE_WAY_FEEDBACK, SLOT_PAIR,
      trust_warn_one_way_feedback(w, lng[TRUST_LEARNER].recognition + lng[TRUST_LEARNER].constructive,
                                  lng[TRUST_GUIDE].recognition + lng[TRUST_GUIDE].constructive));
  /* Pulses: by rater, about the other. */
  for (int rater = 0; rater < TRUST_NPARTY; rater++) {
    const rater_pulses *x = &r->rp[rater];
    if (!x->n) continue;
    int about = 1 - rater;
    const int *prev = x->n >= 2 ? x->prev : NULL, *prev2 = x->n >= 3 ? x->prev2 : NULL;
    set(hold, TRUST_W_SAFETY_DOUBT, about, trust_warn_safety_doubt(w, prev, prev2, x->latest));
    set(hold, TRUST_W_PULSE_DROP, about,
        trust_warn_pulse_drop(w, prev, prev2, x->latest, x->alarm_at_latest));
  }
  set(hold, TRUST_W_INCIDENT, TRUST_GUIDE, trust_warn_incident(r->incidents_open));
  set(hold, TRUST_W_NO_AGREEMENT, SLOT_PAIR, trust_warn_no_agreement(w, 0, now, now >= DAY));
  set(hold, TRUST_W_NO_GOALS, SLOT_PAIR, trust_warn_no_goals(w, 0, now, now >= 2 * DAY, false));
  /* The scores. */
  double trend[TRUST_NPARTY];
  for (int q = 0; q < TRUST_NPARTY; q++) {
    trust_dir_score sc;
    trust_score(&r->st, r->scfg, (trust_party)q, now, false, &sc);
    trend[q] = sc.trend;
    unsigned falling;
    set(hold, TRUST_W_DECLINING, q, trust_warn_declining_dir(w, &sc, &falling));
    if (trust_warn_perception_gaps(w, &r->st, r->scfg, (trust_party)q, now))
      hold[TRUST_W_PERCEPTION_GAP][q] = true;
  }
  trust_party drifting = TRUST_GUIDE;
  if (trust_warn_one_sided_drift(w, trend, &drifting))
    hold[TRUST_W_ONE_SIDED_DRIFT][drifting] = true;
}

static void refresh(replay *r, const pair *p, int64_t now, tally *t) {
  bool hold[TRUST_W_COUNT][NSLOT];
  assess(r, p, p->reqs.p, now, hold);
  for (int c = 0; c < TRUST_W_COUNT; c++)
    for (int s = 0; s < NSLOT; s++) {
      if (terms_warnings_off & (1u << c)) hold[c][s] = false; /* as app/trust/warnings.c */
      if (hold[c][s] && !r->open[c][s]) {
        t->opened[c]++;
        if (r->closed[c][s] && now - r->closed[c][s] < 30 * DAY) t->reopened[c]++;
        if (p->pat != PAT_HEALTHY && now >= p->onset && t->first < 0) {
          t->first = now;
          t->first_code = c;
        }
      }
      if (!hold[c][s] && r->open[c][s]) r->closed[c][s] = now;
      r->open[c][s] = hold[c][s];
    }
  r->last_refresh = now;
}

static void add_checkin(replay *r, const sev *e) {
  trust_item items[2 * TRUST_EV_MAX];
  trust_checkin_class c = (trust_checkin_class)e->cls;
  size_t n = trust_checkin_items(c, e->party, e->t, 0, items);
  for (size_t i = 0; i < n; i++) {
    trust_state_add(&r->st, r->scfg, &items[i]);
    note_bad(r, &items[i]);
  }
  if (c == TRUST_CHECKIN_HELD || c == TRUST_CHECKIN_HELD_LATE) {
    r->has_held = true;
    r->last_held = e->t;
  }
  if (c == TRUST_CHECKIN_MUTUAL_CANCEL || c == TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE) return;
  obs_ck *o = vec_push(&r->cks);
  o->scheduled = e->a;
  o->o.cls = c;
  o->o.caused_by = trust_checkin_about_both(c) || c == TRUST_CHECKIN_HELD_LATE ? -1 : e->party;
  for (obs_ck *x = o; x > (obs_ck *)r->cks.p && x[-1].scheduled > x->scheduled; x--) {
    obs_ck tmp = x[-1];
    x[-1] = *x;
    *x = tmp;
  }
}

static void add_pulse(replay *r, spulse *q) {
  rater_pulses *x = &r->rp[q->rater];
  /* app/trust/evidence.c: the rater's earlier pulses and the program's mean of the others */
  q->shift = trust_pulse_rater_shift(x->nmeans ? x->sum_means / (double)x->nmeans : 0, x->nmeans,
                                     pm_n ? pm_sum / (double)pm_n : 0, (size_t)pm_n);
  memcpy(x->prev2, x->prev, sizeof x->prev2);
  memcpy(x->prev, x->latest, sizeof x->prev);
  memcpy(x->latest, q->answers, sizeof x->latest);
  x->n++;
  double mean;
  x->alarm_at_latest = false;
  if (!trust_pulse_mean(q->answers, &mean)) return;
  trust_cusum_settings cc = trust_cusum_default();
  double program_mean = pm_n >= PROGRAM_MEAN_MIN ? pm_sum / (double)pm_n : NEUTRAL_MEAN;
  x->alarm_at_latest = trust_cusum_feed(&cc, &x->cusum, mean, program_mean, cc.sigma);
  x->sum_means += mean;
  x->nmeans++;
  pm_sum += mean;
  pm_n++;
}

static void apply(replay *r, pair *p, const sev *e) {
  trust_ev v[TRUST_EV_MAX];
  size_t n;
  switch (e->kind) {
  case E_CHECKIN: add_checkin(r, e); break;
  case E_RENEG:
    n = trust_commitment_evidence(TRUST_COMMIT_RENEGOTIATED, e->a, e->b, e->t, v);
    feed_items(r, v, n, e->party, e->t);
    *(trust_commit_class *)vec_push(&r->commits[e->party]) = TRUST_COMMIT_RENEGOTIATED;
    break;
  case E_COMMIT:
    n = trust_commitment_evidence((trust_commit_class)e->cls, e->a, e->b, e->t, v);
    feed_items(r, v, n, e->party, e->t);
    *(trust_commit_class *)vec_push(&r->commits[e->party]) = (trust_commit_class)e->cls;
    break;
  case E_REPLY: {
    const srequest *q = &((srequest *)p->reqs.p)[e->ref];
    if (q->replied > q->created + 3 * REPLY_HOURS * HOUR) break; /* counted once, as no reply */
    n = trust_reply_evidence(trust_reply_classify(q->created, true, q->replied, e->t, REPLY_HOURS), v);
    feed_items(r, v, n, e->party, e->t);
    break;
  }
  case E_UNANSWERED:
    n = trust_reply_evidence(TRUST_REPLY_NONE, v);
    feed_items(r, v, n, e->party, e->t);
    break;
  case E_FEEDBACK: {
    n = trust_feedback_evidence((trust_feedback_kind)e->cls, (trust_feedback_focus)e->focus,
                                (trust_party)e->party, v);
    feed_items(r, v, n, e->party, e->t);
    fb *f = vec_push(&r->fbs);
    f->t = e->t;
    f->giver = e->party;
    f->kind = e->cls;
    f->focus = e->focus;
    break;
  }
  case E_REVIEW:
    n = trust_goal_review_evidence(e->x, v);
    feed_items(r, v, n, TRUST_GUIDE, e->t);
    break;
  case E_PULSE: add_pulse(r, &((spulse *)p->pulses.p)[e->ref]); break;
  case E_REVEAL: {
    const spulse *q = &((spulse *)p->pulses.p)[e->ref];
    for (int i = 0; i < TRUST_PULSE_NITEM; i++) {
      n = trust_pulse_evidence_shifted((trust_pulse_item)i, q->answers[i], q->shift, v);
      feed_items(r, v, n, 1 - q->rater, q->at);
    }
    break;
  }
  case E_INCIDENT:
    r->incidents_open++;
    if (r->first_bad < 0) r->first_bad = e->t;
    else if (r->second_bad < 0) r->second_bad = e->t;
    break;
  case E_ACK:
    n = trust_incident_evidence(TRUST_INCIDENT_CONFIRMED, v);
    feed_items(r, v, n, TRUST_GUIDE, e->t);
    trust_state_breach(&r->st, TRUST_GUIDE, e->t);
    break;
  default: break;
  }
}

/* Replays p; daily[d] gets the lower direction's index at the job of day d. */
static void run_pair(pair *p, const trust_settings *scfg, const trust_warn_settings *wcfg,
                     tally *t, float *daily, int ndays) {
  replay *r = calloc(1, sizeof *r);
  r->scfg = scfg;
  r->wcfg = wcfg;
  r->cks.size = sizeof(obs_ck);
  r->fbs.size = sizeof(fb);
  for (int q = 0; q < TRUST_NPARTY; q++) r->commits[q].size = sizeof(trust_commit_class);
  memset(t, 0, sizeof *t);
  t->first = -1;
  r->onset = p->pat == PAT_HEALTHY ? INT64_MAX : p->onset;
  r->failing = p->pat == PAT_DRIFT ? TRUST_LEARNER : TRUST_GUIDE;
  r->first_bad = r->second_bad = -1;
  r->bad_at = -1;
  const sev *ev = p->ev.p;
  for (size_t i = 0; i < p->ev.n; i++) {
    const sev *e = &ev[i];
    if (e->kind == E_JOB) {
      int d = (int)(e->t / DAY);
      if (d < ndays) {
        double lo = 100;
        for (int q = 0; q < TRUST_NPARTY; q++) {
          trust_dir_score sc;
          trust_score(&r->st, scfg, (trust_party)q, e->t, false, &sc);
          if (sc.index < lo) lo = sc.index;
        }
        daily[d] = (float)lo;
      }
      if (e->t - r->last_refresh >= DAY) refresh(r, p, e->t, t);
      continue;
    }
    if (e->kind != E_REQUEST) apply(r, p, e); /* a request made carries no evidence */
    refresh(r, p, e->t, t);
  }
  t->first_bad = r->first_bad;
  t->second_bad = r->second_bad;
  t->bad_events = r->bad_events;
  free(r->cks.p);
  free(r->fbs.p);
  for (int q = 0; q < TRUST_NPARTY; q++) free(r->commits[q].p);
  free(r);
}

/* ---- the report ---- */

static int cmp_d(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static double quantile(double *x, size_t n, double q) {
  if (!n) return NAN;
  qsort(x, n, sizeof *x, cmp_d);
  double h = (double)(n - 1) * q;
  size_t lo = (size_t)h;
  return lo + 1 < n ? x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]) : x[lo];
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--pairs N] [--months M] [--seed S] [--noise m] [--failing-share x]\n"
          "       [--cadence D] [--reply-hours H] [--pulse-days D] [--warnings-off CODE,...]\n",
          argv0);
  exit(2);
}

int main(int argc, char **argv) {
  long npairs = 1000, months = 12;
  unsigned long long seed = 1;
  double noise = 1, failing_share = 0.3;
  for (int i = 1; i < argc; i++) {
    char *end = NULL;
    if (i + 1 >= argc) usage(argv[0]);
    if (!strcmp(argv[i], "--pairs")) npairs = strtol(argv[++i], &end, 10);
    else if (!strcmp(argv[i], "--months")) months = strtol(argv[++i], &end, 10);
    else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[++i], &end, 10);
    else if (!strcmp(argv[i], "--noise")) noise = strtod(argv[++i], &end);
    else if (!strcmp(argv[i], "--failing-share")) failing_share = strtod(argv[++i], &end);
    else if (!strcmp(argv[i], "--cadence")) terms_cadence = (int)strtol(argv[++i], &end, 10);
    else if (!strcmp(argv[i], "--reply-hours")) terms_reply_hours = (int)strtol(argv[++i], &end, 10);
    else if (!strcmp(argv[i], "--pulse-days")) terms_pulse_days = (int)strtol(argv[++i], &end, 10);
    else if (!strcmp(argv[i], "--warnings-off")) {
      char *list = argv[++i], *save = NULL;
      for (char *code = strtok_r(list, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
        trust_warn_code c;
        if (!trust_warn_parse(code, &c) || c == TRUST_W_INCIDENT) usage(argv[0]);
        terms_warnings_off |= 1u << c;
      }
      end = list + strlen(list);
    }
    else usage(argv[0]);
    if (!end || *end) usage(argv[0]);
  }
  if (npairs < 1 || months < 10 || noise <= 0 || failing_share < 0 || failing_share > 1 ||
      terms_cadence < 0 || terms_cadence > 365 || terms_reply_hours < 1 ||
      terms_reply_hours > 720 || terms_pulse_days < 7 || terms_pulse_days > 365)
    usage(argv[0]); /* the ranges of program_settings_check */
  double t0 = now_s();
  trust_settings scfg = trust_settings_default();
  trust_warn_settings wcfg = trust_warn_default();
  int64_t end = (int64_t)llround((double)months * 30.44 * DAY);
  int ndays = (int)(end / DAY) + 1;
  float *daily = calloc((size_t)npairs * (size_t)ndays, sizeof *daily);
  int *pat = calloc((size_t)npairs, sizeof *pat);
  int64_t *onset = calloc((size_t)npairs, sizeof *onset);
  tally *tl = calloc((size_t)npairs, sizeof *tl);
  if (!daily || !pat || !onset || !tl) return 1;
  long nfailing = lround(failing_share * (double)npairs);
  for (long i = 0; i < npairs; i++) {
    pair p;
    memset(&p, 0, sizeof p);
    sim_seed(&p.rng, seed * 1000003ull + (unsigned long long)i);
    p.m = noise;
    p.end = end;
    p.pat = i < nfailing ? 1 + (int)(i % (NPAT - 1)) : PAT_HEALTHY;
    p.onset = (ONSET_MIN + (int64_t)sim_below(&p.rng, ONSET_SPAN + 1)) * DAY + 9 * HOUR;
    p.ev.size = sizeof(sev);
    p.pulses.size = sizeof(spulse);
    p.reqs.size = sizeof(srequest);
    gen_pair(&p);
    run_pair(&p, &scfg, &wcfg, &tl[i], daily + (size_t)i * (size_t)ndays, ndays);
    pat[i] = p.pat;
    onset[i] = p.onset;
    free(p.ev.p);
    free(p.pulses.p);
    free(p.reqs.p);
  }
  double secs = now_s() - t0;

  printf("program: %ld pairs x %ld months, seed %llu, noise %.2g, %ld failing\n", npairs, months,
         seed, noise, nfailing);
  if (terms_cadence)
    printf("terms: cadence %d days, reply window %d h, pulse every %d days\n", terms_cadence,
           terms_reply_hours, terms_pulse_days);
  else
    printf("terms: cadence 7 days (70%% of pairs) or 14, reply window %d h, pulse every %d days\n",
           terms_reply_hours, terms_pulse_days);
  if (terms_warnings_off) {
    printf("warnings turned off:");
    for (int c = 0; c < TRUST_W_COUNT; c++)
      if (terms_warnings_off & (1u << c)) printf(" %s", trust_warn_name((trust_warn_code)c));
    printf("\n");
  }
  long nhealthy = npairs - nfailing, total = 0, by[TRUST_W_COUNT] = {0}, reb[TRUST_W_COUNT] = {0};
  double relmonths = (double)nhealthy * (double)end / (30.44 * DAY);
  for (long i = 0; i < npairs; i++)
    if (pat[i] == PAT_HEALTHY)
      for (int c = 0; c < TRUST_W_COUNT; c++) by[c] += tl[i].opened[c], total += tl[i].opened[c], reb[c] += tl[i].reopened[c];
  printf("\nhealthy pairs: %ld, %.0f relationship-months\n", nhealthy, relmonths);
  printf("false alarms per 100 relationship-months: %.2f (%ld warnings)\n",
         relmonths > 0 ? 100.0 * (double)total / relmonths : 0.0, total);
  for (int c = 0; c < TRUST_W_COUNT; c++)
    if (by[c])
      printf("  %-20s %6.2f  (%ld, %ld reopened within 30 days)\n", trust_warn_name((trust_warn_code)c),
             100.0 * (double)by[c] / relmonths, by[c], reb[c]);

  long bad_healthy = 0;
  for (long i = 0; i < npairs; i++)
    if (pat[i] == PAT_HEALTHY) bad_healthy += tl[i].bad_events;
  printf("evidence below 0.5 on healthy pairs: %.1f events per 100 relationship-months (what a\n"
         "  rule warning at the first piece of failing evidence would raise)\n",
         relmonths > 0 ? 100.0 * (double)bad_healthy / relmonths : 0.0);
  printf("\nfailing pairs, warned at or after onset, lead in days:\n");
  printf("  %-14s %6s %7s %8s %7s %6s %6s  %s\n", "pattern", "pairs", "warned", "median", "p90",
         "1st ev", "2nd ev", "first warning (count)");
  double *leads = calloc((size_t)npairs + 1, sizeof *leads), *all = calloc((size_t)npairs + 1, sizeof *all);
  double *bad = calloc((size_t)npairs + 1, sizeof *bad), *bad_all = calloc((size_t)npairs + 1, sizeof *bad_all);
  double *bad2 = calloc((size_t)npairs + 1, sizeof *bad2), *bad2_all = calloc((size_t)npairs + 1, sizeof *bad2_all);
  size_t nall = 0, warned_all = 0, failing_all = 0, nbad_all = 0, nbad2_all = 0;
  for (int q = 1; q < NPAT; q++) {
    size_t n = 0, warned = 0, nbad = 0, nbad2 = 0;
    long firsts[TRUST_W_COUNT] = {0};
    for (long i = 0; i < npairs; i++) {
      if (pat[i] != q) continue;
      n++;
      if (tl[i].first_bad >= 0) {
        bad[nbad++] = (double)(tl[i].first_bad - onset[i]) / DAY;
        bad_all[nbad_all++] = bad[nbad - 1];
      }
      if (tl[i].second_bad >= 0) {
        bad2[nbad2++] = (double)(tl[i].second_bad - onset[i]) / DAY;
        bad2_all[nbad2_all++] = bad2[nbad2 - 1];
      }
      if (tl[i].first < 0) continue;
      warned++;
      leads[warned - 1] = (double)(tl[i].first - onset[i]) / DAY;
      all[nall++] = leads[warned - 1];
      firsts[tl[i].first_code]++;
    }
    if (!n) continue;
    failing_all += n;
    warned_all += warned;
    double med = quantile(leads, warned, 0.5), p90 = quantile(leads, warned, 0.9);
    printf("  %-14s %6zu %6.1f%% %8.1f %7.1f %6.1f %6.1f  ", pattern_names[q], n,
           100.0 * (double)warned / (double)n, med, p90, quantile(bad, nbad, 0.5),
           quantile(bad2, nbad2, 0.5));
    for (int c = 0; c < TRUST_W_COUNT; c++)
      if (firsts[c]) printf("%s %ld  ", trust_warn_name((trust_warn_code)c), firsts[c]);
    printf("\n");
  }
  if (failing_all)
    printf("  %-14s %6zu %6.1f%% %8.1f %7.1f %6.1f %6.1f\n", "all", failing_all,
           100.0 * (double)warned_all / (double)failing_all, quantile(all, nall, 0.5),
           quantile(all, nall, 0.9), quantile(bad_all, nbad_all, 0.5),
           quantile(bad2_all, nbad2_all, 0.5));
  size_t by14 = 0, warned14 = 0;
  for (size_t i = 0; i < nbad2_all; i++) by14 += bad2_all[i] <= 14;
  for (size_t i = 0; i < nall; i++) warned14 += all[i] <= 14;
  if (failing_all)
    printf("  within 14 days of onset: %.1f%% of failing pairs warned; %.1f%% had a second piece\n"
           "  of failing evidence (no rule that needs a pattern can warn the others by then)\n",
           100.0 * (double)warned14 / (double)failing_all, 100.0 * (double)by14 / (double)failing_all);

  for (int after = 30; after <= 60; after += 30) {
    double wins[NPAT] = {0}, cmps[NPAT] = {0};
    for (long f = 0; f < npairs; f++) {
      if (pat[f] == PAT_HEALTHY) continue;
      int d = (int)(onset[f] / DAY) + after;
      if (d >= ndays) continue;
      float xf = daily[(size_t)f * (size_t)ndays + (size_t)d];
      for (long h = 0; h < npairs; h++) {
        if (pat[h] != PAT_HEALTHY) continue;
        float xh = daily[(size_t)h * (size_t)ndays + (size_t)d];
        double win = xh > xf ? 1 : xh == xf ? 0.5 : 0;
        wins[0] += win, cmps[0]++;
        wins[pat[f]] += win, cmps[pat[f]]++;
      }
    }
    printf("%sAUC of the trust index %d days after onset: %.3f (", after == 30 ? "\n" : "", after,
           cmps[0] ? wins[0] / cmps[0] : NAN);
    for (int q = 1; q < NPAT; q++)
      if (cmps[q]) printf("%s%s %.2f", q > 1 ? ", " : "", pattern_names[q], wins[q] / cmps[q]);
    printf(")\n");
  }
  printf("\nsimulated in %.1f s\n", secs);
  free(leads);
  free(all);
  free(bad);
  free(bad_all);
  free(bad2);
  free(bad2_all);
  free(daily);
  free(pat);
  free(onset);
  free(tl);
  return 0;
}
