/* test_mail.c: retry times and the spelling of a message (domain/mail.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/mail.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

static void backoff_doubles_from_a_minute_to_four_hours(void **state) {
  (void)state;
  assert_int_equal(mail_next_attempt(1, T0, T0), T0 + 60);
  assert_int_equal(mail_next_attempt(2, T0, T0 + 60), T0 + 60 + 120);
  assert_int_equal(mail_next_attempt(3, T0, T0), T0 + 240);
  assert_int_equal(mail_next_attempt(8, T0, T0), T0 + 7680);
  assert_int_equal(mail_next_attempt(9, T0, T0), T0 + 14400); /* 15360 capped at 4 h */
  assert_int_equal(mail_next_attempt(40, T0, T0), T0 + 14400);
}

static void backoff_gives_up_48_hours_after_the_mail_was_written(void **state) {
  (void)state;
  assert_int_equal(mail_next_attempt(20, T0, T0 + 44 * 3600), T0 + 48 * 3600);
  assert_int_equal(mail_next_attempt(20, T0, T0 + 44 * 3600 + 1), 0);
  assert_int_equal(mail_next_attempt(1, T0, T0 + 48 * 3600 - 59), 0);
}

static void only_5xx_replies_are_permanent(void **state) {
  (void)state;
  assert_false(mail_code_permanent(0));
  assert_false(mail_code_permanent(421));
  assert_false(mail_code_permanent(451));
  assert_true(mail_code_permanent(500));
  assert_true(mail_code_permanent(550));
  assert_true(mail_code_permanent(554));
  assert_false(mail_code_permanent(600));
}

static void base64_lines_are_76_characters(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 4096);
  assert_int_equal(mail_base64_lines(&b, "Man", 3), 0);
  assert_string_equal(b.data, "TWFu\r\n");
  sb_free(&b);
  sb_init(&b, 4096);
  assert_int_equal(mail_base64_lines(&b, "Ma", 2), 0);
  assert_string_equal(b.data, "TWE=\r\n");
  sb_free(&b);
  char many[100];
  memset(many, 'a', sizeof many);
  sb_init(&b, 4096);
  assert_int_equal(mail_base64_lines(&b, many, sizeof many), 0);
  assert_int_equal(strcspn(b.data, "\r"), 76);
  assert_int_equal(b.len, 76 + 2 + 60 + 2); /* 57 bytes, then 43 (60 characters) */
  sb_free(&b);
}

static void header_words_encode_only_what_needs_it(void **state) {
  (void)state;
  strbuf b;
  sb_init(&b, 4096);
  assert_int_equal(mail_header_word(&b, "Plain words"), 0);
  assert_string_equal(b.data, "Plain words");
  sb_free(&b);
  sb_init(&b, 4096);
  assert_int_equal(mail_header_word(&b, "Zo\xc3\xab"), 0); /* Zoë */
  assert_string_equal(b.data, "=?UTF-8?B?Wm/Dqw==?=");
  sb_free(&b);
  sb_init(&b, 4096); /* a line break cannot smuggle a header in */
  assert_int_equal(mail_header_word(&b, "x\r\nBcc: a@b"), 0);
  assert_null(strchr(b.data, '\n'));
  sb_free(&b);
}

static void a_message_has_its_headers_and_two_parts(void **state) {
  (void)state;
  mail_message m = {.to = "a@example.org", .to_name = "Amara", .subject = "Hello",
                    .message_id = "<abc123@example.org>", .text = "Hi\n", .html = "<p>Hi</p>\n",
                    .unsubscribe = "https://r.example/u?x=1"};
  strbuf b;
  sb_init(&b, 65536);
  assert_int_equal(mail_compose(&b, &m), 0);
  assert_non_null(strstr(b.data, "To: Amara <a@example.org>\r\nSubject: Hello\r\n"
                                 "Message-ID: <abc123@example.org>\r\nMIME-Version: 1.0\r\n"));
  assert_non_null(strstr(b.data, "List-Unsubscribe: <https://r.example/u?x=1>\r\n"
                                 "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
  assert_non_null(strstr(b.data, "boundary=\"=_rapport_abc123exampleorg\""));
  assert_non_null(strstr(b.data, "Content-Type: text/plain; charset=utf-8\r\n"
                                 "Content-Transfer-Encoding: base64\r\n\r\nSGkNCg==\r\n"));
  assert_non_null(strstr(b.data, "--=_rapport_abc123exampleorg--\r\n"));
  assert_null(strstr(b.data, "text/calendar"));
  sb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(backoff_doubles_from_a_minute_to_four_hours),
      cmocka_unit_test(backoff_gives_up_48_hours_after_the_mail_was_written),
      cmocka_unit_test(only_5xx_replies_are_permanent),
      cmocka_unit_test(base64_lines_are_76_characters),
      cmocka_unit_test(header_words_encode_only_what_needs_it),
      cmocka_unit_test(a_message_has_its_headers_and_two_parts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
