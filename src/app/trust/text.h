/* text.h: the sentences of the trust views: why an evidence item
 * exists ("Kept the commitment 'Send the plan' on time (12 Mar).") and
 * what an event on the timeline was ("The guide scheduled a check-in for
 * 12 Mar, 09:00 UTC.").
 *
 * Pure: the caller (app/trust/view.c) loads the event's subject, opens its
 * sealed text for a party, and passes the facts; these functions only
 * word them. Strings live in the arena. Dates are "12 Mar" within the year
 * of `now` and "12 Mar 2025" outside it; durations are whole minutes,
 * hours (under two days) or days. Quoted texts are cut at
 * APP_TEXT_QUOTE_MAX bytes on a UTF-8 boundary, with "..." added.
 */
#ifndef RAPPORT_APP_TRUST_TEXT_H
#define RAPPORT_APP_TRUST_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/timeutil.h"
#include "trust/trust_values.h"

#define APP_TEXT_QUOTE_MAX 80

/* Who someone is to the relationship, for wording. */
typedef enum app_who {
  APP_WHO_NONE = 0, /* nobody named */
  APP_WHO_GUIDE,
  APP_WHO_LEARNER,
  APP_WHO_ADMIN,    /* a person who is not a party (an administrator) */
  APP_WHO_SERVER    /* Rapport itself (the jobs) */
} app_who;

/* What is known about an event and its subject. Unused fields are 0/NULL. */
typedef struct app_fact {
  const char *kind;    /* the event kind */
  rp_time at;          /* the event's time */
  rp_time now;         /* the reader's now (for the year in dates) */
  app_who actor;       /* who recorded the event */
  app_who party;       /* whom the subject concerns: the commitment's owner, the
                          check-in's cause, the responder, the giver */
  const char *title;   /* the subject's words, opened: commitment, goal or
                          milestone text, request text */
  const char *context; /* the goal of a milestone */
  const char *detail;  /* a class or state: check-in class, commitment state,
                          feedback kind, incident kind, transition's from state,
                          "retracted" for a premature request_unanswered */
  const char *detail2; /* feedback focus; transition's or goal status's new state */
  rp_time when;        /* check-in: scheduled; commitment: due; request: made */
  rp_time when2;       /* renegotiation: the old due; reschedule: the new time */
  int64_t secs;        /* notice, lateness or reply latency, in seconds */
  int hours;           /* the reply window */
  double score;        /* a goal review's T */
  size_t count;        /* the goals a review levelled */
} app_fact;

/* "12 Mar" or "12 Mar 2025". */
const char *app_text_date(arena *a, rp_time t, rp_time now);
/* "45 minutes", "1 hour", "30 hours", "3 days". Negative is read as 0. */
const char *app_text_duration(arena *a, int64_t secs);
/* 'text', cut to APP_TEXT_QUOTE_MAX bytes; "" for NULL. */
const char *app_text_quote(arena *a, const char *text);

/* The sentence for an evidence item of reason r about the rated party,
 * worded for a viewer who is (viewer_rated) or is not the rated party:
 * a pulse answer is named by its statement only for its rater. */
const char *app_text_evidence(arena *a, const app_fact *f, trust_reason r, bool viewer_rated);

/* The timeline sentence of an event. */
const char *app_text_event(arena *a, const app_fact *f);

/* Whether an event is a celebration (milestone_reached). */
bool app_text_is_celebration(const char *kind);

#endif
