/* outbox.c: queueing a mail with the action that causes it, its two
 * parts made from one set of words, and the operator's view (reach.h).
 *
 * The whole message but its From and Date lines is sealed into the row
 * (SEAL_MAIL, relationship 0: the server's own key), because a link in it
 * may carry a one-time secret (an invitation, a password reset) whose
 * hash alone is kept elsewhere. The words themselves are never sealed
 * text opened for the mail: what a mail says comes from names, dates and
 * kinds, and links to the rest.
 */
#include "app/reach/reach.h"

#include <string.h>

#include "base/log.h"
#include "crypto/token.h"
#include "domain/mail.h"
#include "store/reach.h"

#define MAIL_CAP (1u << 20) /* a whole message; ours are a few kB */

/* Appends s to b with HTML's special characters escaped. */
static void html_text(strbuf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '<': sb_puts(b, "&lt;"); break;
    case '>': sb_puts(b, "&gt;"); break;
    case '&': sb_puts(b, "&amp;"); break;
    case '"': sb_puts(b, "&quot;"); break;
    case '\'': sb_puts(b, "&#39;"); break;
    default: sb_append(b, s, 1);
    }
  }
}

static const char *render_text(app_ctx *c, const app_mail_words *w) {
  strbuf b;
  sb_init(&b, MAIL_CAP);
  sb_printf(&b, "Hello %s,\n\n", w->name && *w->name ? w->name : "there");
  for (int i = 0; i < 6 && w->paras[i]; i++) sb_printf(&b, "%s\n\n", w->paras[i]);
  for (size_t i = 0; i < w->nitems; i++) {
    sb_printf(&b, "- %s\n", w->items[i]);
    if (w->item_links && w->item_links[i]) sb_printf(&b, "  %s\n", w->item_links[i]);
  }
  if (w->nitems) sb_puts(&b, "\n");
  if (w->link) sb_printf(&b, "%s:\n%s\n\n", w->link_label ? w->link_label : "Open Rapport", w->link);
  if (w->closing) sb_printf(&b, "%s\n\n", w->closing);
  sb_puts(&b, "-- \nRapport\n");
  const char *out = b.failed ? "" : arena_strdup(c->a, b.data);
  sb_free(&b);
  return out;
}

static const char *render_html(app_ctx *c, const app_mail_words *w) {
  strbuf b;
  sb_init(&b, MAIL_CAP);
  sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
  html_text(&b, w->subject);
  sb_puts(&b, "</title></head>\n<body style=\"font-family:sans-serif;line-height:1.5;"
              "max-width:36em;margin:1em auto;padding:0 1em\">\n<p>Hello ");
  html_text(&b, w->name && *w->name ? w->name : "there");
  sb_puts(&b, ",</p>\n");
  for (int i = 0; i < 6 && w->paras[i]; i++) {
    sb_puts(&b, "<p>");
    html_text(&b, w->paras[i]);
    sb_puts(&b, "</p>\n");
  }
  if (w->nitems) sb_puts(&b, "<ul>\n");
  for (size_t i = 0; i < w->nitems; i++) {
    sb_puts(&b, "<li>");
    const char *href = w->item_links ? w->item_links[i] : NULL;
    if (href) {
      sb_puts(&b, "<a href=\"");
      html_text(&b, href);
      sb_puts(&b, "\">");
    }
    html_text(&b, w->items[i]);
    sb_puts(&b, href ? "</a></li>\n" : "</li>\n");
  }
  if (w->nitems) sb_puts(&b, "</ul>\n");
  if (w->link) {
    sb_puts(&b, "<p><a href=\"");
    html_text(&b, w->link);
    sb_puts(&b, "\" style=\"display:inline-block;padding:.5em 1em;background:#1d4ed8;"
                "color:#fff;text-decoration:none;border-radius:4px\">");
    html_text(&b, w->link_label ? w->link_label : "Open Rapport");
    sb_puts(&b, "</a></p>\n");
  }
  if (w->closing) {
    sb_puts(&b, "<p>");
    html_text(&b, w->closing);
    sb_puts(&b, "</p>\n");
  }
  sb_puts(&b, "<p style=\"color:#555\">Rapport</p>\n</body></html>\n");
  const char *out = b.failed ? "" : arena_strdup(c->a, b.data);
  sb_free(&b);
  return out;
}

