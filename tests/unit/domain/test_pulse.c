/* test_pulse.c: pulse validation, the double-blind reveal and the pulse
 * schedule (domain/pulse.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/pulse.h"
#include "trust/trust_values.h"

#define GUIDE 11
#define LEARNER 22
#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

static relationship rel_in(rel_state s) {
  relationship r = {.id = 5, .program_id = 1, .guide_id = GUIDE, .learner_id = LEARNER, .state = s};
  return r;
}

static pulse full_pulse(void) {
  pulse p = {
      .rater_id = GUIDE, .ratee_id = LEARNER, .answers = {4, 4, 5, 5, 3, 4, 4}, .overall = 8};
  return p;
}

static void item_names_follow_the_trust_engine_order(void **state) {
  (void)state;
  for (int i = 0; i < PULSE_NITEM; i++) {
    int back = -1;
    assert_string_equal(pulse_item_name(i), trust_pulse_item_name((trust_pulse_item)i));
    assert_true(pulse_item_parse(pulse_item_name(i), &back));
    assert_int_equal(back, i);
  }
  assert_int_equal(PULSE_NITEM, TRUST_PULSE_NITEM);
  assert_int_equal(PULSE_SKIPPED, TRUST_PULSE_SKIPPED);
  assert_null(pulse_item_name(PULSE_NITEM));
  int out = 9;
  assert_false(pulse_item_parse("rel1", &out));
  assert_false(pulse_item_parse("REL3", &out));
  assert_int_equal(out, 9);
}

static void answers_from_1_to_5_and_skipped_items_are_valid(void **state) {
  (void)state;
  pulse p = full_pulse();
  rp_err e = {0};
  assert_int_equal(pulse_check(&p, &e), RP_OK);
  int skipped_all[PULSE_NITEM] = {0};
  memcpy(p.answers, skipped_all, sizeof p.answers);
  p.overall = 0;
  assert_int_equal(pulse_check(&p, &e), RP_OK);
  assert_int_equal(pulse_answered(&p), 0);
  p.answers[0] = 1;
  p.answers[6] = 5;
  p.overall = 10;
  assert_int_equal(pulse_check(&p, &e), RP_OK);
  assert_int_equal(pulse_answered(&p), 2);
}

static void out_of_range_answers_are_refused_at_their_item(void **state) {
  (void)state;
  pulse p = full_pulse();
  rp_err e = {0};
  p.answers[3] = 6;  /* INT2 */
  p.answers[5] = -1; /* EMP1 */
  assert_int_equal(pulse_check(&p, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/answers/INT2");
  assert_string_equal(e.field[1].pointer, "/answers/EMP1");
}

static void overall_outside_0_to_10_is_refused(void **state) {
  (void)state;
  pulse p = full_pulse();
  rp_err e = {0};
  p.overall = 11;
  assert_int_equal(pulse_check(&p, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/overall");
  rp_err_reset(&e);
  p.overall = -1;
  assert_int_equal(pulse_check(&p, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/overall");
}

static void pulses_need_a_relationship_that_takes_outcomes(void **state) {
  (void)state;
  rp_err e = {0};
  relationship r = rel_in(REL_ACTIVE);
  assert_int_equal(pulse_check_allowed(&r, GUIDE, &e), RP_OK);
  r = rel_in(REL_PAUSED);
  assert_int_equal(pulse_check_allowed(&r, LEARNER, &e), RP_OK);
  r = rel_in(REL_COMPLETED);
  assert_int_equal(pulse_check_allowed(&r, GUIDE, &e), RP_OK);
  r = rel_in(REL_ALUMNI); /* the short pulse of long-term check-ins */
  assert_int_equal(pulse_check_allowed(&r, LEARNER, &e), RP_OK);
  const rel_state refused[] = {REL_PROPOSED, REL_DECLINED, REL_ENDED};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    rp_err_reset(&e);
    r = rel_in(refused[i]);
    assert_int_equal(pulse_check_allowed(&r, GUIDE, &e), RP_ERR_CONFLICT);
    assert_string_equal(e.code, "relationship_state");
  }
  r = rel_in(REL_ACTIVE);
  assert_int_equal(pulse_check_allowed(&r, 99, &e), RP_ERR_NOT_FOUND);
}

static void a_pulse_is_revealed_after_seven_days_without_an_answer_back(void **state) {
  (void)state;
  assert_int_equal(pulse_reveal_time(T0, false, 0), T0 + 7 * RP_DAY);
  /* An answer back before the pulse does not reveal it. */
  assert_int_equal(pulse_reveal_time(T0, true, T0 - 1), T0 + 7 * RP_DAY);
}

static void an_answer_back_reveals_the_pulse_at_that_moment(void **state) {
  (void)state;
  assert_int_equal(pulse_reveal_time(T0, true, T0 + 2 * RP_DAY), T0 + 2 * RP_DAY);
  assert_int_equal(pulse_reveal_time(T0, true, T0), T0);
  /* After seven days the answer back changes nothing. */
  assert_int_equal(pulse_reveal_time(T0, true, T0 + 9 * RP_DAY), T0 + 7 * RP_DAY);
}

static void revealed_by_holds_only_for_unrevealed_pulses_answered_before(void **state) {
  (void)state;
  pulse p = full_pulse();
  p.answered_at = T0;
  p.revealed_at = T0 + 7 * RP_DAY;
  assert_true(pulse_revealed_by(&p, T0 + RP_DAY));
  assert_true(pulse_revealed_by(&p, T0));
  assert_false(pulse_revealed_by(&p, T0 - 1));
  assert_false(pulse_revealed_by(&p, T0 + 7 * RP_DAY));
  assert_false(pulse_is_revealed(&p, T0 + 7 * RP_DAY - 1));
  assert_true(pulse_is_revealed(&p, T0 + 7 * RP_DAY));
}

static void schedule_is_due_every_cadence_since_the_last_pulse(void **state) {
  (void)state;
  pulse_schedule s;
  pulse_schedule_at(T0, 28, false, 0, T0 + 27 * RP_DAY, &s);
  assert_false(s.due);
  assert_int_equal(s.due_at, T0 + 28 * RP_DAY);
  assert_int_equal(s.reason, PULSE_DUE_CADENCE);
  assert_string_equal(pulse_due_reason_name(s.reason), "cadence");
  pulse_schedule_at(T0, 28, false, 0, T0 + 28 * RP_DAY, &s);
  assert_true(s.due);
}

static void third_held_checkin_makes_a_pulse_due_when_it_comes_first(void **state) {
  (void)state;
  pulse_schedule s;
  pulse_schedule_at(T0, 28, true, T0 + 15 * RP_DAY, T0 + 16 * RP_DAY, &s);
  assert_true(s.due);
  assert_int_equal(s.due_at, T0 + 15 * RP_DAY);
  assert_int_equal(s.reason, PULSE_DUE_CHECKINS);
  assert_string_equal(pulse_due_reason_name(s.reason), "checkins");
  /* Later than the cadence (or at the same moment): the cadence decides. */
  pulse_schedule_at(T0, 14, true, T0 + 20 * RP_DAY, T0, &s);
  assert_int_equal(s.due_at, T0 + 14 * RP_DAY);
  assert_int_equal(s.reason, PULSE_DUE_CADENCE);
  pulse_schedule_at(T0, 14, true, T0 + 14 * RP_DAY, T0, &s);
  assert_int_equal(s.reason, PULSE_DUE_CADENCE);
  assert_false(s.due);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(item_names_follow_the_trust_engine_order),
      cmocka_unit_test(answers_from_1_to_5_and_skipped_items_are_valid),
      cmocka_unit_test(out_of_range_answers_are_refused_at_their_item),
      cmocka_unit_test(overall_outside_0_to_10_is_refused),
      cmocka_unit_test(pulses_need_a_relationship_that_takes_outcomes),
      cmocka_unit_test(a_pulse_is_revealed_after_seven_days_without_an_answer_back),
      cmocka_unit_test(an_answer_back_reveals_the_pulse_at_that_moment),
      cmocka_unit_test(revealed_by_holds_only_for_unrevealed_pulses_answered_before),
      cmocka_unit_test(schedule_is_due_every_cadence_since_the_last_pulse),
      cmocka_unit_test(third_held_checkin_makes_a_pulse_due_when_it_comes_first),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
