/* http.h: Rapport's HTTP face (libmicrohttpd + jansson).
 *
 * http/ owns nothing but HTTP: the routing table, request limits, JSON in
 * and out, and problem responses. Each route calls one app/ function.
 * A handler reads its inputs from the http_req, calls app/, and sets
 * `status` and `out` (a JSON value the server sends and frees). Failures
 * are returned as rp_rc with rp_err filled; the server turns them into
 * RFC 9457 problem responses.
 */
#ifndef RAPPORT_HTTP_HTTP_H
#define RAPPORT_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "base/strbuf.h"
#include "http/render.h"

#define HTTP_BODY_MAX (64 * 1024)
#define HTTP_JSON_DEPTH_MAX 32
/* How responses are written: compact, reals with all 17 significant digits
 * so that every number survives the round trip exactly. */
#define HTTP_JSON_DUMP_FLAGS JSON_COMPACT
#define HTTP_MAX_IDS 2

struct MHD_Connection;

typedef struct http_req {
  app_ctx app;              /* actor, clock reading, store and arena */
  const char *method, *path;
  int64_t id[HTTP_MAX_IDS]; /* the {id} segments of the path, in order */
  json_t *body;             /* the parsed object; {} when the body was empty */
  struct MHD_Connection *conn;
  const char *token;        /* the session token presented, if any */
  /* The response. */
  int status;               /* 200 unless the handler says otherwise */
  json_t *out;              /* owned reference; NULL sends no body (204) */
  char *out_text;           /* or the body already serialized (malloc'd; the server frees it) */
  const char *set_cookie;   /* a Set-Cookie header value, from the arena */
  const char *set_cookie2;  /* and a second one (NULL: none) */
  const char *disposition;  /* a Content-Disposition header value (downloads), from the arena */
  const char *out_type;     /* the Content-Type of out_text; NULL: application/json */
  /* An ETag for the answer (from the arena): a request whose If-None-Match
   * names it gets 304 without a body, and the answer may be kept by the
   * client (private, no-cache) instead of no-store. */
  const char *etag;
} http_req;

typedef rp_rc (*http_handler)(http_req *r, rp_err *e);

/* Who may call a route, and whether it opens confidential text. A GET
 * that opens text is marked HTTP_OPENS_TEXT (or HTTP_EXPORTS_TEXT): it runs
 * in one write transaction that also writes its access-log rows, with the
 * purpose "shown in Rapport" (or "export"), and its answer is sent only
 * once they are committed (server.c, app/privacy/audit.h). A write route needs no
 * mark: its own transaction logs what it opens (app_finish). Text opened
 * by an unmarked GET is never sent: the server answers 500. */
typedef enum http_access {
  HTTP_PUBLIC,       /* no session needed */
  HTTP_SIGNED_IN,    /* a valid session; finer rules live in app/ */
  HTTP_OPENS_TEXT,   /* signed in, and shows confidential text */
  HTTP_EXPORTS_TEXT  /* signed in, and exports confidential text */
} http_access;

typedef struct http_route {
  const char *method;
  const char *pattern; /* "/api/v1/relationships/{id}/checkins" */
  http_handler handler;
  http_access access;
} http_route;

/* Route tables, one per area, each ending with a {NULL} entry. */
extern const http_route http_routes_core[];        /* routes_core.c */
extern const http_route http_routes_agreements[];  /* routes_agreements.c */
extern const http_route http_routes_checkins[];    /* routes_checkins.c */
extern const http_route http_routes_commitments[]; /* routes_commitments.c */
extern const http_route http_routes_goals[];       /* routes_goals.c */
extern const http_route http_routes_exchanges[];   /* routes_exchanges.c */
extern const http_route http_routes_notes[];       /* routes_notes.c */
extern const http_route http_routes_health[];      /* routes_health.c: warnings, health */
extern const http_route http_routes_settings[];    /* routes_settings.c: a program's trust settings */
extern const http_route http_routes_pulses[];      /* routes_pulses.c: pulses, incidents, ... */
extern const http_route http_routes_trust[];       /* routes_trust.c: trust, timeline */
extern const http_route http_routes_dev[];         /* routes_dev.c: --dev and bench only */
extern const http_route http_routes_audit[];       /* routes_audit.c: my access log */
extern const http_route http_routes_mail[];        /* routes_mail.c: password reset */
extern const http_route http_routes_me[];          /* routes_me.c: confirm, export, deletion */

