/* test_checkin.c: check-in outcome classification and its checks
 * (domain/checkin.h, TRUST-MODEL.md 3.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/checkin.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */
#define GUIDE 11
#define LEARNER 22
#define STRANGER 33

static relationship rel_in(rel_state s) {
  relationship r;
  memset(&r, 0, sizeof r);
  r.id = 5;
  r.program_id = 1;
  r.guide_id = GUIDE;
  r.learner_id = LEARNER;
  r.state = s;
  r.proposed_at = T0 - 30 * RP_DAY;
  return r;
}

/* A check-in created ten days before T0, scheduled at T0, no outcome. */
static checkin open_checkin(void) {
  checkin ck;
  memset(&ck, 0, sizeof ck);
  ck.id = 9;
  ck.relationship_id = 5;
  ck.scheduled_at = T0;
  ck.created_at = T0 - 10 * RP_DAY;
  return ck;
}

static checkin_report report(checkin_outcome o, rp_time at, int64_t caused_by) {
  checkin_report rep;
  memset(&rep, 0, sizeof rep);
  rep.outcome = o;
  rep.at = at;
  rep.caused_by = caused_by;
  return rep;
}

/* Runs checkin_decide on an active relationship with a 14-day cadence. */
static rp_rc decide(const checkin_report *rep, checkin_verdict *v, rp_err *e) {
  relationship r = rel_in(REL_ACTIVE);
  checkin ck = open_checkin();
  memset(e, 0, sizeof *e);
  return checkin_decide(&r, &ck, rep, 14, v, e);
}

static void assert_one_field(const rp_err *e, const char *pointer, const char *detail) {
  assert_int_equal(e->rc, RP_ERR_INVALID);
  assert_int_equal(e->nfield, 1);
  assert_string_equal(e->field[0].pointer, pointer);
  if (detail) assert_string_equal(e->field[0].detail, detail);
}

/* ---- names ---- */

static void outcome_and_class_names_round_trip(void **state) {
  (void)state;
  static const char *const outcomes[] = {"held", "rescheduled", "cancelled", "no_show",
                                         "mutual_cancel"};
  static const char *const classes[] = {"held",
                                        "held_late",
                                        "rescheduled_with_notice",
                                        "rescheduled_late",
                                        "cancelled_with_notice",
                                        "cancelled_late",
                                        "no_show",
                                        "mutual_cancel"};
  for (int i = 0; i < CHECKIN_OUTCOME_COUNT; i++) {
    checkin_outcome o;
    assert_string_equal(checkin_outcome_name((checkin_outcome)i), outcomes[i]);
    assert_true(checkin_outcome_parse(outcomes[i], &o));
    assert_int_equal(o, i);
  }
  for (int i = 0; i < CHECKIN_CLASS_COUNT; i++) {
    checkin_class c;
    assert_string_equal(checkin_class_name((checkin_class)i), classes[i]);
    assert_true(checkin_class_parse(classes[i], &c));
    assert_int_equal(c, i);
  }
}

static void unknown_names_do_not_parse(void **state) {
  (void)state;
  checkin_outcome o;
  checkin_class c;
  assert_false(checkin_outcome_parse("late", &o));
  assert_false(checkin_outcome_parse("held_late", &o));
  assert_false(checkin_outcome_parse(NULL, &o));
  assert_false(checkin_class_parse("Held", &c));
  assert_false(checkin_class_parse("", &c));
  assert_false(checkin_class_parse(NULL, &c));
}

/* ---- tolerance ---- */

static void tolerance_is_one_day_up_to_a_five_day_cadence(void **state) {
  (void)state;
  assert_int_equal(checkin_tolerance(1), 86400);
  assert_int_equal(checkin_tolerance(4), 86400); /* 0.8 days */
  assert_int_equal(checkin_tolerance(5), 86400); /* exactly 1 day */
}

static void tolerance_is_a_fifth_of_longer_cadences(void **state) {
  (void)state;
  assert_int_equal(checkin_tolerance(6), 103680);    /* 1.2 days */
  assert_int_equal(checkin_tolerance(7), 120960);    /* 1.4 days */
  assert_int_equal(checkin_tolerance(14), 241920);   /* 2.8 days */
  assert_int_equal(checkin_tolerance(365), 6307200); /* 73 days */
}

/* ---- classification ---- */

