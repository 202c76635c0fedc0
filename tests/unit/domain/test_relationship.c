/* test_relationship.c: the relationship state machine (src/domain/relationship.h).
 *
 * The expected tables below are written out from the diagram in
 * relationship.h and DESIGN.md, not computed from the code under test:
 * every (from, to) pair is tried for every role, so an edge added or lost
 * by mistake fails a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/relationship.h"

#define GUIDE 11
#define LEARNER 22
#define OTHER 33
#define PROPOSED_AT ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

/* EDGE[from][to]: the state machine's edges (proposed -> active is an
 * acceptance, handled by its own tests below). */
static const int EDGE[REL_STATE_COUNT][REL_STATE_COUNT] = {
    /*            P  A  U  C  L  D  E */
    [REL_PROPOSED] = {0, 1, 0, 0, 0, 1, 1},
    [REL_ACTIVE] = {0, 0, 1, 1, 0, 0, 1},
    [REL_PAUSED] = {0, 1, 0, 0, 0, 0, 1},
    [REL_COMPLETED] = {0, 0, 0, 0, 1, 0, 1},
    [REL_ALUMNI] = {0, 0, 0, 0, 0, 0, 0},
    [REL_DECLINED] = {0, 0, 0, 0, 0, 0, 0},
    [REL_ENDED] = {0, 0, 0, 0, 0, 0, 0},
};

static relationship rel_in(rel_state s) {
  relationship r;
  memset(&r, 0, sizeof r);
  r.id = 5;
  r.program_id = 2;
  r.guide_id = GUIDE;
  r.learner_id = LEARNER;
  r.state = s;
  r.guide_accepted = s != REL_PROPOSED;
  r.learner_accepted = s != REL_PROPOSED;
  r.proposed_at = PROPOSED_AT;
  r.state_since = PROPOSED_AT;
  r.proposed_by = GUIDE;
  return r;
}

/* A proposal nobody has accepted yet (an admin proposed it). */
static relationship proposal_by_admin(void) {
  relationship r = rel_in(REL_PROPOSED);
  r.guide_accepted = r.learner_accepted = false;
  r.proposed_by = OTHER;
  return r;
}

static void expect_refused(const relationship *r, rel_role role, rel_state to, rp_rc rc,
                           const char *code) {
  rel_change ch;
  rp_err e = {0};
  rp_rc got = rel_transition(r, role, to, true, &ch, &e);
  if (got != rc || strcmp(e.code, code) != 0)
    fail_msg("role %d, %s -> %s: got rc %d code \"%s\", wanted rc %d code \"%s\"", (int)role,
             rel_state_name(r->state), rel_state_name(to), (int)got, e.code, (int)rc, code);
  assert_false(ch.state_changed);
  assert_int_equal(ch.from, r->state);
  assert_int_equal(ch.to, r->state);
  assert_int_equal(ch.guide_accepted, r->guide_accepted);
  assert_int_equal(ch.learner_accepted, r->learner_accepted);
}

static void expect_moves(const relationship *r, rel_role role, rel_state to) {
  rel_change ch;
  rp_err e = {0};
  rp_rc got = rel_transition(r, role, to, true, &ch, &e);
  if (got != RP_OK)
    fail_msg("role %d, %s -> %s: refused with %s (%s)", (int)role, rel_state_name(r->state),
             rel_state_name(to), e.code, e.detail);
  assert_true(ch.state_changed);
  assert_int_equal(ch.from, r->state);
  assert_int_equal(ch.to, to);
  assert_int_equal(e.rc, RP_OK);
}

/* For a party role: every edge except acceptance moves; every non-edge is
 * an invalid transition. */
static void check_party_role(rel_role role) {
  for (int from = 0; from < REL_STATE_COUNT; from++) {
    for (int to = 0; to < REL_STATE_COUNT; to++) {
      relationship r = rel_in((rel_state)from);
      if (!EDGE[from][to]) {
        expect_refused(&r, role, (rel_state)to, RP_ERR_CONFLICT, "invalid_transition");
      } else if (from == REL_PROPOSED && to == REL_ACTIVE) {
        continue; /* acceptance: see the acceptance tests */
      } else {
        r.guide_accepted = r.learner_accepted = from != REL_PROPOSED;
        expect_moves(&r, role, (rel_state)to);
      }
    }
  }
}

