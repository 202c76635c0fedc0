/* audit.c: the access log (SECURITY.md, "Access log").
 *
 * Every opening of sealed text calls app_access_saw (app/privacy/crypt.c), which
 * notes (relationship, kind) in the request's arena: one entry per
 * relationship, so an export touching 500 relationships logs all 500.
 * app_access_flush turns what is new into rows, one per (relationship,
 * subject), where the subject is each party of the relationship other than
 * the actor, whose data the actor saw. A write appends them in its own
 * transaction (app_finish calls app_access_flush before committing); a
 * read builds them in its read transaction and hands them to the log
 * writer, whose commit its answer waits for ("the log writer" below). If
 * text was opened that never reached the log, app_access_pending says so
 * and the server answers 500 with nothing of the text.
 *
 * Rules chosen: the server's own jobs (actor 0) open text to compute or
 * re-encrypt, never to show it, and are not logged. A party's reading of
 * any text of their relationship, their own included, is logged for the
 * other party: the relationship's text is about both of them (a guide's
 * private note is about the learner), and the kinds, not the authors,
 * are what the open calls report. Nobody's own log lists their own reads.
 *
 * Built with RAPPORT_BENCH_PLAIN (meson -Dbench_plain=true, benchmarks
 * only) nothing is logged, so the bench can measure what logging costs.
 */
#include "app/privacy/privacy.h"
#include "base/log.h"
#include "base/metrics.h"
#include "crypto/seal.h"
#include "store/circles.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The bench-only build without encryption logs nothing. */
#ifdef RAPPORT_BENCH_PLAIN
#define APP_ACCESS_PLAIN true
#else
#define APP_ACCESS_PLAIN false
#endif

struct app_access {
  struct app_access *next;
  int64_t rel_id;
  int64_t guide_id, learner_id; /* the parties, when known at the opening (0: not yet) */
  unsigned kinds;  /* bit (1u << seal_kind) for every kind opened */
  unsigned logged; /* the bits already in the log */
};

/* The entry of (rel_id, and for text outside relationships its owner). */
static struct app_access *access_entry_of(app_ctx *c, int64_t rel_id, int64_t owner) {
  struct app_access *x = c->accessed;
  while (x && (x->rel_id != rel_id || (rel_id == 0 && x->guide_id != owner))) x = x->next;
  if (!x) {
    x = arena_zalloc(c->a, sizeof *x);
    x->rel_id = rel_id;
    if (rel_id == 0) { /* outside relationships: the owner is the one subject */
      x->guide_id = x->learner_id = owner;
    } else if (c->rel_parties.id == rel_id) { /* app_rel_load read it just before */
      x->guide_id = c->rel_parties.guide_id;
      x->learner_id = c->rel_parties.learner_id;
    }
    x->next = c->accessed;
    c->accessed = x;
    c->naccessed++;
  }
  return x;
}

void app_access_saw(app_ctx *c, int64_t rel_id, int kind) {
  unsigned bit = (kind > 0 && kind < 32) ? 1u << kind : 1u;
  access_entry_of(c, rel_id, 0)->kinds |= bit;
}

void app_access_saw_owned(app_ctx *c, int64_t owner_id, int kind) {
  unsigned bit = (kind > 0 && kind < 32) ? 1u << kind : 1u;
  access_entry_of(c, 0, owner_id)->kinds |= bit;
}

unsigned app_access_kinds(const app_ctx *c, int64_t rel_id) {
  for (const struct app_access *x = c->accessed; x; x = x->next)
    if (x->rel_id == rel_id) return x->kinds;
  return 0;
}

void app_access_saw_kinds(app_ctx *c, int64_t rel_id, unsigned kinds) {
  for (int k = 1; k < 32; k++)
    if (kinds & (1u << k)) app_access_saw(c, rel_id, k);
}

