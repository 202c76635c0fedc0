/* sender.c: delivering the outbox through SMTP with libcurl (reach.h).
 *
 * A pass takes a batch of due mails in one short write transaction
 * (store_mail_claim: on PostgreSQL with FOR UPDATE SKIP LOCKED, so several
 * instances share the work), opens their sealed messages there, and sends
 * each outside any transaction, over one SMTP connection that the thread
 * keeps open from mail to mail and pass to pass while the outbox has due
 * mail (libcurl's connection reuse: one TLS handshake and AUTH for a
 * burst, not one a mail) and closes once it is drained. How each went is
 * recorded in a transaction of its own right after it was sent: sent; put
 * back with exponential backoff after a temporary failure (a 4xx, a
 * connection or TLS error, a time-out); failed after a permanent one (5xx)
 * or 48 hours of temporary ones. After a connection failure the rest of
 * the batch is put back untried.
 *
 * What a crash can repeat (docs/operations.md): those records commit
 * without waiting for the disk, but the last of each batch waits, and
 * takes the batch's earlier records to the disk with it. A process that
 * dies (kill -9) loses no commit, so only the one mail between the
 * server's 250 and its record can be sent again: once its lease passed,
 * another pass sends it with the same Message-ID. A power cut or an
 * operating-system crash may also lose the records of the batch in
 * flight: at most APP_MAIL_BATCH mails sent again, each once, each with
 * its Message-ID. So a mail costs no wait for the disk and no TLS
 * handshake, and the thread runs at a lower priority than the requests
 * (lower_priority).
 */
#include "app/reach/reach.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "base/log.h"
#include "domain/mail.h"

bool app_smtp_url_valid(const char *url) {
  return url && (strncmp(url, "smtp://", 7) == 0 || strncmp(url, "smtps://", 8) == 0) &&
         strlen(url) > 8 && strlen(url) < 2048;
}

/* The address inside "Name <addr>" (or addr itself), in the arena. */
static const char *bare_address(arena *a, const char *from) {
  const char *lt = strrchr(from, '<');
  if (!lt) return from;
  size_t n = strcspn(lt + 1, ">");
  return arena_printf(a, "%.*s", (int)n, lt + 1);
}

typedef struct upload {
  const char *p;
  size_t left;
} upload;

static size_t read_message(char *buf, size_t size, size_t nitems, void *arg) {
  upload *u = arg;
  size_t n = size * nitems < u->left ? size * nitems : u->left;
  memcpy(buf, u->p, n);
  u->p += n;
  u->left -= n;
  return n;
}

typedef enum outcome { SENT, TEMPORARY, PERMANENT, CONNECTION } outcome;

/* RFC 5322's Date of t, in UTC. */
static void mail_date(rp_time t, char out[64]) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, 64, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

/* Sends one message on curl handle h; *why says what went wrong. */
static outcome send_one(CURL *h, app_ctx *c, const app_smtp *smtp, const store_mail *m,
                        const char *body, const char **why) {
  char date[64];
  mail_date(app_clock_now(), date);
  const char *from = c->env->mail_from;
  const char *message = arena_printf(c->a, "From: %s\r\nDate: %s\r\n%s", from, date, body);
  upload u = {message, strlen(message)};
  struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(c->a, "<%s>", m->to));
  int timeout = smtp->timeout_s > 0 ? smtp->timeout_s : 30;
  curl_easy_setopt(h, CURLOPT_URL, smtp->url);
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, arena_printf(c->a, "<%s>", bare_address(c->a, from)));
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(h, CURLOPT_READDATA, &u);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL); /* STARTTLS on smtp:// */
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
  if (smtp->ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, smtp->ca_file);
  CURLcode res = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  if (res == CURLE_OK) return SENT;
  *why = arena_printf(c->a, "%s (SMTP %ld)", curl_easy_strerror(res), code);
  switch (res) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_USE_SSL_FAILED:
  case CURLE_LOGIN_DENIED: /* the operator's credentials: every mail would fail alike */
    return CONNECTION;
  default:
    return mail_code_permanent(code) ? PERMANENT : TEMPORARY;
  }
}

