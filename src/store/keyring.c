/* keyring.c: see keyring.h. */
#include "store/keyring.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- key state ---- */

#define STATE_COLS "wrap_version, data_version, reencrypt_running, reencrypt_column, reencrypt_after"

static void read_state(db_stmt *st, store_key_state *out) {
  out->wrap_version = (uint32_t)db_col_i64(st, 0);
  out->data_version = (uint32_t)db_col_i64(st, 1);
  out->reencrypt_running = db_col_i64(st, 2) != 0;
  out->reencrypt_column = (int)db_col_i64(st, 3);
  out->reencrypt_after = db_col_i64(st, 4);
}

rp_rc store_keys_state(store *s, store_key_state *out, rp_err *e) {
  STORE_PREP(s, "SELECT " STATE_COLS " FROM key_state WHERE id = 1", e);
  rp_rc rc = store_row(st, "key state", e);
  if (rc) return rc;
  read_state(st, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_keys_state_set(store *s, const store_key_state *ks, rp_err *e) {
  STORE_PREP(s,
             "UPDATE key_state SET wrap_version = $1, data_version = $2, reencrypt_running = $3,"
             " reencrypt_column = $4, reencrypt_after = $5 WHERE id = 1",
             e);
  db_bind_i64(st, 1, ks->wrap_version);
  db_bind_i64(st, 2, ks->data_version);
  db_bind_i64(st, 3, ks->reencrypt_running);
  db_bind_i64(st, 4, ks->reencrypt_column);
  db_bind_i64(st, 5, ks->reencrypt_after);
  return store_exec_one(s, st, e);
}

/* ---- data keys ---- */

#define KEY_COLS "id, key_id, relationship_id, author_id, version, wrap_version, wrapped, created_at"

/* A key from the columns KEY_COLS starting at column c. */
static void read_key_at(db_stmt *st, int c, arena *a, store_data_key *k) {
  memset(k, 0, sizeof *k);
  k->id = db_col_i64(st, c);
  const char *kid = db_col_text(st, c + 1);
  if (kid) snprintf(k->ref.key_id, sizeof k->ref.key_id, "%s", kid);
  k->ref.relationship_id = db_col_i64(st, c + 2);
  k->ref.author_id = db_col_i64(st, c + 3);
  k->ref.version = (uint32_t)db_col_i64(st, c + 4);
  k->wrap_version = (uint32_t)db_col_i64(st, c + 5);
  k->wrapped = store_col_blob(st, c + 6, a);
  k->created_at = db_col_i64(st, c + 7);
}

static void read_key(db_stmt *st, arena *a, void *elem) { read_key_at(st, 0, a, elem); }

rp_rc store_key_get(store *s, int64_t rel_id, int64_t author_id, uint32_t version, arena *a,
                    store_data_key *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT " KEY_COLS " FROM data_keys WHERE relationship_id = $1 AND author_id = $2"
             " AND version = $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, author_id);
  db_bind_i64(st, 3, version);
  rp_rc rc = store_row(st, "data key", e);
  if (rc) return rc;
  read_key(st, a, out);
  db_done(st);
  return RP_OK;
}

/* The key state and, in the same row, the key of (relationship, author)
 * at the data version in force (NULLs when it has none yet). */
#define SQL_KEY_IN_FORCE                                                                          \
  "SELECT s.wrap_version, s.data_version, s.reencrypt_running, s.reencrypt_column,"               \
  " s.reencrypt_after, k.id, k.key_id, k.relationship_id, k.author_id, k.version,"                \
  " k.wrap_version, k.wrapped, k.created_at FROM key_state s LEFT JOIN data_keys k"               \
  " ON k.relationship_id = $1 AND k.author_id = $2 AND k.version = s.data_version"                \
  " WHERE s.id = 1"

static db_stmt *key_in_force(store *s, int64_t rel_id, int64_t author_id, rp_err *e) {
  db_stmt *st = db_prep(s->db, SQL_KEY_IN_FORCE, e);
  if (!st) return NULL;
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, author_id);
  return st;
}

void store_key_in_force_ahead(store *s, int64_t rel_id, int64_t author_id) {
  rp_err e = {0};
  db_stmt *st = key_in_force(s, rel_id, author_id, &e);
  if (st) db_send_ahead(st); /* a failure shows when it is read */
}

rp_rc store_key_in_force(store *s, int64_t rel_id, int64_t author_id, arena *a,
                         store_key_state *ks, bool *found, store_data_key *k, rp_err *e) {
  db_stmt *st = key_in_force(s, rel_id, author_id, e);
  if (!st) return e ? e->rc : RP_ERR_INTERNAL;
  rp_rc rc = store_row(st, "key state", e);
  if (rc) return rc;
  read_state(st, ks);
  *found = !db_col_null(st, 5);
  if (*found) read_key_at(st, 5, a, k);
  db_done(st);
  return RP_OK;
}

rp_rc store_key_insert(store *s, store_data_key *k, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO data_keys (key_id, relationship_id, author_id, version, wrap_version,"
             " wrapped, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             e);
  db_bind_text(st, 1, k->ref.key_id);
  db_bind_i64(st, 2, k->ref.relationship_id);
  db_bind_i64(st, 3, k->ref.author_id);
  db_bind_i64(st, 4, k->ref.version);
  db_bind_i64(st, 5, k->wrap_version);
  db_bind_blob(st, 6, k->wrapped.data, k->wrapped.len);
  db_bind_i64(st, 7, k->created_at);
  return store_insert_id(st, &k->id, e);
}

rp_rc store_keys_list(store *s, int64_t after, int limit, arena *a, store_data_key **items,
                      size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s, "SELECT " KEY_COLS " FROM data_keys WHERE id > $1 ORDER BY id LIMIT $2", e);
  db_bind_i64(st, 1, after);
  db_bind_i64(st, 2, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_key, a, (void **)items, n, next, e);
}

rp_rc store_key_rewrap(store *s, int64_t id, uint32_t wrap_version, rp_blob wrapped, rp_err *e) {
  STORE_PREP(s, "UPDATE data_keys SET wrap_version = $2, wrapped = $3 WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, wrap_version);
  db_bind_blob(st, 3, wrapped.data, wrapped.len);
  return store_exec_one(s, st, e);
}

static void read_id_text(db_stmt *st, arena *a, void *elem) {
  *(char **)elem = arena_strdup(a, db_col_text(st, 0));
}

rp_rc store_key_ids_of_relationship(store *s, int64_t rel_id, arena *a, char ***ids, size_t *n,
                                    rp_err *e) {
  STORE_PREP(s,
             "SELECT key_id FROM data_keys WHERE relationship_id = $1"
             " UNION SELECT key_id FROM retired_key_ids WHERE relationship_id = $1",
             e);
  db_bind_i64(st, 1, rel_id);
  return store_collect(st, sizeof **ids, read_id_text, a, (void **)ids, n, e);
}

rp_rc store_key_ids_of_author(store *s, int64_t person_id, arena *a, char ***ids, size_t *n,
                              rp_err *e) {
  STORE_PREP(s,
             "SELECT key_id FROM data_keys WHERE author_id = $1"
             " UNION SELECT key_id FROM retired_key_ids WHERE author_id = $1",
             e);
  db_bind_i64(st, 1, person_id);
  return store_collect(st, sizeof **ids, read_id_text, a, (void **)ids, n, e);
}

rp_rc store_key_find(store *s, const char *key_id, bool *found, seal_keyref *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT key_id, relationship_id, author_id, version FROM data_keys WHERE key_id = $1",
             e);
  db_bind_text(st, 1, key_id);
  int r = db_step(st, e);
  *found = r == 1;
  if (r == 1) {
    memset(out, 0, sizeof *out);
    snprintf(out->key_id, sizeof out->key_id, "%s", db_col_text(st, 0));
    out->relationship_id = db_col_i64(st, 1);
    out->author_id = db_col_i64(st, 2);
    out->version = (uint32_t)db_col_i64(st, 3);
  }
  db_done(st);
  return r < 0 ? (e ? e->rc : RP_ERR_INTERNAL) : RP_OK;
}

static rp_rc forget_retired(store *s, int64_t rel_id, int64_t person_id, rp_err *e) {
  STORE_PREP(s,
             "DELETE FROM retired_key_ids WHERE relationship_id = $1 OR author_id = $2", e);
  db_bind_i64(st, 1, rel_id ? rel_id : -1);
  db_bind_i64(st, 2, person_id ? person_id : -1);
  return db_exec_stmt(st, e);
}

rp_rc store_keys_delete_relationship(store *s, int64_t rel_id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM data_keys WHERE relationship_id = $1", e);
  db_bind_i64(st, 1, rel_id);
  rp_rc rc = db_exec_stmt(st, e);
  return rc ? rc : forget_retired(s, rel_id, 0, e);
}

rp_rc store_keys_delete_author(store *s, int64_t person_id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM data_keys WHERE author_id = $1", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = db_exec_stmt(st, e);
  return rc ? rc : forget_retired(s, 0, person_id, e);
}

rp_rc store_key_delete(store *s, const char *key_id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM data_keys WHERE key_id = $1", e);
  db_bind_text(st, 1, key_id);
  return db_exec_stmt(st, e);
}

static rp_rc remember_retired(store *s, uint32_t version, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO retired_key_ids (key_id, relationship_id, author_id)"
             " SELECT key_id, relationship_id, author_id FROM data_keys WHERE version < $1"
             " ON CONFLICT (key_id) DO NOTHING",
             e);
  db_bind_i64(st, 1, version);
  return db_exec_stmt(st, e);
}

