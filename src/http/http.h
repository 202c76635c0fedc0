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
  /* The body of an upload route (http_uploads): its bytes as sent (not
   * NUL-terminated), and body is then {}. NULL when it was not sent as
   * text/csv: the app function answers 415 once it has checked who asks,
   * so that the answer tells an outsider nothing. */
  const char *upload;
  size_t upload_len;
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
  HTTP_EXPORTS_TEXT, /* signed in, and exports confidential text */
  /* Or'd onto the access of a GET whose handler reads the session in its
   * first statement, with the row it asks for (app_authenticate_later):
   * the server does not look the session up first, and refuses to answer
   * when the handler did not. */
  HTTP_READS_SESSION = 0x10
} http_access;
/* The access of a route without HTTP_READS_SESSION. */
#define HTTP_ACCESS(route) ((http_access)((route)->access & ~HTTP_READS_SESSION))

/* What the API description says of a route (openapi.c), written in the
 * route table beside the entry it describes, so that a route cannot be
 * added without it: the OpenAPI document refuses a route with no summary,
 * and the API suite then fails. Schemas are in the schema notation:
 *
 *   type   := base ['?']          '?' after a type: it may also be null
 *   base   := int | id | num | str | bool | time | date | obj | any
 *           | Name                 a schema of http_schemas (render.c)
 *           | [type]               an array
 *           | <type>               an object whose members are all type
 *           | =a,b,c               one of these strings
 *           | {name[?]:type ...}   an object with exactly these members;
 *                                  '?' after a name: it may be left out
 *   a|b                            either (an object in one of two shapes)
 */
typedef struct http_doc {
  const char *summary;  /* one sentence: what the route does */
  const char *query;    /* its query arguments as an object ({limit?:int}), or NULL */
  const char *body;     /* its request body, or NULL when it reads none */
  int status;           /* the status of success */
  const char *answer;   /* the answer on success; NULL exactly when status is 204 */
  const char *media;    /* the answer's media type when not JSON ("text/calendar"; its
                           answer is then "str"), NULL: application/json */
  int also;             /* a second status of success, or 0 (a sign-in that first
                           needs the account linked: 202 beside 201) */
  const char *also_answer; /* the answer with that status */
  int also2;            /* a third, or 0 (a single sign-on callback that re-checked a
                           session: 200 beside 201 and 202) */
  const char *also2_answer;
  const char *problems; /* its own problem statuses ("409 429"; 304 for a conditional GET);
                           the common ones of its kind
                           are added (openapi.c: add_common_problems: 400 500 503 always,
                           401 403 when signed in, 413 415 507 for writes, 404 for {id},
                           409 for writes to an {id}, 422 with a body) */
} http_doc;

/* The answer of a paged list of `item`, and the query that pages it. */
#define HTTP_PAGE_OF(item) "{items:[" item "] next:id?}"
#define HTTP_PAGE_QUERY "{limit?:int after?:id}"

typedef struct http_route {
  const char *method;
  const char *pattern; /* "/api/v1/relationships/{id}/checkins" */
  http_handler handler;
  http_access access;
  http_doc doc;
} http_route;

/* Routes whose body is a file rather than a JSON object: a text/csv body
 * of at most max bytes, handed to the handler as it came (http_req.upload).
 * Every other route's body, if any, is a JSON object of at most
 * HTTP_BODY_MAX bytes. The list ends with {NULL}. */
typedef struct http_upload_route {
  const char *method, *pattern;
  size_t max;
} http_upload_route;
extern const http_upload_route http_uploads[]; /* routes_org.c */
/* The upload limit of route, 0 when it takes JSON. */
size_t http_upload_max(const http_route *route);
/* A named schema of the description, one per renderer (render.c). */
typedef struct http_schema {
  const char *name;     /* "Goal" */
  const char *notation; /* its members in the schema notation */
  const char *about;    /* a sentence, or NULL */
} http_schema;
extern const http_schema http_schemas[]; /* render.c; ends with {NULL} */

/* A route table with the tag that groups its routes in the description. */
typedef struct http_route_table {
  const char *tag, *about;
  const http_route *routes;
} http_route_table;

/* Every route table, in the order requests are matched (router.c). */
const http_route_table *http_route_tables(size_t *n);

/* Where the server answers with the document (server.c, before routing). */
#define HTTP_OPENAPI_PATH "/api/v1/openapi.json"
/* The OpenAPI 3.1 document as JSON text, built once; NULL with *why set
 * when a route's description is missing or does not parse (openapi.c). */
const char *http_openapi_text(const char **why);
/* The JSON Schema of a text in the schema notation (a new reference), or
 * NULL with err filled. known: the schemas a Name may refer to, or NULL
 * to accept any. */
