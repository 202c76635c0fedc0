/* openapi.c: the OpenAPI 3.1 description of Rapport's API, built from the
 * route tables (each entry's http_doc, written beside it) and the
 * renderers' schemas (render.c, http_schemas), so that it cannot drift
 * from what the server does. Served at GET /api/v1/openapi.json and
 * printed by `rapport openapi`.
 *
 * Schemas are written in a short notation (http.h, "the schema
 * notation") that this file turns into JSON Schema:
 *
 *   {id:id title:str due_on?:date? tags:[str] status:=active,dropped}
 *
 * A route without a summary or an answer's status, or a notation that
 * does not parse, or a reference to a schema that does not exist, makes
 * the whole document fail with a message naming the route: the API
 * suite then fails at its first request.
 */
#include "http/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RAPPORT_VERSION
#define RAPPORT_VERSION "0.0.0"
#endif

/* ---- the schema notation ---- */

typedef struct notation {
  const char *s; /* where the reader is */
  char *err;     /* the message when it fails */
  size_t errlen;
  const json_t *known; /* components.schemas, for checking references */
} notation;

static json_t *parse_type(notation *n);
static json_t *parse_single(notation *n);

static void skip_space(notation *n) {
  while (isspace((unsigned char)*n->s))
    n->s++;
}

static json_t *fail_at(notation *n, const char *what) {
  snprintf(n->err, n->errlen, "%s at \"%.30s\"", what, n->s);
  return NULL;
}

static size_t word_len(const char *s) {
  size_t k = 0;
  while (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-' || s[k] == '.')
    k++;
  return k;
}

/* t with null allowed too. */
static json_t *nullable(json_t *t) {
  json_t *type = json_object_get(t, "type");
  if (json_is_string(type)) {
    json_object_set_new(t, "type", json_pack("[O, s]", type, "null"));
    json_t *en = json_object_get(t, "enum");
    if (en) json_array_append_new(en, json_null());
    return t;
  }
  return json_pack("{s:[o, {s:s}]}", "anyOf", t, "type", "null");
}

/* {name[?]:type ...} after the '{'. */
static json_t *parse_object(notation *n) {
  json_t *props = json_object(), *req = json_array();
  for (;;) {
    skip_space(n);
    if (*n->s == '}') {
      n->s++;
      break;
    }
    size_t k = word_len(n->s);
    if (k == 0 || k > 63) {
      json_decref(props);
      json_decref(req);
      return fail_at(n, "a member name was expected");
    }
    char name[64];
    memcpy(name, n->s, k);
    name[k] = '\0';
    n->s += k;
    bool optional = *n->s == '?';
    if (optional) n->s++;
    if (*n->s != ':') {
      json_decref(props);
      json_decref(req);
      return fail_at(n, "':' was expected");
    }
    n->s++;
    json_t *t = parse_type(n);
    if (!t) {
      json_decref(props);
      json_decref(req);
      return NULL;
    }
    json_object_set_new(props, name, t);
    if (!optional) json_array_append_new(req, json_string(name));
  }
  json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                        "additionalProperties", 0);
  if (json_array_size(req))
    json_object_set_new(o, "required", req);
  else
    json_decref(req);
  return o;
}

/* =a,b,c after the '='. */
static json_t *parse_enum(notation *n) {
  json_t *names = json_array();
  do {
    size_t k = word_len(n->s);
    if (k == 0) {
      json_decref(names);
      return fail_at(n, "an enum value was expected");
    }
    json_array_append_new(names, json_stringn(n->s, k));
    n->s += k;
  } while (*n->s == ',' && n->s++);
  return json_pack("{s:s, s:o}", "type", "string", "enum", names);
}

