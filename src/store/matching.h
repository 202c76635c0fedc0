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

/* Forgets everything matching holds of a person whose account is deleted
 * (the person row stays as a tombstone, so nothing cascades): profiles,
 * topics, windows, attribute values and wishes, reporting lines, the
 * blocks they made, their exit answers; their pending requests are
 * withdrawn. Reporting lines naming them by e-mail go too. */
rp_rc store_match_forget_person(store *s, int64_t person_id, const char *email, rp_time now,
                                rp_err *e);

/* ---- what the matcher reads of a whole program ---- */

/* A member of the program as a learner or a guide, with their profile
 * (defaults where there is none). */
typedef struct store_match_member {
  int64_t person_id;
  const char *name, *email;
  bool learner, guide;
  store_match_profile profile;
} store_match_member;
/* Every learner and guide of the program, by person id. */
rp_rc store_match_members(store *s, int64_t program_id, arena *a, store_match_member **items,
                          size_t *n, rp_err *e);

/* One row of a program-wide list: a person and a number or two. */
typedef struct store_match_row {
  int64_t person_id, other; /* topic, attribute, blocked person, manager person (0: none) */
  int64_t a, b;             /* rank / start, end / ... */
  const char *text;         /* side, value, wish, manager e-mail */
  const char *text2;
} store_match_row;
/* Topics of every profile: person_id, other = topic, a = rank, text = side. */
rp_rc store_match_all_topics(store *s, int64_t program_id, arena *a, store_match_row **items,
                             size_t *n, rp_err *e);
/* Windows: person_id, a = start, b = end. */
rp_rc store_match_all_windows(store *s, int64_t program_id, arena *a, store_match_row **items,
                              size_t *n, rp_err *e);
/* Attribute values: person_id, other = attribute, text = value, text2 = wish. */
rp_rc store_match_all_attribute_values(store *s, int64_t program_id, arena *a,
                                       store_match_row **items, size_t *n, rp_err *e);
/* Blocks: person_id blocks other. */
rp_rc store_match_all_blocks(store *s, int64_t program_id, arena *a, store_match_row **items,
                             size_t *n, rp_err *e);
/* Reporting lines: person_id, other = the manager's person id (0 when the
 * e-mail is nobody's), text = the manager's e-mail. */
rp_rc store_match_all_lines(store *s, int64_t program_id, arena *a, store_match_row **items,
                            size_t *n, rp_err *e);
/* The program's relationships: person_id = learner, other = guide,
 * text = state, a = 1 when an incident was reported on it. */
rp_rc store_match_all_relationships(store *s, int64_t program_id, arena *a,
                                    store_match_row **items, size_t *n, rp_err *e);
/* The latest exit answer of each learner who gave one in the program:
 * person_id = learner, other = the guide of that relationship, text =
 * reasons. */
rp_rc store_match_latest_exits(store *s, int64_t program_id, arena *a, store_match_row **items,
                               size_t *n, rp_err *e);

/* Pending self-match requests per guide: person_id = guide, a = count. */
rp_rc store_match_pending_by_guide(store *s, int64_t program_id, arena *a,
                                   store_match_row **items, size_t *n, rp_err *e);

/* ---- settings ---- */

typedef struct store_match_settings {
  int weight[5]; /* topics, availability, language, attributes, experience */
  int min_overlap_minutes;
  bool fairness;
  int request_window_hours;
} store_match_settings;
/* The program's settings; *found false (and *out untouched) when none. */
rp_rc store_match_settings_get(store *s, int64_t program_id, store_match_settings *out,
                               bool *found, rp_err *e);
rp_rc store_match_settings_put(store *s, int64_t program_id, const store_match_settings *v,
                               rp_time now, rp_err *e);

/* ---- admin runs ---- */