/* The in-app notification of a mail about something that happened (not
 * about the account itself): its subject, and the page it links to. */
static rp_rc notify(app_ctx *c, const app_mail *m, rp_err *e) {
  if (!m->person_id || !app_mail_kind_optional(m->kind) || !m->words->link) return RP_OK;
  const char *base = app_mail_link(c, "");
  const char *link = m->words->link;
  if (strncmp(link, base, strlen(base)) == 0) link += strlen(base);
  return store_notification_insert(c->st, m->person_id, m->kind, m->words->subject, link, c->now,
                                   e);
}

rp_rc app_mail_queue(app_ctx *c, const app_mail *m, int64_t *id, rp_err *e) {
  bool send = true;
  rp_time quiet_until = 0;
  rp_rc rc = notify(c, m, e); /* listed in Rapport whatever the mail wishes */
  if (!rc) rc = app_mail_wish(c, m->person_id, m->kind, m->relationship_id, &send, &quiet_until,
                                   e);
  if (rc || !send) return rc; /* turned off: no mail */
  bool optional = m->person_id && (app_mail_kind_optional(m->kind) ||
                                    strcmp(m->kind, "digest") == 0);
  char rnd[TOKEN_BUFSZ];
  token_new(rnd);
  const char *message_id = arena_printf(c->a, "<%.24s@%s>", rnd, app_mail_domain(c));
  mail_message msg = {.to = m->to,
                      .to_name = m->words->name,
                      .subject = m->words->subject,
                      .message_id = message_id,
                      .text = render_text(c, m->words),
                      .html = render_html(c, m->words),
                      .ics = m->ics,
                      .ics_method = m->ics_method,
                      .unsubscribe = optional ? app_mail_unsubscribe_url(c, m->person_id, m->kind)
                                              : NULL};
  strbuf b;
  sb_init(&b, MAIL_CAP);
  if (mail_compose(&b, &msg)) {
    sb_free(&b);
    return rp_fail(e, RP_ERR_INTERNAL, "mail_too_long", "A mail came out too long to send.");
  }
  store_mail_new row = {.kind = m->kind,
                        .person_id = m->person_id,
                        .to = m->to,
                        .subject = m->words->subject,
                        .message_id = message_id,
                        .next_at = m->not_before > quiet_until ? m->not_before : quiet_until};
  int64_t mail_id = 0;
  rc = store_mail_insert(c->st, &row, c->now, &mail_id, e);
  if (!rc) {
    seal_ad ad = {SEAL_MAIL, 0, mail_id, 0, false};
    rc = app_seal_row(c, &ad, b.data, b.len, NULL, e);
  }
  sb_free(&b);
  if (!rc && id) *id = mail_id;
  return rc;
}

/* ---- in-app notifications ---- */

rp_rc app_notifications_list(app_ctx *c, int64_t after, int limit, store_notification **items,
                             size_t *n, int64_t *next, int64_t *unread, rp_err *e) {
  return store_notifications_of(c->st, c->actor, after, app_page_limit(limit), c->a, items, n,
                                next, unread, e);
}

rp_rc app_notifications_read(app_ctx *c, int64_t id, int64_t *marked, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (!rc) rc = store_notifications_read(c->st, c->actor, id, c->now, marked, e);
  if (!rc && id && *marked == 0)
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such notification.");
  return app_finish(c, rc, e);
}

/* ---- the operator's view ---- */

rp_rc app_mail_counts(app_ctx *c, store_mail_counts *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_mail_count(c->st, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_mail_list(app_ctx *c, const char *state, int64_t after, int limit, store_mail **items,
                    size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_mail_list(c->st, state, after, app_page_limit(limit), c->a, items, n, next, e);
  store_rollback(c->st);
  return rc;
}
