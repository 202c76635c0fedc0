/* settings.h: a program's trust settings, as its administrators read and
 * change them (docs/trust-model.md, "A program's settings").
 *
 * What an administrator may set: the cadence, the reply window and the
 * pulse interval that pairs without an agreement run on, and which early
 * warnings the program raises (every code but INCIDENT may be turned off:
 * an open incident always warns). The half-lives, thresholds and the
 * k-anonymity of program health stay as they are.
 *
 * A change is one transaction: the settings, a "settings_changed" row in
 * program_events (by whom, when, each changed setting before and after),
 * and a refresh of the warnings of every current (active or paused)
 * relationship of the program, so what the pairs see follows at once;
 * each open warning the refresh clears gets a "warning_withdrawn" event
 * saying that the program's settings withdrew it (rules.h). A warning
 * turned back on opens again where its condition holds.
 */
#ifndef RAPPORT_APP_TRUST_SETTINGS_H
#define RAPPORT_APP_TRUST_SETTINGS_H

#include "app/core/core.h"
#include "store/store.h"

/* The settings an administrator changes; a NULL field pointer (or
 * set_warnings false) leaves that setting as it is. */
typedef struct app_trust_terms {
  const int *cadence_days, *reply_window_hours, *pulse_every_days;
  bool set_warnings;
  unsigned warnings_off; /* bits 1u << trust_warn_code */
} app_trust_terms;

/* What a change did. */
typedef struct app_trust_terms_change {
  bool changed;             /* false: the settings were already so; nothing recorded */
  int64_t relationships;    /* current relationships refreshed */
  int64_t withdrawn;        /* warnings withdrawn with an event */
} app_trust_terms_change;

/* The program with its settings, for its administrators (404 for
 * non-members, 403 for other members). Its own read transaction. */
rp_rc app_program_trust_settings(app_ctx *c, int64_t program_id, program *out, rp_err *e);

/* The changes to the program's settings, newest first, paged by
 * store_program_events_list's cursor; administrators only. */
rp_rc app_program_settings_changes(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                   store_program_event **items, size_t *n, int64_t *next,
                                   rp_err *e);

/* Applies t to the program's settings (administrators only), validated as
 * at program creation (pointers at the top level; INCIDENT may not be
 * turned off: 422 at /warnings_off); *out gets the program as it is
 * after, *what what happened. */
rp_rc app_program_trust_settings_set(app_ctx *c, int64_t program_id, const app_trust_terms *t,
                                     program *out, app_trust_terms_change *what, rp_err *e);

#endif
