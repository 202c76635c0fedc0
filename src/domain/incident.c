/* incident.c: incident and repair plan rules (see incident.h). */
#include "domain/incident.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[INCIDENT_KIND_COUNT] = {"confidentiality", "bias", "judgment",
                                                            "other"};
static const char *const state_names[] = {"reported", "acknowledged", "resolved"};
static const char *const outcome_names[] = {NULL, "repaired", "not_repaired", "ended_by_pair"};

const char *incident_kind_name(incident_kind k) {
  return (unsigned)k < INCIDENT_KIND_COUNT ? kind_names[k] : "other";
}

bool incident_kind_parse(const char *name, incident_kind *out) {
  for (int i = 0; name && i < INCIDENT_KIND_COUNT; i++) {
    if (strcmp(name, kind_names[i]) == 0) {
      *out = (incident_kind)i;
      return true;
    }
  }
  return false;
}

const char *incident_state_name(incident_state s) {
  return (unsigned)s <= INCIDENT_RESOLVED ? state_names[s] : "reported";
}

incident_state incident_state_of(const incident *in) {
  if (in->resolved_at) return INCIDENT_RESOLVED;
  return in->acknowledged_at ? INCIDENT_ACKNOWLEDGED : INCIDENT_REPORTED;
}

static bool is_party(const relationship *r, int64_t id) {
  return id != 0 && (id == r->guide_id || id == r->learner_id);
}

static rp_rc state_conflict(const relationship *r, const char *what, rp_err *e) {
  return rp_fail(e, RP_ERR_CONFLICT, "relationship_state", "%s in a relationship that is %s.", what,
                 rel_state_name(r->state));
}

rp_rc incident_check_new(const relationship *r, int64_t concerning, size_t text_len, rp_err *e) {
  if (!rel_allows_outcomes(r->state)) return state_conflict(r, "An incident cannot be reported", e);
  int before = e ? e->nfield : 0;
  if (!is_party(r, concerning))
    rp_field(e, "/concerning_id", "Must be the guide or the learner of this relationship.");
  if (text_len == 0)
    rp_field(e, "/text", "Must not be empty.");
  else if (text_len > INCIDENT_TEXT_MAX)
    rp_field(e, "/text", "Must be at most %d bytes.", INCIDENT_TEXT_MAX);
  return e && e->nfield > before ? RP_ERR_INVALID : RP_OK;
}

rp_rc incident_check_acknowledge(const relationship *r, const incident *in, int64_t actor,
                                 rp_err *e) {
  if (!rel_allows_outcomes(r->state))
    return state_conflict(r, "An incident cannot be acknowledged", e);
  if (actor != in->concerning_id)
    return rp_fail(e, RP_ERR_FORBIDDEN, "not_concerned",
                   "Only the person the incident concerns can acknowledge it.");
  if (in->resolved_at)
    return rp_fail(e, RP_ERR_CONFLICT, "incident_resolved", "This incident is resolved.");
  if (in->acknowledged_at)
    return rp_fail(e, RP_ERR_CONFLICT, "already_acknowledged",
                   "This incident is already acknowledged.");
  return RP_OK;
}

rp_rc incident_check_resolve(const relationship *r, const incident *in, rp_err *e) {
  if (!rel_allows_outcomes(r->state)) return state_conflict(r, "An incident cannot be resolved", e);
  if (in->resolved_at)
    return rp_fail(e, RP_ERR_CONFLICT, "incident_resolved", "This incident is already resolved.");
  return RP_OK;
}

