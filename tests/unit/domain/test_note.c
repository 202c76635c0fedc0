/* test_note.c: note visibility and who may read a note (domain/note.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/note.h"

#define GUIDE 11
#define LEARNER 22
#define ADMIN 33

static const relationship rel = {.id = 5, .program_id = 1, .guide_id = GUIDE,
                                 .learner_id = LEARNER, .state = REL_ACTIVE};

static void visibility_names_round_trip(void **state) {
  (void)state;
  note_visibility v = NOTE_SHARED;
  assert_string_equal(note_visibility_name(NOTE_PRIVATE), "private");
  assert_string_equal(note_visibility_name(NOTE_SHARED), "shared");
  assert_true(note_visibility_parse("private", &v));
  assert_int_equal(v, NOTE_PRIVATE);
  assert_true(note_visibility_parse("shared", &v));
  assert_int_equal(v, NOTE_SHARED);
}

static void visibility_parse_refuses_other_names(void **state) {
  (void)state;
  note_visibility v = NOTE_SHARED;
  assert_false(note_visibility_parse("Private", &v));
  assert_false(note_visibility_parse("public", &v));
  assert_false(note_visibility_parse("", &v));
  assert_false(note_visibility_parse(NULL, &v));
  assert_int_equal(v, NOTE_SHARED);
}

static void author_always_reads_own_note(void **state) {
  (void)state;
  assert_true(note_readable(&rel, GUIDE, NOTE_PRIVATE, GUIDE));
  assert_true(note_readable(&rel, GUIDE, NOTE_SHARED, GUIDE));
  assert_true(note_readable(&rel, LEARNER, NOTE_PRIVATE, LEARNER));
}

static void other_party_reads_only_shared_notes(void **state) {
  (void)state;
  assert_false(note_readable(&rel, GUIDE, NOTE_PRIVATE, LEARNER));
  assert_true(note_readable(&rel, GUIDE, NOTE_SHARED, LEARNER));
  assert_false(note_readable(&rel, LEARNER, NOTE_PRIVATE, GUIDE));
  assert_true(note_readable(&rel, LEARNER, NOTE_SHARED, GUIDE));
}

static void admins_and_strangers_never_read_notes(void **state) {
  (void)state;
  assert_false(note_readable(&rel, GUIDE, NOTE_SHARED, ADMIN));
  assert_false(note_readable(&rel, GUIDE, NOTE_PRIVATE, ADMIN));
  assert_false(note_readable(&rel, LEARNER, NOTE_SHARED, 0));
}

static void note_by_non_party_is_readable_by_nobody(void **state) {
  (void)state;
  assert_false(note_readable(&rel, ADMIN, NOTE_SHARED, ADMIN));
  assert_false(note_readable(&rel, ADMIN, NOTE_SHARED, GUIDE));
}

static void private_note_readers_are_the_author_alone(void **state) {
  (void)state;
  int64_t out[2] = {0, 0};
  assert_int_equal(note_readers(&rel, LEARNER, NOTE_PRIVATE, out), 1);
  assert_int_equal(out[0], LEARNER);
}

static void shared_note_readers_are_author_then_other_party(void **state) {
  (void)state;
  int64_t out[2] = {0, 0};
  assert_int_equal(note_readers(&rel, LEARNER, NOTE_SHARED, out), 2);
  assert_int_equal(out[0], LEARNER);
  assert_int_equal(out[1], GUIDE);
  assert_int_equal(note_readers(&rel, GUIDE, NOTE_SHARED, out), 2);
  assert_int_equal(out[0], GUIDE);
  assert_int_equal(out[1], LEARNER);
}

static void text_has_1_to_20000_bytes(void **state) {
  (void)state;
  static char text[NOTE_TEXT_MAX + 2];
  memset(text, 'n', NOTE_TEXT_MAX);
  text[NOTE_TEXT_MAX] = '\0';
  rp_err e = {0};
  assert_int_equal(note_text_check(text, &e), RP_OK);
  text[NOTE_TEXT_MAX] = 'n';
  text[NOTE_TEXT_MAX + 1] = '\0';
  assert_int_equal(note_text_check(text, &e), RP_ERR_INVALID);
  assert_string_equal(e.field[0].pointer, "/text");
  rp_err e2 = {0};
  assert_int_equal(note_text_check("", &e2), RP_ERR_INVALID);
  assert_string_equal(e2.field[0].pointer, "/text");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(visibility_names_round_trip),
      cmocka_unit_test(visibility_parse_refuses_other_names),
      cmocka_unit_test(author_always_reads_own_note),
      cmocka_unit_test(other_party_reads_only_shared_notes),
      cmocka_unit_test(admins_and_strangers_never_read_notes),
      cmocka_unit_test(note_by_non_party_is_readable_by_nobody),
      cmocka_unit_test(private_note_readers_are_the_author_alone),
      cmocka_unit_test(shared_note_readers_are_author_then_other_party),
      cmocka_unit_test(text_has_1_to_20000_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
