/* internal.h: what the files of app/circles/ share and nobody else sees. */
#ifndef RAPPORT_APP_CIRCLES_INTERNAL_H
#define RAPPORT_APP_CIRCLES_INTERNAL_H

#include "app/circles/circles.h"

/* Loads circle id for the actor: with `content`, only for people who are
 * or were in it; else also for the program's admins. RP_ERR_NOT_FOUND
 * ("No such circle.") for anyone else. Inside the caller's transaction. */
rp_rc app_circle_load(app_ctx *c, int64_t id, bool content, app_circle *ci, rp_err *e);

/* Forms a proposed circle inside the caller's write transaction, after
 * checking the form (name, size, members of the program): what an admin's
 * forming and a published proposal share. *id is the new circle. */
rp_rc app_circle_create(app_ctx *c, const app_circle_form_in *in, const program *p, int64_t *id,
                        rp_err *e);
/* For writing: the actor is in the circle now and it is active. */
rp_rc app_circle_load_writer(app_ctx *c, int64_t id, app_circle *ci, rp_err *e);
/* Records a circle event by the actor about `subject`, dated `at`. */
rp_rc app_circle_event(app_ctx *c, int64_t circle_id, const char *kind, int64_t subject, rp_time at,
                       const char *from, const char *to, rp_err *e);
/* Resolves an optional `at`: not in the future, not before the circle. */
rp_rc app_circle_when(app_ctx *c, const app_circle *ci, const rp_time *at, rp_time *out, rp_err *e);
/* Whoever is or was in the circle as person_id; NULL for nobody. */
const store_circle_member *app_circle_member_of(const app_circle *ci, int64_t person_id);
/* Opens a circle item for the reader (an access-log entry). */
rp_rc app_circle_open_item(app_ctx *c, const store_circle_item *it, app_circle_item *out, rp_err *e);
/* Loads item_id and its circle when the actor may read it; RP_ERR_NOT_FOUND
 * ("No such item.") otherwise. */
rp_rc app_circle_load_item(app_ctx *c, int64_t item_id, app_circle *ci, store_circle_item *it,
                           rp_err *e);
/* The key owner of circle id's texts (crypto/seal.h): -id. */
#define APP_CIRCLE_KEY_OWNER(id) (-(id))
/* Keeps items[after..) of a list in ascending id order, at most limit
 * (app_page_limit); *next is the last kept id when more follow. */
size_t app_circle_page(const int64_t *ids, size_t n, int64_t after, int limit, size_t *first,
                       int64_t *next);

#endif
