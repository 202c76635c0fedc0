/* test_text.c: the sentences of the trust view and the timeline
 * (src/app/trust/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "app/trust/text.h"

#define DAY ((rp_time)86400)
#define HOUR ((rp_time)3600)
#define T0 ((rp_time)1767225600) /* 2026-01-01T00:00:00Z */
#define MAR12 (T0 + 70 * DAY)    /* 2026-03-12T00:00:00Z */

static arena *A;

static int setup(void **state) {
  (void)state;
  A = arena_new(0);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  arena_free(A);
  return 0;
}

static app_fact fact(const char *kind, rp_time at) {
  app_fact f;
  memset(&f, 0, sizeof f);
  f.kind = kind;
  f.at = at;
  f.now = T0 + 100 * DAY;
  return f;
}

static void date_in_the_readers_year_has_no_year(void **state) {
  (void)state;
  assert_string_equal(app_text_date(A, MAR12 + 9 * HOUR, T0 + 100 * DAY), "12 Mar");
}

static void date_in_another_year_names_the_year(void **state) {
  (void)state;
  assert_string_equal(app_text_date(A, T0 - 20 * DAY, MAR12), "12 Dec 2025");
}

static void durations_use_minutes_hours_under_two_days_then_days(void **state) {
  (void)state;
  assert_string_equal(app_text_duration(A, 45 * 60), "45 minutes");
  assert_string_equal(app_text_duration(A, HOUR), "1 hour");
  assert_string_equal(app_text_duration(A, 30 * HOUR), "30 hours");
  assert_string_equal(app_text_duration(A, 2 * DAY - 60), "48 hours");
  assert_string_equal(app_text_duration(A, 3 * DAY), "3 days");
  assert_string_equal(app_text_duration(A, -5), "0 minutes");
}

static void long_quote_is_cut_on_a_character_boundary(void **state) {
  (void)state;
  char text[200];
  memset(text, 'a', 79);
  memcpy(text + 79, "\xc3\xa9tude and more words", 22); /* "é" straddles byte 80 */
  text[101] = '\0';
  char want[100];
  want[0] = '\'';
  memset(want + 1, 'a', 79);
  memcpy(want + 80, "...'", 5);
  assert_string_equal(app_text_quote(A, text), want);
  assert_string_equal(app_text_quote(A, "send the draft plan"), "'send the draft plan'");
  assert_string_equal(app_text_quote(A, NULL), "");
}

static void kept_commitment_names_the_commitment_and_the_day(void **state) {
  (void)state;
  app_fact f = fact("commitment_outcome", MAR12 + 10 * HOUR);
  f.title = "send the draft plan";
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_COMMITMENT_KEPT, false),
                      "Kept the commitment 'send the draft plan' on time (12 Mar).");
  f.secs = 3 * DAY;
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_COMMITMENT_KEPT_LATE, false),
                      "Kept the commitment 'send the draft plan' 3 days late (12 Mar).");
}

static void renegotiation_says_from_which_due_day_to_which(void **state) {
  (void)state;
  app_fact f = fact("commitment_renegotiated", MAR12 - DAY);
  f.title = "book the 1:1";
  f.when2 = MAR12;
  f.when = MAR12 + 7 * DAY;
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_COMMITMENT_RENEGOTIATED, false),
                      "Renegotiated the commitment 'book the 1:1' before it was due, from 12 Mar "
                      "to 19 Mar.");
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_COMMITMENT_RENEGOTIATED_OPENLY, false),
                      "Said early that the commitment 'book the 1:1' needed a new date (11 Mar).");
}

static void checkin_sentences_name_the_meeting_day(void **state) {
  (void)state;
  app_fact f = fact("checkin_outcome", MAR12 + 2 * HOUR);
  f.when = MAR12 + 9 * HOUR;
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_CHECKIN_NO_SHOW, false),
                      "Did not show up for the check-in of 12 Mar.");
  f.secs = 5 * HOUR;
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_CHECKIN_CANCELLED_LATE, false),
                      "Cancelled the check-in of 12 Mar at short notice (5 hours ahead).");
  f.secs = -HOUR;
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_CHECKIN_CANCELLED_LATE, false),
                      "Cancelled the check-in of 12 Mar after its time.");
}

static void reply_says_how_long_against_the_window(void **state) {
  (void)state;
  app_fact f = fact("request_replied", MAR12);
  f.title = "Can we meet on Friday?";
  f.secs = 5 * HOUR;
  f.hours = 48;
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_REPLY_ON_TIME, false),
                      "Replied to the request 'Can we meet on Friday?' in 5 hours, within the "
                      "agreed 48 hours (12 Mar).");
}

static void pulse_statement_is_named_only_for_its_rater(void **state) {
  (void)state;
  app_fact f = fact("pulse_answered", MAR12);
  const char *rater = app_text_evidence(A, &f, TRUST_R_PULSE_INT1, false);
  const char *rated = app_text_evidence(A, &f, TRUST_R_PULSE_INT1, true);
  assert_non_null(strstr(rater, "they were straight with me"));
  assert_null(strstr(rated, "straight"));
  assert_string_equal(rated, "A pulse answer from the other party (12 Mar).");
}

