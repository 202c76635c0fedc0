/* incident.h: incidents and repair plans (TRUST-MODEL.md 3.6 and 5).
 *
 * A party reports an incident (confidentiality, bias, judgment, other)
 * concerning a party of the relationship (by default the other one). A
 * report is an allegation: it raises an alert but is no evidence. Only the
 * party concerned may acknowledge it; acknowledging makes it evidence and
 * opens a repair plan for them. Either party may mark an incident
 * resolved, acknowledged or not.
 *
 *   reported --acknowledge--> acknowledged --resolve--> resolved
 *   reported --resolve--> resolved (never acknowledged)
 *
 * A repair plan belongs to the party concerned. They acknowledge in their
 * own words and take responsibility (once); then the pair agree amends as
 * commitments of that party, due within the follow-through period (once).
 * The plan closes:
 *
 *   - "ended_by_pair": either party closes it;
 *   - "not_repaired": the period has ended and a linked commitment was
 *     broken, or a new incident concerning the party (reported during the
 *     period) was acknowledged;
 *   - "repaired": the period has ended, every linked commitment has an
 *     outcome and none was broken, and every new incident concerning the
 *     party reported during the period was resolved without being
 *     acknowledged.
 *
 * While a linked commitment is still open, or a new incident is neither
 * acknowledged nor resolved, a plan past its period waits: an allegation
 * is not a fact, so it neither passes nor fails the plan until the pair
 * settle it. repair_decide says when the outcome became certain, which is
 * the time the plan closes at. Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_INCIDENT_H
#define RAPPORT_DOMAIN_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/commitment.h"
#include "domain/relationship.h"

typedef enum incident_kind {
  INCIDENT_CONFIDENTIALITY,
  INCIDENT_BIAS,
  INCIDENT_JUDGMENT,
  INCIDENT_OTHER
} incident_kind;
#define INCIDENT_KIND_COUNT 4

typedef enum incident_state {
  INCIDENT_REPORTED,
  INCIDENT_ACKNOWLEDGED,
  INCIDENT_RESOLVED
} incident_state;

#define INCIDENT_TEXT_MAX 4000 /* bytes */

typedef struct incident {
  int64_t id, relationship_id, reporter_id, concerning_id;
  incident_kind kind;
  rp_time reported_at;
  rp_time acknowledged_at; /* 0 while not acknowledged */
  int64_t acknowledged_by;
  rp_time resolved_at; /* 0 while not resolved */
  int64_t resolved_by;
} incident;

/* "confidentiality", "bias", "judgment", "other". */
const char *incident_kind_name(incident_kind k);
bool incident_kind_parse(const char *name, incident_kind *out);
/* "reported", "acknowledged", "resolved" (resolved wins). */
const char *incident_state_name(incident_state s);
incident_state incident_state_of(const incident *in);

/* Whether an incident of text_len bytes concerning `concerning` may be
 * reported in r: RP_ERR_CONFLICT "relationship_state" unless r takes
 * outcomes (active, paused, completed); RP_ERR_INVALID at /concerning_id
 * (not a party) and /text (empty or longer than INCIDENT_TEXT_MAX). */
rp_rc incident_check_new(const relationship *r, int64_t concerning, size_t text_len, rp_err *e);

/* Whether `actor` may acknowledge in: RP_ERR_CONFLICT "relationship_state",
 * RP_ERR_FORBIDDEN "not_concerned" (only the party concerned may),
 * RP_ERR_CONFLICT "incident_resolved" or "already_acknowledged". */
rp_rc incident_check_acknowledge(const relationship *r, const incident *in, int64_t actor,
                                 rp_err *e);
/* Whether in may be resolved: RP_ERR_CONFLICT "relationship_state" or
 * "incident_resolved". */
rp_rc incident_check_resolve(const relationship *r, const incident *in, rp_err *e);
/* An acknowledgement or resolution at `at` may not predate the report (nor,
 * for a resolution, the acknowledgement): RP_ERR_INVALID at /at. */
