/* test_incident.c: incidents and repair plans (domain/incident.h): who may
 * acknowledge, what may be linked as amends, and when a plan closes with
 * which outcome. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/incident.h"

#define GUIDE 11
#define LEARNER 22
#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */
#define END (T0 + 56 * RP_DAY)

static const relationship rel = {
    .id = 5, .program_id = 1, .guide_id = GUIDE, .learner_id = LEARNER, .state = REL_ACTIVE};

static incident reported(void) {
  incident in = {.id = 1,
                 .relationship_id = 5,
                 .reporter_id = LEARNER,
                 .concerning_id = GUIDE,
                 .kind = INCIDENT_CONFIDENTIALITY,
                 .reported_at = T0 - RP_DAY};
  return in;
}

static repair_plan plan(void) {
  repair_plan p = {.id = 3,
                   .incident_id = 1,
                   .relationship_id = 5,
                   .party_id = GUIDE,
                   .opened_at = T0,
                   .follow_through_days = REPAIR_FOLLOW_THROUGH_DAYS,
                   .acknowledged = true};
  return p;
}

static commitment amend(commitment_state s, rp_time due, rp_time closed) {
  commitment cm = {.id = 40,
                   .relationship_id = 5,
                   .owner_id = GUIDE,
                   .created_at = T0,
                   .due_at = due,
                   .original_due_at = due,
                   .state = s,
                   .closed_at = closed};
  return cm;
}