static void guide_may_take_every_edge_and_no_other(void **state) {
  (void)state;
  check_party_role(REL_ROLE_GUIDE);
}

static void learner_may_take_every_edge_and_no_other(void **state) {
  (void)state;
  check_party_role(REL_ROLE_LEARNER);
}

static void admin_may_only_end_or_make_alumni(void **state) {
  (void)state;
  for (int from = 0; from < REL_STATE_COUNT; from++) {
    for (int to = 0; to < REL_STATE_COUNT; to++) {
      relationship r = from == REL_PROPOSED ? proposal_by_admin() : rel_in((rel_state)from);
      if (!EDGE[from][to])
        expect_refused(&r, REL_ROLE_ADMIN, (rel_state)to, RP_ERR_CONFLICT, "invalid_transition");
      else if (to == REL_ENDED || to == REL_ALUMNI)
        expect_moves(&r, REL_ROLE_ADMIN, (rel_state)to);
      else
        expect_refused(&r, REL_ROLE_ADMIN, (rel_state)to, RP_ERR_FORBIDDEN, "role");
    }
  }
}

static void admin_cannot_accept_for_a_party(void **state) {
  (void)state;
  relationship r = proposal_by_admin();
  expect_refused(&r, REL_ROLE_ADMIN, REL_ACTIVE, RP_ERR_FORBIDDEN, "role");
}

static void check_powerless_role(rel_role role) {
  for (int from = 0; from < REL_STATE_COUNT; from++) {
    for (int to = 0; to < REL_STATE_COUNT; to++) {
      relationship r = from == REL_PROPOSED ? proposal_by_admin() : rel_in((rel_state)from);
      if (!EDGE[from][to])
        expect_refused(&r, role, (rel_state)to, RP_ERR_CONFLICT, "invalid_transition");
      else
        expect_refused(&r, role, (rel_state)to, RP_ERR_FORBIDDEN, "role");
    }
  }
}

static void system_may_take_no_step(void **state) {
  (void)state;
  check_powerless_role(REL_ROLE_SYSTEM);
}

static void stranger_may_take_no_step(void **state) {
  (void)state;
  check_powerless_role(REL_ROLE_NONE);
}

static void nothing_ever_returns_to_proposed(void **state) {
  (void)state;
  const rel_role roles[] = {REL_ROLE_GUIDE, REL_ROLE_LEARNER, REL_ROLE_ADMIN, REL_ROLE_SYSTEM,
                            REL_ROLE_NONE};
  for (int from = 0; from < REL_STATE_COUNT; from++)
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
      relationship r = rel_in((rel_state)from);
      expect_refused(&r, roles[i], REL_PROPOSED, RP_ERR_CONFLICT, "invalid_transition");
    }
}

static void terminal_states_refuse_every_target(void **state) {
  (void)state;
  const rel_state terminal[] = {REL_ALUMNI, REL_DECLINED, REL_ENDED};
  for (size_t i = 0; i < 3; i++)
    for (int to = 0; to < REL_STATE_COUNT; to++) {
      relationship r = rel_in(terminal[i]);
      expect_refused(&r, REL_ROLE_GUIDE, (rel_state)to, RP_ERR_CONFLICT, "invalid_transition");
    }
}

static void invalid_transition_detail_names_both_states(void **state) {
  (void)state;
  relationship r = rel_in(REL_ALUMNI);
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_ACTIVE, false, &ch, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.detail, "A relationship that is alumni cannot become active.");
}

/* ---- acceptance ---- */

static void first_acceptance_records_it_and_stays_proposed(void **state) {
  (void)state;
  relationship r = proposal_by_admin();
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_LEARNER, REL_ACTIVE, false, &ch, &e), RP_OK);
  assert_false(ch.state_changed);
  assert_int_equal(ch.from, REL_PROPOSED);
  assert_int_equal(ch.to, REL_PROPOSED);
  assert_true(ch.learner_accepted);
  assert_false(ch.guide_accepted);
}

