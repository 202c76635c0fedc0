/* test_practice.c: the practice library (domain/practice.h): every warning
 * code of the trust engine links to a practice with two or three
 * reflection questions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/practice.h"
#include "trust/trust_warn.h"

static void every_warning_code_has_a_practice_with_two_or_three_questions(void **state) {
  (void)state;
  for (int i = 0; i < TRUST_W_COUNT; i++) {
    const char *code = trust_warn_name((trust_warn_code)i);
    const practice *p = practice_for_warning(code);
    if (!p) fail_msg("no practice for %s", code);
    assert_in_range(p->nquestions, 2, 3);
    for (size_t q = 0; q < p->nquestions; q++) {
      assert_non_null(p->questions[q]);
      assert_true(strlen(p->questions[q]) > 10);
      assert_int_equal(p->questions[q][strlen(p->questions[q]) - 1], '?');
    }
  }
}

static void the_fifteen_codes_of_the_model_all_link(void **state) {
  (void)state;
  static const char *const codes[] = {"CADENCE_GAP",      "LATE_CANCELLATIONS", "FOLLOW_THROUGH",
                                      "SLOW_REPLIES",     "CRITICISM_HEAVY",    "NO_CONSTRUCTIVE",
                                      "ONE_WAY_FEEDBACK", "SAFETY_DOUBT",       "PULSE_DROP",
                                      "INCIDENT",         "NO_AGREEMENT",       "NO_GOALS",
                                      "PERCEPTION_GAP",   "ONE_SIDED_DRIFT",    "DECLINING"};
  assert_int_equal(sizeof codes / sizeof codes[0], TRUST_W_COUNT);
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    assert_non_null(practice_for_warning(codes[i]));
}

static void warnings_map_to_the_practices_the_model_names(void **state) {
  (void)state;
  assert_string_equal(practice_for_warning("CADENCE_GAP")->slug, "agree-expectations");
  assert_string_equal(practice_for_warning("NO_AGREEMENT")->slug, "agree-expectations");
  assert_string_equal(practice_for_warning("FOLLOW_THROUGH")->slug, "keep-or-renegotiate");
  assert_string_equal(practice_for_warning("SLOW_REPLIES")->slug, "reply-within-window");
  assert_string_equal(practice_for_warning("ONE_WAY_FEEDBACK")->slug, "ask-for-feedback");
  assert_string_equal(practice_for_warning("CRITICISM_HEAVY")->slug, "balance-feedback");
  assert_string_equal(practice_for_warning("NO_CONSTRUCTIVE")->slug, "balance-feedback");
  assert_string_equal(practice_for_warning("SAFETY_DOUBT")->slug, "restate-confidentiality");
  assert_string_equal(practice_for_warning("NO_GOALS")->slug, "set-smart-goals");
  assert_string_equal(practice_for_warning("INCIDENT")->slug, "respond-to-concern");
  assert_string_equal(practice_for_warning("PULSE_DROP")->slug, "review-the-relationship");
}

static void unknown_codes_and_ids_find_nothing(void **state) {
  (void)state;
  assert_null(practice_for_warning("NOT_A_CODE"));
  assert_null(practice_for_warning("cadence_gap"));
  assert_null(practice_for_warning(NULL));
  assert_null(practice_by_id(0));
  assert_null(practice_by_id((int)practice_count() + 1));
  assert_null(practice_by_slug("nope"));
  assert_null(practice_at(practice_count()));
}

static void ids_are_one_to_n_and_slugs_are_unique(void **state) {
  (void)state;
  for (size_t i = 0; i < practice_count(); i++) {
    const practice *p = practice_at(i);
    assert_int_equal(p->id, (int)i + 1);
    assert_ptr_equal(practice_by_id(p->id), p);
    assert_ptr_equal(practice_by_slug(p->slug), p);
    assert_true(strlen(p->title) > 5);
    assert_true(strlen(p->summary) > 200);
    assert_in_range(p->nquestions, 2, 3);
    for (size_t k = 0; k < p->nwarnings; k++)
      assert_ptr_equal(practice_for_warning(p->warnings[k]), p);
  }
  assert_non_null(practice_by_slug(PRACTICE_REPAIR_SLUG));
  assert_non_null(practice_by_slug("celebrate-milestones"));
}

static void the_incident_practice_never_asks_for_an_apology(void **state) {
  (void)state;
  const practice *p = practice_for_warning("INCIDENT");
  for (size_t q = 0; q < p->nquestions; q++)
    assert_null(strstr(p->questions[q], "apolog"));
  assert_non_null(strstr(p->summary, "Nobody should apologise"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_warning_code_has_a_practice_with_two_or_three_questions),
      cmocka_unit_test(the_fifteen_codes_of_the_model_all_link),
      cmocka_unit_test(warnings_map_to_the_practices_the_model_names),
      cmocka_unit_test(unknown_codes_and_ids_find_nothing),
      cmocka_unit_test(ids_are_one_to_n_and_slugs_are_unique),
      cmocka_unit_test(the_incident_practice_never_asks_for_an_apology),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
