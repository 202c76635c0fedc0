/* server.c: the HTTP server around the routing table.
 *
 * libmicrohttpd runs an internal epoll thread pool. Each pool thread opens
 * its own store connection on first use (thread-local) and keeps it, so
 * prepared statements are reused across requests. A request is answered on
 * the access handler's second or later call, once the whole body is in
 * (answering on the first call would break keep-alive). Every request gets
 * an arena freed once when the answer is queued. A read that opened
 * confidential text renders its answer, hands its access-log rows to the
 * log writer thread (app/privacy/audit.h) and is suspended until the writer
 * committed them; the resumed connection's next call sends the answer
 * (send_parked). A job thread runs the time-driven jobs every
 * APP_JOBS_EVERY_S seconds.
 */
#include "http/http.h"
#include "http/parse.h"
#include "app/privacy/privacy.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/num.h"
#include "base/strbuf.h"
#include "crypto/token.h"

#include <sodium.h>
#ifdef RAPPORT_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_WORKERS 256

/* One request's state across the access handler's calls. A read that
 * opened text parks its answer here until the access-log writer committed
 * its rows (app/privacy/audit.h): `resp` and `status` wait, the connection is
 * suspended, and the writer's release resumes it with `logged`. */
typedef struct conn_state {
  /* For the request's log line and metrics. */
  double t0;               /* when it arrived (metric_now) */
  char request_id[72];     /* X-Request-Id as sent (when well-formed), else made here */
  int slot;                /* its metrics slot (route, or static/health/none) */
  const char *route;       /* its route pattern for the log, or "static", "health", "none" */
  int64_t actor;           /* who made it, 0 when no one signed in */
  const char *method;      /* libmicrohttpd's, valid while the request lasts */
  bool quiet;              /* a health check: logged at debug only */
  strbuf body;
  bool too_large;
  struct MHD_Connection *conn;
  bool parked;
  /* Set by the writer's thread before it resumes conn: RP_OK, or why the
   * rows could not be written (the answer is then that problem). */
  rp_rc logged;
  char logged_code[48];
  char logged_detail[256];
  struct MHD_Response *resp;
  unsigned status;
} conn_state;

static const http_config *g_cfg;
static volatile sig_atomic_t g_draining; /* set on SIGTERM: /readyz answers 503 */
static _Atomic int g_in_flight;          /* requests begun and not yet completed */
static app_access_writer *g_log_writer;
/* What each pool thread keeps between requests: its store connection and
 * its request arena (reset after every request). Registered so that both
 * are released when the server stops. */
typedef struct worker {
  store *st;
  arena *a;
} worker;

static pthread_mutex_t g_workers_mu = PTHREAD_MUTEX_INITIALIZER;
static worker *g_workers[MAX_WORKERS];
static int g_nworkers;
static _Thread_local worker *tl_worker;

/* This thread's worker, opening its store connection on first use. */
static worker *thread_worker(rp_err *e) {
  if (tl_worker) return tl_worker;
  store *s;
  if (store_open(g_cfg->db_path, &s, e)) return NULL;
  worker *w = rp_xcalloc(1, sizeof *w);
  w->st = s;
  w->a = arena_new(32768);
  pthread_mutex_lock(&g_workers_mu);
  if (g_nworkers < MAX_WORKERS) g_workers[g_nworkers++] = w;
  pthread_mutex_unlock(&g_workers_mu);
  tl_worker = w;
  return w;
}

/* Forgets this thread's worker after its connection to the database was
 * lost (PostgreSQL restarted): the next request opens a new one. */
static void drop_lost_worker(void) {
  worker *w = tl_worker;
  if (!w || store_connected(w->st)) return;
  log_warn("the connection to the database was lost; opening a new one");
  pthread_mutex_lock(&g_workers_mu);
  for (int i = 0; i < g_nworkers; i++)
    if (g_workers[i] == w) g_workers[i] = g_workers[--g_nworkers];
  pthread_mutex_unlock(&g_workers_mu);
  store_close(w->st);
  arena_free(w->a);
  free(w);
  tl_worker = NULL;
}

static void close_workers(void) {
  pthread_mutex_lock(&g_workers_mu);
  for (int i = 0; i < g_nworkers; i++) {
    store_close(g_workers[i]->st);
    arena_free(g_workers[i]->a);
    free(g_workers[i]);
  }
  g_nworkers = 0;
  pthread_mutex_unlock(&g_workers_mu);
}

