/* test_program.c: program settings, kinds, roles, e-mail addresses and
 * names (src/domain/program.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/program.h"

/* ---- settings ---- */

static void coaching_defaults_meet_weekly(void **state) {
  (void)state;
  program_settings s;
  memset(&s, 0xff, sizeof s);
  program_settings_default(PROGRAM_COACHING, &s);
  assert_int_equal(s.cadence_days, 7);
  assert_int_equal(s.reply_window_hours, 48);
  assert_int_equal(s.pulse_every_days, 28);
  assert_int_equal(s.k_anonymity, 5);
}

static void mentoring_defaults_meet_every_two_weeks(void **state) {
  (void)state;
  program_settings s;
  memset(&s, 0xff, sizeof s);
  program_settings_default(PROGRAM_MENTORING, &s);
  assert_int_equal(s.cadence_days, 14);
  assert_int_equal(s.reply_window_hours, 48);
  assert_int_equal(s.pulse_every_days, 28);
  assert_int_equal(s.k_anonymity, 5);
}

static void defaults_pass_their_own_check(void **state) {
  (void)state;
  program_settings s;
  rp_err e = {0};
  program_settings_default(PROGRAM_COACHING, &s);
  assert_int_equal(program_settings_check(&s, &e), RP_OK);
  program_settings_default(PROGRAM_MENTORING, &s);
  assert_int_equal(program_settings_check(&s, &e), RP_OK);
  assert_int_equal(e.rc, RP_OK);
  assert_int_equal(e.nfield, 0);
}

/* Which setting a range case changes. */
typedef enum { S_CADENCE, S_REPLY, S_PULSE, S_K } setting_id;

static void set(program_settings *s, setting_id which, int v) {
  switch (which) {
  case S_CADENCE: s->cadence_days = v; break;
  case S_REPLY: s->reply_window_hours = v; break;
  case S_PULSE: s->pulse_every_days = v; break;
  case S_K: s->k_anonymity = v; break;
  }
}

static void settings_ranges_are_inclusive_with_exact_pointers(void **state) {
  (void)state;
  static const struct {
    setting_id which;
    const char *pointer;
    int lo, hi;
    const char *detail;
  } cases[] = {
      {S_CADENCE, "/settings/cadence_days", 1, 365, "Must be between 1 and 365."},
      {S_REPLY, "/settings/reply_window_hours", 1, 720, "Must be between 1 and 720."},
      {S_PULSE, "/settings/pulse_every_days", 7, 365, "Must be between 7 and 365."},
      {S_K, "/settings/k_anonymity", 3, 1000, "Must be between 3 and 1000."},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const int ok[] = {cases[i].lo, cases[i].hi};
    const int bad[] = {cases[i].lo - 1, cases[i].hi + 1, 0, -1, 1000000};
    for (size_t k = 0; k < 2; k++) {
      program_settings s;
      rp_err e = {0};
      program_settings_default(PROGRAM_MENTORING, &s);
      set(&s, cases[i].which, ok[k]);
      if (program_settings_check(&s, &e) != RP_OK)
        fail_msg("%s = %d should be accepted", cases[i].pointer, ok[k]);
    }
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
      program_settings s;
      rp_err e = {0};
      program_settings_default(PROGRAM_MENTORING, &s);
      set(&s, cases[i].which, bad[k]);
      if (program_settings_check(&s, &e) != RP_ERR_INVALID)
        fail_msg("%s = %d should be refused", cases[i].pointer, bad[k]);
      assert_string_equal(e.code, "validation");
      assert_int_equal(e.nfield, 1);
      assert_string_equal(e.field[0].pointer, cases[i].pointer);
      assert_string_equal(e.field[0].detail, cases[i].detail);
    }
  }
}

