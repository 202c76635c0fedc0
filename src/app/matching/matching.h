/* matching.h: the matching room of app/: profiles, the program's topics,
 * attributes and matching settings, reporting lines and private blocks;
 * the admin's batch runs (draft, lock, exclude, re-run, publish as
 * proposed relationships); self-match (a learner's top five suggestions,
 * requests a guide answers within the program's window, their expiry);
 * the private exit question of a rematch; and the k-anonymous figures of
 * which matches built trust.
 *
 * The rules (constraints, score, sentences, the optimiser) are
 * domain/match.h's; this room builds their instance from the store
 * (instance.c) and says who may see what. Attributes, wishes, blocks and
 * exit answers are shown to nobody but their author: not to the other
 * party, not to admins; explanations shown to a guide or an admin leave
 * out the attribute wishes (match_explain's viewers).
 *
 * It may call the core, people and trust rooms (app/core, app/people,
 * app/trust) and nothing above: yourdata/ (account deletion forgets a
 * person's matching data), circles/ (the matcher's proposals of circles
 * are formed from this room's instance) and the top of app/ may call it.
 */
#ifndef RAPPORT_APP_MATCHING_MATCHING_H
#define RAPPORT_APP_MATCHING_MATCHING_H

#include "app/core/core.h"
#include "domain/match.h"
#include "store/matching.h"

#define APP_MATCH_NAME_MAX 80
#define APP_MATCH_ABOUT_MAX 1000
#define APP_MATCH_LIST_MAX 100 /* topics and attributes of a program */
#define APP_MATCH_WINDOWS_MAX 28
#define APP_MATCH_SUGGESTIONS 5
#define APP_MATCH_LEARN_DAYS 90
#define APP_MATCH_WINDOW_HOURS 72

/* ---- the program's lists (profiles.c) ---- */

typedef enum app_match_list { APP_MATCH_TOPICS, APP_MATCH_ATTRIBUTES } app_match_list;
/* Members and admins read; admins add (an existing name gives its id) and
 * delete. RP_ERR_NOT_FOUND for people outside the program. */
rp_rc app_match_list_get(app_ctx *c, int64_t program_id, app_match_list which,
                         store_match_named **items, size_t *n, rp_err *e);
rp_rc app_match_list_add(app_ctx *c, int64_t program_id, app_match_list which, const char *name,
                         int64_t *id, rp_err *e);
rp_rc app_match_list_delete(app_ctx *c, int64_t program_id, app_match_list which, int64_t id,
                            rp_err *e);

/* ---- profiles (profiles.c) ---- */

typedef struct app_match_profile {
  int64_t program_id, person_id;
  const char *name;
  bool learner, guide;
  bool own; /* the private parts below are filled only for the person */
  store_match_profile p;
  int64_t *wants, *offers; /* topic ids, wants in rank order */
  size_t nwants, noffers;
  store_match_window *windows;
  size_t nwindows;
  /* the person's own view only */
  store_match_attr_value *attrs;
  size_t nattrs;
  int64_t *blocks;
  size_t nblocks;
  /* the person and the program's admins */
  const char *manager_email;
} app_match_profile;

/* The profile of person_id (0: the actor) in the program: the person sees
 * all of it; every member sees the public part of a guide's, the program's
 * guides and admins that of a learner's (admins also the reporting line);
 * anyone else gets RP_ERR_NOT_FOUND. */
rp_rc app_match_profile_get(app_ctx *c, int64_t program_id, int64_t person_id,
                            app_match_profile *out, rp_err *e);

/* A change to the actor's own profile: only the parts whose has_ flag is
 * set change. Languages are codes ("en", "pt-br": 2 to 8 letters, digits
 * or hyphens, lowercased), at most MATCH_MAX_LANGS; wants at most
 * MATCH_MAX_WANTS topics of the program; windows within the week. */
typedef struct app_match_profile_in {
  bool has_languages, has_time_zone, has_capacity, has_taking_new, has_about, has_wants,
      has_offers, has_windows, has_attrs;
  const char **languages;
  size_t nlanguages;
  const char *time_zone;
  int capacity;
  bool taking_new;
  const char *about;
  const int64_t *wants, *offers;
  size_t nwants, noffers;
  const store_match_window *windows;
  size_t nwindows;
  const store_match_attr_value *attrs; /* attribute_id, value (NULL: none), wish */
  size_t nattrs;
} app_match_profile_in;
/* The actor must be a learner or guide of the program. Validation errors
 * carry the pointers of the body's fields (/languages/0, /wants, ...). */