/* ---- request inputs ---- */

static rp_rc parse_body(http_req *r, conn_state *cs, const http_route *route, rp_err *e) {
  const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
  size_t upload_max = http_upload_max(route);
  if (!upload_max)
    return http_body_parse(ct, cs->body.data, cs->body.len, cs->too_large, &r->body, e);
  rp_rc rc = http_upload_check(ct, cs->too_large, upload_max, e);
  if (rc == RP_ERR_UNSUPPORTED) { /* told after the handler's authorisation (http.h) */
    r->body = json_object();
    return RP_OK;
  }
  if (rc) return rc;
  r->upload = cs->body.data ? cs->body.data : "";
  r->upload_len = cs->body.len;
  r->body = json_object();
  return RP_OK;
}

/* The session token from "Authorization: Bearer" or the session cookie
 * (over HTTPS only the __Host- one, which a browser keeps Secure and
 * bound to this host, so a sibling host cannot plant one). */
static const char *find_token(struct MHD_Connection *conn, bool *from_cookie) {
  const char *cookie = MHD_lookup_connection_value(
      conn, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE(g_cfg->env->https));
  return http_token_pick(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
                         cookie, from_cookie);
}

static bool is_write(const char *method) {
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Cookie-authenticated writes need the CSRF header and must not come
 * from another site. */
static rp_rc check_csrf(http_req *r, rp_err *e) {
  const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
  if (site && strcmp(site, "cross-site") == 0)
    return rp_fail(e, RP_ERR_FORBIDDEN, "csrf", "Cross-site requests are refused.");
  const char *sent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
  char want[44];
  app_csrf_for(&r->app, r->token, want);
  if (!sent || !token_equal(sent, want))
    return rp_fail(e, RP_ERR_FORBIDDEN, "csrf", "Send the X-CSRF-Token header given at sign-in.");
  return RP_OK;
}

/* Why a route opens confidential text, NULL when it does not (http.h). */
static const char *route_purpose(const http_route *route) {
  switch (HTTP_ACCESS(route)) {
  case HTTP_OPENS_TEXT: return APP_PURPOSE_SHOWN;
  case HTTP_EXPORTS_TEXT: return APP_PURPOSE_EXPORT;
  default: return NULL;
  }
}

static rp_rc authenticate(http_req *r, const http_route *route, bool *touch, rp_err *e) {
  bool cookie = false;
  r->token = find_token(r->conn, &cookie);
  if (HTTP_ACCESS(route) == HTTP_PUBLIC) return RP_OK;
  if (!r->token) return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  if ((route->access & HTTP_READS_SESSION) && !is_write(r->method))
    return app_authenticate_later(&r->app, r->token, e);
  rp_rc rc = app_authenticate(&r->app, r->token, touch, e);
  if (!rc && cookie && is_write(r->method)) rc = check_csrf(r, e);
  return rc;
}

/* After the handler of a route that reads its session itself: one that did
 * not (it failed before, or does not) gets the session checked now, and
 * an answer only when it failed anyway. */
static rp_rc session_left_unchecked(http_req *r, const http_route *route, rp_rc rc, bool *touch,
                                    rp_err *e) {
  rp_err auth = {0};
  r->app.session_unchecked = false;
  if (app_authenticate(&r->app, r->token, touch, &auth)) {
    *e = auth;
    return auth.rc;
  }
  if (rc) return rc;
  log_error("%s %s answered without reading its session", r->method, route->pattern);
  return rp_fail(e, RP_ERR_INTERNAL, "session_unchecked", "The request failed.");
}

/* ---- responses ---- */

/* The web client's policy (static.c) on every answer: no inline script or
 * style, nothing from elsewhere, no framing. */
#define CSP                                                                                     \
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "             \
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "            \
  "form-action 'self'"

static void add_security_headers(struct MHD_Response *resp) {
  /* HSTS only when people reach Rapport over HTTPS (--public-url https://):
   * the plain listener sits behind the TLS proxy; on plain http it means
   * nothing and would break a later plain-http run on the same host name. */
  if (g_cfg && g_cfg->env->https)
    MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Content-Security-Policy", CSP);
}

static void add_common_headers(struct MHD_Response *resp) {
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  add_security_headers(resp);
}

/* Per-connection caps against slow and greedy clients (SECURITY.md): a
 * connection is kept alive for CONN_REQUESTS_MAX requests, and the answer
 * to the next one carries "Connection: close" and ends it; a request's
 * line and headers must fit the connection's CONN_MEMORY bytes, else
 * libmicrohttpd answers 431 itself. The count lives in the socket
 * context, which one pool thread alone uses. */
#define CONN_REQUESTS_MAX 1000
#define CONN_MEMORY ((size_t)32 * 1024)

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
  (void)cls;
  (void)conn;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    *socket_context = rp_xcalloc(1, sizeof(unsigned long));
  } else {
    free(*socket_context);
    *socket_context = NULL;
  }
}

