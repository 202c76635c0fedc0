/* internal.h: what the files of app/feedback360/ share, nobody else. */
#ifndef RAPPORT_APP_FEEDBACK360_INTERNAL_H
#define RAPPORT_APP_FEEDBACK360_INTERNAL_H

#include "app/feedback360/feedback360.h"

/* The seal binding of a request's text of `kind` in row row_id. */
seal_ad f360_ad(seal_kind kind, int64_t row_id, int64_t requester_id);
/* Whether person_id is a member of program_id in any role. */
rp_rc f360_is_member(app_ctx *c, int64_t program_id, int64_t person_id, bool *out, rp_err *e);
/* "No such feedback request." */
rp_rc f360_not_found(rp_err *e);

#endif
