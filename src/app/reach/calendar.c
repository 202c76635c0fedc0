/* calendar.c: check-ins in people's calendars (reach.h): the reminder a
 * day before with an iCalendar invitation, its update when the check-in
 * is rescheduled and its cancellation, and each person's feed.
 *
 * A check-in and the check-ins it was rescheduled to are one calendar
 * event: its UID names the first of the chain, and its SEQUENCE is the
 * number of reschedules that led to the one shown, so a calendar replaces
 * the old time with the new one. Every event says only "Check-in with
 * <the other party>" and links to the relationship: no confidential text.
 * Times are UTC (RFC 5545 form 2, "Z").
 */
#include "app/reach/reach.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/strbuf.h"
#include "store/checkins.h"
#include "crypto/token.h"
#include "store/reach.h"

#define ICS_CAP (4u << 20)
#define CHECKIN_MINUTES 60 /* a check-in has no length of its own: an hour in calendars */
#define REMIND_BEFORE_S (24 * 3600)
#define REMIND_BATCH 100
#define FEED_PAST_S (90 * 86400)
#define FEED_MAX 500
#define MARK_REMINDED "checkin_reminder"

/* Appends one content line, escaped as TEXT when `text`, folded at 75
 * octets (RFC 5545 3.1, never inside a UTF-8 character), ending CRLF. */
static void ics_line(strbuf *b, const char *name, const char *value, bool text) {
  strbuf l;
  sb_init(&l, 64 * 1024);
  sb_puts(&l, name);
  for (const char *p = value; *p; p++) {
    if (text && (*p == '\\' || *p == ';' || *p == ',')) sb_append(&l, "\\", 1);
    if (text && *p == '\n') sb_puts(&l, "\\n");
    else if (*p != '\r') sb_append(&l, p, 1);
  }
  size_t col = 0;
  for (size_t i = 0; !l.failed && i < l.len; i++) {
    unsigned char ch = (unsigned char)l.data[i];
    if (col >= 74 && (ch & 0xc0) != 0x80) {
      sb_puts(b, "\r\n ");
      col = 1;
    }
    sb_append(b, &l.data[i], 1);
    col++;
  }
  sb_puts(b, "\r\n");
  sb_free(&l);
}

static const char *ics_time(app_ctx *c, rp_time t) {
  char buf[RP_TIME_BUFSZ];
  rp_time_format(t, buf); /* 2026-03-01T09:00:00Z */
  return arena_printf(c->a, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", buf, buf + 5, buf + 8, buf + 11,
                      buf + 14, buf + 17);
}

static const char *ics_date(app_ctx *c, rp_time t) {
  char buf[RP_TIME_BUFSZ];
  rp_time_format(t, buf);
  return arena_printf(c->a, "%.4s%.2s%.2s", buf, buf + 5, buf + 8);
}

static const char *organizer(app_ctx *c) {
  const char *from = c->env->mail_from;
  const char *lt = from ? strrchr(from, '<') : NULL;
  if (lt) return arena_printf(c->a, "mailto:%.*s", (int)strcspn(lt + 1, ">"), lt + 1);
  if (from) return arena_printf(c->a, "mailto:%s", from);
  return arena_printf(c->a, "mailto:rapport@%s", app_mail_domain(c));
}

static const store_party *other_party(const store_cal_checkin *ck, int64_t person_id) {
  return ck->guide.id == person_id ? &ck->learner : &ck->guide;
}

