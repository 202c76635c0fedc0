/* route.c: fuzz target for path matching (http_route_find).
 *
 * The input is "METHOD PATH" (or only a path, taken as GET), as
 * libmicrohttpd hands them to the server (the path already
 * percent-decoded, so any byte but NUL). Properties: a route found has
 * the method asked for, and its pattern with the ids found put back in
 * for its {id} segments spells the path exactly (so an id is a canonical
 * positive integer: no sign, no leading zero, no overflow, and a segment
 * never swallows a '/'); "path known" holds exactly when another method
 * finds a route.
 */
#include "fuzz.h"

#include "http/http.h"

#include <inttypes.h>

static const char *const g_methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", NULL};

/* Writes pattern with ids substituted into out; false when it does not fit. */
static bool spell(const char *pattern, const int64_t ids[HTTP_MAX_IDS], char *out, size_t cap) {
  size_t n = 0;
  int nid = 0;
  for (const char *p = pattern; *p;) {
    if (strncmp(p, "{id}", 4) == 0) {
      FUZZ_CHECK(nid < HTTP_MAX_IDS);
      FUZZ_CHECK(ids[nid] >= 1);
      int w = snprintf(out + n, cap - n, "%" PRId64, ids[nid++]);
      if (w < 0 || (size_t)w >= cap - n) return false;
      n += (size_t)w;
      p += 4;
    } else {
      if (n + 1 >= cap) return false;
      out[n++] = *p++;
    }
  }
  for (int i = nid; i < HTTP_MAX_IDS; i++) FUZZ_CHECK(ids[i] == 0);
  out[n] = '\0';
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in = fuzz_cstr(data, size);
  const char *method = "GET", *path = in;
  char *space = strchr(in, ' ');
  if (space) {
    *space = '\0';
    method = in;
    path = space + 1;
  }
  int64_t ids[HTTP_MAX_IDS] = {0};
  bool known = true;
  const http_route *r = http_route_find(method, path, ids, &known);
  if (r) {
    FUZZ_CHECK(strcmp(r->method, method) == 0);
    FUZZ_CHECK(r->handler != NULL);
    size_t cap = strlen(path) + 64;
    char *again = malloc(cap);
    FUZZ_CHECK(again && spell(r->pattern, ids, again, cap));
    FUZZ_CHECK(strcmp(again, path) == 0);
    free(again);
  } else {
    bool other = false;
    for (int i = 0; g_methods[i]; i++) {
      int64_t tmp[HTTP_MAX_IDS] = {0};
      bool k;
      const http_route *o = http_route_find(g_methods[i], path, tmp, &k);
      if (o) {
        FUZZ_CHECK(strcmp(g_methods[i], method) != 0);
        other = true;
      }
    }
    FUZZ_CHECK(known == other);
  }
  free(in);
  return 0;
}
