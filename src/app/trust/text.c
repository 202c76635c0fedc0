/* text.c: see text.h. */
#include "app/trust/text.h"
#include "app/trust/util.h"

#include <string.h>

static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Year, month (1..12) and day of t, from its RFC 3339 form. */
static void civil(rp_time t, int *y, int *m, int *d) {
  char buf[RP_TIME_BUFSZ];
  rp_time_format(t, buf);
  *y = 0;
  for (int i = 0; i < 4; i++) *y = *y * 10 + (buf[i] - '0');
  *m = (buf[5] - '0') * 10 + (buf[6] - '0');
  *d = (buf[8] - '0') * 10 + (buf[9] - '0');
}

const char *app_text_date(arena *a, rp_time t, rp_time now) {
  int y, m, d, ny, nm, nd;
  civil(t, &y, &m, &d);
  civil(now, &ny, &nm, &nd);
  if (m < 1 || m > 12) return "?";
  if (y == ny) return arena_printf(a, "%d %s", d, month_names[m - 1]);
  return arena_printf(a, "%d %s %d", d, month_names[m - 1], y);
}

/* "12 Mar, 09:00 UTC". */
static const char *date_time(arena *a, rp_time t, rp_time now) {
  char buf[RP_TIME_BUFSZ];
  rp_time_format(t, buf);
  return arena_printf(a, "%s, %.5s UTC", app_text_date(a, t, now), buf + 11);
}

static const char *plural(arena *a, int64_t n, const char *unit) {
  return arena_printf(a, "%lld %s%s", (long long)n, unit, n == 1 ? "" : "s");
}

const char *app_text_duration(arena *a, int64_t secs) {
  if (secs < 0) secs = 0;
  if (secs < RP_HOUR) return plural(a, (secs + 30) / 60, "minute");
  if (secs < 2 * RP_DAY) return plural(a, (secs + RP_HOUR / 2) / RP_HOUR, "hour");
  return plural(a, (secs + RP_DAY / 2) / RP_DAY, "day");
}

const char *app_text_quote(arena *a, const char *text) {
  if (!text) return "";
  size_t n = strlen(text);
  if (n <= APP_TEXT_QUOTE_MAX) return arena_printf(a, "'%s'", text);
  n = APP_TEXT_QUOTE_MAX;
  while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--; /* not inside a character */
  return arena_printf(a, "'%.*s...'", (int)n, text);
}

/* s with a full stop, unless it ends with a quote that ends a sentence. */
static const char *end_sentence(arena *a, const char *s) {
  size_t n = strlen(s);
  if (n >= 2 && s[n - 1] == '\'' && strchr(".?!", s[n - 2])) return s;
  return arena_printf(a, "%s.", s);
}

/* ---- evidence ---- */

static const char *pulse_statement(trust_reason r) {
  switch (r) {
  case TRUST_R_PULSE_REL1: return "they did what they said they would, when they said";
  case TRUST_R_PULSE_REL2: return "when I needed a reply, it came within the time we agreed";
  case TRUST_R_PULSE_INT1: return "they were straight with me, even when it was uncomfortable";
  case TRUST_R_PULSE_INT2:
    return "I am confident that what I share stays between us unless we agreed otherwise";
  case TRUST_R_PULSE_COM1: return "their input helped me move forward on our goals";
  case TRUST_R_PULSE_EMP1: return "they tried to understand my situation before advising";
  case TRUST_R_PULSE_EMP2: return "I could raise a concern or disagree without feeling judged";
  default: return NULL;
  }
}