static void second_acceptance_makes_it_active(void **state) {
  (void)state;
  relationship r = proposal_by_admin();
  r.learner_accepted = true;
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_ACTIVE, false, &ch, &e), RP_OK);
  assert_true(ch.state_changed);
  assert_int_equal(ch.from, REL_PROPOSED);
  assert_int_equal(ch.to, REL_ACTIVE);
  assert_true(ch.guide_accepted);
  assert_true(ch.learner_accepted);
}

static void proposer_party_is_accepted_so_the_other_activates(void **state) {
  (void)state;
  relationship r = rel_in(REL_PROPOSED);
  r.guide_accepted = true; /* the guide proposed */
  r.learner_accepted = false;
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_LEARNER, REL_ACTIVE, false, &ch, &e), RP_OK);
  assert_true(ch.state_changed);
  assert_int_equal(ch.to, REL_ACTIVE);
}

static void accepting_twice_is_a_conflict(void **state) {
  (void)state;
  relationship r = proposal_by_admin();
  r.guide_accepted = true;
  expect_refused(&r, REL_ROLE_GUIDE, REL_ACTIVE, RP_ERR_CONFLICT, "already_accepted");
  r.guide_accepted = false;
  r.learner_accepted = true;
  expect_refused(&r, REL_ROLE_LEARNER, REL_ACTIVE, RP_ERR_CONFLICT, "already_accepted");
}

static void either_party_may_decline_a_proposal(void **state) {
  (void)state;
  relationship r = proposal_by_admin();
  expect_moves(&r, REL_ROLE_GUIDE, REL_DECLINED);
  expect_moves(&r, REL_ROLE_LEARNER, REL_DECLINED);
  r.guide_accepted = true; /* a party who accepted may still decline */
  expect_moves(&r, REL_ROLE_GUIDE, REL_DECLINED);
}

static void resuming_keeps_acceptances(void **state) {
  (void)state;
  relationship r = rel_in(REL_PAUSED);
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_LEARNER, REL_ACTIVE, false, &ch, &e), RP_OK);
  assert_true(ch.state_changed);
  assert_int_equal(ch.from, REL_PAUSED);
  assert_int_equal(ch.to, REL_ACTIVE);
  assert_true(ch.guide_accepted);
  assert_true(ch.learner_accepted);
}

/* ---- the reason for ending ---- */

static void ending_without_reason_is_invalid_at_reason(void **state) {
  (void)state;
  const rel_state from[] = {REL_PROPOSED, REL_ACTIVE, REL_PAUSED, REL_COMPLETED};
  const rel_role roles[] = {REL_ROLE_GUIDE, REL_ROLE_LEARNER, REL_ROLE_ADMIN};
  for (size_t i = 0; i < 4; i++)
    for (size_t k = 0; k < 3; k++) {
      relationship r = rel_in(from[i]);
      rel_change ch;
      rp_err e = {0};
      assert_int_equal(rel_transition(&r, roles[k], REL_ENDED, false, &ch, &e), RP_ERR_INVALID);
      assert_string_equal(e.code, "validation");
      assert_int_equal(e.nfield, 1);
      assert_string_equal(e.field[0].pointer, "/reason");
      assert_false(ch.state_changed);
      assert_int_equal(ch.to, from[i]);
    }
}

static void ending_with_reason_succeeds(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_ENDED, true, &ch, &e), RP_OK);
  assert_int_equal(ch.to, REL_ENDED);
}

static void only_ending_needs_a_reason(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_PAUSED, false, &ch, &e), RP_OK);
  r = rel_in(REL_ACTIVE);
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_COMPLETED, false, &ch, &e), RP_OK);
  r = rel_in(REL_COMPLETED);
  assert_int_equal(rel_transition(&r, REL_ROLE_ADMIN, REL_ALUMNI, false, &ch, &e), RP_OK);
  r = proposal_by_admin();
  assert_int_equal(rel_transition(&r, REL_ROLE_LEARNER, REL_DECLINED, false, &ch, &e), RP_OK);
}

