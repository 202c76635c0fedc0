/* exchanges.h: use cases for requests, replies and feedback.
 *
 * Only the two parties see or make them (admins and strangers get
 * RP_ERR_NOT_FOUND). Requests and feedback need an active relationship;
 * replies need one that still allows outcomes (active, paused, completed);
 * otherwise RP_ERR_CONFLICT ("relationship_state"). Texts are sealed with their
 * author: SEAL_REQUEST by the requester, SEAL_REPLY by the responder,
 * SEAL_FEEDBACK by the giver. Events: "request_made", "request_replied",
 * "feedback_given", "feedback_asked".
 */
#ifndef RAPPORT_APP_PRACTICES_EXCHANGES_H
#define RAPPORT_APP_PRACTICES_EXCHANGES_H

#include "app/core/core.h"
#include "domain/exchange.h"

typedef struct app_request_view {
  request q;
  const char *text;
  const char *reply; /* NULL while unanswered */
} app_request_view;

typedef struct app_feedback_view {
  feedback_item f;
  const char *text; /* NULL when none */
} app_feedback_view;

/* The actor (a party) asks the other party something. */
rp_rc app_request_make(app_ctx *c, int64_t rel_id, const char *text, const rp_time *at,
                       app_request_view *out, rp_err *e);
/* The responder replies, once: RP_ERR_FORBIDDEN ("not_responder") for the
 * requester, RP_ERR_CONFLICT ("already_replied") the second time, and
 * RP_ERR_INVALID at /at for a reply dated before the request. */
rp_rc app_request_reply(app_ctx *c, int64_t id, const char *text, const rp_time *at,
                        app_request_view *out, rp_err *e);
rp_rc app_request_get(app_ctx *c, int64_t id, app_request_view *out, rp_err *e);
rp_rc app_requests_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                        app_request_view **items, size_t *n, int64_t *next, rp_err *e);

/* The actor (a party) gives feedback to, or asks it of, the other party.
 * text may be NULL for "ask"; focus is FOCUS_NONE for "ask". */
rp_rc app_feedback_give(app_ctx *c, int64_t rel_id, feedback_kind kind, feedback_focus focus,
                        const char *text, const rp_time *at, app_feedback_view *out, rp_err *e);
rp_rc app_feedback_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                        app_feedback_view **items, size_t *n, int64_t *next, rp_err *e);

#endif
