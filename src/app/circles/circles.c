/* circles.c: forming circles, their members and states, the agreement,
 * check-ins and what members write (app/circles/circles.h).
 *
 * A circle's text is sealed with the circle's own data key: the key
 * hierarchy of relationships with the key owner -circle id
 * (crypto/seal.h), so the associated data binds every text to its circle,
 * row, kind and author, and app_open notes each reading for the people of
 * the circle (app/privacy/audit.c). Reading is filtered by
 * circle_text_readable: a member who left reads nothing written after.
 */
#include "app/circles/circles.h"
#include "app/circles/internal.h"
#include "app/privacy/privacy.h"
#include "store/circle_repairs.h"

#include <stdlib.h>
#include <string.h>

static rp_rc no_circle(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such circle.");
}

/* The key owner of a circle's texts (crypto/seal.h). */
static int64_t owner_of(int64_t circle_id) { return -circle_id; }

static size_t current_members(const app_circle *ci) {
  size_t k = 0;
  for (size_t i = 0; i < ci->nmembers; i++)
    if (ci->members[i].role == CIRCLE_MEMBER && !ci->members[i].left_at) k++;
  return k;
}

static const store_circle_member *member_of(const app_circle *ci, int64_t person_id) {
  for (size_t i = 0; i < ci->nmembers; i++)
    if (ci->members[i].person_id == person_id) return &ci->members[i];
  return NULL;
}

static rp_rc fill_counts(app_ctx *c, app_circle *ci, rp_err *e) {
  store_circle_agreement ag;
  rp_rc rc = store_circle_agreement_latest(c->st, ci->c.id, c->a, &ag, e);
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    rc = RP_OK;
  } else if (!rc) {
    ci->agreement_version = ag.version;
    int64_t *acks;
    size_t nacks;
    rc = store_circle_acks(c->st, ag.id, c->a, &acks, &nacks, e);
    bool all = !rc;
    for (size_t i = 0; !rc && i < ci->nmembers; i++) {
      const store_circle_member *m = &ci->members[i];
      if (m->role != CIRCLE_MEMBER || m->left_at) continue;
      bool found = false;
      for (size_t k = 0; k < nacks; k++) found = found || acks[k] == m->person_id;
      all = all && found;
    }
    ci->agreement_in_force = !rc && all;
  }
  store_circle_checkin *cks;
  size_t nck = 0;
  if (!rc) rc = store_circle_checkins(c->st, ci->c.id, c->a, &cks, &nck, e);
  ci->checkins = (int64_t)nck;
  return rc;
}

/* Loads circle id for the actor: with `content`, only for people who are
 * or were in it; else also for the program's admins. RP_ERR_NOT_FOUND for
 * anyone else. */
rp_rc app_circle_load(app_ctx *c, int64_t id, bool content, app_circle *ci, rp_err *e) {
  memset(ci, 0, sizeof *ci);
  rp_rc rc = store_circle_get(c->st, id, c->a, &ci->c, e);
  if (!rc) rc = store_circle_members(c->st, id, c->a, &ci->members, &ci->nmembers, e);
  if (rc == RP_ERR_NOT_FOUND) return no_circle(e);
  if (rc) return rc;
  for (size_t i = 0; i < ci->nmembers; i++) {
    const store_circle_member *m = &ci->members[i];
    if (m->role == CIRCLE_FACILITATOR && !m->left_at) ci->facilitator_id = m->person_id;
    if (m->person_id == c->actor && c->actor) {
      ci->viewer_in = true;
      ci->viewer = (circle_place){true, m->role, m->joined_at, m->left_at};
    }
  }
  if (!ci->viewer_in) {
    bool admin = false;
    if (!content) rc = app_is_program_admin(c, ci->c.program_id, &admin, e);
    if (rc) return rc;
    if (!admin) return no_circle(e);
  }
  return fill_counts(c, ci, e);
}

/* For writing: the actor is in the circle now and it is active. */
static rp_rc load_writer(app_ctx *c, int64_t id, app_circle *ci, rp_err *e) {
  rp_rc rc = app_circle_load(c, id, true, ci, e);
  if (rc) return rc;
  if (!circle_is_current(&ci->viewer))
    return rp_fail(e, RP_ERR_FORBIDDEN, "left_circle", "You are no longer in this circle.");
  if (!circle_allows_writing(ci->c.state))
    return rp_fail(e, RP_ERR_CONFLICT, "circle_state", "The circle is %s.",
                   rel_state_name(ci->c.state));
  return RP_OK;
}

