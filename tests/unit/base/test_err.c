/* test_err.c: the error convention (src/base/err.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"

static void err_fail_fills_code_and_formatted_detail(void **state) {
  (void)state;
  rp_err e = {0};
  rp_rc rc = rp_fail(&e, RP_ERR_CONFLICT, "state_conflict", "Cannot go from %s to %s.", "ended",
                     "active");
  assert_int_equal(rc, RP_ERR_CONFLICT);
  assert_int_equal(e.rc, RP_ERR_CONFLICT);
  assert_string_equal(e.code, "state_conflict");
  assert_string_equal(e.detail, "Cannot go from ended to active.");
  assert_int_equal(e.nfield, 0);
}

static void err_fail_without_a_record_returns_rc(void **state) {
  (void)state;
  assert_int_equal(rp_fail(NULL, RP_ERR_NOT_FOUND, "not_found", "x"), RP_ERR_NOT_FOUND);
}

static void err_fail_truncates_long_code_and_detail(void **state) {
  (void)state;
  rp_err e = {0};
  char longcode[100], longdetail[400];
  memset(longcode, 'c', sizeof longcode - 1);
  longcode[sizeof longcode - 1] = '\0';
  memset(longdetail, 'd', sizeof longdetail - 1);
  longdetail[sizeof longdetail - 1] = '\0';
  rp_fail(&e, RP_ERR_INTERNAL, longcode, "%s", longdetail);
  assert_int_equal(strlen(e.code), sizeof e.code - 1);
  assert_int_equal(strlen(e.detail), sizeof e.detail - 1);
}

static void err_field_marks_validation_with_pointer(void **state) {
  (void)state;
  rp_err e = {0};
  rp_field(&e, "/due_at", "Required.");
  assert_int_equal(e.rc, RP_ERR_INVALID);
  assert_string_equal(e.code, "validation");
  assert_string_equal(e.detail, "The request has invalid fields.");
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/due_at");
  assert_string_equal(e.field[0].detail, "Required.");
}

static void err_fields_accumulate_in_order(void **state) {
  (void)state;
  rp_err e = {0};
  rp_field(&e, "/a", "first %d", 1);
  rp_field(&e, "/b/0", "second %s", "two");
  assert_int_equal(e.nfield, 2);
  assert_string_equal(e.field[0].pointer, "/a");
  assert_string_equal(e.field[0].detail, "first 1");
  assert_string_equal(e.field[1].pointer, "/b/0");
  assert_string_equal(e.field[1].detail, "second two");
}

static void err_field_replaces_an_earlier_other_failure(void **state) {
  (void)state;
  rp_err e = {0};
  rp_fail(&e, RP_ERR_CONFLICT, "invalid_transition", "No.");
  rp_field(&e, "/reason", "Say why.");
  assert_int_equal(e.rc, RP_ERR_INVALID);
  assert_string_equal(e.code, "validation");
  assert_int_equal(e.nfield, 1);
  assert_string_equal(e.field[0].pointer, "/reason");
}

static void err_field_drops_fields_past_the_maximum(void **state) {
  (void)state;
  rp_err e = {0};
  for (int i = 0; i < RP_ERR_MAX_FIELDS + 5; i++) rp_field(&e, "/x", "field %d", i);
  assert_int_equal(e.nfield, RP_ERR_MAX_FIELDS);
  assert_string_equal(e.field[RP_ERR_MAX_FIELDS - 1].detail, "field 15");
}

static void err_field_without_a_record_is_harmless(void **state) {
  (void)state;
  rp_field(NULL, "/x", "ignored"); /* fails by crashing */
}

static void err_reset_clears_everything(void **state) {
  (void)state;
  rp_err e = {0};
  rp_field(&e, "/x", "bad");
  rp_err_reset(&e);
  assert_int_equal(e.rc, RP_OK);
  assert_int_equal(e.nfield, 0);
  assert_string_equal(e.code, "");
  assert_string_equal(e.detail, "");
  rp_err_reset(NULL);
}

static void err_every_rc_maps_to_its_http_status(void **state) {
  (void)state;
  static const struct {
    rp_rc rc;
    int status;
    const char *title;
  } want[] = {
      {RP_OK, 200, "OK"},
      {RP_ERR_MALFORMED, 400, "Malformed request"},
      {RP_ERR_AUTH, 401, "Sign-in required"},
      {RP_ERR_FORBIDDEN, 403, "Not allowed"},
      {RP_ERR_NOT_FOUND, 404, "Not found"},
      {RP_ERR_METHOD, 405, "Method not allowed"},
      {RP_ERR_CONFLICT, 409, "Conflict with the current state"},
      {RP_ERR_TOO_LARGE, 413, "Request too large"},
      {RP_ERR_UNSUPPORTED, 415, "Unsupported media type"},
      {RP_ERR_INVALID, 422, "Validation failed"},
      {RP_ERR_RATE, 429, "Too many requests"},
      {RP_ERR_UNAVAILABLE, 503, "Service unavailable"},
      {RP_ERR_FULL, 507, "Insufficient storage"},
      {RP_ERR_INTERNAL, 500, "Internal error"},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_int_equal(rp_rc_status(want[i].rc), want[i].status);
    assert_string_equal(rp_rc_title(want[i].rc), want[i].title);
  }
}

static void err_unknown_rc_is_an_internal_error(void **state) {
  (void)state;
  assert_int_equal(rp_rc_status((rp_rc)(RP_ERR_INTERNAL + 1)), 500);
  assert_string_equal(rp_rc_title((rp_rc)(RP_ERR_INTERNAL + 1)), "Internal error");
}

static void err_x_allocators_return_usable_memory(void **state) {
  (void)state;
  char *p = rp_xmalloc(0); /* a zero-size request still gives a pointer */
  assert_non_null(p);
  free(p);
  unsigned char *z = rp_xcalloc(64, 4);
  for (int i = 0; i < 256; i++) assert_int_equal(z[i], 0);
  z[0] = 9;
  z = rp_xrealloc(z, 4096);
  assert_int_equal(z[0], 9);
  free(z);
  char *s = rp_xstrdup("learner");
  assert_string_equal(s, "learner");
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(err_fail_fills_code_and_formatted_detail),
      cmocka_unit_test(err_fail_without_a_record_returns_rc),
      cmocka_unit_test(err_fail_truncates_long_code_and_detail),
      cmocka_unit_test(err_field_marks_validation_with_pointer),
      cmocka_unit_test(err_fields_accumulate_in_order),
      cmocka_unit_test(err_field_replaces_an_earlier_other_failure),
      cmocka_unit_test(err_field_drops_fields_past_the_maximum),
      cmocka_unit_test(err_field_without_a_record_is_harmless),
      cmocka_unit_test(err_reset_clears_everything),
      cmocka_unit_test(err_every_rc_maps_to_its_http_status),
      cmocka_unit_test(err_unknown_rc_is_an_internal_error),
      cmocka_unit_test(err_x_allocators_return_usable_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
