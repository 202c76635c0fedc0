/* facts.h: what the trust sentences say about an event (app_fact,
 * app/trust/text.h), read from the event's subject row and its sealed
 * text, opened for a party of the relationship. For app/trust/view.c only.
 *
 * A subject that no longer exists leaves its fields empty (the sentence
 * is then less specific); sealed text that cannot be opened fails with
 * RP_ERR_INTERNAL as everywhere else.
 */
#ifndef RAPPORT_APP_TRUST_FACTS_H
#define RAPPORT_APP_TRUST_FACTS_H

#include "app/core/core.h"
#include "app/trust/text.h"

#define APP_FACT_CACHE 32

/* Facts already loaded, by event id, for one relationship and viewer. */
typedef struct app_fact_cache {
  const relationship *rel;
  int64_t viewer;
  int window_hours; /* the reply window in force, 0 until read */
  size_t n;
  int64_t ids[APP_FACT_CACHE];
  const app_fact *facts[APP_FACT_CACHE];
} app_fact_cache;

void app_fact_cache_init(app_fact_cache *fc, const relationship *r, int64_t viewer);

/* The facts of event ev of the cache's relationship (not cached). */
rp_rc app_fact_of_event(app_ctx *c, app_fact_cache *fc, const rel_event *ev, const app_fact **out,
                        rp_err *e);

/* The facts of event event_id, from the cache when loaded before. An
 * event that is gone (event_id 0) gives bare facts dated fallback_at. */
rp_rc app_fact_cached(app_ctx *c, app_fact_cache *fc, int64_t event_id, rp_time fallback_at,
                      const app_fact **out, rp_err *e);

#endif