static json_t *parse_word(notation *n) {
  static const struct {
    const char *word, *json;
  } prims[] = {
      {"int", "{\"type\": \"integer\"}"},
      {"id", "{\"type\": \"integer\", \"minimum\": 1}"},
      {"num", "{\"type\": \"number\"}"},
      {"str", "{\"type\": \"string\"}"},
      {"bool", "{\"type\": \"boolean\"}"},
      {"time", "{\"type\": \"string\", \"format\": \"date-time\"}"},
      {"date", "{\"type\": \"string\", \"format\": \"date\"}"},
      {"obj", "{\"type\": \"object\"}"},
      {"any", "{}"},
      {"null", "{\"type\": \"null\"}"},
  };
  size_t k = word_len(n->s);
  if (k == 0) return fail_at(n, "a type was expected");
  for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++)
    if (strlen(prims[i].word) == k && strncmp(prims[i].word, n->s, k) == 0) {
      n->s += k;
      return json_loads(prims[i].json, 0, NULL);
    }
  if (!isupper((unsigned char)*n->s)) return fail_at(n, "an unknown type");
  char ref[128];
  snprintf(ref, sizeof ref, "%.*s", (int)k, n->s);
  if (n->known && !json_object_get(n->known, ref))
    return fail_at(n, "a schema that does not exist");
  n->s += k;
  char path[160];
  snprintf(path, sizeof path, "#/components/schemas/%s", ref);
  return json_pack("{s:s}", "$ref", path);
}

/* One type or several joined by '|' (any of them). */
static json_t *parse_type(notation *n) {
  json_t *t = parse_single(n);
  if (!t || *n->s != '|') return t;
  json_t *any = json_pack("{s:[o]}", "anyOf", t);
  while (*n->s == '|') {
    n->s++;
    json_t *u = parse_single(n);
    if (!u) {
      json_decref(any);
      return NULL;
    }
    json_array_append_new(json_object_get(any, "anyOf"), u);
  }
  return any;
}

static json_t *parse_single(notation *n) {
  skip_space(n);
  json_t *t;
  char c = *n->s;
  if (c == '{') {
    n->s++;
    t = parse_object(n);
  } else if (c == '[' || c == '<') {
    n->s++;
    json_t *item = parse_type(n);
    if (!item) return NULL;
    if (*n->s != (c == '[' ? ']' : '>')) {
      json_decref(item);
      return fail_at(n, c == '[' ? "']' was expected" : "'>' was expected");
    }
    n->s++;
    t = c == '[' ? json_pack("{s:s, s:o}", "type", "array", "items", item)
                 : json_pack("{s:s, s:o}", "type", "object", "additionalProperties", item);
  } else if (c == '=') {
    n->s++;
    t = parse_enum(n);
  } else {
    t = parse_word(n);
  }
  if (t && *n->s == '?') {
    n->s++;
    t = nullable(t);
  }
  return t;
}

json_t *http_schema_parse(const char *text, const json_t *known, char *err, size_t errlen) {
  notation n = {text, err, errlen, known};
  json_t *t = parse_type(&n);
  skip_space(&n);
  if (t && *n.s) {
    json_decref(t);
    return fail_at(&n, "the schema goes on");
  }
  return t;
}

/* ---- the document ---- */

static json_t *problem_schema(void) {
  return json_loads(
      "{\"type\": \"object\", \"required\": [\"type\", \"title\", \"status\", \"code\"],"
      " \"properties\": {\"type\": {\"type\": \"string\"}, \"title\": {\"type\": \"string\"},"
      " \"status\": {\"type\": \"integer\"}, \"code\": {\"type\": \"string\"},"
      " \"detail\": {\"type\": \"string\"}, \"instance\": {\"type\": \"string\"},"
      " \"errors\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
      " \"required\": [\"pointer\", \"detail\"], \"properties\": {\"pointer\": {\"type\":"
      " \"string\"}, \"detail\": {\"type\": \"string\"}}}}},"
      " \"description\": \"An RFC 9457 problem; code names the case for programs.\"}",
      0, NULL);
}

static const char *status_title(int status) {
  switch (status) {
  case 400: return "The request is malformed.";
  case 401: return "Sign in first.";
  case 403: return "Not allowed (or the CSRF header is missing).";
  case 404: return "There is no such thing, or the caller may not see it.";
  case 409: return "It conflicts with the current state.";
  case 413: return "The body is too large.";
  case 415: return "The body is not JSON.";
  case 422: return "A field is invalid; errors lists them by JSON pointer.";
  case 429: return "Too many attempts; Retry-After says when to try again.";
  case 500: return "The server failed.";
  case 503: return "Unavailable for now.";
  case 507: return "The storage is full.";
  default: return "A problem.";
  }
}

