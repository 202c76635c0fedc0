/* routes_mail.c: what reaches people by mail: asking for a password reset
 * (the link it mails is accepted by POST /invitations/accept). */
#include "http/http.h"

/* POST /password-reset {email}: 202 whether or not the address has an
 * account (app_password_reset_request); 422 only for a malformed one. */
static rp_rc password_reset(http_req *r, rp_err *e) {
  static const char *const fields[] = {"email", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *email = jin_text(&j, "email", true, 254);
  if (e->rc) return e->rc;
  rp_rc rc = app_password_reset_request(&r->app, email, e);
  if (rc) return rc;
  r->status = 202;
  r->out = json_pack("{s:s}", "status",
                     "If this address has an account, a mail with a link is on its way.");
  return RP_OK;
}

const http_route http_routes_mail[] = {
    {"POST", "/api/v1/password-reset", password_reset, HTTP_PUBLIC},
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