bool app_access_pending(const app_ctx *c) {
  for (const struct app_access *x = c->accessed; x; x = x->next)
    if (x->kinds & ~x->logged) return !APP_ACCESS_PLAIN;
  return false;
}

static const char *const g_kind_names[] = {
    [SEAL_NOTE] = "notes",
    [SEAL_FEEDBACK] = "feedback",
    [SEAL_REQUEST] = "requests",
    [SEAL_REPLY] = "replies",
    [SEAL_AGREEMENT] = "agreement",
    [SEAL_GOAL] = "goals",
    [SEAL_COMMITMENT] = "commitments",
    [SEAL_REASON] = "reasons",
    [SEAL_MAIL] = "mail",
    [SEAL_MILESTONE] = "milestones",
    [SEAL_INCIDENT] = "incidents",
    [SEAL_REPAIR_ACK] = "repair plans",
    [SEAL_REPAIR_RESPONSIBILITY] = "repair plans",
    [SEAL_F360_PURPOSE] = "360 feedback",
    [SEAL_F360_KEEP] = "360 feedback",
    [SEAL_F360_CHANGE] = "360 feedback",
    [SEAL_F360_REPORT] = "360 feedback",
};

const char *app_access_kind_name(int kind) {
  if (kind <= 0 || (size_t)kind >= sizeof g_kind_names / sizeof g_kind_names[0]) return NULL;
  return g_kind_names[kind];
}

/* "notes,feedback": the names of the kinds in bits, in seal-kind order,
 * each once ("other" for a kind without a name). */
static const char *kinds_text(arena *a, unsigned bits) {
  char buf[256];
  size_t len = 0;
  buf[0] = '\0';
  for (int k = 0; k < 32; k++) {
    if (!(bits & (1u << k))) continue;
    const char *name = app_access_kind_name(k);
    if (!name) name = "other";
    if (len && strstr(buf, name)) continue;
    int w = snprintf(buf + len, sizeof buf - len, "%s%s", len ? "," : "", name);
    if (w < 0 || (size_t)w >= sizeof buf - len) break;
    len += (size_t)w;
  }
  return arena_strdup(a, buf);
}

/* The access-log rows of what c opened since the last call, in the arena:
 * one per (relationship, subject), where the subjects are the parties
 * other than the actor. Marks what they cover as logged; nothing for the
 * server's own jobs (actor 0) and in the bench-only build. */
/* The people whose data a reading of x was about, other than the actor:
 * the relationship's two parties, or for a circle (x->rel_id is the
 * circle's key owner, -circle id: crypto/seal.h) everyone in it now. */
static rp_rc access_subjects(app_ctx *c, struct app_access *x, int64_t **subjects, size_t *n,
                             rp_err *e) {
  if (x->rel_id < 0) return store_circle_current_people(c->st, -x->rel_id, c->a, subjects, n, e);
  if (x->rel_id == 0) { /* text outside relationships: its owner is the one subject */
    *subjects = arena_zalloc(c->a, sizeof **subjects);
    (*subjects)[0] = x->guide_id;
    *n = 1;
    return RP_OK;
  }
  if (!x->guide_id) {
    relationship r;
    rp_rc rc = store_relationship_get(c->st, x->rel_id, &r, e);
    if (rc) return rc;
    x->guide_id = r.guide_id;
    x->learner_id = r.learner_id;
  }
  *subjects = arena_zalloc(c->a, 2 * sizeof **subjects);
  (*subjects)[0] = x->guide_id;
  (*subjects)[1] = x->learner_id;
  *n = 2;
  return RP_OK;
}

/* The access-log rows of what c opened since the last call, in the arena:
 * one per (relationship or circle, subject), where the subjects are the
 * parties (the people of the circle) other than the actor. Marks what they
 * cover as logged; nothing for the server's own jobs (actor 0) and in the
 * bench-only build. */
