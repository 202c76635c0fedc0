/* parse.h: the parsers server.c applies to what a client sends, apart from
 * libmicrohttpd so that tests/fuzz/ can drive them with arbitrary bytes.
 *
 * Each takes plain strings (what libmicrohttpd hands the server: header
 * values, query arguments, the collected body) and neither allocates
 * beyond its result nor keeps state. Failures are rp_rc with e filled, as
 * everywhere in http/; the server turns them into problem responses.
 */
#ifndef RAPPORT_HTTP_PARSE_H
#define RAPPORT_HTTP_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* The deepest nesting of objects and arrays in the n bytes at p, counting
 * only brackets outside strings. Never fails; garbage gives some number
 * (the JSON parser refuses garbage afterwards). */
int http_json_depth(const char *p, size_t n);

/* A request body: `len` bytes at `data` (NUL-terminated or not), sent
 * with the Content-Type header `content_type` (NULL when absent);
 * `too_large` says the body passed HTTP_BODY_MAX while being collected.
 * On success *out is a new reference to a JSON object ({} for an empty
 * body, whatever its content type). Fails with 413 body_too_large,
 * 415 unsupported_media_type, 400 json_too_deep (more than
 * HTTP_JSON_DEPTH_MAX levels), 400 malformed_json (duplicate keys
 * included) or 400 body_not_object, leaving *out NULL. */
rp_rc http_body_parse(const char *content_type, const char *data, size_t len, bool too_large,
                      json_t **out, rp_err *e);

/* An upload's body (http_route.upload_max): 415 unsupported_media_type
 * unless content_type is text/csv (with parameters or not), 413
 * body_too_large when it passed max bytes. */
rp_rc http_upload_check(const char *content_type, bool too_large, size_t max, rp_err *e);

/* The token of an Authorization header value: what follows "Bearer "
 * (scheme matched without regard to case), or "" for any other scheme or
 * form. Points into `authorization`. */
const char *http_bearer_from_header(const char *authorization);

/* The session token a request presents: from the Authorization header
 * when there is one (see http_bearer_from_header; a cookie is then
 * ignored), else the session cookie's value, else NULL. *from_cookie says
 * which, since cookie-authenticated writes need the CSRF header. */
const char *http_token_pick(const char *authorization, const char *cookie, bool *from_cookie);

/* The page of a list request from its query arguments (NULL when absent):
 * after is a non-negative integer (default 0), limit an integer from 1 to
 * APP_PAGE_MAX (default APP_PAGE_DEFAULT). Fails with 400 bad_query. */
rp_rc http_page_parse(const char *after_arg, const char *limit_arg, int64_t *after, int *limit,
                      rp_err *e);

#endif