static void goal_review_names_a_goal_and_the_score(void **state) {
  (void)state;
  app_fact f = fact("goal_review", MAR12);
  f.score = 56.4;
  f.count = 2;
  f.title = "Lead the planning";
  assert_string_equal(app_text_evidence(A, &f, TRUST_R_GOAL_REVIEW, false),
                      "The goal review of 12 Mar scored T = 56 on 2 goals, among them 'Lead the "
                      "planning' (50 is as expected).");
}

static void timeline_words_the_actor_by_role(void **state) {
  (void)state;
  app_fact f = fact("checkin_scheduled", MAR12 - 3 * DAY);
  f.actor = APP_WHO_GUIDE;
  f.when = MAR12 + 9 * HOUR;
  assert_string_equal(app_text_event(A, &f),
                      "The guide scheduled a check-in for 12 Mar, 09:00 UTC.");
  f = fact("request_made", MAR12);
  f.actor = APP_WHO_LEARNER;
  f.title = "Could you look at my plan?";
  assert_string_equal(app_text_event(A, &f), "The learner asked: 'Could you look at my plan?'");
  f.title = "Send the template";
  assert_string_equal(app_text_event(A, &f), "The learner asked: 'Send the template'.");
}

static void commitment_added_by_its_owner_reads_as_a_promise(void **state) {
  (void)state;
  app_fact f = fact("commitment_added", MAR12);
  f.actor = APP_WHO_GUIDE;
  f.party = APP_WHO_GUIDE;
  f.title = "send the plan";
  f.when = MAR12 + 7 * DAY;
  assert_string_equal(app_text_event(A, &f), "The guide committed to 'send the plan', due 19 Mar.");
  f.actor = APP_WHO_LEARNER;
  assert_string_equal(app_text_event(A, &f),
                      "The learner recorded a commitment of the guide: 'send the plan', due 19 "
                      "Mar.");
}

static void server_events_and_retracted_marks_are_worded(void **state) {
  (void)state;
  app_fact f = fact("request_unanswered", MAR12);
  f.actor = APP_WHO_SERVER;
  f.party = APP_WHO_GUIDE;
  f.hours = 48;
  assert_string_equal(app_text_event(A, &f),
                      "The guide had not replied within three times the agreed 48 hours.");
  f.detail = "retracted";
  assert_non_null(strstr(app_text_event(A, &f), "the mark counts for nothing"));
  f = fact("commitment_broken", MAR12);
  f.actor = APP_WHO_SERVER;
  f.party = APP_WHO_LEARNER;
  f.title = "share the agenda";
  f.detail = "broken";
  f.when = MAR12 - DAY;
  assert_string_equal(app_text_event(A, &f),
                      "The commitment 'share the agenda' of the learner passed its due time (11 "
                      "Mar) unmet.");
  f = fact("warning_withdrawn", MAR12);
  f.actor = APP_WHO_SERVER;
  f.detail = "CADENCE_GAP";
  assert_string_equal(app_text_event(A, &f),
                      "The early warning CADENCE_GAP was withdrawn: the recalibrated trust rules "
                      "do not raise it.");
}

static void only_a_reached_milestone_is_a_celebration(void **state) {
  (void)state;
  assert_true(app_text_is_celebration("milestone_reached"));
  assert_false(app_text_is_celebration("milestone_added"));
  assert_false(app_text_is_celebration("goal_review"));
  assert_false(app_text_is_celebration(NULL));
  app_fact f = fact("milestone_reached", MAR12);
  f.title = "First delegated report";
  f.context = "Delegate the weekly reporting";
  assert_string_equal(app_text_event(A, &f),
                      "Milestone reached: 'First delegated report', on the way to 'Delegate the "
                      "weekly reporting'.");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(date_in_the_readers_year_has_no_year),
      cmocka_unit_test(date_in_another_year_names_the_year),
      cmocka_unit_test(durations_use_minutes_hours_under_two_days_then_days),
      cmocka_unit_test(long_quote_is_cut_on_a_character_boundary),
      cmocka_unit_test(kept_commitment_names_the_commitment_and_the_day),
      cmocka_unit_test(renegotiation_says_from_which_due_day_to_which),
      cmocka_unit_test(checkin_sentences_name_the_meeting_day),
      cmocka_unit_test(reply_says_how_long_against_the_window),
      cmocka_unit_test(pulse_statement_is_named_only_for_its_rater),
      cmocka_unit_test(goal_review_names_a_goal_and_the_score),
      cmocka_unit_test(timeline_words_the_actor_by_role),
      cmocka_unit_test(commitment_added_by_its_owner_reads_as_a_promise),
      cmocka_unit_test(server_events_and_retracted_marks_are_worded),
      cmocka_unit_test(only_a_reached_milestone_is_a_celebration),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
