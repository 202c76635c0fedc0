/* test_access_log.c: the access log's canonical encoding, its BLAKE2b-256
 * chain, and the store's append-only rows in the audit database, the file
 * attached as `audit` (src/store/access_log.h). The
 * expected bytes and hashes were computed independently with Python's
 * struct and hashlib.blake2b(digest_size=32). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "crypto/keys.h"
#include "store/access_log.h"
#include "store/db.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

static void hex_of(const unsigned char *b, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static access_entry first_entry(void) {
  access_entry en;
  memset(&en, 0, sizeof en);
  en.seq = 1;
  en.at = T0;
  en.actor_id = 7;
  en.action = "read";
  en.subject_id = 8;
  en.relationship_id = 3;
  en.what = "notes,feedback";
  en.purpose = "shown in Rapport";
  return en;
}

static void encoding_is_tagged_big_endian_and_length_prefixed(void **state) {
  (void)state;
  access_entry en = first_entry();
  unsigned char buf[128];
  char hex[257];
  size_t n = access_log_encode(&en, buf, sizeof buf);
  assert_int_equal(n, 90);
  hex_of(buf, n, hex);
  assert_string_equal(hex,
                      "52414c3100000000000000010000000069a40010000000000000000700000004726561640000"
                      "00000000000800000000000000030000000e6e6f7465732c666565646261636b000000107368"
                      "6f776e20696e20526170706f7274");
  /* Too small a buffer: nothing written past it, the length still told. */
  assert_int_equal(access_log_encode(&en, buf, 10), 90);
}

static void encoding_keeps_field_boundaries_apart(void **state) {
  (void)state;
  access_entry a = first_entry(), b = first_entry();
  a.what = "notes,feedbackx";
  a.purpose = "y";
  b.what = "notes,feedback";
  b.purpose = "xy";
  unsigned char ha[ACCESS_HASH_LEN], hb[ACCESS_HASH_LEN];
  access_log_hash(&a, ha);
  access_log_hash(&b, hb);
  assert_memory_not_equal(ha, hb, ACCESS_HASH_LEN);
}

static void hash_chains_blake2b_256_over_previous_hash_and_encoding(void **state) {
  (void)state;
  access_entry en = first_entry();
  unsigned char h1[ACCESS_HASH_LEN], h2[ACCESS_HASH_LEN];
  char hex[65];
  access_log_hash(&en, h1);
  hex_of(h1, sizeof h1, hex);
  assert_string_equal(hex, "3b0c8b7012367fae60512d446e2346f5eef995c59c89028f42f4ca63200b0190");
  access_entry next = first_entry();
  next.seq = 2;
  next.at = T0 + 60;
  next.actor_id = 8;
  next.subject_id = 7;
  next.what = "goals";
  next.purpose = "export";
  memcpy(next.prev_hash, h1, sizeof h1);
  access_log_hash(&next, h2);
  hex_of(h2, sizeof h2, hex);
  assert_string_equal(hex, "1ee82e5bafe6e69c60d5ddb9a7279bc8d35d479811db43b9861453e5a78a6350");
}

static void every_field_changes_the_hash(void **state) {
  (void)state;
  unsigned char base[ACCESS_HASH_LEN], h[ACCESS_HASH_LEN];
  access_entry en = first_entry();
  access_log_hash(&en, base);
  for (int field = 0; field < 9; field++) {
    access_entry x = first_entry();
    switch (field) {
    case 0: x.seq = 2; break;
    case 1: x.at = T0 + 1; break;
    case 2: x.actor_id = 9; break;
    case 3: x.action = "reae"; break;
    case 4: x.subject_id = 9; break;
    case 5: x.relationship_id = 4; break;
    case 6: x.what = "notes"; break;
    case 7: x.purpose = "export"; break;
    default: x.prev_hash[31] = 1; break;
    }
    access_log_hash(&x, h);
    assert_memory_not_equal(h, base, ACCESS_HASH_LEN);
  }
}

/* ---- the store ---- */