rp_rc store_keys_retire_below(store *s, uint32_t version, int64_t *deleted, rp_err *e) {
  *deleted = 0;
  rp_rc rc = remember_retired(s, version, e);
  if (rc) return rc;
  STORE_PREP(s, "DELETE FROM data_keys WHERE version < $1", e);
  db_bind_i64(st, 1, version);
  rc = db_exec_stmt(st, e);
  *deleted = rc ? 0 : db_changes(s->db);
  return rc;
}

/* ---- the sealed columns ----
 *
 * Each list statement returns id, relationship, author, author_key, blob. */

typedef struct sealed_col {
  seal_kind kind;
  const char *name;
  const char *rows; /* $1 after, $2 limit */
  const char *set;  /* $1 id, $2 blob */
  const char *clear; /* $1 relationship, $2 the empty blob */
} sealed_col;

/* A circle item is sealed with its author's key when it is private or
 * written since migration 0061 (author_sealed). */
#define CIRCLE_AUTHOR_KEY "CASE WHEN shared = 0 OR author_sealed = 1 THEN 1 ELSE 0 END"

static const sealed_col COLS[] = {
    {SEAL_NOTE, "notes.text_ct",
     "SELECT id, relationship_id, author_id, CASE WHEN visibility = 'private' THEN 1 ELSE 0 END,"
     " text_ct FROM notes WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE notes SET text_ct = $2 WHERE id = $1",
     "UPDATE notes SET text_ct = $2 WHERE relationship_id = $1"},
    {SEAL_REASON, "events.reason_ct",
     "SELECT id, relationship_id, COALESCE(actor_id, 0), 0, reason_ct FROM events"
     " WHERE id > $1 AND reason_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE events SET reason_ct = $2 WHERE id = $1",
     "UPDATE events SET reason_ct = $2 WHERE relationship_id = $1 AND reason_ct IS NOT NULL"},
    {SEAL_AGREEMENT, "agreements.body_ct",
     "SELECT id, relationship_id, 0, 0, body_ct FROM agreements WHERE id > $1 ORDER BY id"
     " LIMIT $2",
     "UPDATE agreements SET body_ct = $2 WHERE id = $1",
     "UPDATE agreements SET body_ct = $2 WHERE relationship_id = $1"},
    {SEAL_COMMITMENT, "commitments.text_ct",
     "SELECT id, relationship_id, 0, 0, text_ct FROM commitments WHERE id > $1 ORDER BY id"
     " LIMIT $2",
     "UPDATE commitments SET text_ct = $2 WHERE id = $1",
     "UPDATE commitments SET text_ct = $2 WHERE relationship_id = $1"},
    {SEAL_GOAL, "goals.body_ct",
     "SELECT id, relationship_id, 0, 0, body_ct FROM goals WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE goals SET body_ct = $2 WHERE id = $1",
     "UPDATE goals SET body_ct = $2 WHERE relationship_id = $1"},
    {SEAL_MILESTONE, "milestones.title_ct",
     "SELECT m.id, g.relationship_id, 0, 0, m.title_ct FROM milestones m"
     " JOIN goals g ON g.id = m.goal_id WHERE m.id > $1 ORDER BY m.id LIMIT $2",
     "UPDATE milestones SET title_ct = $2 WHERE id = $1",
     "UPDATE milestones SET title_ct = $2"
     " WHERE goal_id IN (SELECT id FROM goals WHERE relationship_id = $1)"},
    {SEAL_REQUEST, "requests.text_ct",
     "SELECT id, relationship_id, requester_id, 0, text_ct FROM requests WHERE id > $1"
     " ORDER BY id LIMIT $2",
     "UPDATE requests SET text_ct = $2 WHERE id = $1",
     "UPDATE requests SET text_ct = $2 WHERE relationship_id = $1"},
    {SEAL_REPLY, "requests.reply_ct",
     "SELECT id, relationship_id, responder_id, 0, reply_ct FROM requests WHERE id > $1"
     " AND reply_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE requests SET reply_ct = $2 WHERE id = $1",
     "UPDATE requests SET reply_ct = $2 WHERE relationship_id = $1 AND reply_ct IS NOT NULL"},
    {SEAL_FEEDBACK, "feedback.text_ct",
     "SELECT id, relationship_id, giver_id, 0, text_ct FROM feedback WHERE id > $1"
     " AND text_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE feedback SET text_ct = $2 WHERE id = $1",
     "UPDATE feedback SET text_ct = $2 WHERE relationship_id = $1 AND text_ct IS NOT NULL"},
    {SEAL_MAIL, "outbox.body_ct",
     "SELECT id, 0, 0, 0, body_ct FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE outbox SET body_ct = $2 WHERE id = $1",
     NULL /* mail belongs to no relationship */},
    {SEAL_INCIDENT, "incidents.text_ct",
     "SELECT id, relationship_id, reporter_id, 0, text_ct FROM incidents WHERE id > $1"
     " ORDER BY id LIMIT $2",
     "UPDATE incidents SET text_ct = $2 WHERE id = $1",
     "UPDATE incidents SET text_ct = $2 WHERE relationship_id = $1"},
    {SEAL_REPAIR_ACK, "repair_plans.acknowledgement_ct",
     "SELECT id, relationship_id, party_id, 0, acknowledgement_ct FROM repair_plans"
     " WHERE id > $1 AND acknowledgement_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE repair_plans SET acknowledgement_ct = $2 WHERE id = $1",
     "UPDATE repair_plans SET acknowledgement_ct = $2 WHERE relationship_id = $1"
     " AND acknowledgement_ct IS NOT NULL"},
    {SEAL_REPAIR_RESPONSIBILITY, "repair_plans.responsibility_ct",
     "SELECT id, relationship_id, party_id, 0, responsibility_ct FROM repair_plans"
     " WHERE id > $1 AND responsibility_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE repair_plans SET responsibility_ct = $2 WHERE id = $1",
     "UPDATE repair_plans SET responsibility_ct = $2 WHERE relationship_id = $1"
     " AND responsibility_ct IS NOT NULL"},
    /* 360 feedback: sealed with the requester's own key, outside relationships */
    {SEAL_F360_PURPOSE, "f360_requests.purpose_ct",
     "SELECT id, 0, requester_id, 1, purpose_ct FROM f360_requests WHERE id > $1 ORDER BY id"
     " LIMIT $2",
     "UPDATE f360_requests SET purpose_ct = $2 WHERE id = $1", NULL},
    {SEAL_F360_KEEP, "f360_answers.keep_ct",
     "SELECT a.id, 0, r.requester_id, 1, a.keep_ct FROM f360_answers a"
     " JOIN f360_requests r ON r.id = a.request_id WHERE a.id > $1 ORDER BY a.id LIMIT $2",
     "UPDATE f360_answers SET keep_ct = $2 WHERE id = $1", NULL},
    {SEAL_F360_CHANGE, "f360_answers.change_ct",
     "SELECT a.id, 0, r.requester_id, 1, a.change_ct FROM f360_answers a"
     " JOIN f360_requests r ON r.id = a.request_id WHERE a.id > $1 ORDER BY a.id LIMIT $2",
     "UPDATE f360_answers SET change_ct = $2 WHERE id = $1", NULL},
    {SEAL_F360_REPORT, "f360_requests.report_ct",
     "SELECT id, 0, requester_id, 1, report_ct FROM f360_requests WHERE id > $1"
     " AND report_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE f360_requests SET report_ct = $2 WHERE id = $1", NULL},
    /* Circles (key owner -circle id: crypto/seal.h); clearing relationship
     * $1 clears circle -$1, so shredding a circle's keys empties its texts. */
    {SEAL_AGREEMENT, "circle_agreements.text_ct",
     "SELECT id, -circle_id, COALESCE(author_id, 0), 0, text_ct FROM circle_agreements"
     " WHERE id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_agreements SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_agreements SET text_ct = $2 WHERE circle_id + $1 = 0"},
    {SEAL_COMMITMENT, "circle_items.text_ct (commitment)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'commitment' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'commitment'"},
    {SEAL_REQUEST, "circle_items.text_ct (request)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'request' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'request'"},
    {SEAL_REPLY, "circle_items.text_ct (reply)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'reply' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'reply'"},
    {SEAL_FEEDBACK, "circle_items.text_ct (feedback)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'feedback' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'feedback'"},
    {SEAL_NOTE, "circle_items.text_ct (note)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'note' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'note'"},
    {SEAL_GOAL, "circle_items.text_ct (goal)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'goal' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'goal'"},
    {SEAL_INCIDENT, "circle_items.text_ct (incident)",
     "SELECT id, -circle_id, author_id, " CIRCLE_AUTHOR_KEY ", text_ct FROM circle_items"
     " WHERE kind = 'incident' AND id > $1 ORDER BY id LIMIT $2",
     "UPDATE circle_items SET text_ct = $2 WHERE id = $1",
     "UPDATE circle_items SET text_ct = $2 WHERE circle_id + $1 = 0 AND kind = 'incident'"},
    {SEAL_REPAIR_ACK, "circle_repairs.acknowledgement_ct",
     "SELECT id, -circle_id, party_id, 1, acknowledgement_ct FROM circle_repairs"
     " WHERE id > $1 AND acknowledgement_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE circle_repairs SET acknowledgement_ct = $2 WHERE id = $1",
     "UPDATE circle_repairs SET acknowledgement_ct = $2 WHERE circle_id + $1 = 0"
     " AND acknowledgement_ct IS NOT NULL"},
    {SEAL_REPAIR_RESPONSIBILITY, "circle_repairs.responsibility_ct",
     "SELECT id, -circle_id, party_id, 1, responsibility_ct FROM circle_repairs"
     " WHERE id > $1 AND responsibility_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE circle_repairs SET responsibility_ct = $2 WHERE id = $1",
     "UPDATE circle_repairs SET responsibility_ct = $2 WHERE circle_id + $1 = 0"
     " AND responsibility_ct IS NOT NULL"},
    /* Single sign-on: the server's own secrets (relationship 0, like mail);
     * appended last, so a re-encryption under way keeps its column numbers */
    {SEAL_OIDC_SECRET, "oidc_providers.client_secret_ct",
     "SELECT id, 0, 0, 0, client_secret_ct FROM oidc_providers WHERE id > $1"
     " AND client_secret_ct IS NOT NULL ORDER BY id LIMIT $2",
     "UPDATE oidc_providers SET client_secret_ct = $2 WHERE id = $1", NULL},
    {SEAL_OIDC_ID_TOKEN, "oidc_sessions.id_token_ct",
     "SELECT session_id, 0, 0, 0, id_token_ct FROM oidc_sessions WHERE session_id > $1"
     " AND id_token_ct IS NOT NULL ORDER BY session_id LIMIT $2",
     "UPDATE oidc_sessions SET id_token_ct = $2 WHERE session_id = $1", NULL},
};
#define NCOLS ((int)(sizeof COLS / sizeof COLS[0]))

