/* yourdata.h: the "your data" room of app/: what Rapport holds about a
 * person, across every other room (SECURITY.md promise 5).
 *
 * It owns the export of everything about the signed-in person, the
 * deletion of their account and the deletion (crypto-shredding) of a
 * relationship that is over. Each needs a re-checked session
 * (app_require_confirmed, app/people/people.h).
 *
 * It may call every room below it: the core, privacy, people, trust,
 * practices and matching. Only the top of app/ (app.h, jobs.c) and the faces call it.
 * practices and circles. Only the top of app/ (app.h, jobs.c) and the faces call it.
 */
#ifndef RAPPORT_APP_YOURDATA_YOURDATA_H
#define RAPPORT_APP_YOURDATA_YOURDATA_H

#include "app/circles/circles.h"
#include "app/core/core.h"
#include "app/matching/matching.h"
#include "app/feedback360/feedback360.h"
#include "app/people/people.h"
#include "app/practices/practices.h"
#include "app/privacy/privacy.h"
#include "app/trust/trust.h"
#include "store/alumni.h"
#include "store/org.h"

/* One relationship the person is a party to, with everything in it they
 * may read: every list complete (all pages). Notes are those they may
 * read (their own, private and shared, and the other party's shared
 * notes, never the other party's private ones); pulses only their own
 * (a pulse's answers are its rater's alone, app/practices/pulses.h). */
typedef struct app_export_rel {
  relationship rel;
  app_event_view *events;
  size_t nevents;
  app_agreement *agreements;
  size_t nagreements;
  checkin *checkins;
  size_t ncheckins;
  app_commitment_view *commitments;
  size_t ncommitments;
  app_goal_view *goals;
  size_t ngoals;
  store_goal_review *reviews;
  size_t nreviews;
  app_request_view *requests;
  size_t nrequests;
  app_feedback_view *feedback;
  size_t nfeedback;
  app_note *notes;
  size_t nnotes;
  pulse *pulses;
  size_t npulses;
  app_incident_view *incidents;
  size_t nincidents;
  app_repair_view *repairs;
  size_t nrepairs;
  app_warning *warnings;
  size_t nwarnings;
} app_export_rel;

/* One circle the person is or was in, with what they may read of it (what
 * was written while they were in it, their own private notes, their own
 * pulse and the circle's aggregate). */
typedef struct app_export_circle {
  app_circle circle;
  bool has_agreement;
  app_circle_agreement agreement;
  app_circle_checkin *checkins;
  size_t ncheckins;
  app_circle_item *items; /* every kind, in kind order */
  size_t nitems;
  bool has_pulse;         /* while still in the circle */
  app_circle_pulse_view pulse;
} app_export_circle;

typedef struct app_export {
  rp_time at;               /* when it was made */
  app_me me;                /* profile and programs (me.rels unused: see rels) */
  store_session *sessions;  /* live sessions, metadata only */
  size_t nsessions;
  app_export_rel *rels;     /* every relationship the person is a party to */
  size_t nrels;
  app_export_circle *circles; /* every circle the person is or was in */
  size_t ncircles;
  app_access_item *access;  /* my access log: who opened my data */
  size_t naccess;
  app_match_profile *match_profiles; /* my matching profiles, all of them */
  size_t nmatch_profiles;
  store_match_request *match_requests; /* requests I made or received */
  size_t nmatch_requests;
  app_f360_view *f360;      /* my 360 requests (who I asked, never who answered) */
  const char **f360_reports; /* their reports as JSON text, NULL while open */
  size_t nf360;
  store_alumnus *alumni;    /* my alumni entries */
  size_t nalumni;
  bool sso_only;            /* I sign in only through single sign-on */
  store_oidc_link *identities; /* the providers' identities linked to my account */
  size_t nidentities;
} app_export;

/* Everything about the actor; needs a re-checked session
 * (app_require_confirmed). Runs in the caller's transaction (or its own
 * read transaction); every confidential text in it is opened by the
 * areas' own read functions, so each access is logged as theirs is. */
rp_rc app_export_mine(app_ctx *c, app_export *out, rp_err *e);

#define APP_DELETED_NAME "Deleted member" /* the name a deleted account leaves */

/* Deletes the actor's account (confirmed session): relationships declined
 * or ended, private notes shredded, sessions, invitations and memberships
 * deleted, the person a tombstone. RP_ERR_CONFLICT "last_site_admin". */
rp_rc app_account_delete(app_ctx *c, rp_err *e);
/* Deletes relationship id and crypto-shreds it (confirmed session): a
 * party once it is declined, ended or alumni (else RP_ERR_CONFLICT
 * "relationship_running"), a site admin at any time; RP_ERR_NOT_FOUND for
 * anyone else. */
rp_rc app_relationship_delete(app_ctx *c, int64_t id, rp_err *e);

#endif
