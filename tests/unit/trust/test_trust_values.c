/* test_trust_values.c: the evidence value tables of TRUST-MODEL.md 3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"

#include <string.h>

#include "trust/gas.h"
#include "trust/trust_values.h"

#define DAY 86400
#define HOUR 3600
#define T0 ((int64_t)1767225600)

static void expect1(size_t n, const trust_ev *ev, trust_comp c, trust_source src, trust_reason r,
                    double v, double w) {
  assert_int_equal(n, 1);
  assert_int_equal(ev->comp, c);
  assert_int_equal(ev->source, src);
  assert_int_equal(ev->reason, r);
  assert_near(ev->v, v, 1e-15);
  assert_near(ev->w, w, 1e-15);
}

static void checkin_table(void **state) {
  (void)state;
  static const struct {
    trust_checkin_class c;
    trust_reason r;
    double v, w;
  } rows[] = {
      {TRUST_CHECKIN_HELD, TRUST_R_CHECKIN_HELD, 1, 1},
      {TRUST_CHECKIN_HELD_LATE, TRUST_R_CHECKIN_HELD_LATE, 0.5, 1},
      {TRUST_CHECKIN_RESCHEDULED_WITH_NOTICE, TRUST_R_CHECKIN_RESCHEDULED_WITH_NOTICE, 0.75, 1},
      {TRUST_CHECKIN_RESCHEDULED_LATE, TRUST_R_CHECKIN_RESCHEDULED_LATE, 0, 1},
      {TRUST_CHECKIN_CANCELLED_WITH_NOTICE, TRUST_R_CHECKIN_CANCELLED_WITH_NOTICE, 0.5, 1},
      {TRUST_CHECKIN_CANCELLED_LATE, TRUST_R_CHECKIN_CANCELLED_LATE, 0, 1},
      {TRUST_CHECKIN_NO_SHOW, TRUST_R_CHECKIN_NO_SHOW, 0, 2},
  };
  trust_ev ev[TRUST_EV_MAX];
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    expect1(trust_checkin_evidence(rows[i].c, ev), ev, TRUST_REL, TRUST_SRC_BEHAVIOUR, rows[i].r,
            rows[i].v, rows[i].w);
  assert_int_equal(trust_checkin_evidence(TRUST_CHECKIN_MUTUAL_CANCEL, ev), 0);
}

static void only_a_held_checkin_is_about_both_parties(void **state) {
  (void)state;
  for (int c = 0; c < TRUST_CHECKIN_NCLASS; c++)
    assert_int_equal(trust_checkin_about_both((trust_checkin_class)c), c == TRUST_CHECKIN_HELD);
}

static void late_cancellations_are_late_cancels_late_reschedules_and_no_shows(void **state) {
  (void)state;
  assert_true(trust_checkin_is_late_cancel(TRUST_CHECKIN_CANCELLED_LATE));
  assert_true(trust_checkin_is_late_cancel(TRUST_CHECKIN_RESCHEDULED_LATE));
  assert_true(trust_checkin_is_late_cancel(TRUST_CHECKIN_NO_SHOW));
  assert_false(trust_checkin_is_late_cancel(TRUST_CHECKIN_CANCELLED_WITH_NOTICE));
  assert_false(trust_checkin_is_late_cancel(TRUST_CHECKIN_HELD_LATE));
  assert_false(trust_checkin_is_late_cancel(TRUST_CHECKIN_MUTUAL_CANCEL));
}

static void checkin_items_about_both_or_the_causer(void **state) {
  (void)state;
  trust_item it[2 * TRUST_EV_MAX];
  assert_int_equal(trust_checkin_items(TRUST_CHECKIN_HELD, -1, 1000, 7, it), 2);
  assert_int_equal(it[0].about, TRUST_GUIDE);
  assert_int_equal(it[1].about, TRUST_LEARNER);
  assert_near(it[1].v, 1, 0);
  assert_int_equal(it[1].t, 1000);
  assert_int_equal(it[1].source_id, 7);
  assert_int_equal(trust_checkin_items(TRUST_CHECKIN_NO_SHOW, TRUST_LEARNER, 1000, 7, it), 1);
  assert_int_equal(it[0].about, TRUST_LEARNER);
  assert_near(it[0].w, 2, 0);
  assert_int_equal(trust_checkin_items(TRUST_CHECKIN_CANCELLED_LATE, -1, 1000, 7, it), 0);
  assert_int_equal(trust_checkin_items(TRUST_CHECKIN_MUTUAL_CANCEL, TRUST_GUIDE, 1000, 7, it), 0);
}

static void checkin_class_names_round_trip(void **state) {
  (void)state;
  static const char *names[] = {"held", "held_late", "rescheduled_with_notice", "rescheduled_late",
                                "cancelled_with_notice", "cancelled_late", "no_show", "mutual_cancel"};
  for (int c = 0; c < TRUST_CHECKIN_NCLASS; c++) {
    trust_checkin_class got;
    assert_string_equal(trust_checkin_class_name((trust_checkin_class)c), names[c]);
    assert_true(trust_checkin_class_parse(names[c], &got));
    assert_int_equal(got, c);
  }
  trust_checkin_class got;
  assert_false(trust_checkin_class_parse("cancelled", &got));
}

static void tolerance_is_a_day_or_a_fifth_of_the_cadence(void **state) {
  (void)state;
  assert_int_equal(trust_checkin_tolerance_s(1), DAY);
  assert_int_equal(trust_checkin_tolerance_s(5), DAY);
  assert_int_equal(trust_checkin_tolerance_s(14), 241920); /* 2.8 days */
  assert_int_equal(trust_checkin_tolerance_s(7.5), 129600);  /* 1.5 days */
  assert_int_equal(trust_checkin_tolerance_s(30), 6 * DAY);
}

