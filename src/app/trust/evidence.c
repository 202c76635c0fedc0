/* evidence.c: events into trust evidence (TRUST-MODEL.md 3), the stored
 * sums kept with it, the request_unanswered job and the full recompute.
 *
 * Design note. app_event() calls app_evidence_for_event for every event it
 * records, in the action's transaction. The evidence is derived from the
 * event's kind and its subject row as stored after the action (the
 * check-in with its outcome class, the commitment as closed, ...), with
 * the pure tables of trust/trust_values.h, about the party the model names:
 *
 *   checkin_outcome          REL; a meeting held on time about both parties,
 *                            any other outcome about the one who caused it
 *                            (caused_by), a mutual cancellation none. The
 *                            class was fixed when the outcome was recorded,
 *                            with tau from the cadence then in force
 *                            (app_rel_terms; domain/checkin.h).
 *   commitment_outcome,      REL of the owner: kept, kept late (lateness over
 *   commitment_broken        due - created, with the original creation time
 *                            and the due time in force), broken (also the
 *                            job's automatic break), dropped none.
 *   commitment_renegotiated  REL 0.75 and INT 1 (w 0.5) of the owner.
 *   request_replied          REL of the responder, q = latency / R with the
 *                            reply window R in force.
 *   request_unanswered       REL 0 (w 2) of the responder: the job below
 *                            records it once a request has had no reply for
 *                            3R, dated created + 3R. A reply that comes after
 *                            that moment gives no further evidence. A reply
 *                            entered afterwards but dated before it (history
 *                            entered late) shows the mark was premature: the
 *                            no-reply items are deleted, the relationship's
 *                            sums are rebuilt from its evidence, and the
 *                            reply is scored as usual.
 *   feedback_given/_asked    EMP of the giver (asking counts for the guide).
 *   goal_review              COM of the guide, v from the review's T score.
 *   pulse_answered           each answered item, about the ratee, visible to
 *                            them from the pulse's reveal.
 *   incident_acknowledged,   INT of the party concerned (an incident report
 *   repair_acknowledged,     alone is an allegation and gives none).
 *   repair_amends_agreed
 *
 * Every item is dated at the event's `at` and carries the event id and a
 * reason code. app_evidence_add stores the items and adds them to the
 * relationship's decayed sums in O(1) per item (no history is re-read).
 */
#include "app/trust/evidence.h"
#include "app/trust/state.h"
#include "app/trust/util.h"
#include "domain/agreement.h"
#include "domain/incident.h"
#include "domain/pulse.h"
#include "store/incidents.h"
#include "store/pulses.h"
#include "trust/trust_values.h"

#include <string.h>

/* A request with no reply for this many reply windows is unanswered. */
#define UNANSWERED_WINDOWS 3
/* Requests the job reads per query. */
#define UNANSWERED_BATCH 200

/* ---- storing items and keeping the sums ---- */

/* Writes the rows of st named in the mask `rows`. */
static rp_rc save_rows(app_ctx *c, int64_t rel_id, trust_state *st, uint32_t rows, rp_err *e) {
  rp_rc rc = RP_OK;
  for (int p = 0; p < TRUST_NPARTY && !rc; p++)
    for (int k = 0; k < TRUST_NCOMP && !rc; k++)
      for (int kind = 0; kind < 3 && !rc; kind++)
        if (rows & app_trust_row_bit(p, k, kind))
          rc = store_trust_sums_put(c->st, rel_id, p, k, kind, app_trust_sums_row(st, p, k, kind),
                                    e);
  return rc;
}

rp_rc app_evidence_add(app_ctx *c, int64_t rel_id, const trust_item *items, size_t n,
                       rp_time visible_at, rp_err *e) {
  if (n == 0) return RP_OK;
  trust_settings cfg = app_trust_settings();
  trust_state st;
  bool found;
  uint32_t rows = 0;
  rp_rc rc = store_trust_sums_load(c->st, rel_id, &st, &found, e);
  for (size_t i = 0; i < n && !rc; i++) {
    if (!trust_item_valid(&items[i]))
      return rp_fail(e, RP_ERR_INTERNAL, "internal", "An evidence item is out of range.");
    rc = store_evidence_insert(c->st, rel_id, &items[i], visible_at ? visible_at : items[i].t, e);
    trust_state_add(&st, &cfg, &items[i]);
    rows |= app_trust_item_rows(&items[i]);
  }
  if (!rc) rc = save_rows(c, rel_id, &st, rows, e);
  return rc;
}