static const char *checkin_text(arena *a, const app_fact *f, trust_reason r) {
  const char *d = app_text_date(a, f->when, f->now), *dur = app_text_duration(a, f->secs);
  switch (r) {
  case TRUST_R_CHECKIN_HELD: return arena_printf(a, "Showed up for the check-in of %s.", d);
  case TRUST_R_CHECKIN_HELD_LATE: return arena_printf(a, "Held the check-in of %s %s late.", d, dur);
  case TRUST_R_CHECKIN_RESCHEDULED_WITH_NOTICE:
    return arena_printf(a, "Rescheduled the check-in of %s with %s notice.", d, dur);
  case TRUST_R_CHECKIN_CANCELLED_WITH_NOTICE:
    return arena_printf(a, "Cancelled the check-in of %s with %s notice.", d, dur);
  case TRUST_R_CHECKIN_RESCHEDULED_LATE:
  case TRUST_R_CHECKIN_CANCELLED_LATE: {
    const char *verb = r == TRUST_R_CHECKIN_RESCHEDULED_LATE ? "Rescheduled" : "Cancelled";
    if (f->secs <= 0) return arena_printf(a, "%s the check-in of %s after its time.", verb, d);
    return arena_printf(a, "%s the check-in of %s at short notice (%s ahead).", verb, d, dur);
  }
  case TRUST_R_CHECKIN_NO_SHOW:
  default: return arena_printf(a, "Did not show up for the check-in of %s.", d);
  }
}

static const char *commitment_text(arena *a, const app_fact *f, trust_reason r) {
  const char *q = app_text_quote(a, f->title), *at = app_text_date(a, f->at, f->now);
  switch (r) {
  case TRUST_R_COMMITMENT_KEPT: return arena_printf(a, "Kept the commitment %s on time (%s).", q, at);
  case TRUST_R_COMMITMENT_KEPT_LATE:
    return arena_printf(a, "Kept the commitment %s %s late (%s).", q,
                        app_text_duration(a, f->secs), at);
  case TRUST_R_COMMITMENT_RENEGOTIATED:
    return arena_printf(a, "Renegotiated the commitment %s before it was due, from %s to %s.", q,
                        app_text_date(a, f->when2, f->now), app_text_date(a, f->when, f->now));
  case TRUST_R_COMMITMENT_RENEGOTIATED_OPENLY:
    return arena_printf(a, "Said early that the commitment %s needed a new date (%s).", q, at);
  case TRUST_R_COMMITMENT_BROKEN:
  default:
    return arena_printf(a, "Let the commitment %s pass its due time (%s) unmet.", q,
                        app_text_date(a, f->when, f->now));
  }
}

static const char *reply_text(arena *a, const app_fact *f, trust_reason r) {
  const char *q = app_text_quote(a, f->title), *dur = app_text_duration(a, f->secs);
  const char *at = app_text_date(a, f->at, f->now);
  switch (r) {
  case TRUST_R_REPLY_ON_TIME:
    return arena_printf(a, "Replied to the request %s in %s, within the agreed %d hours (%s).", q,
                        dur, f->hours, at);
  case TRUST_R_REPLY_LATE:
    return arena_printf(a, "Replied to the request %s in %s, later than the agreed %d hours (%s).",
                        q, dur, f->hours, at);
  case TRUST_R_REPLY_VERY_LATE:
    return arena_printf(a,
                        "Replied to the request %s in %s, more than twice the agreed %d hours "
                        "(%s).",
                        q, dur, f->hours, at);
  case TRUST_R_NO_REPLY:
  default:
    return arena_printf(a,
                        "Did not reply to the request %s of %s within three times the agreed %d "
                        "hours.",
                        q, app_text_date(a, f->when, f->now), f->hours);
  }
}

static const char *review_text(arena *a, const app_fact *f) {
  const char *d = app_text_date(a, f->at, f->now);
  if (f->count == 1 && f->title)
    return arena_printf(a, "The goal review of %s scored T = %.0f on the goal %s (50 is as expected).",
                        d, f->score, app_text_quote(a, f->title));
  if (f->count > 1 && f->title)
    return arena_printf(a,
                        "The goal review of %s scored T = %.0f on %zu goals, among them %s (50 is "
                        "as expected).",
                        d, f->score, f->count, app_text_quote(a, f->title));
  return arena_printf(a, "The goal review of %s scored T = %.0f (50 is as expected).", d,
                      f->score);
}