static void gap_ratio_counts_cadences_since_the_last_held(void **state) {
  (void)state;
  assert_near(trust_gap_ratio(T0 + 21 * DAY, T0, 14), 1.5, 1e-15);
  assert_near(trust_gap_ratio(T0 + 28 * DAY, T0, 14), 2.0, 1e-15);
  assert_near(trust_gap_ratio(T0 - DAY, T0, 14), 0.0, 0);
}

static void commitment_table(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  expect1(trust_commitment_evidence(TRUST_COMMIT_KEPT, T0, T0 + 10 * DAY, T0 + 9 * DAY, ev), ev,
          TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_KEPT, 1, 1);
  /* 10 days given, kept 2.5 days late: 1 - 0.25. */
  expect1(trust_commitment_evidence(TRUST_COMMIT_KEPT_LATE, T0, T0 + 10 * DAY,
                                    T0 + 12 * DAY + 12 * HOUR, ev),
          ev, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_KEPT_LATE, 0.75, 1);
  expect1(trust_commitment_evidence(TRUST_COMMIT_BROKEN, T0, T0 + DAY, T0 + 2 * DAY, ev), ev,
          TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_COMMITMENT_BROKEN, 0, 1);
  assert_int_equal(trust_commitment_evidence(TRUST_COMMIT_DROPPED, T0, T0 + DAY, T0, ev), 0);
}

static void renegotiation_gives_rel_and_an_int_item(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  assert_int_equal(trust_commitment_evidence(TRUST_COMMIT_RENEGOTIATED, T0, T0 + DAY, T0, ev), 2);
  assert_int_equal(ev[0].comp, TRUST_REL);
  assert_near(ev[0].v, 0.75, 0);
  assert_near(ev[0].w, 1, 0);
  assert_int_equal(ev[1].comp, TRUST_INT);
  assert_int_equal(ev[1].reason, TRUST_R_COMMITMENT_RENEGOTIATED_OPENLY);
  assert_near(ev[1].v, 1, 0);
  assert_near(ev[1].w, 0.5, 0);
}

static void kept_late_value_edges(void **state) {
  (void)state;
  assert_near(trust_kept_late_value(T0, T0 + 10 * DAY, T0 + 10 * DAY), 1, 0);
  assert_near(trust_kept_late_value(T0, T0 + 10 * DAY, T0 + 20 * DAY), 0, 0);
  assert_near(trust_kept_late_value(T0, T0 + 10 * DAY, T0 + 30 * DAY), 0, 0);
  assert_near(trust_kept_late_value(T0, T0 + 4 * DAY, T0 + 5 * DAY), 0.75, 1e-15);
  assert_near(trust_kept_late_value(T0, T0, T0 + 1), 0, 0);
}

static void commit_class_names_round_trip(void **state) {
  (void)state;
  static const char *names[] = {"kept", "kept_late", "renegotiated", "broken", "dropped"};
  for (int c = 0; c < TRUST_COMMIT_NCLASS; c++) {
    trust_commit_class got;
    assert_string_equal(trust_commit_class_name((trust_commit_class)c), names[c]);
    assert_true(trust_commit_class_parse(names[c], &got));
    assert_int_equal(got, c);
  }
}