/* Stamps vals[0..n) about `about` with the event's time and id and adds
 * them. */
static rp_rc add_values(app_ctx *c, const rel_event *ev, trust_party about, const trust_ev *vals,
                        size_t n, rp_err *e) {
  trust_item items[TRUST_EV_MAX];
  for (size_t i = 0; i < n; i++) items[i] = trust_ev_item(&vals[i], about, ev->at, ev->id);
  return app_evidence_add(c, ev->relationship_id, items, n, 0, e);
}

/* Adds vals about person_id when they are a party of r (else nothing). */
static rp_rc add_about_person(app_ctx *c, const rel_event *ev, const relationship *r,
                              int64_t person_id, const trust_ev *vals, size_t n, rp_err *e) {
  trust_party about;
  if (!n || !app_trust_party_of(r, person_id, &about)) return RP_OK;
  return add_values(c, ev, about, vals, n, e);
}

/* ---- check-ins ---- */

static rp_rc from_checkin(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  checkin ck;
  trust_checkin_class cls;
  trust_party causer;
  trust_item items[2 * TRUST_EV_MAX];
  rp_rc rc = store_checkin_get(c->st, ev->subject_id, &ck, e);
  if (rc || !ck.has_outcome) return rc;
  if (!trust_checkin_class_parse(checkin_class_name(ck.cls), &cls)) return RP_OK;
  int by = app_trust_party_of(r, ck.caused_by, &causer) ? (int)causer : -1;
  size_t n = trust_checkin_items(cls, by, ev->at, ev->id, items);
  return app_evidence_add(c, r->id, items, n, 0, e);
}

/* ---- commitments ---- */

static bool commit_class_of(commitment_state s, trust_commit_class *out) {
  switch (s) {
  case COMMITMENT_KEPT: *out = TRUST_COMMIT_KEPT; return true;
  case COMMITMENT_KEPT_LATE: *out = TRUST_COMMIT_KEPT_LATE; return true;
  case COMMITMENT_BROKEN: *out = TRUST_COMMIT_BROKEN; return true;
  case COMMITMENT_DROPPED: *out = TRUST_COMMIT_DROPPED; return true;
  case COMMITMENT_OPEN:
  default: return false;
  }
}

/* commitment_outcome and commitment_broken: the commitment as closed. */
static rp_rc from_commitment(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  store_commitment sc;
  trust_commit_class cls;
  trust_ev vals[TRUST_EV_MAX];
  rp_rc rc = store_commitment_get(c->st, ev->subject_id, c->a, &sc, e);
  if (rc || !commit_class_of(sc.cm.state, &cls)) return rc;
  size_t n = trust_commitment_evidence(cls, sc.cm.created_at, sc.cm.due_at, sc.cm.closed_at, vals);
  return add_about_person(c, ev, r, sc.cm.owner_id, vals, n, e);
}

static rp_rc from_renegotiation(app_ctx *c, const rel_event *ev, const relationship *r,
                                rp_err *e) {
  store_commitment sc;
  trust_ev vals[TRUST_EV_MAX];
  rp_rc rc = store_commitment_get(c->st, ev->subject_id, c->a, &sc, e);
  if (rc) return rc;
  size_t n = trust_commitment_evidence(TRUST_COMMIT_RENEGOTIATED, sc.cm.created_at, sc.cm.due_at,
                                       ev->at, vals);
  return add_about_person(c, ev, r, sc.cm.owner_id, vals, n, e);
}

/* ---- requests ---- */

/* Takes back the no-reply evidence of request_id (a reply dated before the
 * mark was entered after it): deletes the items and rebuilds the sums. */
