/* yourdata.h: "your data": the export of everything Rapport holds about
 * the signed-in person (SECURITY.md promise 5).
 *
 * The password re-check, account deletion and relationship deletion are
 * declared in app/app.h (app_session_confirm, app_require_confirmed,
 * app_account_delete, app_relationship_delete).
 */
#ifndef RAPPORT_APP_YOURDATA_H
#define RAPPORT_APP_YOURDATA_H

#include "app/app.h"
#include "app/audit.h"
#include "app/pulses.h"
#include "app/warnings.h"

/* One relationship the person is a party to, with everything in it they
 * may read: every list complete (all pages). Notes are those they may
 * read (their own, private and shared, and the other party's shared
 * notes, never the other party's private ones); pulses only their own
 * (a pulse's answers are its rater's alone, app/pulses.h). */
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

typedef struct app_export {
  rp_time at;               /* when it was made */
  app_me me;                /* profile and programs (me.rels unused: see rels) */
  store_session *sessions;  /* live sessions, metadata only */
  size_t nsessions;
  app_export_rel *rels;     /* every relationship the person is a party to */
  size_t nrels;
  app_access_item *access;  /* my access log: who opened my data */
  size_t naccess;
} app_export;

/* Everything about the actor; needs a re-checked session
 * (app_require_confirmed). Runs in the caller's transaction (or its own
 * read transaction); every confidential text in it is opened by the
 * areas' own read functions, so each access is logged as theirs is. */
rp_rc app_export_mine(app_ctx *c, app_export *out, rp_err *e);

#endif