static void reply_classes_follow_q(void **state) {
  (void)state;
  const double R = 48;
  assert_int_equal(trust_reply_classify(T0, true, T0 + 48 * HOUR, T0 + 99 * DAY, R), TRUST_REPLY_ON_TIME);
  assert_int_equal(trust_reply_classify(T0, true, T0 + 48 * HOUR + 1, T0 + 99 * DAY, R), TRUST_REPLY_LATE);
  assert_int_equal(trust_reply_classify(T0, true, T0 + 96 * HOUR, T0 + 99 * DAY, R), TRUST_REPLY_LATE);
  assert_int_equal(trust_reply_classify(T0, true, T0 + 96 * HOUR + 1, T0 + 99 * DAY, R), TRUST_REPLY_VERY_LATE);
  assert_int_equal(trust_reply_classify(T0, true, T0 + 144 * HOUR, T0 + 99 * DAY, R), TRUST_REPLY_VERY_LATE);
  assert_int_equal(trust_reply_classify(T0, true, T0 + 144 * HOUR + 1, T0 + 99 * DAY, R), TRUST_REPLY_NONE);
  assert_int_equal(trust_reply_classify(T0, false, 0, T0 + 144 * HOUR, R), TRUST_REPLY_PENDING);
  assert_int_equal(trust_reply_classify(T0, false, 0, T0 + 144 * HOUR + 1, R), TRUST_REPLY_NONE);
  assert_int_equal(trust_reply_classify(T0, true, T0 + 30 * HOUR, T0 + 99 * DAY, 24), TRUST_REPLY_LATE);
}

static void reply_table(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  expect1(trust_reply_evidence(TRUST_REPLY_ON_TIME, ev), ev, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_REPLY_ON_TIME, 1, 1);
  expect1(trust_reply_evidence(TRUST_REPLY_LATE, ev), ev, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_REPLY_LATE, 0.5, 1);
  expect1(trust_reply_evidence(TRUST_REPLY_VERY_LATE, ev), ev, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_REPLY_VERY_LATE, 0, 1);
  expect1(trust_reply_evidence(TRUST_REPLY_NONE, ev), ev, TRUST_REL, TRUST_SRC_BEHAVIOUR, TRUST_R_NO_REPLY, 0, 2);
  assert_int_equal(trust_reply_evidence(TRUST_REPLY_PENDING, ev), 0);
  assert_string_equal(trust_reply_class_name(TRUST_REPLY_NONE), "no_reply");
}

static void feedback_table(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  expect1(trust_feedback_evidence(TRUST_FEEDBACK_RECOGNITION, TRUST_FOCUS_PERSON, TRUST_LEARNER, ev), ev,
          TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_RECOGNITION, 1, 0.5);
  expect1(trust_feedback_evidence(TRUST_FEEDBACK_CONSTRUCTIVE, TRUST_FOCUS_TASK, TRUST_GUIDE, ev), ev,
          TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_CONSTRUCTIVE_TASK, 0.75, 0.5);
  expect1(trust_feedback_evidence(TRUST_FEEDBACK_CONSTRUCTIVE, TRUST_FOCUS_PERSON, TRUST_GUIDE, ev), ev,
          TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_CONSTRUCTIVE_PERSON, 0.25, 0.5);
  expect1(trust_feedback_evidence(TRUST_FEEDBACK_ASK, TRUST_FOCUS_TASK, TRUST_GUIDE, ev), ev,
          TRUST_EMP, TRUST_SRC_BEHAVIOUR, TRUST_R_FEEDBACK_ASKED, 1, 0.5);
  assert_int_equal(trust_feedback_evidence(TRUST_FEEDBACK_ASK, TRUST_FOCUS_TASK, TRUST_LEARNER, ev), 0);
}

static void goal_review_gives_com_from_the_gas_t_score(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  const double w[] = {2, 1, 1};
  const int x[] = {-1, 0, 1}; /* T = 46.67: the weightier goal short */
  double t = trust_gas_t(w, x, 3, TRUST_GAS_RHO);
  expect1(trust_goal_review_evidence(t, ev), ev, TRUST_COM, TRUST_SRC_BEHAVIOUR, TRUST_R_GOAL_REVIEW,
          (t - 30) / 20, 1);
  assert_near(ev[0].v, 5.0 / 6, 1e-12);
  trust_goal_review_evidence(50, ev); /* the expected outcome: a success */
  assert_near(ev[0].v, 1, 0);
  trust_goal_review_evidence(25, ev);
  assert_near(ev[0].v, 0, 0);
  trust_goal_review_evidence(75, ev);
  assert_near(ev[0].v, 1, 0);
}