typedef struct store_match_run {
  int64_t id, program_id, created_by;
  const char *state; /* draft, published, discarded */
  bool fairness;
  rp_time created_at, solved_at, published_at;
  const char *report; /* JSON: figures only */
} store_match_run;
rp_rc store_match_run_insert(store *s, store_match_run *r, rp_err *e);
rp_rc store_match_run_get(store *s, int64_t id, arena *a, store_match_run *out, rp_err *e);
rp_rc store_match_run_update(store *s, const store_match_run *r, rp_err *e);
/* The program's runs, by id, paged as every list is. */
rp_rc store_match_runs_list(store *s, int64_t program_id, int64_t after, int limit, arena *a,
                            store_match_run **items, size_t *n, int64_t *next, rp_err *e);

typedef struct store_match_pair {
  int64_t learner_id, guide_id;
  int score;
  bool locked;
} store_match_pair;
/* Replaces the run's unlocked pairs by these (locked ones stay). */
rp_rc store_match_run_pairs_replace(store *s, int64_t run_id, const store_match_pair *p,
                                    size_t n, rp_err *e);
rp_rc store_match_run_pairs(store *s, int64_t run_id, arena *a, store_match_pair **items,
                            size_t *n, rp_err *e);
/* Sets (replacing any pair of that learner) or, with guide_id 0, removes
 * the learner's pair; `locked` as given. */
rp_rc store_match_run_pair_set(store *s, int64_t run_id, int64_t learner_id, int64_t guide_id,
                               int score, bool locked, rp_err *e);
rp_rc store_match_run_exclude(store *s, int64_t run_id, int64_t learner_id, int64_t guide_id,
                              rp_err *e);
/* Exclusions: person_id = learner, other = guide (0: the learner). */
rp_rc store_match_run_exclusions(store *s, int64_t run_id, arena *a, store_match_row **items,
                                 size_t *n, rp_err *e);

/* ---- self-match requests ---- */

typedef struct store_match_request {
  int64_t id, program_id, learner_id, guide_id;
  const char *state; /* pending, accepted, declined, expired, withdrawn */
  int score;
  rp_time created_at, due_at, answered_at;
  int64_t relationship_id;
  const char *learner_name, *guide_name;
} store_match_request;
rp_rc store_match_request_insert(store *s, store_match_request *r, rp_err *e);
rp_rc store_match_request_get(store *s, int64_t id, arena *a, store_match_request *out,
                              rp_err *e);
/* Moves a pending request to state (answered_at, relationship_id as given);
 * RP_ERR_NOT_FOUND when it is not pending. */
rp_rc store_match_request_answer(store *s, int64_t id, const char *state, rp_time at,
                                 int64_t relationship_id, rp_err *e);
/* Requests where the person is the learner or the guide, by id, paged. */
rp_rc store_match_requests_of(store *s, int64_t person_id, int64_t after, int limit, arena *a,
                              store_match_request **items, size_t *n, int64_t *next,
                              rp_err *e);
/* The learner's requests in the program (every state), by id. */
rp_rc store_match_requests_of_learner(store *s, int64_t program_id, int64_t learner_id,
                                      arena *a, store_match_request **items, size_t *n,
                                      rp_err *e);
/* Pending requests due at or before now, up to limit, by due time. */
rp_rc store_match_requests_due(store *s, rp_time now, int limit, arena *a,
                               store_match_request **items, size_t *n, rp_err *e);

/* ---- exit answers and outcomes ---- */

rp_rc store_match_exit_put(store *s, int64_t rel_id, int64_t person_id, const char *reasons,
                           rp_time at, rp_err *e);
/* The person's exit answer on the relationship, NULL when none. */
rp_rc store_match_exit_get(store *s, int64_t rel_id, int64_t person_id, arena *a,
                           const char **reasons, rp_err *e);

typedef struct store_match_outcome {
  int64_t relationship_id;
  int score;
  int part[5];
  rp_time at;
} store_match_outcome;
rp_rc store_match_outcome_put(store *s, int64_t program_id, const store_match_outcome *o,
                              rp_err *e);
/* The outcomes of the program's relationships matched at or before
 * `before`, by relationship. */
rp_rc store_match_outcomes(store *s, int64_t program_id, rp_time before, arena *a,
                           store_match_outcome **items, size_t *n, rp_err *e);

#endif