/* Counts an answer on conn; true once the connection is past the cap. */
static bool conn_over_cap(struct MHD_Connection *conn) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  unsigned long *count = ci ? ci->socket_context : NULL;
  return count && ++*count > CONN_REQUESTS_MAX;
}

/* A JSON answer with the common headers, or NULL when out of memory. text
 * (malloc'd, owned by the answer from here) is used when given, else body
 * is dumped. */
static struct MHD_Response *json_response(struct MHD_Connection *conn, json_t *body, char *text,
                                          const char *ctype, const char *cookie,
                                          const char *retry_after, const char *disposition) {
  if (!text) text = body ? http_json_text(body) : NULL;
  struct MHD_Response *resp =
      text ? MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE)
           : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!resp) {
    free(text);
    return NULL;
  }
  if (text) MHD_add_response_header(resp, "Content-Type", ctype);
  if (cookie) MHD_add_response_header(resp, "Set-Cookie", cookie);
  if (retry_after) MHD_add_response_header(resp, "Retry-After", retry_after);
  if (disposition) MHD_add_response_header(resp, "Content-Disposition", disposition);
  if (conn_over_cap(conn)) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  add_common_headers(resp);
  return resp;
}

/* Sends resp with the request's id, and counts and logs the request: its
 * route pattern, status, duration and actor, never its path or body. */
static enum MHD_Result queue(struct MHD_Connection *conn, conn_state *cs, unsigned status,
                             struct MHD_Response *resp) {
  double took = metric_now() - cs->t0;
  http_metrics_request(cs->slot, status, took);
  log_level level = cs->quiet ? LOG_DEBUG : LOG_INFO;
  if (log_enabled(level)) {
    log_request_line line = {cs->request_id, cs->method, cs->route, (int)status, took, cs->actor};
    log_request(level, &line);
  }
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, "X-Request-Id", cs->request_id);
  enum MHD_Result ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* The RFC 9457 answer for e, and its status in *status. */
static struct MHD_Response *problem_response(struct MHD_Connection *conn, const rp_err *e,
                                             const char *url, unsigned *status) {
  json_t *p = http_problem(e, url);
  int st = rp_rc_status(e->rc ? e->rc : RP_ERR_INTERNAL);
  if (st >= 500) log_error("%s: %d %s: %s", url, st, e->code, e->detail);
  char retry[24]; /* the seconds app/ computed, else a minute */
  snprintf(retry, sizeof retry, "%d", e->retry_after > 0 ? e->retry_after : 60);
  struct MHD_Response *resp = json_response(conn, p, NULL, "application/problem+json", NULL,
                                            e->rc == RP_ERR_RATE ? retry : NULL, NULL);
  json_decref(p);
  *status = (unsigned)st;
  return resp;
}

static enum MHD_Result send_problem(struct MHD_Connection *conn, conn_state *cs, const rp_err *e,
                                    const char *url) {
  unsigned status;
  struct MHD_Response *resp = problem_response(conn, e, url, &status);
  return queue(conn, cs, status, resp);
}

/* The waiter of a read whose access-log rows go to the writer
 * (app/privacy/audit.h): park suspends the connection, release (on the writer's
 * thread) records the outcome and resumes it; on_request then sends. */
static void park_answer(void *arg) {
  conn_state *cs = arg;
  cs->parked = true;
  MHD_suspend_connection(cs->conn);
}

static void release_answer(void *arg, const rp_err *failed) {
  conn_state *cs = arg;
  cs->logged = failed ? failed->rc : RP_OK;
  if (failed) {
    snprintf(cs->logged_code, sizeof cs->logged_code, "%s", failed->code);
    snprintf(cs->logged_detail, sizeof cs->logged_detail, "%s", failed->detail);
  }
  MHD_resume_connection(cs->conn);
}