static rp_rc retract_unanswered(app_ctx *c, const relationship *r, int64_t request_id,
                                rp_err *e) {
  int64_t event_id = 0, deleted = 0;
  rp_rc rc = store_event_of_subject(c->st, r->id, "request_unanswered", request_id, &event_id, e);
  if (!rc && event_id) rc = store_evidence_delete_event(c->st, r->id, event_id, &deleted, e);
  if (!rc && deleted) rc = app_trust_rebuild(c, r->id, NULL, e);
  return rc;
}

static rp_rc from_reply(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  store_request sq;
  rp_time marked = 0;
  int cadence = 0, window = 0;
  trust_ev vals[TRUST_EV_MAX];
  rp_rc rc = store_request_get(c->st, ev->subject_id, c->a, &sq, e);
  if (!rc) rc = store_request_unanswered_at(c->st, ev->subject_id, &marked, e);
  if (rc || !sq.q.replied_at) return rc;
  if (marked && sq.q.replied_at >= marked) return RP_OK; /* counted once, as no reply */
  if (marked) rc = retract_unanswered(c, r, sq.q.id, e);
  if (!rc) rc = app_rel_terms(c, r, &cadence, &window, e);
  if (rc) return rc;
  trust_reply_class cls =
      trust_reply_classify(sq.q.created_at, true, sq.q.replied_at, c->now, (double)window);
  size_t n = trust_reply_evidence(cls, vals);
  return add_about_person(c, ev, r, sq.q.responder_id, vals, n, e);
}

static rp_rc from_unanswered(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  store_request sq;
  trust_ev vals[TRUST_EV_MAX];
  rp_rc rc = store_request_get(c->st, ev->subject_id, c->a, &sq, e);
  if (rc) return rc;
  size_t n = trust_reply_evidence(TRUST_REPLY_NONE, vals);
  return add_about_person(c, ev, r, sq.q.responder_id, vals, n, e);
}

/* ---- feedback and goal reviews ---- */

static rp_rc from_feedback(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  feedback_item f;
  trust_party giver;
  trust_ev vals[TRUST_EV_MAX];
  rp_rc rc = store_feedback_get_meta(c->st, ev->subject_id, &f, e);
  if (rc || !app_trust_party_of(r, f.giver_id, &giver)) return rc;
  trust_feedback_kind k = f.kind == FEEDBACK_RECOGNITION    ? TRUST_FEEDBACK_RECOGNITION
                          : f.kind == FEEDBACK_CONSTRUCTIVE ? TRUST_FEEDBACK_CONSTRUCTIVE
                                                            : TRUST_FEEDBACK_ASK;
  trust_feedback_focus focus = f.focus == FOCUS_PERSON ? TRUST_FOCUS_PERSON : TRUST_FOCUS_TASK;
  size_t n = trust_feedback_evidence(k, focus, giver, vals);
  return n ? add_values(c, ev, giver, vals, n, e) : RP_OK;
}

static rp_rc from_goal_review(app_ctx *c, const rel_event *ev, const relationship *r,
                              rp_err *e) {
  double t_score = 0;
  size_t ngoals = 0;
  trust_ev vals[TRUST_EV_MAX];
  rp_rc rc = store_goal_review_brief(c->st, ev->subject_id, &t_score, NULL, 0, &ngoals, e);
  if (rc) return rc;
  size_t n = trust_goal_review_evidence(t_score, vals);
  return add_about_person(c, ev, r, r->guide_id, vals, n, e);
}

/* ---- pulses and incidents ---- */

void app_pulse_levels_init(app_pulse_levels *lv, const relationship *r,
                           const store_pulse_mean *rows, size_t n) {
  memset(lv, 0, sizeof *lv);
  lv->rows = rows;
  lv->n = n;
  lv->rel_id = r->id;
  lv->rater_id[0] = r->guide_id;
  lv->rater_id[1] = r->learner_id;
}

/* Adds the rows before pulse p to the raters' sums, and to the
 * program's when the rows are the program's. */