static rp_rc event(app_ctx *c, int64_t circle_id, const char *kind, int64_t subject, rp_time at,
                   const char *from, const char *to, rp_err *e) {
  store_circle_event ev = {0, circle_id, c->actor, subject, kind, from, to, at, c->now};
  return store_circle_event_insert(c->st, &ev, e);
}

/* Resolves an optional `at`: not in the future, not before the circle. */
static rp_rc when(app_ctx *c, const app_circle *ci, const rp_time *at, rp_time *out, rp_err *e) {
  *out = at ? *at : c->now;
  if (*out > c->now || *out < ci->c.proposed_at) {
    rp_field(e, "/at", "The time may not be in the future nor before the circle was formed.");
    return e->rc;
  }
  return RP_OK;
}

static rp_rc in_program(app_ctx *c, int64_t program_id, int64_t person_id, const char *pointer,
                        rp_err *e) {
  bool g = false, l = false;
  rp_rc rc = store_membership_has(c->st, program_id, person_id, ROLE_GUIDE, &g, e);
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_LEARNER, &l, e);
  if (!rc && !g && !l) {
    rp_field(e, pointer, "Not a member of the program.");
    rc = e->rc;
  }
  return rc;
}

/* ---- forming, membership, states ---- */

static rp_rc form_check(app_ctx *c, const app_circle_form_in *in, rp_err *e) {
  size_t len = in->name ? strlen(in->name) : 0;
  if (len < 1 || len > CIRCLE_NAME_MAX) rp_field(e, "/name", "Name the circle (1 to %d bytes).", CIRCLE_NAME_MAX);
  circle_size_check(in->nmembers, "/member_ids", e);
  for (size_t i = 0; i < in->nmembers; i++) {
    for (size_t k = 0; k < i; k++)
      if (in->member_ids[k] == in->member_ids[i]) rp_field(e, "/member_ids", "A member is named twice.");
    if (in->member_ids[i] == in->facilitator_id)
      rp_field(e, "/facilitator_id", "The facilitator is not also a member.");
  }
  if (e->rc) return e->rc;
  rp_rc rc = RP_OK;
  for (size_t i = 0; !rc && i < in->nmembers; i++)
    rc = in_program(c, in->program_id, in->member_ids[i], "/member_ids", e);
  if (!rc && in->facilitator_id) rc = in_program(c, in->program_id, in->facilitator_id, "/facilitator_id", e);
  return rc;
}

rp_rc app_circle_create(app_ctx *c, const app_circle_form_in *in, const program *p, int64_t *id,
                        rp_err *e) {
  rp_rc rc = form_check(c, in, e);
  store_circle ci = {0};
  if (!rc) {
    ci.program_id = in->program_id;
    ci.name = in->name;
    ci.state = REL_PROPOSED;
    ci.cadence_days = in->cadence_days ? in->cadence_days : p->settings.cadence_days;
    ci.proposed_by = c->actor;
    ci.proposed_at = ci.state_since = c->now;
    rc = store_circle_insert(c->st, &ci, e);
  }
  for (size_t i = 0; !rc && i < in->nmembers; i++) {
    store_circle_member m = {in->member_ids[i], NULL, CIRCLE_MEMBER, false, c->now, 0};
    rc = store_circle_member_add(c->st, ci.id, &m, e);
  }
  if (!rc && in->facilitator_id) {
    store_circle_member m = {in->facilitator_id, NULL, CIRCLE_FACILITATOR, false, c->now, 0};
    rc = store_circle_member_add(c->st, ci.id, &m, e);
  }
  if (!rc) rc = event(c, ci.id, "proposed", 0, c->now, NULL, "proposed", e);
  *id = ci.id;
  return rc;
}