/* The parked answer, once its rows are committed; a 500 with nothing of
 * it when they could not be. */
static enum MHD_Result send_parked(struct MHD_Connection *conn, const char *url, conn_state *cs) {
  struct MHD_Response *resp = cs->resp;
  cs->resp = NULL;
  cs->parked = false;
  if (cs->logged == RP_OK) return queue(conn, cs, cs->status, resp);
  if (resp) MHD_destroy_response(resp);
  /* The problem a read logging in its own transaction would get: a full
   * disk is 507 storage_full, anything else a 500 that says nothing. */
  rp_err e = {0};
  if (cs->logged == RP_ERR_FULL)
    rp_fail(&e, RP_ERR_FULL, cs->logged_code, "%s", cs->logged_detail);
  else
    rp_fail(&e, RP_ERR_INTERNAL, "access_not_logged", "The request failed.");
  return send_problem(conn, cs, &e, url);
}

/* A file of the web client (static.c), or the problem when there is none. */
static enum MHD_Result send_static(struct MHD_Connection *conn, conn_state *cs, const char *url,
                                   const char *method) {
  unsigned status;
  struct MHD_Response *resp = http_static_response(conn, method, url, &status);
  if (!resp) {
    rp_err e = {0};
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
      rp_fail(&e, RP_ERR_METHOD, "method_not_allowed", "%s is not allowed here.", method);
    else if (status == MHD_HTTP_NOT_FOUND)
      rp_fail(&e, RP_ERR_NOT_FOUND, "not_found", "There is nothing at %s.", url);
    else
      return MHD_NO;
    return send_problem(conn, cs, &e, url);
  }
  if (conn_over_cap(conn)) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  add_security_headers(resp);
  return queue(conn, cs, status, resp);
}

/* The request's id: X-Request-Id when the client (or the proxy in front)
 * sent a well-formed one, 1 to 64 of [A-Za-z0-9._:-], else 16 random hex
 * digits. It is returned in the answer and names the request's log line. */
static void request_id(struct MHD_Connection *conn, char out[72]) {
  const char *sent = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
  size_t n = sent ? strlen(sent) : 0;
  bool ok = n >= 1 && n <= 64;
  for (size_t i = 0; ok && i < n; i++) {
    char c = sent[i];
    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == ':' || c == '-';
  }
  if (ok) {
    memcpy(out, sent, n + 1);
    return;
  }
  /* Random ids from a pool the thread fills now and then: a request id
   * needs to be unique, not secret, and a system call for each of them
   * was a measurable part of a small GET. */
  static _Thread_local unsigned char pool[8 * 64];
  static _Thread_local size_t used = sizeof pool;
  if (used == sizeof pool) {
    randombytes_buf(pool, sizeof pool);
    used = 0;
  }
  sodium_bin2hex(out, 72, pool + used, 8);
  used += 8;
}


/* Whether this instance can serve: a connection of its own to the database
 * answers, every migration is applied and the key is loaded. A fresh
 * connection, so that a database that went away and came back is seen. */
static bool ready(rp_err *e) {
  if (g_draining) return rp_fail(e, RP_ERR_UNAVAILABLE, "stopping", "Rapport is stopping."), false;
  if (!g_cfg->env->keys)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "no_key", "The key is not loaded."), false;
  store *st;
  if (store_open(g_cfg->db_path, &st, e)) {
    e->rc = RP_ERR_UNAVAILABLE;
    snprintf(e->code, sizeof e->code, "database_unreachable");
    snprintf(e->detail, sizeof e->detail, "The database does not answer.");
    return false;
  }
  bool migrated = false;
  rp_rc rc = store_ready(st, &migrated, e);
  store_close(st);
  if (rc) {
    e->rc = RP_ERR_UNAVAILABLE;
    snprintf(e->code, sizeof e->code, "database_unreachable");
    snprintf(e->detail, sizeof e->detail, "The database does not answer.");
    return false;
  }
  if (!migrated)
    return rp_fail(e, RP_ERR_UNAVAILABLE, "not_migrated", "Migrations are pending."), false;
  return true;
}

/* GET /healthz (the process lives) and GET /readyz (it can serve), for
 * load balancers and systemd; logged at debug level only. */
