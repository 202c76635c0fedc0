/* mail.c: retry times and the spelling of a message (see mail.h). */
#include "domain/mail.h"

#include <stdio.h>
#include <string.h>

rp_time mail_next_attempt(int64_t attempts, rp_time created_at, rp_time now) {
  rp_time wait = MAIL_BACKOFF_FIRST_S;
  for (int64_t i = 1; i < attempts && wait < MAIL_BACKOFF_MAX_S; i++) wait *= 2;
  if (wait > MAIL_BACKOFF_MAX_S) wait = MAIL_BACKOFF_MAX_S;
  rp_time next = now + wait;
  return next > created_at + MAIL_RETRY_FOR_S ? 0 : next;
}

bool mail_code_permanent(long code) { return code >= 500 && code <= 599; }

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends n bytes of p in base64 on one line. */
static int base64(strbuf *b, const unsigned char *p, size_t n) {
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    char out[4] = {B64[(v >> 18) & 63], B64[(v >> 12) & 63], i + 1 < n ? B64[(v >> 6) & 63] : '=',
                   i + 2 < n ? B64[v & 63] : '='};
    rc = sb_append(b, out, 4);
  }
  return rc;
}

int mail_base64_lines(strbuf *b, const void *p, size_t n) {
  const unsigned char *u = p;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i += 57) { /* 57 bytes make 76 characters */
    rc = base64(b, u + i, n - i < 57 ? n - i : 57);
    if (!rc) rc = sb_append(b, "\r\n", 2);
  }
  return rc;
}

/* Whether s may stand in a header as it is: printable ASCII, no CR or LF,
 * and nothing that reads as an encoded word. */
static bool header_plain(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p > 0x7e) return false;
  return strstr(s, "=?") == NULL;
}

int mail_header_word(strbuf *b, const char *s) {
  if (header_plain(s)) return sb_puts(b, s);
  /* One encoded word per 45 bytes (60 characters of base64, within the 75
   * of RFC 2047), cut between UTF-8 characters, folded onto new lines. */
  size_t n = strlen(s), i = 0;
  int rc = 0;
  while (i < n && !rc) {
    size_t k = n - i < 45 ? n - i : 45;
    while (k > 1 && i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80) k--;
    if (i > 0) rc = sb_puts(b, "\r\n ");
    if (!rc) rc = sb_puts(b, "=?UTF-8?B?");
    if (!rc) rc = base64(b, (const unsigned char *)s + i, k);
    if (!rc) rc = sb_puts(b, "?=");
    i += k;
  }
  return rc;
}

/* Appends text with every line ending made CRLF, as one base64 part. */
static int part(strbuf *b, const char *boundary, const char *type, const char *text) {
  strbuf crlf;
  sb_init(&crlf, 4u << 20);
  int rc = 0;
  for (const char *p = text; *p && !rc; p++) {
    if (*p == '\n' && (p == text || p[-1] != '\r')) rc = sb_append(&crlf, "\r\n", 2);
    else rc = sb_append(&crlf, p, 1);
  }
  if (!rc) rc = sb_printf(b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                          boundary, type);
  if (!rc) rc = mail_base64_lines(b, crlf.data ? crlf.data : "", crlf.len);
  sb_free(&crlf);
  return rc;
}

int mail_compose(strbuf *b, const mail_message *m) {
  /* The boundary cannot occur in base64, which has no '_' */
  char boundary[96] = "=_rapport_";
  size_t k = strlen(boundary);
  for (const char *p = m->message_id; *p && k + 1 < sizeof boundary; p++)
    if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')) boundary[k++] = *p;
  boundary[k] = '\0';
  int rc = sb_puts(b, "To: ");
  if (!rc && m->to_name && *m->to_name) {
    rc = mail_header_word(b, m->to_name);
    if (!rc) rc = sb_printf(b, " <%s>\r\n", m->to);
  } else if (!rc) {
    rc = sb_printf(b, "%s\r\n", m->to);
  }
  if (!rc) rc = sb_puts(b, "Subject: ");
  if (!rc) rc = mail_header_word(b, m->subject);
  if (!rc)
    rc = sb_printf(b, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n",
                   m->message_id);
  if (!rc && m->unsubscribe)
    rc = sb_printf(b, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                   m->unsubscribe);
  if (!rc)
    rc = sb_printf(b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
  if (!rc) rc = part(b, boundary, "text/plain; charset=utf-8", m->text);
  if (!rc) rc = part(b, boundary, "text/html; charset=utf-8", m->html);
  if (!rc && m->ics) {
    char type[80];
    snprintf(type, sizeof type, "text/calendar; charset=utf-8; method=%s",
             m->ics_method ? m->ics_method : "PUBLISH");
    rc = part(b, boundary, type, m->ics);
  }
  if (!rc) rc = sb_printf(b, "--%s--\r\n", boundary);
  return rc;
}
