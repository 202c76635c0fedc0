/* test_store_limit.c: the process-wide page cap that simulates a full disk
 * (store_limit_pages_all in src/store/store.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#define NOW ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

static char g_dir[64];
static char g_path[96];

static int setup(void **state) {
  (void)state;
  snprintf(g_dir, sizeof g_dir, "/tmp/rapport-store-limit-XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  snprintf(g_path, sizeof g_path, "%s/t.db", g_dir);
  store *s;
  rp_err e = {0};
  int applied = 0;
  if (store_open(g_path, &s, &e) || store_migrate(s, NOW, &applied, &e)) return -1;
  store_close(s);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  store_limit_pages_all(0);
  char p[128];
  const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s/%s", g_dir, files[i]);
    unlink(p);
  }
  rmdir(g_dir);
  return 0;
}

static store *open_store(void) {
  store *s = NULL;
  rp_err e = {0};
  assert_int_equal(store_open(g_path, &s, &e), RP_OK);
  return s;
}

/* One write transaction adding n people with long names (many pages'
 * worth), emails tag-0 .. tag-(n-1). Returns how it ended. */
static rp_rc add_people(store *s, const char *tag, int n) {
  char name[201], email[64];
  memset(name, 'n', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  rp_err e = {0};
  rp_rc rc = store_begin_write(s, &e);
  for (int i = 0; !rc && i < n; i++) {
    int64_t id;
    snprintf(email, sizeof email, "%s-%d@rapport.test", tag, i);
    rc = store_person_insert(s, email, name, NULL, false, NOW, &id, &e);
  }
  if (!rc) rc = store_commit(s, &e);
  else store_rollback(s);
  return rc;
}

static bool person_exists(store *s, const char *email) {
  arena *a = arena_new(4096);
  person p;
  const char *hash;
  rp_err e = {0};
  rp_rc rc = store_person_by_email(s, email, a, &p, &hash, &e);
  arena_free(a);
  assert_true(rc == RP_OK || rc == RP_ERR_NOT_FOUND);
  return rc == RP_OK;
}

static void store_page_cap_refuses_growth_on_every_open_connection(void **state) {
  (void)state;
  store *s1 = open_store(), *s2 = open_store();
  store_limit_pages_all(1); /* below the current size: not one page more */
  assert_int_equal(add_people(s1, "one", 200), RP_ERR_FULL);
  assert_int_equal(add_people(s2, "two", 200), RP_ERR_FULL);
  /* the refused transactions left nothing */
  assert_false(person_exists(s1, "one-0@rapport.test"));
  assert_false(person_exists(s2, "two-0@rapport.test"));
  store_limit_pages_all(0);
  store_close(s1);
  store_close(s2);
}

static void store_page_cap_reaches_a_connection_opened_after_it(void **state) {
  (void)state;
  store_limit_pages_all(1);
  store *s = open_store();
  assert_int_equal(add_people(s, "late", 200), RP_ERR_FULL);
  assert_false(person_exists(s, "late-0@rapport.test"));
  store_limit_pages_all(0);
  store_close(s);
}

static void store_page_cap_lifted_lets_every_connection_grow_again(void **state) {
  (void)state;
  store *s1 = open_store(), *s2 = open_store();
  store_limit_pages_all(1);
  assert_int_equal(add_people(s1, "a", 200), RP_ERR_FULL);
  assert_int_equal(add_people(s2, "b", 200), RP_ERR_FULL);
  store_limit_pages_all(0);
  assert_int_equal(add_people(s1, "a", 200), RP_OK);
  assert_int_equal(add_people(s2, "b", 200), RP_OK);
  assert_true(person_exists(s2, "a-199@rapport.test"));
  assert_true(person_exists(s1, "b-199@rapport.test"));
  store_close(s1);
  store_close(s2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(store_page_cap_refuses_growth_on_every_open_connection),
      cmocka_unit_test(store_page_cap_reaches_a_connection_opened_after_it),
      cmocka_unit_test(store_page_cap_lifted_lets_every_connection_grow_again),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
