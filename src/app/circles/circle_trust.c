/* circle_trust.c: pulses about a circle, the two directions of trust of
 * each member and the circle's warnings (app/circles/circles.h), computed
 * from the circle's rows at the time asked, on the trust engine's
 * arithmetic (trust/trust_circle.h): nothing here weighs evidence itself.
 */
#include "app/circles/internal.h"
#include "app/circles/practice.h"
#include "app/privacy/privacy.h"
#include "domain/commitment.h"
#include "trust/trust_circle.h"
#include "trust/trust_explain.h"

#include <math.h>
#include <string.h>

#define ONE_WAY_WINDOW_S (90 * 86400)

/* Everything the rules read of one circle. */
typedef struct facts {
  app_circle ci;
  program prog;
  store_circle_checkin *cks;
  size_t nck;
  store_circle_attendance *att;
  size_t natt;
  store_circle_item *items;
  size_t nitems;
  store_circle_pulse *pulses;
  size_t npulses;
  store_circle_repair *repairs;
  size_t nrepairs;
  store_circle_goal_review *reviews;
  size_t nreviews;
  int cadence_days;
} facts;

static rp_rc facts_load(app_ctx *c, int64_t id, facts *f, rp_err *e) {
  memset(f, 0, sizeof *f);
  rp_rc rc = app_circle_load(c, id, true, &f->ci, e);
  if (!rc && !circle_is_current(&f->ci.viewer))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such circle.");
  if (!rc) rc = store_program_get(c->st, f->ci.c.program_id, c->a, &f->prog, e);
  if (!rc) rc = store_circle_checkins(c->st, id, c->a, &f->cks, &f->nck, e);
  if (!rc) rc = store_circle_attendances(c->st, id, c->a, &f->att, &f->natt, e);
  if (!rc) rc = store_circle_items(c->st, id, -1, c->a, &f->items, &f->nitems, e);
  if (!rc) rc = store_circle_pulses(c->st, id, c->a, &f->pulses, &f->npulses, e);
  if (!rc) rc = store_circle_repairs(c->st, id, c->a, &f->repairs, &f->nrepairs, e);
  if (!rc) rc = store_circle_goal_reviews(c->st, id, c->a, &f->reviews, &f->nreviews, e);
  f->cadence_days = f->ci.c.cadence_days;
  if (!rc && f->ci.agreement_in_force) {
    store_circle_agreement ag;
    rc = store_circle_agreement_latest(c->st, id, c->a, &ag, e);
    if (!rc) f->cadence_days = ag.cadence_days;
  }
  return rc;
}

/* ---- pulses ---- */

static const store_circle_pulse *latest_pulse(const facts *f, int64_t rater) {
  const store_circle_pulse *p = NULL;
  for (size_t i = 0; i < f->npulses; i++)
    if (f->pulses[i].rater_id == rater) p = &f->pulses[i];
  return p;
}

static void pulse_view(app_ctx *c, const facts *f, app_circle_pulse_view *out) {
  memset(out, 0, sizeof *out);
  const store_circle_pulse *mine = latest_pulse(f, c->actor);
  if (mine) out->mine = *mine;
  int(*answers)[TRUST_PULSE_NITEM] = arena_zalloc(c->a, sizeof *answers * (f->ci.nmembers + 1));
  for (size_t i = 0; i < f->ci.nmembers; i++) {
    const store_circle_member *m = &f->ci.members[i];
    const store_circle_pulse *p = m->left_at || m->role != CIRCLE_MEMBER ? NULL : latest_pulse(f, m->person_id);
    if (p) memcpy(answers[out->raters++], p->answers, sizeof p->answers);
  }
  out->shown = trust_circle_pulse_aggregate((const int(*)[TRUST_PULSE_NITEM])answers, out->raters,
                                            TRUST_CIRCLE_MIN_RATERS, out->means, out->counts);
}

