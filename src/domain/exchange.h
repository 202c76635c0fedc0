/* exchange.h: requests and replies (responsiveness, TRUST-MODEL.md 3.3) and
 * feedback (TRUST-MODEL.md 3.4) between the two parties.
 *
 * A request is made by one party (the requester) of the other (the
 * responder), who replies once. Feedback goes from a giver to the other
 * party: "recognition" or "constructive", each about the task or the person;
 * or "ask", the giver asking the receiver for feedback, which has no focus
 * and may carry a text. Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_EXCHANGE_H
#define RAPPORT_DOMAIN_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/relationship.h"

#define REQUEST_TEXT_MAX 4000
#define FEEDBACK_TEXT_MAX 4000

typedef struct request {
  int64_t id, relationship_id, requester_id, responder_id;
  rp_time created_at;
  rp_time replied_at; /* 0 while unanswered */
} request;

typedef enum feedback_kind {
  FEEDBACK_RECOGNITION,
  FEEDBACK_CONSTRUCTIVE,
  FEEDBACK_ASK
} feedback_kind;
#define FEEDBACK_KIND_COUNT 3
typedef enum feedback_focus { FOCUS_NONE, FOCUS_TASK, FOCUS_PERSON } feedback_focus;
#define FEEDBACK_FOCUS_COUNT 3

typedef struct feedback_item {
  int64_t id, relationship_id, giver_id, receiver_id;
  feedback_kind kind;
  feedback_focus focus; /* FOCUS_NONE for "ask" */
  rp_time at;
} feedback_item;

/* Checks a request or reply text: present (non-empty) and at most
 * REQUEST_TEXT_MAX bytes, else a field error at /text. */
rp_rc request_text_check(const char *text, rp_err *e);

/* Decides whether `actor` may reply to q: RP_ERR_FORBIDDEN ("not_responder")
 * for anyone but the responder, then RP_ERR_CONFLICT ("already_replied")
 * once replied. The caller has already made sure the actor is a party of
 * the relationship. */
rp_rc request_reply_check(const request *q, int64_t actor, rp_err *e);
/* A reply at `at` may not be dated before the request: RP_ERR_INVALID at
 * /at. */
rp_rc request_reply_time_check(const request *q, rp_time at, rp_err *e);

/* Hours from the request to its reply (fractional), for a replied request. */
double request_latency_hours(const request *q);

const char *feedback_kind_name(feedback_kind k);
bool feedback_kind_parse(const char *name, feedback_kind *out);
/* "task" or "person"; NULL for FOCUS_NONE. */
const char *feedback_focus_name(feedback_focus f);
/* Parses "task" or "person". */
bool feedback_focus_parse(const char *name, feedback_focus *out);

/* Checks a feedback item: recognition and constructive need a focus and a
 * non-empty text; "ask" may not have a focus and its text is optional.
 * Texts are at most FEEDBACK_TEXT_MAX bytes. Field errors at /focus and
 * /text; returns RP_ERR_INVALID or RP_OK. */
rp_rc feedback_check(feedback_kind kind, feedback_focus focus, const char *text, rp_err *e);

/* The event kind recording an item: "feedback_asked" for "ask", else
 * "feedback_given". */
const char *feedback_event_kind(feedback_kind kind);

#endif
