/* routes_mail.c: what reaches people outside Rapport: asking for a
 * password reset (the link it mails is accepted by POST
 * /invitations/accept), and the calendar feed with its secret URL.
 */
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

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

/* GET /calendar.ics?key=SECRET: the feed (text/calendar) with an ETag;
 * 404 for an unknown or revoked secret. The secret is the only
 * credential: calendar applications send no session. */
static rp_rc calendar_feed(http_req *r, rp_err *e) {
  char *ics = NULL;
  char etag[40];
  rp_rc rc = app_calendar_feed(&r->app, http_query(r, "key"), &ics, etag, e);
  if (rc) return rc;
  r->out_text = ics;
  r->out_type = "text/calendar; charset=utf-8";
  r->etag = arena_strdup(r->app.a, etag);
  return RP_OK;
}

static json_t *render_feed(bool active, rp_time created_at, const char *url) {
  json_t *o = json_pack("{s:b}", "active", active);
  if (active) json_object_set_new(o, "created_at", jt_time(created_at));
  if (url) json_object_set_new(o, "url", json_string(url));
  return o;
}

/* GET /me/calendar-feed: {active, created_at}; the URL itself is shown
 * only when made (its secret is kept as a hash). */
static rp_rc feed_status(http_req *r, rp_err *e) {
  bool active = false;
  rp_time created_at = 0;
  rp_rc rc = app_calendar_feed_status(&r->app, &active, &created_at, e);
  if (rc) return rc;
  r->out = render_feed(active, created_at, NULL);
  return RP_OK;
}

/* POST /me/calendar-feed: a new secret URL, 201 {active, created_at, url};
 * the previous URL stops working. */
static rp_rc feed_rotate(http_req *r, rp_err *e) {
  const char *url = NULL;
  rp_time created_at = 0;
  rp_rc rc = app_calendar_feed_rotate(&r->app, &url, &created_at, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_feed(true, created_at, url);
  return RP_OK;
}

/* DELETE /me/calendar-feed: 204; the URL stops working. */
static rp_rc feed_revoke(http_req *r, rp_err *e) {
  return app_calendar_feed_revoke(&r->app, e);
}

const http_route http_routes_mail[] = {
    {"POST", "/api/v1/password-reset", password_reset, HTTP_PUBLIC},
    {"GET", "/api/v1/calendar.ics", calendar_feed, HTTP_PUBLIC},
    {"GET", "/api/v1/me/calendar-feed", feed_status, HTTP_SIGNED_IN},
    {"POST", "/api/v1/me/calendar-feed", feed_rotate, HTTP_SIGNED_IN},
    {"DELETE", "/api/v1/me/calendar-feed", feed_revoke, HTTP_SIGNED_IN},
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
