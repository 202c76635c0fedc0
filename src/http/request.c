/* request.c: what a handler reads of its request beyond the body: query
 * arguments, the page it asks for, the client's address, and the session
 * cookie it sets (see http.h, "inputs"). Below the route tables and the
 * server, which both use it.
 */
#include "http/http.h"
#include "http/parse.h"
#include "http/render.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <string.h>

const char *http_query(http_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(http_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

rp_rc http_page(http_req *r, int64_t *after, int *limit, rp_err *e) {
  return http_page_parse(http_query(r, "after"), http_query(r, "limit"), after, limit, e);
}

rp_rc http_read_at_only(http_req *r, rp_time *at, bool *has_at, rp_err *e) {
  static const char *const fields[] = {"at", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  *has_at = jin_time(&j, "at", false, at);
  return e->rc;
}

rp_rc http_read_person_id(http_req *r, int64_t *person_id, rp_err *e) {
  static const char *const fields[] = {"person_id", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_id(&j, "person_id", true, person_id);
  return e->rc;
}

/* The session cookie (token NULL: clearing it). Over HTTPS (--public-url
 * https://...) it is Secure and named __Host-rapport_session (ASVS 3.3.1,
 * 3.3.3); on plain http (make run, tests) a browser would drop a Secure
 * cookie, so it stays rapport_session. */
const char *http_session_cookie(http_req *r, const char *token) {
  bool https = r->app.env && r->app.env->https;
  return arena_printf(r->app.a, "%s=%s; Path=/;%s HttpOnly; SameSite=Lax%s",
                      HTTP_SESSION_COOKIE(https), token ? token : "", https ? " Secure;" : "",
                      token ? "" : "; Max-Age=0");
}

const char *http_device_cookie(http_req *r, const char *token) {
  bool https = r->app.env && r->app.env->https;
  return arena_printf(r->app.a, "%s=%s; Path=/; Max-Age=%d;%s HttpOnly; SameSite=Lax",
                      HTTP_DEVICE_COOKIE(https), token, HTTP_DEVICE_COOKIE_S,
                      https ? " Secure;" : "");
}

app_device http_device(http_req *r) {
  bool https = r->app.env && r->app.env->https;
  return (app_device){http_cookie(r, HTTP_DEVICE_COOKIE(https)),
                      MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "User-Agent")};
}

void http_signed_in(http_req *r, const app_session *s) {
  r->status = 201;
  r->out = render_session(s);
  r->set_cookie = http_session_cookie(r, s->token);
  if (s->device[0]) r->set_cookie2 = http_device_cookie(r, s->device);
}

/* An IPv4 or IPv6 address (raw bytes of `family`) as the text sign-in
 * throttling counts by: IPv6 as its /64 prefix, since one host usually
 * holds a whole /64; an IPv4-mapped IPv6 address as IPv4. */
static const char *address_text(arena *a, int family, const unsigned char *raw) {
  char text[INET6_ADDRSTRLEN];
  if (family == AF_INET6) {
    struct in6_addr a6;
    memcpy(&a6, raw, sizeof a6);
    if (IN6_IS_ADDR_V4MAPPED(&a6)) return address_text(a, AF_INET, a6.s6_addr + 12);
    memset(a6.s6_addr + 8, 0, 8);
    return inet_ntop(AF_INET6, &a6, text, sizeof text) ? arena_printf(a, "%s/64", text) : NULL;
  }
  return inet_ntop(AF_INET, raw, text, sizeof text) ? arena_printf(a, "%s", text) : NULL;
}

/* The last address of X-Forwarded-For: the one the nearest proxy added
 * (earlier ones come from the client and may be anything). NULL when the
 * header is absent or its last entry is not an IP address. */
static const char *forwarded_for(http_req *r) {
  const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
  if (!h) return NULL;
  const char *last = strrchr(h, ',');
  last = last ? last + 1 : h;
  last += strspn(last, " \t");
  char text[INET6_ADDRSTRLEN];
  size_t n = strcspn(last, " \t");
  if (n == 0 || n >= sizeof text) return NULL;
  memcpy(text, last, n);
  text[n] = '\0';
  unsigned char raw[16];
  if (inet_pton(AF_INET, text, raw) == 1) return address_text(r->app.a, AF_INET, raw);
  if (inet_pton(AF_INET6, text, raw) == 1) return address_text(r->app.a, AF_INET6, raw);
  return NULL;
}

/* The client's address for sign-in throttling: the connection's peer, or,
 * when the peer is this machine (the TLS proxy of docs/operations.md), the
 * address that proxy put last in X-Forwarded-For. NULL when unknown. */
const char *http_client_address(http_req *r) {
  const union MHD_ConnectionInfo *ci =
      r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
  if (!ci || !ci->client_addr) return NULL;
  const struct sockaddr *sa = ci->client_addr;
  unsigned char raw[16];
  int family = sa->sa_family;
  bool loopback;
  if (family == AF_INET) {
    memcpy(raw, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    loopback = raw[0] == 127;
  } else if (family == AF_INET6) {
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    memcpy(raw, a6, 16);
    loopback = IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && raw[12] == 127);
  } else {
    return NULL;
  }
  const char *forwarded = loopback ? forwarded_for(r) : NULL;
  return forwarded ? forwarded : address_text(r->app.a, family, raw);
}