static rp_rc access_rows(app_ctx *c, access_entry **rows, size_t *n, rp_err *e) {
  *n = 0;
  size_t cap = 2 * c->naccessed + 1;
  *rows = arena_zalloc(c->a, sizeof **rows * cap);
  for (struct app_access *x = c->accessed; x; x = x->next) {
    unsigned fresh = x->kinds & ~x->logged;
    if (!fresh) continue;
    if (c->actor && !APP_ACCESS_PLAIN) {
      int64_t *subjects;
      size_t nsub;
      rp_rc rc = access_subjects(c, x, &subjects, &nsub, e);
      if (rc) return rc;
      if (*n + nsub > cap) { /* circles have more subjects than a pair */
        size_t grown = 2 * (*n + nsub) + 1;
        access_entry *more = arena_zalloc(c->a, sizeof *more * grown);
        memcpy(more, *rows, sizeof *more * *n);
        *rows = more;
        cap = grown;
      }
      const char *what = kinds_text(c->a, fresh);
      for (size_t i = 0; i < nsub; i++) {
        if (subjects[i] == c->actor || !subjects[i]) continue;
        access_entry *en = &(*rows)[(*n)++];
        en->at = c->now;
        en->actor_id = c->actor;
        en->action = "read";
        en->subject_id = subjects[i];
        en->relationship_id = x->rel_id;
        en->what = what;
        en->purpose = c->purpose ? c->purpose : APP_PURPOSE_SHOWN;
      }
    }
    x->logged |= fresh;
  }
  return RP_OK;
}

/* All logged: forget the list, which lives in an arena that callers such
 * as the demo reset between actions. */
static void access_forget(app_ctx *c) {
  c->accessed = NULL;
  c->naccessed = 0;
}

/* Appends rows in c's open transaction, taking the write lock before the
 * first statement on the audit schema (store/access_log.h); a write
 * transaction holds it already. */
static rp_rc append_in_transaction(app_ctx *c, access_entry *rows, size_t n, rp_err *e) {
  rp_rc rc = n ? store_access_lock(c->st, e) : RP_OK;
  if (!rc) rc = store_access_append_rows(c->st, rows, n, e);
  return rc;
}

/* Whether c runs in a read transaction (app_access_begin): a request that
 * opens text to show it, not to export it. */
static bool shows_only(const app_ctx *c) {
  return c->purpose && strcmp(c->purpose, APP_PURPOSE_SHOWN) == 0;
}

rp_rc app_access_flush(app_ctx *c, rp_err *e) {
  access_entry *rows;
  size_t n;
  rp_rc rc = access_rows(c, &rows, &n, e);
  if (!rc) rc = append_in_transaction(c, rows, n, e);
  if (!rc) access_forget(c);
  return rc;
}

rp_rc app_access_note_export(app_ctx *c, const char *what, rp_err *e) {
  access_entry en;
  memset(&en, 0, sizeof en);
  en.at = c->now;
  en.actor_id = c->actor;
  en.subject_id = c->actor;
  en.action = "export";
  en.what = what;
  en.purpose = APP_PURPOSE_EXPORT;
  return append_in_transaction(c, &en, 1, e);
}

/* ---- requests that open text without changing anything ---- */

