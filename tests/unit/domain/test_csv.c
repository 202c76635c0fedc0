/* test_csv.c: the RFC 4180 reader and writer (domain/csv.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/csv.h"

static const csv_limits LIM = {100, 10, 50};

static csv_table parse_ok(arena *a, const char *s) {
  csv_table t;
  rp_err e = {0};
  assert_int_equal(csv_parse(s, strlen(s), &LIM, a, &t, &e), RP_OK);
  return t;
}

static const char *parse_err(arena *a, const char *s, rp_err *e) {
  csv_table t;
  memset(e, 0, sizeof *e);
  assert_int_equal(csv_parse(s, strlen(s), &LIM, a, &t, e), RP_ERR_INVALID);
  assert_int_equal(e->nfield, 1);
  assert_string_equal(e->field[0].pointer, "");
  return e->code;
}

static void quotes_commas_newlines_bom_and_crlf(void **state) {
  (void)state;
  arena *a = arena_new(4096);
  csv_table t = parse_ok(a, "\xEF\xBB\xBF" "a,\"b,c\",\"d \"\"q\"\"\"\r\n\"multi\r\nline\",,x\r\n");
  assert_true(t.had_bom);
  assert_int_equal(t.nrows, 2);
  assert_int_equal(t.rows[0].n, 3);
  assert_string_equal(t.rows[0].f[0].s, "a");
  assert_string_equal(t.rows[0].f[1].s, "b,c");
  assert_string_equal(t.rows[0].f[2].s, "d \"q\"");
  assert_int_equal(t.rows[1].line, 2);
  assert_string_equal(t.rows[1].f[0].s, "multi\r\nline");
  assert_int_equal(t.rows[1].f[1].len, 0);
  assert_string_equal(t.rows[1].f[2].s, "x");
  arena_free(a);
}

static void lf_blank_lines_trailing_comma_and_no_final_newline(void **state) {
  (void)state;
  arena *a = arena_new(4096);
  csv_table t = parse_ok(a, "a,b\n\n\nc,\nd");
  assert_int_equal(t.nrows, 3);
  assert_int_equal(t.rows[1].line, 4);
  assert_int_equal(t.rows[1].n, 2);
  assert_int_equal(t.rows[1].f[1].len, 0);
  assert_int_equal(t.rows[2].line, 5);
  assert_string_equal(t.rows[2].f[0].s, "d");
  assert_int_equal(parse_ok(a, "").nrows, 0);
  assert_int_equal(parse_ok(a, "\xEF\xBB\xBF").nrows, 0);
  arena_free(a);
}

static void refusals_name_their_line(void **state) {
  (void)state;
  arena *a = arena_new(4096);
  rp_err e;
  assert_string_equal(parse_err(a, "a\nb\"c\n", &e), "csv_malformed");
  assert_string_equal(e.detail, "Line 2: a quote inside an unquoted field.");
  assert_string_equal(parse_err(a, "a\n\"open\nstill", &e), "csv_malformed");
  assert_string_equal(e.detail, "Line 3: a quoted field is not closed.");
  assert_string_equal(parse_err(a, "\"x\"y\n", &e), "csv_malformed");
  assert_string_equal(parse_err(a, "a\rb\n", &e), "csv_malformed");
  assert_string_equal(parse_err(a, "a,\xC3(\n", &e), "csv_malformed");
  assert_string_equal(e.detail, "The file is not UTF-8 text.");
  assert_string_equal(parse_err(a, "a,\xED\xA0\x80\n", &e), "csv_malformed"); /* a surrogate */
  assert_string_equal(parse_err(a, "a,\xC0\xAF\n", &e), "csv_malformed");     /* overlong */
  assert_string_equal(parse_err(a, "1,2,3,4,5,6,7,8,9,10,11\n", &e), "csv_too_large");
  assert_string_equal(parse_err(a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", &e),
                      "csv_too_large");
  char many[400] = "";
  for (int i = 0; i < 101; i++) strcat(many, "x\n");
  assert_string_equal(parse_err(a, many, &e), "csv_too_large");
  assert_string_equal(e.detail, "Line 101: more records than allowed.");
  csv_table t;
  memset(&e, 0, sizeof e);
  assert_int_equal(csv_parse("a\0b", 3, &LIM, a, &t, &e), RP_ERR_INVALID);
  arena_free(a);
}

static void writer_quotes_only_what_needs_it(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 1024);
  assert_int_equal(csv_put(&b, true, "plain", 5), 0);
  assert_int_equal(csv_put(&b, false, "a,b", 3), 0);
  assert_int_equal(csv_put(&b, false, "say \"hi\"", 8), 0);
  assert_int_equal(csv_put(&b, false, "two\nlines", 9), 0);
  assert_int_equal(csv_put(&b, false, "", 0), 0);
  assert_int_equal(csv_end_row(&b), 0);
  assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
  arena *a = arena_new(4096);
  csv_table t = parse_ok(a, b.data);
  assert_int_equal(t.rows[0].n, 5);
  assert_string_equal(t.rows[0].f[2].s, "say \"hi\"");
  arena_free(a);
  sb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(quotes_commas_newlines_bom_and_crlf),
      cmocka_unit_test(lf_blank_lines_trailing_comma_and_no_final_newline),
      cmocka_unit_test(refusals_name_their_line),
      cmocka_unit_test(writer_quotes_only_what_needs_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
