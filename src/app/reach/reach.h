/* reach.h: the reach room of app/: reaching people where they are, by
 * mail.
 *
 * It owns the outbox (a mail is a row written in the same transaction as
 * the action that causes it, app_mail_queue), the words of every mail
 * (words.c: plain text and HTML, never any confidential text: a mail says
 * what happened and links to it), the notices the rooms below raise
 * through the core's noticed moment (invitations, password resets), and
 * the sender (sender.c): a thread that delivers the outbox through SMTP
 * with libcurl, with retries and backoff, and the operator's view of what
 * waits or failed.
 *
 * It may call the core (app/core/core.h), privacy, people, trust and
 * practices; nothing above it (yourdata/, the top of app/) is called.
 */
#ifndef RAPPORT_APP_REACH_REACH_H
#define RAPPORT_APP_REACH_REACH_H

#include "app/core/core.h"
#include "app/practices/practices.h"
#include "app/privacy/privacy.h"
#include "store/mail.h"

/* ---- the outbox (app/reach/outbox.c) ---- */

/* What a mail says, in words both its parts are made of: a greeting to
 * `name`, paragraphs, one link (a button in HTML), and a closing line. */
typedef struct app_mail_words {
  const char *subject;
  const char *name;         /* whom it greets */
  const char *paras[6];     /* NULL-terminated when fewer */
  const char *const *items; /* a list after the paragraphs (nitems of them) */
  const char *const *item_links; /* each item's absolute URL (NULL: no link) */
  size_t nitems;
  const char *link_label;   /* NULL: no link */
  const char *link;         /* absolute URL */
  const char *closing;      /* NULL: none */
} app_mail_words;

typedef struct app_mail {
  const char *kind;        /* invitation, password_reset, ... */
  int64_t person_id;       /* 0: none */
  const char *to;          /* the address */
  const app_mail_words *words;
  const char *ics;         /* NULL, or an iCalendar object (CRLF lines) */
  const char *ics_method;  /* REQUEST, CANCEL */
  rp_time not_before;      /* 0: at once */
  int64_t relationship_id; /* the relationship it is about (its agreement's quiet hours); 0: none */
} app_mail;

/* Queues m in the open write transaction: a row of the outbox with a new
 * Message-ID, its whole message sealed with the server's own key (links in
 * it may carry one-time secrets). *id (may be NULL) is its row. */
rp_rc app_mail_queue(app_ctx *c, const app_mail *m, int64_t *id, rp_err *e);
/* The absolute URL of path (beginning with '/') under env->public_url. */
const char *app_mail_link(app_ctx *c, const char *path);

/* The domain of Message-IDs and calendar UIDs: that of the From address,
 * else of the public URL, else rapport.invalid. */
const char *app_mail_domain(app_ctx *c);

/* The core's noticed moment (app/app.c): the mail of a notice. */
rp_rc app_reach_noticed(app_ctx *c, const app_notice *n, rp_err *e);

/* ---- calendars (app/reach/calendar.c) ---- */

/* The event_recorded moment's share (app/app.c): an outcome on a check-in
 * whose invitation went out mails its update (a reschedule: the new time,
 * same UID, higher SEQUENCE) or its cancellation (METHOD:CANCEL). */
rp_rc app_reach_event(app_ctx *c, const rel_event *ev, rp_err *e);
/* The jobs' share (app/jobs.c): mails each party of a check-in due within
 * 24 hours its reminder with an iCalendar invitation (METHOD:REQUEST),
 * once; *changed counts the mails. */
rp_rc app_reach_reminders_job(app_ctx *c, int *changed, rp_err *e);

/* The jobs' share (app/reach/reminders.c): a commitment due within a day
 * (to its owner), a request unanswered past the reply window (to the one
 * who owes the reply), an early warning raised (to both parties, never an
 * administrator), a pulse round open (to the party whose pulse is due by
 * the program's interval or the check-ins held); each once. *changed
 * counts the mails. */
rp_rc app_reach_notices_job(app_ctx *c, int *changed, rp_err *e);

/* The actor's calendar feed: a new secret URL (*url, in the arena; the
 * old one stops working), whether there is one, or none any more
 * (RP_ERR_NOT_FOUND "no_feed" when there was none). */
rp_rc app_calendar_feed_rotate(app_ctx *c, const char **url, rp_time *created_at, rp_err *e);
rp_rc app_calendar_feed_status(app_ctx *c, bool *active, rp_time *created_at, rp_err *e);
rp_rc app_calendar_feed_revoke(app_ctx *c, rp_err *e);
/* The RFC 5545 feed of the person whose feed secret is `token`, in the
 * caller's read transaction: *ics (malloc'd, the caller frees it) and its
 * ETag; RP_ERR_NOT_FOUND "no_feed" for an unknown or revoked secret. */
rp_rc app_calendar_feed(app_ctx *c, const char *token, char **ics, char etag[40], rp_err *e);

/* ---- wishes (app/reach/prefs.c) ---- */

/* The kinds of mail a person may turn off (NULL-terminated); the others
 * (invitation, password reset, sign-in notice) always go. */
extern const char *const app_mail_optional_kinds[];
#define APP_MAIL_KINDS_MAX 8
bool app_mail_kind_optional(const char *kind);

/* person_id's time zone (an IANA name; "UTC" by default), in the arena. */
rp_rc app_reach_time_zone(app_ctx *c, int64_t person_id, const char **tz, rp_err *e);
/* Whether person_id wants a mail of `kind` now (*send), and when it may
 * go: *not_before is the later end of their own quiet hours and of the
 * quiet hours of the agreement in force of relationship_id (0: none),
 * both in their time zone, when c->now is in either, else 0. Kinds that
 * are not optional always go at once. */
