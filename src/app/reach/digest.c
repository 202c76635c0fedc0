/* digest.c: the weekly digest (reach.h). A person who wants one gets no
 * mail for each optional notice (app_mail_wish); their notifications are
 * kept as for everyone, and once a week, on Monday morning in their time
 * zone and outside their quiet hours, one mail lists those since the
 * last digest: each notification's title and link, which never carry
 * confidential text. A week with nothing to tell sends nothing.
 */
#include "app/reach/reach.h"

#include <string.h>

#include "store/reach.h"

#define DIGEST_BATCH 200
#define DIGEST_ITEMS 50 /* listed in one mail; the rest counted */
#define DAY_S 86400

/* The notifications of d since its last digest that it did not turn off,
 * newest first: at most DIGEST_ITEMS in *items; *more counts the rest
 * (at least, when there are very many); *newest is the id of d's newest
 * notification (0: none). */
static rp_rc since_last(app_ctx *c, const store_digest_person *d, store_notification **items,
                        size_t *n, int64_t *more, int64_t *newest, rp_err *e) {
  store_notification *page;
  size_t got = 0, keep = 0;
  int64_t next = 0, unread = 0, after = 0;
  *more = 0;
  *newest = d->prefs.digest_last;
  *items = arena_alloc(c->a, DIGEST_ITEMS * sizeof **items);
  do {
    rp_rc rc = store_notifications_of(c->st, d->who.id, after, 100, c->a, &page, &got, &next,
                                      &unread, e);
    if (rc) return rc;
    if (!after && got) *newest = page[0].id;
    for (size_t i = 0; i < got; i++) {
      if (page[i].id <= d->prefs.digest_last) {
        next = 0;
        break;
      }
      if (!app_mail_kind_optional(page[i].kind) || app_mail_listed(d->prefs.off, page[i].kind))
        continue;
      if (keep < DIGEST_ITEMS) (*items)[keep++] = page[i];
      else (*more)++;
    }
    after = next;
  } while (after && *more < 1000);
  *n = keep;
  return RP_OK;
}

static rp_rc digest_of(app_ctx *c, const store_digest_person *d, int *changed, rp_err *e) {
  int32_t off = 0;
  if (!app_zone_offset(d->prefs.time_zone, c->now, &off)) off = 0;
  rp_time local = c->now + off;
  int64_t week = app_digest_week(local);
  rp_time monday = ((week - 1) * 7 + APP_MONDAY_DAY) * (rp_time)DAY_S;
  if (week <= d->prefs.digest_week || local < monday + APP_DIGEST_HOUR * 3600) return RP_OK;
  store_notification *its;
  size_t n = 0;
  int64_t more = 0, newest = 0;
  rp_rc rc = since_last(c, d, &its, &n, &more, &newest, e);
  if (!rc) rc = store_digest_mark(c->st, d->who.id, week, newest, e);
  if (rc || n == 0) return rc;
  const char **items = arena_alloc(c->a, (n + 1) * sizeof *items);
  const char **links = arena_alloc(c->a, (n + 1) * sizeof *links);
  for (size_t i = 0; i < n; i++) {
    char when[RP_TIME_BUFSZ];
    rp_time_format(its[i].at, when);
    items[i] = arena_printf(c->a, "%s (%.10s)", its[i].title, when);
    links[i] = app_mail_link(c, its[i].link);
  }
  if (more) {
    items[n] = arena_printf(c->a, "and %lld more in Rapport", (long long)more);
    links[n++] = app_mail_link(c, "/#/me/notifications");
  }
  app_mail_words w = {
      .subject = "Your week in Rapport",
      .name = d->who.name,
      .paras = {"Here is what happened in your relationships since your last digest. Each "
                "line links to its page; what was written stays in Rapport.",
                NULL},
      .items = items,
      .item_links = links,
      .nitems = n,
      .link_label = "Choose how Rapport mails you",
      .link = app_mail_link(c, "/#/me/mail"),
  };
  app_mail m = {.kind = "digest",
                .person_id = d->who.id,
                .to = d->who.email,
                .words = &w,
                .not_before = app_quiet_end(d->prefs.time_zone, d->prefs.quiet_from,
                                            d->prefs.quiet_to, c->now)};
  (*changed)++;
  return app_mail_queue(c, &m, NULL, e);
}

rp_rc app_reach_digest_job(app_ctx *c, int *changed, rp_err *e) {
  store_digest_person *ds;
  size_t n = 0;
  /* No zone is more than 14 hours ahead of UTC: a local week never runs
   * more than one ahead of the UTC week. */
  rp_rc rc = store_digest_people(c->st, app_digest_week(c->now + 14 * 3600), DIGEST_BATCH, c->a,
                                 &ds, &n, e);
  for (size_t i = 0; i < n && !rc; i++) rc = digest_of(c, &ds[i], changed, e);
  return rc;
}
