/* test_keys.c: the data keys behind app_seal/app_open (src/app/privacy/crypt.c)
 * on a real database: per-relationship and per-author keys, rows bound to
 * their ids, format-1 rows, rotation (wrap and data) with the resumable
 * re-encryption job, crypto-shredding and the destroyed-key log replayed
 * into a restored backup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "app/app.h"

#define T0 ((rp_time)1772355600) /* 2026-03-01T09:00:00Z */

typedef struct fixture {
  char dir[64], db[96], key[96], log[96], backup[96];
  keys *k;
  store *st;
  arena *a;
  app_env env;
  app_ctx c;
  sqlite3 *raw; /* a second connection for fixtures and for looking at bytes */
} fixture;

static void raw_exec(fixture *f, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(f->raw, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
}

static int64_t raw_i64(fixture *f, const char *sql, int64_t arg) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->raw, sql, -1, &st, NULL), SQLITE_OK);
  if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, arg);
  int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return v;
}

static void new_ctx(fixture *f) {
  memset(&f->c, 0, sizeof f->c);
  f->c.env = &f->env;
  f->c.st = f->st;
  f->c.a = f->a;
  f->c.now = T0;
}

static int open_db(fixture *f, const char *path) {
  rp_err e = {0};
  int applied = 0;
  if (store_open(path, &f->st, &e) || store_migrate(f->st, T0, &applied, &e)) return -1;
  if (sqlite3_open(path, &f->raw) != SQLITE_OK) return -1;
  sqlite3_busy_timeout(f->raw, 2000);
  new_ctx(f);
  return 0;
}

static void close_db(fixture *f) {
  sqlite3_close(f->raw);
  store_close(f->st);
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/rapport-test-keys-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
  snprintf(f->key, sizeof f->key, "%s/t.key", f->dir);
  snprintf(f->log, sizeof f->log, "%s/t.destroyed", f->dir);
  snprintf(f->backup, sizeof f->backup, "%s/backup.db", f->dir);
  rp_err e = {0};
  if (keys_create(f->key, &e) || keys_load(f->key, &f->k, &e)) return -1;
  f->env = app_env_default(f->k);
  f->a = arena_new(1 << 16);
  if (open_db(f, f->db)) return -1;
  /* Two people, a program, and two relationships between them. */
  raw_exec(f, "INSERT INTO persons (id, email, name, created_at) VALUES"
              " (1, 'g@x.org', 'Gwen', 0), (2, 'l@x.org', 'Lou', 0);"
              "INSERT INTO programs (id, name, kind, cadence_days, reply_window_hours,"
              " pulse_every_days, k_anonymity, created_at) VALUES (1, 'P', 'coaching', 14, 48,"
              " 28, 5, 0);"
              "INSERT INTO relationships (id, program_id, guide_id, learner_id, state,"
              " proposed_at, state_since) VALUES (1, 1, 1, 2, 'active', 0, 0),"
              " (2, 1, 2, 1, 'active', 0, 0);");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  close_db(f);
  keys_free(f->k);
  arena_free(f->a);
  static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", "t.key", "t.destroyed",
                                      "backup.db", "backup.db-wal", "backup.db-shm"};
  char p[160];
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
    unlink(p);
  }
  rmdir(f->dir);
  free(f);
  return 0;
}

/* Adds a note the way app/practices/notes.c does: its id taken first, its
 * text sealed with it, then the row. Returns its id. */
static int64_t add_note(fixture *f, int64_t rel, int64_t author, bool private_note,
                        const char *text) {
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  store_note n = {0};
  n.relationship_id = rel;
  n.author_id = author;
  n.visibility = private_note ? NOTE_PRIVATE : NOTE_SHARED;
  n.created_at = T0;
  rp_rc rc = store_id_new(f->st, STORE_ID_NOTE, &n.id, &e);
  seal_ad ad = {SEAL_NOTE, rel, n.id, author, private_note};
  if (!rc) rc = app_seal(&f->c, &ad, text, strlen(text), &n.text, &e);
  if (!rc) rc = store_note_insert(f->st, &n, &e);
  assert_int_equal(app_finish(&f->c, rc, &e), RP_OK);
  return n.id;
}

