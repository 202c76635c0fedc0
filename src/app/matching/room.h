/* room.h: what the files of app/matching/ share and nobody else needs. */
#ifndef RAPPORT_APP_MATCHING_ROOM_H
#define RAPPORT_APP_MATCHING_ROOM_H

#include "app/matching/matching.h"

/* The actor's roles in a program. */
typedef struct app_match_roles {
  bool admin, learner, guide;
} app_match_roles;

/* The actor's roles in an existing program; RP_ERR_NOT_FOUND "No such
 * program." when it does not exist or the actor has no role in it. */
rp_rc app_match_access(app_ctx *c, int64_t program_id, app_match_roles *out, rp_err *e);
/* app_match_access, and RP_ERR_FORBIDDEN "role" unless the actor
 * administers the program. */
rp_rc app_match_need_admin(app_ctx *c, int64_t program_id, rp_err *e);

/* match_solve, one at a time in the process (GLPK's work space is large
 * and a second run would only wait for the core anyway). */
int app_match_solve(const match_instance *in, match_result *out);

/* Proposes learner with guide inside the open transaction, as an admin's
 * proposal is (both parties still accept); with `accepted`, both parties
 * have accepted and it starts active. Records the score it started from.
 * *id is the new relationship; RP_ERR_CONFLICT when the pair has an open
 * relationship in the program. */
rp_rc app_match_start(app_ctx *c, int64_t program_id, int64_t guide, int64_t learner,
                      bool accepted, const match_parts *parts, int64_t *id, rp_err *e);

#endif