static void levels_walk(app_pulse_levels *lv, const pulse *p, bool of_program) {
  for (; lv->next < lv->n && lv->rows[lv->next].id < p->id; lv->next++) {
    const store_pulse_mean *m = &lv->rows[lv->next];
    if (of_program) {
      lv->program_sum += m->mean;
      lv->program_n++;
    }
    for (int k = 0; k < 2; k++) {
      if (m->relationship_id != lv->rel_id || m->rater_id != lv->rater_id[k]) continue;
      lv->rater_sum[k] += m->mean;
      lv->rater_n[k]++;
    }
  }
}

static double levels_shift(const app_pulse_levels *lv, const pulse *p) {
  int k = p->rater_id == lv->rater_id[0] ? 0 : 1;
  double rater_mean = lv->rater_n[k] ? lv->rater_sum[k] / (double)lv->rater_n[k] : 0;
  double program_mean = lv->program_n ? lv->program_sum / (double)lv->program_n : 0;
  return trust_pulse_rater_shift(rater_mean, lv->rater_n[k], program_mean, lv->program_n);
}

double app_pulse_levels_shift(app_pulse_levels *lv, const pulse *p) {
  levels_walk(lv, p, true);
  return levels_shift(lv, p);
}

double app_pulse_levels_shift_given(app_pulse_levels *lv, const pulse *p, size_t program_n,
                                    double program_sum) {
  levels_walk(lv, p, false);
  lv->program_n = program_n;
  lv->program_sum = program_sum;
  return levels_shift(lv, p);
}

/* Each answered item of the pulse gives v = (x + shift - 1) / 4 (clamped
 * to 0..1; shift: app_pulse_levels_shift), w = 2, source pulse, about the ratee,
 * dated at the pulse's answered_at, visible to the ratee from its
 * revealed_at. */
static rp_rc from_pulse(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  pulse p;
  trust_party about;
  double shift = 0;
  rp_rc rc = store_pulse_get(c->st, ev->subject_id, &p, e);
  if (rc || !app_trust_party_of(r, p.ratee_id, &about)) return rc;
  store_pulse_mean *rows;
  size_t nrows;
  rc = store_program_pulse_means(c->st, r->program_id, p.id, c->a, &rows, &nrows, e);
  if (rc) return rc;
  app_pulse_levels lv;
  app_pulse_levels_init(&lv, r, rows, nrows);
  shift = app_pulse_levels_shift(&lv, &p);
  trust_item items[PULSE_NITEM];
  size_t n = 0;
  for (int i = 0; i < PULSE_NITEM; i++) {
    trust_ev vals[TRUST_EV_MAX];
    size_t k = trust_pulse_evidence_shifted((trust_pulse_item)i, p.answers[i], shift, vals);
    for (size_t j = 0; j < k && n < PULSE_NITEM; j++)
      items[n++] = trust_ev_item(&vals[j], about, p.answered_at, ev->id);
  }
  return app_evidence_add(c, r->id, items, n, p.revealed_at, e);
}

/* The party an incident event's evidence is about, and its step; false
 * when the event carries none. */
static rp_rc incident_step(app_ctx *c, const rel_event *ev, bool *has, int64_t *party,
                           trust_incident_step *step, rp_err *e) {
  *has = false;
  if (strcmp(ev->kind, "incident_acknowledged") == 0) {
    store_incident si;
    rp_rc rc = store_incident_get(c->st, ev->subject_id, c->a, &si, e);
    if (rc) return rc;
    *party = si.in.concerning_id;
    *step = TRUST_INCIDENT_CONFIRMED;
  } else if (strcmp(ev->kind, "repair_acknowledged") == 0 ||
             strcmp(ev->kind, "repair_amends_agreed") == 0) {
    store_repair_plan sp;
    rp_rc rc = store_repair_plan_get(c->st, ev->subject_id, c->a, &sp, e);
    if (rc) return rc;
    *party = sp.plan.party_id;
    *step = strcmp(ev->kind, "repair_acknowledged") == 0 ? TRUST_INCIDENT_REPAIR_ACKNOWLEDGED
                                                         : TRUST_INCIDENT_REPAIR_AMENDS_AGREED;
  } else {
    return RP_OK;
  }
  *has = true;
  return RP_OK;
}

