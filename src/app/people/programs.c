/* programs.c: creating programs and enrolling people. */
#include "app/people/people.h"
#include "base/log.h"
#include "crypto/seal.h"
#include "crypto/token.h"

#include <string.h>

#define INVITATION_VALID_S (7 * 86400)

rp_rc app_program_create(app_ctx *c, const char *name, program_kind kind,
                         const program_settings *settings, const rp_time *at, program *out,
                         rp_err *e) {
  if (c->actor && !c->site_admin)
    return rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only site administrators create programs.");
  size_t n = strlen(name);
  if (n == 0 || n > PROGRAM_NAME_MAX) rp_field(e, "/name", "Give a name of 1 to 200 characters.");
  if (at && *at > c->now) rp_field(e, "/at", "The time may not be in the future.");
  if (program_settings_check(settings, e) || e->rc) return e->rc;
  memset(out, 0, sizeof *out);
  out->name = arena_strdup(c->a, name);
  out->kind = kind;
  out->settings = *settings;
  out->created_at = at ? *at : c->now;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_program_insert(c->st, out, c->actor, &out->id, e);
  bool added;
  if (!rc && c->actor)
    rc = store_membership_add(c->st, out->id, c->actor, ROLE_ADMIN, out->created_at, &added, e);
  return app_finish(c, rc, e);
}

/* Whether the actor has any role in the program. */
static rp_rc is_member(app_ctx *c, int64_t program_id, bool *out, rp_err *e) {
  static const member_role roles[] = {ROLE_ADMIN, ROLE_GUIDE, ROLE_LEARNER};
  *out = false;
  for (size_t i = 0; i < sizeof roles / sizeof roles[0] && !*out; i++) {
    rp_rc rc = store_membership_has(c->st, program_id, c->actor, roles[i], out, e);
    if (rc) return rc;
  }
  return RP_OK;
}

rp_rc app_program_get(app_ctx *c, int64_t id, program *out, rp_err *e) {
  bool ok = c->site_admin || !c->actor;
  rp_rc rc = ok ? RP_OK : is_member(c, id, &ok, e);
  if (rc) return rc;
  if (!ok) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  return store_program_get(c->st, id, c->a, out, e);
}

rp_rc app_program_admin_load(app_ctx *c, int64_t program_id, program *p, rp_err *e) {
  rp_rc rc = app_program_get(c, program_id, p, e);
  if (rc) return rc;
  bool admin;
  rc = app_is_program_admin(c, program_id, &admin, e);
  if (rc) return rc;
  if (!admin)
    return rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only the program's administrators can do this.");
  return RP_OK;
}

/* Queues the invitation mail (the noticed moment: app/reach/ words it)
 * with the enrolment; the token itself is never stored, only its hash. */
static rp_rc invite(app_ctx *c, const program *p, int64_t person_id, const char *email,
                    const char *name, rp_err *e) {
  char token[TOKEN_BUFSZ];
  unsigned char hash[TOKEN_HASH_LEN];
  token_new(token);
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  rp_time expires = c->now + INVITATION_VALID_S;
  rp_rc rc = store_invitation_insert(c->st, person_id, hash, c->now, expires, e);
  app_notice n = {.kind = "invitation", .person_id = person_id, .email = email, .name = name,
                  .about = p->name, .token = token, .expires_at = expires};
  if (!rc) rc = app_notice_queue(c, &n, e);
  if (!rc && c->env->dev) log_info("dev: invitation for %s: /invitation#%s", email, token);
  return rc;
}

rp_rc app_program_enroll(app_ctx *c, int64_t program_id, const char *email, const char *name,
                         member_role role, app_enrolled *out, rp_err *e) {
  program p;
  rp_rc rc = app_program_admin_load(c, program_id, &p, e);
  if (rc) return rc;
  if (!person_email_valid(email)) rp_field(e, "/email", "Give a valid e-mail address.");
  if (!person_name_valid(name)) rp_field(e, "/name", "Give a name of 1 to 200 characters.");
  if (e->rc) return e->rc;
  char *folded = person_email_fold(c->a, email);
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  bool added = false;
  rc = app_enroll_locked(c, &p, folded, name, role, out, &added, e);
  if (!rc && !added)
    rc = rp_fail(e, RP_ERR_CONFLICT, "already_member", "This person already has that role here.");
  return app_finish(c, rc, e);
}

rp_rc app_enroll_locked(app_ctx *c, const program *p, const char *email, const char *name,
                        member_role role, app_enrolled *out, bool *added, rp_err *e) {
  memset(out, 0, sizeof *out);
  out->role = role;
  *added = false;
  person who;
  rp_err local = {0};
  rp_rc rc = store_person_by_email(c->st, email, c->a, &who, NULL, &local);
  if (rc == RP_ERR_NOT_FOUND) {
    rc = store_person_insert(c->st, email, name, NULL, false, c->now, &who.id, e);
    if (!rc) rc = invite(c, p, who.id, email, name, e);
    out->invited = true;
  } else if (rc) {
    rc = rp_fail(e, rc, local.code, "%s", local.detail);
  }
  if (!rc) rc = store_membership_add(c->st, p->id, who.id, role, c->now, added, e);
  out->person_id = who.id;
  return rc;
}

rp_rc app_program_members(app_ctx *c, int64_t program_id, int64_t after, int limit,
                          store_member **items, size_t *n, int64_t *next, rp_err *e) {
  program p;
  rp_rc rc = app_program_admin_load(c, program_id, &p, e);
  if (rc) return rc;
  return store_members_list(c->st, program_id, after, app_page_limit(limit), c->a, items, n, next,
                            e);
}

rp_rc app_program_relationships(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                relationship **items, size_t *n, int64_t *next, rp_err *e) {
  program p;
  rp_rc rc = app_program_admin_load(c, program_id, &p, e);
  if (rc) return rc;
  return store_relationships_of_program(c->st, program_id, after, app_page_limit(limit), c->a,
                                        items, n, next, e);
}
