/* store.h: Rapport's persistence, as domain-level operations.
 *
 * A `store` is one connection (one per server thread). Every function
 * returns an rp_rc (see base/err.h): RP_ERR_NOT_FOUND for a missing row,
 * RP_ERR_CONFLICT for a constraint, RP_ERR_FULL when storage is full,
 * RP_ERR_UNAVAILABLE for busy or I/O errors. Strings and arrays in results
 * are allocated from the arena the caller passes and live as long as it.
 *
 * Callers group operations in transactions: store_begin_write takes the
 * write lock at once (BEGIN IMMEDIATE); store_rollback is safe to call when
 * no transaction is open. List functions return at most `limit` rows with
 * ids greater than `after`, in id order, and set *next to the id to pass as
 * `after` for the following page, or 0 when there is none.
 *
 * `e` must not be NULL. Per-area operations are declared in the headers
 * included at the bottom.
 */
#ifndef RAPPORT_STORE_STORE_H
#define RAPPORT_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/blob.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "domain/program.h"
#include "domain/relationship.h"

typedef struct store store;


/* The audit database's file for a database path: "x.db" -> "x.audit.db",
 * else path + ".audit"; ":memory:" for an in-memory database. Malloc'd. */
char *store_audit_path(const char *db_path);

/* Opens (creating if needed) the database; does not migrate. */
rp_rc store_open(const char *path, store **out, rp_err *e);
/* Whether a Rapport database is at path: for SQLite, whether the file
 * exists; for PostgreSQL (the database must exist to connect), whether it
 * has Rapport's schema. */
rp_rc store_exists(const char *path, bool *out, rp_err *e);
/* What store_copy copied. */
typedef struct store_copy_stats {
  int64_t tables, rows;
} store_copy_stats;

/* Copies every row of the SQLite store `from` into the PostgreSQL store
 * `to`, both migrated to the same version and `to` empty, in one
 * transaction of `to` (copy.c says how). Close both stores afterwards: the
 * copy's statements are prepared on them for this copy alone. */
rp_rc store_copy(store *from, store *to, store_copy_stats *out, rp_err *e);

/* Tells every other process on the database that data keys were destroyed
 * (delivered when the open transaction commits): each then wipes the keys
 * it caches (store_keys_watch). Nothing to do on SQLite. */
rp_rc store_keys_destroyed_notify(store *s, rp_err *e);

/* A connection that listens for store_keys_destroyed_notify: NULL (and
 * RP_OK) on SQLite, where one process serves. store_keys_watch_wait waits
 * up to timeout_ms: 1 when keys were destroyed since the last wait, 0 when
 * not, -1 when the connection failed (reopen it, and assume they were). */
typedef struct store_keys_watch store_keys_watch;
rp_rc store_keys_watch_open(const char *path, store_keys_watch **out, rp_err *e);
int store_keys_watch_wait(store_keys_watch *w, int timeout_ms, rp_err *e);
void store_keys_watch_close(store_keys_watch *w);

/* Whether path names a PostgreSQL database (a postgresql:// URI) rather
 * than a SQLite file. */
bool store_is_postgres(const char *path);
/* False once the connection to the database is lost (db_connected): close
 * the store and open another. */
bool store_connected(store *s);
/* For the readiness check: whether the database answers and every
 * migration this build knows is applied (*migrated). */
rp_rc store_ready(store *s, bool *migrated, rp_err *e);
void store_close(store *s);

/* Applies pending numbered migrations, each in its own transaction, and
 * records them in schema_migrations. *applied counts those applied now. */
rp_rc store_migrate(store *s, rp_time now, int *applied, rp_err *e);
/* The highest applied migration, the highest this binary knows, and how
 * many of the binary's migrations are not applied yet (gaps included). */
rp_rc store_schema_version(store *s, int *current, int *latest, int *pending, rp_err *e);
/* Online backup to path (never a file copy). */
rp_rc store_backup(store *s, const char *path, rp_err *e);
/* Checkpoints the access log's file (the attached `audit` schema) once its
 * WAL has grown past a threshold, holding the write lock only for the
 * pages appended while the bulk was copied; the server calls it from its
 * job thread every second, so that the log writer's commits never run a
 * checkpoint while reads wait for them (store.c, db_sqlite.c). Not in a
 * transaction. */
rp_rc store_checkpoint_audit(store *s, rp_err *e);
/* The same for every store of the process (each server thread has its
 * own): each applies the latest cap before its next write transaction,
 * so a write the cap does not allow fails with RP_ERR_FULL. 0 = off. */
