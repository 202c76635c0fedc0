/* test_commitment.c: commitment outcomes and the automatic break
 * (domain/commitment.h, TRUST-MODEL.md 3.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/commitment.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */
#define GUIDE 11
#define LEARNER 22
#define STRANGER 33

static relationship rel_in(rel_state s) {
  relationship r;
  memset(&r, 0, sizeof r);
  r.id = 5;
  r.guide_id = GUIDE;
  r.learner_id = LEARNER;
  r.state = s;
  r.proposed_at = T0 - 30 * RP_DAY;
  return r;
}

/* Made at T0 - 7 days by the learner, due at T0, open. */
static commitment open_commitment(void) {
  commitment cm;
  memset(&cm, 0, sizeof cm);
  cm.id = 3;
  cm.relationship_id = 5;
  cm.owner_id = LEARNER;
  cm.created_by = LEARNER;
  cm.created_at = T0 - 7 * RP_DAY;
  cm.due_at = T0;
  cm.original_due_at = T0;
  cm.state = COMMITMENT_OPEN;
  return cm;
}

/* commitment_decide on an active relationship for the open commitment. */
static rp_rc decide(commitment_outcome o, rp_time at, const rp_time *new_due,
                    commitment_decision *d, rp_err *e) {
  relationship r = rel_in(REL_ACTIVE);
  commitment cm = open_commitment();
  memset(e, 0, sizeof *e);
  return commitment_decide(&r, &cm, o, at, new_due, d, e);
}

static void assert_one_field(const rp_err *e, const char *pointer, const char *detail) {
  assert_int_equal(e->rc, RP_ERR_INVALID);
  assert_int_equal(e->nfield, 1);
  assert_string_equal(e->field[0].pointer, pointer);
  if (detail) assert_string_equal(e->field[0].detail, detail);
}

/* ---- names ---- */

static void state_and_outcome_names_round_trip(void **state) {
  (void)state;
  static const char *const states[] = {"open", "kept", "kept_late", "broken", "dropped"};
  static const char *const outcomes[] = {"kept", "renegotiated", "broken", "dropped"};
  for (int i = 0; i < COMMITMENT_STATE_COUNT; i++) {
    commitment_state s;
    assert_string_equal(commitment_state_name((commitment_state)i), states[i]);
    assert_true(commitment_state_parse(states[i], &s));
    assert_int_equal(s, i);
  }
  for (int i = 0; i < COMMITMENT_OUTCOME_COUNT; i++) {
    commitment_outcome o;
    assert_string_equal(commitment_outcome_name((commitment_outcome)i), outcomes[i]);
    assert_true(commitment_outcome_parse(outcomes[i], &o));
    assert_int_equal(o, i);
  }
  commitment_state s;
  commitment_outcome o;
  assert_false(commitment_state_parse("renegotiated", &s));
  assert_false(commitment_state_parse(NULL, &s));
  assert_false(commitment_outcome_parse("kept_late", &o));
  assert_false(commitment_outcome_parse(NULL, &o));
}

/* ---- adding ---- */

static void adding_needs_an_active_relationship(void **state) {
  (void)state;
  static const rel_state refused[] = {REL_PROPOSED, REL_PAUSED,   REL_COMPLETED,
                                      REL_ALUMNI,   REL_DECLINED, REL_ENDED};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    relationship r = rel_in(refused[i]);
    rp_err e = {0};
    assert_int_equal(commitment_check_new(&r, GUIDE, 10, T0, T0 + RP_DAY, &e), RP_ERR_CONFLICT);
    assert_string_equal(e.code, "relationship_state");
  }
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(commitment_check_new(&r, GUIDE, 10, T0, T0 + RP_DAY, &e), RP_OK);
  assert_int_equal(commitment_check_new(&r, LEARNER, 10, T0, T0 + RP_DAY, &e), RP_OK);
}