static void incident_table(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  assert_int_equal(trust_incident_evidence(TRUST_INCIDENT_REPORTED, ev), 0);
  expect1(trust_incident_evidence(TRUST_INCIDENT_CONFIRMED, ev), ev, TRUST_INT, TRUST_SRC_BEHAVIOUR,
          TRUST_R_INCIDENT_CONFIRMED, 0, 5);
  expect1(trust_incident_evidence(TRUST_INCIDENT_REPAIR_ACKNOWLEDGED, ev), ev, TRUST_INT,
          TRUST_SRC_BEHAVIOUR, TRUST_R_REPAIR_ACKNOWLEDGED, 1, 0.5);
  expect1(trust_incident_evidence(TRUST_INCIDENT_REPAIR_AMENDS_AGREED, ev), ev, TRUST_INT,
          TRUST_SRC_BEHAVIOUR, TRUST_R_REPAIR_AMENDS_AGREED, 1, 0.5);
  assert_true(trust_incident_caps_int(TRUST_INCIDENT_CONFIDENTIALITY));
  assert_false(trust_incident_caps_int(TRUST_INCIDENT_BIAS));
  assert_false(trust_incident_caps_int(TRUST_INCIDENT_JUDGMENT));
  assert_false(trust_incident_caps_int(TRUST_INCIDENT_OTHER));
}

static void confirmed_incident_adds_10_to_s(void **state) {
  (void)state;
  trust_ev ev[TRUST_EV_MAX];
  trust_incident_evidence(TRUST_INCIDENT_CONFIRMED, ev);
  trust_item it = trust_ev_item(&ev[0], TRUST_GUIDE, T0, 42);
  trust_settings cfg = trust_settings_default();
  trust_rs d = trust_item_increment(&it, &cfg);
  assert_near(d.r, 0, 0);
  assert_near(d.s, 10, 0);
  assert_int_equal(it.source_id, 42);
  assert_int_equal(it.t, T0);
  assert_int_equal(it.about, TRUST_GUIDE);
  assert_true(trust_item_valid(&it));
}

static void pulse_answers_map_to_quarters_with_weight_2(void **state) {
  (void)state;
  static const trust_comp comps[7] = {TRUST_REL, TRUST_REL, TRUST_INT, TRUST_INT,
                                      TRUST_COM, TRUST_EMP, TRUST_EMP};
  static const char *names[7] = {"REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2"};
  trust_ev ev[TRUST_EV_MAX];
  for (int i = 0; i < TRUST_PULSE_NITEM; i++) {
    trust_pulse_item got;
    assert_string_equal(trust_pulse_item_name((trust_pulse_item)i), names[i]);
    assert_true(trust_pulse_item_parse(names[i], &got));
    assert_int_equal(got, i);
    assert_int_equal(trust_pulse_item_comp((trust_pulse_item)i), comps[i]);
    for (int x = 1; x <= 5; x++)
      expect1(trust_pulse_evidence((trust_pulse_item)i, x, ev), ev, comps[i], TRUST_SRC_PULSE,
              (trust_reason)(TRUST_R_PULSE_REL1 + i), (x - 1) / 4.0, 2);
    assert_int_equal(trust_pulse_evidence((trust_pulse_item)i, TRUST_PULSE_SKIPPED, ev), 0);
    assert_int_equal(trust_pulse_evidence((trust_pulse_item)i, 6, ev), 0);
  }
}

/* Calibration 15 (docs/trust-model.md): each rater read against their own
 * usual level, by at most half a step. */