/* Records how mail m went, in a transaction of its own; `durable`: the
 * commit waits for the disk (and so takes every earlier commit of this
 * connection with it). */
static rp_rc record(app_ctx *c, const store_mail *m, outcome o, const char *why, bool durable,
                    rp_err *e) {
  rp_time now = app_clock_now();
  rp_rc rc = durable ? store_set_durable(c->st, true, e) : RP_OK;
  if (!rc) rc = store_begin_write(c->st, e);
  if (rc) return rc;
  if (o == SENT) {
    rc = store_mail_sent(c->st, m->id, now, e);
  } else if (o == PERMANENT) {
    rc = store_mail_failed(c->st, m->id, why, e);
    log_warn("mail: %lld (%s) failed for good: %s", (long long)m->id, m->kind, why);
  } else {
    rp_time next = mail_next_attempt(m->attempts, m->created_at, now);
    if (next) {
      rc = store_mail_retry(c->st, m->id, next, why, e);
    } else {
      rc = store_mail_failed(c->st, m->id, arena_printf(c->a, "gave up after 48 hours: %s", why), e);
      log_warn("mail: %lld (%s) failed after 48 hours: %s", (long long)m->id, m->kind, why);
    }
  }
  if (rc) {
    store_rollback(c->st);
  } else {
    rc = store_commit(c->st, e);
  }
  if (durable) {
    rp_err ignored = {0};
    store_set_durable(c->st, false, &ignored);
  }
  return rc;
}

/* Takes the due mails and opens their messages, in one transaction. */
static rp_rc claim(app_ctx *c, store_mail **items, size_t *n, const char ***bodies, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_mail_claim(c->st, c->now, APP_MAIL_LEASE_S, APP_MAIL_BATCH, c->a, items, n, e);
  *bodies = arena_alloc(c->a, sizeof **bodies * (*n ? *n : 1));
  for (size_t i = 0; i < *n && !rc; i++) {
    seal_ad ad = {SEAL_MAIL, 0, (*items)[i].id, 0, false};
    rp_err oe = {0};
    /* The server's own message, sent as it was written: not text opened for anyone */
    if (app_open_for_server(c, &ad, (*items)[i].body, &(*bodies)[i], &oe)) {
      (*bodies)[i] = NULL;
      log_warn("mail: %lld cannot be opened: %s", (long long)(*items)[i].id, oe.detail);
    }
  }
  return app_finish(c, rc, e);
}

/* One pass on curl handle h (whose SMTP connection stays open from pass
 * to pass): claims a batch, then sends and records each mail in turn.
 * Each record is a commit of its own that does not wait for the disk, but
 * the batch's last one does. */
static rp_rc send_due(app_ctx *c, CURL *h, const app_smtp *smtp, int *taken, int *sent,
                      rp_err *e) {
  *taken = *sent = 0;
  store_mail *items = NULL;
  size_t n = 0;
  const char **bodies = NULL;
  rp_rc rc = claim(c, &items, &n, &bodies, e);
  if (rc || n == 0) return rc;
  *taken = (int)n;
  const char *down = NULL; /* why the server could not be reached in this pass */
  for (size_t i = 0; i < n && !rc; i++) {
    const char *why = down;
    outcome o = CONNECTION;
    if (!bodies[i]) {
      o = PERMANENT;
      why = "the stored message does not open";
    } else if (!down) {
      o = send_one(h, c, smtp, &items[i], bodies[i], &why);
    }
    if (o == CONNECTION && !down) {
      log_warn("mail: %s", why);
      down = why;
    }
    if (o == SENT) (*sent)++;
    rc = record(c, &items[i], o, why, i + 1 == n, e);
  }
  return rc;
}

/* ---- the thread ---- */

struct app_mail_sender {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t wake;
  bool stopping;
  store *st;
  CURL *curl;
  const app_env *env;
  app_smtp smtp;
  unsigned long long sent;
};

