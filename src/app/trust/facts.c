/* facts.c: the facts of an event for its sentence (see
 * facts.h). One loader per kind of subject; each reads the row, and
 * opens its text with the same seal_ad the slice that wrote it used. */
#include "app/trust/facts.h"
#include "app/privacy/privacy.h"
#include "crypto/seal.h"

#include <jansson.h>
#include <string.h>

void app_fact_cache_init(app_fact_cache *fc, const relationship *r, int64_t viewer) {
  memset(fc, 0, sizeof *fc);
  fc->rel = r;
  fc->viewer = viewer;
}

/* Who person_id is to the relationship; 0 is `none`. */
static app_who who_of(const app_fact_cache *fc, int64_t person_id, app_who none) {
  if (!person_id) return none;
  if (person_id == fc->rel->guide_id) return APP_WHO_GUIDE;
  if (person_id == fc->rel->learner_id) return APP_WHO_LEARNER;
  return APP_WHO_ADMIN;
}

static rp_rc open_text(app_ctx *c, seal_kind kind, int64_t rel_id, int64_t row_id, int64_t author,
                       rp_blob b, const char **out, rp_err *e) {
  seal_ad ad = {kind, rel_id, row_id, author, false};
  *out = NULL;
  return b.len ? app_open(c, &ad, b, out, e) : RP_OK;
}

/* The title of goal id (opened from its sealed document), or NULL. */
static rp_rc goal_title(app_ctx *c, const app_fact_cache *fc, int64_t id, const char **out,
                        rp_err *e) {
  store_goal sg;
  const char *doc;
  *out = NULL;
  rp_rc rc = store_goal_get(c->st, id, c->a, &sg, e);
  if (!rc) rc = open_text(c, SEAL_GOAL, fc->rel->id, sg.g.id, 0, sg.body, &doc, e);
  if (rc || !doc) return rc;
  json_t *o = json_loads(doc, 0, NULL);
  json_t *t = json_object_get(o, "title");
  if (json_is_string(t)) *out = arena_strdup(c->a, json_string_value(t));
  json_decref(o);
  return RP_OK;
}

/* ---- one loader per subject ---- */

static rp_rc fact_checkin(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                          rp_err *e) {
  checkin ck, next;
  rp_rc rc = store_checkin_get(c->st, ev->subject_id, &ck, e);
  if (rc) return rc;
  f->when = ck.scheduled_at;
  if (!ck.has_outcome || strcmp(ev->kind, "checkin_outcome") != 0) return RP_OK;
  f->detail = checkin_class_name(ck.cls);
  f->party = who_of(fc, ck.caused_by, APP_WHO_NONE);
  f->secs = ck.has_late ? ck.late_s : ck.has_notice ? ck.notice_s : 0;
  if (ck.rescheduled_to && !store_checkin_get(c->st, ck.rescheduled_to, &next, e))
    f->when2 = next.scheduled_at;
  return RP_OK;
}

/* The revision a renegotiation at `at` made: the latest at or before it. */
static rp_rc renegotiation(app_ctx *c, int64_t commitment_id, rp_time at, app_fact *f,
                           rp_err *e) {
  commitment_revision *revs;
  size_t n;
  rp_rc rc = store_commitment_revisions(c->st, commitment_id, c->a, &revs, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    if (revs[i].at > at) break;
    f->when2 = revs[i].old_due_at;
    f->when = revs[i].new_due_at;
  }
  return rc;
}

static rp_rc fact_commitment(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                             rp_err *e) {
  store_commitment sc;
  rp_rc rc = store_commitment_get(c->st, ev->subject_id, c->a, &sc, e);
  if (!rc) rc = open_text(c, SEAL_COMMITMENT, fc->rel->id, sc.cm.id, 0, sc.text_ct, &f->title, e);
  if (rc) return rc;
  f->party = who_of(fc, sc.cm.owner_id, APP_WHO_NONE);
  f->detail = commitment_state_name(sc.cm.state);
  f->when = strcmp(ev->kind, "commitment_added") == 0 ? sc.cm.original_due_at : sc.cm.due_at;
  if (sc.cm.state == COMMITMENT_KEPT_LATE) f->secs = sc.cm.closed_at - sc.cm.due_at;
  if (strcmp(ev->kind, "commitment_renegotiated") == 0)
    rc = renegotiation(c, sc.cm.id, ev->at, f, e);
  return rc;
}

static rp_rc window_hours(app_ctx *c, app_fact_cache *fc, int *out, rp_err *e) {
  int cadence = 0;
  rp_rc rc = fc->window_hours ? RP_OK : app_rel_terms(c, fc->rel, &cadence, &fc->window_hours, e);
  *out = fc->window_hours;
  return rc;
}