static void only_the_party_concerned_may_acknowledge(void **state) {
  (void)state;
  incident in = reported();
  rp_err e = {0};
  assert_int_equal(incident_check_acknowledge(&rel, &in, LEARNER, &e), RP_ERR_FORBIDDEN);
  assert_string_equal(e.code, "not_concerned");
  rp_err_reset(&e);
  assert_int_equal(incident_check_acknowledge(&rel, &in, GUIDE, &e), RP_OK);
  in.acknowledged_at = T0;
  assert_int_equal(incident_check_acknowledge(&rel, &in, GUIDE, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "already_acknowledged");
  in.acknowledged_at = 0;
  in.resolved_at = T0;
  assert_int_equal(incident_check_acknowledge(&rel, &in, GUIDE, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "incident_resolved");
}

static void a_report_needs_a_party_and_a_text(void **state) {
  (void)state;
  rp_err e = {0};
  assert_int_equal(incident_check_new(&rel, GUIDE, 10, &e), RP_OK);
  assert_int_equal(incident_check_new(&rel, LEARNER, INCIDENT_TEXT_MAX, &e), RP_OK);
  assert_int_equal(incident_check_new(&rel, 99, 0, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/concerning_id");
  assert_string_equal(e.field[1].pointer, "/text");
  rp_err_reset(&e);
  assert_int_equal(incident_check_new(&rel, GUIDE, INCIDENT_TEXT_MAX + 1, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/text");
  relationship proposed = rel;
  proposed.state = REL_PROPOSED;
  rp_err_reset(&e);
  assert_int_equal(incident_check_new(&proposed, GUIDE, 10, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "relationship_state");
}

static void steps_may_not_predate_the_report(void **state) {
  (void)state;
  incident in = reported();
  rp_err e = {0};
  assert_int_equal(incident_check_at(&in, in.reported_at, &e), RP_OK);
  assert_int_equal(incident_check_at(&in, in.reported_at - 1, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/at");
  in.acknowledged_at = T0;
  rp_err_reset(&e);
  assert_int_equal(incident_check_at(&in, T0 - 1, &e), RP_ERR_INVALID);
}

static void state_names(void **state) {
  (void)state;
  incident in = reported();
  assert_string_equal(incident_state_name(incident_state_of(&in)), "reported");
  in.acknowledged_at = T0;
  assert_string_equal(incident_state_name(incident_state_of(&in)), "acknowledged");
  in.resolved_at = T0 + 1;
  assert_string_equal(incident_state_name(incident_state_of(&in)), "resolved");
  incident_kind k = INCIDENT_OTHER;
  assert_true(incident_kind_parse("judgment", &k));
  assert_int_equal(k, INCIDENT_JUDGMENT);
  assert_false(incident_kind_parse("gossip", &k));
}

static void amends_follow_the_acknowledgement_and_happen_once(void **state) {
  (void)state;
  repair_plan p = plan();
  rp_err e = {0};
  assert_int_equal(repair_check_amends(&rel, &p, &e), RP_OK);
  p.acknowledged = false;
  assert_int_equal(repair_check_amends(&rel, &p, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "not_acknowledged");
  p.acknowledged = true;
  p.amends_agreed_at = T0 + RP_DAY;
  assert_int_equal(repair_check_amends(&rel, &p, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "amends_agreed");
  p.amends_agreed_at = 0;
  p.outcome = REPAIR_ENDED_BY_PAIR;
  assert_int_equal(repair_check_amends(&rel, &p, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "plan_closed");
}

static void only_the_plans_party_acknowledges_in_it(void **state) {
  (void)state;
  repair_plan p = plan();
  p.acknowledged = false;
  rp_err e = {0};
  assert_int_equal(repair_check_acknowledge(&rel, &p, LEARNER, &e), RP_ERR_FORBIDDEN);
  assert_string_equal(e.code, "not_concerned");
  assert_int_equal(repair_check_acknowledge(&rel, &p, GUIDE, &e), RP_OK);
  p.acknowledged = true;
  assert_int_equal(repair_check_acknowledge(&rel, &p, GUIDE, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "already_acknowledged");
}

static void an_amend_is_an_open_commitment_of_the_party_due_in_the_period(void **state) {
  (void)state;
  repair_plan p = plan();
  rp_err e = {0};
  commitment ok = amend(COMMITMENT_OPEN, END, 0);
  assert_int_equal(repair_check_amend(&p, &ok, 0, &e), RP_OK);
  commitment late = amend(COMMITMENT_OPEN, END + 1, 0);
  assert_int_equal(repair_check_amend(&p, &late, 1, &e), RP_ERR_INVALID);
  commitment theirs = ok;
  theirs.owner_id = LEARNER;
  assert_int_equal(repair_check_amend(&p, &theirs, 2, &e), RP_ERR_INVALID);
  commitment kept = amend(COMMITMENT_KEPT, T0 + RP_DAY, T0 + RP_DAY);
  assert_int_equal(repair_check_amend(&p, &kept, 3, &e), RP_ERR_INVALID);
  commitment elsewhere = ok;
  elsewhere.relationship_id = 6;
  assert_int_equal(repair_check_amend(&p, &elsewhere, 4, &e), RP_ERR_INVALID);
  assert_int_equal(repair_check_amend(&p, NULL, 5, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 5);
  assert_string_equal(e.field[0].pointer, "/commitment_ids/1");
  assert_string_equal(e.field[4].pointer, "/commitment_ids/5");
}

static void a_plan_stays_open_during_its_period(void **state) {
  (void)state;
  repair_plan p = plan();
  repair_decision d;
  repair_decide(&p, NULL, 0, NULL, 0, END - 1, &d);
  assert_false(d.close);
}

static void a_clean_period_closes_repaired_at_its_end(void **state) {
  (void)state;
  repair_plan p = plan();
  commitment kept[2] = {amend(COMMITMENT_KEPT, T0 + 7 * RP_DAY, T0 + 6 * RP_DAY),
                        amend(COMMITMENT_KEPT_LATE, T0 + 14 * RP_DAY, T0 + 15 * RP_DAY)};
  repair_decision d;
  repair_decide(&p, kept, 2, NULL, 0, END + 3 * RP_HOUR, &d);
  assert_true(d.close);
  assert_int_equal(d.outcome, REPAIR_REPAIRED);
  assert_int_equal(d.at, END);
  assert_string_equal(repair_outcome_name(d.outcome), "repaired");
}

static void a_broken_amend_closes_not_repaired_at_the_end(void **state) {
  (void)state;
  repair_plan p = plan();
  commitment cms[2] = {amend(COMMITMENT_KEPT, T0 + 7 * RP_DAY, T0 + 6 * RP_DAY),
                       amend(COMMITMENT_BROKEN, T0 + 20 * RP_DAY, T0 + 21 * RP_DAY)};
  repair_decision d;
  repair_decide(&p, cms, 2, NULL, 0, END, &d);
  assert_true(d.close);
  assert_int_equal(d.outcome, REPAIR_NOT_REPAIRED);
  assert_int_equal(d.at, END);
}

static void an_open_amend_keeps_the_plan_waiting_until_it_settles(void **state) {
  (void)state;
  repair_plan p = plan();
  commitment cm = amend(COMMITMENT_OPEN, END - RP_HOUR, 0);
  repair_decision d;
  repair_decide(&p, &cm, 1, NULL, 0, END + RP_HOUR, &d);
  assert_false(d.close);
  cm.state = COMMITMENT_KEPT_LATE;
  cm.closed_at = END + 2 * RP_HOUR;
  repair_decide(&p, &cm, 1, NULL, 0, END + 3 * RP_HOUR, &d);
  assert_true(d.close);
  assert_int_equal(d.outcome, REPAIR_REPAIRED);
  assert_int_equal(d.at, END + 2 * RP_HOUR);
}

static void a_new_acknowledged_incident_fails_the_plan(void **state) {
  (void)state;
  repair_plan p = plan();
  incident again = reported();
  again.id = 2;
  again.reported_at = T0 + 30 * RP_DAY;
  again.acknowledged_at = END + RP_DAY;
  repair_decision d;
  repair_decide(&p, NULL, 0, &again, 1, END + 2 * RP_DAY, &d);
  assert_true(d.close);
  assert_int_equal(d.outcome, REPAIR_NOT_REPAIRED);
  assert_int_equal(d.at, END + RP_DAY);
}

static void an_unacknowledged_allegation_neither_passes_nor_fails_the_plan(void **state) {
  (void)state;
  repair_plan p = plan();
  incident again = reported();
  again.id = 2;
  again.reported_at = T0 + 30 * RP_DAY;
  repair_decision d;
  repair_decide(&p, NULL, 0, &again, 1, END + RP_DAY, &d);
  assert_false(d.close);
  again.resolved_at = END + 2 * RP_DAY;
  repair_decide(&p, NULL, 0, &again, 1, END + 3 * RP_DAY, &d);
  assert_true(d.close);
  assert_int_equal(d.outcome, REPAIR_REPAIRED);
  assert_int_equal(d.at, END + 2 * RP_DAY);
}

static void incidents_outside_the_period_or_about_others_do_not_count(void **state) {
  (void)state;
  repair_plan p = plan();
  incident others[3] = {reported(), reported(), reported()};
  others[0].acknowledged_at = T0; /* the plan's own incident */
  others[1].id = 7;
  others[1].reported_at = END + 1; /* after the period */
  others[2].id = 8;
  others[2].concerning_id = LEARNER; /* about the other party */
  others[2].reported_at = T0 + RP_DAY;
  others[2].acknowledged_at = T0 + 2 * RP_DAY;
  repair_decision d;
  repair_decide(&p, NULL, 0, others, 3, END, &d);
  assert_true(d.close);
  assert_int_equal(d.outcome, REPAIR_REPAIRED);
}

static void a_closed_plan_is_never_decided_again(void **state) {
  (void)state;
  repair_plan p = plan();
  p.outcome = REPAIR_ENDED_BY_PAIR;
  p.closed_at = T0 + RP_DAY;
  repair_decision d;
  repair_decide(&p, NULL, 0, NULL, 0, END + RP_DAY, &d);
  assert_false(d.close);
  rp_err e = {0};
  assert_int_equal(repair_check_close(&p, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "plan_closed");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(only_the_party_concerned_may_acknowledge),
      cmocka_unit_test(a_report_needs_a_party_and_a_text),
      cmocka_unit_test(steps_may_not_predate_the_report),
      cmocka_unit_test(state_names),
      cmocka_unit_test(amends_follow_the_acknowledgement_and_happen_once),
      cmocka_unit_test(only_the_plans_party_acknowledges_in_it),
      cmocka_unit_test(an_amend_is_an_open_commitment_of_the_party_due_in_the_period),
      cmocka_unit_test(a_plan_stays_open_during_its_period),
      cmocka_unit_test(a_clean_period_closes_repaired_at_its_end),
      cmocka_unit_test(a_broken_amend_closes_not_repaired_at_the_end),
      cmocka_unit_test(an_open_amend_keeps_the_plan_waiting_until_it_settles),
      cmocka_unit_test(a_new_acknowledged_incident_fails_the_plan),
      cmocka_unit_test(an_unacknowledged_allegation_neither_passes_nor_fails_the_plan),
      cmocka_unit_test(incidents_outside_the_period_or_about_others_do_not_count),
      cmocka_unit_test(a_closed_plan_is_never_decided_again),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
