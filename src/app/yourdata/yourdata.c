/* yourdata.c: the export of everything about me, account deletion and
 * relationship deletion (SECURITY.md promises 4, 5). Each needs a session
 * whose password was re-checked (app_require_confirmed, app/people/auth.c).
 *
 * Account deletion: in one write transaction my proposed relationships are
 * declined and my active and paused ones ended (each gets the transition
 * event and an "account_deleted" event, subject = my person id); what is
 * only mine is crypto-shredded (app_keys_shred_author: my private notes);
 * I leave every circle I am in and what I wrote in circles is shredded
 * (app_circles_forget_actor: in a group it is no one else's to keep);
 * my sessions, invitations, memberships, unsent mail and sign-in failures
 * are deleted; my person row becomes a tombstone ("Deleted member",
 * deleted-<id>@deleted.invalid, no password, not a site admin) so the
 * relationships, events and counts that name me stay consistent. What I
 * wrote for the other party (shared notes, feedback, requests, ...) stays
 * theirs to read. The last site admin may not delete themselves.
 *
 * Relationship deletion: either party once it is over (declined, ended,
 * alumni), a site admin at any time (erasure requests). Its keys and
 * ciphertext are shredded (app_keys_shred_relationship) and its row is
 * deleted with every row that belongs to it (the schema cascades) in one
 * write transaction; no tombstone remains, so program health counts no
 * longer include it. (app_finish checkpoints the write-ahead log after a
 * commit that destroyed keys, so no copy of the deleted pages stays in it;
 * the access log has no foreign keys and keeps its rows about it.)
 */
#include "app/yourdata/yourdata.h"
#include "app/circles/practice.h"
#include "app/matching/matching.h"
#include "base/log.h"
#include "store/yourdata.h"

#include <string.h>

/* ---- the export ---- */

/* old[0..nold) followed by add[0..nadd), in the arena. */
static void *grow(arena *a, void *old, size_t nold, const void *add, size_t nadd, size_t size) {
  if (nadd == 0) return old;
  char *p = arena_alloc(a, (nold + nadd) * size);
  if (nold) memcpy(p, old, nold * size);
  memcpy(p + nold * size, add, nadd * size);
  return p;
}

/* Collects every page of a list action into items/count: CALL uses after_
 * as the cursor and fills page_, np_ and next_. */
#define GATHER(T, items, count, CALL)                                                           \
  do {                                                                                          \
    int64_t after_ = 0, next_ = 0;                                                              \
    do {                                                                                        \
      T *page_ = NULL;                                                                          \
      size_t np_ = 0;                                                                           \
      next_ = 0;                                                                                \
      rc = (CALL);                                                                              \
      if (rc) break;                                                                            \
      items = grow(c->a, items, count, page_, np_, sizeof(T));                                  \
      count += np_;                                                                             \
      if (next_ <= after_) break; /* a cursor must move on */                                   \
      after_ = next_;                                                                           \
    } while (1);                                                                                \
  } while (0)