rp_rc app_circle_pulse_add(app_ctx *c, int64_t id, const int answers[7], app_circle_pulse_view *out,
                           rp_err *e) {
  size_t answered = 0;
  for (int i = 0; i < TRUST_PULSE_NITEM; i++) answered += answers[i] != TRUST_PULSE_SKIPPED;
  if (!answered) rp_field(e, "/answers", "Answer at least one item.");
  if (e->rc) return e->rc;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  facts f;
  rc = facts_load(c, id, &f, e);
  if (!rc && f.ci.viewer.role != CIRCLE_MEMBER)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Members rate the circle.");
  if (!rc && !circle_allows_writing(f.ci.c.state))
    rc = rp_fail(e, RP_ERR_CONFLICT, "circle_state", "The circle is %s.", rel_state_name(f.ci.c.state));
  store_circle_pulse p = {0, id, c->actor, c->now, {0}};
  memcpy(p.answers, answers, sizeof p.answers);
  if (!rc) rc = store_circle_pulse_insert(c->st, &p, e);
  if (!rc) rc = store_circle_pulses(c->st, id, c->a, &f.pulses, &f.npulses, e);
  if (!rc) pulse_view(c, &f, out);
  return app_finish(c, rc, e);
}

rp_rc app_circle_pulse_get(app_ctx *c, int64_t id, app_circle_pulse_view *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  facts f;
  rc = facts_load(c, id, &f, e);
  if (!rc) pulse_view(c, &f, out);
  store_rollback(c->st);
  return rc;
}

/* ---- evidence ---- */

static trust_attendance attendance_of(circle_attendance a) { return (trust_attendance)a; }

/* Appends the items of what member m did (about the member) and of their
 * pulses (about the circle). */
static size_t member_items(const facts *f, int64_t m, rp_time now, trust_item *out) {
  size_t n = 0;
  trust_ev ev[TRUST_EV_MAX];
  for (size_t i = 0; i < f->natt; i++)
    if (f->att[i].person_id == m)
      n += trust_attendance_items(attendance_of(f->att[i].status), f->att[i].held_at,
                                  f->att[i].checkin_id, out + n);
  for (size_t i = 0; i < f->nitems; i++) {
    const store_circle_item *it = &f->items[i];
    size_t k = 0;
    rp_time t = it->created_at;
    if (it->kind == CIRCLE_COMMITMENT && it->author_id == m && it->closed_at) {
      trust_commit_class cls;
      if (trust_commit_class_parse(it->label, &cls))
        k = trust_commitment_evidence(cls, it->created_at, it->due_at, it->closed_at, ev);
      t = it->closed_at;
    } else if (it->kind == CIRCLE_COMMITMENT && it->author_id == m && it->due_at &&
               now >= it->due_at + COMMITMENT_BREAK_AFTER_S) {
      /* left open past its due time: broken, as a pair's would be (domain/commitment.h) */
      t = it->due_at + COMMITMENT_BREAK_AFTER_S;
      k = trust_commitment_evidence(TRUST_COMMIT_BROKEN, it->created_at, it->due_at, t, ev);
    } else if (it->kind == CIRCLE_REPLY && it->author_id == m) {
      for (size_t q = 0; q < f->nitems; q++)
        if (f->items[q].id == it->parent_id) {
          trust_reply_class cls = trust_reply_classify(f->items[q].created_at, true, it->created_at,
                                                       now, f->prog.settings.reply_window_hours);
          k = trust_reply_evidence(cls, ev);
        }
    } else if (it->kind == CIRCLE_FEEDBACK && it->author_id == m) {
      trust_feedback_kind kind = it->label && strcmp(it->label, "recognition") == 0
                                     ? TRUST_FEEDBACK_RECOGNITION : TRUST_FEEDBACK_CONSTRUCTIVE;
      trust_feedback_focus focus = it->focus && strcmp(it->focus, "person") == 0
                                       ? TRUST_FOCUS_PERSON : TRUST_FOCUS_TASK;
      k = trust_feedback_evidence(kind, focus, TRUST_CIRCLE_IN_MEMBER, ev);
    }
    for (size_t j = 0; j < k; j++) out[n++] = trust_ev_item(&ev[j], TRUST_CIRCLE_IN_MEMBER, t, it->id);
  }
  /* incidents and repair (3.6): the acknowledged incident, then each
   * repair step, about the member concerned */
  for (size_t i = 0; i < f->nrepairs; i++) {
    const repair_plan *p = &f->repairs[i].plan;
    if (p->party_id != m) continue;
    const struct {
      trust_incident_step step;
      rp_time t;
    } steps[] = {{TRUST_INCIDENT_CONFIRMED, p->opened_at},
                 {TRUST_INCIDENT_REPAIR_ACKNOWLEDGED, f->repairs[i].acknowledged_at},
                 {TRUST_INCIDENT_REPAIR_AMENDS_AGREED, p->amends_agreed_at}};
    for (size_t q = 0; q < sizeof steps / sizeof steps[0]; q++) {
      if (!steps[q].t || steps[q].t > now) continue;
      size_t k = trust_incident_evidence(steps[q].step, ev);
      for (size_t j = 0; j < k; j++)
        out[n++] = trust_ev_item(&ev[j], TRUST_CIRCLE_IN_MEMBER, steps[q].t, p->id);
    }
  }
  /* goal reviews (3.5): COM of the member whose goals were reviewed */
  for (size_t i = 0; i < f->nreviews; i++) {
    if (f->reviews[i].member_id != m || f->reviews[i].at > now) continue;
    size_t k = trust_goal_review_evidence(f->reviews[i].t_score, ev);
    for (size_t j = 0; j < k; j++)
      out[n++] = trust_ev_item(&ev[j], TRUST_CIRCLE_IN_MEMBER, f->reviews[i].at, f->reviews[i].id);
  }
  for (size_t i = 0; i < f->npulses; i++) {
    if (f->pulses[i].rater_id != m) continue;
    for (int q = 0; q < TRUST_PULSE_NITEM; q++) {
      size_t k = trust_pulse_evidence((trust_pulse_item)q, f->pulses[i].answers[q], ev);
      for (size_t j = 0; j < k; j++)
        out[n++] = trust_ev_item(&ev[j], TRUST_MEMBER_IN_CIRCLE, f->pulses[i].at, f->pulses[i].id);
    }
  }
  return n;
}