/* Opens note id as app/practices/notes.c does; returns the rc, *out the text. */
static rp_rc read_note(fixture *f, int64_t id, const char **out) {
  rp_err e = {0};
  store_note n;
  assert_int_equal(store_begin_read(f->st, &e), RP_OK);
  rp_rc rc = store_note_get(f->st, id, f->a, &n, &e);
  if (!rc) {
    seal_ad ad = {SEAL_NOTE, n.relationship_id, n.id, n.author_id, n.visibility == NOTE_PRIVATE};
    rc = app_open(&f->c, &ad, n.text, out, &e);
  }
  store_rollback(f->st);
  app_crypt_forget(&f->c);
  return rc;
}

static void assert_note(fixture *f, int64_t id, const char *text) {
  const char *out = NULL;
  assert_int_equal(read_note(f, id, &out), RP_OK);
  assert_string_equal(out, text);
}

/* The key version in a note's blob header (-1 unless format 2). */
static int64_t key_version_of(fixture *f, int64_t note_id) {
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->raw, "SELECT text_ct FROM notes WHERE id = ?", -1, &st,
                                      NULL),
                   SQLITE_OK);
  sqlite3_bind_int64(st, 1, note_id);
  int64_t v = -1;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 5) {
    const unsigned char *b = sqlite3_column_blob(st, 0);
    if (b[0] == 2) v = (int64_t)b[1] << 24 | (int64_t)b[2] << 16 | (int64_t)b[3] << 8 | b[4];
  }
  sqlite3_finalize(st);
  return v;
}

static void each_relationship_gets_one_shared_key_and_private_notes_their_authors_key(
    void **state) {
  fixture *f = *state;
  int64_t a = add_note(f, 1, 1, false, "shared in one");
  int64_t b = add_note(f, 1, 2, false, "shared in one, by Lou");
  int64_t p = add_note(f, 1, 1, true, "Gwen's private thought");
  int64_t d = add_note(f, 2, 1, false, "shared in two");
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys", 0), 3);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE relationship_id = 1"
                              " AND author_id = 0", 0), 1);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE relationship_id = 1"
                              " AND author_id = 1", 0), 1);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE length(key_id) = 32"
                              " AND length(wrapped) = 72", 0), 3);
  assert_note(f, a, "shared in one");
  assert_note(f, b, "shared in one, by Lou");
  assert_note(f, p, "Gwen's private thought");
  assert_note(f, d, "shared in two");
  assert_int_equal(key_version_of(f, a), 1);
}

static void a_blob_copied_to_another_row_does_not_open(void **state) {
  fixture *f = *state;
  int64_t a = add_note(f, 1, 1, false, "the original");
  int64_t b = add_note(f, 1, 1, false, "another note");
  int64_t c = add_note(f, 2, 1, false, "in the other relationship");
  char sql[200];
  snprintf(sql, sizeof sql, "UPDATE notes SET text_ct = (SELECT text_ct FROM notes WHERE id = %lld)"
           " WHERE id IN (%lld, %lld)", (long long)a, (long long)b, (long long)c);
  raw_exec(f, sql);
  const char *out;
  assert_note(f, a, "the original");
  assert_int_equal(read_note(f, b, &out), RP_ERR_INTERNAL);
  assert_int_equal(read_note(f, c, &out), RP_ERR_INTERNAL);
  /* Made private (another key and binding), it does not open either. */
  snprintf(sql, sizeof sql, "UPDATE notes SET visibility = 'private' WHERE id = %lld",
           (long long)a);
  raw_exec(f, sql);
  assert_int_equal(read_note(f, a, &out), RP_ERR_NOT_FOUND); /* no such key for Gwen */
}

