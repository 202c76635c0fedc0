/* test_agreement.c: agreement terms, the in-force rule, acknowledgement
 * decisions and the sealed body document (domain/agreement.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/agreement.h"

#define GUIDE 11
#define LEARNER 22
#define TODAY 20500 /* 2026-02-15 */

static const relationship rel = {.id = 5, .program_id = 1, .guide_id = GUIDE,
                                 .learner_id = LEARNER, .state = REL_ACTIVE};
static const char *const two_channels[] = {"video call", "e-mail"};

static agreement_terms valid_terms(void) {
  agreement_terms t = {0};
  t.purpose = "Grow into a team lead within a year.";
  t.cadence_days = 14;
  t.channels = two_channels;
  t.nchannels = 2;
  t.reply_window_hours = 48;
  t.confidentiality = "What we say stays between us, except risks to safety.";
  t.ends_on = AGREEMENT_NO_END;
  return t;
}

/* A string of n copies of 'x' in a static buffer. */
static const char *xs(size_t n) {
  static char buf[AGREEMENT_TEXT_MAX + 2];
  assert_true(n < sizeof buf);
  memset(buf, 'x', n);
  buf[n] = '\0';
  return buf;
}

/* Checks t and expects exactly one field error at pointer. */
static void expect_one_error(const agreement_terms *t, const char *pointer) {
  rp_err e = {0};
  assert_int_equal(agreement_terms_check(t, TODAY, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, pointer);
}

static void expect_ok(const agreement_terms *t) {
  rp_err e = {0};
  assert_int_equal(agreement_terms_check(t, TODAY, &e), RP_OK);
  assert_int_equal(e.nfield, 0);
}

static void terms_complete_and_in_range_pass(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  expect_ok(&t);
  t.boundaries = "No calls after 19:00.";
  t.feedback_preferences = "Direct, in writing first.";
  t.ends_on = TODAY + 365;
  expect_ok(&t);
}

static void quiet_hours_are_two_different_times_of_day(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.has_quiet_hours = true;
  t.quiet_from = 19 * 60;
  t.quiet_to = 8 * 60; /* spans midnight */
  expect_ok(&t);
  t.quiet_from = 0;
  t.quiet_to = 1439;
  expect_ok(&t);
  t.quiet_to = 0;
  expect_one_error(&t, "/quiet_hours");
  t.quiet_to = 1440;
  expect_one_error(&t, "/quiet_hours");
  t.quiet_from = -1;
  t.quiet_to = 60;
  expect_one_error(&t, "/quiet_hours");
  t.has_quiet_hours = false; /* none: the figures are not looked at */
  expect_ok(&t);
}

static void cadence_accepts_1_to_365_days(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.cadence_days = 1;
  expect_ok(&t);
  t.cadence_days = 365;
  expect_ok(&t);
  t.cadence_days = 0;
  expect_one_error(&t, "/cadence_days");
  t.cadence_days = 366;
  expect_one_error(&t, "/cadence_days");
}

static void reply_window_accepts_1_to_720_hours(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.reply_window_hours = 1;
  expect_ok(&t);
  t.reply_window_hours = 720;
  expect_ok(&t);
  t.reply_window_hours = 0;
  expect_one_error(&t, "/reply_window_hours");
  t.reply_window_hours = 721;
  expect_one_error(&t, "/reply_window_hours");
}

static void channels_count_must_be_1_to_10(void **state) {
  (void)state;
  const char *eleven[11] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"};
  agreement_terms t = valid_terms();
  t.channels = eleven;
  t.nchannels = 10;
  expect_ok(&t);
  t.nchannels = 11;
  expect_one_error(&t, "/channels");
  t.nchannels = 0;
  expect_one_error(&t, "/channels");
}

static void channel_names_are_non_empty_and_at_most_100_bytes(void **state) {
  (void)state;
  char hundred[101], hundred_one[102];
  memset(hundred, 'c', 100);
  hundred[100] = '\0';
  memset(hundred_one, 'c', 101);
  hundred_one[101] = '\0';
  const char *names[3] = {"video call", hundred, ""};
  agreement_terms t = valid_terms();
  t.channels = names;
  t.nchannels = 3;
  expect_one_error(&t, "/channels/2");
  names[2] = hundred_one;
  expect_one_error(&t, "/channels/2");
  names[2] = "chat";
  expect_ok(&t);
}

static void purpose_and_confidentiality_are_required(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.purpose = NULL;
  expect_one_error(&t, "/purpose");
  t = valid_terms();
  t.confidentiality = "";
  expect_one_error(&t, "/confidentiality");
}

static void texts_may_have_4000_bytes_not_4001(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.boundaries = xs(4000);
  expect_ok(&t);
  t.boundaries = xs(4001);
  expect_one_error(&t, "/boundaries");
  t = valid_terms();
  t.feedback_preferences = xs(4001);
  expect_one_error(&t, "/feedback_preferences");
  t = valid_terms();
  t.purpose = xs(4001);
  expect_one_error(&t, "/purpose");
}

static void planned_end_may_be_today_not_yesterday(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.ends_on = TODAY;
  expect_ok(&t);
  t.ends_on = TODAY - 1;
  expect_one_error(&t, "/ends_on");
}

static void every_problem_is_reported_at_once(void **state) {
  (void)state;
  agreement_terms t = valid_terms();
  t.purpose = NULL;
  t.cadence_days = 0;
  t.nchannels = 0;
  t.reply_window_hours = 1000;
  t.ends_on = TODAY - 30;
  rp_err e = {0};
  assert_int_equal(agreement_terms_check(&t, TODAY, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 5);
  assert_string_equal(e.field[0].pointer, "/purpose");
  assert_string_equal(e.field[1].pointer, "/cadence_days");
  assert_string_equal(e.field[2].pointer, "/channels");
  assert_string_equal(e.field[3].pointer, "/reply_window_hours");
  assert_string_equal(e.field[4].pointer, "/ends_on");
}

static void in_force_needs_both_guide_and_learner(void **state) {
  (void)state;
  const int64_t guide_only[] = {GUIDE};
  const int64_t learner_only[] = {LEARNER};
  const int64_t both[] = {LEARNER, GUIDE};
  const int64_t guide_and_stranger[] = {GUIDE, 99};
  assert_false(agreement_acked_by_both(&rel, NULL, 0));
  assert_false(agreement_acked_by_both(&rel, guide_only, 1));
  assert_false(agreement_acked_by_both(&rel, learner_only, 1));
  assert_true(agreement_acked_by_both(&rel, both, 2));
  assert_false(agreement_acked_by_both(&rel, guide_and_stranger, 2));
}

static void ack_of_missing_version_is_invalid_at_version(void **state) {
  (void)state;
  bool puts = true;
  rp_err e = {0};
  assert_int_equal(agreement_ack_check(&rel, GUIDE, 1, 0, NULL, 0, &puts, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/version");
  assert_false(puts);
  rp_err e2 = {0};
  assert_int_equal(agreement_ack_check(&rel, GUIDE, 4, 3, NULL, 0, &puts, &e2), RP_ERR_INVALID);
  assert_string_equal(e2.field[0].pointer, "/version");
  rp_err e3 = {0};
  assert_int_equal(agreement_ack_check(&rel, GUIDE, 0, 3, NULL, 0, &puts, &e3), RP_ERR_INVALID);
}

static void ack_of_older_version_is_superseded_even_if_already_acked(void **state) {
  (void)state;
  const int64_t ackers[] = {LEARNER};
  bool puts = true;
  rp_err e = {0};
  assert_int_equal(agreement_ack_check(&rel, LEARNER, 1, 2, ackers, 1, &puts, &e),
                   RP_ERR_CONFLICT);
  assert_string_equal(e.code, "agreement_superseded");
  assert_false(puts);
}

static void second_ack_by_same_person_is_refused(void **state) {
  (void)state;
  const int64_t ackers[] = {GUIDE};
  bool puts = true;
  rp_err e = {0};
  assert_int_equal(agreement_ack_check(&rel, GUIDE, 2, 2, ackers, 1, &puts, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "already_acknowledged");
  assert_false(puts);
}

static void ack_by_other_party_puts_version_in_force(void **state) {
  (void)state;
  const int64_t ackers[] = {GUIDE};
  bool puts = false;
  rp_err e = {0};
  assert_int_equal(agreement_ack_check(&rel, LEARNER, 2, 2, ackers, 1, &puts, &e), RP_OK);
  assert_true(puts);
}

static void first_ack_does_not_put_version_in_force(void **state) {
  (void)state;
  bool puts = true;
  rp_err e = {0};
  assert_int_equal(agreement_ack_check(&rel, LEARNER, 1, 1, NULL, 0, &puts, &e), RP_OK);
  assert_false(puts);
}

static void body_round_trips_text_terms(void **state) {
  (void)state;
  arena *a = arena_new(4096);
  agreement_terms t = valid_terms();
  t.confidentiality = "Say \"stop\" and we stop.\nExceptions: harm; the law.";
  t.feedback_preferences = "Ehrlich, aber freundlich \xe2\x80\x94 bitte.";
  char *doc = agreement_body_encode(&t, a);
  assert_non_null(doc);
  agreement_terms back = {0};
  back.cadence_days = 7; /* plain fields are not in the document */
  assert_true(agreement_body_decode(doc, a, &back));
  assert_string_equal(back.purpose, t.purpose);
  assert_int_equal(back.nchannels, 2);
  assert_string_equal(back.channels[0], "video call");
  assert_string_equal(back.channels[1], "e-mail");
  assert_string_equal(back.confidentiality, t.confidentiality);
  assert_null(back.boundaries);
  assert_string_equal(back.feedback_preferences, t.feedback_preferences);
  assert_int_equal(back.cadence_days, 7);
  assert_null(strstr(doc, "cadence"));
  arena_free(a);
}

static void body_decode_refuses_foreign_documents(void **state) {
  (void)state;
  arena *a = arena_new(4096);
  agreement_terms t = {0};
  assert_false(agreement_body_decode("not json", a, &t));
  assert_false(agreement_body_decode("[]", a, &t));
  assert_false(agreement_body_decode("{\"purpose\":\"p\",\"confidentiality\":\"c\","
                                     "\"boundaries\":null,\"feedback_preferences\":null}",
                                     a, &t));
  assert_false(agreement_body_decode("{\"purpose\":\"p\",\"channels\":[1],"
                                     "\"confidentiality\":\"c\",\"boundaries\":null,"
                                     "\"feedback_preferences\":null}",
                                     a, &t));
  assert_null(t.purpose);
  arena_free(a);
}

static void body_encode_refuses_invalid_utf8(void **state) {
  (void)state;
  arena *a = arena_new(4096);
  agreement_terms t = valid_terms();
  t.purpose = "caf\xe9";
  assert_null(agreement_body_encode(&t, a));
  t = valid_terms();
  const char *bad_channel[] = {"ok", "\xff"};
  t.channels = bad_channel;
  assert_null(agreement_body_encode(&t, a));
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(terms_complete_and_in_range_pass),
      cmocka_unit_test(cadence_accepts_1_to_365_days),
      cmocka_unit_test(reply_window_accepts_1_to_720_hours),
      cmocka_unit_test(channels_count_must_be_1_to_10),
      cmocka_unit_test(channel_names_are_non_empty_and_at_most_100_bytes),
      cmocka_unit_test(purpose_and_confidentiality_are_required),
      cmocka_unit_test(texts_may_have_4000_bytes_not_4001),
      cmocka_unit_test(planned_end_may_be_today_not_yesterday),
      cmocka_unit_test(every_problem_is_reported_at_once),
      cmocka_unit_test(in_force_needs_both_guide_and_learner),
      cmocka_unit_test(ack_of_missing_version_is_invalid_at_version),
      cmocka_unit_test(ack_of_older_version_is_superseded_even_if_already_acked),
      cmocka_unit_test(second_ack_by_same_person_is_refused),
      cmocka_unit_test(ack_by_other_party_puts_version_in_force),
      cmocka_unit_test(first_ack_does_not_put_version_in_force),
      cmocka_unit_test(body_round_trips_text_terms),
      cmocka_unit_test(body_decode_refuses_foreign_documents),
      cmocka_unit_test(body_encode_refuses_invalid_utf8),
      cmocka_unit_test(quiet_hours_are_two_different_times_of_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