static void state_and_role_are_checked_before_the_reason(void **state) {
  (void)state;
  relationship r = rel_in(REL_ENDED);
  rel_change ch;
  rp_err e = {0};
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_ENDED, false, &ch, &e), RP_ERR_CONFLICT);
  assert_string_equal(e.code, "invalid_transition");
  r = rel_in(REL_ACTIVE);
  rp_err_reset(&e);
  assert_int_equal(rel_transition(&r, REL_ROLE_NONE, REL_ENDED, false, &ch, &e), RP_ERR_FORBIDDEN);
  assert_string_equal(e.code, "role");
}

static void transition_works_without_an_error_record(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rel_change ch;
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_ENDED, false, &ch, NULL), RP_ERR_INVALID);
  assert_int_equal(rel_transition(&r, REL_ROLE_NONE, REL_PAUSED, true, &ch, NULL), RP_ERR_FORBIDDEN);
  assert_int_equal(rel_transition(&r, REL_ROLE_GUIDE, REL_ALUMNI, true, &ch, NULL), RP_ERR_CONFLICT);
}

/* ---- names, roles ---- */

static void state_names_round_trip(void **state) {
  (void)state;
  static const char *const names[REL_STATE_COUNT] = {
      [REL_PROPOSED] = "proposed", [REL_ACTIVE] = "active",     [REL_PAUSED] = "paused",
      [REL_COMPLETED] = "completed", [REL_ALUMNI] = "alumni", [REL_DECLINED] = "declined",
      [REL_ENDED] = "ended"};
  for (int s = 0; s < REL_STATE_COUNT; s++) {
    assert_string_equal(rel_state_name((rel_state)s), names[s]);
    rel_state back = (rel_state)((s + 1) % REL_STATE_COUNT);
    assert_true(rel_state_parse(names[s], &back));
    assert_int_equal(back, s);
  }
}

static void state_parse_refuses_unknown_names(void **state) {
  (void)state;
  rel_state s = REL_PAUSED;
  assert_false(rel_state_parse("Active", &s));
  assert_false(rel_state_parse("", &s));
  assert_false(rel_state_parse("activ", &s));
  assert_false(rel_state_parse("active ", &s));
  assert_false(rel_state_parse(NULL, &s));
  assert_int_equal(s, REL_PAUSED);
}

static void role_of_tells_parties_admins_and_strangers(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  assert_int_equal(rel_role_of(&r, GUIDE, false), REL_ROLE_GUIDE);
  assert_int_equal(rel_role_of(&r, LEARNER, false), REL_ROLE_LEARNER);
  assert_int_equal(rel_role_of(&r, OTHER, true), REL_ROLE_ADMIN);
  assert_int_equal(rel_role_of(&r, OTHER, false), REL_ROLE_NONE);
  /* A party who also administers the program acts as the party. */
  assert_int_equal(rel_role_of(&r, GUIDE, true), REL_ROLE_GUIDE);
  assert_int_equal(rel_role_of(&r, LEARNER, true), REL_ROLE_LEARNER);
}

static void only_guide_and_learner_are_parties(void **state) {
  (void)state;
  assert_true(rel_role_is_party(REL_ROLE_GUIDE));
  assert_true(rel_role_is_party(REL_ROLE_LEARNER));
  assert_false(rel_role_is_party(REL_ROLE_ADMIN));
  assert_false(rel_role_is_party(REL_ROLE_SYSTEM));
  assert_false(rel_role_is_party(REL_ROLE_NONE));
}

static void other_party_is_the_counterpart(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  assert_int_equal(rel_other_party(&r, REL_ROLE_GUIDE), LEARNER);
  assert_int_equal(rel_other_party(&r, REL_ROLE_LEARNER), GUIDE);
}

/* ---- activity predicates ---- */

