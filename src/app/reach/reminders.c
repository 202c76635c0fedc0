/* reminders.c: the mails the passing of time causes (reach.h): a
 * commitment due within a day (to its owner), a request unanswered past
 * the agreement's reply window (to the one who owes the reply), an early
 * warning raised (to the two parties, never to an administrator), a
 * pulse due (to the party who owes it, once a round). Each
 * goes once per person and thing (store/reach.h marks), in the jobs'
 * transaction. They say who and when, and link; no text of the thing.
 */
#include "app/reach/reach.h"

#include "store/reach.h"

#define REMIND_BATCH 200
#define DAY_S (24 * 3600)

static rp_rc tell(app_ctx *c, const store_reach_item *it, const char *kind, const char *tab,
                  app_mail_words *w, int *changed, rp_err *e) {
  bool added = false;
  rp_rc rc = store_mark_add(c->st, kind, it->about_id, it->to.id, c->now, &added, e);
  if (rc || !added) return rc;
  w->name = it->to.name;
  w->link = app_mail_link(c, arena_printf(c->a, "/#/relationships/%lld/%s",
                                          (long long)it->relationship_id, tab));
  app_mail m = {.kind = kind, .person_id = it->to.id, .to = it->to.email, .words = w,
                .relationship_id = it->relationship_id};
  (*changed)++;
  return app_mail_queue(c, &m, NULL, e);
}

static rp_rc commitments_due(app_ctx *c, int *changed, rp_err *e) {
  store_reach_item *its;
  size_t n;
  rp_rc rc = store_commitments_to_remind(c->st, c->now, c->now + DAY_S, "commitment_due",
                                         REMIND_BATCH, c->a, &its, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    char due[RP_TIME_BUFSZ];
    rp_time_format(its[i].at, due);
    app_mail_words w = {
        .subject = "A commitment of yours is due tomorrow",
        .paras = {arena_printf(c->a, "A commitment you made in your relationship with %s is due "
                                     "at %s (UTC).",
                               its[i].other.name, due),
                  "Open it in Rapport to mark it kept, or to agree a new date with them."},
        .link_label = "Open the commitments",
    };
    rc = tell(c, &its[i], "commitment_due", "commitments", &w, changed, e);
  }
  return rc;
}

static rp_rc requests_unanswered(app_ctx *c, int *changed, rp_err *e) {
  store_reach_item *its;
  size_t n;
  rp_rc rc = store_requests_unanswered(c->st, c->now - 3600, "request_unanswered", REMIND_BATCH,
                                       c->a, &its, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    relationship r;
    int cadence = 0, window = 0;
    rc = store_relationship_get(c->st, its[i].relationship_id, &r, e);
    if (!rc) rc = app_rel_terms(c, &r, &cadence, &window, e);
    if (rc || its[i].at + (rp_time)window * 3600 > c->now) continue;
    char asked[RP_TIME_BUFSZ];
    rp_time_format(its[i].at, asked);
    app_mail_words w = {
        .subject = "A request is waiting for your reply",
        .paras = {arena_printf(c->a, "%s asked you something in Rapport at %s (UTC), and the "
                                     "reply window of your agreement (%d hours) has passed.",
                               its[i].other.name, asked, window)},
        .link_label = "Open the requests",
    };
    rc = tell(c, &its[i], "request_unanswered", "requests", &w, changed, e);
  }
  return rc;
}

static rp_rc warnings_raised(app_ctx *c, int *changed, rp_err *e) {
  store_reach_item *its;
  size_t n;
  rp_rc rc = store_warnings_to_tell(c->st, c->now, "warning_raised", REMIND_BATCH, c->a, &its,
                                    &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    app_mail_words w = {
        .subject = "An early warning in one of your relationships",
        .paras = {arena_printf(c->a, "Rapport noticed a pattern worth talking about in your "
                                     "relationship with %s.",
                               its[i].other.name),
                  "Only the two of you are told. The trust page says what it is and suggests "
                  "a practice."},
        .link_label = "Open the trust page",
    };
    rc = tell(c, &its[i], "warning_raised", "trust", &w, changed, e);
  }
  return rc;
}

/* A pulse round open: the party's schedule (the program's pulse
 * interval, or the check-ins held) says a pulse is due; once a round. */
static rp_rc pulses_due(app_ctx *c, int *changed, rp_err *e) {
  store_reach_item *its;
  size_t n;
  rp_rc rc = store_pulses_to_tell(c->st, c->now, PULSE_EVERY_CHECKINS, "pulse_due", REMIND_BATCH,
                                  c->a, &its, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    relationship r;
    app_pulse_schedule ps;
    rc = store_relationship_get(c->st, its[i].relationship_id, &r, e);
    if (!rc) rc = app_pulse_schedule_of(c, &r, its[i].to.id, &ps, e);
    if (rc || !ps.scheduled || !ps.sched.due) continue;
    app_mail_words w = {
        .subject = "Time for a pulse",
        .paras = {arena_printf(c->a, "A pulse is due in your relationship with %s: a few "
                                     "questions on how it is going, which take a minute.",
                               its[i].other.name),
                  "What you answer is not shown to them as such; it feeds the trust page of "
                  "the two of you."},
        .link_label = "Answer the pulse",
    };
    rc = tell(c, &its[i], "pulse_due", "pulse", &w, changed, e);
  }
  return rc;
}

rp_rc app_reach_notices_job(app_ctx *c, int *changed, rp_err *e) {
  rp_rc rc = commitments_due(c, changed, e);
  if (!rc) rc = pulses_due(c, changed, e);
  if (!rc) rc = requests_unanswered(c, changed, e);
  if (!rc) rc = warnings_raised(c, changed, e);
  return rc;
}
