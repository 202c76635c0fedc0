/* words.c: what each mail says (reach.h). Each is made only of names,
 * dates and links: no mail ever carries confidential text, and building
 * one opens no sealed text.
 */
#include "app/reach/reach.h"

#include <string.h>

#include "base/timeutil.h"

/* Queues the mail of notice n with words w. */
static rp_rc queue(app_ctx *c, const app_notice *n, const app_mail_words *w, rp_err *e) {
  app_mail m = {.kind = n->kind, .person_id = n->person_id, .to = n->email, .words = w};
  return app_mail_queue(c, &m, NULL, e);
}

/* The invitation and the password reset: a one-time link to choose a
 * password (POST /invitations/accept takes both), 7 days or an hour. */
static rp_rc one_time_link(app_ctx *c, const app_notice *n, rp_err *e) {
  bool invitation = strcmp(n->kind, "invitation") == 0;
  app_mail_words w = {
      .name = n->name,
      .link_label = invitation ? "Choose your password" : "Choose a new password",
      .link = app_mail_link(c, arena_printf(c->a, "%s#%s", invitation ? "/invitation" : "/reset",
                                            n->token)),
  };
  if (invitation) {
    w.subject = "Your invitation to Rapport";
    w.paras[0] = arena_printf(c->a, "You have been invited to the program \"%s\" on Rapport.",
                              n->about ? n->about : "");
    w.paras[1] = "Choose your password with the link below; it works once, for 7 days. "
                 "If you did not expect this invitation, you can ignore this mail.";
  } else {
    w.subject = "Choose a new Rapport password";
    w.paras[0] = "Someone asked to reset the password of your Rapport account.";
    w.paras[1] = "If it was you, choose a new password with the link below; it works once, "
                 "for one hour. If it was not, ignore this mail: your password stays as it is.";
  }
  return queue(c, n, &w, e);
}

/* A sign-in from a browser not seen before on this account. */
static rp_rc new_device(app_ctx *c, const app_notice *n, rp_err *e) {
  char when[32];
  rp_time_format(c->now, when);
  app_mail_words w = {
      .subject = "A new sign-in to your Rapport account",
      .name = n->name,
      .paras = {arena_printf(c->a, "Your account was signed in to at %s from a browser it had "
                                   "not been used from before (%s).",
                             when, n->about ? n->about : "unknown"),
                "If it was you, there is nothing to do. If not, change your password and end "
                "the sessions you do not know on your account page."},
      .link_label = "See your sessions",
      .link = app_mail_link(c, "/#/me/sessions"),
  };
  return queue(c, n, &w, e);
}

rp_rc app_reach_noticed(app_ctx *c, const app_notice *n, rp_err *e) {
  if (strcmp(n->kind, "invitation") == 0 || strcmp(n->kind, "password_reset") == 0)
    return one_time_link(c, n, e);
  if (strcmp(n->kind, "new_device") == 0) return new_device(c, n, e);
  return rp_fail(e, RP_ERR_INTERNAL, "unknown_notice", "No mail says \"%s\".", n->kind);
}
