/* matching.h: store operations for matching (migration 0030): the
 * program's topics and attributes, profiles per program membership
 * (topics wanted and offered, languages, time zone, weekly windows,
 * capacity, taking new learners, about me), attribute values and wishes,
 * reporting lines, private blocks, settings, runs, requests, exit answers
 * and outcomes. Conventions as in store.h.
 *
 * The profile writers are also what a roster import calls: each writes
 * one part of a profile, creating the profile row with defaults when it
 * is missing, so that an import may set only the parts it has.
 */
#ifndef RAPPORT_STORE_MATCHING_H
#define RAPPORT_STORE_MATCHING_H

#include "store/store.h"

/* ---- the program's lists ---- */

typedef struct store_match_named {
  int64_t id;
  const char *name;
} store_match_named;

/* Finds the program's topic of that name (exact, as given) or adds it;
 * sets *id. */
rp_rc store_match_topic_ensure(store *s, int64_t program_id, const char *name, rp_time now,
                               int64_t *id, rp_err *e);
/* Deletes a topic of the program (and it from every profile);
 * RP_ERR_NOT_FOUND when the program has no such topic. */
rp_rc store_match_topic_delete(store *s, int64_t program_id, int64_t topic_id, rp_err *e);
/* The program's topics, by name. */
rp_rc store_match_topics(store *s, int64_t program_id, arena *a, store_match_named **items,
                         size_t *n, rp_err *e);

/* The same three for the program's attributes. */
rp_rc store_match_attribute_ensure(store *s, int64_t program_id, const char *name, rp_time now,
                                   int64_t *id, rp_err *e);
rp_rc store_match_attribute_delete(store *s, int64_t program_id, int64_t attribute_id,
                                   rp_err *e);
rp_rc store_match_attributes(store *s, int64_t program_id, arena *a, store_match_named **items,
                             size_t *n, rp_err *e);

/* ---- profiles ---- */

typedef struct store_match_profile {
  int64_t program_id, person_id;
  const char *languages; /* comma-separated lowercase codes, "en,fr"; "" none */
  const char *time_zone; /* an IANA name, "UTC" by default */
  int capacity;          /* a guide's most learners at once, >= 0 */
  bool taking_new;
  const char *about;
  rp_time updated_at;
} store_match_profile;

/* Creates the profile with its defaults when it is missing. */
rp_rc store_match_profile_ensure(store *s, int64_t program_id, int64_t person_id, rp_time now,
                                 rp_err *e);
/* Reads a profile; when there is none, *found is false and *out holds the
 * defaults ("", "UTC", 1, true, ""). */
rp_rc store_match_profile_get(store *s, int64_t program_id, int64_t person_id, arena *a,
                              store_match_profile *out, bool *found, rp_err *e);
/* Writes every field of p (creating the row). */
rp_rc store_match_profile_put(store *s, const store_match_profile *p, rp_time now, rp_err *e);
/* Writes one field (creating the row with defaults). */
rp_rc store_match_profile_set_languages(store *s, int64_t program_id, int64_t person_id,
                                        const char *languages, rp_time now, rp_err *e);
rp_rc store_match_profile_set_time_zone(store *s, int64_t program_id, int64_t person_id,
                                        const char *time_zone, rp_time now, rp_err *e);

/* Replaces the person's topics on one side ("wants": ranked in the order
 * given, 1 first; "offers": rank 0). Every id must be a topic of the
 * program (RP_ERR_CONFLICT otherwise). */
rp_rc store_match_profile_set_topics(store *s, int64_t program_id, int64_t person_id,
                                     const char *side, const int64_t *topic_ids, size_t n,
                                     rp_time now, rp_err *e);
/* The person's topic ids on one side, in rank order. */
rp_rc store_match_profile_topics(store *s, int64_t program_id, int64_t person_id,
                                 const char *side, arena *a, int64_t **ids, size_t *n,
                                 rp_err *e);

typedef struct store_match_window {
  int start_minute, end_minute; /* of the week, UTC, [start, end) */
} store_match_window;
/* Replaces the person's weekly windows. */
rp_rc store_match_profile_set_windows(store *s, int64_t program_id, int64_t person_id,
                                      const store_match_window *w, size_t n, rp_time now,
                                      rp_err *e);
rp_rc store_match_profile_windows(store *s, int64_t program_id, int64_t person_id, arena *a,
                                  store_match_window **items, size_t *n, rp_err *e);

/* A person's value of an attribute (NULL: not declared) and wish
 * ("similar", "different", "none"). */
typedef struct store_match_attr_value {
  int64_t attribute_id;
  const char *name; /* filled by the readers */
  const char *value;
  const char *wish;
} store_match_attr_value;
/* Sets (or, with value NULL and wish "none", removes) one attribute of the
 * person; the attribute must be the program's (RP_ERR_NOT_FOUND). */
rp_rc store_match_attribute_value_set(store *s, int64_t program_id, int64_t person_id,
                                      int64_t attribute_id, const char *value, const char *wish,
                                      rp_err *e);
/* The person's attribute values and wishes in the program, by attribute. */
rp_rc store_match_attribute_values(store *s, int64_t program_id, int64_t person_id, arena *a,
                                   store_match_attr_value **items, size_t *n, rp_err *e);

/* ---- reporting lines and blocks ---- */

/* Sets the person's manager in the program, by e-mail (lowercased by the
 * caller); NULL or "" removes the line. */
rp_rc store_match_reporting_line_set(store *s, int64_t program_id, int64_t person_id,
                                     const char *manager_email, int64_t set_by, rp_time now,
                                     rp_err *e);
/* The person's manager's e-mail, NULL when none. */
rp_rc store_match_reporting_line_get(store *s, int64_t program_id, int64_t person_id, arena *a,
                                     const char **manager_email, rp_err *e);

/* Adds or removes a private block of blocked_id by person_id. */
rp_rc store_match_block_set(store *s, int64_t program_id, int64_t person_id, int64_t blocked_id,
                            bool blocked, rp_time now, rp_err *e);
/* The persons person_id blocks in the program, by id. */
rp_rc store_match_blocks_of(store *s, int64_t program_id, int64_t person_id, arena *a,
                            int64_t **ids, size_t *n, rp_err *e);

#endif