static const char *pulse_text(arena *a, const app_fact *f, trust_reason r, bool viewer_rated) {
  const char *d = app_text_date(a, f->at, f->now), *s = pulse_statement(r);
  if (viewer_rated || !s) return arena_printf(a, "A pulse answer from the other party (%s).", d);
  return arena_printf(a, "Your pulse answer of %s on \"%s\".", d, s);
}

const char *app_text_evidence(arena *a, const app_fact *f, trust_reason r, bool viewer_rated) {
  const char *d = app_text_date(a, f->at, f->now);
  if (r >= TRUST_R_CHECKIN_HELD && r <= TRUST_R_CHECKIN_NO_SHOW) return checkin_text(a, f, r);
  if (r >= TRUST_R_COMMITMENT_KEPT && r <= TRUST_R_COMMITMENT_BROKEN)
    return commitment_text(a, f, r);
  if (r >= TRUST_R_REPLY_ON_TIME && r <= TRUST_R_NO_REPLY) return reply_text(a, f, r);
  if (r >= TRUST_R_PULSE_REL1 && r <= TRUST_R_PULSE_EMP2) return pulse_text(a, f, r, viewer_rated);
  switch (r) {
  case TRUST_R_FEEDBACK_RECOGNITION: return arena_printf(a, "Gave recognition (%s).", d);
  case TRUST_R_FEEDBACK_CONSTRUCTIVE_TASK:
    return arena_printf(a, "Gave a task-focused suggestion (%s).", d);
  case TRUST_R_FEEDBACK_CONSTRUCTIVE_PERSON:
    return arena_printf(a, "Gave criticism aimed at the person rather than the task (%s).", d);
  case TRUST_R_FEEDBACK_ASKED:
    return arena_printf(a, "Asked for feedback on the relationship (%s).", d);
  case TRUST_R_GOAL_REVIEW: return review_text(a, f);
  case TRUST_R_INCIDENT_CONFIRMED:
    return arena_printf(a, "An incident%s%s concerning them was acknowledged (%s).",
                        f->detail ? " about " : "", f->detail ? f->detail : "", d);
  case TRUST_R_REPAIR_ACKNOWLEDGED:
    return arena_printf(a, "Acknowledged the incident in their own words (%s).", d);
  case TRUST_R_REPAIR_AMENDS_AGREED:
    return arena_printf(a, "Agreed a plan to make amends (%s).", d);
  default: return arena_printf(a, "%s (%s)", trust_reason_sentence(r), d);
  }
}

/* ---- the timeline ---- */

static const char *who_name(app_who w, bool capital) {
  switch (w) {
  case APP_WHO_GUIDE: return capital ? "The guide" : "the guide";
  case APP_WHO_LEARNER: return capital ? "The learner" : "the learner";
  case APP_WHO_ADMIN: return capital ? "An administrator" : "an administrator";
  case APP_WHO_SERVER: return "Rapport";
  case APP_WHO_NONE:
  default: return capital ? "Someone" : "someone";
  }
}

static const char *checkin_event(arena *a, const app_fact *f) {
  const char *d = app_text_date(a, f->when, f->now), *p = who_name(f->party, true);
  const char *cls = f->detail ? f->detail : "";
  const char *ahead = app_text_duration(a, f->secs);
  if (strcmp(cls, "held") == 0) return arena_printf(a, "The check-in of %s was held.", d);
  if (strcmp(cls, "held_late") == 0)
    return arena_printf(a, "The check-in of %s was held %s late, because of %s.", d,
                        app_text_duration(a, f->secs), who_name(f->party, false));
  if (strncmp(cls, "rescheduled", 11) == 0)
    return arena_printf(a, "%s rescheduled the check-in of %s to %s%s%s.", p, d,
                        date_time(a, f->when2, f->now), f->secs > 0 ? ", " : "",
                        f->secs > 0 ? arena_printf(a, "%s ahead", ahead) : "");
  if (strncmp(cls, "cancelled", 9) == 0)
    return arena_printf(a, "%s cancelled the check-in of %s%s%s.", p, d, f->secs > 0 ? ", " : "",
                        f->secs > 0 ? arena_printf(a, "%s ahead", ahead) : "");
  if (strcmp(cls, "no_show") == 0)
    return arena_printf(a, "%s did not show up for the check-in of %s.", p, d);
  return arena_printf(a, "The check-in of %s was cancelled by mutual agreement.", d);
}