/* Whether a mail is due, read without taking the write lock. */
static bool anything_due(store *st, rp_time now) {
  rp_err e = {0};
  if (store_begin_read(st, &e)) return false;
  bool due = false;
  store_mail_due(st, now, &due, &e);
  store_rollback(st);
  return due;
}

/* The sender yields the processor to the threads that answer requests:
 * it runs at a lower priority (nice APP_MAIL_NICE, this thread only), so
 * it sends at full speed on an idle server and takes only what the
 * requests leave on a busy one, never none. */
static void lower_priority(void) {
#ifdef __linux__
  errno = 0;
  int now = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
  if (errno == 0 && now < APP_MAIL_NICE &&
      setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), APP_MAIL_NICE) != 0)
    log_warn("mail: the sender keeps the server's priority: %s", strerror(errno));
#endif
}

/* Closes the SMTP connection (QUIT) once the outbox is drained: it is kept
 * for a burst, not across idle time, when the server may have gone away. */
static void close_connection(app_mail_sender *s) {
  curl_easy_cleanup(s->curl);
  s->curl = curl_easy_init();
}

static void *sender_main(void *arg) {
  app_mail_sender *s = arg;
#ifdef __linux__
  pthread_setname_np(pthread_self(), "rapport-mail"); /* as top -H and /proc show it */
#endif
  lower_priority();
  arena *a = arena_new(64 * 1024);
  for (;;) {
    pthread_mutex_lock(&s->mu);
    bool stop = s->stopping;
    pthread_mutex_unlock(&s->mu);
    if (stop) break;
    if (!s->curl) s->curl = curl_easy_init();
    rp_time now = app_clock_now();
    int taken = 0, sent = 0;
    if (s->curl && anything_due(s->st, now)) {
      app_ctx c = {.env = s->env, .st = s->st, .a = a, .now = now};
      rp_err e = {0};
      if (send_due(&c, s->curl, &s->smtp, &taken, &sent, &e)) log_warn("mail: %s", e.detail);
      store_end_all(s->st);
      arena_reset(a);
      s->sent += (unsigned long long)sent;
    }
    if (taken == APP_MAIL_BATCH) continue; /* more may be due: keep the connection */
    if (taken) close_connection(s);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 250 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    if (!s->stopping) pthread_cond_timedwait(&s->wake, &s->mu, &until);
    pthread_mutex_unlock(&s->mu);
  }
  arena_free(a);
  return NULL;
}

app_mail_sender *app_mail_sender_start(const char *db_path, const app_env *env,
                                       const app_smtp *smtp, rp_err *e) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    rp_fail(e, RP_ERR_INTERNAL, "curl", "libcurl could not start.");
    return NULL;
  }
  app_mail_sender *s = rp_xcalloc(1, sizeof *s);
  if (store_open(db_path, &s->st, e)) {
    free(s);
    return NULL;
  }
  s->curl = curl_easy_init();
  if (!s->curl || store_set_durable(s->st, false, e)) {
    if (s->curl) curl_easy_cleanup(s->curl);
    else rp_fail(e, RP_ERR_INTERNAL, "curl", "libcurl could not start.");
    store_close(s->st);
    free(s);
    return NULL;
  }
  s->env = env;
  s->smtp = *smtp;
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->wake, NULL);
  if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
    curl_easy_cleanup(s->curl);
    store_close(s->st);
    free(s);
    rp_fail(e, RP_ERR_INTERNAL, "thread", "The mail sender could not start.");
    return NULL;
  }
  return s;
}

void app_mail_sender_stop(app_mail_sender *s) {
  if (!s) return;
  pthread_mutex_lock(&s->mu);
  s->stopping = true;
  pthread_cond_signal(&s->wake);
  pthread_mutex_unlock(&s->mu);
  pthread_join(s->thread, NULL);
  log_info("mail: the sender sent %llu mails", s->sent);
  if (s->curl) curl_easy_cleanup(s->curl); /* QUIT on the open connection */
  store_close(s->st);
  pthread_cond_destroy(&s->wake);
  pthread_mutex_destroy(&s->mu);
  free(s);
  curl_global_cleanup();
}
