/* test_accounts.c: sign-in throttling rows and a person's sessions in the
 * store (src/store/accounts.h), on a fresh SQLite database per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

typedef struct fixture {
  char dir[64], path[96];
  store *st;
  arena *a;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/rapport-test-accounts-XXXXXX");
  if (!f->dir[0] || !mkdtemp(f->dir)) return -1;
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  rp_err e = {0};
  int applied = 0;
  if (store_open(f->path, &f->st, &e) || store_migrate(f->st, T0, &applied, &e)) return -1;
  f->a = arena_new(4096);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  char side[128];
  store_close(f->st);
  arena_free(f->a);
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(side, sizeof side, "%s%s", f->path, suffixes[i]);
    unlink(side);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

static void fail_at(fixture *f, const char *email, const char *address, rp_time at) {
  rp_err e = {0};
  assert_int_equal(store_login_failure_add(f->st, email, address, at, &e), RP_OK);
}

static rp_time nth_email(fixture *f, const char *email, rp_time since, int n) {
  rp_err e = {0};
  rp_time at = -1;
  assert_int_equal(store_login_failure_nth_by_email(f->st, email, since, n, &at, &e), RP_OK);
  return at;
}

static rp_time nth_address(fixture *f, const char *address, rp_time since, int n) {
  rp_err e = {0};
  rp_time at = -1;
  assert_int_equal(store_login_failure_nth_by_address(f->st, address, since, n, &at, &e), RP_OK);
  return at;
}

static void nth_failure_is_the_nth_most_recent_after_since(void **state) {
  fixture *f = *state;
  for (int i = 0; i < 5; i++) fail_at(f, "ann@x.org", "10.0.0.1", T0 + 60 * i);
  assert_int_equal(nth_email(f, "ann@x.org", T0 - 1, 1), T0 + 240);
  assert_int_equal(nth_email(f, "ann@x.org", T0 - 1, 5), T0);
  assert_int_equal(nth_email(f, "ann@x.org", T0 - 1, 6), 0);
  /* `since` itself is outside the window: the failure at T0 no longer counts. */
  assert_int_equal(nth_email(f, "ann@x.org", T0, 5), 0);
  assert_int_equal(nth_email(f, "ann@x.org", T0, 4), T0 + 60);
  assert_int_equal(nth_email(f, "bob@x.org", T0 - 1, 1), 0);
}

static void failures_count_per_address_across_accounts(void **state) {
  fixture *f = *state;
  fail_at(f, "ann@x.org", "10.0.0.1", T0);
  fail_at(f, "bob@x.org", "10.0.0.1", T0 + 1);
  fail_at(f, "cid@x.org", "10.0.0.2", T0 + 2);
  assert_int_equal(nth_address(f, "10.0.0.1", T0 - 1, 2), T0);
  assert_int_equal(nth_address(f, "10.0.0.1", T0 - 1, 3), 0);
  assert_int_equal(nth_address(f, "10.0.0.2", T0 - 1, 1), T0 + 2);
}

static void clearing_forgets_one_email_only_and_prune_drops_old_rows(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  fail_at(f, "ann@x.org", "10.0.0.1", T0);
  fail_at(f, "ann@x.org", "10.0.0.9", T0 + 10);
  fail_at(f, "bob@x.org", "10.0.0.1", T0 + 20);
  assert_int_equal(store_login_failures_clear(f->st, "ann@x.org", &e), RP_OK);
  assert_int_equal(nth_email(f, "ann@x.org", 0, 1), 0);
  assert_int_equal(nth_address(f, "10.0.0.1", 0, 1), T0 + 20);
  fail_at(f, "cid@x.org", "10.0.0.3", T0 + 30);
  assert_int_equal(store_login_failures_prune(f->st, T0 + 20, &e), RP_OK);
  assert_int_equal(nth_email(f, "bob@x.org", 0, 1), 0);
  assert_int_equal(nth_email(f, "cid@x.org", 0, 1), T0 + 30);
}

static int64_t person_new(fixture *f, const char *email) {
  rp_err e = {0};
  int64_t id = 0;
  assert_int_equal(store_person_insert(f->st, email, "P", "$argon2id$x", false, T0, &id, &e), RP_OK);
  return id;
}

static void session_new(fixture *f, int64_t who, unsigned char tag, rp_time created,
                        rp_time seen) {
  unsigned char hash[32];
  rp_err e = {0};
  memset(hash, tag, sizeof hash);
  assert_int_equal(store_session_insert(f->st, hash, who, created, &e), RP_OK);
  assert_int_equal(store_session_touch(f->st, hash, seen, &e), RP_OK);
}