/* One VEVENT of check-in ck for person_id (whose calendar it goes to). */
static rp_rc checkin_event(app_ctx *c, strbuf *b, const store_cal_checkin *ck, int64_t person_id,
                           bool cancelled, bool attendees, rp_err *e) {
  int64_t root = 0, seq = 0;
  rp_rc rc = store_checkin_series(c->st, ck->id, &root, &seq, e);
  if (rc) return rc;
  if (cancelled) seq++; /* a cancellation is a change of its own */
  const store_party *other = other_party(ck, person_id);
  sb_puts(b, "BEGIN:VEVENT\r\n");
  ics_line(b, "UID:", arena_printf(c->a, "checkin-%lld@%s", (long long)root, app_mail_domain(c)),
           false);
  ics_line(b, "SEQUENCE:", arena_printf(c->a, "%lld", (long long)seq), false);
  ics_line(b, "DTSTAMP:", ics_time(c, ck->created_at), false);
  ics_line(b, "DTSTART:", ics_time(c, ck->scheduled_at), false);
  ics_line(b, "DURATION:", arena_printf(c->a, "PT%dM", CHECKIN_MINUTES), false);
  ics_line(b, "SUMMARY:", arena_printf(c->a, "Check-in with %s", other->name), true);
  ics_line(b, "URL:",
           app_mail_link(c, arena_printf(c->a, "/#/relationships/%lld/checkins",
                                         (long long)ck->relationship_id)),
           false);
  ics_line(b, "STATUS:", cancelled ? "CANCELLED" : "CONFIRMED", false);
  if (attendees) {
    ics_line(b, "ORGANIZER;CN=Rapport:", organizer(c), false);
    const store_party *ps[2] = {&ck->guide, &ck->learner};
    for (int i = 0; i < 2; i++)
      ics_line(b, arena_printf(c->a, "ATTENDEE;CN=\"%s\";RSVP=FALSE:", ps[i]->name),
               arena_printf(c->a, "mailto:%s", ps[i]->email), false);
  }
  sb_puts(b, "END:VEVENT\r\n");
  return RP_OK;
}

static void calendar_open(strbuf *b, const char *method) {
  sb_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rapport//Rapport//EN\r\n"
             "CALSCALE:GREGORIAN\r\n");
  if (method) sb_printf(b, "METHOD:%s\r\n", method);
}

/* Mails person the invitation (REQUEST) or the cancellation (CANCEL) of ck. */
static rp_rc mail_checkin(app_ctx *c, const store_cal_checkin *ck, const store_party *to,
                          const char *method, rp_err *e) {
  bool cancel = strcmp(method, "CANCEL") == 0;
  strbuf b;
  sb_init(&b, ICS_CAP);
  calendar_open(&b, method);
  rp_rc rc = checkin_event(c, &b, ck, to->id, cancel, true, e);
  sb_puts(&b, "END:VCALENDAR\r\n");
  const char *ics = b.failed ? NULL : arena_strdup(c->a, b.data);
  sb_free(&b);
  if (rc) return rc;
  if (!ics) return rp_fail(e, RP_ERR_INTERNAL, "calendar_too_long", "A calendar came out too long.");
  const store_party *other = other_party(ck, to->id);
  char when[RP_TIME_BUFSZ];
  rp_time_format(ck->scheduled_at, when);
  app_mail_words w = {
      .name = to->name,
      .link_label = "Open the check-ins",
      .link = app_mail_link(c, arena_printf(c->a, "/#/relationships/%lld/checkins",
                                            (long long)ck->relationship_id)),
  };
  if (cancel) {
    w.subject = arena_printf(c->a, "Cancelled: check-in with %s", other->name);
    w.paras[0] = arena_printf(c->a, "Your check-in with %s at %s (UTC) was cancelled.",
                              other->name, when);
  } else {
    w.subject = arena_printf(c->a, "Check-in with %s", other->name);
    w.paras[0] = arena_printf(c->a, "You have a check-in with %s at %s (UTC).", other->name, when);
    w.paras[1] = "The invitation attached adds it to your calendar.";
  }
  app_mail m = {.kind = "checkin_reminder", .person_id = to->id, .to = to->email, .words = &w,
                .ics = ics, .ics_method = method, .relationship_id = ck->relationship_id};
  return app_mail_queue(c, &m, NULL, e);
}

