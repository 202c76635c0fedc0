/* alumni.c: the alumni network, its directory, paying it forward and
 * long-term check-ins (see alumni.h). */
#include "app/alumni/alumni.h"
#include "app/people/people.h"
#include "app/practices/practices.h"
#include "app/reach/reach.h"
#include "store/reach.h"

#include <stdio.h>
#include <string.h>

/* The short pulse of a long-term check-in: one item per component. */
static const bool SHORT_ITEM[PULSE_NITEM] = {true, false, true, false, true, true, false};

static rp_rc member_of(app_ctx *c, int64_t program_id, rp_err *e) {
  static const member_role roles[] = {ROLE_ADMIN, ROLE_GUIDE, ROLE_LEARNER};
  bool in = false;
  for (size_t i = 0; i < 3 && !in; i++) {
    rp_rc rc = store_membership_has(c->st, program_id, c->actor, roles[i], &in, e);
    if (rc) return rc;
  }
  return in ? RP_OK : rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
}

static void view_of(app_ctx *c, const store_alumnus *a, app_alumnus_view *out) {
  memset(out, 0, sizeof *out);
  out->id = a->id;
  out->mine = a->person_id == c->actor;
  out->name = out->mine || a->show_name ? a->name : NULL;
  out->topics = out->mine || a->show_topics ? a->topics : NULL;
  out->contact_id = out->mine || a->show_contact ? a->person_id : 0;
  out->guiding = a->guiding_since != 0 && (out->mine || a->show_name);
  if (out->mine) out->own = *a;
}

rp_rc app_alumni_join(app_ctx *c, int64_t program_id, const app_alumni_consent *in,
                      app_alumnus_view *out, rp_err *e) {
  if (in->topics && strlen(in->topics) > APP_ALUMNI_TOPICS_MAX) {
    rp_field(e, "/topics", "At most %d bytes.", APP_ALUMNI_TOPICS_MAX);
    return RP_ERR_INVALID;
  }
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  bool any = false, as_learner = false;
  rc = member_of(c, program_id, e);
  if (!rc) rc = store_alumni_eligible(c->st, program_id, c->actor, &any, &as_learner, e);
  if (!rc && !any)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_alumnus",
                 "The alumni network is for people whose relationship here has completed.");
  store_alumnus a = {0, program_id, c->actor, c->now, in->show_name, in->show_topics,
                     in->show_contact, in->topics ? in->topics : "", 0, NULL};
  if (!rc) rc = store_alumnus_put(c->st, &a, e);
  if (!rc) rc = store_alumnus_get(c->st, program_id, c->actor, c->a, &a, e);
  if (!rc) view_of(c, &a, out);
  return app_finish(c, rc, e);
}

rp_rc app_alumni_leave(app_ctx *c, int64_t program_id, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = member_of(c, program_id, e);
  if (!rc) {
    rc = store_alumnus_delete(c->st, program_id, c->actor, e);
    if (rc == RP_ERR_NOT_FOUND) {
      rp_err_reset(e);
      rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "You are not in this alumni network.");
    }
  }
  return app_finish(c, rc, e);
}

rp_rc app_alumni_directory(app_ctx *c, int64_t program_id, int64_t after, int limit,
                           app_alumnus_view **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  store_alumnus *rows = NULL;
  size_t nrows = 0;
  rc = member_of(c, program_id, e);
  if (!rc)
    rc = store_alumni_list(c->st, program_id, after, app_page_limit(limit), c->a, &rows, &nrows,
                           next, e);
  *n = 0;
  if (!rc) *items = arena_zalloc(c->a, sizeof **items * (nrows + 1));
  for (size_t i = 0; i < nrows && !rc; i++) {
    const store_alumnus *a = &rows[i];
    if (a->person_id != c->actor && !a->show_name && !a->show_topics && !a->show_contact)
      continue;
    view_of(c, a, &(*items)[(*n)++]);
  }
  store_rollback(c->st);
  return rc;
}

rp_rc app_alumni_volunteer(app_ctx *c, int64_t program_id, app_alumnus_view *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  bool any = false, as_learner = false, added = false;
  store_alumnus a;
  rc = member_of(c, program_id, e);
  if (!rc) rc = store_alumni_eligible(c->st, program_id, c->actor, &any, &as_learner, e);
  if (!rc) {
    rc = store_alumnus_get(c->st, program_id, c->actor, c->a, &a, e);
    if (rc == RP_ERR_NOT_FOUND) {
      rp_err_reset(e);
      rc = rp_fail(e, RP_ERR_CONFLICT, "not_alumnus", "Join the alumni network first.");
    }
  }
  if (!rc && !as_learner)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_former_learner",
                 "Paying it forward is for former learners of this program.");
  if (!rc) rc = store_membership_add(c->st, program_id, c->actor, ROLE_GUIDE, c->now, &added, e);
  if (!rc) rc = store_alumnus_guiding(c->st, program_id, c->actor, c->now, e);
  if (!rc) rc = store_alumnus_get(c->st, program_id, c->actor, c->a, &a, e);
  if (!rc) view_of(c, &a, out);
  return app_finish(c, rc, e);
}