/* "incident_acknowledged" gives INT v 0, w 5 about the party concerned;
 * "repair_acknowledged" and "repair_amends_agreed" INT v 1, w 0.5 each
 * about the plan's party; dated at the event. */
static rp_rc from_incident(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e) {
  bool has = false;
  int64_t party = 0;
  trust_incident_step step = TRUST_INCIDENT_REPORTED;
  trust_party about;
  rp_rc rc = incident_step(c, ev, &has, &party, &step, e);
  if (rc || !has || !app_trust_party_of(r, party, &about)) return rc;
  trust_ev vals[TRUST_EV_MAX];
  trust_item items[TRUST_EV_MAX];
  size_t n = trust_incident_evidence(step, vals);
  for (size_t i = 0; i < n; i++)
    items[i] = trust_ev_item(&vals[i], about, ev->at, ev->id);
  return app_evidence_add(c, r->id, items, n, 0, e);
}

/* ---- dispatch ---- */

typedef rp_rc (*evidence_fn)(app_ctx *c, const rel_event *ev, const relationship *r, rp_err *e);

static const struct {
  const char *kind;
  evidence_fn fn;
} derivations[] = {
    {"checkin_outcome", from_checkin},
    {"commitment_outcome", from_commitment},
    {"commitment_broken", from_commitment},
    {"commitment_renegotiated", from_renegotiation},
    {"request_replied", from_reply},
    {"request_unanswered", from_unanswered},
    {"feedback_given", from_feedback},
    {"feedback_asked", from_feedback},
    {"goal_review", from_goal_review},
    {"pulse_answered", from_pulse},
    {"incident_acknowledged", from_incident},
    {"repair_acknowledged", from_incident},
    {"repair_amends_agreed", from_incident},
};

rp_rc app_evidence_for_event(app_ctx *c, const rel_event *ev, rp_err *e) {
  if (!ev->kind || !ev->subject_id) return RP_OK;
  for (size_t i = 0; i < sizeof derivations / sizeof derivations[0]; i++) {
    if (strcmp(ev->kind, derivations[i].kind) != 0) continue;
    relationship r;
    rp_rc rc = store_relationship_get(c->st, ev->relationship_id, &r, e);
    return rc ? rc : derivations[i].fn(c, ev, &r, e);
  }
  return RP_OK;
}

/* ---- the request_unanswered job ---- */

/* Records request q as unanswered when its 3R have passed; *done tells
 * whether it did. */
static rp_rc unanswered_one(app_ctx *sys, const request *q, bool *done, rp_err *e) {
  relationship r;
  int cadence = 0, window = 0;
  *done = false;
  rp_rc rc = store_relationship_get(sys->st, q->relationship_id, &r, e);
  if (!rc) rc = app_rel_terms(sys, &r, &cadence, &window, e);
  if (rc) return rc;
  rp_time due = q->created_at + UNANSWERED_WINDOWS * (rp_time)window * RP_HOUR;
  if (due > sys->now) return RP_OK;
  rc = store_request_mark_unanswered(sys->st, q->id, due, e);
  if (rc == RP_ERR_NOT_FOUND) { /* replied or recorded since it was read */
    rp_err_reset(e);
    return RP_OK;
  }
  if (!rc) rc = app_event(sys, r.id, "request_unanswered", q->id, due, NULL, NULL, NULL, e);
  *done = rc == RP_OK;
  return rc;
}

rp_rc app_evidence_unanswered_job(app_ctx *sys, int *changed, rp_err *e) {
  rp_time made_before = sys->now - UNANSWERED_WINDOWS * AGREEMENT_REPLY_MIN * RP_HOUR;
  int64_t after = 0, next = 0;
  do {
    request *items;
    size_t n;
    rp_rc rc = store_requests_awaiting(sys->st, made_before, after, UNANSWERED_BATCH, sys->a,
                                       &items, &n, &next, e);
    for (size_t i = 0; i < n && !rc; i++) {
      bool done = false;
      rc = unanswered_one(sys, &items[i], &done, e);
      if (done) (*changed)++;
    }
    if (rc) return rc;
    after = next;
  } while (next);
  return RP_OK;
}
