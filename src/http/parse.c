/* parse.c: the request parsers of server.c (see parse.h). Fuzzed by
 * tests/fuzz/json_body.c, auth_token.c and query.c. */
#include "http/parse.h"
#include "base/num.h"
#include "http/http.h"

#include <string.h>
#include <strings.h>

int http_json_depth(const char *p, size_t n) {
  int depth = 0, max = 0;
  bool in_str = false;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    if (in_str) {
      if (c == '\\') i++;
      else if (c == '"') in_str = false;
    } else if (c == '"') {
      in_str = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max) max = depth;
    } else if (c == '}' || c == ']') {
      depth--;
    }
  }
  return max;
}

/* "application/json", alone or followed by parameters. */
static bool is_json_type(const char *ct) {
  return ct && strncasecmp(ct, "application/json", 16) == 0 &&
         (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

rp_rc http_body_parse(const char *content_type, const char *data, size_t len, bool too_large,
                      json_t **out, rp_err *e) {
  *out = NULL;
  if (too_large)
    return rp_fail(e, RP_ERR_TOO_LARGE, "body_too_large", "The body is larger than %d bytes.",
                   HTTP_BODY_MAX);
  if (len == 0) {
    *out = json_object();
    return RP_OK;
  }
  /* RFC 8058: a one-click unsubscribe is a form POST with exactly this
   * body; it carries nothing else, so it reads as the empty object. */
  static const char one_click[] = "List-Unsubscribe=One-Click";
  if (content_type && strncasecmp(content_type, "application/x-www-form-urlencoded", 33) == 0 &&
      len == sizeof one_click - 1 && memcmp(data, one_click, len) == 0) {
    *out = json_object();
    return RP_OK;
  }
  if (!is_json_type(content_type))
    return rp_fail(e, RP_ERR_UNSUPPORTED, "unsupported_media_type",
                   "Send the body as application/json.");
  if (http_json_depth(data, len) > HTTP_JSON_DEPTH_MAX)
    return rp_fail(e, RP_ERR_MALFORMED, "json_too_deep", "JSON may nest at most %d levels.",
                   HTTP_JSON_DEPTH_MAX);
  json_error_t jerr;
  json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!v)
    return rp_fail(e, RP_ERR_MALFORMED, "malformed_json",
                   "The body is not valid JSON: %s (line %d, column %d).", jerr.text, jerr.line,
                   jerr.column);
  if (!json_is_object(v)) {
    json_decref(v);
    return rp_fail(e, RP_ERR_MALFORMED, "body_not_object", "The body must be a JSON object.");
  }
  *out = v;
  return RP_OK;
}

rp_rc http_upload_check(const char *ct, bool too_large, size_t max, rp_err *e) {
  if (too_large)
    return rp_fail(e, RP_ERR_TOO_LARGE, "body_too_large", "The file is larger than %zu bytes.",
                   max);
  if (!ct || strncasecmp(ct, "text/csv", 8) != 0 || (ct[8] != '\0' && ct[8] != ';' && ct[8] != ' '))
    return rp_fail(e, RP_ERR_UNSUPPORTED, "unsupported_media_type",
                   "Send the file as text/csv (UTF-8).");
  return RP_OK;
}

const char *http_bearer_from_header(const char *authorization) {
  return strncasecmp(authorization, "Bearer ", 7) == 0 ? authorization + 7 : "";
}

const char *http_token_pick(const char *authorization, const char *cookie, bool *from_cookie) {
  *from_cookie = false;
  if (authorization) return http_bearer_from_header(authorization);
  if (cookie) *from_cookie = true;
  return cookie;
}

rp_rc http_page_parse(const char *after_arg, const char *limit_arg, int64_t *after, int *limit,
                      rp_err *e) {
  int64_t v = 0;
  *after = 0;
  *limit = APP_PAGE_DEFAULT;
  if (after_arg && !rp_parse_i64(after_arg, 0, INT64_MAX, after))
    return rp_fail(e, RP_ERR_MALFORMED, "bad_query", "after must be a non-negative integer.");
  if (limit_arg) {
    if (!rp_parse_i64(limit_arg, 1, APP_PAGE_MAX, &v))
      return rp_fail(e, RP_ERR_MALFORMED, "bad_query", "limit must be an integer from 1 to %d.",
                     APP_PAGE_MAX);
    *limit = (int)v;
  }
  return RP_OK;
}