static void held_on_time_is_held_without_cause(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_HELD, T0, T0, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD);
  assert_false(v.cause_required);
  assert_false(v.has_late);
  assert_false(v.has_notice);
}

static void held_exactly_tau_late_is_still_held(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_HELD, T0, T0 + 241920, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD);
  assert_false(v.has_late);
  checkin_classify(CHECKIN_HELD, T0, T0 + 120960, 7, &v); /* tau(7) = 1.4 days */
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD);
  checkin_classify(CHECKIN_HELD, T0, T0 + 86400, 3, &v); /* tau(3) = 1 day */
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD);
}

static void held_one_second_past_tau_is_held_late_with_lateness(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_HELD, T0, T0 + 241921, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD_LATE);
  assert_true(v.cause_required);
  assert_true(v.has_late);
  assert_int_equal(v.late_s, 241921);
  assert_false(v.has_notice);
  checkin_classify(CHECKIN_HELD, T0, T0 + 120961, 7, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD_LATE);
  assert_int_equal(v.late_s, 120961);
  checkin_classify(CHECKIN_HELD, T0, T0 + 86401, 3, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD_LATE);
  assert_int_equal(v.late_s, 86401);
}

static void held_early_beyond_tau_is_held(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_HELD, T0, T0 - 5 * RP_DAY, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD);
  assert_false(v.cause_required);
  assert_false(v.has_late);
}

static void rescheduled_a_day_ahead_has_notice(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_RESCHEDULED, T0, T0 - 24 * RP_HOUR, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_RESCHEDULED_WITH_NOTICE);
  assert_true(v.cause_required);
  assert_true(v.has_notice);
  assert_int_equal(v.notice_s, 86400);
  assert_false(v.has_late);
}

static void rescheduled_one_second_short_of_a_day_is_late(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_RESCHEDULED, T0, T0 - 24 * RP_HOUR + 1, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_RESCHEDULED_LATE);
  assert_true(v.cause_required);
  assert_int_equal(v.notice_s, 86399);
}

static void rescheduled_after_the_time_keeps_negative_notice(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_RESCHEDULED, T0, T0 + 2 * RP_HOUR, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_RESCHEDULED_LATE);
  assert_int_equal(v.notice_s, -7200);
}

static void cancelled_a_day_ahead_has_notice(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_CANCELLED, T0, T0 - 3 * RP_DAY, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_CANCELLED_WITH_NOTICE);
  assert_true(v.cause_required);
  assert_int_equal(v.notice_s, 259200);
  checkin_classify(CHECKIN_CANCELLED, T0, T0 - 86400, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_CANCELLED_WITH_NOTICE);
}

static void cancelled_with_less_than_a_day_is_late(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_CANCELLED, T0, T0 - 86399, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_CANCELLED_LATE);
  assert_true(v.cause_required);
  assert_true(v.has_notice);
  assert_int_equal(v.notice_s, 86399);
  checkin_classify(CHECKIN_CANCELLED, T0, T0, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_CANCELLED_LATE);
  assert_int_equal(v.notice_s, 0);
}

static void no_show_needs_a_cause_and_has_no_notice(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_NO_SHOW, T0, T0 + RP_HOUR, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_NO_SHOW);
  assert_true(v.cause_required);
  assert_false(v.has_notice);
  assert_false(v.has_late);
}

static void mutual_cancel_has_no_cause_and_no_notice(void **state) {
  (void)state;
  checkin_verdict v;
  checkin_classify(CHECKIN_MUTUAL_CANCEL, T0, T0 - RP_HOUR, 14, &v);
  assert_int_equal(v.cls, CHECKIN_CLASS_MUTUAL_CANCEL);
  assert_false(v.cause_required);
  assert_false(v.has_notice);
  assert_false(v.has_late);
}

/* ---- scheduling ---- */

static void scheduling_needs_an_active_relationship(void **state) {
  (void)state;
  static const rel_state refused[] = {REL_PROPOSED, REL_PAUSED,   REL_COMPLETED,
                                      REL_ALUMNI,   REL_DECLINED, REL_ENDED};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    relationship r = rel_in(refused[i]);
    rp_err e = {0};
    assert_int_equal(checkin_check_schedule(&r, T0, &e), RP_ERR_CONFLICT);
    assert_string_equal(e.code, "relationship_state");
  }
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(checkin_check_schedule(&r, T0, &e), RP_OK);
}