static const char *commitment_event(arena *a, const app_fact *f) {
  const char *q = app_text_quote(a, f->title), *p = who_name(f->party, true);
  const char *state = f->detail ? f->detail : "";
  if (strcmp(f->kind, "commitment_added") == 0 && f->actor == f->party)
    return arena_printf(a, "%s committed to %s, due %s.", p, q, app_text_date(a, f->when, f->now));
  if (strcmp(f->kind, "commitment_added") == 0)
    return arena_printf(a, "%s recorded a commitment of %s: %s, due %s.", who_name(f->actor, true),
                        who_name(f->party, false), q, app_text_date(a, f->when, f->now));
  if (strcmp(f->kind, "commitment_renegotiated") == 0)
    return arena_printf(a, "The commitment %s was renegotiated before it was due: from %s to %s.",
                        q, app_text_date(a, f->when2, f->now), app_text_date(a, f->when, f->now));
  if (strcmp(state, "kept") == 0) return arena_printf(a, "%s kept the commitment %s on time.", p, q);
  if (strcmp(state, "kept_late") == 0)
    return arena_printf(a, "%s kept the commitment %s, %s late.", p, q,
                        app_text_duration(a, f->secs));
  if (strcmp(state, "dropped") == 0)
    return arena_printf(a, "The commitment %s was dropped by agreement.", q);
  return arena_printf(a, "The commitment %s of %s passed its due time (%s) unmet.", q,
                      who_name(f->party, false), app_text_date(a, f->when, f->now));
}

static const char *request_event(arena *a, const app_fact *f) {
  const char *A = who_name(f->actor, true);
  if (strcmp(f->kind, "request_made") == 0)
    return end_sentence(a, arena_printf(a, "%s asked: %s", A, app_text_quote(a, f->title)));
  if (strcmp(f->kind, "request_replied") == 0)
    return arena_printf(a, "%s replied after %s.", A, app_text_duration(a, f->secs));
  if (f->detail && strcmp(f->detail, "retracted") == 0)
    return arena_printf(a,
                        "The request was marked unanswered after three times the agreed %d hours, "
                        "but a reply dated earlier was entered later: the mark counts for nothing.",
                        f->hours);
  return arena_printf(a, "%s had not replied within three times the agreed %d hours.",
                      who_name(f->party, true), f->hours);
}

static const char *feedback_event(arena *a, const app_fact *f) {
  const char *A = who_name(f->actor, true);
  const char *kind = f->detail ? f->detail : "", *focus = f->detail2 ? f->detail2 : "";
  if (strcmp(f->kind, "feedback_asked") == 0)
    return arena_printf(a, "%s asked for feedback on the relationship.", A);
  if (strcmp(kind, "recognition") == 0) return arena_printf(a, "%s gave recognition.", A);
  if (strcmp(focus, "person") == 0)
    return arena_printf(a, "%s gave criticism aimed at the person.", A);
  return arena_printf(a, "%s gave a task-focused suggestion.", A);
}