rp_rc app_mail_wish(app_ctx *c, int64_t person_id, const char *kind, int64_t relationship_id,
                    bool *send, rp_time *not_before, rp_err *e);

/* The UTC offset of zone tz (an IANA name, or "UTC") at t; false when
 * the zone cannot be read. */
bool app_zone_offset(const char *tz, rp_time t, int32_t *off);
/* The end of the quiet hours [from, to) (minutes after local midnight in
 * zone tz; -1: none) when `now` is in them, else 0. */
rp_time app_quiet_end(const char *tz, int from, int to, rp_time now);
/* Whether `kind` is in the comma-separated list `off`. */
bool app_mail_listed(const char *off, const char *kind);

typedef struct app_mail_prefs {
  const char *time_zone;      /* an IANA name whose zone file exists, or "UTC" */
  int quiet_from, quiet_to;   /* minutes after local midnight; -1: no quiet hours */
  const char *off[APP_MAIL_KINDS_MAX]; /* optional kinds not wanted */
  size_t noff;
  bool digest;                /* the optional mails in a weekly digest instead */
} app_mail_prefs;

/* The actor's wishes (in the caller's transaction), and setting them
 * (422 at /time_zone, /quiet_from, /quiet_to, /off/<i>). */
rp_rc app_mail_prefs_get(app_ctx *c, app_mail_prefs *out, rp_err *e);
rp_rc app_mail_prefs_put(app_ctx *c, const app_mail_prefs *in, rp_err *e);
/* The one-click unsubscribe URL of person_id for kind (RFC 8058), signed
 * with the server's key, and its use: kind is turned off for person_id;
 * RP_ERR_NOT_FOUND "no_subscription" for a wrong signature. */
const char *app_mail_unsubscribe_url(app_ctx *c, int64_t person_id, const char *kind);
rp_rc app_mail_unsubscribe(app_ctx *c, int64_t person_id, const char *kind, const char *sig,
                           rp_err *e);

/* ---- the weekly digest (app/reach/digest.c) ---- */

/* When a person's digest goes: Monday at this hour, their local time (or
 * the end of their quiet hours, when later). */
#define APP_DIGEST_HOUR 8
/* The number of the local week (Monday to Sunday) of local time `local`
 * (UTC seconds plus the zone's offset): 1 for the week of 1970-01-05
 * (prefs.c), day APP_MONDAY_DAY of the epoch. */
#define APP_MONDAY_DAY 4
int64_t app_digest_week(rp_time local);
/* The jobs' share: each person who wants a digest, once their local week
 * has reached Monday APP_DIGEST_HOUR:00, gets one mail listing the
 * notifications of the optional kinds they did not turn off since their
 * last digest (none when there were none), instead of a mail for each;
 * once a week. *changed counts the mails. */
rp_rc app_reach_digest_job(app_ctx *c, int *changed, rp_err *e);

/* ---- the sender (app/reach/sender.c) ---- */

typedef struct app_smtp {
  /* smtp://[user:pass@]host[:587] (STARTTLS required) or
   * smtps://[user:pass@]host[:465] (TLS from the start). */
  const char *url;
  const char *ca_file; /* trust this CA bundle (PEM) instead of the system's; NULL: system */
  int timeout_s;       /* for connecting and for each mail; 0: 30 */
} app_smtp;

/* How long a sender holds the mails it took: a sender that dies leaves
 * them to be taken again once this passed (docs/operations.md: at most one
 * duplicate). Longer than a batch can take at the longest time-out. */
#define APP_MAIL_LEASE_S 900
/* A batch: what one pass takes, and at most what a power cut can make the
 * sender repeat (sender.c). */
#define APP_MAIL_BATCH 20
/* The sender thread's nice value (requests run at the process's, 0). */
#define APP_MAIL_NICE 10

/* Whether url is an SMTP URL the sender takes (smtp:// or smtps://). */
bool app_smtp_url_valid(const char *url);

typedef struct app_mail_sender app_mail_sender;
/* Starts the sender thread with a connection of its own to db_path, at a
 * lower priority than the requests (APP_MAIL_NICE); it looks for due mail
 * four times a second and takes up to APP_MAIL_BATCH at a time over one
 * SMTP connection, recording each mail as it went (a transaction per
 * mail, so that a process that dies repeats at most the one in flight;
 * only the batch's last record waits for the disk). NULL with e filled
 * on failure. */
app_mail_sender *app_mail_sender_start(const char *db_path, const app_env *env,
                                       const app_smtp *smtp, rp_err *e);
/* Stops it after the mail in flight; frees it (NULL: nothing). */
void app_mail_sender_stop(app_mail_sender *s);

/* ---- in-app notifications (app/reach/outbox.c) ---- */

/* Every mail about something that happened (the optional kinds) is also
 * a notification of its person, whatever they wish of mail. */
#include "store/reach.h"
/* The actor's notifications, newest first (in the caller's transaction),
 * with *unread counted. */
rp_rc app_notifications_list(app_ctx *c, int64_t after, int limit, store_notification **items,
                             size_t *n, int64_t *next, int64_t *unread, rp_err *e);
/* Marks the actor's notification id read (RP_ERR_NOT_FOUND when it is not
 * theirs), or all of them when id is 0; *marked counts. */
rp_rc app_notifications_read(app_ctx *c, int64_t id, int64_t *marked, rp_err *e);

/* ---- the operator's view (app/reach/outbox.c) ---- */

rp_rc app_mail_counts(app_ctx *c, store_mail_counts *out, rp_err *e);
rp_rc app_mail_list(app_ctx *c, const char *state, int64_t after, int limit, store_mail **items,
                    size_t *n, int64_t *next, rp_err *e);

#endif
