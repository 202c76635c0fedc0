/* outside.c: outside raters, asked by e-mail (see feedback360.h).
 *
 * Design note. An outside rater's one-time link goes to them in a mail,
 * written to the outbox in the request's own transaction; its token is 32
 * random bytes of which only the keyed hash is stored (f360_raters), and
 * the mail itself is sealed with the server's key until the sender
 * delivers it. The requester never holds the link: with it they could
 * answer in the rater's place, and the link's view (its state, the 409
 * of a second answer) would tell them whether that person answered or
 * declined. Without an SMTP server the mail waits in the outbox until an
 * operator configures one; there is no hand-over link as a fallback.
 *
 * Of the address, the rater row keeps only a keyed hash of its folded
 * form, so that one requester cannot ask the same address again within
 * F360_RERATE_DAYS (two reports that differ by one rater could be
 * subtracted), also when it is a member's address. The mail says who
 * asks and why in fixed words with the requester's name; never the
 * purpose the requester wrote, which is sealed.
 */
#include "app/feedback360/internal.h"
#include "app/reach/reach.h"
#include "base/timeutil.h"

#include <sodium.h>
#include <string.h>

void f360_email_hash(app_ctx *c, const char *email, unsigned char hash[TOKEN_HASH_LEN]) {
  const char *folded = arena_printf(c->a, "f360-rater:%s", person_email_fold(c->a, email));
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), folded, hash);
}

static rp_rc outside_field(app_ctx *c, size_t i, const char *key, const char *msg, rp_err *e) {
  rp_field(e, arena_printf(c->a, "/outside/%zu/%s", i, key), "%s", msg);
  return RP_ERR_INVALID;
}

rp_rc f360_outside_check(app_ctx *c, const app_f360_new *in, const char *own_email, rp_err *e) {
  for (size_t i = 0; i < in->noutside; i++) {
    const app_f360_outside_in *o = &in->outside[i];
    if (!o->email || !person_email_valid(o->email))
      return outside_field(c, i, "email", "Give a valid e-mail address.", e);
    if (o->group == F360_GUIDE)
      return outside_field(c, i, "group", "An outside rater is in peers, colleagues or others.", e);
    const char *folded = person_email_fold(c->a, o->email);
    if (own_email && strcmp(folded, person_email_fold(c->a, own_email)) == 0)
      return outside_field(c, i, "email", "Ask someone else than yourself.", e);
    for (size_t j = 0; j < i; j++)
      if (strcmp(folded, person_email_fold(c->a, in->outside[j].email)) == 0)
        return outside_field(c, i, "email", "Each rater once.", e);
    for (size_t j = 0; j < in->nraters; j++)
      if (in->raters[j].email && strcmp(folded, person_email_fold(c->a, in->raters[j].email)) == 0)
        return outside_field(c, i, "email", "Each rater once.", e);
  }
  return RP_OK;
}

/* The mail of an outside rater: who asks and why, in fixed words. */
static rp_rc mail_link(app_ctx *c, const store_f360 *row, const char *to, const char *token,
                       rp_err *e) {
  person p;
  rp_rc rc = store_person_get(c->st, row->requester_id, c->a, &p, e);
  if (rc) return rc;
  char until[RP_TIME_BUFSZ];
  rp_time_format(row->deadline, until);
  app_mail_words w = {
      .subject = arena_printf(c->a, "%s asks for your feedback", p.name),
      .name = NULL,
      .paras = {arena_printf(c->a, "%s asks you for feedback through Rapport, their mentoring "
                                   "program's platform: how they come across to the people "
                                   "they work with, as you see it.",
                             p.name),
                "It takes about ten minutes: seven statements to rate from 1 to 5 (or \"can't "
                "say\"), and two open questions, what they should keep doing and what they "
                "could do differently. You may also decline.",
                arena_printf(c->a, "Your answers are anonymous: %s sees them only merged with "
                                   "those of other raters, never with your name, and only "
                                   "once enough people answered. Nobody is told whether you "
                                   "answered or declined.",
                             p.name),
                arena_printf(c->a, "The link below is yours alone; it works until %s (UTC). "
                                   "If you did not expect this mail, you can ignore it.",
                             until)},
      .link_label = "Give your feedback",
      .link = app_mail_link(c, arena_printf(c->a, "/#/rate/%s", token)),
  };
  app_mail m = {.kind = "feedback360_request", .person_id = 0, .to = to, .words = &w};
  return app_mail_queue(c, &m, NULL, e);
}

rp_rc f360_outside_ask(app_ctx *c, const store_f360 *row, const app_f360_new *in, size_t i,
                       rp_err *e) {
  const app_f360_outside_in *o = &in->outside[i];
  unsigned char ehash[TOKEN_HASH_LEN];
  f360_email_hash(c, o->email, ehash);
  person p;
  const char *pw;
  int64_t pid = -1; /* an address with an account: its person is the same rater */
  rp_rc rc = store_person_by_email(c->st, o->email, c->a, &p, &pw, e);
  if (rc && rc != RP_ERR_NOT_FOUND) return rc;
  rp_err_reset(e);
  if (!rc) pid = p.id;
  bool recent = false;
  rc = store_f360_asked_since(c->st, c->actor, pid, ehash, sizeof ehash,
                              c->now - (rp_time)F360_RERATE_DAYS * RP_DAY, &recent, e);
  if (!rc && recent)
    return rp_fail(e, RP_ERR_CONFLICT, "rater_recent",
                   "You asked %s for feedback within the last %d days; ask someone else.",
                   o->email, F360_RERATE_DAYS);
  char *tok = arena_alloc(c->a, TOKEN_BUFSZ);
  unsigned char thash[TOKEN_HASH_LEN];
  token_new(tok);
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), tok, thash);
  store_f360_rater r = {0, row->id, 0, o->group, F360_INVITED, c->now};
  if (!rc) rc = store_f360_rater_insert(c->st, &r, thash, sizeof thash, ehash, e);
  if (!rc) rc = mail_link(c, row, o->email, tok, e);
  sodium_memzero(tok, TOKEN_BUFSZ);
  return rc;
}