void store_limit_pages_all(int64_t pages);

/* A read transaction begun inside another transaction joins it; its commit
 * or rollback then only closes the inner level. A write may not begin inside
 * another transaction (RP_ERR_INTERNAL). */
rp_rc store_begin_write(store *s, rp_err *e);
/* A write transaction that concerns the relationship rel_id alone (its
 * rows, its counts, its events, evidence and warnings, mail and access-log
 * rows it causes): on PostgreSQL writes to one relationship serialise,
 * from every instance, and writes to different ones run side by side
 * (db_begin_write_rel); store_begin_write's writers wait for all of them.
 * The id of the event such a write records goes with its first statement
 * (store_id_ahead). On SQLite it is store_begin_write. */
rp_rc store_begin_write_rel(store *s, int64_t rel_id, rp_err *e);
/* A write that concerns one item's relationship alone, named by the
 * item's id (a goal's status, a reply to a request, a check-in's outcome):
 * on PostgreSQL it holds that relationship's lock as store_begin_write_rel
 * does, the relationship found from the item in the transaction's first
 * round trip (db_begin_write_item); store_item_locked then checks the
 * item's relationship as read against it. On SQLite store_begin_write. */
typedef enum store_item {
  STORE_ITEM_GOAL,
  STORE_ITEM_MILESTONE,
  STORE_ITEM_REQUEST,
  STORE_ITEM_CHECKIN,
  STORE_ITEM_INCIDENT,
  STORE_ITEM_REPAIR_PLAN,
  STORE_ITEM_COMMITMENT
} store_item;
rp_rc store_begin_write_item(store *s, store_item kind, int64_t id, rp_err *e);
/* After store_begin_write_item, with the relationship of the item as read:
 * RP_ERR_NOT_FOUND (e untouched) when that is not the relationship locked
 * (the item was not there when the lock was taken: to this write it does
 * not exist yet); RP_OK otherwise, and in any other transaction. */
rp_rc store_item_locked(store *s, int64_t rel_id, rp_err *e);
rp_rc store_begin_read(store *s, rp_err *e);
/* Ids of new rows taken before the row is written, so that the insert
 * needs no answer (its text sealed with its id, its insert sent with the
 * next statement): PostgreSQL's sequence of the table's id, which no other
 * writer is given; on SQLite the next row id, which the write lock keeps
 * free until the insert, as SQLite itself would choose it (so take it just
 * before the insert). */
typedef enum store_id_of { STORE_ID_NOTE, STORE_ID_EVENT } store_id_of;
rp_rc store_id_new(store *s, store_id_of table, int64_t *id, rp_err *e);
/* Sends store_id_new's statement ahead (db_send_ahead) on PostgreSQL, to
 * go with the transaction's next statement; nothing on SQLite, where the
 * id is read when it is taken. */
void store_id_ahead(store *s, store_id_of table);
/* A read whose first statement reads what decides the rest, such as a
 * GET's session with the row it asks for (db_begin_read_one: on
 * PostgreSQL that statement is its own snapshot and needs no BEGIN). */
rp_rc store_begin_read_one(store *s, rp_err *e);
rp_rc store_commit(store *s, rp_err *e);
void store_rollback(store *s);
/* Rolls back whatever is open, at any depth (the server's safety net). */
void store_end_all(store *s);
/* Whether this connection's commits wait for the disk (the default) or
 * not (db_set_durable): a rebuild of the trust sums, which can always be
 * run again, commits one relationship at a time without waiting; the mail
 * sender waits only at the end of each batch (app/reach/sender.c). Set
 * outside a transaction. */
rp_rc store_set_durable(store *s, bool durable, rp_err *e);

/* ---- people and sessions ---- */

rp_rc store_person_insert(store *s, const char *email, const char *name, const char *pw_hash,
                          bool site_admin, rp_time now, int64_t *id, rp_err *e);
rp_rc store_person_get(store *s, int64_t id, arena *a, person *out, rp_err *e);
/* *pw_hash is NULL when the person has not set a password yet. */
rp_rc store_person_by_email(store *s, const char *email, arena *a, person *out,
                            const char **pw_hash, rp_err *e);
rp_rc store_person_set_password(store *s, int64_t id, const char *pw_hash, rp_err *e);

rp_rc store_session_insert(store *s, const unsigned char hash[32], int64_t person_id, rp_time now,
                           rp_err *e);
/* A session and what admitting it asks of its person, as a request
 * presents it (no more: each column is work on every request). */
