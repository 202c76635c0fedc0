/* test_password.c: the rules a new password must meet and rehashing
 * (src/crypto/password.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/password.h"

/* Whether password_acceptable takes pw, and if not, that its one error is
 * at /password and its detail contains `why`. */
static void expect_refused(const char *pw, const char *email, const char *why) {
  rp_err e = {0};
  assert_false(password_acceptable(pw, email, "/password", &e));
  assert_int_equal(e.rc, RP_ERR_INVALID);
  assert_string_equal(e.code, "validation");
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/password");
  assert_non_null(strstr(e.field[0].detail, why));
}

static void expect_accepted(const char *pw, const char *email) {
  rp_err e = {0};
  assert_true(password_acceptable(pw, email, "/password", &e));
  assert_int_equal(e.rc, RP_OK);
  assert_int_equal(e.nfield, 0);
}

static void password_length_is_8_to_128_bytes(void **state) {
  (void)state;
  char pw[140];
  memset(pw, 'k', sizeof pw);
  pw[7] = '\0';
  expect_refused(pw, NULL, "Use 8 to 128 characters.");
  pw[7] = 'j';
  pw[8] = '\0';
  expect_accepted("kkkkkkkj", NULL);
  memset(pw, 'k', sizeof pw);
  pw[0] = 'x'; /* "xkkk..." is in no list */
  pw[128] = '\0';
  expect_accepted(pw, NULL);
  pw[128] = 'k';
  pw[129] = '\0';
  expect_refused(pw, NULL, "Use 8 to 128 characters.");
  expect_refused("", NULL, "Use 8 to 128 characters.");
  expect_refused(NULL, NULL, "Use 8 to 128 characters.");
}

static void common_passwords_are_refused_whatever_their_case(void **state) {
  (void)state;
  static const char *const common[] = {
      "password",  "12345678",    "123456789", "iloveyou",   "qwertyuiop", "password1",
      "Password1", "PASSWORD123", "football",  "Sunshine1!", "Summer2024", "1q2w3e4r5t",
      "zaq12wsx",  "qazwsxedc",   "11111111",  "baseball1",  "Welcome123", "letmein123"};
  for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
    assert_true(password_is_common(common[i]));
    expect_refused(common[i], NULL, "one of the most common passwords");
  }
}

static void short_entries_of_the_list_are_found_too(void **state) {
  (void)state;
  assert_true(password_is_common("123456"));
  assert_true(password_is_common("QWERTY"));
  assert_true(password_is_common("dragon"));
}

static void uncommon_passwords_are_not_in_the_list(void **state) {
  (void)state;
  static const char *const fine[] = {"a long test password", "site admin password",
                                     "correct horse", "rapport-demo", "tangerine kite 42",
                                     "password is long enough"};
  for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
    assert_false(password_is_common(fine[i]));
    expect_accepted(fine[i], "someone@rapport.test");
  }
  assert_false(password_is_common(""));
  assert_false(password_is_common(NULL));
  assert_false(password_is_common("# common-passwords.txt: passwords Rapport refuses"));
}

static void the_email_address_is_refused_as_password_whatever_its_case(void **state) {
  (void)state;
  expect_refused("ann.lee@example.org", "ann.lee@example.org", "e-mail address");
  expect_refused("Ann.Lee@Example.ORG", "ann.lee@example.org", "e-mail address");
  expect_accepted("ann.lee@example.org!", "ann.lee@example.org");
  expect_accepted("ann.lee@example.org", "bob.ray@example.org");
  expect_accepted("ann.lee@example.org", NULL);
}

static void length_is_reported_before_commonness(void **state) {
  (void)state;
  expect_refused("abc123", NULL, "Use 8 to 128 characters.");
}

static void a_hash_with_other_parameters_needs_rehash_and_still_verifies(void **state) {
  (void)state;
  char weak[PASSWORD_HASH_MAX], strong[PASSWORD_HASH_MAX];
  rp_err e = {0};
  password_set_fast(true);
  assert_int_equal(password_hash("tangerine kite 42", weak, &e), RP_OK);
  password_set_fast(false);
  assert_int_equal(password_hash("tangerine kite 42", strong, &e), RP_OK);
  assert_non_null(strstr(weak, "$argon2id$v=19$m=8,t=1,"));
  assert_non_null(strstr(strong, "$argon2id$v=19$m=65536,t=3,"));
  assert_true(password_needs_rehash(weak));
  assert_false(password_needs_rehash(strong));
  assert_true(password_needs_rehash("not a hash"));
  assert_true(password_verify(weak, "tangerine kite 42"));
  assert_true(password_verify(strong, "tangerine kite 42"));
  assert_false(password_verify(strong, "tangerine kite 43"));
}

int main(void) {
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(password_length_is_8_to_128_bytes),
      cmocka_unit_test(common_passwords_are_refused_whatever_their_case),
      cmocka_unit_test(short_entries_of_the_list_are_found_too),
      cmocka_unit_test(uncommon_passwords_are_not_in_the_list),
      cmocka_unit_test(the_email_address_is_refused_as_password_whatever_its_case),
      cmocka_unit_test(length_is_reported_before_commonness),
      cmocka_unit_test(a_hash_with_other_parameters_needs_rehash_and_still_verifies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
