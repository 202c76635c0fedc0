/* agreements.h: use cases for a relationship's versioned agreement.
 *
 * Only the guide and the learner write, acknowledge and read agreements
 * (agreement text is confidential: admins and strangers get
 * RP_ERR_NOT_FOUND). Writing a version counts as its author's
 * acknowledgement; a version is in force once both parties acknowledged it
 * (domain/agreement.h).
 */
#ifndef RAPPORT_APP_PRACTICES_AGREEMENTS_H
#define RAPPORT_APP_PRACTICES_AGREEMENTS_H

#include "app/core/core.h"
#include "domain/agreement.h"

/* One version as the parties see it: the plain and opened terms, who
 * acknowledged it (earliest first) and whether it is the version in force. */
typedef struct app_agreement {
  int version;
  int64_t author_id;
  rp_time created_at;
  agreement_terms terms;
  int64_t acked_by[2];
  size_t nacked;
  bool in_force;
} app_agreement;

/* The latest version and the version in force; either is NULL when none. */
typedef struct app_agreement_state {
  const app_agreement *latest, *in_force;
} app_agreement_state;

/* Writes the next version of relationship rel_id's agreement with terms t
 * (ends_on may not be before the day of `at`), records the author's
 * acknowledgement and an "agreement_version" event. RP_ERR_CONFLICT
 * "relationship_state" when the relationship's state does not allow it. */
rp_rc app_agreement_put(app_ctx *c, int64_t rel_id, const agreement_terms *t, const rp_time *at,
                        app_agreement *out, rp_err *e);

/* Records the actor's acknowledgement of `version` (see
 * agreement_ack_check for the refusals) and an "agreement_acknowledged"
 * event, plus "agreement_in_force" when it puts the version in force. */
rp_rc app_agreement_acknowledge(app_ctx *c, int64_t rel_id, int version, const rp_time *at,
                                app_agreement *out, rp_err *e);

rp_rc app_agreement_get(app_ctx *c, int64_t rel_id, app_agreement_state *out, rp_err *e);

/* The versions, oldest first, paged by version number. */
rp_rc app_agreement_versions(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                             app_agreement **items, size_t *n, int64_t *next, rp_err *e);

#endif