/* The jobs' share: the reminders of check-ins in the next 24 hours. */
rp_rc app_reach_reminders_job(app_ctx *c, int *changed, rp_err *e) {
  store_cal_checkin *items;
  size_t n;
  rp_rc rc = store_checkins_to_remind(c->st, c->now, c->now + REMIND_BEFORE_S, MARK_REMINDED,
                                      REMIND_BATCH, c->a, &items, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    const store_party *ps[2] = {&items[i].guide, &items[i].learner};
    for (int k = 0; k < 2 && !rc; k++) {
      bool added = false;
      rc = store_mark_add(c->st, MARK_REMINDED, items[i].id, ps[k]->id, c->now, &added, e);
      if (!rc && added) {
        rc = mail_checkin(c, &items[i], ps[k], "REQUEST", e);
        (*changed)++;
      }
    }
  }
  return rc;
}

/* An outcome recorded on a check-in whose invitation went out: a
 * reschedule sends the new time under the same UID with a higher SEQUENCE,
 * a cancellation sends METHOD:CANCEL, to whoever holds the invitation. */
static rp_rc checkin_changed(app_ctx *c, int64_t checkin_id, rp_err *e) {
  checkin ck;
  rp_rc rc = store_checkin_get(c->st, checkin_id, &ck, e);
  if (rc || !ck.has_outcome) return rc;
  bool cancelled = ck.outcome == CHECKIN_CANCELLED || ck.outcome == CHECKIN_MUTUAL_CANCEL;
  bool moved = ck.outcome == CHECKIN_RESCHEDULED && ck.rescheduled_to;
  if (!cancelled && !moved) return RP_OK;
  store_cal_checkin old, now;
  rc = store_cal_checkin_get(c->st, checkin_id, c->a, &old, e);
  if (!rc && moved) rc = store_cal_checkin_get(c->st, ck.rescheduled_to, c->a, &now, e);
  const store_party *ps[2] = {&old.guide, &old.learner};
  for (int k = 0; k < 2 && !rc; k++) {
    bool has = false;
    rc = store_mark_has(c->st, MARK_REMINDED, checkin_id, ps[k]->id, &has, e);
    if (rc || !has) continue;
    if (cancelled) {
      rc = mail_checkin(c, &old, ps[k], "CANCEL", e);
    } else {
      bool added = false;
      rc = store_mark_add(c->st, MARK_REMINDED, now.id, ps[k]->id, c->now, &added, e);
      if (!rc && added) rc = mail_checkin(c, &now, ps[k], "REQUEST", e);
    }
  }
  return rc;
}

rp_rc app_reach_event(app_ctx *c, const rel_event *ev, rp_err *e) {
  if (strcmp(ev->kind, "checkin_outcome") == 0) return checkin_changed(c, ev->subject_id, e);
  return RP_OK;
}

/* ---- the feed ---- */

static void feed_hash(app_ctx *c, const char *token, unsigned char hash[TOKEN_HASH_LEN]) {
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
}

rp_rc app_calendar_feed_rotate(app_ctx *c, const char **url, rp_time *created_at, rp_err *e) {
  char token[TOKEN_BUFSZ];
  unsigned char hash[TOKEN_HASH_LEN];
  token_new(token);
  feed_hash(c, token, hash);
  rp_rc rc = store_begin_write(c->st, e);
  if (!rc) rc = store_feed_set(c->st, c->actor, hash, c->now, e);
  rc = app_finish(c, rc, e);
  if (!rc) {
    *url = app_mail_link(c, arena_printf(c->a, "/api/v1/calendar.ics?key=%s", token));
    *created_at = c->now;
    log_info("security event=calendar_feed_rotated person=%lld", (long long)c->actor);
  }
  sodium_memzero(token, sizeof token);
  return rc;
}

rp_rc app_calendar_feed_revoke(app_ctx *c, rp_err *e) {
  bool deleted = false;
  rp_rc rc = store_begin_write(c->st, e);
  if (!rc) rc = store_feed_delete(c->st, c->actor, &deleted, e);
  rc = app_finish(c, rc, e);
  if (!rc && !deleted) rc = rp_fail(e, RP_ERR_NOT_FOUND, "no_feed", "You have no calendar feed.");
  return rc;
}

