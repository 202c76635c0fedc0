/* static.c: the web client, embedded in the binary at build time.
 *
 * tools/embed_web.py turns every file under web/ into http_web_files[]
 * (name = its path under web/, "js/app.js") with a strong ETag each in
 * http_web_etags[]. GET or HEAD of "/" is index.html, "/<name>" is that
 * file. Answers carry Content-Type by extension, the ETag and
 * "Cache-Control: no-cache" (the browser keeps a copy and revalidates it
 * every time; a matching If-None-Match gets 304 without a body). Nothing
 * is read from the file system, so no path can reach outside web/. The
 * client uses hash routes ("/#/relationships/3"), so the server never needs
 * to know the client's routes: any other path is the caller's 404.
 */
#include "http/http.h"
#include "base/embedded.h"

#include <microhttpd.h>
#include <string.h>

extern const rp_embedded http_web_files[];
extern const char *const http_web_etags[];

typedef struct ext_type {
  const char *ext;
  const char *type;
} ext_type;

static const ext_type TYPES[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
    {".webmanifest", "application/manifest+json"},
    {NULL, NULL},
};

/* The Content-Type of a file name, by its extension. */
static const char *type_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (dot)
    for (const ext_type *t = TYPES; t->ext; t++)
      if (strcmp(dot, t->ext) == 0) return t->type;
  return "application/octet-stream";
}

/* The index of the file for url, or -1. "/", "/invitation" and "/reset"
 * (the links an invitation and a password reset carry, "/invitation#<token>":
 * the token stays in the fragment, which browsers never send) are
 * index.html, and so are "/sso/callback", where a sign-in provider sends the
 * browser back (the client takes its code and state from the query), and
 * "/signin", where a provider sends it once it signed the person out there. */
static int find_file(const char *url) {
  if (!url || url[0] != '/') return -1;
  bool index = !url[1] || strcmp(url, "/invitation") == 0 || strcmp(url, "/reset") == 0 ||
               strcmp(url, "/sso/callback") == 0 || strcmp(url, "/signin") == 0;
  const char *name = index ? "index.html" : url + 1;
  for (int i = 0; http_web_files[i].name; i++)
    if (strcmp(http_web_files[i].name, name) == 0) return i;
  return -1;
}

/* Whether an If-None-Match header value names etag (or is "*"). Entries
 * are comma-separated, each perhaps weak ("W/"); comparison is weak, as
 * RFC 9110 13.1.2 asks for If-None-Match. */
bool http_etag_matches(const char *header, const char *etag) {
  size_t elen = strlen(etag);
  const char *p = header;
  while (*p) {
    p += strspn(p, " \t,");
    if (!*p) break;
    if (*p == '*') return true;
    if (p[0] == 'W' && p[1] == '/') p += 2;
    size_t n = strcspn(p, ",");
    size_t m = n;
    while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t')) m--;
    if (m == elen && memcmp(p, etag, elen) == 0) return true;
    p += n;
  }
  return false;
}

struct MHD_Response *http_static_response(struct MHD_Connection *conn, const char *method,
                                          const char *url, unsigned *status) {
  int i = find_file(url);
  *status = MHD_HTTP_NOT_FOUND;
  if (i < 0) return NULL;
  *status = MHD_HTTP_METHOD_NOT_ALLOWED;
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) return NULL;
  const rp_embedded *f = &http_web_files[i];
  const char *etag = http_web_etags[i];
  const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
  struct MHD_Response *resp;
  if (inm && http_etag_matches(inm, etag)) {
    resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    *status = MHD_HTTP_NOT_MODIFIED;
  } else {
    resp = MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
    *status = MHD_HTTP_OK;
    if (resp) MHD_add_response_header(resp, "Content-Type", type_of(f->name));
  }
  if (!resp) {
    *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    return NULL;
  }
  MHD_add_response_header(resp, "ETag", etag);
  MHD_add_response_header(resp, "Cache-Control", "no-cache");
  return resp;
}