typedef struct fixture {
  char dir[64], path[96], audit[112];
  store *st;
  arena *a;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/rapport-test-access-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  snprintf(f->audit, sizeof f->audit, "%s/t.audit.db", f->dir);
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
  static const char *const names[] = {"t", "t.audit", "b", "b.audit"};
  for (size_t j = 0; j < 4; j++) {
    for (size_t i = 0; i < 3; i++) {
      snprintf(side, sizeof side, "%s/%s.db%s", f->dir, names[j], suffixes[i]);
      unlink(side);
    }
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

static void append(fixture *f, access_entry *en) {
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(store_access_append(f->st, en, &e), RP_OK);
  assert_int_equal(store_commit(f->st, &e), RP_OK);
}

static void append_numbers_rows_and_chains_them(void **state) {
  fixture *f = *state;
  access_entry a = first_entry(), b = first_entry();
  a.seq = 99; /* ignored: the store numbers rows itself */
  append(f, &a);
  b.at = T0 + 60;
  b.actor_id = 8;
  b.subject_id = 7;
  b.what = "goals";
  b.purpose = "export";
  append(f, &b);
  assert_int_equal(a.seq, 1);
  assert_int_equal(b.seq, 2);
  char hex[65];
  hex_of(a.hash, ACCESS_HASH_LEN, hex);
  assert_string_equal(hex, "3b0c8b7012367fae60512d446e2346f5eef995c59c89028f42f4ca63200b0190");
  hex_of(b.hash, ACCESS_HASH_LEN, hex);
  assert_string_equal(hex, "1ee82e5bafe6e69c60d5ddb9a7279bc8d35d479811db43b9861453e5a78a6350");
  rp_err e = {0};
  int64_t seq;
  unsigned char head[ACCESS_HASH_LEN];
  assert_int_equal(store_access_head(f->st, &seq, head, &e), RP_OK);
  assert_int_equal(seq, 2);
  assert_memory_equal(head, b.hash, ACCESS_HASH_LEN);
  access_entry back;
  assert_int_equal(store_access_row(f->st, 1, f->a, &back, &e), RP_OK);
  assert_string_equal(back.what, "notes,feedback");
  assert_memory_equal(back.hash, a.hash, ACCESS_HASH_LEN);
}

static void rows_and_heads_refuse_update_and_delete(void **state) {
  fixture *f = *state;
  access_entry a = first_entry();
  append(f, &a);
  access_head h;
  memset(&h, 0, sizeof h);
  h.seq = 1;
  h.signed_at = T0;
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(store_access_head_insert(f->st, &h, &e), RP_OK);
  assert_int_equal(store_commit(f->st, &e), RP_OK);
  /* The store has no function that changes a row; the triggers refuse it
   * to anything else that tries through SQL on the same file. */
  sqlite3 *raw = NULL;
  assert_int_equal(sqlite3_open(f->audit, &raw), SQLITE_OK);
  static const char *const attempts[] = {
      "UPDATE access_log SET what = 'nothing' WHERE seq = 1",
      "DELETE FROM access_log WHERE seq = 1",
      "UPDATE access_log_heads SET signed_at = 0 WHERE seq = 1",
      "DELETE FROM access_log_heads",
  };
  for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
    assert_int_equal(sqlite3_exec(raw, attempts[i], NULL, NULL, NULL), SQLITE_CONSTRAINT);
  }
  sqlite3_close(raw);
  access_entry back;
  assert_int_equal(store_access_row(f->st, 1, f->a, &back, &e), RP_OK);
  assert_string_equal(back.what, "notes,feedback");
}

static void audit_file_is_named_after_the_database(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"/var/lib/rapport/rapport.db", "/var/lib/rapport/rapport.audit.db"},
      {"data/rapport", "data/rapport.audit"},
      {"x.sqlite", "x.sqlite.audit"},
      {".db", ".db.audit"},
      {":memory:", ":memory:"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *p = store_audit_path(cases[i][0]);
    assert_string_equal(p, cases[i][1]);
    free(p);
  }
}

/* The count of rows in the named table of the file at path, by a plain
 * SQLite connection (not the store's). */