/* A GET that opens text runs in a read transaction of the main database,
 * without the write lock, and its rows go only to the audit database (its
 * own file, attached as `audit`: store/access_log.h), so the main database
 * file is not written and the other server threads' page caches of it
 * stay valid. The server hands the rows to the log writer (below). Without
 * a writer (or while it stops) the read appends them itself at its end:
 * it takes the process's write lock, reads the chain's head, appends and
 * commits. Either way the response is sent only after that commit
 * returned.
 *
 * Durability of the audit database: synchronous=NORMAL (db_attach). In
 * WAL mode such a commit is written to the audit WAL without an fsync: a
 * crash of the process loses nothing (the OS has the pages), a power cut
 * may lose the newest rows since the audit file's last checkpoint (never
 * text, and never a hole in the chain: the lost rows are the newest).
 * FULL would make every read wait for the disk (bench/README.md has the
 * figure); build with -DRAPPORT_ACCESS_FULL_SYNC to compare. A write that
 * also opens text commits main at FULL and its log rows at NORMAL, main
 * first: SQLite's WAL commits each attached file atomically but not the
 * two together, and since the answer leaves only after both returned, a
 * crash in between can lose the rows of text that was never sent, never
 * send text whose rows are missing.
 *
 * On PostgreSQL the log writer's connection commits the same way
 * (db_set_durable false: synchronous_commit off): a commit returns once
 * it is in the log's buffers, visible to every instance; a crash of
 * Rapport loses nothing, a crash of PostgreSQL's machine may lose the
 * newest rows (never a hole in the chain: the log is written in order),
 * and the next commit that waits for the disk, any instance's write,
 * makes every row before it durable. Waiting for the disk there made
 * every read that opens text wait for a flush of its batch.
 *
 * The export (purpose "export") reads the audit schema itself (my access
 * log is part of it), so its append could meet a newer audit commit than
 * its snapshot (SQLITE_BUSY_SNAPSHOT): it runs as a write transaction,
 * holding the lock from the start, as every route did before. */

bool app_access_route_logs(const char *opens) { return opens != NULL && !APP_ACCESS_PLAIN; }

rp_rc app_access_begin(app_ctx *c, bool one, rp_err *e) {
  if (!shows_only(c)) return store_begin_write(c->st, e);
  return one ? store_begin_read_one(c->st, e) : store_begin_read(c->st, e);
}

rp_rc app_access_commit(app_ctx *c, rp_rc rc, rp_err *e) { return app_finish(c, rc, e); }

/* ---- the log writer: group commit for reads ---- */

/* A read that opened text hands its rows to the log writer and parks its
 * answer; the writer appends the rows of every read handed over since its
 * last commit in one transaction of the audit database (its own store
 * connection, the same process write lock and chain head as every other
 * append), commits, and releases each answer: sent when the commit
 * returned, replaced by a 500 when it failed. So the rule stays the one
 * above: no text leaves before the row that records its opening is
 * committed, and a read whose row cannot be written fails. What changes
 * is that one commit covers many reads instead of one. */

/* How long the writer waits after the first read of a commit for others to
 * join it: the longest an answer waits beyond its commit, and what makes
 * one commit cover many reads under load (bench/README.md has figures). */
#ifndef APP_ACCESS_LINGER_NS
#define APP_ACCESS_LINGER_NS 250000L
#endif

typedef struct access_job {
  struct access_job *next;
  access_entry *rows; /* heap: the rows, then their strings */
  size_t n;
  app_access_waiter waiter;
} access_job;

struct app_access_writer {
  pthread_mutex_t mu;
  pthread_cond_t wake;
  access_job *head, **tail;
  bool stopping;
  store *st;
  access_tail log_end; /* the log's head after the writer's last commit, if no one else appended */
  pthread_t thread;
  uint64_t batches, rows; /* counters, under mu */
};

/* One heap block holding copies of the rows and of their strings. */
static access_job *job_new(const access_entry *rows, size_t n, app_access_waiter waiter) {
  size_t bytes = sizeof(access_job) + sizeof *rows * n;
  for (size_t i = 0; i < n; i++)
    bytes += strlen(rows[i].action) + strlen(rows[i].what) + strlen(rows[i].purpose) + 3;
  access_job *j = rp_xmalloc(bytes);
  j->next = NULL;
  j->n = n;
  j->waiter = waiter;
  j->rows = (access_entry *)(j + 1);
  char *p = (char *)(j->rows + n);
  for (size_t i = 0; i < n; i++) {
    access_entry *en = &j->rows[i];
    *en = rows[i];
    const char **fields[3] = {&en->action, &en->what, &en->purpose};
    for (int f = 0; f < 3; f++) {
      size_t len = strlen(*fields[f]) + 1;
      memcpy(p, *fields[f], len);
      *fields[f] = p;
      p += len;
    }
  }
  return j;
}