static void pulse_answers_are_read_against_the_raters_own_level(void **state) {
  (void)state;
  /* The shift puts the rater's usual level at the program's. */
  assert_near(trust_pulse_rater_shift(4.75, 3, 4.5, 40), -0.25, 1e-15);
  assert_near(trust_pulse_rater_shift(4.0, 1, 4.25, 10), 0.25, 1e-15);
  /* Capped at half a step either way: a level far off is not style. */
  assert_near(trust_pulse_rater_shift(3.5, 2, 4.25, 40), 0.5, 1e-15);
  assert_near(trust_pulse_rater_shift(5.0, 2, 4.25, 40), -0.5, 1e-15);
  assert_near(trust_pulse_rater_shift(2.0, 5, 4.5, 40), 0.5, 1e-15);
  /* A first pulse is taken at its word; so is every pulse of a program
   * with fewer than 10 earlier pulses. */
  assert_near(trust_pulse_rater_shift(0, 0, 4.25, 40), 0, 0);
  assert_near(trust_pulse_rater_shift(4.75, 3, 4.25, 9), 0, 0);
  assert_int_equal(TRUST_PULSE_PROGRAM_MIN, 10);
  trust_ev ev[TRUST_EV_MAX];
  /* v = clamp((x + shift - 1) / 4, 0, 1), weight 2, as the unshifted answer. */
  expect1(trust_pulse_evidence_shifted(TRUST_PULSE_REL1, 4, -0.25, ev), ev, TRUST_REL,
          TRUST_SRC_PULSE, TRUST_R_PULSE_REL1, 0.6875, 2);
  expect1(trust_pulse_evidence_shifted(TRUST_PULSE_EMP2, 3, 0.5, ev), ev, TRUST_EMP,
          TRUST_SRC_PULSE, TRUST_R_PULSE_EMP2, 0.625, 2);
  expect1(trust_pulse_evidence_shifted(TRUST_PULSE_COM1, 5, 0.5, ev), ev, TRUST_COM,
          TRUST_SRC_PULSE, TRUST_R_PULSE_COM1, 1, 2);
  expect1(trust_pulse_evidence_shifted(TRUST_PULSE_INT2, 1, -0.5, ev), ev, TRUST_INT,
          TRUST_SRC_PULSE, TRUST_R_PULSE_INT2, 0, 2);
  expect1(trust_pulse_evidence_shifted(TRUST_PULSE_INT1, 5, -0.5, ev), ev, TRUST_INT,
          TRUST_SRC_PULSE, TRUST_R_PULSE_INT1, 0.875, 2);
  for (int x = 1; x <= 5; x++) {
    trust_ev plain[TRUST_EV_MAX];
    assert_int_equal(trust_pulse_evidence_shifted(TRUST_PULSE_REL2, x, 0, ev), 1);
    assert_int_equal(trust_pulse_evidence(TRUST_PULSE_REL2, x, plain), 1);
    assert_true(ev[0].v == plain[0].v);
  }
  assert_int_equal(trust_pulse_evidence_shifted(TRUST_PULSE_REL1, TRUST_PULSE_SKIPPED, 0.5, ev), 0);
  assert_int_equal(trust_pulse_evidence_shifted(TRUST_PULSE_REL1, 6, -0.5, ev), 0);
}

static void every_reason_has_a_name_and_a_sentence(void **state) {
  (void)state;
  int named = 0;
  for (int r = 1; r < 128; r++) {
    const char *name = trust_reason_name((trust_reason)r);
    if (strcmp(name, "?") == 0) continue;
    named++;
    assert_true(strlen(trust_reason_sentence((trust_reason)r)) > 10);
  }
  assert_int_equal(named, 31);
  assert_string_equal(trust_reason_name(TRUST_R_CHECKIN_NO_SHOW), "checkin_no_show");
  assert_string_equal(trust_reason_name(TRUST_R_NONE), "?");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(checkin_table),
      cmocka_unit_test(only_a_held_checkin_is_about_both_parties),
      cmocka_unit_test(late_cancellations_are_late_cancels_late_reschedules_and_no_shows),
      cmocka_unit_test(checkin_class_names_round_trip),
      cmocka_unit_test(checkin_items_about_both_or_the_causer),
      cmocka_unit_test(tolerance_is_a_day_or_a_fifth_of_the_cadence),
      cmocka_unit_test(gap_ratio_counts_cadences_since_the_last_held),
      cmocka_unit_test(commitment_table),
      cmocka_unit_test(renegotiation_gives_rel_and_an_int_item),
      cmocka_unit_test(kept_late_value_edges),
      cmocka_unit_test(commit_class_names_round_trip),
      cmocka_unit_test(reply_classes_follow_q),
      cmocka_unit_test(reply_table),
      cmocka_unit_test(feedback_table),
      cmocka_unit_test(goal_review_gives_com_from_the_gas_t_score),
      cmocka_unit_test(incident_table),
      cmocka_unit_test(confirmed_incident_adds_10_to_s),
      cmocka_unit_test(pulse_answers_map_to_quarters_with_weight_2),
      cmocka_unit_test(pulse_answers_are_read_against_the_raters_own_level),
      cmocka_unit_test(every_reason_has_a_name_and_a_sentence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