rp_rc incident_check_at(const incident *in, rp_time at, rp_err *e);

/* ---- repair plans ---- */

typedef enum repair_outcome {
  REPAIR_OPEN, /* not closed yet */
  REPAIR_REPAIRED,
  REPAIR_NOT_REPAIRED,
  REPAIR_ENDED_BY_PAIR
} repair_outcome;

#define REPAIR_FOLLOW_THROUGH_DAYS 56 /* eight weeks */
#define REPAIR_TEXT_MAX 4000          /* bytes, each of the acknowledgement and responsibility */
#define REPAIR_AMENDS_MAX 20          /* commitments linked as amends */

typedef struct repair_plan {
  int64_t id, incident_id, relationship_id, party_id;
  rp_time opened_at;
  int follow_through_days;
  bool acknowledged;        /* the party's acknowledgement is recorded */
  rp_time amends_agreed_at; /* 0 while no amends are agreed */
  repair_outcome outcome;   /* REPAIR_OPEN while open */
  rp_time closed_at;        /* 0 while open */
} repair_plan;

/* NULL for REPAIR_OPEN, else "repaired", "not_repaired", "ended_by_pair". */
const char *repair_outcome_name(repair_outcome o);
bool repair_outcome_parse(const char *name, repair_outcome *out);

/* The end of the follow-through period. */
rp_time repair_ends_at(const repair_plan *p);

/* Whether `actor` may record the acknowledgement of p:
 * RP_ERR_CONFLICT "relationship_state", RP_ERR_FORBIDDEN "not_concerned",
 * RP_ERR_CONFLICT "plan_closed" or "already_acknowledged". */
rp_rc repair_check_acknowledge(const relationship *r, const repair_plan *p, int64_t actor,
                               rp_err *e);
/* The acknowledgement and the responsibility taken: 1..REPAIR_TEXT_MAX
 * bytes each (RP_ERR_INVALID at /text and /responsibility). */
rp_rc repair_check_texts(const char *text, const char *responsibility, rp_err *e);
/* Whether amends may be agreed for p: RP_ERR_CONFLICT "relationship_state",
 * "plan_closed", "not_acknowledged" (the party has not acknowledged yet)
 * or "amends_agreed" (already done: after that only kept commitments
 * rebuild). */
rp_rc repair_check_amends(const relationship *r, const repair_plan *p, rp_err *e);
/* Whether cm (NULL when it does not exist or belongs to another
 * relationship) may be the index-th amend of p: an open commitment of the
 * party concerned in p's relationship, due by the end of the period.
 * Adds a field error at /commitment_ids/<index> and returns RP_ERR_INVALID
 * otherwise. */
rp_rc repair_check_amend(const repair_plan *p, const commitment *cm, size_t index, rp_err *e);
/* Whether the pair may close p: RP_ERR_CONFLICT "plan_closed". */
rp_rc repair_check_close(const repair_plan *p, rp_err *e);
/* A step at `at` may not predate the plan: RP_ERR_INVALID at /at. */
rp_rc repair_check_at(const repair_plan *p, rp_time at, rp_err *e);

typedef struct repair_decision {
  bool close;             /* the outcome is certain at now */
  repair_outcome outcome; /* REPAIR_REPAIRED or REPAIR_NOT_REPAIRED when close */
  rp_time at;             /* when it became certain (<= now) */
} repair_decision;

/* Decides whether open plan p closes by itself at now, from its linked
 * commitments linked[0..nlinked) and the incidents `others[0..nothers)`
 * concerning p's party in p's relationship other than p's own (the
 * function keeps those reported during the period). See the file comment
 * for the rule; out->at is the period's end or, when later, the moment
 * the deciding commitment or incident settled. */
void repair_decide(const repair_plan *p, const commitment *linked, size_t nlinked,
                   const incident *others, size_t nothers, rp_time now, repair_decision *out);

#endif