/* Appends the rows of every job in one transaction; RP_OK once committed.
 * After the writer's own last commit, when no other appender came between,
 * that is one round trip to PostgreSQL (store_access_append_commit). */
static rp_rc write_batch(app_access_writer *w, access_job *jobs, rp_err *e) {
  size_t n = 0;
  for (access_job *j = jobs; j; j = j->next) n += j->n;
  access_entry *rows = rp_xmalloc(sizeof *rows * (n ? n : 1));
  n = 0;
  for (access_job *j = jobs; j; j = j->next) {
    memcpy(rows + n, j->rows, sizeof *rows * j->n); /* the strings stay the job's */
    n += j->n;
  }
  rp_rc rc = store_access_append_commit(w->st, rows, n, &w->log_end, e);
  free(rows);
  return rc;
}

static void *writer_main(void *arg) {
  app_access_writer *w = arg;
  for (;;) {
    pthread_mutex_lock(&w->mu);
    while (!w->head && !w->stopping) pthread_cond_wait(&w->wake, &w->mu);
    if (w->head && !w->stopping) {
      /* Let the reads arriving meanwhile join this commit (handoffs only
       * queue while the writer is not waiting, with no wake-up call). */
      pthread_mutex_unlock(&w->mu);
      struct timespec linger = {0, APP_ACCESS_LINGER_NS};
      nanosleep(&linger, NULL);
      pthread_mutex_lock(&w->mu);
    }
    access_job *jobs = w->head;
    w->head = NULL;
    w->tail = &w->head;
    pthread_mutex_unlock(&w->mu);
    if (!jobs) break; /* stopping, and nothing is left */
    rp_err e = {0};
    size_t nrows = 0;
    double t0 = metric_now();
    rp_rc rc = write_batch(w, jobs, &e);
    metric_observe(&g_metrics.audit_commit, metric_now() - t0);
    if (rc) log_error("access log: a batch of reads could not be logged: %s", e.detail);
    while (jobs) {
      access_job *j = jobs;
      jobs = j->next;
      nrows += j->n;
      j->waiter.release(j->waiter.arg, rc ? &e : NULL);
      free(j);
    }
    metric_observe(&g_metrics.audit_batch_rows, (double)nrows);
    pthread_mutex_lock(&w->mu);
    w->batches++;
    w->rows += nrows;
    pthread_mutex_unlock(&w->mu);
  }
  return NULL;
}

app_access_writer *app_access_writer_start(const char *db_path, rp_err *e) {
  if (APP_ACCESS_PLAIN) return NULL;
  app_access_writer *w = rp_xcalloc(1, sizeof *w);
  /* Its commits do not wait for the disk ("Durability" above). */
  if (store_open(db_path, &w->st, e) || store_set_durable(w->st, false, e)) {
    if (w->st) store_close(w->st);
    free(w);
    return NULL;
  }
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->wake, NULL);
  w->tail = &w->head;
  if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
    store_close(w->st);
    free(w);
    rp_fail(e, RP_ERR_INTERNAL, "thread", "The access-log writer could not start.");
    return NULL;
  }
  return w;
}

void app_access_writer_stop(app_access_writer *w) {
  if (!w) return;
  pthread_mutex_lock(&w->mu);
  bool was = w->stopping;
  w->stopping = true;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->mu);
  if (was) return;
  pthread_join(w->thread, NULL);
  log_info("access log: the writer appended %llu rows in %llu commits",
           (unsigned long long)w->rows, (unsigned long long)w->batches);
}

void app_access_writer_free(app_access_writer *w) {
  if (!w) return;
  app_access_writer_stop(w);
  store_close(w->st);
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->mu);
  free(w);
}

