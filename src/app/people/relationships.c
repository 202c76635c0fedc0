/* relationships.c: proposing, reading and moving relationships. */
#include "app/people/people.h"
#include "crypto/seal.h"

#include <string.h>

/* The proposer must be an admin of the program or one of the two parties;
 * the guide must hold the guide role and the learner the learner role. */
static rp_rc check_proposal(app_ctx *c, int64_t program_id, int64_t guide, int64_t learner,
                            rp_err *e) {
  bool admin = false, is_guide = false, is_learner = false;
  rp_rc rc = app_is_program_admin(c, program_id, &admin, e);
  if (!rc) rc = store_membership_has(c->st, program_id, guide, ROLE_GUIDE, &is_guide, e);
  if (!rc) rc = store_membership_has(c->st, program_id, learner, ROLE_LEARNER, &is_learner, e);
  if (rc) return rc;
  bool party = c->actor == guide || c->actor == learner;
  bool actor_member = admin || (party && (c->actor == guide ? is_guide : is_learner));
  if (!actor_member) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  if (guide == learner) rp_field(e, "/learner_id", "The learner must be another person.");
  if (!is_guide) rp_field(e, "/guide_id", "This person is not a guide in the program.");
  if (!is_learner) rp_field(e, "/learner_id", "This person is not a learner in the program.");
  return e->rc;
}

rp_rc app_relationship_propose(app_ctx *c, int64_t program_id, int64_t guide, int64_t learner,
                               const rp_time *at, relationship *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  program p;
  rc = store_program_get(c->st, program_id, c->a, &p, e);
  if (rc == RP_ERR_NOT_FOUND) rc = rp_fail(e, rc, "not_found", "No such program.");
  if (!rc) rc = check_proposal(c, program_id, guide, learner, e);
  bool exists = false;
  if (!rc) rc = store_relationship_open_exists(c->st, program_id, guide, learner, &exists, e);
  if (!rc && exists)
    rc = rp_fail(e, RP_ERR_CONFLICT, "relationship_exists",
                 "This guide and learner already have an open relationship in the program.");
  rp_time when = c->now;
  if (!rc && at) {
    if (*at > c->now) {
      rp_field(e, "/at", "The time may not be in the future.");
      rc = RP_ERR_INVALID;
    } else if (*at < p.created_at) {
      rp_field(e, "/at", "The time may not be before the program was created.");
      rc = RP_ERR_INVALID;
    } else {
      when = *at;
    }
  }
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->program_id = program_id;
    out->guide_id = guide;
    out->learner_id = learner;
    out->state = REL_PROPOSED;
    out->guide_accepted = c->actor == guide;
    out->learner_accepted = c->actor == learner;
    out->proposed_by = c->actor;
    out->proposed_at = when;
    out->state_since = when;
    rc = store_relationship_insert(c->st, out, e);
  }
  if (!rc) rc = app_event(c, out->id, "proposed", 0, when, NULL, "proposed", NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_relationship_get(app_ctx *c, int64_t id, app_rel_view *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  const char *guide = NULL, *learner = NULL;
  /* Read with the counts before the actor is admitted, which costs nothing
   * when they are not: only the answer is withheld. A request whose
   * session is not checked yet reads it in the same statement. */
  if (c->session_unchecked) {
    store_signed_in who;
    unsigned char key[32];
    app_session_key(c, key);
    rc = store_relationship_get_counted_as(c->st, key, id, &who, &out->rel, &out->counts, c->a,
                                           &guide, &learner, e);
    rc = app_session_admit(c, rc, &who, "relationship", e);
    if (!rc) rc = app_rel_admit(c, &out->rel, APP_NEED_META, &out->my_role, e);
  } else {
    rc = store_relationship_get_counted(c->st, id, c->actor, &out->rel, &out->counts, c->a,
                                        &guide, &learner, e);
    if (!rc) rc = app_rel_admit(c, &out->rel, APP_NEED_META, &out->my_role, e);
  }
  bool party = !rc && rel_role_is_party(out->my_role);
  /* Names are a courtesy, for the parties only: a party whose account is
   * gone leaves them out. */
  if (!rc && party && guide && learner) {
    out->guide_name = guide;
    out->learner_name = learner;
  }
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

rp_rc app_relationship_transition(app_ctx *c, int64_t id, rel_state to, const char *reason,
                                  const rp_time *at, relationship *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rel_role role;
  rel_change ch;
  rp_time when = c->now;
  rc = app_rel_load(c, id, APP_NEED_META, out, &role, e);
  if (!rc) rc = rel_transition(out, role, to, reason && *reason, &ch, e);
  if (!rc)
    rc = app_event_time_since(c, out, at, out->state_since, "the relationship's current state began",
                              &when, e);
  if (!rc) {
    out->guide_accepted = ch.guide_accepted;
    out->learner_accepted = ch.learner_accepted;
    if (ch.state_changed) {
      out->state = ch.to;
      out->state_since = when;
    }
    rc = store_relationship_update(c->st, out, e);
  }
  if (!rc)
    rc = app_event(c, id, ch.state_changed ? "transition" : "accepted", 0, when,
                   rel_state_name(ch.from), rel_state_name(ch.to), reason, e);
  return app_finish(c, rc, e);
}

rp_rc app_relationships_mine(app_ctx *c, int64_t after, int limit, relationship **items,
                             size_t *n, int64_t *next, rp_err *e) {
  return store_relationships_of_person(c->st, c->actor, after, app_page_limit(limit), c->a, items,
                                       n, next, e);
}

rp_rc app_relationship_events(app_ctx *c, int64_t id, int64_t after, int limit,
                              app_event_view **items, size_t *n, int64_t *next, rp_err *e) {
  relationship r;
  rel_role role;
  rel_event *evs;
  rp_rc rc = app_rel_load(c, id, APP_NEED_META, &r, &role, e);
  if (!rc) rc = store_events_list(c->st, id, rel_role_is_party(role) ? c->actor : 0, after,
                           app_page_limit(limit), c->a, &evs, n, next, e);
  if (rc) return rc;
  app_event_view *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; i < *n; i++) {
    v[i].ev = evs[i];
    if (evs[i].reason.len && rel_role_is_party(role)) {
      seal_ad ad = {SEAL_REASON, id, evs[i].id, evs[i].actor_id, false};
      rc = app_open(c, &ad, evs[i].reason, &v[i].reason, e);
      if (rc) return rc;
    }
  }
  *items = v;
  return RP_OK;
}