static enum MHD_Result send_health(struct MHD_Connection *conn, conn_state *cs, const char *url,
                                   const char *method) {
  cs->slot = http_metrics_slot(NULL, HTTP_METRICS_HEALTH);
  cs->route = url;
  cs->quiet = true;
  rp_err e = {0};
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    rp_fail(&e, RP_ERR_METHOD, "method_not_allowed", "%s is not allowed here.", method);
    return send_problem(conn, cs, &e, url);
  }
  bool readiness = strcmp(url, "/readyz") == 0;
  if (readiness && !ready(&e)) return send_problem(conn, cs, &e, url);
  char *text = rp_xstrdup(readiness ? "{\"status\":\"ready\"}" : "{\"status\":\"alive\"}");
  struct MHD_Response *resp =
      json_response(conn, NULL, text, "application/json", NULL, NULL, NULL);
  return queue(conn, cs, 200, resp);
}

/* GET /api/v1/openapi.json: the API description (openapi.c), built once
 * from the route tables. Answered here rather than from a route table,
 * which the description is made from. */
static enum MHD_Result send_openapi(struct MHD_Connection *conn, conn_state *cs, const char *url,
                                    const char *method) {
  cs->slot = http_metrics_slot(NULL, HTTP_METRICS_OPENAPI);
  cs->route = HTTP_OPENAPI_PATH;
  rp_err e = {0};
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    rp_fail(&e, RP_ERR_METHOD, "method_not_allowed", "%s is not allowed here.", method);
    return send_problem(conn, cs, &e, url);
  }
  const char *why;
  const char *text = http_openapi_text(&why);
  if (!text) {
    log_error("the API description: %s", why);
    rp_fail(&e, RP_ERR_INTERNAL, "no_description", "The API description is incomplete.");
    return send_problem(conn, cs, &e, url);
  }
  struct MHD_Response *resp =
      json_response(conn, NULL, rp_xstrdup(text), "application/json", NULL, NULL, NULL);
  return queue(conn, cs, 200, resp);
}

