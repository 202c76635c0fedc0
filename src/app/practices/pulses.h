/* pulses.h: pulse surveys, incidents and repair plans (TRUST-MODEL.md 3.6,
 * 3.7, 5), the use cases behind /pulses, /pulse-schedule, /incidents and
 * /repair-plans, and what the trust wiring and the warnings need from
 * them.
 *
 * Who sees what: only the two parties (admins and everyone else get
 * RP_ERR_NOT_FOUND). A pulse's raw answers are shown to its rater only;
 * the list of pulses a party reads holds their own pulses and nothing of
 * the other party's (the other party's answering is visible only as the
 * "pulse_answered" event, with its time, never its answers). Incident
 * texts are readable by both parties; a repair plan's acknowledgement and
 * responsibility texts too.
 *
 * Events (subject = the row): pulse_answered (pulses), incident_reported,
 * incident_acknowledged, incident_resolved (incidents),
 * repair_acknowledged, repair_amends_agreed, repair_closed (repair_plans).
 * Their trust evidence is derived by the trust room from the stored rows
 * (app_evidence_for_event, app/trust/evidence.c).
 */
#ifndef RAPPORT_APP_PRACTICES_PULSES_H
#define RAPPORT_APP_PRACTICES_PULSES_H

#include "app/core/core.h"
#include "domain/incident.h"
#include "domain/pulse.h"
#include "trust/trust_evidence.h"
#include "trust/trust_index.h"
#include "trust/trust_values.h"

/* ---- pulses ---- */

/* A party answers a pulse about the other: answers indexed as in
 * domain/pulse.h (PULSE_SKIPPED for "no chance to tell"), overall 0..10.
 * RP_ERR_CONFLICT "relationship_state" unless the relationship is active,
 * paused or completed; RP_ERR_INVALID for answers out of range (at
 * /answers/<ITEM>), /overall, /at. In the same transaction: reveals the
 * other party's unrevealed pulses about the caller (and their evidence),
 * updates the caller's CUSUM state, and records "pulse_answered". */
rp_rc app_pulse_answer(app_ctx *c, int64_t rel_id, const int answers[PULSE_NITEM], int overall,
                       const rp_time *at, pulse *out, rp_err *e);
/* The caller's own pulses in the relationship, in id order. */
rp_rc app_pulses_mine(app_ctx *c, int64_t rel_id, int64_t after, int limit, pulse **items,
                      size_t *n, int64_t *next, rp_err *e);

typedef struct app_pulse_schedule {
  bool scheduled;       /* the relationship is active: a schedule applies */
  pulse_schedule sched; /* meaningful when scheduled */
  bool has_last;        /* the caller has answered a pulse here */
  rp_time last_at;
} app_pulse_schedule;

/* The caller's pulse schedule at c->now (domain/pulse.h): due every
 * pulse_every_days (the program's setting) after their last pulse or the
 * relationship's activation, or after the third check-in held since,
 * whichever is first. Only an active relationship has a schedule. */
rp_rc app_pulse_schedule_get(app_ctx *c, int64_t rel_id, app_pulse_schedule *out, rp_err *e);
/* The same for party person_id of r, in the caller's transaction, with no
 * check of who asks (the server's own jobs). */
rp_rc app_pulse_schedule_of(app_ctx *c, const relationship *r, int64_t person_id,
                            app_pulse_schedule *out, rp_err *e);

/* ---- incidents ---- */

typedef struct app_incident_view {
  incident in;
  const char *text;       /* opened for the parties */
  int64_t repair_plan_id; /* 0 until acknowledged */
} app_incident_view;

/* A party reports an incident concerning *concerning_id (NULL: the other
 * party). RP_ERR_CONFLICT "relationship_state" unless active, paused or
 * completed; RP_ERR_INVALID at /concerning_id, /text, /at. Records
 * "incident_reported" (no evidence). */
rp_rc app_incident_report(app_ctx *c, int64_t rel_id, incident_kind kind, const char *text,
                          const int64_t *concerning_id, const rp_time *at, app_incident_view *out,
                          rp_err *e);
