/* render.h: the JSON shape of each of Rapport's objects, one function per
 * object (render.c).
 *
 * Every route that shows an object, and the export of my data (GET
 * /me/export), renders it with the function here, so an object looks the
 * same wherever the API shows it. Each returns a new reference (a JSON
 * object) and cannot fail: allocation failure aborts. Confidential text is
 * passed in already opened; a text that is absent is null.
 */
#ifndef RAPPORT_HTTP_RENDER_H
#define RAPPORT_HTTP_RENDER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

/* ---- people, programs, relationships ---- */

json_t *render_person(const person *p);
/* A new session: {token, csrf_token, person} (sign-in, invitations, single sign-on). */
json_t *render_session(const app_session *s);
json_t *render_program(const program *p);
/* A program with the caller's "role" in it (GET /me, the export). */
json_t *render_program_role(const store_program_role *pr);
json_t *render_relationship(const relationship *r);
/* The same members written to w (http.h), into an object the caller opened
 * and closes: for answers written straight to text. */
struct jout;
void render_relationship_members(struct jout *w, const relationship *r);
/* A relationship with "my_role" (guide or learner) for person me_id. */
json_t *render_my_relationship(const relationship *r, int64_t me_id);
/* {id, created_at, last_seen_at, current}: a session, metadata only. */
json_t *render_session_meta(const store_session *s);
/* An event of a relationship's history (GET .../events). */
json_t *render_event(const app_event_view *v);

/* {seq, at, actor: {id, name}, sentence, what: [..], why, relationship_id}:
 * an entry of my access log (GET /me/access-log). */
json_t *render_access_entry(const app_access_item *it);

/* ---- the relationship's content ---- */

json_t *render_agreement_version(const app_agreement *v);
json_t *render_checkin(const checkin *ck);
json_t *render_commitment(const app_commitment_view *v);
json_t *render_goal(const app_goal_view *v);
json_t *render_milestone(const app_milestone_view *v);
json_t *render_goal_review(const store_goal_review *rv);
json_t *render_request(const app_request_view *v);
json_t *render_feedback(const app_feedback_view *v);
json_t *render_note(const app_note *n);
json_t *render_pulse(const pulse *p);
json_t *render_incident(const app_incident_view *v);
json_t *render_repair_plan(const app_repair_view *v);
/* {id, code, severity, party, components, since, evidence, practice}:
 * evidence is the stored JSON object ({} when there is none). */
json_t *render_warning(const app_warning *w);

/* ---- peer circles ---- */

/* {id, program_id, name, state, cadence_days, proposed_at, state_since} */
json_t *render_circle_summary(const store_circle *c);
/* the summary with members, facilitator_id, my_role and counts */
json_t *render_circle(const app_circle *ci);
json_t *render_circle_agreement(const app_circle_agreement *ag);
json_t *render_circle_checkin(const app_circle_checkin *ck);
/* {id, circle_id, type, author_id, text, created_at} and the fields of its type */
json_t *render_circle_item(const app_circle_item *v);
/* {mine, circle (the means over at least min_raters raters, else null), raters, min_raters} */
json_t *render_circle_pulse(const app_circle_pulse_view *p);
/* The members of a relationship and of a program in the schema notation
 * (http.h), for the schemas that extend them (http_schemas, render.c). */
#define RENDER_REL_MEMBERS                                                                             \
  "id:id program_id:id guide_id:id learner_id:id state:str accepted:{guide:bool learner:bool} " \
  "proposed_by:id? proposed_at:time? state_since:time?"
#define RENDER_PROGRAM_MEMBERS                                                                         \
  "id:id name:str kind:=mentoring,coaching settings:{cadence_days:int reply_window_hours:int "  \
  "pulse_every_days:int k_anonymity:int} warnings_off:[str] created_at:time?"

#endif