int store_sealed_columns(void) { return NCOLS; }
seal_kind store_sealed_kind(int col) { return COLS[col].kind; }
const char *store_sealed_name(int col) { return COLS[col].name; }

static void read_sealed(db_stmt *st, arena *a, void *elem) {
  store_sealed_row *r = elem;
  r->id = db_col_i64(st, 0);
  r->relationship_id = db_col_i64(st, 1);
  r->author_id = db_col_i64(st, 2);
  r->author_key = db_col_i64(st, 3) != 0;
  r->ct = store_col_blob(st, 4, a);
}

rp_rc store_sealed_rows(store *s, int col, int64_t after, int limit, arena *a,
                        store_sealed_row **items, size_t *n, rp_err *e) {
  STORE_PREP(s, COLS[col].rows, e);
  db_bind_i64(st, 1, after);
  db_bind_i64(st, 2, limit + 1);
  int64_t next;
  return store_page(st, limit, 0, sizeof **items, read_sealed, a, (void **)items, n, &next, e);
}

rp_rc store_sealed_set(store *s, int col, int64_t id, rp_blob ct, rp_err *e) {
  STORE_PREP(s, COLS[col].set, e);
  db_bind_i64(st, 1, id);
  db_bind_blob(st, 2, ct.data ? (const void *)ct.data : (const void *)"", ct.len);
  return db_exec_later(st, e); /* its answer is not needed: it goes with the next statement */
}

