/* test_audit.c: what a request opened and how the access log says it
 * (src/app/privacy/audit.c): the per-request list of openings, the safety net's
 * "pending", and the sentences of GET /me/access-log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/privacy/privacy.h"
#include "crypto/seal.h"

static void sentences_name_actor_role_kinds_and_relationship(void **state) {
  (void)state;
  arena *a = arena_new(1024);
  assert_string_equal(
      app_access_sentence(a, "Amara Okafor", true, true, "mentoring", "notes,feedback",
                          APP_PURPOSE_SHOWN),
      "Amara Okafor, your mentor, read notes and feedback in your mentoring relationship.");
  assert_string_equal(
      app_access_sentence(a, "Dana Roe", false, true, "coaching", "notes,feedback,goals",
                          APP_PURPOSE_SHOWN),
      "Dana Roe, your coachee, read notes, feedback and goals in your coaching relationship.");
  assert_string_equal(
      app_access_sentence(a, "Chidi Obi", true, true, "coaching", "agreement", APP_PURPOSE_EXPORT),
      "Chidi Obi, your coach, exported agreement from your coaching relationship.");
  assert_string_equal(
      app_access_sentence(a, "Ben Ito", false, true, "mentoring", "requests", APP_PURPOSE_SHOWN),
      "Ben Ito, your mentee, read requests in your mentoring relationship.");
  assert_string_equal(app_access_sentence(a, NULL, false, false, NULL, "notes", APP_PURPOSE_SHOWN),
                      "A former member read notes in a relationship that has since been deleted.");
  arena_free(a);
}

static void kind_names_cover_every_seal_kind(void **state) {
  (void)state;
  assert_string_equal(app_access_kind_name(SEAL_NOTE), "notes");
  assert_string_equal(app_access_kind_name(SEAL_INCIDENT), "incidents");
  assert_string_equal(app_access_kind_name(SEAL_REPAIR_RESPONSIBILITY), "repair plans");
  assert_string_equal(app_access_kind_name(SEAL_F360_REPORT), "360 feedback");
  for (int k = SEAL_NOTE; k <= SEAL_F360_REPORT; k++)
    assert_non_null(app_access_kind_name(k));
  assert_null(app_access_kind_name(0));
  assert_null(app_access_kind_name(SEAL_F360_REPORT + 1));
}

static void openings_are_one_entry_per_relationship_however_many(void **state) {
  (void)state;
  arena *a = arena_new(1024);
  app_ctx c;
  memset(&c, 0, sizeof c);
  c.a = a;
  assert_false(app_access_pending(&c));
  for (int64_t rel = 1; rel <= 500; rel++) {
    app_access_saw(&c, rel, SEAL_NOTE);
    app_access_saw(&c, rel, SEAL_FEEDBACK);
  }
  app_access_saw(&c, 7, SEAL_GOAL);
  assert_int_equal(c.naccessed, 500);
  assert_true(app_access_pending(&c));
  arena_free(a);
}

static void the_servers_own_openings_need_no_row_and_leave_nothing_pending(void **state) {
  (void)state;
  arena *a = arena_new(1024);
  app_ctx c;
  memset(&c, 0, sizeof c);
  c.a = a;
  c.actor = 0; /* a job: no store is touched, so none is needed */
  app_access_saw(&c, 3, SEAL_GOAL);
  rp_err e = {0};
  assert_int_equal(app_access_flush(&c, &e), RP_OK);
  assert_false(app_access_pending(&c));
  assert_int_equal(c.naccessed, 0);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sentences_name_actor_role_kinds_and_relationship),
      cmocka_unit_test(kind_names_cover_every_seal_kind),
      cmocka_unit_test(openings_are_one_entry_per_relationship_however_many),
      cmocka_unit_test(the_servers_own_openings_need_no_row_and_leave_nothing_pending),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