static size_t items_cap(const facts *f) {
  return TRUST_EV_MAX * (f->natt + f->nitems + 3 * f->nrepairs + f->nreviews) +
         TRUST_PULSE_NITEM * TRUST_EV_MAX * f->npulses + 1;
}

static void direction(const trust_item *items, size_t n, const trust_state *st,
                      const trust_settings *cfg, trust_party about, rp_time now,
                      app_circle_direction *out) {
  memset(out, 0, sizeof *out);
  trust_score(st, cfg, about, now, true, &out->score);
  for (int comp = 0; comp < TRUST_NCOMP; comp++) {
    trust_contrib top[APP_CIRCLE_EXPLAIN_MAX];
    size_t k = trust_explain_top(items, n, cfg, about, (trust_comp)comp, now, TRUST_RANK_IMPACT,
                                 APP_CIRCLE_EXPLAIN_MAX, top);
    for (size_t i = 0; i < k; i++) {
      /* keep the APP_CIRCLE_EXPLAIN_MAX largest |delta| over the components */
      size_t slot = out->ntop < APP_CIRCLE_EXPLAIN_MAX ? out->ntop++ : APP_CIRCLE_EXPLAIN_MAX;
      if (slot == APP_CIRCLE_EXPLAIN_MAX) {
        size_t min = 0;
        for (size_t j = 1; j < APP_CIRCLE_EXPLAIN_MAX; j++)
          if (fabs(out->top[j].delta) < fabs(out->top[min].delta)) min = j;
        if (fabs(out->top[min].delta) >= fabs(top[i].delta)) continue;
        slot = min;
      }
      const trust_item *it = &items[top[i].index];
      out->top[slot].comp = (trust_comp)comp;
      out->top[slot].reason = trust_reason_name((trust_reason)it->reason);
      out->top[slot].sentence = trust_reason_sentence((trust_reason)it->reason);
      out->top[slot].delta = top[i].delta;
      out->top[slot].t = it->t;
    }
  }
}