static const char *goal_event(arena *a, const app_fact *f) {
  const char *A = who_name(f->actor, true), *q = app_text_quote(a, f->title);
  if (strcmp(f->kind, "goal_added") == 0) return arena_printf(a, "%s set the goal %s.", A, q);
  if (strcmp(f->kind, "goal_status") == 0)
    return arena_printf(a, "%s marked the goal %s as %s.", A, q, f->detail2 ? f->detail2 : "?");
  if (strcmp(f->kind, "milestone_added") == 0)
    return arena_printf(a, "%s added the milestone %s to the goal %s.", A, q,
                        app_text_quote(a, f->context));
  if (strcmp(f->kind, "milestone_reached") == 0)
    return arena_printf(a, "Milestone reached: %s, on the way to %s.", q,
                        app_text_quote(a, f->context));
  return arena_printf(a, "%s reviewed the goals: T = %.0f over %zu goal%s (50 is as expected).", A,
                      f->score, f->count, f->count == 1 ? "" : "s");
}

/* Events whose sentence is the actor and a fixed phrase. */
static const struct {
  const char *kind, *phrase;
} simple_events[] = {
    {"proposed", "proposed the relationship"},
    {"accepted", "accepted the relationship"},
    {"agreement_version", "proposed a new version of the agreement"},
    {"agreement_acknowledged", "acknowledged the agreement"},
    {"note_added", "added a note"},
    {"pulse_answered", "answered the pulse"},
    {"incident_acknowledged", "acknowledged the incident"},
    {"incident_resolved", "marked the incident resolved"},
    {"repair_acknowledged", "acknowledged the incident in their own words"},
    {"repair_amends_agreed", "agreed a plan to make amends"},
};

static const char *other_event(arena *a, const app_fact *f) {
  const char *A = who_name(f->actor, true);
  for (size_t i = 0; i < sizeof simple_events / sizeof simple_events[0]; i++)
    if (strcmp(f->kind, simple_events[i].kind) == 0)
      return arena_printf(a, "%s %s.", A, simple_events[i].phrase);
  if (strcmp(f->kind, "transition") == 0)
    return arena_printf(a, "%s moved the relationship from %s to %s.", A,
                        f->detail ? f->detail : "?", f->detail2 ? f->detail2 : "?");
  if (strcmp(f->kind, "agreement_in_force") == 0)
    return "The agreement is in force: both have acknowledged it.";
  if (strcmp(f->kind, "checkin_scheduled") == 0)
    return arena_printf(a, "%s scheduled a check-in for %s.", A, date_time(a, f->when, f->now));
  if (strcmp(f->kind, "incident_reported") == 0)
    return arena_printf(a, "%s reported an incident%s%s.", A, f->detail ? " about " : "",
                        f->detail ? f->detail : "");
  if (strcmp(f->kind, "repair_closed") == 0) return "The repair plan was closed.";
  if (strcmp(f->kind, "warning_withdrawn") == 0 && f->detail2 &&
      strcmp(f->detail2, APP_WITHDRAWN_BY_PROGRAM) == 0)
    return arena_printf(a, "The early warning %s was withdrawn: the program's settings changed "
                           "and no longer raise it.", f->detail ? f->detail : "?");
  if (strcmp(f->kind, "warning_withdrawn") == 0)
    return arena_printf(a, "The early warning %s was withdrawn: the recalibrated trust rules do "
                           "not raise it.", f->detail ? f->detail : "?");
  return arena_printf(a, "%s: %s.", A, f->kind);
}

const char *app_text_event(arena *a, const app_fact *f) {
  const char *k = f->kind ? f->kind : "";
  if (strcmp(k, "checkin_outcome") == 0) return checkin_event(a, f);
  if (strncmp(k, "commitment_", 11) == 0) return commitment_event(a, f);
  if (strncmp(k, "request_", 8) == 0) return request_event(a, f);
  if (strncmp(k, "feedback_", 9) == 0) return feedback_event(a, f);
  if (strncmp(k, "goal_", 5) == 0 || strncmp(k, "milestone_", 10) == 0) return goal_event(a, f);
  return other_event(a, f);
}

bool app_text_is_celebration(const char *kind) {
  return kind && strcmp(kind, "milestone_reached") == 0;
}