rp_rc app_access_handoff(app_ctx *c, app_access_writer *w, app_access_waiter waiter,
                         rp_err *e) {
  /* Only a read transaction hands over; an export is a write (app_access_begin). */
  if (!w || !shows_only(c)) return RP_OK;
  access_entry *rows;
  size_t n;
  rp_rc rc = access_rows(c, &rows, &n, e);
  if (rc || n == 0) {
    if (!rc) access_forget(c);
    return rc;
  }
  access_job *j = job_new(rows, n, waiter);
  bool handed = false;
  pthread_mutex_lock(&w->mu);
  if (!w->stopping) {
    waiter.park(waiter.arg); /* before the writer can see it, so release follows park */
    *w->tail = j;
    w->tail = &j->next;
    pthread_cond_signal(&w->wake);
    handed = true;
  }
  pthread_mutex_unlock(&w->mu);
  if (!handed) { /* stopping: the rows go into the caller's own transaction */
    free(j);
    rc = append_in_transaction(c, rows, n, e);
  }
  if (!rc) access_forget(c);
  return rc;
}

/* ---- my access log ---- */

/* Splits "notes,feedback" into an array of words in the arena. */
static const char **split_what(arena *a, const char *what, size_t *n) {
  size_t cap = 1;
  for (const char *p = what; p && *p; p++) cap += *p == ',';
  const char **out = arena_zalloc(a, sizeof *out * cap);
  *n = 0;
  for (const char *p = what; p && *p && *n < cap;) {
    size_t len = strcspn(p, ",");
    out[(*n)++] = arena_strndup(a, p, len);
    p += len;
    if (*p == ',') p++;
  }
  return out;
}

/* "notes", "notes and feedback", "notes, feedback and goals" from
 * "notes,feedback,goals"; "confidential text" for none. In the arena. */
static const char *join_words(arena *a, const char *what) {
  size_t n;
  const char **parts = split_what(a, what, &n);
  if (!n) return "confidential text";
  const char *out = parts[0];
  for (size_t i = 1; i < n; i++)
    out = arena_printf(a, "%s%s%s", out, i + 1 == n ? " and " : ", ", parts[i]);
  return out;
}

const char *app_access_sentence(arena *a, const char *actor_name, bool actor_is_guide,
                                bool rel_known, const char *prog_kind, const char *what,
                                const char *purpose) {
  const char *words = join_words(a, what);
  const char *name = actor_name ? actor_name : "A former member";
  bool exported = purpose && strcmp(purpose, APP_PURPOSE_EXPORT) == 0;
  const char *verb = exported ? "exported" : "read";
  if (!rel_known)
    return arena_printf(a, "%s %s %s in a relationship that has since been deleted.", name, verb,
                        words);
  bool coaching = prog_kind && strcmp(prog_kind, "coaching") == 0;
  const char *role = actor_is_guide ? (coaching ? "coach" : "mentor")
                                    : (coaching ? "coachee" : "mentee");
  return arena_printf(a, "%s, your %s, %s %s %s your %s relationship.", name, role, verb, words,
                      exported ? "from" : "in", coaching ? "coaching" : "mentoring");
}

const char *app_access_circle_sentence(arena *a, const char *actor_name, const char *what,
                                       const char *purpose) {
  const char *name = actor_name ? actor_name : "A former member";
  bool exported = purpose && strcmp(purpose, APP_PURPOSE_EXPORT) == 0;
  return arena_printf(a, "%s, of your circle, %s %s %s your circle.", name,
                      exported ? "exported" : "read", join_words(a, what),
                      exported ? "from" : "in");
}