/* The route for method and path, filling r->id; NULL when none. Sets
 * *path_known when the path matches a route with another method. */
const http_route *http_route_find(const char *method, const char *path, int64_t ids[HTTP_MAX_IDS],
                                  bool *path_known);

/* ---- inputs ---- */

/* The page a list request asks for (?limit=&after=); 400 when malformed. */
rp_rc http_page(http_req *r, int64_t *after, int *limit, rp_err *e);
/* A query argument or NULL. */
const char *http_query(http_req *r, const char *name);
/* The client's address as sign-in throttling counts it (request.c). */
const char *http_client_address(http_req *r);
/* The Set-Cookie value of the session cookie for token (NULL: clears it);
 * Secure and __Host- prefixed when served over HTTPS (request.c). */
const char *http_session_cookie(http_req *r, const char *token);
/* The session cookie's name: __Host- prefixed when people reach Rapport
 * over HTTPS (app_env.https). */
#define HTTP_SESSION_COOKIE(https) ((https) ? "__Host-rapport_session" : "rapport_session")
/* The long-lived device cookie a sign-in sets (app_login): a random token
 * that tells a browser the account signed in from before. */
#define HTTP_DEVICE_COOKIE(https) ((https) ? "__Host-rapport_device" : "rapport_device")
#define HTTP_DEVICE_COOKIE_S (400 * 86400)
const char *http_device_cookie(http_req *r, const char *token);

/* jin: reading a JSON object field by field. Every problem is recorded in
 * e as a field error with its JSON pointer; after reading all fields the
 * handler checks e->rc once. */
typedef struct jin {
  json_t *obj;
  rp_err *e;
  arena *a;
  const char *prefix; /* pointer of obj itself, "" for the body */
} jin;

/* Starts reading obj; every member not in `allowed` (NULL-terminated) is an
 * "Unknown field." error. A non-object is an error at the prefix. */
void jin_start(jin *j, json_t *obj, const char *prefix, const char *const *allowed, arena *a,
               rp_err *e);
/* A string of 1..max bytes (trimmed of nothing: the text is the person's).
 * Returns NULL when absent (an error if required) or invalid. */
const char *jin_text(jin *j, const char *key, bool required, size_t max);
/* An integer in [lo, hi]. Returns true when present and valid. */
bool jin_int(jin *j, const char *key, bool required, int64_t lo, int64_t hi, int64_t *out);
/* A positive integer id. */
bool jin_id(jin *j, const char *key, bool required, int64_t *out);
/* A number (integer or real) in [lo, hi]. */
bool jin_number(jin *j, const char *key, bool required, double lo, double hi, double *out);
/* An RFC 3339 date-time. */
bool jin_time(jin *j, const char *key, bool required, rp_time *out);
/* A YYYY-MM-DD date. */
bool jin_date(jin *j, const char *key, bool required, int32_t *out);
/* One of names (NULL-terminated); returns its index or -1. */
int jin_enum(jin *j, const char *key, bool required, const char *const *names);
/* A boolean. */
bool jin_bool(jin *j, const char *key, bool required, bool *out);
/* A nested object or array (borrowed), or NULL. */
json_t *jin_object(jin *j, const char *key, bool required);
json_t *jin_array(jin *j, const char *key, bool required, size_t max_items);
/* The JSON pointer of key under j (in the arena). */
const char *jin_pointer(jin *j, const char *key);

/* ---- outputs ---- */

/* JSON values for Rapport's types; a time of 0 and a date of INT32_MIN
 * become null. */