static rp_rc fact_request(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                          rp_err *e) {
  store_request sq;
  rp_time marked = 0;
  rp_rc rc = store_request_get(c->st, ev->subject_id, c->a, &sq, e);
  if (!rc) rc = open_text(c, SEAL_REQUEST, fc->rel->id, sq.q.id, sq.q.requester_id, sq.text, &f->title, e);
  if (rc) return rc;
  f->party = who_of(fc, sq.q.responder_id, APP_WHO_NONE);
  f->when = sq.q.created_at;
  if (sq.q.replied_at) f->secs = sq.q.replied_at - sq.q.created_at;
  if (strcmp(ev->kind, "request_unanswered") != 0) return window_hours(c, fc, &f->hours, e);
  /* The window the mark used: it is dated created + 3R. */
  f->hours = (int)((ev->at - sq.q.created_at) / (3 * RP_HOUR));
  rc = store_request_unanswered_at(c->st, sq.q.id, &marked, e);
  if (!rc && sq.q.replied_at && sq.q.replied_at < marked) f->detail = "retracted";
  return rc;
}

static rp_rc fact_feedback(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                           rp_err *e) {
  feedback_item fb;
  rp_rc rc = store_feedback_get_meta(c->st, ev->subject_id, &fb, e);
  if (rc) return rc;
  f->party = who_of(fc, fb.giver_id, APP_WHO_NONE);
  f->detail = feedback_kind_name(fb.kind);
  f->detail2 = feedback_focus_name(fb.focus);
  return RP_OK;
}

static rp_rc fact_goal(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                       rp_err *e) {
  f->detail2 = ev->to_state;
  return goal_title(c, fc, ev->subject_id, &f->title, e);
}

static rp_rc fact_milestone(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                            rp_err *e) {
  store_milestone sm;
  rp_rc rc = store_milestone_get(c->st, ev->subject_id, c->a, &sm, e);
  if (!rc) rc = open_text(c, SEAL_MILESTONE, fc->rel->id, sm.m.id, 0, sm.title, &f->title, e);
  if (!rc) rc = goal_title(c, fc, sm.m.goal_id, &f->context, e);
  return rc;
}

static rp_rc fact_review(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                         rp_err *e) {
  int64_t first = 0;
  rp_rc rc = store_goal_review_brief(c->st, ev->subject_id, &f->score, &first, 1, &f->count, e);
  if (!rc && f->count) rc = goal_title(c, fc, first, &f->title, e);
  return rc;
}

static rp_rc fact_incident(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                           rp_err *e) {
  int64_t concerning = 0;
  rp_rc rc = store_incident_brief(c->st, ev->subject_id, c->a, &f->detail, &concerning, e);
  if (!rc) f->party = who_of(fc, concerning, APP_WHO_NONE);
  return rc;
}

static rp_rc fact_transition(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                             rp_err *e) {
  (void)c;
  (void)fc;
  (void)e;
  f->detail = ev->from_state;
  f->detail2 = ev->to_state;
  return RP_OK;
}

typedef rp_rc (*fact_fn)(app_ctx *c, app_fact_cache *fc, const rel_event *ev, app_fact *f,
                         rp_err *e);

/* Loaders by event kind prefix. */
static const struct {
  const char *prefix;
  fact_fn fn;
} loaders[] = {
    {"checkin_", fact_checkin},     {"commitment_", fact_commitment},
    {"request_", fact_request},     {"feedback_", fact_feedback},
    {"goal_review", fact_review},   {"goal_", fact_goal},
    {"milestone_", fact_milestone}, {"incident_", fact_incident},
};

rp_rc app_fact_of_event(app_ctx *c, app_fact_cache *fc, const rel_event *ev, const app_fact **out,
                        rp_err *e) {
  app_fact *f = arena_zalloc(c->a, sizeof *f);
  f->kind = ev->kind;
  f->at = ev->at;
  f->now = c->now;
  f->actor = who_of(fc, ev->actor_id, APP_WHO_SERVER);
  *out = f;
  if (ev->kind && (strcmp(ev->kind, "transition") == 0 || strcmp(ev->kind, "warning_withdrawn") == 0))
    return fact_transition(c, fc, ev, f, e); /* warning_withdrawn: from_state is the code */
  if (!ev->kind || !ev->subject_id) return RP_OK;
  for (size_t i = 0; i < sizeof loaders / sizeof loaders[0]; i++) {
    if (strncmp(ev->kind, loaders[i].prefix, strlen(loaders[i].prefix)) != 0) continue;
    rp_rc rc = loaders[i].fn(c, fc, ev, f, e);
    if (rc == RP_ERR_NOT_FOUND) { /* the subject is gone: word what is left */
      rp_err_reset(e);
      rc = RP_OK;
    }
    return rc;
  }
  return RP_OK;
}

rp_rc app_fact_cached(app_ctx *c, app_fact_cache *fc, int64_t event_id, rp_time fallback_at,
                      const app_fact **out, rp_err *e) {
  for (size_t i = 0; i < fc->n; i++) {
    if (fc->ids[i] != event_id) continue;
    *out = fc->facts[i];
    return RP_OK;
  }
  rel_event ev;
  memset(&ev, 0, sizeof ev);
  ev.at = fallback_at;
  rp_rc rc = event_id ? store_event_get(c->st, fc->rel->id, event_id, c->a, &ev, e) : RP_OK;
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    memset(&ev, 0, sizeof ev);
    ev.at = fallback_at;
    rc = RP_OK;
  }
  if (!rc) rc = app_fact_of_event(c, fc, &ev, out, e);
  if (!rc && fc->n < APP_FACT_CACHE) {
    fc->ids[fc->n] = event_id;
    fc->facts[fc->n++] = *out;
  }
  return rc;
}