rp_rc incident_check_at(const incident *in, rp_time at, rp_err *e) {
  if (at < in->reported_at) {
    rp_field(e, "/at", "May not be before the incident was reported.");
    return RP_ERR_INVALID;
  }
  if (in->acknowledged_at && at < in->acknowledged_at) {
    rp_field(e, "/at", "May not be before the incident was acknowledged.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

/* ---- repair plans ---- */

const char *repair_outcome_name(repair_outcome o) {
  return (unsigned)o <= REPAIR_ENDED_BY_PAIR ? outcome_names[o] : NULL;
}

bool repair_outcome_parse(const char *name, repair_outcome *out) {
  for (int i = REPAIR_REPAIRED; name && i <= REPAIR_ENDED_BY_PAIR; i++) {
    if (strcmp(name, outcome_names[i]) == 0) {
      *out = (repair_outcome)i;
      return true;
    }
  }
  return false;
}

rp_time repair_ends_at(const repair_plan *p) {
  return p->opened_at + (rp_time)p->follow_through_days * RP_DAY;
}

static rp_rc plan_closed(rp_err *e) {
  return rp_fail(e, RP_ERR_CONFLICT, "plan_closed", "This repair plan is closed.");
}

rp_rc repair_check_acknowledge(const relationship *r, const repair_plan *p, int64_t actor,
                               rp_err *e) {
  if (!rel_allows_outcomes(r->state)) return state_conflict(r, "A repair plan cannot change", e);
  if (actor != p->party_id)
    return rp_fail(e, RP_ERR_FORBIDDEN, "not_concerned",
                   "Only the person the repair plan is for can acknowledge in it.");
  if (p->outcome != REPAIR_OPEN) return plan_closed(e);
  if (p->acknowledged)
    return rp_fail(e, RP_ERR_CONFLICT, "already_acknowledged",
                   "The acknowledgement is already recorded.");
  return RP_OK;
}

static void check_text(const char *ptr, const char *text, rp_err *e) {
  size_t n = text ? strlen(text) : 0;
  if (n == 0)
    rp_field(e, ptr, "Must not be empty.");
  else if (n > REPAIR_TEXT_MAX)
    rp_field(e, ptr, "Must be at most %d bytes.", REPAIR_TEXT_MAX);
}

rp_rc repair_check_texts(const char *text, const char *responsibility, rp_err *e) {
  int before = e ? e->nfield : 0;
  check_text("/text", text, e);
  check_text("/responsibility", responsibility, e);
  return e && e->nfield > before ? RP_ERR_INVALID : RP_OK;
}

rp_rc repair_check_amends(const relationship *r, const repair_plan *p, rp_err *e) {
  if (!rel_allows_outcomes(r->state)) return state_conflict(r, "A repair plan cannot change", e);
  if (p->outcome != REPAIR_OPEN) return plan_closed(e);
  if (!p->acknowledged)
    return rp_fail(e, RP_ERR_CONFLICT, "not_acknowledged",
                   "Amends follow the acknowledgement, which is not recorded yet.");
  if (p->amends_agreed_at)
    return rp_fail(e, RP_ERR_CONFLICT, "amends_agreed", "Amends are already agreed for this plan.");
  return RP_OK;
}

rp_rc repair_check_amend(const repair_plan *p, const commitment *cm, size_t index, rp_err *e) {
  char ptr[48];
  snprintf(ptr, sizeof ptr, "/commitment_ids/%zu", index);
  if (!cm || cm->relationship_id != p->relationship_id)
    rp_field(e, ptr, "No such commitment in this relationship.");
  else if (cm->owner_id != p->party_id)
    rp_field(e, ptr, "Must be a commitment of the person the plan is for.");
  else if (cm->state != COMMITMENT_OPEN)
    rp_field(e, ptr, "Must be an open commitment.");
  else if (cm->due_at > repair_ends_at(p))
    rp_field(e, ptr, "Must be due by the end of the follow-through period.");
  else
    return RP_OK;
  return RP_ERR_INVALID;
}

rp_rc repair_check_close(const repair_plan *p, rp_err *e) {
  return p->outcome != REPAIR_OPEN ? plan_closed(e) : RP_OK;
}

rp_rc repair_check_at(const repair_plan *p, rp_time at, rp_err *e) {
  if (at >= p->opened_at) return RP_OK;
  rp_field(e, "/at", "May not be before the repair plan was opened.");
  return RP_ERR_INVALID;
}

static rp_time max_time(rp_time a, rp_time b) { return a > b ? a : b; }

void repair_decide(const repair_plan *p, const commitment *linked, size_t nlinked,
                   const incident *others, size_t nothers, rp_time now, repair_decision *out) {
  rp_time end = repair_ends_at(p);
  memset(out, 0, sizeof *out);
  if (p->outcome != REPAIR_OPEN || now < end) return;
  bool bad = false, pending = false;
  rp_time first_bad = 0, settled = end;
  for (size_t i = 0; i < nlinked; i++) {
    const commitment *cm = &linked[i];
    if (cm->state == COMMITMENT_OPEN) {
      pending = true;
    } else if (cm->state == COMMITMENT_BROKEN) {
      if (!bad || cm->closed_at < first_bad) first_bad = cm->closed_at;
      bad = true;
    } else {
      settled = max_time(settled, cm->closed_at);
    }
  }
  for (size_t i = 0; i < nothers; i++) {
    const incident *in = &others[i];
    if (in->id == p->incident_id || in->concerning_id != p->party_id) continue;
    if (in->reported_at <= p->opened_at || in->reported_at > end) continue;
    if (in->acknowledged_at) {
      if (!bad || in->acknowledged_at < first_bad) first_bad = in->acknowledged_at;
      bad = true;
    } else if (in->resolved_at) {
      settled = max_time(settled, in->resolved_at);
    } else {
      pending = true;
    }
  }
  if (bad) {
    out->close = true;
    out->outcome = REPAIR_NOT_REPAIRED;
    out->at = max_time(end, first_bad);
  } else if (!pending) {
    out->close = true;
    out->outcome = REPAIR_REPAIRED;
    out->at = settled;
  }
  if (out->close && out->at > now) out->at = now; /* a clock set back: never close in the future */
}