rp_rc store_sealed_clear_relationship(store *s, int64_t rel_id, rp_err *e) {
  for (int i = 0; i < NCOLS; i++) {
    if (!COLS[i].clear) continue;
    STORE_PREP(s, COLS[i].clear, e);
    db_bind_i64(st, 1, rel_id);
    db_bind_blob(st, 2, "", 0);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
  }
  return RP_OK;
}

rp_rc store_sealed_delete_private_notes(store *s, int64_t person_id, int64_t rel_id, rp_err *e) {
  STORE_PREP(s,
             "DELETE FROM notes WHERE author_id = $1 AND visibility = 'private'"
             " AND ($2 = 0 OR relationship_id = $2)",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, rel_id);
  return db_exec_stmt(st, e);
}

#define KEYS_CHANNEL "rapport_keys_destroyed"

rp_rc store_keys_destroyed_notify(store *s, rp_err *e) {
  return db_notify(s->db, KEYS_CHANNEL, e);
}

struct store_keys_watch {
  db *db;
};

rp_rc store_keys_watch_open(const char *path, store_keys_watch **out, rp_err *e) {
  *out = NULL;
  if (!store_is_postgres(path)) return RP_OK;
  db *d = NULL;
  rp_rc rc = db_open(path, &d, e);
  if (!rc) rc = db_listen(d, KEYS_CHANNEL, e);
  if (rc) {
    if (d) db_close(d);
    return rc;
  }
  *out = rp_xcalloc(1, sizeof **out);
  (*out)->db = d;
  return RP_OK;
}

int store_keys_watch_wait(store_keys_watch *w, int timeout_ms, rp_err *e) {
  int n = db_wait(w->db, timeout_ms, e);
  return n < 0 ? -1 : n > 0;
}

void store_keys_watch_close(store_keys_watch *w) {
  if (!w) return;
  db_close(w->db);
  free(w);
}

rp_rc store_checkpoint_truncate(store *s, rp_err *e) { return db_checkpoint_truncate(s->db, e); }