static void every_bad_setting_is_reported_in_order(void **state) {
  (void)state;
  program_settings s = {.cadence_days = 0, .reply_window_hours = 721, .pulse_every_days = 6,
                        .k_anonymity = 2};
  rp_err e = {0};
  assert_int_equal(program_settings_check(&s, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 4);
  assert_string_equal(e.field[0].pointer, "/settings/cadence_days");
  assert_string_equal(e.field[1].pointer, "/settings/reply_window_hours");
  assert_string_equal(e.field[2].pointer, "/settings/pulse_every_days");
  assert_string_equal(e.field[3].pointer, "/settings/k_anonymity");
}

static void settings_errors_join_earlier_field_errors(void **state) {
  (void)state;
  program_settings s;
  program_settings_default(PROGRAM_COACHING, &s);
  s.k_anonymity = 1;
  rp_err e = {0};
  rp_field(&e, "/name", "Give a name of 1 to 200 characters.");
  assert_int_equal(program_settings_check(&s, &e), RP_ERR_INVALID);
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/name");
  assert_string_equal(e.field[1].pointer, "/settings/k_anonymity");
}

static void settings_check_without_an_error_record(void **state) {
  (void)state;
  program_settings s;
  program_settings_default(PROGRAM_COACHING, &s);
  assert_int_equal(program_settings_check(&s, NULL), RP_OK);
  s.cadence_days = 366;
  assert_int_equal(program_settings_check(&s, NULL), RP_ERR_INVALID);
}

/* ---- kinds and roles ---- */

static void kinds_round_trip_and_refuse_others(void **state) {
  (void)state;
  program_kind k = PROGRAM_COACHING;
  assert_true(program_kind_parse("mentoring", &k));
  assert_int_equal(k, PROGRAM_MENTORING);
  assert_string_equal(program_kind_name(k), "mentoring");
  assert_true(program_kind_parse("coaching", &k));
  assert_int_equal(k, PROGRAM_COACHING);
  assert_string_equal(program_kind_name(k), "coaching");
  assert_false(program_kind_parse("Coaching", &k));
  assert_false(program_kind_parse("", &k));
  assert_false(program_kind_parse("tutoring", &k));
  assert_false(program_kind_parse(NULL, &k));
  assert_int_equal(k, PROGRAM_COACHING);
}

static void roles_round_trip_and_refuse_others(void **state) {
  (void)state;
  static const struct {
    const char *name;
    member_role role;
  } roles[] = {{"admin", ROLE_ADMIN}, {"guide", ROLE_GUIDE}, {"learner", ROLE_LEARNER}};
  for (size_t i = 0; i < 3; i++) {
    member_role r = (member_role)((i + 1) % 3);
    assert_true(member_role_parse(roles[i].name, &r));
    assert_int_equal(r, roles[i].role);
    assert_string_equal(member_role_name(r), roles[i].name);
  }
  member_role r = ROLE_GUIDE;
  assert_false(member_role_parse("mentor", &r));
  assert_false(member_role_parse("Admin", &r));
  assert_false(member_role_parse("", &r));
  assert_false(member_role_parse(NULL, &r));
  assert_int_equal(r, ROLE_GUIDE);
}

/* ---- e-mail addresses ---- */

static void email_accepts_ordinary_addresses(void **state) {
  (void)state;
  static const char *const good[] = {
      "a@b.co", "ana.lopez+spring@example.org", "x@mail.example.co.uk", "A@B.ORG",
      "o'brien@example.ie", "a@b.c",
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (!person_email_valid(good[i])) fail_msg("\"%s\" should be valid", good[i]);
}

static void email_refuses_broken_addresses(void **state) {
  (void)state;
  static const char *const bad[] = {
      "",           "ab",         "a@b",        "@example.org", "ana@",      "ana@.org",
      "ana@org.",   "ana example@x.org",        "ana@@x.org",   "a@x@y.org", "ana.x.org",
      "ana\t@x.org", "ana@x.org\n", "ana\x7f@x.org", " ana@x.org",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (person_email_valid(bad[i])) fail_msg("\"%s\" should be refused", bad[i]);
  assert_false(person_email_valid(NULL));
}

static void email_length_limit_is_254_bytes(void **state) {
  (void)state;
  char buf[300];
  /* a run of 'a' followed by "@x.org", 254 and then 255 bytes in all */
  memset(buf, 'a', sizeof buf);
  memcpy(buf + 254 - 6, "@x.org", 6);
  buf[254] = '\0';
  assert_int_equal(strlen(buf), 254);
  assert_true(person_email_valid(buf));
  memset(buf, 'a', sizeof buf);
  memcpy(buf + 255 - 6, "@x.org", 6);
  buf[255] = '\0';
  assert_false(person_email_valid(buf));
}

static void email_fold_lowercases_ascii_only(void **state) {
  (void)state;
  arena *a = arena_new(0);
  assert_string_equal(person_email_fold(a, "Ana.Lopez@Example.ORG"), "ana.lopez@example.org");
  assert_string_equal(person_email_fold(a, "JOS\xc3\x89@x.org"), "jos\xc3\x89@x.org");
  const char *orig = "Mixed@Case.org";
  char *folded = person_email_fold(a, orig);
  assert_ptr_not_equal(folded, orig);
  assert_string_equal(orig, "Mixed@Case.org");
  arena_free(a);
}

/* ---- names ---- */

static void name_accepts_1_to_200_bytes_without_controls(void **state) {
  (void)state;
  char buf[202];
  assert_true(person_name_valid("A"));
  assert_true(person_name_valid("Jos\xc3\xa9 da Silva"));
  memset(buf, 'n', 200);
  buf[200] = '\0';
  assert_true(person_name_valid(buf));
  buf[200] = 'n';
  buf[201] = '\0';
  assert_false(person_name_valid(buf));
  assert_false(person_name_valid(""));
  assert_false(person_name_valid(NULL));
  assert_false(person_name_valid("Ana\nLopez"));
  assert_false(person_name_valid("Ana\x01"));
  assert_false(person_name_valid("Ana\x7f"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(coaching_defaults_meet_weekly),
      cmocka_unit_test(mentoring_defaults_meet_every_two_weeks),
      cmocka_unit_test(defaults_pass_their_own_check),
      cmocka_unit_test(settings_ranges_are_inclusive_with_exact_pointers),
      cmocka_unit_test(every_bad_setting_is_reported_in_order),
      cmocka_unit_test(settings_errors_join_earlier_field_errors),
      cmocka_unit_test(settings_check_without_an_error_record),
      cmocka_unit_test(kinds_round_trip_and_refuse_others),
      cmocka_unit_test(roles_round_trip_and_refuse_others),
      cmocka_unit_test(email_accepts_ordinary_addresses),
      cmocka_unit_test(email_refuses_broken_addresses),
      cmocka_unit_test(email_length_limit_is_254_bytes),
      cmocka_unit_test(email_fold_lowercases_ascii_only),
      cmocka_unit_test(name_accepts_1_to_200_bytes_without_controls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
