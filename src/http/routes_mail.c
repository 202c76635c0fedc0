/* routes_mail.c: what reaches people outside Rapport: asking for a
 * password reset (the link it mails is accepted by POST
 * /invitations/accept), and the calendar feed with its secret URL.
 */
#include "http/http.h"
#include "base/num.h"

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


static json_t *render_prefs(const app_mail_prefs *p) {
  json_t *off = json_array(), *kinds = json_array();
  for (size_t i = 0; i < p->noff; i++) json_array_append_new(off, json_string(p->off[i]));
  for (int i = 0; app_mail_optional_kinds[i]; i++)
    json_array_append_new(kinds, json_string(app_mail_optional_kinds[i]));
  return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "time_zone", p->time_zone, "quiet_from",
                   jt_hhmm(p->quiet_from), "quiet_to", jt_hhmm(p->quiet_to), "off", off, "kinds", kinds,
                   "digest", p->digest);
}

/* GET /me/mail-preferences: {time_zone, quiet_from, quiet_to ("HH:MM" or
 * null), off: [kinds turned off], kinds: [the optional kinds], digest
 * (the optional mails in a weekly digest instead)}. */
static rp_rc prefs_get(http_req *r, rp_err *e) {
  app_mail_prefs p;
  rp_rc rc = app_mail_prefs_get(&r->app, &p, e);
  if (rc) return rc;
  r->out = render_prefs(&p);
  return RP_OK;
}

/* PUT /me/mail-preferences {time_zone, quiet_from?, quiet_to?, off, digest?}. */
static rp_rc prefs_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"time_zone", "quiet_from", "quiet_to", "off", "digest",
                                       NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  app_mail_prefs p = {0};
  p.time_zone = jin_text(&j, "time_zone", true, 64);
  const char *from = json_is_null(json_object_get(r->body, "quiet_from"))
                         ? NULL : jin_text(&j, "quiet_from", false, 5);
  const char *to = json_is_null(json_object_get(r->body, "quiet_to"))
                       ? NULL : jin_text(&j, "quiet_to", false, 5);
  json_t *off = jin_array(&j, "off", true, APP_MAIL_KINDS_MAX);
  jin_bool(&j, "digest", false, &p.digest);
  p.quiet_from = http_minutes_of(from);
  p.quiet_to = http_minutes_of(to);
  if (p.quiet_from == -2) rp_field(e, "/quiet_from", "Give a time such as 21:00.");
  if (p.quiet_to == -2) rp_field(e, "/quiet_to", "Give a time such as 07:30.");
  size_t i;
  json_t *v;
  json_array_foreach(off, i, v) {
    if (!json_is_string(v)) rp_field(e, arena_printf(r->app.a, "/off/%zu", i), "Give a kind.");
    else if (p.noff < APP_MAIL_KINDS_MAX) p.off[p.noff++] = json_string_value(v);
  }
  if (e->rc) return e->rc;
  rp_rc rc = app_mail_prefs_put(&r->app, &p, e);
  if (rc) return rc;
  r->out = render_prefs(&p);
  return RP_OK;
}

/* POST /unsubscribe?person=&kind=&sig= (RFC 8058 one-click, from the
 * List-Unsubscribe header): that kind of mail is turned off; 404 for a
 * link that is not the server's. */
static rp_rc unsubscribe(http_req *r, rp_err *e) {
  int64_t who = 0;
  const char *p = http_query(r, "person");
  if (!p || !rp_parse_i64(p, 1, INT64_MAX, &who)) who = 0;
  const char *kind = http_query(r, "kind");
  rp_rc rc = app_mail_unsubscribe(&r->app, who, kind, http_query(r, "sig"), e);
  if (rc) return rc;
  r->out = json_pack("{s:s, s:b}", "kind", kind, "subscribed", false);
  return RP_OK;
}

/* GET /me/notifications: {items: [{id, kind, title, link, at, read}],
 * next, unread}. */
