/* test_json_text.c: an answer's JSON text (src/http/json_text.c) is
 * byte for byte what json_dumps(v, HTTP_JSON_DUMP_FLAGS) writes, and fails
 * where it fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

/* Both texts of v must be the same (or both NULL); steals v. */
static void assert_same_text(json_t *v) {
  char *want = json_dumps(v, HTTP_JSON_DUMP_FLAGS);
  char *got = http_json_text(v);
  if (want) assert_string_equal(got, want);
  else assert_null(got);
  free(want);
  free(got);
  json_decref(v);
}

static json_t *parsed(const char *text) {
  json_error_t err;
  json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
  assert_non_null(v);
  return v;
}

static void json_text_writes_a_relationship_as_jansson_does(void **state) {
  (void)state;
  assert_same_text(parsed(
      "{\"id\":1,\"program_id\":1,\"state\":\"active\",\"accepted\":{\"guide\":true,"
      "\"learner\":false},\"proposed_by\":null,\"proposed_at\":\"2026-12-06T02:20:31Z\","
      "\"counts\":{\"notes\":0,\"goals\":12},\"guide\":{\"id\":2,\"name\":\"Guide\"}}"));
}

static void json_text_keeps_the_order_of_insertion(void **state) {
  (void)state;
  json_t *o = json_object();
  const char *names[] = {"zeta", "alpha", "mid", "b", "a", "yy", "c", "d", "e", "f", "g", "h"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    json_object_set_new(o, names[i], json_integer((json_int_t)i));
  json_object_del(o, "mid");
  json_object_set_new(o, "mid", json_string("again"));
  assert_same_text(o);
}

static void json_text_writes_integers_to_their_limits(void **state) {
  (void)state;
  json_t *a = json_array();
  json_int_t xs[] = {0, 1, -1, 9, 10, -10, 1234567890123LL, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) json_array_append_new(a, json_integer(xs[i]));
  assert_same_text(a);
}

static void json_text_leaves_reals_to_jansson(void **state) {
  (void)state;
  assert_same_text(parsed("[0.0, 1.5, -2.25, 1e300, 1e-300, 0.1, 3.0, 123456789.125, -0.0]"));
  json_t *a = json_array();
  json_array_append_new(a, json_real(1.0 / 3.0));
  json_array_append_new(a, json_real(2.0));
  json_array_append_new(a, json_real(-1e21));
  assert_same_text(a);
}

static void json_text_escapes_strings_as_jansson_does(void **state) {
  (void)state;
  assert_same_text(parsed("{\"q\\\"k\":\"say \\\"hi\\\"\",\"bs\":\"a\\\\b\",\"ctl\":\"\\n\\t\\r\\b\\f\\u0001\\u001f\","
                          "\"del\":\"\\u007f\",\"slash\":\"a/b\",\"nul\":\"a\\u0000b\","
                          "\"utf8\":\"Zo\\u00eb \\u2028 \\ud83d\\ude00\",\"\\u00e9t\\u00e9\":1,\"\":\"\"}"));
}

static void json_text_writes_empty_and_nested_containers(void **state) {
  (void)state;
  assert_same_text(parsed("{}"));
  assert_same_text(parsed("[]"));
  assert_same_text(parsed("[[],{},[[[{\"a\":[1,{\"b\":[]}]}]]],null,true,false]"));
}

static void json_text_writes_long_text_whole(void **state) {
  (void)state;
  json_t *a = json_array();
  char s[5000];
  memset(s, 'x', sizeof s - 1);
  s[sizeof s - 1] = '\0';
  for (int i = 0; i < 50; i++) json_array_append_new(a, json_string(s + i * 97));
  assert_same_text(a);
}

static void json_text_refuses_what_json_dumps_refuses(void **state) {
  (void)state;
  assert_same_text(json_string("only a string")); /* not an object or array */
  assert_same_text(json_integer(1));
  json_t *bad = json_array(); /* text that is not UTF-8 */
  json_array_append_new(bad, json_string_nocheck("\xff\xfe"));
  assert_same_text(bad);
  assert_null(http_json_text(NULL));
}

/* A key that is not UTF-8 can only come from jansson's unchecked setters,
 * which Rapport does not use; json_dumps then writes broken text ("{\":true}"),
 * http_json_text nothing. */
static void json_text_refuses_a_key_that_is_not_utf8(void **state) {
  (void)state;
  json_t *o = json_object();
  json_object_set_new_nocheck(o, "\xc3", json_true());
  assert_null(http_json_text(o));
  json_decref(o);
}

static void json_text_fails_on_a_cycle(void **state) {
  (void)state;
  json_t *a = json_array(), *b = json_array(); /* jansson refuses a in a itself */
  json_array_append(a, b);
  json_array_append(b, a);
  assert_null(json_dumps(a, HTTP_JSON_DUMP_FLAGS));
  assert_null(http_json_text(a));
  json_array_clear(b);
  json_decref(b);
  json_decref(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_text_writes_a_relationship_as_jansson_does),
      cmocka_unit_test(json_text_keeps_the_order_of_insertion),
      cmocka_unit_test(json_text_writes_integers_to_their_limits),
      cmocka_unit_test(json_text_leaves_reals_to_jansson),
      cmocka_unit_test(json_text_escapes_strings_as_jansson_does),
      cmocka_unit_test(json_text_writes_empty_and_nested_containers),
      cmocka_unit_test(json_text_writes_long_text_whole),
      cmocka_unit_test(json_text_refuses_what_json_dumps_refuses),
      cmocka_unit_test(json_text_refuses_a_key_that_is_not_utf8),
      cmocka_unit_test(json_text_fails_on_a_cycle),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
