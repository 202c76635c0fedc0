/* program.h: programs, their settings, people and their roles. Pure rules. */
#ifndef RAPPORT_DOMAIN_PROGRAM_H
#define RAPPORT_DOMAIN_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/timeutil.h"

typedef enum program_kind { PROGRAM_MENTORING, PROGRAM_COACHING } program_kind;
typedef enum member_role { ROLE_ADMIN, ROLE_GUIDE, ROLE_LEARNER } member_role;

typedef struct program_settings {
  int cadence_days;       /* expected days between check-ins, 1..365 */
  int reply_window_hours; /* agreed reply time, 1..720 */
  int pulse_every_days;   /* 7..365 */
  int k_anonymity;        /* smallest group shown to admins, 3..1000 */
  unsigned warnings_off;  /* early warnings the program turned off: bits 1u << trust_warn_code
                             (trust/trust_warn.h); 0 at creation */
} program_settings;

typedef struct program {
  int64_t id;
  const char *name;
  program_kind kind;
  program_settings settings;
  rp_time created_at;
} program;

typedef struct person {
  int64_t id;
  const char *email, *name;
  bool is_site_admin;
  bool has_password; /* false while an invitation is pending */
} person;

#define PROGRAM_NAME_MAX 200
#define PERSON_NAME_MAX 200
#define PERSON_EMAIL_MAX 254

const char *program_kind_name(program_kind k);
bool program_kind_parse(const char *s, program_kind *out);
const char *member_role_name(member_role r);
bool member_role_parse(const char *s, member_role *out);

/* Defaults: coaching meets weekly, mentoring every two weeks; replies within
 * 48 h; a pulse every 28 days; groups of at least 5 for admins. */
void program_settings_default(program_kind k, program_settings *out);
/* Adds a field error per out-of-range setting, pointers under /settings. */
rp_rc program_settings_check(const program_settings *s, rp_err *e);
/* The same with the pointers under `prefix` ("" for the top level). */
rp_rc program_settings_check_at(const program_settings *s, const char *prefix, rp_err *e);

/* A practical check of an e-mail address: one '@', a dot in the domain, no
 * spaces or control characters, at most PERSON_EMAIL_MAX bytes. */
bool person_email_valid(const char *email);
/* The address in lower case, in the arena: addresses compare without case. */
char *person_email_fold(arena *a, const char *email);
/* Letters of a name: 1..PERSON_NAME_MAX bytes, no control characters. */
bool person_name_valid(const char *name);

#endif
