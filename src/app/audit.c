/* audit.c: what confidential data each request opened, for the access log. */
#include "app/app.h"

void app_access_saw(app_ctx *c, int64_t rel_id, int kind) {
  unsigned bit = (kind > 0 && kind < 32) ? 1u << kind : 0u;
  for (int i = 0; i < c->naccessed; i++) {
    if (c->accessed[i].relationship_id == rel_id) {
      c->accessed[i].kinds |= bit;
      return;
    }
  }
  if (c->naccessed == APP_TOUCHED_MAX) {
    c->accessed_overflow = true;
    return;
  }
  c->accessed[c->naccessed].relationship_id = rel_id;
  c->accessed[c->naccessed].kinds = bit;
  c->naccessed++;
}