/* Stores a format-1 note (as written before the hierarchy) directly. */
static int64_t add_legacy_note(fixture *f, int64_t rel, int64_t author, const char *text) {
  char adb[64];
  int adn = snprintf(adb, sizeof adb, "%d|1|%lld|%lld", (int)SEAL_NOTE, (long long)rel,
                     (long long)author);
  size_t len = strlen(text);
  unsigned char blob[256];
  blob[0] = 1;
  randombytes_buf(blob + 1, 24);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 25, &clen, (const unsigned char *)text, len,
                                             (const unsigned char *)adb, (size_t)adn, NULL,
                                             blob + 1, keys_sub(f->k, KEYS_DATA));
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(f->raw,
                                      "INSERT INTO notes (relationship_id, author_id, visibility,"
                                      " created_at, text_ct) VALUES (?, ?, 'shared', 0, ?)",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_int64(st, 1, rel);
  sqlite3_bind_int64(st, 2, author);
  sqlite3_bind_blob(st, 3, blob, (int)(25 + clen), SQLITE_TRANSIENT);
  assert_int_equal(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  return sqlite3_last_insert_rowid(f->raw);
}

/* Runs re-encryption steps of `batch` rows until finished or `max_steps`. */
static int reencrypt_steps(fixture *f, int batch, int max_steps, bool *finished) {
  int total = 0;
  *finished = false;
  for (int i = 0; i < max_steps && !*finished; i++) {
    rp_err e = {0};
    int n = 0;
    assert_int_equal(store_begin_write(f->st, &e), RP_OK);
    rp_rc rc = app_keys_reencrypt_step(&f->c, batch, &n, finished, &e);
    assert_int_equal(app_finish(&f->c, rc, &e), RP_OK);
    total += n;
  }
  return total;
}

static app_keys_status status_of(fixture *f) {
  app_keys_status s;
  rp_err e = {0};
  assert_int_equal(app_keys_status_get(&f->c, &s, &e), RP_OK);
  return s;
}

static void format_1_rows_open_and_the_job_rewrites_them(void **state) {
  fixture *f = *state;
  int64_t old = add_legacy_note(f, 1, 2, "written last year");
  assert_note(f, old, "written last year");
  app_keys_status s = status_of(f);
  assert_int_equal(s.rows, 1);
  assert_int_equal(s.rows_legacy, 1);
  assert_true(s.reencrypt_running); /* the migration starts it */
  bool finished;
  assert_int_equal(reencrypt_steps(f, 100, 5, &finished), 1);
  assert_true(finished);
  assert_int_equal(raw_i64(f, "SELECT hex(substr(text_ct, 1, 1)) = '02' FROM notes WHERE id = ?",
                           old), 1);
  assert_note(f, old, "written last year");
  s = status_of(f);
  assert_int_equal(s.rows_legacy, 0);
  assert_false(s.reencrypt_running);
}

static void rotation_rewraps_then_reencrypts_resuming_after_a_restart(void **state) {
  fixture *f = *state;
  bool finished;
  reencrypt_steps(f, 100, 5, &finished); /* nothing legacy: ends the migration's run */
  int64_t ids[6];
  const char *texts[6] = {"one", "two", "three", "four", "five (private)", "six"};
  for (int i = 0; i < 6; i++) ids[i] = add_note(f, 1 + i % 2, 1, i == 4, texts[i]);
  int64_t legacy = add_legacy_note(f, 2, 2, "old format");
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys", 0), 3);

  /* --wrap: every key re-wrapped under wrapping version 2, texts unchanged. */
  int64_t rewrapped = 0;
  rp_err e = {0};
  assert_int_equal(app_keys_rotate_wrap(&f->c, &rewrapped, &e), RP_OK);
  assert_int_equal(rewrapped, 3);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE wrap_version = 2", 0), 3);
  for (int i = 0; i < 6; i++) assert_note(f, ids[i], texts[i]);

  /* --data: version 2 for new writes at once. */
  uint32_t v = 0;
  assert_int_equal(app_keys_rotate_data(&f->c, &v, &e), RP_OK);
  assert_int_equal(v, 2);
  int64_t fresh = add_note(f, 1, 2, false, "after the rotation");
  assert_int_equal(key_version_of(f, fresh), 2);
  app_keys_status s = status_of(f);
  assert_int_equal(s.rows, 8);
  assert_int_equal(s.rows_old, 6);
  assert_int_equal(s.rows_legacy, 1);
  assert_true(s.reencrypt_running);

  /* Two rows, then the process stops: a new connection resumes. */
  assert_int_equal(reencrypt_steps(f, 2, 1, &finished), 2);
  assert_false(finished);
  assert_int_equal(raw_i64(f, "SELECT reencrypt_after FROM key_state", 0), ids[1]);
  close_db(f);
  assert_int_equal(open_db(f, f->db), 0);
  assert_int_equal(status_of(f).rows_old, 4);
  assert_int_equal(reencrypt_steps(f, 2, 50, &finished), 5); /* 4 old + 1 legacy */
  assert_true(finished);

  s = status_of(f);
  assert_int_equal(s.rows_old + s.rows_legacy, 0);
  assert_false(s.reencrypt_running);
  /* The version-1 keys are gone; everything still reads. */
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE version = 1", 0), 0);
  for (int i = 0; i < 6; i++) {
    assert_int_equal(key_version_of(f, ids[i]), 2);
    assert_note(f, ids[i], texts[i]);
  }
  assert_note(f, legacy, "old format");
  assert_note(f, fresh, "after the rotation");
}

static int log_lines(fixture *f) {
  FILE *fp = fopen(f->log, "r");
  if (!fp) return 0;
  int n = 0;
  char line[128];
  while (fgets(line, sizeof line, fp)) n++;
  fclose(fp);
  return n;
}

static void shredding_a_relationship_survives_restoring_an_older_backup(void **state) {
  fixture *f = *state;
  int64_t gone = add_note(f, 1, 1, false, "to be forgotten");
  int64_t gone_private = add_note(f, 1, 2, true, "Lou's private note");
  int64_t kept = add_note(f, 2, 1, false, "still here");
  rp_err e = {0};
  assert_int_equal(store_backup(f->st, f->backup, &e), RP_OK);

  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  rp_rc rc = app_keys_shred_relationship(&f->c, 1, &e);
  assert_int_equal(log_lines(f), 2); /* written before the commit */
  assert_int_equal(app_finish(&f->c, rc, &e), RP_OK);
  const char *out;
  assert_int_equal(read_note(f, gone, &out), RP_ERR_NOT_FOUND);
  assert_int_equal(read_note(f, gone_private, &out), RP_ERR_NOT_FOUND);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE relationship_id = 1", 0), 0);
  assert_int_equal(raw_i64(f, "SELECT max(length(text_ct)) FROM notes WHERE relationship_id = 1",
                           0), 0);
  assert_note(f, kept, "still here");

  /* Restore the backup: before the replay it would still decrypt. */
  close_db(f);
  assert_int_equal(open_db(f, f->backup), 0);
  assert_note(f, gone, "to be forgotten");
  int n = 0;
  assert_int_equal(app_keys_replay(&f->c, f->log, &n, &e), RP_OK);
  assert_int_equal(n, 2);
  assert_int_equal(read_note(f, gone, &out), RP_ERR_NOT_FOUND);
  assert_int_equal(read_note(f, gone_private, &out), RP_ERR_NOT_FOUND);
  assert_note(f, kept, "still here");

  /* The deletion itself is replayed: the relationship is gone again. */
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM relationships WHERE id = 1", 0), 0);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM notes WHERE relationship_id = 1", 0), 0);

  /* A relationship made after the restore, even under the same row id, gets
   * a key with a new random id: a replay spares it. */
  raw_exec(f, "INSERT INTO relationships (id, program_id, guide_id, learner_id, state,"
              " proposed_at, state_since) VALUES (1, 1, 1, 2, 'active', 0, 0)");
  int64_t later = add_note(f, 1, 1, false, "written after the restore");
  assert_int_equal(app_keys_replay(&f->c, f->log, &n, &e), RP_OK);
  assert_int_equal(n, 0);
  assert_note(f, later, "written after the restore");
}

