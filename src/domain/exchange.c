/* exchange.c: the rules of requests, replies and feedback (see exchange.h). */
#include "domain/exchange.h"

#include <assert.h>
#include <string.h>

static const char *const kind_names[FEEDBACK_KIND_COUNT] = {"recognition", "constructive", "ask"};
static const char *const focus_names[FEEDBACK_FOCUS_COUNT] = {NULL, "task", "person"};

rp_rc request_text_check(const char *text, rp_err *e) {
  if (!text || !*text) {
    rp_field(e, "/text", "Required.");
    return RP_ERR_INVALID;
  }
  if (strlen(text) > REQUEST_TEXT_MAX) {
    rp_field(e, "/text", "Must be at most %d bytes.", REQUEST_TEXT_MAX);
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

rp_rc request_reply_check(const request *q, int64_t actor, rp_err *e) {
  if (actor != q->responder_id)
    return rp_fail(e, RP_ERR_FORBIDDEN, "not_responder",
                   "Only the person the request was made of can reply to it.");
  if (q->replied_at)
    return rp_fail(e, RP_ERR_CONFLICT, "already_replied",
                   "This request has already been replied to.");
  return RP_OK;
}

rp_rc request_reply_time_check(const request *q, rp_time at, rp_err *e) {
  if (at < q->created_at) {
    rp_field(e, "/at", "The reply may not be before the request was made.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

double request_latency_hours(const request *q) {
  assert(q->replied_at);
  return (double)(q->replied_at - q->created_at) / (double)RP_HOUR;
}

const char *feedback_kind_name(feedback_kind k) {
  assert((unsigned)k < FEEDBACK_KIND_COUNT);
  return kind_names[k];
}

bool feedback_kind_parse(const char *name, feedback_kind *out) {
  for (int i = 0; i < FEEDBACK_KIND_COUNT; i++) {
    if (name && strcmp(name, kind_names[i]) == 0) {
      *out = (feedback_kind)i;
      return true;
    }
  }
  return false;
}

const char *feedback_focus_name(feedback_focus f) {
  assert((unsigned)f < FEEDBACK_FOCUS_COUNT);
  return focus_names[f];
}

bool feedback_focus_parse(const char *name, feedback_focus *out) {
  for (int i = 1; i < FEEDBACK_FOCUS_COUNT; i++) {
    if (name && strcmp(name, focus_names[i]) == 0) {
      *out = (feedback_focus)i;
      return true;
    }
  }
  return false;
}

rp_rc feedback_check(feedback_kind kind, feedback_focus focus, const char *text, rp_err *e) {
  rp_err local = {0};
  bool has_text = text && *text;
  if (kind == FEEDBACK_ASK) {
    if (focus != FOCUS_NONE) rp_field(&local, "/focus", "Not allowed when asking for feedback.");
  } else {
    if (focus == FOCUS_NONE)
      rp_field(&local, "/focus",
               "Required: say whether the feedback is about the task or the person.");
    if (!has_text) rp_field(&local, "/text", "Required.");
  }
  if (has_text && strlen(text) > FEEDBACK_TEXT_MAX)
    rp_field(&local, "/text", "Must be at most %d bytes.", FEEDBACK_TEXT_MAX);
  if (local.rc == RP_OK) return RP_OK;
  for (int i = 0; i < local.nfield; i++)
    rp_field(e, local.field[i].pointer, "%s", local.field[i].detail);
  return RP_ERR_INVALID;
}

const char *feedback_event_kind(feedback_kind kind) {
  return kind == FEEDBACK_ASK ? "feedback_asked" : "feedback_given";
}