rp_rc app_access_log_mine(app_ctx *c, int64_t after, int limit, app_access_item **items,
                          size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  access_view *rows = NULL;
  *n = 0;
  rc = store_access_of_subject(c->st, c->actor, after, app_page_limit(limit), c->a, &rows, n,
                               next, e);
  app_access_item *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; !rc && i < *n; i++) {
    const access_view *w = &rows[i];
    v[i].seq = w->en.seq;
    v[i].at = w->en.at;
    v[i].actor_id = w->en.actor_id;
    v[i].actor_name = w->actor_name ? w->actor_name : "A former member";
    v[i].what = split_what(c->a, w->en.what, &v[i].nwhat);
    v[i].purpose = w->en.purpose;
    v[i].relationship_id = w->en.relationship_id;
    if (w->en.relationship_id < 0) { /* a circle's text (its key owner, -circle id) */
      v[i].relationship_id = 0;
      v[i].circle_id = -w->en.relationship_id;
      v[i].sentence = app_access_circle_sentence(c->a, w->actor_name, w->en.what, w->en.purpose);
      continue;
    }
    if (w->en.relationship_id == 0 && strcmp(w->en.action, "export") == 0) {
      /* An admin's export of metadata (app_access_note_export): whole,
       * not a list of kinds. */
      v[i].what = arena_zalloc(c->a, sizeof *v[i].what);
      v[i].what[0] = w->en.what;
      v[i].nwhat = 1;
      v[i].sentence = arena_printf(c->a, "%s exported %s.", v[i].actor_name, w->en.what);
      continue;
    }
    if (w->en.relationship_id == 0) /* text of the person's own, outside relationships */
      v[i].sentence = arena_printf(c->a, "%s %s your %s.", v[i].actor_name,
                                   strcmp(w->en.purpose, APP_PURPOSE_EXPORT) == 0 ? "exported"
                                                                                 : "read",
                                   join_words(c->a, w->en.what));
    else
      v[i].sentence = app_access_sentence(c->a, w->actor_name, w->guide_id == w->en.actor_id,
                                          w->guide_id != 0, w->program_kind, w->en.what,
                                          w->en.purpose);
  }
  *items = v;
  store_rollback(c->st);
  return rc;
}

/* ---- signing the head ---- */

static void signing_keypair(const keys *k, unsigned char pk[ACCESS_PK_LEN],
                            unsigned char sk[crypto_sign_SECRETKEYBYTES]) {
  crypto_sign_seed_keypair(pk, sk, keys_sub(k, KEYS_AUDIT_SIGN));
}

rp_rc app_audit_sign_head(app_ctx *c, int every_s, bool *signed_, rp_err *e) {
  *signed_ = false;
  access_head h;
  memset(&h, 0, sizeof h);
  int64_t last = 0;
  rp_time last_at = 0;
  if (!c->env || !c->env->keys) return RP_OK;
  rp_rc rc = store_access_head(c->st, &h.seq, h.hash, e);
  if (!rc) rc = store_access_signed_last(c->st, &last, &last_at, e);
  if (rc || h.seq == 0 || h.seq <= last) return rc;
  if (last && c->now >= last_at && c->now - last_at < every_s) return RP_OK;
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  unsigned char msg[ACCESS_HEAD_MSG_LEN];
  signing_keypair(c->env->keys, h.public_key, sk);
  h.signed_at = c->now;
  access_head_message(&h, msg);
  crypto_sign_detached(h.signature, NULL, msg, sizeof msg, sk);
  sodium_memzero(sk, sizeof sk);
  rc = store_access_head_insert(c->st, &h, e);
  *signed_ = rc == RP_OK;
  return rc;
}

/* ---- verifying ---- */

#define VERIFY_BATCH 1000

static rp_rc bad(app_audit_report *out, int64_t seq, const char *why) {
  if (out->ok) {
    out->ok = false;
    out->bad_seq = seq;
    snprintf(out->why, sizeof out->why, "%s", why);
  }
  return RP_OK;
}