static void activity_predicates_per_state(void **state) {
  (void)state;
  /* new activity, outcomes, notes, agreement */
  static const int want[REL_STATE_COUNT][4] = {
      [REL_PROPOSED] = {0, 0, 1, 1}, [REL_ACTIVE] = {1, 1, 1, 1}, [REL_PAUSED] = {0, 1, 1, 1},
      [REL_COMPLETED] = {0, 1, 1, 0}, [REL_ALUMNI] = {0, 0, 1, 0}, [REL_DECLINED] = {0, 0, 0, 0},
      [REL_ENDED] = {0, 0, 0, 0}};
  for (int s = 0; s < REL_STATE_COUNT; s++) {
    rel_state st = (rel_state)s;
    if (rel_allows_new_activity(st) != want[s][0] || rel_allows_outcomes(st) != want[s][1] ||
        rel_allows_notes(st) != want[s][2] || rel_allows_agreement(st) != want[s][3])
      fail_msg("%s: got %d %d %d %d, wanted %d %d %d %d", rel_state_name(st),
               rel_allows_new_activity(st), rel_allows_outcomes(st), rel_allows_notes(st),
               rel_allows_agreement(st), want[s][0], want[s][1], want[s][2], want[s][3]);
  }
}

/* ---- rel_check_at ---- */

static void check_at_accepts_now_and_the_proposal_instant(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  const rp_time now = PROPOSED_AT + 10 * RP_DAY;
  assert_int_equal(rel_check_at(&r, now, now, &e), RP_OK);
  assert_int_equal(rel_check_at(&r, PROPOSED_AT, now, &e), RP_OK);
  assert_int_equal(rel_check_at(&r, PROPOSED_AT + RP_DAY, now, &e), RP_OK);
  assert_int_equal(e.rc, RP_OK);
}

static void check_at_refuses_one_second_in_the_future(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  const rp_time now = PROPOSED_AT + RP_DAY;
  assert_int_equal(rel_check_at(&r, now + 1, now, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/at");
  assert_string_equal(e.field[0].detail, "The time may not be in the future.");
}

static void check_at_refuses_one_second_before_the_proposal(void **state) {
  (void)state;
  relationship r = rel_in(REL_ACTIVE);
  rp_err e = {0};
  assert_int_equal(rel_check_at(&r, PROPOSED_AT - 1, PROPOSED_AT + RP_DAY, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/at");
  assert_string_equal(e.field[0].detail,
                      "The time may not be before the relationship was proposed.");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(guide_may_take_every_edge_and_no_other),
      cmocka_unit_test(learner_may_take_every_edge_and_no_other),
      cmocka_unit_test(admin_may_only_end_or_make_alumni),
      cmocka_unit_test(admin_cannot_accept_for_a_party),
      cmocka_unit_test(system_may_take_no_step),
      cmocka_unit_test(stranger_may_take_no_step),
      cmocka_unit_test(nothing_ever_returns_to_proposed),
      cmocka_unit_test(terminal_states_refuse_every_target),
      cmocka_unit_test(invalid_transition_detail_names_both_states),
      cmocka_unit_test(first_acceptance_records_it_and_stays_proposed),
      cmocka_unit_test(second_acceptance_makes_it_active),
      cmocka_unit_test(proposer_party_is_accepted_so_the_other_activates),
      cmocka_unit_test(accepting_twice_is_a_conflict),
      cmocka_unit_test(either_party_may_decline_a_proposal),
      cmocka_unit_test(resuming_keeps_acceptances),
      cmocka_unit_test(ending_without_reason_is_invalid_at_reason),
      cmocka_unit_test(ending_with_reason_succeeds),
      cmocka_unit_test(only_ending_needs_a_reason),
      cmocka_unit_test(state_and_role_are_checked_before_the_reason),
      cmocka_unit_test(transition_works_without_an_error_record),
      cmocka_unit_test(state_names_round_trip),
      cmocka_unit_test(state_parse_refuses_unknown_names),
      cmocka_unit_test(role_of_tells_parties_admins_and_strangers),
      cmocka_unit_test(only_guide_and_learner_are_parties),
      cmocka_unit_test(other_party_is_the_counterpart),
      cmocka_unit_test(activity_predicates_per_state),
      cmocka_unit_test(check_at_accepts_now_and_the_proposal_instant),
      cmocka_unit_test(check_at_refuses_one_second_in_the_future),
      cmocka_unit_test(check_at_refuses_one_second_before_the_proposal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
