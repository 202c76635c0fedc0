/* links.c: the addresses mail is made of (reach.h): links under the
 * public URL, and the domain of Message-IDs and calendar UIDs. */
#include "app/reach/reach.h"

#include <string.h>

const char *app_mail_link(app_ctx *c, const char *path) {
  const char *base = c->env->public_url ? c->env->public_url : "http://localhost:8080";
  size_t n = strlen(base);
  while (n > 0 && base[n - 1] == '/') n--;
  return arena_printf(c->a, "%.*s%s", (int)n, base, path);
}

/* The domain of Message-IDs: that of the From address, else of the
 * public URL, else rapport.invalid. */
const char *app_mail_domain(app_ctx *c) {
  const char *from = c->env->mail_from;
  const char *at = from ? strrchr(from, '@') : NULL;
  if (at) {
    size_t n = strcspn(at + 1, "> \t");
    if (n > 0) return arena_printf(c->a, "%.*s", (int)n, at + 1);
  }
  const char *url = c->env->public_url;
  const char *host = url ? strstr(url, "://") : NULL;
  if (host) {
    host += 3;
    size_t n = strcspn(host, ":/");
    if (n > 0) return arena_printf(c->a, "%.*s", (int)n, host);
  }
  return "rapport.invalid";
}
