/* test_transaction.c: the core's transaction and its moments
 * (src/app/core/transaction.c): app_event hands every recorded event, with
 * its reason, to the event_recorded moment, whose app_touch notes its
 * relationship as touched once however many events; app_finish runs
 * before_commit only on success, rolls back when it fails, and always ends
 * with after_end saying whether it committed.
 * The moments here are a recording table, not app/app.c's, so the core is
 * tested alone against a real SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "app/core/core.h"
#include "store/evidence.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */
#define LOG_MAX 16

/* What the moments saw, in order: 'e' event, 'b' before_commit, 'c'
 * after_end committed, 'r' after_end rolled back. */
typedef struct seen {
  char log[LOG_MAX + 1];
  size_t n;
  int64_t event_id, event_rel;
  char reason[32];
  int ntouched_before_commit;
  rp_rc event_rc, before_rc; /* what the moments answer */
} seen;

static seen g_seen;

static void note(char what) {
  if (g_seen.n < LOG_MAX) g_seen.log[g_seen.n++] = what;
}

static rp_rc on_event(app_ctx *c, const rel_event *ev, const char *reason, rp_err *e) {
  note('e');
  app_touch(c, ev->relationship_id); /* as app/app.c's moment does for most kinds */
  g_seen.event_id = ev->id;
  g_seen.event_rel = ev->relationship_id;
  snprintf(g_seen.reason, sizeof g_seen.reason, "%s", reason ? reason : "");
  if (g_seen.event_rc) return rp_fail(e, g_seen.event_rc, "moment_failed", "The moment failed.");
  return RP_OK;
}

static rp_rc on_before_commit(app_ctx *c, rp_err *e) {
  note('b');
  g_seen.ntouched_before_commit = c->ntouched;
  if (g_seen.before_rc) return rp_fail(e, g_seen.before_rc, "moment_failed", "The moment failed.");
  return RP_OK;
}

static void on_after_end(app_ctx *c, bool committed) {
  (void)c;
  note(committed ? 'c' : 'r');
}

static const app_moments recording = {on_event, on_before_commit, on_after_end, NULL};

typedef struct fixture {
  char dir[64], db[96];
  store *st;
  arena *a;
  app_env env;
  app_ctx c;
} fixture;