/* Walks the rows: seq 1, 2, ... each chained to the one before. */
static rp_rc verify_chain(store *s, arena *a, app_audit_report *out, rp_err *e) {
  unsigned char prev[ACCESS_HASH_LEN] = {0};
  int64_t expect = 1, after = 0, next = 0;
  do {
    access_entry *rows;
    size_t n;
    arena_reset(a);
    rp_rc rc = store_access_rows(s, after, VERIFY_BATCH, a, &rows, &n, &next, e);
    if (rc) return rc;
    for (size_t i = 0; i < n && out->ok; i++) {
      unsigned char h[ACCESS_HASH_LEN];
      const access_entry *en = &rows[i];
      if (en->seq != expect) {
        char why[120];
        snprintf(why, sizeof why, "sequence %lld is missing (the next row is %lld)",
                 (long long)expect, (long long)en->seq);
        return bad(out, expect, why);
      }
      if (memcmp(en->prev_hash, prev, sizeof prev) != 0)
        return bad(out, en->seq, "its previous hash is not the hash of the row before it");
      access_log_hash(en, h);
      if (memcmp(h, en->hash, sizeof h) != 0)
        return bad(out, en->seq, "its hash does not match its fields (the row was changed)");
      memcpy(prev, en->hash, sizeof prev);
      expect++;
      out->entries++;
    }
    after = next;
  } while (next && out->ok);
  return RP_OK;
}

/* Checks the signed heads against the rows and their signatures. */
static rp_rc verify_heads(store *s, const keys *k, arena *a, app_audit_report *out, rp_err *e) {
  unsigned char mine[ACCESS_PK_LEN] = {0}, sk[crypto_sign_SECRETKEYBYTES];
  if (k) {
    signing_keypair(k, mine, sk);
    sodium_memzero(sk, sizeof sk);
  }
  int64_t after = 0, next = 0, last_seq = 0;
  bool mine_seen = false;
  do {
    access_head *heads;
    size_t n;
    arena_reset(a);
    rp_rc rc = store_access_heads(s, after, VERIFY_BATCH, a, &heads, &n, &next, e);
    if (rc) return rc;
    for (size_t i = 0; i < n && out->ok; i++) {
      const access_head *h = &heads[i];
      unsigned char msg[ACCESS_HEAD_MSG_LEN];
      access_entry en;
      access_head_message(h, msg);
      if (crypto_sign_verify_detached(h->signature, msg, sizeof msg, h->public_key) != 0)
        return bad(out, h->seq, "the signature of the head signed at this sequence is not valid");
      rc = store_access_row(s, h->seq, a, &en, e);
      if (rc == RP_ERR_NOT_FOUND) {
        rp_err_reset(e);
        return bad(out, h->seq, "a signed head names this sequence but the row is gone");
      }
      if (rc) return rc;
      if (memcmp(en.hash, h->hash, ACCESS_HASH_LEN) != 0)
        return bad(out, h->seq,
                   "its hash differs from the signed head (rows up to here were changed, "
                   "removed or inserted and the hashes recomputed)");
      bool by_mine = k && memcmp(h->public_key, mine, ACCESS_PK_LEN) == 0;
      if (k && mine_seen && !by_mine)
        return bad(out, h->seq, "the head is signed by a key other than this key file's, "
                                "after heads signed by it");
      mine_seen = mine_seen || by_mine;
      out->heads_by_key += by_mine;
      out->heads++;
      last_seq = h->seq;
    }
    after = next;
  } while (next && out->ok);
  if (out->ok && k && out->heads && !mine_seen)
    return bad(out, last_seq, "no signed head is signed by this key file's signing key");
  return RP_OK;
}

rp_rc app_audit_verify(store *s, const keys *k, app_audit_report *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->ok = true;
  out->key_checked = k != NULL;
  arena *a = arena_new(0);
  rp_rc rc = store_begin_read(s, e);
  if (!rc) rc = verify_chain(s, a, out, e);
  if (!rc && out->ok) rc = verify_heads(s, k, a, out, e);
  store_rollback(s);
  arena_free(a);
  return rc;
}
