/* me.c: the signed-in person, their programs and their relationships. */
#include "app/people/people.h"

rp_rc app_me_get(app_ctx *c, app_me *out, rp_err *e) {
  rp_rc rc = store_person_get(c->st, c->actor, c->a, &out->who, e);
  if (!rc) rc = store_roles_of(c->st, c->actor, c->a, &out->roles, &out->nroles, e);
  if (!rc)
    rc = store_relationships_of_person(c->st, c->actor, 0, APP_PAGE_MAX, c->a, &out->rels,
                                       &out->nrels, &out->rels_next, e);
  return rc;
}