static void a_backup_from_before_a_rotation_is_shredded_by_the_retired_key_ids(void **state) {
  fixture *f = *state;
  bool finished;
  reencrypt_steps(f, 100, 5, &finished);
  int64_t gone = add_note(f, 1, 1, false, "under the version-1 key");
  int64_t kept = add_note(f, 2, 1, false, "the other relationship");
  rp_err e = {0};
  assert_int_equal(store_backup(f->st, f->backup, &e), RP_OK); /* holds only version-1 keys */
  uint32_t v;
  assert_int_equal(app_keys_rotate_data(&f->c, &v, &e), RP_OK);
  reencrypt_steps(f, 100, 5, &finished);
  assert_true(finished);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE version = 1", 0), 0);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM retired_key_ids", 0), 2);

  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(app_finish(&f->c, app_keys_shred_relationship(&f->c, 1, &e), &e), RP_OK);
  assert_int_equal(log_lines(f), 2); /* the version-2 key and the retired version-1 key */
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM retired_key_ids", 0), 1);

  close_db(f);
  assert_int_equal(open_db(f, f->backup), 0);
  int n = 0;
  assert_int_equal(app_keys_replay(&f->c, f->log, &n, &e), RP_OK);
  assert_int_equal(n, 1);
  const char *out;
  assert_int_equal(read_note(f, gone, &out), RP_ERR_NOT_FOUND);
  assert_note(f, kept, "the other relationship");
}

