/* test_exchange.c: request/reply rules and feedback kind/focus rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/exchange.h"

/* Person 3 asked person 2 at t = 10000; not yet replied. */
static const request open_request = {1, 7, 3, 2, 10000, 0};

static void only_the_responder_may_reply(void **state) {
  (void)state;
  rp_err e = {0};
  assert_int_equal(request_reply_check(&open_request, 3, &e), RP_ERR_FORBIDDEN);
  assert_string_equal(e.code, "not_responder");
  rp_err_reset(&e);
  assert_int_equal(request_reply_check(&open_request, 2, &e), RP_OK);
}

static void a_second_reply_conflicts(void **state) {
  (void)state;
  request q = open_request;
  q.replied_at = 12000;
  rp_err e = {0};
  assert_int_equal(request_reply_check(&q, 2, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "already_replied");
}

static void the_requester_is_refused_before_the_conflict(void **state) {
  (void)state;
  request q = open_request;
  q.replied_at = 12000;
  rp_err e = {0};
  assert_int_equal(request_reply_check(&q, 3, &e), RP_ERR_FORBIDDEN);
  assert_string_equal(e.code, "not_responder");
}

static void a_reply_may_not_predate_its_request(void **state) {
  (void)state;
  rp_err e = {0};
  assert_int_equal(request_reply_time_check(&open_request, 9999, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/at");
  assert_int_equal(request_reply_time_check(&open_request, 10000, NULL), RP_OK);
}

static void latency_is_in_fractional_hours(void **state) {
  (void)state;
  request q = open_request;
  q.replied_at = 10000 + 90 * 60;
  assert_float_equal(request_latency_hours(&q), 1.5, 1e-12);
  q.replied_at = 10000 + 49 * 3600;
  assert_float_equal(request_latency_hours(&q), 49.0, 1e-12);
}

static void request_text_is_required_and_capped(void **state) {
  (void)state;
  char long_text[REQUEST_TEXT_MAX + 2];
  memset(long_text, 'q', sizeof long_text - 1);
  long_text[sizeof long_text - 1] = '\0';
  rp_err e = {0};
  assert_int_equal(request_text_check("Could you look at my plan?", &e), RP_OK);
  assert_int_equal(request_text_check("", &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/text");
  assert_int_equal(request_text_check(long_text, NULL), RP_ERR_INVALID);
  long_text[REQUEST_TEXT_MAX] = '\0';
  assert_int_equal(request_text_check(long_text, NULL), RP_OK);
}

static void kinds_and_focuses_round_trip(void **state) {
  (void)state;
  feedback_kind k;
  feedback_focus f;
  assert_true(feedback_kind_parse("constructive", &k));
  assert_int_equal(k, FEEDBACK_CONSTRUCTIVE);
  assert_string_equal(feedback_kind_name(FEEDBACK_ASK), "ask");
  assert_false(feedback_kind_parse("praise", &k));
  assert_true(feedback_focus_parse("person", &f));
  assert_int_equal(f, FOCUS_PERSON);
  assert_null(feedback_focus_name(FOCUS_NONE));
  assert_false(feedback_focus_parse(NULL, &f));
  assert_false(feedback_focus_parse("team", &f));
}

static void recognition_and_constructive_need_focus_and_text(void **state) {
  (void)state;
  rp_err e = {0};
  assert_int_equal(feedback_check(FEEDBACK_RECOGNITION, FOCUS_TASK, "Well run", &e), RP_OK);
  assert_int_equal(feedback_check(FEEDBACK_CONSTRUCTIVE, FOCUS_PERSON, "Be on time", &e), RP_OK);
  assert_int_equal(feedback_check(FEEDBACK_CONSTRUCTIVE, FOCUS_NONE, NULL, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/focus");
  assert_string_equal(e.field[1].pointer, "/text");
  rp_err_reset(&e);
  assert_int_equal(feedback_check(FEEDBACK_RECOGNITION, FOCUS_TASK, "", &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/text");
}

static void ask_refuses_a_focus_and_allows_no_text(void **state) {
  (void)state;
  rp_err e = {0};
  assert_int_equal(feedback_check(FEEDBACK_ASK, FOCUS_NONE, NULL, &e), RP_OK);
  assert_int_equal(feedback_check(FEEDBACK_ASK, FOCUS_NONE, "How am I doing?", &e), RP_OK);
  assert_int_equal(feedback_check(FEEDBACK_ASK, FOCUS_TASK, NULL, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/focus");
}

static void feedback_text_is_capped(void **state) {
  (void)state;
  char long_text[FEEDBACK_TEXT_MAX + 2];
  memset(long_text, 'f', sizeof long_text - 1);
  long_text[sizeof long_text - 1] = '\0';
  rp_err e = {0};
  assert_int_equal(feedback_check(FEEDBACK_ASK, FOCUS_NONE, long_text, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/text");
}

static void ask_is_recorded_as_feedback_asked(void **state) {
  (void)state;
  assert_string_equal(feedback_event_kind(FEEDBACK_ASK), "feedback_asked");
  assert_string_equal(feedback_event_kind(FEEDBACK_RECOGNITION), "feedback_given");
  assert_string_equal(feedback_event_kind(FEEDBACK_CONSTRUCTIVE), "feedback_given");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(only_the_responder_may_reply),
      cmocka_unit_test(a_second_reply_conflicts),
      cmocka_unit_test(the_requester_is_refused_before_the_conflict),
      cmocka_unit_test(a_reply_may_not_predate_its_request),
      cmocka_unit_test(latency_is_in_fractional_hours),
      cmocka_unit_test(request_text_is_required_and_capped),
      cmocka_unit_test(kinds_and_focuses_round_trip),
      cmocka_unit_test(recognition_and_constructive_need_focus_and_text),
      cmocka_unit_test(ask_refuses_a_focus_and_allows_no_text),
      cmocka_unit_test(feedback_text_is_capped),
      cmocka_unit_test(ask_is_recorded_as_feedback_asked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