rp_rc app_calendar_feed_status(app_ctx *c, bool *active, rp_time *created_at, rp_err *e) {
  rp_err local = {0};
  rp_rc rc = store_feed_get(c->st, c->actor, created_at, &local);
  *active = rc == RP_OK;
  if (rc == RP_ERR_NOT_FOUND) return RP_OK;
  return rc ? rp_fail(e, rc, local.code, "%s", local.detail) : RP_OK;
}

/* The feed's events: check-ins from 90 days back, and the open
 * commitments as all-day events on their due day. */
static rp_rc feed_events(app_ctx *c, strbuf *b, int64_t person_id, rp_err *e) {
  store_cal_checkin *cks;
  size_t n;
  rp_rc rc = store_cal_checkins_of(c->st, person_id, c->now - FEED_PAST_S, FEED_MAX, c->a, &cks,
                                   &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    bool cancelled = cks[i].outcome && (strcmp(cks[i].outcome, "cancelled") == 0 ||
                                        strcmp(cks[i].outcome, "mutual_cancel") == 0);
    rc = checkin_event(c, b, &cks[i], person_id, cancelled, false, e);
  }
  store_cal_commitment *cms;
  if (!rc) rc = store_cal_commitments_of(c->st, person_id, c->now, FEED_MAX, c->a, &cms, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    const store_party *other = cms[i].guide.id == person_id ? &cms[i].learner : &cms[i].guide;
    sb_puts(b, "BEGIN:VEVENT\r\n");
    ics_line(b, "UID:", arena_printf(c->a, "commitment-%lld@%s", (long long)cms[i].id,
                                     app_mail_domain(c)), false);
    ics_line(b, "DTSTAMP:", ics_time(c, cms[i].due_at), false);
    ics_line(b, "DTSTART;VALUE=DATE:", ics_date(c, cms[i].due_at), false);
    ics_line(b, "SUMMARY:",
             arena_printf(c->a, cms[i].owner_id == person_id
                                    ? "Your commitment is due (with %s)"
                                    : "%s's commitment is due",
                          other->name),
             true);
    ics_line(b, "URL:",
             app_mail_link(c, arena_printf(c->a, "/#/relationships/%lld/commitments",
                                           (long long)cms[i].relationship_id)),
             false);
    ics_line(b, "TRANSP:", "TRANSPARENT", false);
    sb_puts(b, "END:VEVENT\r\n");
  }
  return rc;
}

rp_rc app_calendar_feed(app_ctx *c, const char *token, char **ics, char etag[40], rp_err *e) {
  *ics = NULL;
  if (!token || !token_well_formed(token))
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_feed", "There is no calendar at this address.");
  unsigned char hash[TOKEN_HASH_LEN];
  feed_hash(c, token, hash);
  int64_t person_id = 0;
  rp_rc rc = store_feed_person(c->st, hash, &person_id, e);
  if (rc == RP_ERR_NOT_FOUND)
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_feed", "There is no calendar at this address.");
  const char *tz = "UTC";
  if (!rc) rc = app_reach_time_zone(c, person_id, &tz, e);
  if (rc) return rc;
  strbuf b;
  sb_init(&b, ICS_CAP);
  calendar_open(&b, "PUBLISH");
  sb_puts(&b, "X-WR-CALNAME:Rapport check-ins\r\n");
  ics_line(&b, "X-WR-TIMEZONE:", tz, false);
  rc = feed_events(c, &b, person_id, e);
  sb_puts(&b, "END:VCALENDAR\r\n");
  if (!rc && b.failed) rc = rp_fail(e, RP_ERR_INTERNAL, "calendar_too_long", "The calendar is too long.");
  if (!rc) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)b.data, b.len, NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(etag, 40, "\"%s\"", hex);
    *ics = b.data; /* malloc'd: the caller frees it */
    b.data = NULL;
  }
  sb_free(&b);
  return rc;
}