typedef struct store_signed_in {
  int64_t person_id;
  bool site_admin;
  rp_time created_at, last_seen_at; /* the session's */
  bool found; /* the row read with it (store_relationship_*_as) exists */
} store_signed_in;
/* Finds a session and its person in one query (found is left alone). */
rp_rc store_session_lookup(store *s, const unsigned char hash[32], store_signed_in *out, rp_err *e);
rp_rc store_session_touch(store *s, const unsigned char hash[32], rp_time now, rp_err *e);
/* Deletes the session; *deleted (may be NULL) tells whether there was one. */
rp_rc store_session_delete(store *s, const unsigned char hash[32], bool *deleted, rp_err *e);
/* Deletes sessions idle since before idle_before or created before created_before. */
rp_rc store_session_expire(store *s, rp_time idle_before, rp_time created_before, rp_err *e);

/* The devices of an account (migration 0024): forgets those of person_id
 * not seen since `before`; tells whether `hash` is one of them (*known)
 * and how many there are (*count); records it seen at `now` (its family
 * kept from the first time). */
rp_rc store_devices_forget(store *s, int64_t person_id, rp_time before, rp_err *e);
rp_rc store_device_known(store *s, int64_t person_id, const unsigned char hash[32], bool *known,
                         int64_t *count, rp_err *e);
rp_rc store_device_seen(store *s, int64_t person_id, const unsigned char hash[32],
                        const char *family, rp_time now, rp_err *e);

rp_rc store_invitation_insert(store *s, int64_t person_id, const unsigned char hash[32], rp_time now,
                              rp_time expires_at, rp_err *e);
/* Finds an unused, unexpired invitation; sets *person. */
rp_rc store_invitation_find(store *s, const unsigned char hash[32], rp_time now, int64_t *person_id,
                            rp_err *e);
/* How many invitations (and password resets) of person_id were made at or
 * after `since`. */
rp_rc store_invitations_since(store *s, int64_t person_id, rp_time since, int64_t *n, rp_err *e);
rp_rc store_invitation_use(store *s, const unsigned char hash[32], rp_time now, rp_err *e);

/* ---- programs and members ---- */

typedef struct store_member {
  person who;
  member_role role;
  rp_time since;
  int64_t cursor; /* opaque, for paging */
} store_member;

typedef struct store_program_role {
  program prog;
  member_role role;
} store_program_role;

rp_rc store_program_insert(store *s, const program *p, int64_t created_by, int64_t *id, rp_err *e);
rp_rc store_program_get(store *s, int64_t id, arena *a, program *out, rp_err *e);
/* Sets the settings a program's administrators may change: cadence,
 * reply window, pulse interval and the warnings turned off (k_anonymity
 * is left as it is). */
rp_rc store_program_settings_set(store *s, int64_t id, const program_settings *ps, arena *a,
                                 rp_err *e);

/* A change to a program, by whom and when; detail is a JSON object of
 * figures and codes (program_events). */
typedef struct store_program_event {
  int64_t id;
  const char *kind;
  int64_t actor_id; /* 0: the system */
  const char *actor_name;
  rp_time at;
  const char *detail;
} store_program_event;

rp_rc store_program_event_insert(store *s, int64_t program_id, const char *kind, int64_t actor,
                                 rp_time at, const char *detail, rp_err *e);
/* Newest first; `after` 0 starts at the newest, else the id of the last
 * row of the page before (rows with smaller ids follow). */
rp_rc store_program_events_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                                store_program_event **items, size_t *n, int64_t *next,
                                rp_err *e);
/* The ids of the program's active and paused relationships, in order. */
rp_rc store_program_current_relationships(store *s, int64_t program_id, arena *a, int64_t **ids,
                                          size_t *n, rp_err *e);
/* Adds the role; *added is false when the person already had it. */
rp_rc store_membership_add(store *s, int64_t program_id, int64_t person_id, member_role role,
                           rp_time now, bool *added, rp_err *e);
rp_rc store_membership_has(store *s, int64_t program_id, int64_t person_id, member_role role, bool *out,
                           rp_err *e);
rp_rc store_members_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                         store_member **items, size_t *n, int64_t *next, rp_err *e);
/* Every (program_id, role) of a person_id, for /me. */
rp_rc store_roles_of(store *s, int64_t person_id, arena *a, store_program_role **items, size_t *n,
                     rp_err *e);

/* ---- relationships and their events ---- */