/* ---- long-term check-ins ---- */

static rp_rc long_term_of(app_ctx *c, const relationship *r, app_long_term *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->relationship_id = r->id;
  out->default_days = APP_ALUMNI_CADENCE_DAYS;
  store_long_term_cadence cad;
  rp_rc rc = store_long_term_cadence_get(c->st, r->id, &cad, e);
  out->agreed = cad.days != 0;
  out->cadence_days = cad.days ? cad.days : APP_ALUMNI_CADENCE_DAYS;
  out->agreed_at = cad.agreed_at;
  if (cad.proposed_by) {
    out->proposed_days = cad.proposed_days ? cad.proposed_days : APP_ALUMNI_CADENCE_DAYS;
    out->proposed_by_me = cad.proposed_by == c->actor;
    out->proposed_at = cad.proposed_at;
  }
  if (!rc) rc = store_long_term_wants(c->st, r->id, r->guide_id, &out->guide_wants, e);
  if (!rc) rc = store_long_term_wants(c->st, r->id, r->learner_id, &out->learner_wants, e);
  if (!rc) rc = store_long_term_last_pulse(c->st, r->id, c->actor, &out->my_last_pulse, e);
  out->on = out->guide_wants && out->learner_wants && r->state == REL_ALUMNI;
  if (out->on && out->my_last_pulse)
    out->next_due = out->my_last_pulse + (rp_time)out->cadence_days * RP_DAY;
  return rc;
}

static rp_rc load_former(app_ctx *c, int64_t rel_id, relationship *r, rp_err *e) {
  rel_role role;
  rp_rc rc = app_rel_load(c, rel_id, APP_NEED_PARTY, r, &role, e);
  if (!rc && r->state != REL_COMPLETED && r->state != REL_ALUMNI)
    rc = rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                 "Long-term check-ins follow a completed relationship; this one is %s.",
                 rel_state_name(r->state));
  return rc;
}