rp_rc app_circle_form(app_ctx *c, const app_circle_form_in *in, app_circle *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  bool admin = false;
  program p;
  rc = store_program_get(c->st, in->program_id, c->a, &p, e);
  if (!rc) rc = app_is_program_admin(c, in->program_id, &admin, e);
  if (rc == RP_ERR_NOT_FOUND || (!rc && !admin))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  int64_t id = 0;
  if (!rc) rc = app_circle_create(c, in, &p, &id, e);
  if (!rc) rc = app_circle_load(c, id, false, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_get(app_ctx *c, int64_t id, app_circle *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_circle_load(c, id, false, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circles_mine(app_ctx *c, int64_t after, int limit, store_circle **items, size_t *n,
                       int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_circles_of_person(c->st, c->actor, after, app_page_limit(limit), c->a, items, n,
                               next, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circles_of_program(app_ctx *c, int64_t program_id, int64_t after, int limit,
                             store_circle **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  bool admin = false;
  program p;
  rc = store_program_get(c->st, program_id, c->a, &p, e);
  if (!rc) rc = app_is_program_admin(c, program_id, &admin, e);
  if (rc == RP_ERR_NOT_FOUND || (!rc && !admin))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  if (!rc)
    rc = store_circles_of_program(c->st, program_id, after, app_page_limit(limit), c->a, items, n,
                                  next, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_accept(app_ctx *c, int64_t id, app_circle *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_circle_load(c, id, true, out, e);
  const store_circle_member *me = rc ? NULL : member_of(out, c->actor);
  if (!rc && (out->c.state != REL_PROPOSED || me->left_at))
    rc = rp_fail(e, RP_ERR_CONFLICT, "circle_state", "Only a proposed circle is accepted.");
  if (!rc && me->accepted)
    rc = rp_fail(e, RP_ERR_CONFLICT, "already_accepted", "You have accepted already.");
  if (!rc) rc = store_circle_member_accept(c->st, id, c->actor, e);
  if (!rc) rc = event(c, id, "accepted", c->actor, c->now, NULL, NULL, e);
  bool all = true;
  for (size_t i = 0; !rc && i < out->nmembers; i++)
    if (out->members[i].person_id != c->actor && !out->members[i].accepted &&
        !out->members[i].left_at)
      all = false;
  if (!rc && all) {
    rc = store_circle_set_state(c->st, id, REL_ACTIVE, c->now, e);
    if (!rc) rc = event(c, id, "state_changed", 0, c->now, "proposed", "active", e);
  }
  if (!rc) rc = app_circle_load(c, id, true, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_transition(app_ctx *c, int64_t id, circle_state to, app_circle *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_circle_load(c, id, false, out, e);
  bool may = false;
  if (!rc) {
    bool current = out->viewer_in && circle_is_current(&out->viewer);
    if (!out->viewer_in) may = true; /* load let only the program's admins through */
    else if (out->facilitator_id) may = out->facilitator_id == c->actor;
    else may = current;
    if (!may) rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "The facilitator or an admin moves the circle.");
  }
  if (!rc && !circle_transition_allowed(out->c.state, to))
    rc = rp_fail(e, RP_ERR_CONFLICT, "invalid_transition", "A circle that is %s cannot become %s.",
                 rel_state_name(out->c.state), rel_state_name(to));
  if (!rc && to == REL_ACTIVE && current_members(out) < CIRCLE_MIN_MEMBERS)
    rc = rp_fail(e, RP_ERR_CONFLICT, "too_few_members", "A circle needs %d members to meet.",
                 CIRCLE_MIN_MEMBERS);
  const char *from = rc ? NULL : rel_state_name(out->c.state);
  if (!rc) rc = store_circle_set_state(c->st, id, to, c->now, e);
  if (!rc) rc = event(c, id, "state_changed", 0, c->now, from, rel_state_name(to), e);
  if (!rc) rc = app_circle_load(c, id, false, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_leave(app_ctx *c, int64_t id, app_circle *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_circle_load(c, id, true, out, e);
  if (!rc && !circle_is_current(&out->viewer))
    rc = rp_fail(e, RP_ERR_CONFLICT, "left_circle", "You have left this circle already.");
  if (!rc && (out->c.state == REL_COMPLETED || out->c.state == REL_ENDED))
    rc = rp_fail(e, RP_ERR_CONFLICT, "circle_state", "The circle is %s.", rel_state_name(out->c.state));
  if (!rc) rc = store_circle_member_leave(c->st, id, c->actor, c->now, e);
  if (!rc) rc = event(c, id, "member_left", c->actor, c->now, NULL, NULL, e);
  if (!rc) rc = app_circle_load(c, id, true, out, e);
  if (!rc && out->c.state == REL_ACTIVE && current_members(out) < CIRCLE_MIN_MEMBERS) {
    rc = store_circle_set_state(c->st, id, REL_PAUSED, c->now, e);
    if (!rc) rc = event(c, id, "state_changed", 0, c->now, "active", "paused", e);
    if (!rc) rc = app_circle_load(c, id, true, out, e);
  }
  return app_finish(c, rc, e);
}

rp_rc app_circle_add_member(app_ctx *c, int64_t id, int64_t person_id, app_circle *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_circle_load(c, id, false, out, e);
  if (!rc && out->viewer_in && out->facilitator_id != c->actor)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "The facilitator adds members.");
  if (!rc && out->c.state != REL_ACTIVE)
    rc = rp_fail(e, RP_ERR_CONFLICT, "circle_state", "Members are added while the circle is active.");
  if (!rc && member_of(out, person_id))
    rc = rp_fail(e, RP_ERR_CONFLICT, "already_member", "They are or were in this circle.");
  if (!rc && current_members(out) >= CIRCLE_MAX_MEMBERS)
    rc = rp_fail(e, RP_ERR_CONFLICT, "circle_full", "A circle has at most %d members.",
                 CIRCLE_MAX_MEMBERS);
  if (!rc) rc = in_program(c, out->c.program_id, person_id, "/person_id", e);
  if (!rc) {
    store_circle_member m = {person_id, NULL, CIRCLE_MEMBER, true, c->now, 0};
    rc = store_circle_member_add(c->st, id, &m, e);
  }
  if (!rc) rc = event(c, id, "member_added", person_id, c->now, NULL, NULL, e);
  if (!rc) rc = app_circle_load(c, id, false, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_both_in(app_ctx *c, int64_t id, int64_t person_id, bool *out,
                         int64_t *program_id, rp_err *e) {
  *out = false;
  *program_id = 0;
  store_circle ci;
  store_circle_member *m;
  size_t n = 0;
  rp_rc rc = store_circle_get(c->st, id, c->a, &ci, e);
  if (!rc) rc = store_circle_members(c->st, id, c->a, &m, &n, e);
  if (rc == RP_ERR_NOT_FOUND) {
    rp_err_reset(e);
    return RP_OK;
  }
  bool actor = false, other = false;
  for (size_t i = 0; i < n && !rc; i++) {
    if (!m[i].accepted || m[i].left_at) continue;
    actor = actor || m[i].person_id == c->actor;
    other = other || m[i].person_id == person_id;
  }
  *out = !rc && actor && other && c->actor != person_id;
  if (*out) *program_id = ci.program_id;
  return rc;
}

rp_rc app_circle_events(app_ctx *c, int64_t id, int64_t after, int limit,
                        store_circle_event **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rc = app_circle_load(c, id, false, &ci, e);
  if (!rc) rc = store_circle_events(c->st, id, after, app_page_limit(limit), c->a, items, n, next, e);
  /* A member who left sees the history up to their leaving, no more (a
   * page may then be short; `next` still leads on). */
  if (!rc && ci.viewer_in && ci.viewer.left_at) {
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
      if ((*items)[i].recorded_at < ci.viewer.left_at ||
          ((*items)[i].recorded_at == ci.viewer.left_at && (*items)[i].subject_id == c->actor &&
           strcmp((*items)[i].kind, "member_left") == 0))
        (*items)[k++] = (*items)[i];
    *n = k;
  }
  store_rollback(c->st);
  return rc;
}

/* ---- the agreement ---- */

static rp_rc agreement_view(app_ctx *c, app_circle *ci, app_circle_agreement *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  store_circle_agreement ag;
  rp_rc rc = store_circle_agreement_latest(c->st, ci->c.id, c->a, &ag, e);
  if (rc == RP_ERR_NOT_FOUND) return rp_fail(e, rc, "not_found", "The circle has no agreement yet.");
  if (!rc && !circle_text_readable(&ci->viewer, c->actor, ag.author_id, true, ag.created_at) &&
      !circle_is_current(&ci->viewer))
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "The circle has no agreement you may read.");
  out->version = ag.version;
  out->cadence_days = ag.cadence_days;
  out->created_at = ag.created_at;
  if (!rc) rc = store_circle_acks(c->st, ag.id, c->a, &out->acknowledged_by, &out->nacknowledged, e);
  if (!rc) rc = fill_counts(c, ci, e);
  out->in_force = ci->agreement_in_force;
  seal_ad ad = {SEAL_AGREEMENT, owner_of(ci->c.id), ag.id, ag.author_id, false};
  if (!rc) rc = app_open(c, &ad, ag.text, &out->text, e);
  return rc;
}

rp_rc app_circle_agreement_put(app_ctx *c, int64_t id, const char *text, int cadence_days,
                               app_circle_agreement *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rc = circle_text_check(text, "/text", e);
  if (!rc && (cadence_days < 1 || cadence_days > 365)) {
    rp_field(e, "/cadence_days", "Between 1 and 365 days.");
    rc = e->rc;
  }
  if (!rc) rc = load_writer(c, id, &ci, e);
  store_circle_agreement ag = {0};
  if (!rc) {
    ag.circle_id = id;
    ag.version = ci.agreement_version + 1;
    ag.cadence_days = cadence_days;
    ag.author_id = c->actor;
    ag.created_at = c->now;
    ag.text = APP_SEAL_PENDING;
    rc = store_circle_agreement_insert(c->st, &ag, e);
  }
  rp_blob b;
  seal_ad ad = {SEAL_AGREEMENT, owner_of(id), ag.id, c->actor, false};
  if (!rc) rc = app_seal(c, &ad, text, strlen(text), &b, e);
  if (!rc) rc = store_circle_agreement_set_text(c->st, ag.id, b, e);
  /* Its author acknowledges what they wrote. */
  if (!rc && ci.viewer.role == CIRCLE_MEMBER) rc = store_circle_ack_insert(c->st, ag.id, c->actor, c->now, e);
  if (!rc) rc = event(c, id, "agreement_proposed", ag.id, c->now, NULL, NULL, e);
  if (!rc) rc = agreement_view(c, &ci, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_agreement_get(app_ctx *c, int64_t id, app_circle_agreement *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rc = app_circle_load(c, id, true, &ci, e);
  if (!rc) rc = agreement_view(c, &ci, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_circle_agreement_ack(app_ctx *c, int64_t id, int version, app_circle_agreement *out,
                               rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rc = load_writer(c, id, &ci, e);
  store_circle_agreement ag;
  if (!rc) rc = store_circle_agreement_latest(c->st, id, c->a, &ag, e);
  if (rc == RP_ERR_NOT_FOUND) rc = rp_fail(e, rc, "not_found", "The circle has no agreement yet.");
  if (!rc && ag.version != version)
    rc = rp_fail(e, RP_ERR_CONFLICT, "stale_version", "The agreement is at version %d now.", ag.version);
  if (!rc && ci.viewer.role != CIRCLE_MEMBER)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Members acknowledge the agreement.");
  if (!rc) rc = store_circle_ack_insert(c->st, ag.id, c->actor, c->now, e);
  if (!rc) rc = event(c, id, "agreement_acknowledged", ag.id, c->now, NULL, NULL, e);
  if (!rc) rc = agreement_view(c, &ci, out, e);
  return app_finish(c, rc, e);
}

/* ---- check-ins ---- */

rp_rc app_circle_checkin_add(app_ctx *c, int64_t id, const rp_time *at, const app_circle_mark *marks,
                             size_t n, app_circle_checkin *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rc = load_writer(c, id, &ci, e);
  rp_time held = 0;
  if (!rc) rc = when(c, &ci, at, &held, e);
  /* Every member in the circle at `held`, once each, and nobody else. */
  for (size_t i = 0; !rc && i < ci.nmembers; i++) {
    const store_circle_member *m = &ci.members[i];
    if (m->role != CIRCLE_MEMBER || m->joined_at > held || (m->left_at && m->left_at <= held)) continue;
    size_t seen = 0;
    for (size_t k = 0; k < n; k++) seen += marks[k].person_id == m->person_id;
    if (seen != 1) {
      rp_field(e, "/attendance", "Give each member's attendance once.");
      rc = e->rc;
    }
  }
  for (size_t k = 0; !rc && k < n; k++) {
    const store_circle_member *m = member_of(&ci, marks[k].person_id);
    if (!m || m->role != CIRCLE_MEMBER || m->joined_at > held || (m->left_at && m->left_at <= held)) {
      rp_field(e, "/attendance", "Only the circle's members attend.");
      rc = e->rc;
    }
  }
  memset(out, 0, sizeof *out);
  out->ck = (store_circle_checkin){0, id, c->actor, held, c->now};
  if (!rc) rc = store_circle_checkin_insert(c->st, &out->ck, e);
  for (size_t k = 0; !rc && k < n; k++)
    rc = store_circle_attendance_insert(c->st, out->ck.id, marks[k].person_id, marks[k].status, e);
  if (!rc) rc = event(c, id, "checkin_recorded", out->ck.id, held, NULL, NULL, e);
  if (!rc) {
    out->marks = arena_zalloc(c->a, sizeof *out->marks * (n ? n : 1));
    memcpy(out->marks, marks, sizeof *marks * n);
    out->nmarks = n;
  }
  return app_finish(c, rc, e);
}

rp_rc app_circle_checkins(app_ctx *c, int64_t id, app_circle_checkin **items, size_t *n,
                          rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_checkin *cks = NULL;
  store_circle_attendance *att = NULL;
  size_t nck = 0, natt = 0;
  rc = app_circle_load(c, id, true, &ci, e);
  if (!rc) rc = store_circle_checkins(c->st, id, c->a, &cks, &nck, e);
  if (!rc) rc = store_circle_attendances(c->st, id, c->a, &att, &natt, e);
  app_circle_checkin *v = arena_zalloc(c->a, sizeof *v * (nck ? nck : 1));
  *n = 0;
  for (size_t i = 0; !rc && i < nck; i++) {
    if (!circle_text_readable(&ci.viewer, c->actor, 0, true, cks[i].recorded_at)) continue;
    app_circle_checkin *o = &v[(*n)++];
    o->ck = cks[i];
    o->marks = arena_zalloc(c->a, sizeof *o->marks * (natt ? natt : 1));
    for (size_t k = 0; k < natt; k++)
      if (att[k].checkin_id == cks[i].id)
        o->marks[o->nmarks++] = (app_circle_mark){att[k].person_id, att[k].status};
  }
  *items = v;
  store_rollback(c->st);
  return rc;
}

/* ---- what members write ---- */

static rp_rc open_item(app_ctx *c, const store_circle_item *it, app_circle_item *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->it = *it;
  rp_rc rc = RP_OK;
  if (it->kind == CIRCLE_INCIDENT) { /* acknowledged: its repair plan exists */
    store_circle_repair p;
    rc = store_circle_repair_of_incident(c->st, it->id, c->a, &p, e);
    if (rc == RP_ERR_NOT_FOUND) {
      rp_err_reset(e);
      rc = RP_OK;
    } else if (!rc) {
      out->repair_plan_id = p.plan.id;
      out->acknowledged_at = p.plan.opened_at;
    }
  }
  if (rc || it->text.len == 0) return rc; /* shredded: nothing to open */
  seal_ad ad = {(seal_kind)circle_item_seal_kind(it->kind), owner_of(it->circle_id), it->id,
                it->author_id, !it->shared || it->author_sealed};
  return app_open(c, &ad, it->text, &out->text, e);
}

static const char *const g_feedback_kinds[] = {"recognition", "constructive", NULL};
static const char *const g_focus[] = {"task", "person", NULL};
static const char *const g_incident_kinds[] = {"confidentiality", "bias", "judgment", "other", NULL};

static bool one_of(const char *const *names, const char *v) {
  for (size_t i = 0; v && names[i]; i++)
    if (strcmp(names[i], v) == 0) return true;
  return false;
}

/* The rules of each kind beyond its text. */
static rp_rc item_check(app_ctx *c, const app_circle *ci, const app_circle_item_in *in,
                        rp_time created, rp_err *e) {
  switch (in->kind) {
  case CIRCLE_FEEDBACK: {
    const store_circle_member *to = member_of(ci, in->subject_id);
    if (!to || to->role != CIRCLE_MEMBER || to->left_at || in->subject_id == c->actor)
      rp_field(e, "/to_id", "Feedback goes to another member of the circle.");
    if (!one_of(g_feedback_kinds, in->label)) rp_field(e, "/kind", "recognition or constructive.");
    if (!one_of(g_focus, in->focus)) rp_field(e, "/focus", "task or person.");
    break;
  }
  case CIRCLE_REPLY: {
    store_circle_item q;
    rp_rc rc = store_circle_item_get(c->st, in->parent_id, c->a, &q, e);
    if (rc == RP_ERR_NOT_FOUND ||
        (!rc && (q.circle_id != ci->c.id || q.kind != CIRCLE_REQUEST ||
                 !circle_text_readable(&ci->viewer, c->actor, q.author_id, true, q.recorded_at))))
      return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such request.");
    if (rc) return rc;
    if (q.author_id == c->actor)
      return rp_fail(e, RP_ERR_CONFLICT, "own_request", "Another member answers your request.");
    break;
  }
  case CIRCLE_COMMITMENT:
    if (in->due_at <= created) rp_field(e, "/due_at", "A commitment is due after it is made.");
    break;
  case CIRCLE_INCIDENT: {
    if (!one_of(g_incident_kinds, in->label))
      rp_field(e, "/kind", "confidentiality, bias, judgment or other.");
    const store_circle_member *who = in->subject_id ? member_of(ci, in->subject_id) : NULL;
    if (in->subject_id && (!who || who->role != CIRCLE_MEMBER || who->left_at))
      rp_field(e, "/concerning_id", "A member of the circle.");
    break;
  }
  default:
    break;
  }
  return e->rc;
}

static const char *initial_label(const app_circle_item_in *in) {
  switch (in->kind) {
  case CIRCLE_COMMITMENT: return "open";
  case CIRCLE_GOAL: return "active";
  case CIRCLE_FEEDBACK:
  case CIRCLE_INCIDENT: return in->label;
  default: return NULL;
  }
}

rp_rc app_circle_item_add(app_ctx *c, int64_t id, const app_circle_item_in *in,
                          app_circle_item *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  rp_time created = 0;
  rc = circle_text_check(in->text, "/text", e);
  if (!rc && in->kind == CIRCLE_REPLY) { /* a reply's circle is its request's */
    store_circle_item q;
    rc = store_circle_item_get(c->st, in->parent_id, c->a, &q, e);
    if (rc == RP_ERR_NOT_FOUND) rc = rp_fail(e, rc, "not_found", "No such request.");
    id = rc ? 0 : q.circle_id;
  }
  if (!rc) rc = load_writer(c, id, &ci, e);
  if (!rc) rc = when(c, &ci, in->at, &created, e);
  if (!rc) rc = item_check(c, &ci, in, created, e);
  store_circle_item it = {0};
  if (!rc) {
    it.circle_id = id;
    it.kind = in->kind;
    it.author_id = c->actor;
    it.subject_id = in->kind == CIRCLE_FEEDBACK || in->kind == CIRCLE_INCIDENT ? in->subject_id
                    : in->kind == CIRCLE_GOAL || in->kind == CIRCLE_COMMITMENT ? c->actor : 0;
    it.parent_id = in->kind == CIRCLE_REPLY ? in->parent_id : 0;
    it.shared = in->kind != CIRCLE_NOTE || in->shared;
    it.label = initial_label(in);
    it.focus = in->kind == CIRCLE_FEEDBACK ? in->focus : NULL;
    it.due_at = in->kind == CIRCLE_COMMITMENT ? in->due_at : 0;
    it.created_at = created;
    it.recorded_at = c->now;
    it.author_sealed = true; /* its author's own key: their account's deletion shreds it */
    it.text = APP_SEAL_PENDING;
    rc = store_circle_item_insert(c->st, &it, e);
  }
  rp_blob b;
  seal_ad ad = {(seal_kind)circle_item_seal_kind(in->kind), owner_of(id), it.id, c->actor, true};
  if (!rc) rc = app_seal(c, &ad, in->text, strlen(in->text), &b, e);
  if (!rc) rc = store_circle_item_set_text(c->st, it.id, b, e);
  if (!rc && it.shared)
    rc = event(c, id,
               in->kind == CIRCLE_INCIDENT ? "incident_reported"
                                           : arena_printf(c->a, "%s_added", circle_item_kind_name(in->kind)),
               it.id, created, NULL, NULL, e);
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->it = it;
    out->text = arena_strdup(c->a, in->text);
  }
  return app_finish(c, rc, e);
}

rp_rc app_circle_items(app_ctx *c, int64_t id, circle_item_kind k, app_circle_item **items,
                       size_t *n, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_item *rows = NULL;
  size_t nrows = 0;
  rc = app_circle_load(c, id, true, &ci, e);
  if (!rc) rc = store_circle_items(c->st, id, (int)k, c->a, &rows, &nrows, e);
  app_circle_item *v = arena_zalloc(c->a, sizeof *v * (nrows ? nrows : 1));
  *n = 0;
  for (size_t i = 0; !rc && i < nrows; i++) {
    if (!circle_text_readable(&ci.viewer, c->actor, rows[i].author_id, rows[i].shared,
                              rows[i].recorded_at))
      continue;
    rc = open_item(c, &rows[i], &v[(*n)++], e);
  }
  *items = v;
  store_rollback(c->st);
  return rc;
}

static rp_rc load_item(app_ctx *c, int64_t item_id, app_circle *ci, store_circle_item *it, rp_err *e) {
  rp_rc rc = store_circle_item_get(c->st, item_id, c->a, it, e);
  if (!rc) rc = app_circle_load(c, it->circle_id, true, ci, e);
  if (!rc && !circle_text_readable(&ci->viewer, c->actor, it->author_id, it->shared, it->recorded_at))
    rc = RP_ERR_NOT_FOUND;
  if (rc == RP_ERR_NOT_FOUND) rc = rp_fail(e, rc, "not_found", "No such item.");
  return rc;
}

rp_rc app_circle_item_get(app_ctx *c, int64_t item_id, app_circle_item *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_item it;
  rc = load_item(c, item_id, &ci, &it, e);
  if (!rc) rc = open_item(c, &it, out, e);
  store_rollback(c->st);
  return rc;
}

static const char *const g_commit_outcomes[] = {"kept", "kept_late", "broken", "dropped", NULL};
static const char *const g_goal_outcomes[] = {"achieved", "dropped", NULL};

rp_rc app_circle_item_close(app_ctx *c, int64_t item_id, const char *label, const rp_time *at,
                            app_circle_item *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_item it;
  rp_time closed = 0;
  rc = load_item(c, item_id, &ci, &it, e);
  if (!rc && !circle_is_current(&ci.viewer)) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such item.");
  if (!rc && it.kind != CIRCLE_COMMITMENT && it.kind != CIRCLE_GOAL)
    rc = rp_fail(e, RP_ERR_CONFLICT, "not_closable", "Only commitments and goals are closed.");
  bool may = !rc && (it.author_id == c->actor ||
                     (it.kind == CIRCLE_COMMITMENT && ci.facilitator_id == c->actor));
  if (!rc && !may) rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Its owner closes it.");
  if (!rc && it.closed_at) rc = rp_fail(e, RP_ERR_CONFLICT, "closed", "It is closed already.");
  if (!rc && !one_of(it.kind == CIRCLE_COMMITMENT ? g_commit_outcomes : g_goal_outcomes, label)) {
    rp_field(e, "/outcome", "Not an outcome of a %s.", circle_item_kind_name(it.kind));
    rc = e->rc;
  }
  if (!rc) rc = when(c, &ci, at, &closed, e);
  if (!rc && closed < it.created_at) {
    rp_field(e, "/at", "The time may not be before the item.");
    rc = e->rc;
  }
  /* "kept" after the due time is kept late, as for a pair's commitment */
  if (!rc && it.kind == CIRCLE_COMMITMENT && strcmp(label, "kept") == 0 && closed > it.due_at)
    label = "kept_late";
  if (!rc) rc = store_circle_item_close(c->st, item_id, label, closed, e);
  if (!rc) rc = event(c, it.circle_id, arena_printf(c->a, "%s_closed", circle_item_kind_name(it.kind)),
                      item_id, closed, NULL, label, e);
  if (!rc) {
    it.label = label;
    it.closed_at = closed;
    rc = open_item(c, &it, out, e);
  }
  return app_finish(c, rc, e);
}

/* ---- pages ---- */

size_t app_circle_page(const int64_t *ids, size_t n, int64_t after, int limit, size_t *first,
                       int64_t *next) {
  size_t i = 0, lim = (size_t)app_page_limit(limit);
  while (i < n && ids[i] <= after) i++;
  size_t k = n - i < lim ? n - i : lim;
  *first = i;
  *next = i + k < n ? ids[i + k - 1] : 0;
  return k;
}

rp_rc app_circle_items_page(app_ctx *c, int64_t id, circle_item_kind k, int64_t after, int limit,
                            app_circle_item **items, size_t *n, int64_t *next, rp_err *e) {
  app_circle_item *all;
  size_t nall = 0, first = 0;
  *n = 0;
  *next = 0;
  rp_rc rc = app_circle_items(c, id, k, &all, &nall, e);
  if (rc) return rc;
  int64_t *ids = arena_zalloc(c->a, sizeof *ids * (nall ? nall : 1));
  for (size_t i = 0; i < nall; i++) ids[i] = all[i].it.id;
  *n = app_circle_page(ids, nall, after, limit, &first, next);
  *items = all + first;
  return RP_OK;
}

static int by_checkin_id(const void *pa, const void *pb) {
  const app_circle_checkin *a = pa, *b = pb;
  return (a->ck.id > b->ck.id) - (a->ck.id < b->ck.id);
}

rp_rc app_circle_checkins_page(app_ctx *c, int64_t id, int64_t after, int limit,
                               app_circle_checkin **items, size_t *n, int64_t *next, rp_err *e) {
  app_circle_checkin *all;
  size_t nall = 0, first = 0;
  *n = 0;
  *next = 0;
  rp_rc rc = app_circle_checkins(c, id, &all, &nall, e);
  if (rc) return rc;
  qsort(all, nall, sizeof *all, by_checkin_id); /* pages go by id, as a pair's check-ins */
  int64_t *ids = arena_zalloc(c->a, sizeof *ids * (nall ? nall : 1));
  for (size_t i = 0; i < nall; i++) ids[i] = all[i].ck.id;
  *n = app_circle_page(ids, nall, after, limit, &first, next);
  *items = all + first;
  return RP_OK;
}

/* ---- for the other files of the room (internal.h) ---- */

rp_rc app_circle_load_writer(app_ctx *c, int64_t id, app_circle *ci, rp_err *e) {
  return load_writer(c, id, ci, e);
}

rp_rc app_circle_event(app_ctx *c, int64_t circle_id, const char *kind, int64_t subject, rp_time at,
                       const char *from, const char *to, rp_err *e) {
  return event(c, circle_id, kind, subject, at, from, to, e);
}

rp_rc app_circle_when(app_ctx *c, const app_circle *ci, const rp_time *at, rp_time *out, rp_err *e) {
  return when(c, ci, at, out, e);
}

const store_circle_member *app_circle_member_of(const app_circle *ci, int64_t person_id) {
  return member_of(ci, person_id);
}

rp_rc app_circle_open_item(app_ctx *c, const store_circle_item *it, app_circle_item *out, rp_err *e) {
  return open_item(c, it, out, e);
}

rp_rc app_circle_load_item(app_ctx *c, int64_t item_id, app_circle *ci, store_circle_item *it,
                           rp_err *e) {
  return load_item(c, item_id, ci, it, e);
}