static enum MHD_Result respond(struct MHD_Connection *conn, const char *url, const char *method,
                               conn_state *cs) {
  if (strcmp(url, "/healthz") == 0 || strcmp(url, "/readyz") == 0)
    return send_health(conn, cs, url, method);
  if (strcmp(url, HTTP_OPENAPI_PATH) == 0) return send_openapi(conn, cs, url, method);
  if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0) {
    cs->slot = http_metrics_slot(NULL, HTTP_METRICS_STATIC);
    cs->route = "static";
    return send_static(conn, cs, url, method);
  }
  rp_err e = {0};
  bool path_known = false;
  int64_t ids[HTTP_MAX_IDS] = {0};
  const http_route *route = http_route_find(method, url, ids, &path_known);
  if (!route) {
    if (path_known)
      rp_fail(&e, RP_ERR_METHOD, "method_not_allowed", "%s is not allowed here.", method);
    else
      rp_fail(&e, RP_ERR_NOT_FOUND, "not_found", "There is nothing at %s.", url);
    enum MHD_Result ret = send_problem(conn, cs, &e, url);
    return ret;
  }
  cs->slot = http_metrics_slot(route, HTTP_METRICS_NONE);
  cs->route = route->pattern;
  http_req r;
  memset(&r, 0, sizeof r);
  r.method = method;
  r.path = url;
  r.conn = conn;
  r.status = 200;
  memcpy(r.id, ids, sizeof ids);
  r.app.env = g_cfg->env;
  r.app.now = app_clock_now();
  worker *w = thread_worker(&e);
  if (!w) return send_problem(conn, cs, &e, url);
  r.app.st = w->st;
  r.app.a = w->a;
  /* A read request runs in one read transaction, from the session lookup
   * to the last row it renders: one snapshot, one set of locks. One that
   * opens confidential text hands its access-log rows to the log writer
   * and parks its answer until the writer committed them (app/privacy/audit.c,
   * "the log writer"); with no writer, or while it stops, it appends them
   * in its own transaction, taking the write lock only then (an export
   * runs as a write). Either way the answer leaves only after the commit
   * of its rows returned, so nothing leaves unlogged. */
  bool reading = !is_write(method), touch = false;
  r.app.purpose = route_purpose(route);
  bool opening = reading && app_access_route_logs(r.app.purpose);
  rp_rc rc = parse_body(&r, cs, route, &e);
  /* A route that reads its session with its row begins the read with that
   * statement (store_begin_read_one). */
  bool one = (route->access & HTTP_READS_SESSION) != 0;
  if (!rc && reading)
    rc = opening ? app_access_begin(&r.app, one, &e)
         : one   ? store_begin_read_one(r.app.st, &e)
                 : store_begin_read(r.app.st, &e);
  if (!rc) rc = authenticate(&r, route, &touch, &e);
  if (!rc) rc = route->handler(&r, &e);
  if (r.app.session_unchecked) rc = session_left_unchecked(&r, route, rc, &touch, &e);
  touch = touch || r.app.session_touch;
  cs->actor = r.app.actor;
  if (!rc && opening)
    rc = app_access_handoff(&r.app, g_log_writer,
                            (app_access_waiter){park_answer, release_answer, cs}, &e);
  if (opening) rc = app_access_commit(&r.app, rc, &e);
  store_end_all(r.app.st); /* a handler never leaves a transaction open */
  app_crypt_forget(&r.app); /* wipes the data keys the request unwrapped */
  /* The safety net: text was opened that is not in the access log (a
   * GET without its HTTP_OPENS_TEXT mark, or a write that opened text after
   * committing). Nothing of it is sent. */
  if (!rc && app_access_pending(&r.app)) {
    log_error("%s %s opened confidential text that is not in the access log", method, url);
    rc = rp_fail(&e, RP_ERR_INTERNAL, "access_not_logged", "The request failed.");
  }
  if (touch) {
    rp_err te = {0};
    if (app_session_touch(&r.app, r.token, &te)) log_warn("session touch: %s", te.detail);
  }
  struct MHD_Response *resp;
  unsigned status;
  if (rc) {
    if (!e.rc) rp_fail(&e, rc, "internal", "The request failed.");
    resp = problem_response(conn, &e, url, &status);
  } else {
    status = (unsigned)(r.out || r.out_text ? r.status : 204);
    const char *inm = r.etag ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match")
                             : NULL;
    if (inm && http_etag_matches(inm, r.etag) && !r.out) {
      free(r.out_text);
      r.out_text = NULL;
      status = MHD_HTTP_NOT_MODIFIED;
    }
    resp = json_response(conn, r.out, r.out_text, r.out_type ? r.out_type : "application/json",
                         r.set_cookie, NULL, r.disposition);
    r.out_text = NULL; /* the response owns it now */
    if (resp && r.set_cookie2) MHD_add_response_header(resp, "Set-Cookie", r.set_cookie2);
    if (resp && r.etag) {
      MHD_del_response_header(resp, "Cache-Control", "no-store");
      MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
      MHD_add_response_header(resp, "ETag", r.etag);
    }
  }
  json_decref(r.out);
  free(r.out_text);
  json_decref(r.body);
  arena_reset(r.app.a);
  if (rc) drop_lost_worker();
  if (cs->parked) { /* sent by send_parked once the writer released it */
    cs->resp = resp; /* NULL when out of memory: send_parked then ends the connection */
    cs->status = status;
    return MHD_YES; /* never MHD_NO: the writer will still resume this connection */
  }
  return queue(conn, cs, status, resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
  (void)cls;
  (void)version;
  conn_state *cs = *con_cls;
  if (!cs) {
    cs = rp_xcalloc(1, sizeof *cs);
    atomic_fetch_add(&g_in_flight, 1);
    cs->conn = conn;
    cs->t0 = metric_now();
    cs->method = method;
    cs->route = "none";
    cs->slot = http_metrics_slot(NULL, HTTP_METRICS_NONE);
    request_id(conn, cs->request_id);
    sb_init(&cs->body, http_body_cap(method, url));
    *con_cls = cs;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!cs->too_large && sb_append(&cs->body, upload_data, *upload_size) < 0)
      cs->too_large = true;
    *upload_size = 0;
    return MHD_YES;
  }
  if (cs->parked) return send_parked(conn, url, cs); /* called again after the resume */
  return respond(conn, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)conn;
  (void)toe;
  conn_state *cs = *con_cls;
  if (!cs) return;
  if (cs->resp) MHD_destroy_response(cs->resp); /* the client left while it was parked */
  sb_free(&cs->body);
  free(cs);
  *con_cls = NULL;
  atomic_fetch_sub(&g_in_flight, 1);
}

