/* useragent.h: the family of a browser, from its User-Agent header, in
 * words a person recognises ("Firefox on Linux"), for the mail that tells
 * of a sign-in from a new device.
 *
 * The answer is made only of fixed words chosen by looking for known
 * tokens in the header: nothing the client sent is ever copied into it,
 * so a forged header cannot put text of its own in a mail.
 */
#ifndef RAPPORT_DOMAIN_USERAGENT_H
#define RAPPORT_DOMAIN_USERAGENT_H

#include <stddef.h>

/* The family of ua (NULL: none) in out (cap bytes, at least 48):
 * "<browser> on <system>", "<browser>", or "an unknown browser". */
const char *ua_family(const char *ua, char *out, size_t cap);

#endif