typedef struct rel_event {
  int64_t id, relationship_id;
  const char *kind;     /* "proposed", "transition", "checkin_scheduled", ... */
  int64_t actor_id;     /* 0: the server's own jobs */
  rp_time at, recorded_at;
  int64_t subject_id;   /* the row the event is about, 0 if none */
  const char *from_state, *to_state; /* transitions only, else NULL */
  rp_blob reason;    /* sealed reason, len 0 if none */
} rel_event;

/* Fills r->id. */
rp_rc store_relationship_insert(store *s, relationship *r, rp_err *e);
rp_rc store_relationship_get(store *s, int64_t id, relationship *out, rp_err *e);
/* The same with the relationship's trust_seq (evidence.h), in one
 * statement. */
rp_rc store_relationship_get_seq(store *s, int64_t id, relationship *out, int64_t *trust_seq,
                                 rp_err *e);
rp_rc store_relationship_update(store *s, const relationship *r, rp_err *e);
/* Whether the pair already has a relationship in the program that is not
 * declined, ended or alumni. */
rp_rc store_relationship_open_exists(store *s, int64_t program_id, int64_t guide, int64_t learner,
                                     bool *out, rp_err *e);
rp_rc store_relationships_of_person(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                                    relationship **items, size_t *n, int64_t *next, rp_err *e);
rp_rc store_relationships_of_program(store *s, int64_t program_id, int64_t after, int limit,
                                     arena *a, relationship **items, size_t *n, int64_t *next,
                                     rp_err *e);

/* Inserts ev, setting ev->id (store_id_new: sent ahead with
 * store_id_ahead, it costs no round trip); the insert itself goes with the
 * next statement (db_exec_later). */
rp_rc store_event_insert(store *s, rel_event *ev, rp_err *e);
/* The events of a relationship that `viewer` may see (0: an admin, who is
 * no party): every event except the "note_added" of a note that is not
 * shared, unless the viewer wrote it. A private note, even a deleted one,
 * leaves no trace for anyone but its author. A 360 report shared with the
 * guide (or withdrawn) is the parties' own: an admin would learn of one
 * person's 360 feedback. */
#define STORE_EVENT_VISIBLE(viewer)                                                            \
  "((events.kind <> 'note_added' OR events.actor_id = " viewer                                  \
  " OR EXISTS (SELECT 1 FROM notes vn WHERE vn.id = events.subject_id"                          \
  " AND vn.visibility = 'shared'))"                                                             \
  " AND (events.kind NOT IN ('feedback360_shared', 'feedback360_unshared') OR " viewer " <> 0))"
rp_rc store_events_list(store *s, int64_t relationship_id, int64_t viewer, int64_t after,
                        int limit, arena *a, rel_event **items, size_t *n, int64_t *next,
                        rp_err *e);

/* A relationship with the counts shown with its metadata (to admins too),
 * kept on the relationship row by triggers (migration 0002), and, for a
 * viewer who is one of its parties, the guide's and the learner's names
 * (from a; NULL for anyone else, and for an account that is gone), in one
 * statement. Notes are counted as `viewer` may list them (one
 * who is neither party, an admin: shared notes only). */
typedef struct store_rel_counts {
  int64_t checkins_held, checkins_total, commitments_open, commitments_total, goals, notes,
      feedback, requests;
  int agreement_latest;   /* latest agreement version, 0 if none */
  int agreement_in_force; /* latest version acknowledged by both, 0 if none */
} store_rel_counts;
rp_rc store_relationship_get_counted(store *s, int64_t id, int64_t viewer, relationship *out,
                                     store_rel_counts *counts, arena *a, const char **guide_name,
                                     const char **learner_name, rp_err *e);
/* A GET's session and the relationship it asks for, in one statement
 * (on PostgreSQL the request's only one, db_begin_read_one): the session
 * of token hash `hash` in *who, and relationship id as
 * store_relationship_get_counted (viewer: that person) or
 * store_relationship_get_seq reads it, with who->found telling whether it
 * exists. (Whether a viewer who is no party administers its program is
 * not asked here: a statement of its own for that rare viewer costs less
 * than a subquery that every party's read would carry.) RP_ERR_NOT_FOUND
 * when there is no such session. */
rp_rc store_relationship_get_counted_as(store *s, const unsigned char hash[32], int64_t id,
                                        store_signed_in *who, relationship *out,
                                        store_rel_counts *counts, arena *a,
                                        const char **guide_name, const char **learner_name,
                                        rp_err *e);
rp_rc store_relationship_get_seq_as(store *s, const unsigned char hash[32], int64_t id,
                                    store_signed_in *who, relationship *out, int64_t *trust_seq,
                                    rp_err *e);

#include "store/store_activity.h"

#endif