json_t *jt_time(rp_time t);
json_t *jt_date(int32_t days);
/* Minutes after midnight as "HH:MM" (null when negative), and back:
 * -1 when s is NULL, -2 when it is not such a time. */
json_t *jt_hhmm(int minutes);
int http_minutes_of(const char *s);
json_t *jt_id(int64_t id); /* 0 becomes null */
json_t *jt_ids(const int64_t *ids, size_t n); /* [id, ...] */
json_t *jt_str(const char *s); /* NULL becomes null */
/* {items: [...], next: id|null}; steals items. */
json_t *jt_page(json_t *items, int64_t next);

/* The objects (render_person, render_checkin, ...): http/render.h. */

/* The text of v, an object or array, as json_dumps(v, HTTP_JSON_DUMP_FLAGS)
 * writes it (json_text.c), malloc'd; NULL where json_dumps fails. */
char *http_json_text(const json_t *v);

/* jout: one JSON object written member by member, either as text (the
 * bytes http_json_text writes of the same value, without building it) or
 * as a jansson value, so that an object has one renderer for both
 * (json_text.c). A key is NULL for the outermost object, else a member's
 * name. Failures stick and show at the end: jout_text_end gives the text
 * (malloc'd) and jout_tree_end the value (a new reference), each NULL when
 * anything failed or an object was left open. The fields are jout's own. */
#define JOUT_DEPTH_MAX 8
typedef struct jout {
  strbuf sb;                          /* text: what was flushed */
  size_t n;                           /* text: bytes in buf */
  bool bad, as_tree;
  int depth;                          /* objects open */
  bool first[JOUT_DEPTH_MAX + 1];     /* text: no member yet at this depth */
  json_t *root;                       /* tree: the outermost value */
  json_t *open[JOUT_DEPTH_MAX + 1];   /* tree: the open objects (borrowed) */
  char buf[1024];                     /* text: the pieces not yet flushed; last */
} jout;

void jout_text(jout *w);
void jout_tree(jout *w);
char *jout_text_end(jout *w);
json_t *jout_tree_end(jout *w);
void jout_object(jout *w, const char *key); /* opens an object */
void jout_close(jout *w);                   /* closes the innermost one */
void jout_int(jout *w, const char *key, int64_t v);
void jout_bool(jout *w, const char *key, bool v);
void jout_null(jout *w, const char *key);
void jout_str(jout *w, const char *key, const char *s); /* NULL: null */
void jout_id(jout *w, const char *key, int64_t id);     /* 0: null, as jt_id */
void jout_time(jout *w, const char *key, rp_time t);    /* 0: null, as jt_time */

/* The problem document for e (RFC 9457). */
json_t *http_problem(const rp_err *e, const char *instance);

/* ---- the web client (static.c) ---- */

struct MHD_Response;
/* The answer for a GET or HEAD of an embedded web file ("/" is
 * index.html) with Content-Type, ETag and Cache-Control set, or a 304 when
 * If-None-Match names its ETag. NULL when there is none: *status is then
 * 404 (no such file), 405 (another method) or 500. */
struct MHD_Response *http_static_response(struct MHD_Connection *conn, const char *method,
                                          const char *url, unsigned *status);
/* Whether an If-None-Match header value names etag (or is "*"), compared
 * weakly as RFC 9110 13.1.2 asks. */
bool http_etag_matches(const char *header, const char *etag);

/* ---- the server ---- */

typedef struct http_config {
  const char *db_path;
  const char *listen;   /* "127.0.0.1:8080" */
  int threads;
  /* Without --public-url, http_serve sets env->public_url to the address
   * it listens on, for the links in mail. */
  app_env *env;
  /* NULL: mail stays in the outbox, waiting (the operator sees it with
   * `rapport mail status`); else the sender thread delivers it. */
  const app_smtp *smtp;
} http_config;

/* Serves until SIGINT or SIGTERM. Prints the address it listens on. */
int http_serve(const http_config *cfg);

#endif