json_t *http_schema_parse(const char *text, const json_t *known, char *err, size_t errlen);

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
extern const http_route http_routes_org[];         /* routes_org.c: single sign-on, rosters, exports */
extern const http_route http_routes_matching[];    /* routes_matching.c: profiles, runs, self-match */
extern const http_route http_routes_feedback360[]; /* routes_feedback360.c: 360 feedback */
extern const http_route http_routes_alumni[];      /* routes_alumni.c: alumni network */
extern const http_route http_routes_circles[];     /* routes_circles.c: peer circles */
extern const http_route http_routes_circle_proposals[]; /* routes_circle_proposals.c */
extern const http_route http_routes_circle_repair[]; /* routes_circle_repair.c: incidents, repair, goal reviews in circles */

/* The route for method and path, filling r->id; NULL when none. Sets
 * *path_known when the path matches a route with another method. */
const http_route *http_route_find(const char *method, const char *path, int64_t ids[HTTP_MAX_IDS],
                                  bool *path_known);

/* How many bytes of body the server collects for method and path: the
 * upload limit of an upload route, else HTTP_BODY_MAX. */
size_t http_body_cap(const char *method, const char *path);

/* ---- inputs ---- */

/* The page a list request asks for (?limit=&after=); 400 when malformed. */
rp_rc http_page(http_req *r, int64_t *after, int *limit, rp_err *e);
/* Reads a goal review's {"<goal id>": level, ...} (routes_goals.c). */
void http_read_review_levels(http_req *r, json_t *levels, goal_review_level **out, size_t *n,
                             rp_err *e);
/* Reads a body that may only carry an optional `at` (request.c). */
rp_rc http_read_at_only(http_req *r, rp_time *at, bool *has_at, rp_err *e);
/* Reads a body of one required `person_id` (a circle's member added or a
 * proposal's person dropped; request.c). */
rp_rc http_read_person_id(http_req *r, int64_t *person_id, rp_err *e);
/* The bodies of a repair plan's steps, for pairs and circles alike
 * (routes_pulses.c): {text, responsibility, at?}, and {commitment_ids:
 * 1..REPAIR_AMENDS_MAX positive ids, at?} into ids. */
rp_rc http_read_acknowledgement(http_req *r, const char **text, const char **responsibility,
                                rp_time *at, bool *has_at, rp_err *e);
rp_rc http_read_amends(http_req *r, int64_t *ids, size_t *n, rp_time *at, bool *has_at,
                       rp_err *e);
/* A query argument or NULL. */
const char *http_query(http_req *r, const char *name);
/* A cookie the request carries, or NULL. */
const char *http_cookie(http_req *r, const char *name);
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
/* The browser a request comes from, for a sign-in: its device cookie and
 * its User-Agent (request.c). */
app_device http_device(http_req *r);
/* Answers a sign-in of any kind (password, invitation link, single
 * sign-on): 201 with the session, the session cookie and the device
 * cookie the sign-in recorded (request.c). */
void http_signed_in(http_req *r, const app_session *s);

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

/* Matching's objects (routes_matching.c), also in the export: a profile as
 * its viewer may see it, and a self-match request. */
json_t *http_render_match_profile(const app_match_profile *p);
json_t *http_render_match_request(const store_match_request *q);

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

/* ---- metrics (metrics.c) ---- */

/* The slots of requests that match no route. */
typedef enum {
  HTTP_METRICS_STATIC,
  HTTP_METRICS_HEALTH,
  HTTP_METRICS_OPENAPI,
  HTTP_METRICS_NONE
} http_metrics_other;
void http_metrics_init(void);
/* The slot of route, or of `other` when route is NULL. */
int http_metrics_slot(const http_route *route, http_metrics_other other);
void http_metrics_request(int slot, unsigned status, double seconds);
/* What the scrape reads from the database (app_ops_figures). */
typedef struct http_ops_figures {
  const char *backend; /* "sqlite" or "postgresql" */
  bool have_db;        /* false: the database did not answer */
  int64_t sessions, db_bytes;
} http_ops_figures;
/* The metrics in Prometheus's text format (malloc'd), or NULL. */
char *http_metrics_text(const http_ops_figures *f);

/* ---- the server ---- */

typedef struct http_config {
  const char *db_path;
  const char *listen;   /* "127.0.0.1:8080" */
  const char *metrics;  /* the metrics listener's "127.0.0.1:9464", or NULL: none */
  int threads;
  int drain_s;          /* on SIGTERM, how long requests in flight may take */
  bool notify;          /* tell systemd when ready and when stopping (sd_notify) */
  /* Without --public-url, http_serve sets env->public_url to the address
   * it listens on, for the links in mail. */
  app_env *env;
  /* NULL: mail stays in the outbox, waiting (the operator sees it with
   * `rapport mail status`); else the sender thread delivers it. */
  const app_smtp *smtp;
} http_config;

/* Serves until SIGINT or SIGTERM, then stops taking connections, lets the
 * requests in flight finish (at most drain_s seconds) and commits the
 * access log; SIGHUP reopens the log file. Prints the address it listens
 * on (and the metrics listener's). */
int http_serve(const http_config *cfg);

#endif
