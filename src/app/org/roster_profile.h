/* roster_profile.h: the matching profile columns of a roster (private to
 * app/org/): manager_email, time zone, languages, topics and the
 * program's attributes, read from a row, compared with what is stored
 * and written through the matching room's store (store/matching.h).
 *
 * Who owns what: the reporting line is the admins' (app_match_reporting_line),
 * so the roster sets it. The rest of a profile is the person's own: the
 * roster fills a time zone that is still the default, languages and
 * topics that are still empty and attribute values not declared, and
 * never overwrites what is there. Attribute values are private to their
 * person (not even admins see them), so whether one is there never shows
 * in the report: the row says they are set where none was declared.
 */
#ifndef RAPPORT_APP_ORG_ROSTER_PROFILE_H
#define RAPPORT_APP_ORG_ROSTER_PROFILE_H

#include "app/org/org.h"
#include "domain/csv.h"

#define ROSTER_ATTRS_MAX 32

typedef struct roster_profile_cols {
  int manager, time_zone, languages, topics; /* -1 when absent */
  int attr[ROSTER_ATTRS_MAX];                /* the columns of attributes */
  const char *attr_name[ROSTER_ATTRS_MAX];
  size_t nattr;
} roster_profile_cols;

/* A row's profile cells, checked (NULL or 0 where the cell is empty). */
typedef struct roster_profile {
  const char *manager;   /* folded */
  const char *time_zone;
  const char *languages; /* "en,fr", lowercased */
  const char **topics;   /* names, in order */
  size_t ntopics;
  const char *attr_value[ROSTER_ATTRS_MAX];
} roster_profile;

/* Whether header cell `name` (folded: lower case, '_' for spaces) is a
 * profile column; records it at index col. */
bool roster_profile_column(roster_profile_cols *pc, const char *name, const char *as_given,
                           int col);
/* Checks the profile cells of row `in` for a person of `role` whose folded
 * address is email; NULL when fine, else the refusal's code (and *detail). */
const char *roster_profile_check(app_ctx *c, const roster_profile_cols *pc, const csv_row *in,
                                 const char *email, member_role role, roster_profile *out,
                                 const char **detail);
/* What writing p would change for person_id (0: a new account) in the
 * program, as a sentence ("" when nothing), in the open transaction. */
rp_rc roster_profile_diff(app_ctx *c, int64_t program_id, int64_t person_id,
                          const roster_profile_cols *pc, const roster_profile *p,
                          const char **changes, rp_err *e);
/* Writes p for person_id, as roster_profile_diff describes it. */
rp_rc roster_profile_apply(app_ctx *c, int64_t program_id, int64_t person_id,
                           const roster_profile_cols *pc, const roster_profile *p, rp_err *e);

#endif