static void shredding_an_author_removes_their_private_notes_everywhere(void **state) {
  fixture *f = *state;
  int64_t p1 = add_note(f, 1, 1, true, "private in one");
  int64_t p2 = add_note(f, 2, 1, true, "private in two");
  int64_t shared = add_note(f, 1, 1, false, "shared by Gwen");
  int64_t lou = add_note(f, 1, 2, true, "Lou's own");
  rp_err e = {0};
  assert_int_equal(store_begin_write(f->st, &e), RP_OK);
  assert_int_equal(app_finish(&f->c, app_keys_shred_author(&f->c, 1, &e), &e), RP_OK);
  assert_int_equal(log_lines(f), 2);
  const char *out;
  assert_int_equal(read_note(f, p1, &out), RP_ERR_NOT_FOUND);
  assert_int_equal(read_note(f, p2, &out), RP_ERR_NOT_FOUND);
  assert_int_equal(raw_i64(f, "SELECT count(*) FROM data_keys WHERE author_id = 1", 0), 0);
  assert_note(f, shared, "shared by Gwen");
  assert_note(f, lou, "Lou's own");
}

int main(void) {
  if (!crypto_init()) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(
          each_relationship_gets_one_shared_key_and_private_notes_their_authors_key, setup,
          teardown),
      cmocka_unit_test_setup_teardown(a_blob_copied_to_another_row_does_not_open, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(format_1_rows_open_and_the_job_rewrites_them, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(rotation_rewraps_then_reencrypts_resuming_after_a_restart,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(shredding_a_relationship_survives_restoring_an_older_backup,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          a_backup_from_before_a_rotation_is_shredded_by_the_retired_key_ids, setup, teardown),
      cmocka_unit_test_setup_teardown(shredding_an_author_removes_their_private_notes_everywhere,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
