/* exchanges.h: store operations for requests, replies and feedback.
 *
 * Request, reply and feedback texts arrive sealed and leave sealed; the
 * store never sees plaintext. Conventions as in store.h.
 */
#ifndef RAPPORT_STORE_EXCHANGES_H
#define RAPPORT_STORE_EXCHANGES_H

#include "domain/exchange.h"
#include "store/store.h"

typedef struct store_request {
  request q;
  rp_blob text;  /* sealed */
  rp_blob reply; /* sealed; len 0 while unanswered */
} store_request;

typedef struct store_feedback {
  feedback_item f;
  rp_blob text; /* sealed; len 0 when none */
} store_feedback;

/* Inserts q (its id and reply are ignored) with the sealed text; sets *id. */
rp_rc store_request_insert(store *s, const request *q, rp_blob text, int64_t *id, rp_err *e);
rp_rc store_request_get(store *s, int64_t id, arena *a, store_request *out, rp_err *e);
/* Records the reply of an unanswered request; RP_ERR_CONFLICT
 * ("already_replied") when it was answered before. */
rp_rc store_request_reply(store *s, int64_t id, rp_time at, rp_blob reply, rp_err *e);
rp_rc store_requests_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                          store_request **items, size_t *n, int64_t *next, rp_err *e);

/* Inserts f (its id is ignored); text may have len 0. Sets *id. */
rp_rc store_feedback_insert(store *s, const feedback_item *f, rp_blob text, int64_t *id, rp_err *e);
rp_rc store_feedback_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                          store_feedback **items, size_t *n, int64_t *next, rp_err *e);

#endif