/* ---- jobs ---- */

static volatile sig_atomic_t g_stop;

static void *job_thread(void *arg) {
  (void)arg;
  rp_time last = 0;
  while (!g_stop) {
    rp_time now = app_clock_now();
    rp_err e = {0};
    worker *w = thread_worker(&e);
    if (now - last >= APP_JOBS_EVERY_S || now < last) {
      if (w) {
        app_ctx c = {.env = g_cfg->env, .st = w->st, .a = w->a, .now = now};
        int changed = 0;
        atomic_fetch_add(&g_metrics.job_runs, 1);
        if (app_jobs_run(&c, &changed, &e)) {
          atomic_fetch_add(&g_metrics.job_failures, 1);
          log_warn("jobs: %s", e.detail);
        } else if (changed) {
          log_info("jobs: %d changes", changed);
        }
        store_end_all(w->st);
        arena_reset(w->a);
        drop_lost_worker();
        w = NULL;
      }
      last = now;
    }
    /* Every second, outside the write lock: the access log's checkpoint,
     * which its writer's commits leave to this thread (store.h). */
    rp_err ce = {0};
    if (!w) w = tl_worker;
    if (w && store_checkpoint_audit(w->st, &ce)) log_warn("access log checkpoint: %s", ce.detail);
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
  }
  return NULL;
}

/* libmicrohttpd's own complaints, as lines of Rapport's log (so that a
 * JSON log stays JSON). */
static void mhd_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char msg[400];
  vsnprintf(msg, sizeof msg, fmt, ap);
  msg[strcspn(msg, "\n")] = '\0';
  log_warn("http: %s", msg);
}

/* ---- the metrics listener ---- */

/* GET /metrics on the separate metrics address: Prometheus's text format. */
static enum MHD_Result on_metrics(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
  (void)cls;
  (void)version;
  (void)upload_data;
  if (!*con_cls) { /* answer on the second call, as on_request does */
    *con_cls = conn;
    return MHD_YES;
  }
  if (*upload_size) {
    *upload_size = 0;
    return MHD_YES;
  }
  unsigned status = 200;
  char *text = NULL;
  if (strcmp(url, "/metrics") != 0) {
    status = 404;
  } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    status = 405;
  } else {
    http_ops_figures f = {.backend = store_is_postgres(g_cfg->db_path) ? "postgresql" : "sqlite"};
    rp_err e = {0};
    worker *w = thread_worker(&e);
    if (w) {
      app_ctx c = {.env = g_cfg->env, .st = w->st, .a = w->a, .now = app_clock_now()};
      f.have_db = app_ops_figures(&c, &f.sessions, &f.db_bytes, &e) == RP_OK;
      arena_reset(w->a);
      if (!f.have_db) drop_lost_worker();
    }
    text = http_metrics_text(&f);
    if (!text) status = 500;
  }
  if (!text) text = rp_xstrdup(status == 404 ? "Not found: the metrics are at /metrics.\n"
                                              : status == 405 ? "Only GET.\n" : "Failed.\n");
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, "Content-Type",
                          status == 200 ? "text/plain; version=0.0.4; charset=utf-8"
                                        : "text/plain; charset=utf-8");
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* The port a daemon listens on. */
static unsigned bound_port(struct MHD_Daemon *d) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  return info ? (unsigned)info->port : 0u;
}

/* Tells systemd (Type=notify) how things stand; nothing when not asked. */
static void notify(const char *state) {
#ifdef RAPPORT_SYSTEMD
  if (g_cfg->notify) sd_notify(0, state);
#else
  (void)state;
#endif
}

/* Lets the requests in flight finish: the listening socket is closed
 * (quiesce), then this waits until every request begun was answered, or
 * drain_s passed. Keep-alive connections idle between requests are then
 * closed by MHD_stop_daemon. */