static void sessions_list_only_the_live_ones_of_their_person_marking_the_current(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  int64_t ann = person_new(f, "ann@x.org"), bob = person_new(f, "bob@x.org");
  session_new(f, ann, 1, T0, T0 + 100);         /* live */
  session_new(f, ann, 2, T0, T0 + 50);          /* idle too long: seen before seen_since */
  session_new(f, ann, 3, T0 - 5000, T0 + 100);  /* too old: created before created_since */
  session_new(f, ann, 4, T0 + 10, T0 + 200);    /* live, current */
  session_new(f, bob, 5, T0, T0 + 100);         /* someone else's */
  unsigned char current[32];
  memset(current, 4, sizeof current);
  store_session *items = NULL;
  size_t n = 0;
  int64_t next = -1;
  assert_int_equal(store_sessions_of(f->st, ann, current, T0 + 60, T0 - 100, 0, 10, f->a, &items,
                                     &n, &next, &e),
                   RP_OK);
  assert_int_equal(n, 2);
  assert_int_equal(next, 0);
  assert_int_equal(items[0].id, 1);
  assert_int_equal(items[0].created_at, T0);
  assert_int_equal(items[0].last_seen_at, T0 + 100);
  assert_false(items[0].current);
  assert_int_equal(items[1].id, 4);
  assert_true(items[1].current);
  /* Pages of one. */
  assert_int_equal(store_sessions_of(f->st, ann, current, T0 + 60, T0 - 100, 0, 1, f->a, &items,
                                     &n, &next, &e),
                   RP_OK);
  assert_int_equal(n, 1);
  assert_int_equal(next, 1);
}

static void a_person_ends_only_their_own_sessions(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  int64_t ann = person_new(f, "ann@x.org"), bob = person_new(f, "bob@x.org");
  session_new(f, ann, 1, T0, T0);
  session_new(f, bob, 2, T0, T0);
  assert_int_equal(store_session_end(f->st, ann, 2, &e), RP_ERR_NOT_FOUND);
  assert_int_equal(store_session_end(f->st, ann, 99, &e), RP_ERR_NOT_FOUND);
  rp_err_reset(&e);
  assert_int_equal(store_session_end(f->st, ann, 1, &e), RP_OK);
  assert_int_equal(store_session_end(f->st, ann, 1, &e), RP_ERR_NOT_FOUND);
}

static void ending_the_others_keeps_the_current_and_other_peoples(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  int64_t ann = person_new(f, "ann@x.org"), bob = person_new(f, "bob@x.org");
  session_new(f, ann, 1, T0, T0);
  session_new(f, ann, 2, T0, T0);
  session_new(f, ann, 3, T0, T0);
  session_new(f, bob, 4, T0, T0);
  unsigned char keep[32];
  memset(keep, 2, sizeof keep);
  int64_t ended = -1;
  assert_int_equal(store_sessions_end_others(f->st, ann, keep, &ended, &e), RP_OK);
  assert_int_equal(ended, 2);
  store_session *items = NULL;
  size_t n = 0;
  int64_t next = 0;
  assert_int_equal(store_sessions_of(f->st, ann, keep, 0, 0, 0, 10, f->a, &items, &n, &next, &e),
                   RP_OK);
  assert_int_equal(n, 1);
  assert_int_equal(items[0].id, 2);
  assert_int_equal(store_sessions_of(f->st, bob, keep, 0, 0, 0, 10, f->a, &items, &n, &next, &e),
                   RP_OK);
  assert_int_equal(n, 1);
  assert_int_equal(items[0].id, 4);
}

static void rehash_replaces_only_the_hash_it_was_given(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  int64_t ann = person_new(f, "ann@x.org");
  const char *hash = NULL;
  person p;
  assert_int_equal(store_person_rehash(f->st, ann, "$argon2id$other", "$argon2id$new", &e), RP_OK);
  assert_int_equal(store_person_by_email(f->st, "ann@x.org", f->a, &p, &hash, &e), RP_OK);
  assert_string_equal(hash, "$argon2id$x");
  assert_int_equal(store_person_rehash(f->st, ann, "$argon2id$x", "$argon2id$new", &e), RP_OK);
  assert_int_equal(store_person_by_email(f->st, "ann@x.org", f->a, &p, &hash, &e), RP_OK);
  assert_string_equal(hash, "$argon2id$new");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(nth_failure_is_the_nth_most_recent_after_since, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(failures_count_per_address_across_accounts, setup, teardown),
      cmocka_unit_test_setup_teardown(clearing_forgets_one_email_only_and_prune_drops_old_rows,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          sessions_list_only_the_live_ones_of_their_person_marking_the_current, setup, teardown),
      cmocka_unit_test_setup_teardown(a_person_ends_only_their_own_sessions, setup, teardown),
      cmocka_unit_test_setup_teardown(ending_the_others_keeps_the_current_and_other_peoples, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(rehash_replaces_only_the_hash_it_was_given, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