static bool is_write(const char *method) {
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Adds "P<status>" under responses (a reference to components.responses). */
static void add_problem(json_t *responses, json_t *shared, int status) {
  char key[16], ref[48];
  snprintf(key, sizeof key, "%d", status);
  snprintf(ref, sizeof ref, "#/components/responses/P%d", status);
  json_object_set_new(responses, key, json_pack("{s:s}", "$ref", ref));
  char name[16];
  snprintf(name, sizeof name, "P%d", status);
  if (!json_object_get(shared, name))
    json_object_set_new(shared, name,
                        json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", status_title(status),
                                  "content", "application/problem+json", "schema", "$ref",
                                  "#/components/schemas/Problem"));
}

/* The statuses every route of its kind may answer with: a body that does
 * not parse, no or a wrong session, a full disk, a failure, a database
 * that does not answer, an id that names nothing the caller may see, a
 * write the state of its object refuses, a field that is invalid. */
/* The answer of success `status` (answer NULL: no body) into responses;
 * -1 with msg filled when answer does not parse. */
static int add_success(const http_doc *d, int status, const char *answer, const json_t *known,
                       json_t *responses, char *msg, size_t msglen) {
  char key[16];
  snprintf(key, sizeof key, "%d", status);
  if (!answer) {
    json_object_set_new(responses, key, json_pack("{s:s}", "description", "Done; no body."));
    return 0;
  }
  json_t *a = http_schema_parse(answer, known, msg, msglen);
  if (!a) return -1;
  json_object_set_new(responses, key,
                      json_pack("{s:s, s:{s:{s:o}}}", "description", d->summary, "content",
                                d->media ? d->media : "application/json", "schema", a));
  return 0;
}

static void add_common_problems(const http_route *rt, json_t *responses, json_t *shared) {
  add_problem(responses, shared, 400);
  add_problem(responses, shared, 500);
  add_problem(responses, shared, 503); /* the database does not answer */
  if (HTTP_ACCESS(rt) != HTTP_PUBLIC) {
    add_problem(responses, shared, 401);
    add_problem(responses, shared, 403);
  }
  if (is_write(rt->method)) {
    add_problem(responses, shared, 413);
    add_problem(responses, shared, 415);
  }
  if (is_write(rt->method) || HTTP_ACCESS(rt) == HTTP_OPENS_TEXT || HTTP_ACCESS(rt) == HTTP_EXPORTS_TEXT)
    add_problem(responses, shared, 507);
  if (strstr(rt->pattern, "{id}")) add_problem(responses, shared, 404);
  /* a write to something whose state refuses it (a relationship not active) */
  if (strstr(rt->pattern, "{id}") && is_write(rt->method)) add_problem(responses, shared, 409);
  if (rt->doc.body) add_problem(responses, shared, 422);
}

/* The path key: "{id}" segments named id, id2, ... (names must differ). */
static void path_key(const char *pattern, char *out, size_t cap, int *nids) {
  size_t o = 0;
  *nids = 0;
  for (const char *p = pattern; *p && o + 8 < cap;) {
    if (strncmp(p, "{id}", 4) == 0) {
      (*nids)++;
      o += (size_t)snprintf(out + o, cap - o, *nids == 1 ? "{id}" : "{id%d}", *nids);
      p += 4;
    } else {
      out[o++] = *p++;
    }
  }
  out[o] = '\0';
}

/* "post-relationships-id-goals" for POST /api/v1/relationships/{id}/goals. */
static void operation_id(const http_route *rt, char *out, size_t cap) {
  size_t o = 0;
  for (const char *m = rt->method; *m && o + 1 < cap; m++)
    out[o++] = (char)tolower(*m);
  const char *p = rt->pattern + strlen("/api/v1");
  for (; *p && o + 2 < cap; p++) {
    if (*p == '/' || *p == '{' || *p == '.') {
      if (out[o - 1] != '-') out[o++] = '-';
    } else if (*p != '}') {
      out[o++] = *p;
    }
  }
  while (o > 0 && out[o - 1] == '-')
    o--;
  out[o] = '\0';
}

static int doc_fail(char *err, size_t errlen, const http_route *rt, const char *what,
                    const char *detail) {
  snprintf(err, errlen, "%s %s: %s%s%s (its http_doc beside the route table entry)", rt->method,
           rt->pattern, what, detail ? ": " : "", detail ? detail : "");
  return -1;
}

