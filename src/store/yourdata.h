/* yourdata.h: store operations for a person's own data (app/yourdata/yourdata.c):
 * the password re-check of a session (migration 0011), erasing an account
 * down to a tombstone, and deleting a relationship.
 */
#ifndef RAPPORT_STORE_YOURDATA_H
#define RAPPORT_STORE_YOURDATA_H

#include "store/store.h"

/* ---- password re-check ---- */

/* Records that the session with token hash `hash` was re-checked at `at`;
 * RP_ERR_NOT_FOUND when there is no such session. */
rp_rc store_session_confirm(store *s, const unsigned char hash[32], rp_time at, rp_err *e);
/* When the session with token hash `hash` was last re-checked (0 never);
 * RP_ERR_NOT_FOUND when there is no such session. */
rp_rc store_session_confirmed_at(store *s, const unsigned char hash[32], rp_time *at, rp_err *e);

/* ---- account deletion ---- */

/* How many site admins there are other than person_id (tombstones have
 * lost the flag, so they do not count). */
rp_rc store_site_admins_besides(store *s, int64_t person_id, int64_t *n, rp_err *e);
/* Deletes every session, invitation, membership and single sign-on link
 * (identity or pending link) of person_id, their 360 requests, alumni
 * entries and long-term check-in wishes. */
rp_rc store_person_forget_access(store *s, int64_t person_id, rp_err *e);
/* Deletes the mail waiting in the outbox for `email`. */
rp_rc store_outbox_forget(store *s, const char *email, rp_err *e);
/* Turns person_id into a tombstone: name and e-mail replaced, no password,
 * not a site admin. */
rp_rc store_person_tombstone(store *s, int64_t person_id, const char *email, const char *name,
                             rp_err *e);

/* ---- relationship deletion ---- */

/* Deletes relationship id and, by the schema's cascades, every row that
 * belongs to it; RP_ERR_NOT_FOUND when there is none. */
rp_rc store_relationship_delete(store *s, int64_t id, rp_err *e);

#endif
