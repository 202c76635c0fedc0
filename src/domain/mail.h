/* mail.h: the rules of mail that need no I/O: when a mail that could not
 * be delivered is tried again, and how a message is spelled (RFC 5322
 * headers, RFC 2047 encoded words, a MIME multipart/alternative body with
 * an optional text/calendar part, RFC 8058 one-click unsubscribe).
 * Pure: no clock, no randomness; the caller gives the Message-ID.
 */
#ifndef RAPPORT_DOMAIN_MAIL_H
#define RAPPORT_DOMAIN_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "base/timeutil.h"

/* A mail that met a temporary failure is tried again for this long after
 * it was written, then marked failed. */
#define MAIL_RETRY_FOR_S (48 * 3600)
#define MAIL_BACKOFF_FIRST_S 60       /* the first wait */
#define MAIL_BACKOFF_MAX_S (4 * 3600) /* the longest wait */

/* When a mail written at created_at, taken `attempts` times (1 for the
 * first), is tried next after a temporary failure at `now`: 60 s after
 * the first attempt, doubling each time up to 4 hours; 0 when that would
 * be past MAIL_RETRY_FOR_S after created_at (the mail has failed). */
rp_time mail_next_attempt(int64_t attempts, rp_time created_at, rp_time now);

/* Whether an SMTP reply code is permanent (5xx): the mail is marked failed
 * and not tried again. */
bool mail_code_permanent(long code);

typedef struct mail_message {
  const char *to;           /* the address */
  const char *to_name;      /* NULL: none */
  const char *subject;      /* UTF-8 */
  const char *message_id;   /* "<...@...>" */
  const char *text;         /* the plain-text part, UTF-8, lines ending "\n" */
  const char *html;         /* the HTML part, UTF-8 */
  const char *ics;          /* NULL, or a text/calendar part (RFC 5545, CRLF) */
  const char *ics_method;   /* REQUEST or CANCEL, with ics */
  const char *unsubscribe;  /* NULL, or the one-click unsubscribe URL (RFC 8058) */
} mail_message;

/* Appends the message but its From and Date lines (the sender adds them)
 * to b, lines ending CRLF: To, Subject, Message-ID, MIME-Version,
 * Auto-Submitted, List-Unsubscribe(-Post) when given, and a
 * multipart/alternative body of base64 parts. Returns 0, or -1 when b's
 * cap was passed. */
int mail_compose(strbuf *b, const mail_message *m);

/* Appends s as an RFC 2047 encoded word when it is not plain printable
 * ASCII, else as it is. Returns 0 or -1 (cap). */
int mail_header_word(strbuf *b, const char *s);

/* Appends n bytes of p in base64, in lines of 76 characters ending CRLF.
 * Returns 0 or -1 (cap). */
int mail_base64_lines(strbuf *b, const void *p, size_t n);

#endif
