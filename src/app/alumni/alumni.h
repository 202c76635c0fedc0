/* alumni.h: the alumni room of app/: what stays of a relationship that
 * ended well.
 *
 * It owns a program's alumni network (joining after a completed
 * relationship, leaving at any time), its directory (each field shown
 * only with its owner's consent, to the program's members only), "pay it
 * forward" (a former learner volunteering becomes a guide member of the
 * program, so the matcher sees them; program health counts them,
 * k-anonymously) and long-term check-ins between former partners who both
 * want them: the completed relationship becomes 'alumni', which carries
 * none of the warnings tuned for active relationships, and a short pulse
 * every APP_ALUMNI_CADENCE_DAYS (the program's value), or at the cadence
 * the pair agreed (one proposes, the other agrees), keeps its trust
 * history going (practices/'s pulses, so the evidence is the same); the
 * jobs mail each party when their short pulse is due (reach/).
 *
 * It may call reach/ (mail), practices/ (pulses), people/ (relationships,
 * programs) and the rooms below; nothing above it.
 */
#ifndef RAPPORT_APP_ALUMNI_ALUMNI_H
#define RAPPORT_APP_ALUMNI_ALUMNI_H

#include "app/core/core.h"
#include "domain/pulse.h"
#include "store/alumni.h"

#define APP_ALUMNI_CADENCE_DAYS 90
/* The cadences a pair may agree, in days. */
#define APP_ALUMNI_CADENCE_MIN 14
#define APP_ALUMNI_CADENCE_MAX 365
#define APP_ALUMNI_TOPICS_MAX 500

typedef struct app_alumni_consent {
  bool show_name, show_topics, show_contact;
  const char *topics;
} app_alumni_consent;

/* A directory entry as the caller may see it: fields without consent are
 * NULL / 0 (the caller's own entry shows everything). */
typedef struct app_alumnus_view {
  int64_t id;
  bool mine;
  const char *name;    /* NULL unless shown */
  const char *topics;  /* NULL unless shown */
  int64_t contact_id;  /* the person to reach inside Rapport; 0 unless shown */
  bool guiding;
  store_alumnus own;   /* mine only: the whole entry */
} app_alumnus_view;

typedef struct app_long_term {
  int64_t relationship_id;
  bool guide_wants, learner_wants;
  bool on; /* both want it and the relationship is alumni */
  int cadence_days;      /* the pair's, else the program's value */
  int default_days;      /* the program's value */
  bool agreed;           /* cadence_days is the pair's own */
  rp_time agreed_at;
  int proposed_days;     /* a proposal waiting for the other's agreement; 0: none */
  bool proposed_by_me;
  rp_time proposed_at;
  rp_time my_last_pulse, next_due; /* 0: none yet / due now */
} app_long_term;

/* Joins (or changes the consent of) the caller's entry in program_id's
 * network: only after a relationship of theirs there completed. */
rp_rc app_alumni_join(app_ctx *c, int64_t program_id, const app_alumni_consent *in,
                      app_alumnus_view *out, rp_err *e);
rp_rc app_alumni_leave(app_ctx *c, int64_t program_id, rp_err *e);
/* The directory: program members only (404 otherwise); entries that show
 * nothing are left out. */
rp_rc app_alumni_directory(app_ctx *c, int64_t program_id, int64_t after, int limit,
                           app_alumnus_view **items, size_t *n, int64_t *next, rp_err *e);
/* A former learner in the network volunteers as a guide of the program. */
rp_rc app_alumni_volunteer(app_ctx *c, int64_t program_id, app_alumnus_view *out, rp_err *e);

/* Long-term check-ins of a relationship, for its parties. */
rp_rc app_long_term_get(app_ctx *c, int64_t rel_id, app_long_term *out, rp_err *e);
/* The caller wants them or not; when both want them, a completed
 * relationship becomes 'alumni'. */
rp_rc app_long_term_want(app_ctx *c, int64_t rel_id, bool want, app_long_term *out, rp_err *e);
/* The caller proposes a cadence of `days` (APP_ALUMNI_CADENCE_MIN..MAX;
 * the program's value to go back to it), replacing any waiting proposal;
 * 409 "cadence_unchanged" when it is the cadence already. */
rp_rc app_long_term_propose(app_ctx *c, int64_t rel_id, int days, app_long_term *out, rp_err *e);
/* The other party agrees to the waiting proposal of `days` (409
 * "no_proposal", "own_proposal", or "proposal_changed" when the waiting
 * one is of other days): it becomes the pair's cadence. */
rp_rc app_long_term_agree(app_ctx *c, int64_t rel_id, int days, app_long_term *out, rp_err *e);
/* Either party withdraws or declines the waiting proposal (409
 * "no_proposal"). */
rp_rc app_long_term_unpropose(app_ctx *c, int64_t rel_id, app_long_term *out, rp_err *e);
/* The jobs' share: mails each party of a pair whose short pulse is due
 * at the pair's cadence ("long_term_due"), once per pulse; *changed
 * counts the mails. */
rp_rc app_long_term_remind_job(app_ctx *c, int *changed, rp_err *e);

/* A long-term check-in: the short pulse (REL1, INT1, COM1, EMP1 and the
 * overall), only while both want them. */
rp_rc app_long_term_checkin(app_ctx *c, int64_t rel_id, const int answers[PULSE_NITEM],
                            int overall, pulse *out, rp_err *e);

#endif