/* A confidentiality incident the member acknowledged caps their P_INT
 * (trust_state_breach: the latest counts), as a pair's breach does. */
static void member_breaches(const facts *f, int64_t m, rp_time now, trust_state *st) {
  for (size_t i = 0; i < f->nrepairs; i++) {
    const repair_plan *p = &f->repairs[i].plan;
    if (p->party_id != m || p->opened_at > now) continue;
    for (size_t q = 0; q < f->nitems; q++)
      if (f->items[q].id == p->incident_id && f->items[q].label &&
          strcmp(f->items[q].label, "confidentiality") == 0 &&
          trust_incident_caps_int(TRUST_INCIDENT_CONFIDENTIALITY))
        trust_state_breach(st, TRUST_CIRCLE_IN_MEMBER, p->opened_at);
  }
}

rp_rc app_circle_trust_get(app_ctx *c, int64_t id, app_circle_trust *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  facts f;
  memset(out, 0, sizeof *out);
  rc = facts_load(c, id, &f, e);
  trust_settings cfg = trust_settings_default();
  trust_item *items = rc ? NULL : arena_zalloc(c->a, sizeof *items * items_cap(&f));
  double sum = 0;
  for (size_t i = 0; !rc && i < f.ci.nmembers; i++) {
    const store_circle_member *m = &f.ci.members[i];
    if (m->role != CIRCLE_MEMBER || m->left_at) continue;
    size_t n = member_items(&f, m->person_id, c->now, items);
    trust_state st;
    memset(&st, 0, sizeof st);
    trust_state_rebuild(&st, &cfg, items, n);
    member_breaches(&f, m->person_id, c->now, &st);
    if (m->person_id == c->actor) {
      direction(items, n, &st, &cfg, TRUST_CIRCLE_IN_MEMBER, c->now, &out->in_me);
      direction(items, n, &st, &cfg, TRUST_MEMBER_IN_CIRCLE, c->now, &out->me_in);
    }
    if (latest_pulse(&f, m->person_id)) {
      trust_dir_score sc;
      trust_score(&st, &cfg, TRUST_MEMBER_IN_CIRCLE, c->now, false, &sc);
      sum += sc.index;
      out->raters++;
    }
  }
  out->circle_shown = out->raters >= TRUST_CIRCLE_MIN_RATERS;
  out->circle_index = out->circle_shown ? sum / (double)out->raters : 0;
  store_rollback(c->st);
  return rc;
}

/* ---- warnings ---- */

static double circle_mean_attendance(const facts *f) {
  if (!f->natt) return 1.0;
  double sum = 0;
  for (size_t i = 0; i < f->natt; i++) sum += trust_attendance_value(attendance_of(f->att[i].status));
  return sum / (double)f->natt;
}

/* The warnings about member m (MEMBER_DRIFTING, SILENT_MEMBER) into out. */
static size_t member_warnings(app_ctx *c, const facts *f, const store_circle_member *m,
                              app_circle_warning *out) {
  size_t n = 0, na = 0, nt = 0;
  trust_attendance *seq = arena_zalloc(c->a, sizeof *seq * (f->natt + 1));
  int64_t *held = arena_zalloc(c->a, sizeof *held * (f->nck + 1));
  for (size_t i = 0; i < f->natt; i++)
    if (f->att[i].person_id == m->person_id) seq[na++] = attendance_of(f->att[i].status);
  for (size_t i = 0; i < f->nck; i++)
    if (f->cks[i].held_at >= m->joined_at) held[nt++] = f->cks[i].held_at;
  trust_cusum_settings cfg = trust_circle_cusum_default();
  double s_end = 0;
  if (trust_circle_drifting(&cfg, seq, na, circle_mean_attendance(f), &s_end))
    out[n++] = (app_circle_warning){CIRCLE_W_MEMBER_DRIFTING, NULL, m->person_id, false, false, s_end};
  rp_time last = 0;
  for (size_t i = 0; i < f->nitems; i++) {
    const store_circle_item *it = &f->items[i];
    bool speaks = it->kind == CIRCLE_REQUEST || it->kind == CIRCLE_REPLY || it->kind == CIRCLE_FEEDBACK;
    if (speaks && it->author_id == m->person_id && it->created_at > last) last = it->created_at;
  }
  if (trust_circle_silent(held, nt, m->joined_at, last))
    out[n++] = (app_circle_warning){CIRCLE_W_SILENT_MEMBER, NULL, m->person_id, false, false, 0};
  return n;
}