static int add_parameters(const http_route *rt, json_t *op, const json_t *known, char *err,
                          size_t errlen) {
  json_t *params = json_array();
  char key[256];
  int nids;
  path_key(rt->pattern, key, sizeof key, &nids);
  for (int i = 1; i <= nids; i++) {
    char name[16];
    snprintf(name, sizeof name, i == 1 ? "id" : "id%d", i);
    json_array_append_new(params,
                          json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:i}}", "name", name, "in",
                                    "path", "required", 1, "description", "A positive id.",
                                    "schema", "type", "integer", "minimum", 1));
  }
  if (rt->doc.query) {
    char msg[200];
    json_t *q = http_schema_parse(rt->doc.query, known, msg, sizeof msg);
    if (!q || !json_is_object(json_object_get(q, "properties"))) {
      json_decref(q);
      json_decref(params);
      return doc_fail(err, errlen, rt, "its query does not parse", msg);
    }
    json_t *req = json_object_get(q, "required");
    const char *name;
    json_t *schema;
    json_object_foreach(json_object_get(q, "properties"), name, schema) {
      bool required = false;
      size_t i;
      json_t *r;
      json_array_foreach(req, i, r) required = required || strcmp(json_string_value(r), name) == 0;
      json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:O}", "name", name, "in", "query",
                                              "required", required, "schema", schema));
    }
    json_decref(q);
  }
  if (json_array_size(params))
    json_object_set_new(op, "parameters", params);
  else
    json_decref(params);
  return 0;
}

static json_t *operation(const http_route *rt, const char *tag, const json_t *known, json_t *shared,
                         char *err, size_t errlen) {
  const http_doc *d = &rt->doc;
  if (!d->summary || !*d->summary) {
    doc_fail(err, errlen, rt, "no summary", NULL);
    return NULL;
  }
  if (d->status < 200 || d->status > 299 || (d->status == 204) != (d->answer == NULL)) {
    doc_fail(err, errlen, rt, "its status must be 2xx, and 204 exactly when it has no answer",
             NULL);
    return NULL;
  }
  char opid[160], msg[200];
  operation_id(rt, opid, sizeof opid);
  json_t *op =
      json_pack("{s:s, s:s, s:[s]}", "summary", d->summary, "operationId", opid, "tags", tag);
  if (HTTP_ACCESS(rt) == HTTP_PUBLIC) json_object_set_new(op, "security", json_array());
  if (add_parameters(rt, op, known, err, errlen)) {
    json_decref(op);
    return NULL;
  }
  if (d->body) {
    json_t *b = http_schema_parse(d->body, known, msg, sizeof msg);
    if (!b) {
      json_decref(op);
      doc_fail(err, errlen, rt, "its body does not parse", msg);
      return NULL;
    }
    bool required = json_object_get(b, "required") != NULL; /* {at?:time} may be left out */
    json_object_set_new(op, "requestBody",
                        json_pack("{s:b, s:{s:{s:o}}}", "required", required, "content",
                                  "application/json", "schema", b));
  }
  json_t *responses = json_object();
  if (add_success(d, d->status, d->answer, known, responses, msg, sizeof msg) ||
      (d->also && add_success(d, d->also, d->also_answer, known, responses, msg, sizeof msg)) ||
      (d->also2 && add_success(d, d->also2, d->also2_answer, known, responses, msg, sizeof msg))) {
    json_decref(op);
    json_decref(responses);
    doc_fail(err, errlen, rt, "its answer does not parse", msg);
    return NULL;
  }
  add_common_problems(rt, responses, shared);
  for (const char *p = d->problems ? d->problems : ""; *p;) {
    char *end;
    long st = strtol(p, &end, 10);
    if (st == 304 && end != p) { /* a conditional GET's answer: no body */
      json_object_set_new(responses, "304",
                          json_pack("{s:s}", "description", "Not modified (If-None-Match)."));
      p = end + strspn(end, " ");
      continue;
    }
    if (end == p || st < 400 || st > 599) {
      json_decref(op);
      json_decref(responses);
      doc_fail(err, errlen, rt, "its problems must be statuses 4xx or 5xx (or 304)", d->problems);
      return NULL;
    }
    add_problem(responses, shared, (int)st);
    p = end + strspn(end, " ");
  }
  json_object_set_new(op, "responses", responses);
  return op;
}

