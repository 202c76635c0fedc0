/* program.c: see program.h. */
#include "domain/program.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *program_kind_name(program_kind k) {
  return k == PROGRAM_COACHING ? "coaching" : "mentoring";
}

bool program_kind_parse(const char *s, program_kind *out) {
  if (!s) return false;
  if (strcmp(s, "mentoring") == 0) *out = PROGRAM_MENTORING;
  else if (strcmp(s, "coaching") == 0) *out = PROGRAM_COACHING;
  else return false;
  return true;
}

const char *member_role_name(member_role r) {
  switch (r) {
  case ROLE_ADMIN: return "admin";
  case ROLE_GUIDE: return "guide";
  case ROLE_LEARNER: return "learner";
  }
  return "learner";
}

bool member_role_parse(const char *s, member_role *out) {
  if (!s) return false;
  if (strcmp(s, "admin") == 0) *out = ROLE_ADMIN;
  else if (strcmp(s, "guide") == 0) *out = ROLE_GUIDE;
  else if (strcmp(s, "learner") == 0) *out = ROLE_LEARNER;
  else return false;
  return true;
}

void program_settings_default(program_kind k, program_settings *out) {
  out->cadence_days = k == PROGRAM_COACHING ? 7 : 14;
  out->reply_window_hours = 48;
  out->pulse_every_days = 28;
  out->k_anonymity = 5;
  out->warnings_off = 0;
}

static void range(rp_err *e, const char *prefix, const char *name, int v, int lo, int hi) {
  char ptr[64];
  snprintf(ptr, sizeof ptr, "%s/%s", prefix, name);
  if (v < lo || v > hi) rp_field(e, ptr, "Must be between %d and %d.", lo, hi);
}

rp_rc program_settings_check(const program_settings *s, rp_err *e) {
  return program_settings_check_at(s, "/settings", e);
}

rp_rc program_settings_check_at(const program_settings *s, const char *prefix, rp_err *e) {
  rp_err local = {0};
  range(&local, prefix, "cadence_days", s->cadence_days, 1, 365);
  range(&local, prefix, "reply_window_hours", s->reply_window_hours, 1, 720);
  range(&local, prefix, "pulse_every_days", s->pulse_every_days, 7, 365);
  range(&local, prefix, "k_anonymity", s->k_anonymity, 3, 1000);
  if (local.rc == RP_OK) return RP_OK;
  if (e) {
    for (int i = 0; i < local.nfield; i++) rp_field(e, local.field[i].pointer, "%s", local.field[i].detail);
  }
  return RP_ERR_INVALID;
}

static bool has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
  return false;
}

bool person_email_valid(const char *email) {
  if (!email) return false;
  size_t n = strlen(email);
  if (n < 3 || n > PERSON_EMAIL_MAX || has_control(email) || strchr(email, ' ')) return false;
  const char *at = strchr(email, '@');
  if (!at || at == email || strchr(at + 1, '@')) return false;
  const char *dot = strrchr(at + 1, '.');
  return dot && dot > at + 1 && dot[1] != '\0';
}

bool person_name_valid(const char *name) {
  if (!name) return false;
  size_t n = strlen(name);
  return n >= 1 && n <= PERSON_NAME_MAX && !has_control(name);
}

char *person_email_fold(arena *a, const char *email) {
  char *p = arena_strdup(a, email);
  for (char *q = p; *q; q++) *q = (char)tolower((unsigned char)*q);
  return p;
}