static void scheduling_before_the_proposal_is_refused(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(checkin_check_schedule(&r, r.proposed_at - 1, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/scheduled_at", NULL);
  memset(&e, 0, sizeof e);
  assert_int_equal(checkin_check_schedule(&r, r.proposed_at, &e), RP_OK);
}

/* ---- deciding an outcome ---- */

static void outcomes_need_a_relationship_that_takes_them(void **state) {
  (void)state;
  static const rel_state refused[] = {REL_PROPOSED, REL_ALUMNI, REL_DECLINED, REL_ENDED};
  static const rel_state allowed[] = {REL_ACTIVE, REL_PAUSED, REL_COMPLETED};
  checkin ck = open_checkin();
  checkin_report rep = report(CHECKIN_HELD, T0, 0);
  checkin_verdict v;
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    relationship r = rel_in(refused[i]);
    rp_err e = {0};
    assert_int_equal(checkin_decide(&r, &ck, &rep, 14, &v, &e), RP_ERR_CONFLICT);
    assert_string_equal(e.code, "relationship_state");
  }
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    relationship r = rel_in(allowed[i]);
    rp_err e = {0};
    assert_int_equal(checkin_decide(&r, &ck, &rep, 14, &v, &e), RP_OK);
  }
}

static void a_second_outcome_is_refused(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  checkin ck = open_checkin();
  ck.has_outcome = true;
  checkin_report rep = report(CHECKIN_HELD, T0, 0);
  checkin_verdict v;
  rp_err e = {0};
  assert_int_equal(checkin_decide(&r, &ck, &rep, 14, &v, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "outcome_recorded");
}

static void outcome_before_creation_is_refused_at_at(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_CANCELLED, T0 - 10 * RP_DAY - 1, LEARNER);
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/at", NULL);
  rep.at = T0 - 10 * RP_DAY;
  assert_int_equal(decide(&rep, &v, &e), RP_OK);
  assert_int_equal(v.cls, CHECKIN_CLASS_CANCELLED_WITH_NOTICE);
}

static void no_show_before_the_scheduled_time_is_refused(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_NO_SHOW, T0 - 1, GUIDE);
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/at", "A no-show cannot be recorded before the scheduled time.");
  rep.at = T0;
  assert_int_equal(decide(&rep, &v, &e), RP_OK);
  assert_int_equal(v.cls, CHECKIN_CLASS_NO_SHOW);
}

static void cause_is_required_for_cancel_reschedule_no_show_and_late_holding(void **state) {
  (void)state;
  checkin_report reps[] = {
      report(CHECKIN_CANCELLED, T0 - RP_HOUR, 0),
      report(CHECKIN_RESCHEDULED, T0 - 2 * RP_DAY, 0),
      report(CHECKIN_NO_SHOW, T0 + RP_HOUR, 0),
      report(CHECKIN_HELD, T0 + 3 * RP_DAY, 0),
  };
  reps[1].has_new_scheduled_at = true;
  reps[1].new_scheduled_at = T0 + RP_DAY;
  for (size_t i = 0; i < sizeof reps / sizeof reps[0]; i++) {
    checkin_verdict v;
    rp_err e;
    assert_int_equal(decide(&reps[i], &v, &e), RP_ERR_INVALID);
    assert_one_field(&e, "/caused_by", "Say who caused it.");
    reps[i].caused_by = i % 2 ? GUIDE : LEARNER;
    assert_int_equal(decide(&reps[i], &v, &e), RP_OK);
  }
}

static void cause_is_refused_for_held_on_time_and_mutual_cancel(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_HELD, T0 + RP_HOUR, GUIDE);
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/caused_by", NULL);
  rep = report(CHECKIN_MUTUAL_CANCEL, T0 - RP_DAY, LEARNER);
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/caused_by", NULL);
  rep.caused_by = 0;
  assert_int_equal(decide(&rep, &v, &e), RP_OK);
  assert_int_equal(v.cls, CHECKIN_CLASS_MUTUAL_CANCEL);
}

static void cause_must_be_a_party(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_CANCELLED, T0 - RP_HOUR, STRANGER);
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/caused_by", "Must be the guide or the learner.");
}