static rp_rc notifications_list(http_req *r, rp_err *e) {
  int64_t after, next, unread = 0;
  int limit;
  store_notification *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_notifications_list(&r->app, after, limit, &items, &n, &next, &unread, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b}", "id",
                                         (json_int_t)items[i].id, "kind", items[i].kind, "title",
                                         items[i].title, "link", items[i].link, "at",
                                         jt_time(items[i].at), "read", items[i].read_at != 0));
  r->out = jt_page(arr, next);
  json_object_set_new(r->out, "unread", json_integer(unread));
  return RP_OK;
}

/* POST /me/notifications/{id}/read: 204; 404 unless it is the caller's. */
static rp_rc notification_read(http_req *r, rp_err *e) {
  int64_t marked = 0;
  return app_notifications_read(&r->app, r->id[0], &marked, e);
}

/* POST /me/notifications/read: every unread one read; {marked: n}. */
static rp_rc notifications_read_all(http_req *r, rp_err *e) {
  int64_t marked = 0;
  rp_rc rc = app_notifications_read(&r->app, 0, &marked, e);
  if (rc) return rc;
  r->out = json_pack("{s:I}", "marked", (json_int_t)marked);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_mail[] = {
    {"GET", "/api/v1/me/notifications", notifications_list, HTTP_SIGNED_IN,
     {.summary = "The caller's notifications, newest first, with how many are unread.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = "{items:[{id:id kind:str title:str link:str at:time? read:bool}] "
      "next:id? unread:int}"}},
    {"POST", "/api/v1/me/notifications/read", notifications_read_all, HTTP_SIGNED_IN,
     {.summary = "Marks every unread notification read.",
      .status = 200, .answer = "{marked:int}"}},
    {"POST", "/api/v1/me/notifications/{id}/read", notification_read, HTTP_SIGNED_IN,
     {.summary = "Marks one notification read.",
      .status = 204}},
    {"GET", "/api/v1/me/mail-preferences", prefs_get, HTTP_SIGNED_IN,
     {.summary = "The caller's mail preferences: time zone, quiet hours, kinds turned off.",
      .status = 200, .answer = "MailPreferences"}},
    {"PUT", "/api/v1/me/mail-preferences", prefs_put, HTTP_SIGNED_IN,
     {.summary = "Sets the caller's mail preferences.",
      .body = "{time_zone:str quiet_from?:str? quiet_to?:str? off:[str] digest?:bool}",
      .status = 200, .answer = "MailPreferences"}},
    {"POST", "/api/v1/unsubscribe", unsubscribe, HTTP_PUBLIC,
     {.summary = "Turns one kind of mail off from the signed link in a mail.",
      .query = "{person:id kind:str sig:str}",
      .status = 200, .answer = "{kind:str subscribed:bool}", .problems = "403 404 422"}},
    {"POST", "/api/v1/password-reset", password_reset, HTTP_PUBLIC,
     {.summary = "Mails a password-reset link if the address has an account.",
      .body = "{email:str}",
      .status = 202, .answer = "{status:str}", .problems = "429"}},
    {"GET", "/api/v1/calendar.ics", calendar_feed, HTTP_PUBLIC,
     {.summary = "The caller's check-ins as an iCalendar feed, by its secret URL.",
      .query = "{key:str}",
      .status = 200, .answer = "str", .media = "text/calendar", .problems = "304 404"}},
    {"GET", "/api/v1/me/calendar-feed", feed_status, HTTP_SIGNED_IN,
     {.summary = "Whether the caller has a calendar feed, and since when.",
      .status = 200, .answer = "CalendarFeed"}},
    {"POST", "/api/v1/me/calendar-feed", feed_rotate, HTTP_SIGNED_IN,
     {.summary = "Makes a new secret URL for the calendar feed (the old one stops working).",
      .status = 201, .answer = "CalendarFeed"}},
    {"DELETE", "/api/v1/me/calendar-feed", feed_revoke, HTTP_SIGNED_IN,
     {.summary = "Revokes the calendar feed's URL.",
      .status = 204, .problems = "404"}},
    {0}, /* the end */
};
/* clang-format on */
