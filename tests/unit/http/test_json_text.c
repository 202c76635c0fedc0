/* test_json_text.c: an answer's JSON text (src/http/json_text.c) is
 * byte for byte what json_dumps(v, HTTP_JSON_DUMP_FLAGS) writes, and fails
 * where it fails; jout writes the same text as the tree it builds. */
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

/* The same members through both jout backends, as render.c writes them. */
static void write_sample(jout *w, const char *name) {
  jout_object(w, NULL);
  jout_int(w, "id", 42);
  jout_int(w, "big", INT64_MIN);
  jout_str(w, "state", "active");
  jout_str(w, "name", name);
  jout_str(w, "none", NULL);
  jout_object(w, "accepted");
  jout_bool(w, "guide", true);
  jout_bool(w, "learner", false);
  jout_close(w);
  jout_object(w, "empty");
  jout_close(w);
  jout_id(w, "proposed_by", 0);
  jout_id(w, "owner", 7);
  jout_time(w, "proposed_at", 0);
  jout_time(w, "state_since", 1772355600);
  jout_null(w, "nothing");
  jout_close(w);
}

/* jout's text is http_json_text of jout's tree, for plain and escaped text. */
static void jout_writes_as_text_what_its_tree_gives(void **state) {
  (void)state;
  const char *names[] = {"Guide", "Zo\xc3\xab \"Z\" \\ O'Hara\n", "", "\xe2\x80\xa8"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    jout t, g;
    jout_text(&t);
    write_sample(&t, names[i]);
    char *text = jout_text_end(&t);
    jout_tree(&g);
    write_sample(&g, names[i]);
    json_t *tree = jout_tree_end(&g);
    assert_non_null(text);
    assert_non_null(tree);
    char *want = http_json_text(tree);
    assert_string_equal(text, want);
    assert_int_equal(json_integer_value(json_object_get(tree, "id")), 42);
    assert_true(json_is_null(json_object_get(tree, "proposed_at")));
    assert_string_equal(json_string_value(json_object_get(tree, "state_since")),
                        "2026-03-01T09:00:00Z");
    free(text);
    free(want);
    json_decref(tree);
  }
}

/* An object left open, one closed too often, text that is not UTF-8 and
 * nesting past JOUT_DEPTH_MAX give nothing. */
static void jout_gives_nothing_when_it_failed(void **state) {
  (void)state;
  for (int as_tree = 0; as_tree <= 1; as_tree++) {
    for (int c = 0; c < 4; c++) {
      jout w;
      if (as_tree) jout_tree(&w);
      else jout_text(&w);
      jout_object(&w, NULL);
      if (c == 1) jout_close(&w);
      if (c == 2) jout_str(&w, "bad", "\xff");
      if (c == 3)
        for (int d = 0; d < JOUT_DEPTH_MAX + 1; d++) jout_object(&w, "in");
      if (c != 0) jout_close(&w);
      if (c == 3)
        for (int d = 0; d < JOUT_DEPTH_MAX; d++) jout_close(&w);
      if (as_tree) assert_null(jout_tree_end(&w));
      else assert_null(jout_text_end(&w));
    }
  }
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
      cmocka_unit_test(jout_writes_as_text_what_its_tree_gives),
      cmocka_unit_test(jout_gives_nothing_when_it_failed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