static void reschedule_needs_a_later_new_time(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_RESCHEDULED, T0 - 2 * RP_DAY, GUIDE);
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_scheduled_at", "Say when the check-in is rescheduled to.");
  rep.has_new_scheduled_at = true;
  rep.new_scheduled_at = rep.at;
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_scheduled_at", NULL);
  rep.new_scheduled_at = T0;
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_scheduled_at", "The new time must differ from the scheduled time.");
  rep.new_scheduled_at = T0 + 7 * RP_DAY;
  assert_int_equal(decide(&rep, &v, &e), RP_OK);
  assert_int_equal(v.cls, CHECKIN_CLASS_RESCHEDULED_WITH_NOTICE);
  assert_int_equal(v.notice_s, 2 * 86400);
}

static void new_time_is_refused_for_other_outcomes(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_CANCELLED, T0 - 2 * RP_DAY, GUIDE);
  rep.has_new_scheduled_at = true;
  rep.new_scheduled_at = T0 + RP_DAY;
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_scheduled_at", NULL);
}

static void every_problem_of_a_report_is_listed(void **state) {
  (void)state;
  checkin_verdict v;
  rp_err e;
  checkin_report rep = report(CHECKIN_NO_SHOW, T0 - RP_HOUR, 0);
  rep.has_new_scheduled_at = true;
  rep.new_scheduled_at = T0 + RP_DAY;
  assert_int_equal(decide(&rep, &v, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 3);
  assert_string_equal(e.field[0].pointer, "/at");
  assert_string_equal(e.field[1].pointer, "/new_scheduled_at");
  assert_string_equal(e.field[2].pointer, "/caused_by");
}

static void decision_classifies_with_the_cadence_given(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  checkin ck = open_checkin();
  checkin_report rep = report(CHECKIN_HELD, T0 + 2 * RP_DAY, 0);
  checkin_verdict v;
  rp_err e = {0};
  assert_int_equal(checkin_decide(&r, &ck, &rep, 14, &v, &e), RP_OK); /* tau 2.8 days */
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD);
  assert_int_equal(checkin_decide(&r, &ck, &rep, 7, &v, &e), RP_ERR_INVALID); /* tau 1.4 days */
  assert_one_field(&e, "/caused_by", "Say who caused it.");
  rep.caused_by = LEARNER;
  memset(&e, 0, sizeof e);
  assert_int_equal(checkin_decide(&r, &ck, &rep, 7, &v, &e), RP_OK);
  assert_int_equal(v.cls, CHECKIN_CLASS_HELD_LATE);
  assert_int_equal(v.late_s, 172800);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(outcome_and_class_names_round_trip),
      cmocka_unit_test(unknown_names_do_not_parse),
      cmocka_unit_test(tolerance_is_one_day_up_to_a_five_day_cadence),
      cmocka_unit_test(tolerance_is_a_fifth_of_longer_cadences),
      cmocka_unit_test(held_on_time_is_held_without_cause),
      cmocka_unit_test(held_exactly_tau_late_is_still_held),
      cmocka_unit_test(held_one_second_past_tau_is_held_late_with_lateness),
      cmocka_unit_test(held_early_beyond_tau_is_held),
      cmocka_unit_test(rescheduled_a_day_ahead_has_notice),
      cmocka_unit_test(rescheduled_one_second_short_of_a_day_is_late),
      cmocka_unit_test(rescheduled_after_the_time_keeps_negative_notice),
      cmocka_unit_test(cancelled_a_day_ahead_has_notice),
      cmocka_unit_test(cancelled_with_less_than_a_day_is_late),
      cmocka_unit_test(no_show_needs_a_cause_and_has_no_notice),
      cmocka_unit_test(mutual_cancel_has_no_cause_and_no_notice),
      cmocka_unit_test(scheduling_needs_an_active_relationship),
      cmocka_unit_test(scheduling_before_the_proposal_is_refused),
      cmocka_unit_test(outcomes_need_a_relationship_that_takes_them),
      cmocka_unit_test(a_second_outcome_is_refused),
      cmocka_unit_test(outcome_before_creation_is_refused_at_at),
      cmocka_unit_test(no_show_before_the_scheduled_time_is_refused),
      cmocka_unit_test(cause_is_required_for_cancel_reschedule_no_show_and_late_holding),
      cmocka_unit_test(cause_is_refused_for_held_on_time_and_mutual_cancel),
      cmocka_unit_test(cause_must_be_a_party),
      cmocka_unit_test(reschedule_needs_a_later_new_time),
      cmocka_unit_test(new_time_is_refused_for_other_outcomes),
      cmocka_unit_test(every_problem_of_a_report_is_listed),
      cmocka_unit_test(decision_classifies_with_the_cadence_given),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