static rp_rc export_rel(app_ctx *c, const relationship *r, app_export_rel *x, rp_err *e) {
  rp_rc rc = RP_OK;
  int64_t id = r->id;
  memset(x, 0, sizeof *x);
  x->rel = *r;
  GATHER(app_event_view, x->events, x->nevents,
         app_relationship_events(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_agreement, x->agreements, x->nagreements,
           app_agreement_versions(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(checkin, x->checkins, x->ncheckins,
           app_checkins_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_commitment_view, x->commitments, x->ncommitments,
           app_commitments_list(c, id, STORE_COMMITMENTS_ALL, after_, APP_PAGE_MAX, &page_, &np_,
                                &next_, e));
  if (!rc)
    GATHER(app_goal_view, x->goals, x->ngoals,
           app_goals_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(store_goal_review, x->reviews, x->nreviews,
           app_goal_reviews_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_request_view, x->requests, x->nrequests,
           app_requests_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_feedback_view, x->feedback, x->nfeedback,
           app_feedback_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_note, x->notes, x->nnotes,
           app_notes_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(pulse, x->pulses, x->npulses,
           app_pulses_mine(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_incident_view, x->incidents, x->nincidents,
           app_incidents_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc)
    GATHER(app_repair_view, x->repairs, x->nrepairs,
           app_repair_plans_list(c, id, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc) rc = app_warnings_list(c, id, &x->warnings, &x->nwarnings, e);
  return rc;
}

/* rc, or RP_OK when it is RP_ERR_NOT_FOUND (then *found is false). */
static rp_rc unless_missing(rp_rc rc, bool *found, rp_err *e) {
  *found = rc == RP_OK;
  if (rc != RP_ERR_NOT_FOUND) return rc;
  rp_err_reset(e);
  return RP_OK;
}

static rp_rc export_circle(app_ctx *c, int64_t id, app_export_circle *x, rp_err *e) {
  rp_rc rc = app_circle_get(c, id, &x->circle, e);
  if (!rc) rc = unless_missing(app_circle_agreement_get(c, id, &x->agreement, e), &x->has_agreement, e);
  if (!rc) rc = app_circle_checkins(c, id, &x->checkins, &x->ncheckins, e);
  app_circle_item *kinds[CIRCLE_ITEM_KIND_COUNT];
  size_t nk[CIRCLE_ITEM_KIND_COUNT] = {0}, total = 0;
  for (int k = 0; !rc && k < CIRCLE_ITEM_KIND_COUNT; k++) {
    rc = app_circle_items(c, id, (circle_item_kind)k, &kinds[k], &nk[k], e);
    total += nk[k];
  }
  if (!rc) {
    x->items = arena_zalloc(c->a, sizeof *x->items * (total ? total : 1));
    for (int k = 0; k < CIRCLE_ITEM_KIND_COUNT; k++)
      for (size_t i = 0; i < nk[k]; i++) x->items[x->nitems++] = kinds[k][i];
  }
  if (!rc) rc = unless_missing(app_circle_pulse_get(c, id, &x->pulse, e), &x->has_pulse, e);
  return rc;
}

rp_rc app_export_mine(app_ctx *c, app_export *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->at = c->now;
  c->purpose = APP_PURPOSE_EXPORT;
  rp_rc rc = app_require_confirmed(c, e);
  if (rc) return rc;
  rc = store_begin_read(c->st, e); /* joins the request's transaction when there is one */
  if (rc) return rc;
  rc = store_person_get(c->st, c->actor, c->a, &out->me.who, e);
  if (!rc) rc = store_roles_of(c->st, c->actor, c->a, &out->me.roles, &out->me.nroles, e);
  if (!rc)
    rc = app_match_export(c, &out->match_profiles, &out->nmatch_profiles, &out->match_requests,
                          &out->nmatch_requests, e); /* app/matching */
  if (!rc)
    GATHER(store_session, out->sessions, out->nsessions,
           app_sessions_list(c, c->token, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  relationship *rels = NULL;
  size_t nrels = 0;
  if (!rc)
    GATHER(relationship, rels, nrels,
           app_relationships_mine(c, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc && nrels) {
    out->rels = arena_zalloc(c->a, nrels * sizeof *out->rels);
    for (size_t i = 0; !rc && i < nrels; i++) rc = export_rel(c, &rels[i], &out->rels[i], e);
    out->nrels = nrels;
  }
  store_circle *circles = NULL;
  size_t ncircles = 0;
  if (!rc)
    GATHER(store_circle, circles, ncircles,
           app_circles_mine(c, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc && ncircles) {
    out->circles = arena_zalloc(c->a, ncircles * sizeof *out->circles);
    for (size_t i = 0; !rc && i < ncircles; i++)
      rc = export_circle(c, circles[i].id, &out->circles[i], e);
    out->ncircles = ncircles;
  }
  if (!rc)
    GATHER(app_access_item, out->access, out->naccess,
           app_access_log_mine(c, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  store_f360 *reqs = NULL;
  if (!rc)
    GATHER(store_f360, reqs, out->nf360,
           app_f360_list(c, after_, APP_PAGE_MAX, &page_, &np_, &next_, e));
  if (!rc) {
    out->f360 = arena_zalloc(c->a, sizeof *out->f360 * (out->nf360 + 1));
    out->f360_reports = arena_zalloc(c->a, sizeof *out->f360_reports * (out->nf360 + 1));
  }
  for (size_t i = 0; !rc && i < out->nf360; i++) {
    rc = app_f360_get(c, reqs[i].id, &out->f360[i], e);
    if (!rc && reqs[i].closed) rc = app_f360_report(c, reqs[i].id, &out->f360_reports[i], e);
  }
  if (!rc) rc = store_alumni_of_person(c->st, c->actor, c->a, &out->alumni, &out->nalumni, e);
  store_rollback(c->st);
  return rc;
}

/* ---- account deletion ---- */

/* Declines or ends relationship r of the actor, who is deleting their
 * account, and records it; completed, alumni, declined and ended ones are
 * left as they are. */
static rp_rc close_for_deletion(app_ctx *c, relationship *r, rp_err *e) {
  rel_state to;
  switch (r->state) {
  case REL_PROPOSED: to = REL_DECLINED; break;
  case REL_ACTIVE:
  case REL_PAUSED: to = REL_ENDED; break;
  case REL_COMPLETED:
  case REL_ALUMNI:
  case REL_DECLINED:
  case REL_ENDED:
  default: return app_event(c, r->id, "account_deleted", c->actor, c->now, NULL, NULL, NULL, e);
  }
  /* the state machine's own rules, as for any party's transition; the
   * account's deletion is the reason */
  rel_change ch;
  rp_rc rc = rel_transition(r, rel_role_of(r, c->actor, false), to, true, &ch, e);
  if (!rc) {
    r->state = ch.to;
    r->state_since = c->now;
    rc = store_relationship_update(c->st, r, e);
  }
  if (!rc)
    rc = app_event(c, r->id, "transition", 0, c->now, rel_state_name(ch.from),
                   rel_state_name(ch.to), NULL, e);
  if (!rc) rc = app_event(c, r->id, "account_deleted", c->actor, c->now, NULL, NULL, NULL, e);
  return rc;
}

rp_rc app_account_delete(app_ctx *c, rp_err *e) {
  rp_rc rc = app_require_confirmed(c, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  person who;
  rc = store_person_get(c->st, c->actor, c->a, &who, e);
  if (!rc && who.is_site_admin) {
    int64_t others = 0;
    rc = store_site_admins_besides(c->st, c->actor, &others, e);
    if (!rc && others == 0)
      rc = rp_fail(e, RP_ERR_CONFLICT, "last_site_admin",
                   "You are the last site admin; make someone else a site admin first.");
  }
  /* Every relationship of mine, page by page (the states change as we go,
   * the ids and their order do not). */
  int64_t after = 0, next = 0;
  size_t nrels = 0;
  do {
    relationship *rels = NULL;
    size_t n = 0;
    next = 0;
    if (!rc)
      rc = store_relationships_of_person(c->st, c->actor, after, APP_PAGE_MAX, c->a, &rels, &n,
                                         &next, e);
    for (size_t i = 0; !rc && i < n; i++) rc = close_for_deletion(c, &rels[i], e);
    nrels += n;
    after = next;
  } while (!rc && next);
  size_t ncircles = 0;
  if (!rc) rc = app_circles_forget_actor(c, &ncircles, e); /* app/circles: leave, shred */
  if (!rc) rc = app_keys_shred_author(c, c->actor, e);
  if (!rc) rc = store_person_forget_access(c->st, c->actor, e);
  if (!rc) rc = app_match_forget(c, c->actor, who.email, e); /* app/matching */
  if (!rc) rc = store_outbox_forget(c->st, who.email, e);
  if (!rc) rc = store_login_failures_clear(c->st, who.email, e);
  if (!rc) {
    const char *email = arena_printf(c->a, "deleted-%lld@deleted.invalid", (long long)c->actor);
    rc = store_person_tombstone(c->st, c->actor, email, APP_DELETED_NAME, e);
  }
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  log_info("account %lld deleted by its owner (a party to %zu relationships, in %zu circles)",
           (long long)c->actor, nrels, ncircles);
  return RP_OK;
}

/* ---- relationship deletion ---- */

rp_rc app_relationship_delete(app_ctx *c, int64_t id, rp_err *e) {
  rp_rc rc = app_require_confirmed(c, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  relationship r;
  rc = store_relationship_get(c->st, id, &r, e);
  bool party = !rc && (r.guide_id == c->actor || r.learner_id == c->actor);
  if (!rc && !party && !c->site_admin) rc = RP_ERR_NOT_FOUND;
  if (rc == RP_ERR_NOT_FOUND)
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such relationship.");
  if (!rc && !c->site_admin && r.state != REL_DECLINED && r.state != REL_ENDED &&
      r.state != REL_ALUMNI)
    rc = rp_fail(e, RP_ERR_CONFLICT, "relationship_running",
                 "A relationship that is %s cannot be deleted; it can once it is declined, "
                 "ended or alumni.",
                 rel_state_name(r.state));
  if (!rc) rc = app_keys_shred_relationship(c, id, e);
  if (!rc) rc = store_relationship_delete(c->st, id, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  log_info("relationship %lld (program %lld) deleted by person %lld%s", (long long)id,
           (long long)r.program_id, (long long)c->actor, party ? "" : " (site admin)");
  return RP_OK;
}