rp_rc app_long_term_get(app_ctx *c, int64_t rel_id, app_long_term *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = long_term_of(c, &r, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_long_term_want(app_ctx *c, int64_t rel_id, bool want, app_long_term *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  relationship r;
  rc = load_former(c, rel_id, &r, e);
  if (!rc) rc = store_long_term_set(c->st, rel_id, c->actor, want, c->now, e);
  if (!rc) rc = long_term_of(c, &r, out, e);
  bool both = !rc && out->guide_wants && out->learner_wants && r.state == REL_COMPLETED;
  rc = app_finish(c, rc, e);
  if (!rc && both) { /* the state change is the people room's own action */
    relationship after;
    rc = app_relationship_transition(c, rel_id, REL_ALUMNI, NULL, NULL, &after, e);
    if (!rc) rc = app_long_term_get(c, rel_id, out, e);
  }
  return rc;
}

rp_rc app_long_term_checkin(app_ctx *c, int64_t rel_id, const int answers[PULSE_NITEM],
                            int overall, pulse *out, rp_err *e) {
  app_long_term lt;
  rp_rc rc = app_long_term_get(c, rel_id, &lt, e);
  if (!rc && !lt.on)
    rc = rp_fail(e, RP_ERR_CONFLICT, "long_term_off",
                 "Long-term check-ins start when both of you want them.");
  for (int i = 0; i < PULSE_NITEM && !rc; i++) {
    if (!SHORT_ITEM[i] && answers[i] != PULSE_SKIPPED) {
      char ptr[32];
      snprintf(ptr, sizeof ptr, "/answers/%s", pulse_item_name(i));
      rp_field(e, ptr, "The short pulse asks REL1, INT1, COM1 and EMP1 only.");
      rc = RP_ERR_INVALID;
    }
  }
  if (rc) return rc;
  return app_pulse_answer(c, rel_id, answers, overall, NULL, out, e);
}

/* ---- the pair's cadence ---- */

typedef rp_rc (*cadence_action)(app_ctx *c, const relationship *r, const app_long_term *now,
                                int days, rp_err *e);

/* One write transaction on a former relationship: `act` with the long-term
 * state as it is, then the state after it in *out. */
static rp_rc with_cadence(app_ctx *c, int64_t rel_id, cadence_action act, int days,
                          app_long_term *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  relationship r;
  rc = load_former(c, rel_id, &r, e);
  if (!rc) rc = long_term_of(c, &r, out, e);
  if (!rc) rc = act(c, &r, out, days, e);
  if (!rc) rc = long_term_of(c, &r, out, e);
  return app_finish(c, rc, e);
}

static rp_rc do_propose(app_ctx *c, const relationship *r, const app_long_term *lt, int days,
                        rp_err *e) {
  if (days < APP_ALUMNI_CADENCE_MIN || days > APP_ALUMNI_CADENCE_MAX) {
    rp_field(e, "/days", "A cadence of %d to %d days.", APP_ALUMNI_CADENCE_MIN,
             APP_ALUMNI_CADENCE_MAX);
    return RP_ERR_INVALID;
  }
  if (days == lt->cadence_days && !lt->proposed_days)
    return rp_fail(e, RP_ERR_CONFLICT, "cadence_unchanged",
                   "Your long-term check-ins are every %d days already.", days);
  /* the program's value is kept as "none": it follows the program */
  return store_long_term_cadence_propose(c->st, r->id, days == APP_ALUMNI_CADENCE_DAYS ? 0 : days,
                                         c->actor, c->now, e);
}

static rp_rc do_agree(app_ctx *c, const relationship *r, const app_long_term *lt, int days,
                      rp_err *e) {
  if (!lt->proposed_days)
    return rp_fail(e, RP_ERR_CONFLICT, "no_proposal", "No cadence is waiting for agreement.");
  if (lt->proposed_by_me)
    return rp_fail(e, RP_ERR_CONFLICT, "own_proposal",
                   "You proposed this cadence; the other person agrees to it.");
  if (days != lt->proposed_days)
    return rp_fail(e, RP_ERR_CONFLICT, "proposal_changed",
                   "The proposal waiting is every %d days.", lt->proposed_days);
  return store_long_term_cadence_agree(c->st, r->id, c->now, e);
}

static rp_rc do_unpropose(app_ctx *c, const relationship *r, const app_long_term *lt, int days,
                          rp_err *e) {
  (void)days;
  if (!lt->proposed_days)
    return rp_fail(e, RP_ERR_CONFLICT, "no_proposal", "No cadence is waiting for agreement.");
  return store_long_term_cadence_propose(c->st, r->id, 0, 0, c->now, e);
}

rp_rc app_long_term_propose(app_ctx *c, int64_t rel_id, int days, app_long_term *out, rp_err *e) {
  return with_cadence(c, rel_id, do_propose, days, out, e);
}

rp_rc app_long_term_agree(app_ctx *c, int64_t rel_id, int days, app_long_term *out, rp_err *e) {
  return with_cadence(c, rel_id, do_agree, days, out, e);
}

rp_rc app_long_term_unpropose(app_ctx *c, int64_t rel_id, app_long_term *out, rp_err *e) {
  return with_cadence(c, rel_id, do_unpropose, 0, out, e);
}

/* ---- reminders ---- */

#define REMIND_BATCH 200

rp_rc app_long_term_remind_job(app_ctx *c, int *changed, rp_err *e) {
  store_long_term_due *due;
  size_t n;
  rp_rc rc = store_long_term_to_remind(c->st, c->now, APP_ALUMNI_CADENCE_DAYS, "long_term_due",
                                       REMIND_BATCH, c->a, &due, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    person to, other;
    bool added = false;
    rc = store_person_get(c->st, due[i].to_id, c->a, &to, e);
    if (!rc) rc = store_person_get(c->st, due[i].other_id, c->a, &other, e);
    if (!rc)
      rc = store_mark_add(c->st, "long_term_due", due[i].about_id, to.id, c->now, &added, e);
    if (rc || !added) continue;
    app_mail_words w = {
        .subject = "Time for a long-term check-in",
        .name = to.name,
        .paras = {arena_printf(c->a, "Your long-term check-in with %s is due: a short pulse of "
                                     "four questions, every %d days as the two of you set.",
                               other.name, due[i].every_days),
                  "It keeps the trust history of the two of you going; it takes a minute."},
        .link_label = "Open the long-term check-ins",
        .link = app_mail_link(c, arena_printf(c->a, "/#/relationships/%lld/long-term",
                                              (long long)due[i].relationship_id)),
    };
    app_mail m = {.kind = "long_term_due", .person_id = to.id, .to = to.email, .words = &w,
                  .relationship_id = due[i].relationship_id};
    rc = app_mail_queue(c, &m, NULL, e);
    if (!rc) (*changed)++;
  }
  return rc;
}
