/* auth_token.c: fuzz target for how a request presents its session:
 * the Authorization header, the session cookie and the CSRF header
 * (http_token_pick, http_bearer_from_header, token_well_formed,
 * token_equal; the server's find_token and check_csrf).
 *
 * The input is lines "A:<Authorization value>", "C:<session cookie
 * value>", "X:<X-CSRF-Token value>"; a header without its line is absent,
 * the first line of a kind wins. (libmicrohttpd splits the Cookie header
 * into cookies; what reaches Rapport is the one cookie's value.)
 * Properties: the Authorization header, when present, decides alone; a
 * token is well formed exactly when it is 43 base64url characters; a
 * well-formed token has a well-formed CSRF token, and the CSRF comparison
 * agrees with strcmp.
 */
#include "fuzz.h"

#include "crypto/token.h"
#include "http/parse.h"

#include <sodium.h>
#include <strings.h>

static bool ref_well_formed(const char *s) {
  size_t n = strlen(s);
  if (n != TOKEN_CHARS) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_'))
      return false;
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool ready;
  if (!ready) {
    FUZZ_CHECK(sodium_init() >= 0);
    ready = true;
  }
  char *in = fuzz_cstr(data, size);
  const char *auth = NULL, *cookie = NULL, *csrf = NULL;
  for (char *line = in; line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    if (line[0] && line[1] == ':') {
      const char **slot = line[0] == 'A' ? &auth : line[0] == 'C' ? &cookie
                          : line[0] == 'X' ? &csrf : NULL;
      if (slot && !*slot) *slot = line + 2;
    }
    line = nl ? nl + 1 : NULL;
  }

  bool from_cookie = true;
  const char *tok = http_token_pick(auth, cookie, &from_cookie);
  if (auth) {
    FUZZ_CHECK(!from_cookie);
    FUZZ_CHECK(tok == http_bearer_from_header(auth));
    if (strncasecmp(auth, "Bearer ", 7) == 0) FUZZ_CHECK(tok == auth + 7);
    else FUZZ_CHECK(tok && tok[0] == '\0');
  } else {
    FUZZ_CHECK(tok == cookie);
    FUZZ_CHECK(from_cookie == (cookie != NULL));
  }

  if (tok) {
    bool well = token_well_formed(tok);
    FUZZ_CHECK(well == ref_well_formed(tok));
    if (well) {
      static const unsigned char key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
      unsigned char hash[TOKEN_HASH_LEN];
      char want[TOKEN_BUFSZ];
      token_hash(key, tok, hash);
      token_csrf(key, tok, want);
      FUZZ_CHECK(ref_well_formed(want));
      if (csrf) FUZZ_CHECK(token_equal(csrf, want) == (strcmp(csrf, want) == 0));
      FUZZ_CHECK(token_equal(want, want));
    }
  }
  free(in);
  return 0;
}
