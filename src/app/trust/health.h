/* health.h: program health for its administrators (TRUST-MODEL.md 7).
 *
 * Aggregates over the program's current relationships (active or paused),
 * for the program as a whole and for each guide's relationships, over the
 * last APP_HEALTH_PERIOD_DAYS days (trends compare with the period
 * before): the distribution of trust indices (established directions
 * only), the share of relationships with each open warning code, cadence
 * adherence, follow-through and pulse item means. Never any text.
 *
 * Privacy: every figure ("cell") rests on a count of distinct units,
 * raters for pulse figures and relationships for the rest, and is shown
 * only when that count is at least k (the program's k_anonymity, never
 * below 3). A trend rests on the smaller count of its two periods. A
 * guide's group is shown only when at least APP_HEALTH_GUIDE_RATERS
 * learners have rated the guide. Then complementary suppression: guide
 * groups partition the program, so a hidden group could be recovered by
 * subtracting the shown ones from the program's total; whenever exactly
 * one guide group is hidden for a cell, or the hidden ones together rest
 * on fewer than k units, the shown guide group with the fewest units is
 * hidden too ("complementary"), and when no guide group is left to hide,
 * the program's own cell is hidden (domain/kanon.h, the rule 360 reports
 * share).
 */
#ifndef RAPPORT_APP_TRUST_HEALTH_H
#define RAPPORT_APP_TRUST_HEALTH_H

#include "app/core/core.h"
#include "domain/kanon.h"
#include "trust/trust_warn.h"

#define APP_HEALTH_PERIOD_DAYS 90
#define APP_HEALTH_GUIDE_RATERS 5
#define APP_HEALTH_K_MIN 3
#define APP_HEALTH_NITEM 7

/* The figures of a group, one cell each. */
typedef enum app_health_cell_id {
  HEALTH_TRUST_INDEX = 0, /* units: relationships with an established direction */
  HEALTH_WARNINGS,        /* units: relationships */
  HEALTH_CADENCE,         /* units: active relationships expected to meet in the period */
  HEALTH_CADENCE_TREND,
  HEALTH_FOLLOW,          /* units: relationships with commitments due in the period */
  HEALTH_FOLLOW_TREND,
  HEALTH_PULSE,           /* units: raters with a pulse in the period */
  HEALTH_PULSE_TREND,
  HEALTH_ITEM0            /* + i for item i (REL1 .. EMP2); units: raters who answered it */
} app_health_cell_id;
#define HEALTH_NCELL (HEALTH_ITEM0 + APP_HEALTH_NITEM)

/* Why a cell is hidden: the rule of domain/kanon.h. */
typedef kanon_reason app_health_reason;
#define HEALTH_SHOWN KANON_SHOWN
#define HEALTH_FEWER_THAN_K KANON_FEWER_THAN_K
#define HEALTH_COMPLEMENTARY KANON_COMPLEMENTARY

typedef struct app_health_cell {
  size_t units;             /* distinct raters or relationships behind it */
  app_health_reason hidden; /* HEALTH_SHOWN when shown */
  double value;             /* the figure (a trend cell: the current one) */
  double previous;          /* trend cells: the figure of the period before */
} app_health_cell;

typedef struct app_health_group {
  bool is_program;  /* the program as a whole, else one guide's relationships */
  int64_t id;       /* program id, or the guide's person id */
  const char *name;
  size_t relationships;
  app_health_cell cell[HEALTH_NCELL];
  /* HEALTH_TRUST_INDEX: over the established directions. */
  size_t directions;
  double index_p25, index_median, index_p75; /* cell.value is the mean */
  /* HEALTH_WARNINGS: the share of relationships with each code open. */
  double warning_share[TRUST_W_COUNT];
} app_health_group;

/* The program's circles, counted by state (proposed, active, paused,
 * completed, ended) beside the relationships, with the same k and the
 * same complementary suppression: the total is the parent, the states
 * its partition. Units: circles. */
#define APP_HEALTH_CIRCLE_STATES 5
extern const rel_state app_health_circle_states[APP_HEALTH_CIRCLE_STATES];
typedef struct app_health_circles {
  app_health_cell total;
  app_health_cell by_state[APP_HEALTH_CIRCLE_STATES];
} app_health_circles;

typedef struct app_health {
  app_health_circles circles;
  int64_t program_id;
  const char *program_name;
  int k;
  rp_time as_of;
  int period_days;
  app_health_group *groups; /* [0] the program, then the guides by id */
  size_t ngroups;
  /* Alumni who guide now ("pay it forward", app/alumni/): one cell whose
   * units are those people, shown only from k. */
  app_health_cell alumni_guiding;
} app_health;

/* The health of program_id at c->now: program admins (and site admins,
 * and the operator) only; RP_ERR_NOT_FOUND for people who are not members,
 * RP_ERR_FORBIDDEN ("role") for members who do not administer it. */
rp_rc app_program_health(app_ctx *c, int64_t program_id, app_health *out, rp_err *e);

/* Every program's id, in id order: site admins and the operator only
 * (RP_ERR_FORBIDDEN otherwise); `rapport report` without --program. */
rp_rc app_health_programs(app_ctx *c, int64_t **ids, size_t *n, rp_err *e);

/* Applies the suppression rules to groups[0..n) for threshold k:
 * groups[0] is the parent (the program), the rest its partition. Cells
 * already hidden stay hidden; hidden_group[i] (may be NULL) hides every
 * cell of group i as fewer than k (a guide rated by too few learners).
 * Pure: exposed for the unit tests. */
void app_health_suppress(app_health_group *groups, size_t n, size_t k, const bool *hidden_group);

/* "fewer than k", "complementary"; NULL when shown. */
#define app_health_reason_text kanon_reason_text

#endif