rp_rc app_match_profile_put(app_ctx *c, int64_t program_id, const app_match_profile_in *in,
                            app_match_profile *out, rp_err *e);

/* The actor blocks (or unblocks) a member of the program; never shown to
 * anyone else. */
rp_rc app_match_block(app_ctx *c, int64_t program_id, int64_t person_id, bool blocked,
                      rp_err *e);
/* Admins set a member's manager by e-mail ("" or NULL removes it). */
rp_rc app_match_reporting_line(app_ctx *c, int64_t program_id, int64_t person_id,
                               const char *manager_email, rp_err *e);

/* ---- settings (profiles.c) ---- */

/* Admins only; the defaults (domain/match.h, a 72-hour window) when unset. */
rp_rc app_match_settings_get(app_ctx *c, int64_t program_id, store_match_settings *out,
                             rp_err *e);
rp_rc app_match_settings_put(app_ctx *c, int64_t program_id, const store_match_settings *in,
                             rp_err *e);

/* ---- the instance (instance.c) ---- */

/* A program's instance: the domain's, with the persons' ids behind it. */
typedef struct app_match_inst {
  match_instance in;
  match_person *learners, *guides;
  match_forbid *forbid;
  size_t nforbid;
  int64_t program_id;
  int k; /* the program's k-anonymity */
  int window_hours;
  const char **attr_names;
  const char **topic_names; /* by topic number (also in.topic_names) */
  const char **lang_names;  /* by language number */
  size_t nlangs;
  /* learners with an open relationship in the program (batch runs leave
   * them out), per learner index */
  bool *learner_matched;
  int64_t *former_guide; /* per learner: the guide of a chemistry exit, 0 */
} app_match_inst;

/* Builds the instance of the program inside the caller's transaction:
 * every learner and guide, guides' free places (capacity less open
 * relationships), every hard constraint as forbidden pairs. */
rp_rc app_match_instance(app_ctx *c, int64_t program_id, app_match_inst *out, rp_err *e);
/* The index of a person among learners or guides, -1 when absent. */
long app_match_learner_index(const app_match_inst *m, int64_t person_id);
long app_match_guide_index(const app_match_inst *m, int64_t person_id);

/* ---- admin batch runs (runs.c) ---- */

typedef struct app_match_pair {
  int64_t learner_id, guide_id;
  const char *learner_name, *guide_name;
  int score;
  bool locked;
  match_parts parts;
  const char *why; /* the sentences, admin's view */
} app_match_pair;

typedef struct app_match_unmatched {
  int64_t learner_id;
  const char *name;
  match_reason reason;
  int counts[MATCH_NREASONS];
} app_match_unmatched;

typedef struct app_match_run {
  store_match_run run;
  app_match_pair *pairs;
  size_t npairs;
  app_match_unmatched *unmatched;
  size_t nunmatched;
  size_t learners; /* in the run */
  int64_t total, greedy_total, blocking;
  int minimum;
  int bands[5]; /* scores 0-49, 50-59, 60-69, 70-79, 80-100 */
} app_match_run;

/* Admins: solves a new draft for the program (every learner without an
 * open relationship, in the program's mode). */
rp_rc app_match_run_create(app_ctx *c, int64_t program_id, app_match_run *out, rp_err *e);
rp_rc app_match_run_get(app_ctx *c, int64_t run_id, app_match_run *out, rp_err *e);
rp_rc app_match_runs_list(app_ctx *c, int64_t program_id, int64_t after, int limit,
                          store_match_run **items, size_t *n, int64_t *next, rp_err *e);
/* On a draft: locks learner with guide (a swap when it is another guide;
 * the pair must meet every hard constraint and the guide have a place
 * among the locked pairs), or unlocks with locked false. */
rp_rc app_match_run_lock(app_ctx *c, int64_t run_id, int64_t learner_id, int64_t guide_id,
                         bool locked, app_match_run *out, rp_err *e);
/* On a draft: excludes a pair (guide_id) or the learner (guide_id 0); the
 * next re-run respects it, and the pair leaves the draft now. */
rp_rc app_match_run_exclude(app_ctx *c, int64_t run_id, int64_t learner_id, int64_t guide_id,
                            app_match_run *out, rp_err *e);
/* Solves again, keeping the locked pairs and the exclusions. */
rp_rc app_match_run_rerun(app_ctx *c, int64_t run_id, app_match_run *out, rp_err *e);
/* Publishes the draft: each pair becomes a proposed relationship that both
 * parties accept as any other; *created counts them (pairs that meanwhile
 * got an open relationship are skipped). */
