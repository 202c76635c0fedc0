/* prefs.c: what each person wishes of mail (reach.h): which optional
 * mails they want, their time zone and quiet hours, and the one-click
 * unsubscribe (RFC 8058) of each optional kind.
 *
 * Invitations, password resets and sign-in notices always go: they are
 * about the account itself. A mail written during the person's quiet
 * hours waits in the outbox until they end (next_at), in their time zone
 * read from the system's zone files (/usr/share/zoneinfo, base/tzif.h).
 */
#include "app/reach/reach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "base/strbuf.h"
#include "base/tzif.h"
#include "crypto/token.h"
#include "store/agreements.h"
#include "store/reach.h"

#define ZONE_DIR "/usr/share/zoneinfo/"
#define ZONE_FILE_MAX (256 * 1024)

const char *const app_mail_optional_kinds[] = {"checkin_reminder", "commitment_due",
                                               "request_unanswered", "warning_raised", "pulse_due",
                                               "long_term_due", NULL};

bool app_mail_kind_optional(const char *kind) {
  for (int i = 0; app_mail_optional_kinds[i]; i++)
    if (strcmp(kind, app_mail_optional_kinds[i]) == 0) return true;
  return false;
}

rp_rc app_reach_time_zone(app_ctx *c, int64_t person_id, const char **tz, rp_err *e) {
  store_mail_prefs p;
  rp_rc rc = store_mail_prefs_get(c->st, person_id, c->a, &p, e);
  if (!rc) *tz = p.time_zone;
  return rc;
}

bool app_zone_offset(const char *tz, rp_time t, int32_t *off) {
  if (strcmp(tz, "UTC") == 0) {
    *off = 0;
    return true;
  }
  if (!tzif_name_valid(tz)) return false;
  char path[128];
  snprintf(path, sizeof path, ZONE_DIR "%s", tz);
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char *buf = malloc(ZONE_FILE_MAX);
  size_t n = buf ? fread(buf, 1, ZONE_FILE_MAX, f) : 0;
  fclose(f);
  bool ok = buf && tzif_offset(buf, n, t, off);
  free(buf);
  return ok;
}

rp_time app_quiet_end(const char *tz, int from, int to, rp_time now) {
  int32_t off = 0;
  if (from < 0 || to < 0 || from == to) return 0;
  if (!app_zone_offset(tz, now, &off)) {
    log_warn("mail: the time zone %s cannot be read; quiet hours taken in UTC", tz);
    off = 0;
  }
  rp_time local = now + off;
  int minute = (int)(((local % 86400) + 86400) % 86400 / 60);
  bool quiet = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!quiet) return 0;
  int wait = (to - minute + 1440) % 1440;
  return now - (((local % 60) + 60) % 60) + (rp_time)wait * 60;
}

int64_t app_digest_week(rp_time local) {
  int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t d = day - APP_MONDAY_DAY;
  return (d >= 0 ? d / 7 : -((-d + 6) / 7)) + 1;
}

bool app_mail_listed(const char *off, const char *kind) {
  size_t k = strlen(kind);
  for (const char *p = off; *p;) {
    size_t n = strcspn(p, ",");
    if (n == k && strncmp(p, kind, k) == 0) return true;
    p += n + (p[n] == ',');
  }
  return false;
}

rp_rc app_mail_wish(app_ctx *c, int64_t person_id, const char *kind, int64_t relationship_id,
                    bool *send, rp_time *not_before, rp_err *e) {
  *send = true;
  *not_before = 0;
  if (!person_id || !app_mail_kind_optional(kind)) return RP_OK;
  store_mail_prefs p;
  rp_rc rc = store_mail_prefs_get(c->st, person_id, c->a, &p, e);
  if (rc) return rc;
  if (app_mail_listed(p.off, kind)) {
    *send = false;
    return RP_OK;
  }
  if (p.digest) {
    *send = false; /* listed in the weekly digest instead (digest.c) */
    return RP_OK;
  }
  *not_before = app_quiet_end(p.time_zone, p.quiet_from, p.quiet_to, c->now);
  int from = -1, to = -1;
  if (relationship_id) rc = store_agreement_quiet_hours(c->st, relationship_id, &from, &to, e);
  if (rc) return rc;
  /* The later of the two ends: each end is checked again from there, so
   * quiet hours that follow one another are both waited out. */
  for (int i = 0; i < 4; i++) {
    rp_time at = *not_before ? *not_before : c->now;
    rp_time mine = app_quiet_end(p.time_zone, p.quiet_from, p.quiet_to, at);
    rp_time theirs = app_quiet_end(p.time_zone, from, to, at);
    rp_time later = mine > theirs ? mine : theirs;
    if (!later || later == *not_before) break;
    *not_before = later;
  }
  return RP_OK;
}

/* ---- the person's own page ---- */