static void owner_must_be_a_party(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(commitment_check_new(&r, STRANGER, 10, T0, T0 + RP_DAY, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/owner_id", "Must be the guide or the learner.");
}

static void text_must_have_1_to_2000_bytes(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(commitment_check_new(&r, GUIDE, 0, T0, T0 + RP_DAY, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/text", NULL);
  memset(&e, 0, sizeof e);
  assert_int_equal(commitment_check_new(&r, GUIDE, 2001, T0, T0 + RP_DAY, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/text", NULL);
  memset(&e, 0, sizeof e);
  assert_int_equal(commitment_check_new(&r, GUIDE, 2000, T0, T0 + RP_DAY, &e), RP_OK);
}

static void due_time_must_be_after_the_making(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(commitment_check_new(&r, GUIDE, 5, T0, T0, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/due_at", NULL);
  memset(&e, 0, sizeof e);
  assert_int_equal(commitment_check_new(&r, GUIDE, 5, T0, T0 - 1, &e), RP_ERR_INVALID);
  memset(&e, 0, sizeof e);
  assert_int_equal(commitment_check_new(&r, GUIDE, 5, T0, T0 + 1, &e), RP_OK);
}

static void every_problem_of_a_new_commitment_is_listed(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(commitment_check_new(&r, STRANGER, 0, T0, T0, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 3);
  assert_string_equal(e.field[0].pointer, "/owner_id");
  assert_string_equal(e.field[1].pointer, "/text");
  assert_string_equal(e.field[2].pointer, "/due_at");
}

/* ---- outcomes ---- */

static void kept_by_the_due_time_is_kept(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  assert_int_equal(decide(COMMITMENT_OUT_KEPT, T0, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_KEPT);
  assert_false(d.renegotiates);
  assert_int_equal(decide(COMMITMENT_OUT_KEPT, T0 - 7 * RP_DAY, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_KEPT);
}

static void kept_after_the_due_time_is_kept_late(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  assert_int_equal(decide(COMMITMENT_OUT_KEPT, T0 + 1, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_KEPT_LATE);
  assert_int_equal(decide(COMMITMENT_OUT_KEPT, T0 + 5 * RP_DAY, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_KEPT_LATE);
}

static void broken_and_dropped_close_at_any_time(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  assert_int_equal(decide(COMMITMENT_OUT_BROKEN, T0 - RP_DAY, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_BROKEN);
  assert_int_equal(decide(COMMITMENT_OUT_BROKEN, T0 + RP_DAY, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_BROKEN);
  assert_int_equal(decide(COMMITMENT_OUT_DROPPED, T0 - RP_DAY, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_DROPPED);
  assert_int_equal(decide(COMMITMENT_OUT_DROPPED, T0 + RP_DAY, NULL, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_DROPPED);
}

static void renegotiation_before_the_due_time_moves_it(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  rp_time nd = T0 + 3 * RP_DAY;
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0 - 1, &nd, &d, &e), RP_OK);
  assert_int_equal(d.to, COMMITMENT_OPEN);
  assert_true(d.renegotiates);
  assert_int_equal(d.new_due_at, T0 + 3 * RP_DAY);
  nd = T0 - RP_HOUR; /* earlier is allowed, if still after the renegotiation */
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0 - RP_DAY, &nd, &d, &e), RP_OK);
  assert_int_equal(d.new_due_at, T0 - RP_HOUR);
}

static void renegotiation_at_or_after_the_due_time_is_past_due(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  rp_time nd = T0 + 3 * RP_DAY;
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0, &nd, &d, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "past_due");
  assert_string_equal(e.detail,
                      "The due time has passed. Record it as kept late, broken or dropped.");
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0 + RP_HOUR, &nd, &d, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "past_due");
}

static void renegotiation_needs_a_new_due_time_after_it(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0 - RP_DAY, NULL, &d, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_due_at", "Say when the commitment is now due.");
  rp_time nd = T0 - RP_DAY;
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0 - RP_DAY, &nd, &d, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_due_at", "The new due time must be after the time of renegotiation.");
  nd = T0;
  assert_int_equal(decide(COMMITMENT_OUT_RENEGOTIATED, T0 - RP_DAY, &nd, &d, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/new_due_at", "The new due time must differ from the current one.");
}

static void new_due_time_is_refused_for_other_outcomes(void **state) {
  (void)state;
  static const commitment_outcome others[] = {COMMITMENT_OUT_KEPT, COMMITMENT_OUT_BROKEN,
                                              COMMITMENT_OUT_DROPPED};
  rp_time nd = T0 + RP_DAY;
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    commitment_decision d;
    rp_err e;
    assert_int_equal(decide(others[i], T0 - RP_HOUR, &nd, &d, &e), RP_ERR_INVALID);
    assert_one_field(&e, "/new_due_at", NULL);
  }
}

static void outcome_before_the_making_is_refused_at_at(void **state) {
  (void)state;
  commitment_decision d;
  rp_err e;
  assert_int_equal(decide(COMMITMENT_OUT_KEPT, T0 - 7 * RP_DAY - 1, NULL, &d, &e), RP_ERR_INVALID);
  assert_one_field(&e, "/at", NULL);
}

static void closed_commitments_take_no_outcome(void **state) {
  (void)state;
  static const commitment_state closed[] = {COMMITMENT_KEPT, COMMITMENT_KEPT_LATE,
                                            COMMITMENT_BROKEN, COMMITMENT_DROPPED};
  relationship r = rel_in(REL_ACTIVE);
  for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
    for (int o = 0; o < COMMITMENT_OUTCOME_COUNT; o++) {
      commitment cm = open_commitment();
      cm.state = closed[i];
      commitment_decision d;
      rp_err e = {0};
      rp_time nd = T0 + RP_DAY;
      assert_int_equal(commitment_decide(&r, &cm, (commitment_outcome)o, T0 - RP_HOUR,
                                         o == COMMITMENT_OUT_RENEGOTIATED ? &nd : NULL, &d, &e),
                       RP_ERR_CONFLICT);
      assert_string_equal(e.code, "commitment_closed");
    }
  }
}

static void outcomes_need_a_relationship_that_takes_them(void **state) {
  (void)state;
  static const rel_state refused[] = {REL_PROPOSED, REL_ALUMNI, REL_DECLINED, REL_ENDED};
  static const rel_state allowed[] = {REL_ACTIVE, REL_PAUSED, REL_COMPLETED};
  commitment cm = open_commitment();
  commitment_decision d;
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    relationship r = rel_in(refused[i]);
    rp_err e = {0};
    assert_int_equal(commitment_decide(&r, &cm, COMMITMENT_OUT_KEPT, T0, NULL, &d, &e),
                     RP_ERR_CONFLICT);
    assert_string_equal(e.code, "relationship_state");
  }
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    relationship r = rel_in(allowed[i]);
    rp_err e = {0};
    assert_int_equal(commitment_decide(&r, &cm, COMMITMENT_OUT_KEPT, T0, NULL, &d, &e), RP_OK);
  }
}

/* ---- the automatic break ---- */

static void break_time_is_a_day_after_the_due_time(void **state) {
  (void)state;
  assert_int_equal(commitment_break_time(T0), T0 + 86400);
  assert_int_equal(commitment_break_cutoff(T0 + 86400), T0);
}

static void open_commitment_is_due_for_break_a_day_after_its_due_time(void **state) {
  (void)state;
  commitment cm = open_commitment();
  assert_false(commitment_due_for_break(&cm, T0));
  assert_false(commitment_due_for_break(&cm, T0 + 86399));
  assert_true(commitment_due_for_break(&cm, T0 + 86400));
  assert_true(commitment_due_for_break(&cm, T0 + 30 * RP_DAY));
  /* The cutoff and the predicate agree at the boundary. */
  assert_true(cm.due_at <= commitment_break_cutoff(T0 + 86400));
  assert_false(cm.due_at <= commitment_break_cutoff(T0 + 86399));
}

static void closed_commitment_is_never_due_for_break(void **state) {
  (void)state;
  static const commitment_state closed[] = {COMMITMENT_KEPT, COMMITMENT_KEPT_LATE,
                                            COMMITMENT_BROKEN, COMMITMENT_DROPPED};
  for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
    commitment cm = open_commitment();
    cm.state = closed[i];
    assert_false(commitment_due_for_break(&cm, T0 + 30 * RP_DAY));
  }
}

static void automatic_break_is_told_from_a_party_breaking_it(void **state) {
  (void)state;
  commitment cm = open_commitment();
  cm.state = COMMITMENT_BROKEN;
  cm.closed_at = T0 + 86400;
  cm.closed_by = 0;
  assert_true(commitment_broken_automatically(&cm));
  cm.closed_by = LEARNER;
  assert_false(commitment_broken_automatically(&cm));
  cm.closed_by = 0;
  cm.closed_at = T0 + 3600;
  assert_false(commitment_broken_automatically(&cm));
  cm.closed_at = T0 + 86400;
  cm.state = COMMITMENT_DROPPED;
  assert_false(commitment_broken_automatically(&cm));
  cm.state = COMMITMENT_OPEN;
  cm.closed_at = 0;
  assert_false(commitment_broken_automatically(&cm));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(state_and_outcome_names_round_trip),
      cmocka_unit_test(adding_needs_an_active_relationship),
      cmocka_unit_test(owner_must_be_a_party),
      cmocka_unit_test(text_must_have_1_to_2000_bytes),
      cmocka_unit_test(due_time_must_be_after_the_making),
      cmocka_unit_test(every_problem_of_a_new_commitment_is_listed),
      cmocka_unit_test(kept_by_the_due_time_is_kept),
      cmocka_unit_test(kept_after_the_due_time_is_kept_late),
      cmocka_unit_test(broken_and_dropped_close_at_any_time),
      cmocka_unit_test(renegotiation_before_the_due_time_moves_it),
      cmocka_unit_test(renegotiation_at_or_after_the_due_time_is_past_due),
      cmocka_unit_test(renegotiation_needs_a_new_due_time_after_it),
      cmocka_unit_test(new_due_time_is_refused_for_other_outcomes),
      cmocka_unit_test(outcome_before_the_making_is_refused_at_at),
      cmocka_unit_test(closed_commitments_take_no_outcome),
      cmocka_unit_test(outcomes_need_a_relationship_that_takes_them),
      cmocka_unit_test(break_time_is_a_day_after_the_due_time),
      cmocka_unit_test(open_commitment_is_due_for_break_a_day_after_its_due_time),
      cmocka_unit_test(closed_commitment_is_never_due_for_break),
      cmocka_unit_test(automatic_break_is_told_from_a_party_breaking_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