static int64_t count_events(fixture *f) {
  sqlite3 *raw;
  sqlite3_stmt *st;
  int64_t n = -1;
  if (sqlite3_open(f->db, &raw) != SQLITE_OK) return -1;
  if (sqlite3_prepare_v2(raw, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(raw);
  return n;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/rapport-txn-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
  rp_err e = {0};
  int applied = 0;
  if (store_open(f->db, &f->st, &e) || store_migrate(f->st, T0, &applied, &e)) return -1;
  sqlite3 *raw;
  if (sqlite3_open(f->db, &raw) != SQLITE_OK) return -1;
  int rc = sqlite3_exec(raw,
                        "INSERT INTO persons (id, email, name, created_at) VALUES"
                        " (1, 'g@x.org', 'Gwen', 0), (2, 'l@x.org', 'Lou', 0);"
                        "INSERT INTO programs (id, name, kind, cadence_days, reply_window_hours,"
                        " pulse_every_days, k_anonymity, created_at) VALUES (1, 'P', 'coaching',"
                        " 14, 48, 28, 5, 0);"
                        "INSERT INTO relationships (id, program_id, guide_id, learner_id, state,"
                        " proposed_at, state_since) VALUES (1, 1, 1, 2, 'active', 0, 0),"
                        " (2, 1, 1, 2, 'active', 0, 0);",
                        NULL, NULL, NULL);
  sqlite3_close(raw);
  if (rc != SQLITE_OK) return -1;
  f->a = arena_new(1 << 14);
  f->env.moments = &recording;
  f->c.env = &f->env;
  f->c.st = f->st;
  f->c.a = f->a;
  f->c.now = T0;
  f->c.actor = 1;
  memset(&g_seen, 0, sizeof g_seen);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  store_close(f->st);
  arena_free(f->a);
  char path[128];
  const char *files[] = {"t.db", "t.db-wal", "t.db-shm", "t.audit.db", "t.audit.db-wal",
                         "t.audit.db-shm"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
    unlink(path);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

static void an_event_reaches_its_moment_with_reason_and_commits_after_before_commit(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  rp_rc rc = app_event(&f->c, 1, "transition", 0, T0, "proposed", "active", "We agreed", &e);
  assert_int_equal(rc, RP_OK);
  assert_int_equal(app_finish(&f->c, rc, &e), RP_OK);
  assert_string_equal(g_seen.log, "ebc");
  assert_int_equal(g_seen.event_rel, 1);
  assert_true(g_seen.event_id > 0);
  assert_string_equal(g_seen.reason, "We agreed");
  assert_int_equal(g_seen.ntouched_before_commit, 1);
  assert_int_equal(f->c.ntouched, 0);
  assert_int_equal(count_events(f), 1);
}

static void each_relationship_is_touched_once_however_many_events(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  rp_rc rc = RP_OK;
  for (int i = 0; i < 3 && !rc; i++)
    rc = app_event(&f->c, 1, "note_added", 0, T0, NULL, NULL, NULL, &e);
  if (!rc) rc = app_event(&f->c, 2, "note_added", 0, T0, NULL, NULL, NULL, &e);
  assert_int_equal(rc, RP_OK);
  assert_int_equal(f->c.ntouched, 2);
  assert_int_equal(f->c.touched[0], 1);
  assert_int_equal(f->c.touched[1], 2);
  assert_int_equal(app_finish(&f->c, rc, &e), RP_OK);
  assert_string_equal(g_seen.log, "eeeebc");
  assert_int_equal(g_seen.ntouched_before_commit, 2);
  assert_int_equal(count_events(f), 4);
}

static void a_failed_action_rolls_back_without_before_commit(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(app_event(&f->c, 1, "note_added", 0, T0, NULL, NULL, NULL, &e), RP_OK);
  rp_rc rc = rp_fail(&e, RP_ERR_INVALID, "validation", "The request has invalid fields.");
  assert_int_equal(app_finish(&f->c, rc, &e), RP_ERR_INVALID);
  assert_string_equal(g_seen.log, "er");
  assert_int_equal(f->c.ntouched, 0);
  assert_int_equal(count_events(f), 0);
}

static void a_failing_before_commit_rolls_the_action_back(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  g_seen.before_rc = RP_ERR_INTERNAL;
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  rp_rc rc = app_event(&f->c, 1, "note_added", 0, T0, NULL, NULL, NULL, &e);
  assert_int_equal(app_finish(&f->c, rc, &e), RP_ERR_INTERNAL);
  assert_string_equal(e.code, "moment_failed");
  assert_string_equal(g_seen.log, "ebr");
  assert_int_equal(count_events(f), 0);
}

static void a_failing_event_moment_fails_the_event(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  g_seen.event_rc = RP_ERR_INTERNAL;
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  rp_rc rc = app_event(&f->c, 1, "note_added", 0, T0, NULL, NULL, "why", &e);
  assert_int_equal(rc, RP_ERR_INTERNAL);
  assert_int_equal(app_finish(&f->c, rc, &e), RP_ERR_INTERNAL);
  assert_string_equal(g_seen.log, "er");
  assert_int_equal(count_events(f), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(
          an_event_reaches_its_moment_with_reason_and_commits_after_before_commit, setup,
          teardown),
      cmocka_unit_test_setup_teardown(each_relationship_is_touched_once_however_many_events,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(a_failed_action_rolls_back_without_before_commit, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_failing_before_commit_rolls_the_action_back, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_failing_event_moment_fails_the_event, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
