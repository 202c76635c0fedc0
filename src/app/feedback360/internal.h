/* internal.h: what the files of app/feedback360/ share, nobody else. */
#ifndef RAPPORT_APP_FEEDBACK360_INTERNAL_H
#define RAPPORT_APP_FEEDBACK360_INTERNAL_H

#include "app/feedback360/feedback360.h"

/* The seal binding of a request's text of `kind` in row row_id. */
seal_ad f360_ad(seal_kind kind, int64_t row_id, int64_t requester_id);
/* Whether person_id is a member of program_id in any role. */
rp_rc f360_is_member(app_ctx *c, int64_t program_id, int64_t person_id, bool *out, rp_err *e);
/* The keyed hash of an e-mail address (folded), as f360_raters keeps it. */
void f360_email_hash(app_ctx *c, const char *email, unsigned char hash[TOKEN_HASH_LEN]);
/* Checks the outside raters of a new request (before its transaction):
 * valid, distinct addresses, not the requester's own, in peers,
 * colleagues or others. */
rp_rc f360_outside_check(app_ctx *c, const app_f360_new *in, const char *own_email, rp_err *e);
/* Asks outside rater i of `in` for request row (write transaction open):
 * the re-rating rule, then its rater row with the keyed hash of a new
 * one-time token, and its mail with the link. */
rp_rc f360_outside_ask(app_ctx *c, const store_f360 *row, const app_f360_new *in, size_t i,
                       rp_err *e);
/* "No such feedback request." */
rp_rc f360_not_found(rp_err *e);

#endif