rp_rc app_match_run_publish(app_ctx *c, int64_t run_id, int64_t *created, app_match_run *out,
                            rp_err *e);

/* ---- self-match (selfmatch.c) ---- */

typedef struct app_match_suggestion {
  int64_t guide_id;
  const char *name, *about;
  const char *languages;
  int64_t *offers;
  size_t noffers;
  int score;
  match_parts parts;
  const char *why; /* the learner's view */
} app_match_suggestion;

/* The actor's (a learner's) top five: guides who fit, have a place, and
 * were not requested by the actor yet; best first. */
rp_rc app_match_suggestions(app_ctx *c, int64_t program_id, app_match_suggestion **items,
                            size_t *n, rp_err *e);
/* The learner asks guide_id (a fitting guide with a place; one pending
 * request at a time). The guide answers within the program's window. */
rp_rc app_match_request(app_ctx *c, int64_t program_id, int64_t guide_id,
                        store_match_request *out, rp_err *e);
/* The actor's requests, as learner or guide, by id. */
rp_rc app_match_requests_mine(app_ctx *c, int64_t after, int limit, store_match_request **items,
                              size_t *n, int64_t *next, rp_err *e);
/* The guide accepts (the relationship starts, active) or declines; the
 * learner may withdraw. RP_ERR_CONFLICT when it is no longer pending. */
typedef enum app_match_answer {
  APP_MATCH_ACCEPT,
  APP_MATCH_DECLINE,
  APP_MATCH_WITHDRAW
} app_match_answer;
rp_rc app_match_request_answer(app_ctx *c, int64_t request_id, app_match_answer answer,
                               store_match_request *out, rp_err *e);
/* The time job: pending requests past their window expire (the learner's
 * suggestions then offer the next guide). Inside the caller's write
 * transaction; *expired counts them. */
rp_rc app_match_expire_requests(app_ctx *c, int64_t *expired, rp_err *e);

/* ---- rematch (selfmatch.c) ---- */

/* A party's private answer after a no-fault ending (completed, alumni or
 * ended without an incident): what did not fit, MATCH_EXIT_* flags. The
 * learner's feeds their next suggestions and runs. */
rp_rc app_match_exit_answer(app_ctx *c, int64_t rel_id, unsigned flags, rp_err *e);
/* The actor's own answer on the relationship (0 when none). */
rp_rc app_match_exit_get(app_ctx *c, int64_t rel_id, unsigned *flags, bool *found, rp_err *e);
/* "topics,style" from flags, and back (false on an unknown name). */
const char *app_match_exit_text(arena *a, unsigned flags);
bool app_match_exit_parse(const char *name, unsigned *flag);
/* The flags of a stored "topics,style" (unknown names are skipped). */
unsigned app_match_exit_flags(arena *a, const char *text);

/* For the export (yourdata), inside its transaction: the actor's own
 * profile in each program where they learn or guide (all of it), and
 * every request they made or received. */
rp_rc app_match_export(app_ctx *c, app_match_profile **profiles, size_t *nprofiles,
                       store_match_request **requests, size_t *nrequests, rp_err *e);

/* For account deletion (yourdata), inside its transaction: forgets the
 * person's profiles, attributes, wishes, blocks, reporting lines and exit
 * answers, and withdraws their pending requests. */
rp_rc app_match_forget(app_ctx *c, int64_t person_id, const char *email, rp_err *e);

/* ---- which matches build trust (learning.c) ---- */

typedef struct app_match_figure {
  bool shown;
  const char *reason; /* when hidden: "fewer than k", "complementary" */
  size_t units;
  double value, low, high; /* a correlation with its 95% interval; a band's mean trust */
} app_match_figure;

typedef struct app_match_learning {
  int64_t program_id;
  int k;
  rp_time as_of, matched_before;
  size_t relationships; /* matched at least 90 days ago, with an established trust index */
  app_match_figure score;            /* correlation of the score with the trust index */
  app_match_figure part[MATCH_NPARTS]; /* of each part */
  app_match_figure band[5];          /* mean trust index per score band */
} app_match_learning;

/* Admins: over the relationships the matcher started at least 90 days
 * ago, how their score and its parts relate to the trust index they
 * reached; every figure rests on at least k relationships (bands with
 * complementary suppression, as program health). */
rp_rc app_match_learning_get(app_ctx *c, int64_t program_id, app_match_learning *out, rp_err *e);

#endif
