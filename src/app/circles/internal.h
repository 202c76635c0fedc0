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

#endif