/* The party concerned acknowledges (RP_ERR_FORBIDDEN "not_concerned" for
 * the other party; RP_ERR_CONFLICT "already_acknowledged",
 * "incident_resolved", "relationship_state"). Records
 * "incident_acknowledged" (INT evidence; for confidentiality incidents the
 * P_INT cap runs from acknowledged_at) and opens a repair plan for the
 * party concerned with a follow-through period of
 * REPAIR_FOLLOW_THROUGH_DAYS. */
rp_rc app_incident_acknowledge(app_ctx *c, int64_t id, const rp_time *at, app_incident_view *out,
                               rp_err *e);
/* Either party marks the incident resolved ("incident_resolved";
 * RP_ERR_CONFLICT "incident_resolved" when it already is). */
rp_rc app_incident_resolve(app_ctx *c, int64_t id, const rp_time *at, app_incident_view *out,
                           rp_err *e);
rp_rc app_incident_get(app_ctx *c, int64_t id, app_incident_view *out, rp_err *e);
rp_rc app_incidents_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                         app_incident_view **items, size_t *n, int64_t *next, rp_err *e);

/* ---- repair plans ---- */

typedef struct app_repair_commitment {
  commitment cm;
  const char *text;
} app_repair_commitment;

typedef struct app_repair_view {
  repair_plan plan;
  rp_time ends_at;
  const char *acknowledgement, *responsibility; /* NULL until recorded */
  rp_time acknowledged_at;                      /* 0 until recorded */
  app_repair_commitment *commitments;           /* the amends, by id */
  size_t ncommitments;
  int kept, broken, open, dropped; /* of the amends (kept includes kept late) */
  int64_t checkins_held;           /* held from opened_at to the period's end
                                      (or now, or the close, if earlier) */
  /* trust(other party -> party concerned) now, as the caller may see it. */
  trust_dir_score trust;
  const char *practice; /* the slug of the practice that goes with a plan */
} app_repair_view;

rp_rc app_repair_plan_get(app_ctx *c, int64_t id, app_repair_view *out, rp_err *e);
rp_rc app_repair_plans_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                            app_repair_view **items, size_t *n, int64_t *next, rp_err *e);
/* The party concerned acknowledges in their own words and takes
 * responsibility (sealed): RP_ERR_FORBIDDEN "not_concerned",
 * RP_ERR_CONFLICT "plan_closed", "already_acknowledged",
 * "relationship_state"; RP_ERR_INVALID at /text, /responsibility, /at.
 * Records "repair_acknowledged". */
rp_rc app_repair_acknowledge(app_ctx *c, int64_t id, const char *text, const char *responsibility,
                             const rp_time *at, app_repair_view *out, rp_err *e);
/* Either party records the amends agreed: commitment_ids[0..n) (1 to
 * REPAIR_AMENDS_MAX, no repeats) are open commitments of the party
 * concerned in this relationship, due by the end of the period.
 * RP_ERR_CONFLICT "plan_closed", "not_acknowledged", "amends_agreed",
 * "relationship_state"; RP_ERR_INVALID at /commitment_ids(/<i>), /at.
 * Records "repair_amends_agreed". */
rp_rc app_repair_amends(app_ctx *c, int64_t id, const int64_t *commitment_ids, size_t n,
                        const rp_time *at, app_repair_view *out, rp_err *e);
/* Either party ends the plan ("ended_by_pair"; RP_ERR_CONFLICT
 * "plan_closed"). Records "repair_closed". */
rp_rc app_repair_close(app_ctx *c, int64_t id, const rp_time *at, app_repair_view *out, rp_err *e);

/* The job (app_jobs_run): closes every open plan whose follow-through
 * period has ended and whose outcome is certain (repair_decide), dated
 * when it became certain, recording "repair_closed" by the server. Runs
 * inside the caller's write transaction; *changed counts the plans
 * closed. */
rp_rc app_repair_plans_close_due(app_ctx *sys, int *changed, rp_err *e);

#endif