static int64_t count_in(const char *path, const char *table) {
  sqlite3 *raw = NULL;
  sqlite3_stmt *st = NULL;
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  int64_t n = -1;
  if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(raw, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return n;
}

static void the_log_lives_in_the_audit_file_not_the_main_one(void **state) {
  fixture *f = *state;
  access_entry a = first_entry();
  append(f, &a);
  assert_int_equal(count_in(f->audit, "access_log"), 1);
  assert_int_equal(count_in(f->path, "access_log"), -1); /* no such table in main */
  assert_true(count_in(f->path, "schema_migrations") >= 10); /* migrations stay per main */
}

/* A reader that began before another connection appended, and takes the
 * write lock only before its first statement on `audit`, appends after the
 * newest row (no SQLITE_BUSY_SNAPSHOT) and leaves the main file unwritten. */
static void a_read_transaction_appends_after_a_later_commit(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  store *other = NULL;
  assert_int_equal(store_open(f->path, &other, &e), RP_OK);
  char wal[128];
  snprintf(wal, sizeof wal, "%s-wal", f->path);
  struct stat before, after;
  assert_int_equal(stat(wal, &before), 0);
  assert_int_equal(store_begin_read(f->st, &e), RP_OK);
  int cur = 0, latest = 0, pending = 0; /* a read of the main database */
  assert_int_equal(store_schema_version(f->st, &cur, &latest, &pending, &e), RP_OK);
  access_entry a = first_entry(), b = first_entry();
  assert_int_equal(store_begin_write(other, &e), RP_OK);
  assert_int_equal(store_access_append(other, &a, &e), RP_OK);
  assert_int_equal(store_commit(other, &e), RP_OK);
  assert_int_equal(store_access_lock(f->st, &e), RP_OK);
  assert_int_equal(store_access_append(f->st, &b, &e), RP_OK);
  assert_int_equal(store_commit(f->st, &e), RP_OK);
  assert_int_equal(a.seq, 1);
  assert_int_equal(b.seq, 2);
  assert_memory_equal(b.prev_hash, a.hash, ACCESS_HASH_LEN);
  /* The lock was released by the commit: a write can begin. */
  assert_int_equal(store_begin_write(other, &e), RP_OK);
  store_rollback(other);
  store_close(other);
  assert_int_equal(count_in(f->audit, "access_log"), 2);
  assert_int_equal(stat(wal, &after), 0); /* the main database was not written */
  assert_int_equal(after.st_size, before.st_size);
  assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
}

/* A batch (the log writer's commit) chains exactly like one row at a time:
 * the same seqs and hashes as append_numbers_rows_and_chains_them. */
static void a_batch_chains_like_rows_appended_one_by_one(void **state) {
  fixture *f = *state;
  access_entry rows[3] = {first_entry(), first_entry(), first_entry()};
  rows[1].at = T0 + 60;
  rows[1].actor_id = 8;
  rows[1].subject_id = 7;
  rows[1].what = "goals";
  rows[1].purpose = "export";
  rp_err e = {0};
  assert_int_equal(store_begin_read(f->st, &e), RP_OK);
  assert_int_equal(store_access_lock(f->st, &e), RP_OK);
  assert_int_equal(store_access_append_rows(f->st, rows, 2, &e), RP_OK);
  assert_int_equal(store_commit(f->st, &e), RP_OK);
  char hex[65];
  assert_int_equal(rows[0].seq, 1);
  assert_int_equal(rows[1].seq, 2);
  hex_of(rows[0].hash, ACCESS_HASH_LEN, hex);
  assert_string_equal(hex, "3b0c8b7012367fae60512d446e2346f5eef995c59c89028f42f4ca63200b0190");
  hex_of(rows[1].hash, ACCESS_HASH_LEN, hex);
  assert_string_equal(hex, "1ee82e5bafe6e69c60d5ddb9a7279bc8d35d479811db43b9861453e5a78a6350");
  /* The next batch continues from the stored head. */
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(store_access_append_rows(f->st, &rows[2], 1, &e), RP_OK);
  assert_int_equal(store_commit(f->st, &e), RP_OK);
  assert_int_equal(rows[2].seq, 3);
  assert_memory_equal(rows[2].prev_hash, rows[1].hash, ACCESS_HASH_LEN);
  /* An empty batch writes nothing. */
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(store_access_append_rows(f->st, NULL, 0, &e), RP_OK);
  assert_int_equal(store_commit(f->st, &e), RP_OK);
  assert_int_equal(count_in(f->audit, "access_log"), 3);
}

/* The server's checkpoint of the log (store_checkpoint_audit, from its job
 * thread) reaches the WAL's last frame, so the next commit starts the WAL
 * over instead of growing it; below its threshold it leaves the WAL be. */
static void the_log_checkpoint_lets_the_wal_start_over(void **state) {
  fixture *f = *state;
  rp_err e = {0};
  store *job = NULL;
  assert_int_equal(store_open(f->path, &job, &e), RP_OK);
  access_entry en = first_entry();
  append(f, &en);
  int small = db_audit_wal_pages();
  assert_int_equal(store_checkpoint_audit(job, &e), RP_OK); /* below the threshold: nothing */
  append(f, &en);
  assert_true(db_audit_wal_pages() > small);
  while (db_audit_wal_pages() < 1000) append(f, &en);
  int grown = db_audit_wal_pages();
  append(f, &en); /* without a checkpoint the WAL only grows */
  assert_true(db_audit_wal_pages() > grown);
  assert_int_equal(store_checkpoint_audit(job, &e), RP_OK);
  append(f, &en);
  assert_true(db_audit_wal_pages() < 10);
  /* Not inside a transaction (it takes the write lock itself). */
  assert_int_equal(store_begin_read(job, &e), RP_OK);
  assert_int_equal(store_checkpoint_audit(job, &e), RP_ERR_INTERNAL);
  store_rollback(job);
  store_close(job);
  int64_t seq;
  unsigned char head[ACCESS_HASH_LEN];
  assert_int_equal(store_access_head(f->st, &seq, head, &e), RP_OK);
  assert_int_equal(count_in(f->audit, "access_log"), seq);
}

static void a_backup_takes_the_audit_file_along(void **state) {
  fixture *f = *state;
  access_entry a = first_entry(), b = first_entry();
  append(f, &a);
  append(f, &b);
  char to[112], to_audit[128];
  snprintf(to, sizeof to, "%s/b.db", f->dir);
  snprintf(to_audit, sizeof to_audit, "%s/b.audit.db", f->dir);
  rp_err e = {0};
  assert_int_equal(store_backup(f->st, to, &e), RP_OK);
  assert_int_equal(count_in(to_audit, "access_log"), 2);
  assert_true(count_in(to, "schema_migrations") >= 10);
  store *back = NULL;
  assert_int_equal(store_open(to, &back, &e), RP_OK);
  int64_t seq = 0;
  unsigned char head[ACCESS_HASH_LEN];
  assert_int_equal(store_access_head(back, &seq, head, &e), RP_OK);
  assert_int_equal(seq, 2);
  assert_memory_equal(head, b.hash, ACCESS_HASH_LEN);
  store_close(back);
}

int main(void) {
  if (!crypto_init()) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(encoding_is_tagged_big_endian_and_length_prefixed),
      cmocka_unit_test(encoding_keeps_field_boundaries_apart),
      cmocka_unit_test(hash_chains_blake2b_256_over_previous_hash_and_encoding),
      cmocka_unit_test(every_field_changes_the_hash),
      cmocka_unit_test_setup_teardown(append_numbers_rows_and_chains_them, setup, teardown),
      cmocka_unit_test_setup_teardown(a_batch_chains_like_rows_appended_one_by_one, setup, teardown),
      cmocka_unit_test_setup_teardown(the_log_checkpoint_lets_the_wal_start_over, setup, teardown),
      cmocka_unit_test_setup_teardown(rows_and_heads_refuse_update_and_delete, setup, teardown),
      cmocka_unit_test(audit_file_is_named_after_the_database),
      cmocka_unit_test_setup_teardown(the_log_lives_in_the_audit_file_not_the_main_one, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_read_transaction_appends_after_a_later_commit, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_backup_takes_the_audit_file_along, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