static void drain(struct MHD_Daemon *d) {
  MHD_quiesce_daemon(d);
  double until = metric_now() + (g_cfg->drain_s > 0 ? g_cfg->drain_s : 10);
  for (;;) {
    int left = atomic_load(&g_in_flight);
    if (left <= 0 || metric_now() >= until) {
      if (left > 0) log_warn("stopping with %d requests unanswered", left);
      break;
    }
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

/* ---- start and stop ---- */

static bool parse_listen(const char *listen, struct sockaddr_in *sa) {
  char host[64];
  const char *colon = strrchr(listen, ':');
  int64_t port;
  if (!colon || (size_t)(colon - listen) >= sizeof host) return false;
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  if (!rp_parse_i64(colon + 1, 0, 65535, &port)) return false;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
  return inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

int http_serve(const http_config *cfg) {
  g_cfg = cfg;
  rp_err we = {0};
  struct sockaddr_in sa;
  if (!parse_listen(cfg->listen, &sa)) {
    fprintf(stderr, "rapport: --listen wants HOST:PORT with an IPv4 address, not '%s'\n",
            cfg->listen);
    return 2;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads started from here inherit the mask */
  http_metrics_init();
  struct sockaddr_in msa;
  if (cfg->metrics && !parse_listen(cfg->metrics, &msa)) {
    fprintf(stderr, "rapport: --metrics wants HOST:PORT with an IPv4 address, not '%s'\n",
            cfg->metrics);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  g_log_writer = app_access_writer_start(cfg->db_path, &we);
  if (!g_log_writer && we.rc) {
    fprintf(stderr, "rapport: the access-log writer cannot start: %s\n", we.detail);
    return 1;
  }
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC, 0, NULL, NULL, &on_request, NULL,
      MHD_OPTION_EXTERNAL_LOGGER, &mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)(cfg->threads > 0 ? cfg->threads : 2), MHD_OPTION_NOTIFY_COMPLETED, &on_completed,
      NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)1000, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_NOTIFY_CONNECTION,
      &on_connection, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "rapport: cannot listen on %s\n", cfg->listen);
    app_access_writer_free(g_log_writer);
    return 1;
  }
  /* The metrics listener: one thread, its own address, never the public one. */
  struct MHD_Daemon *md = NULL;
  if (cfg->metrics) {
    md = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                          &on_metrics, NULL, MHD_OPTION_EXTERNAL_LOGGER, &mhd_log, NULL,
                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&msa,
                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_CONNECTION_LIMIT,
                          (unsigned)16, MHD_OPTION_END);
    if (!md) {
      fprintf(stderr, "rapport: cannot listen for metrics on %s\n", cfg->metrics);
      MHD_stop_daemon(d);
      app_access_writer_free(g_log_writer);
      return 1;
    }
  }
  char host[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
  static char listening[96];
  snprintf(listening, sizeof listening, "http://%s:%u", host, bound_port(d));
  if (!cfg->env->public_url) cfg->env->public_url = listening; /* links in mail */
  app_mail_sender *sender = NULL;
  if (cfg->smtp) {
    rp_err se = {0};
    sender = app_mail_sender_start(cfg->db_path, cfg->env, cfg->smtp, &se);
    if (!sender) log_warn("mail: the sender cannot start: %s", se.detail);
  } else {
    log_info("mail: no --smtp given: mail waits in the outbox ('rapport mail status')");
  }
  printf("Rapport is serving %s\n", listening);
  if (md) {
    char mhost[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &msa.sin_addr, mhost, sizeof mhost);
    printf("Metrics at http://%s:%u/metrics\n", mhost, bound_port(md));
  }
  fflush(stdout);
  log_info("serving on %s:%u", host, bound_port(d));
  pthread_t jobs;
  pthread_create(&jobs, NULL, job_thread, NULL);
  notify("READY=1\nSTATUS=Serving");
  int sig = 0;
  for (;;) {
    sigwait(&set, &sig);
    if (sig != SIGHUP) break;
    atomic_fetch_add(&g_metrics.log_reopens, 1);
    if (!log_reopen()) log_error("SIGHUP: the log file cannot be opened again; kept the old one");
    else log_info("SIGHUP: the log file was opened again");
  }
  log_info("stopping on signal %d: finishing the requests in flight", sig);
  notify("STOPPING=1\nSTATUS=Finishing the requests in flight");
  g_draining = 1;
  g_stop = 1;
  drain(d);
  /* No answer may be parked when the daemon stops: the writer commits and
   * releases what it holds, and reads from here on log in their own
   * transaction. */
  app_access_writer_stop(g_log_writer);
  MHD_stop_daemon(d);
  if (md) MHD_stop_daemon(md);
  app_mail_sender_stop(sender);
  app_access_writer_free(g_log_writer);
  g_log_writer = NULL;
  pthread_join(jobs, NULL);
  close_workers();
  return 0;
}