static size_t circle_warnings(app_ctx *c, const facts *f, app_circle_warning *out) {
  size_t n = 0, k = 0;
  size_t *given = arena_zalloc(c->a, sizeof *given * (f->ci.nmembers + 1));
  for (size_t i = 0; i < f->ci.nmembers; i++) {
    const store_circle_member *m = &f->ci.members[i];
    if (m->role != CIRCLE_MEMBER || m->left_at) continue;
    for (size_t q = 0; q < f->nitems; q++)
      if (f->items[q].kind == CIRCLE_FEEDBACK && f->items[q].author_id == m->person_id &&
          f->items[q].created_at > c->now - ONE_WAY_WINDOW_S)
        given[k]++;
    k++;
  }
  double share = 0;
  if (trust_circle_one_way(given, k, &share))
    out[n++] = (app_circle_warning){CIRCLE_W_ONE_WAY_FEEDBACK, NULL, 0, false, false, share};
  if (f->ci.c.state == REL_ACTIVE) {
    rp_time last = f->nck ? f->cks[f->nck - 1].held_at : f->ci.c.state_since;
    if (last < f->ci.c.state_since) last = f->ci.c.state_since;
    double g = trust_gap_ratio(c->now, last, f->cadence_days);
    trust_warn_settings wcfg = trust_warn_default();
    if (trust_warn_cadence_gap(&wcfg, g) != TRUST_SEV_NONE)
      out[n++] = (app_circle_warning){CIRCLE_W_CADENCE_GAP, NULL, 0, false, false, g};
  }
  return n;
}

rp_rc app_circle_warnings(app_ctx *c, int64_t id, app_circle_warning **items, size_t *n,
                          rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  facts f;
  rc = facts_load(c, id, &f, e);
  app_circle_warning *v = NULL;
  *n = 0;
  if (!rc) {
    v = arena_zalloc(c->a, sizeof *v * (2 * f.ci.nmembers + 2));
    *n = circle_warnings(c, &f, v);
  }
  bool facilitator = !rc && f.ci.viewer.role == CIRCLE_FACILITATOR;
  for (size_t i = 0; !rc && i < f.ci.nmembers; i++) {
    const store_circle_member *m = &f.ci.members[i];
    if (m->role != CIRCLE_MEMBER || m->left_at) continue;
    if (m->person_id != c->actor && !facilitator) continue;
    app_circle_warning got[2];
    size_t k = member_warnings(c, &f, m, got);
    for (size_t j = 0; !rc && j < k; j++) {
      if (m->person_id != c->actor) { /* the facilitator: named only when shared */
        rc = store_circle_shared(c->st, id, m->person_id, circle_warning_of(got[j].code)->code,
                                 &got[j].shared, e);
        got[j].anonymous = !got[j].shared;
        if (got[j].anonymous) {
          got[j].member_id = 0;
          got[j].figure = 0;
        }
      } else {
        rc = store_circle_shared(c->st, id, c->actor, circle_warning_of(got[j].code)->code,
                                 &got[j].shared, e);
      }
      v[(*n)++] = got[j];
    }
  }
  for (size_t i = 0; i < *n; i++) v[i].text = circle_warning_of(v[i].code);
  *items = v;
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_warning_share(app_ctx *c, int64_t id, circle_warning code, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rc = app_circle_load(c, id, true, &ci, e);
  if (!rc && (ci.viewer.role != CIRCLE_MEMBER || !circle_is_current(&ci.viewer)))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such circle.");
  if (!rc && !circle_warning_of(code)->about_member)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_about_member", "Only warnings about you are shared.");
  if (!rc) rc = store_circle_share_insert(c->st, id, c->actor, circle_warning_of(code)->code, c->now, e);
  return app_finish(c, rc, e);
}