static json_t *components(char *err, size_t errlen, json_t **shared_responses) {
  json_t *schemas = json_object();
  json_object_set_new(schemas, "Problem", problem_schema());
  /* Names first, so that schemas may refer to each other in any order. */
  for (const http_schema *s = http_schemas; s->name; s++)
    json_object_set_new(schemas, s->name, json_object());
  for (const http_schema *s = http_schemas; s->name; s++) {
    char msg[200];
    json_t *t = http_schema_parse(s->notation, schemas, msg, sizeof msg);
    if (!t) {
      snprintf(err, errlen, "schema %s: %s (http_schemas, render.c)", s->name, msg);
      json_decref(schemas);
      return NULL;
    }
    if (s->about) json_object_set_new(t, "description", json_string(s->about));
    json_object_set_new(schemas, s->name, t);
  }
  *shared_responses = json_object();
  return json_pack("{s:o, s:o, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}}", "schemas", schemas,
                   "responses", *shared_responses, "securitySchemes", "bearer", "type", "http",
                   "scheme", "bearer", "description",
                   "The session token from POST /api/v1/session.", "cookie", "type", "apiKey", "in",
                   "cookie", "name", "rapport_session", "description",
                   "The session cookie (__Host-rapport_session over HTTPS); writes also need "
                   "X-CSRF-Token.");
}

static json_t *build(char *err, size_t errlen) {
  json_t *shared = NULL;
  json_t *comp = components(err, errlen, &shared);
  if (!comp) return NULL;
  json_t *known = json_object_get(comp, "schemas");
  json_t *paths = json_object(), *tags = json_array();
  size_t ntables;
  const http_route_table *tables = http_route_tables(&ntables);
  for (size_t t = 0; t < ntables; t++) {
    json_array_append_new(
        tags, json_pack("{s:s, s:s}", "name", tables[t].tag, "description", tables[t].about));
    for (const http_route *rt = tables[t].routes; rt->method; rt++) {
      json_t *op = operation(rt, tables[t].tag, known, shared, err, errlen);
      if (!op) {
        json_decref(paths);
        json_decref(tags);
        json_decref(comp);
        return NULL;
      }
      char key[256], method[16];
      int nids;
      path_key(rt->pattern, key, sizeof key, &nids);
      snprintf(method, sizeof method, "%s", rt->method);
      for (char *m = method; *m; m++)
        *m = (char)tolower(*m);
      json_t *item = json_object_get(paths, key);
      if (!item) json_object_set_new(paths, key, item = json_object());
      json_object_set_new(item, method, op);
    }
  }
  /* The document itself: served by server.c before the route tables. */
  json_object_set_new(
      paths, HTTP_OPENAPI_PATH,
      json_pack("{s:{s:s, s:s, s:[s], s:[], s:{s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s}, s:{s:s}}}}",
                "get", "summary", "This API's OpenAPI 3.1 description.", "operationId",
                "get-openapi", "tags", "core", "security", "responses", "200", "description",
                "The document.", "content", "application/json", "schema", "type", "object",
                "400", "$ref", "#/components/responses/P400", "500", "$ref",
                "#/components/responses/P500"));
  return json_pack(
      "{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s, s:s}], s:[{s:[]}, {s:[]}], s:o, s:o, "
      "s:o}",
      "openapi", "3.1.0", "info", "title", "Rapport", "version", RAPPORT_VERSION, "description",
      "Rapport's HTTP API: mentoring and coaching relationships, their practices and their "
      "trust. Answers are JSON; failures are RFC 9457 problems.",
      "license", "name", "Proprietary", "identifier", "LicenseRef-Rapport", "servers", "url", "/",
      "description", "the Rapport server that serves this document", "security", "bearer", "cookie",
      "tags", tags, "paths", paths, "components", comp);
}

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static char *g_text;
static char g_err[512];

static void build_once(void) {
  json_t *doc = build(g_err, sizeof g_err);
  if (!doc) return;
  g_text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (!g_text) snprintf(g_err, sizeof g_err, "out of memory");
}

const char *http_openapi_text(const char **why) {
  pthread_once(&g_once, build_once);
  *why = g_text ? NULL : g_err;
  return g_text;
}