rp_rc app_mail_prefs_get(app_ctx *c, app_mail_prefs *out, rp_err *e) {
  store_mail_prefs p;
  rp_rc rc = store_mail_prefs_get(c->st, c->actor, c->a, &p, e);
  if (rc) return rc;
  memset(out, 0, sizeof *out);
  out->time_zone = p.time_zone;
  out->quiet_from = p.quiet_from;
  out->quiet_to = p.quiet_to;
  out->digest = p.digest;
  for (int i = 0; app_mail_optional_kinds[i] && out->noff < APP_MAIL_KINDS_MAX; i++)
    if (app_mail_listed(p.off, app_mail_optional_kinds[i])) out->off[out->noff++] = app_mail_optional_kinds[i];
  return RP_OK;
}

rp_rc app_mail_prefs_put(app_ctx *c, const app_mail_prefs *in, rp_err *e) {
  int32_t off;
  if (!in->time_zone || !app_zone_offset(in->time_zone, c->now, &off))
    rp_field(e, "/time_zone", "Give a time zone such as Europe/Paris.");
  if ((in->quiet_from < 0) != (in->quiet_to < 0))
    rp_field(e, in->quiet_from < 0 ? "/quiet_from" : "/quiet_to",
             "Give both ends of the quiet hours, or neither.");
  strbuf list;
  sb_init(&list, 1024);
  for (size_t i = 0; i < in->noff; i++) {
    if (!app_mail_kind_optional(in->off[i])) {
      rp_field(e, arena_printf(c->a, "/off/%zu", i), "No such kind of optional mail.");
      continue;
    }
    if (list.len) sb_puts(&list, ",");
    sb_puts(&list, in->off[i]);
  }
  if (e->rc) {
    sb_free(&list);
    return e->rc;
  }
  store_mail_prefs p = {in->time_zone, in->quiet_from, in->quiet_to, in->digest,
                        arena_strdup(c->a, list.data ? list.data : ""), 0, 0};
  sb_free(&list);
  store_mail_prefs was;
  rp_rc rc = store_begin_write(c->st, e);
  if (!rc) rc = store_mail_prefs_get(c->st, c->actor, c->a, &was, e);
  if (!rc) rc = store_mail_prefs_put(c->st, c->actor, &p, e);
  /* A digest newly wished for lists what happens from now on, from the
   * next Monday on. */
  store_notification *newest;
  size_t n = 0;
  int64_t next, unread;
  if (!rc && in->digest && !was.digest)
    rc = store_notifications_of(c->st, c->actor, 0, 1, c->a, &newest, &n, &next, &unread, e);
  if (!rc && in->digest && !was.digest)
    rc = store_digest_mark(c->st, c->actor, app_digest_week(c->now + off),
                           n ? newest[0].id : 0, e);
  return app_finish(c, rc, e);
}

/* ---- one-click unsubscribe ---- */

/* The signature of "person_id may unsubscribe from kind": a keyed hash,
 * 32 hex digits. */
static void unsubscribe_sig(app_ctx *c, int64_t person_id, const char *kind, char out[33]) {
  unsigned char h[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION),
             arena_printf(c->a, "unsubscribe:%lld:%s", (long long)person_id, kind), h);
  sodium_bin2hex(out, 33, h, 16);
}

const char *app_mail_unsubscribe_url(app_ctx *c, int64_t person_id, const char *kind) {
  char sig[33];
  unsubscribe_sig(c, person_id, kind, sig);
  return app_mail_link(c, arena_printf(c->a, "/api/v1/unsubscribe?person=%lld&kind=%s&sig=%s",
                                       (long long)person_id, kind, sig));
}

rp_rc app_mail_unsubscribe(app_ctx *c, int64_t person_id, const char *kind, const char *sig,
                           rp_err *e) {
  char want[33];
  bool digest = kind && strcmp(kind, "digest") == 0;
  if (!kind || !sig || person_id <= 0 || (!app_mail_kind_optional(kind) && !digest) ||
      strlen(sig) != 32)
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_subscription", "This unsubscribe link is not valid.");
  unsubscribe_sig(c, person_id, kind, want);
  if (sodium_memcmp(want, sig, 32) != 0)
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_subscription", "This unsubscribe link is not valid.");
  rp_rc rc = store_begin_write(c->st, e);
  store_mail_prefs p;
  if (!rc) rc = store_mail_prefs_get(c->st, person_id, c->a, &p, e);
  if (!rc && digest && p.digest) {
    p.digest = false; /* back to a mail for each thing */
    rc = store_mail_prefs_put(c->st, person_id, &p, e);
  } else if (!rc && !digest && !app_mail_listed(p.off, kind)) {
    p.off = *p.off ? arena_printf(c->a, "%s,%s", p.off, kind) : kind;
    rc = store_mail_prefs_put(c->st, person_id, &p, e);
  }
  return app_finish(c, rc, e);
}
