/* err.h: the one error convention of Rapport.
 *
 * Every fallible function below the faces returns an rp_rc and, when it
 * fails, fills an rp_err the caller passed in (which may be NULL when the
 * caller does not care). RP_OK is 0, so `if (rc) return rc;` propagates.
 * The faces turn an rp_err into an RFC 9457 problem (http/) or a message and
 * exit status (cli/). `code` is stable: clients switch on it.
 *
 * Allocation failure policy: Rapport does not try to limp on after malloc
 * fails. rp_xmalloc() and friends print one line and abort(), which is a
 * clean stop (the database is transactional, nothing half-written survives).
 */
#ifndef RAPPORT_BASE_ERR_H
#define RAPPORT_BASE_ERR_H

#include <stddef.h>

typedef enum rp_rc {
  RP_OK = 0,
  RP_ERR_MALFORMED,   /* 400: the request cannot be parsed */
  RP_ERR_AUTH,        /* 401: no valid session */
  RP_ERR_FORBIDDEN,   /* 403: known to the caller but not theirs to change */
  RP_ERR_NOT_FOUND,   /* 404: absent, or not the caller's to see */
  RP_ERR_METHOD,      /* 405: the path exists, the method does not */
  RP_ERR_CONFLICT,    /* 409: not allowed in the current state */
  RP_ERR_TOO_LARGE,   /* 413 */
  RP_ERR_UNSUPPORTED, /* 415 */
  RP_ERR_INVALID,     /* 422: validation, with field pointers */
  RP_ERR_RATE,        /* 429 */
  RP_ERR_UNAVAILABLE, /* 503: busy or I/O error, try again */
  RP_ERR_FULL,        /* 507: out of storage */
  RP_ERR_INTERNAL     /* 500: a bug */
} rp_rc;

#define RP_ERR_MAX_FIELDS 16

typedef struct rp_err_field {
  char pointer[96]; /* RFC 6901 JSON pointer into the request body */
  char detail[160];
} rp_err_field;

typedef struct rp_err {
  rp_rc rc;
  char code[48];     /* stable machine-readable code, e.g. "relationship_state" */
  char detail[256];  /* one human sentence */
  int nfield;
  rp_err_field field[RP_ERR_MAX_FIELDS];
  int retry_after;   /* RP_ERR_RATE: seconds until a retry may succeed (0: not known) */
} rp_err;

/* rp_fail fills e (if not NULL) and returns rc, so `return rp_fail(...)`.
 * Texts (here and in rp_field) are cut to fit their arrays and kept valid
 * UTF-8: a byte that is not part of a whole character becomes '?'. */
rp_rc rp_fail(rp_err *e, rp_rc rc, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* rp_field adds a validation error at `pointer` and marks e as RP_ERR_INVALID
 * with code "validation". Extra fields past RP_ERR_MAX_FIELDS are dropped. */
void rp_field(rp_err *e, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* rp_err_reset clears e to RP_OK. */
void rp_err_reset(rp_err *e);

/* The HTTP status and title for rc. */
int rp_rc_status(rp_rc rc);
const char *rp_rc_title(rp_rc rc);

void *rp_xmalloc(size_t n);
void *rp_xcalloc(size_t n, size_t size);
void *rp_xrealloc(void *p, size_t n);
char *rp_xstrdup(const char *s);

#endif
