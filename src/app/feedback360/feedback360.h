/* feedback360.h: the 360-feedback room of app/: asking several people for
 * feedback about yourself, answering as a rater (a program member, or an
 * outside rater through a one-time link), and the report.
 *
 * It owns requests, raters, answers and reports (store/f360.h) and the
 * rules of who may learn what (domain/f360.h, domain/kanon.h):
 *   - raters are members of the program, members of the requester's
 *     circles picked as peers, and outside raters by e-mail address: each
 *     gets a mail with a one-time link (outside.c), which the requester
 *     never holds, so nobody but the rater can answer through it or learn
 *     from it whether they answered or declined;
 *   - the requester sees who they asked, never who answered or declined,
 *     and no figure before the request closes (at its deadline, or when
 *     they close it); a closed request never reopens, and its report is
 *     built once, sealed with the requester's own key, and the answers it
 *     came from are deleted;
 *   - a member rates the same requester at most once in F360_RERATE_DAYS,
 *     so two reports share no member and cannot be subtracted;
 *   - the report is the requester's: they may share it with their guide
 *     (an event of that relationship) and withdraw it (another event);
 *   - administrators see only k-anonymous counts per program.
 * Every text is sealed with the requester's key outside relationships
 * (relationship 0), so every reading by anyone else is an access-log row
 * with the requester as subject.
 *
 * It may call circles/ (whether two people are in a circle), reach/ (the
 * outside raters' mail), people/ (programs, membership), privacy/ and the
 * core; nothing above it.
 */
#ifndef RAPPORT_APP_FEEDBACK360_FEEDBACK360_H
#define RAPPORT_APP_FEEDBACK360_FEEDBACK360_H

#include "app/core/core.h"
#include "crypto/token.h"
#include "domain/f360.h"
#include "store/f360.h"

typedef struct app_f360_rater_in {
  int64_t person_id; /* or 0 and ... */
  const char *email; /* ... a member's e-mail address */
  int64_t circle_id; /* 0, or a circle of the requester's that person_id is in: a peer */
  bool has_group;
  f360_group group; /* peers, colleagues or others; a guide is always "guide" */
} app_f360_rater_in;

/* An outside rater: an e-mail address, mailed a one-time link. */
typedef struct app_f360_outside_in {
  const char *email;
  f360_group group; /* peers, colleagues or others */
} app_f360_outside_in;

typedef struct app_f360_new {
  int64_t program_id;
  const char *purpose;
  rp_time deadline;
  int self[F360_NITEM];
  const app_f360_rater_in *raters;
  size_t nraters;
  const app_f360_outside_in *outside;
  size_t noutside;
} app_f360_new;

/* The requester's view of a request. */
typedef struct app_f360_view {
  store_f360 row;
  const char *purpose;
  store_f360_rater *raters; /* who was asked (state not shown) */
  const char **names;       /* raters[i]'s name, NULL for an outside rater */
  size_t nraters;
  const app_f360_outside_in *mailed; /* at creation only: the addresses mailed */
  size_t nmailed;
  const char *shared_with;  /* the guide's name when shared */
} app_f360_view;

/* A rater's view of what they were asked. */
typedef struct app_f360_ask {
  int64_t id;
  const char *requester_name;
  const char *purpose;
  rp_time deadline;
  bool open;
  store_f360_state state; /* the rater's own: invited, answered, declined, done */
  f360_group group;
  bool may_sign; /* the requester's guide may sign their answers */
} app_f360_ask;

typedef struct app_f360_answer_in {
  int ratings[F360_NITEM];
  const char *keep, *change;
  bool sign;
} app_f360_answer_in;

typedef struct app_f360_counts {
  int k;
  bool requests_shown, completed_shown;
  int64_t requests, completed;
} app_f360_counts;

/* The requester's side. */
rp_rc app_f360_create(app_ctx *c, const app_f360_new *in, app_f360_view *out, rp_err *e);
rp_rc app_f360_list(app_ctx *c, int64_t after, int limit, store_f360 **items, size_t *n,
                    int64_t *next, rp_err *e);
/* A request past its deadline is closed first. */
rp_rc app_f360_get(app_ctx *c, int64_t id, app_f360_view *out, rp_err *e);
rp_rc app_f360_set_deadline(app_ctx *c, int64_t id, rp_time deadline, app_f360_view *out,
                            rp_err *e);
rp_rc app_f360_close(app_ctx *c, int64_t id, app_f360_view *out, rp_err *e);
/* The report as JSON text: the requester, or the guide it is shared with.
 * RP_ERR_CONFLICT ("not_closed") while open. */
rp_rc app_f360_report(app_ctx *c, int64_t id, const char **json, rp_err *e);
/* Shares with the guide of relationship rel_id (the requester its
 * learner), or withdraws the sharing (rel_id 0); each an event of the
 * relationship. */
rp_rc app_f360_share(app_ctx *c, int64_t id, int64_t rel_id, app_f360_view *out, rp_err *e);

/* The rater's side: members by request id, outside raters by token. */
rp_rc app_f360_asks(app_ctx *c, app_f360_ask **items, size_t *n, rp_err *e);
rp_rc app_f360_ask_get(app_ctx *c, int64_t id, app_f360_ask *out, rp_err *e);
rp_rc app_f360_answer(app_ctx *c, int64_t id, const app_f360_answer_in *in, rp_err *e);
rp_rc app_f360_decline(app_ctx *c, int64_t id, rp_err *e);
rp_rc app_f360_link_get(app_ctx *c, const char *token, app_f360_ask *out, rp_err *e);
rp_rc app_f360_link_answer(app_ctx *c, const char *token, const app_f360_answer_in *in,
                           rp_err *e);
rp_rc app_f360_link_decline(app_ctx *c, const char *token, rp_err *e);

/* Administrators: how many requests the program has and how many were
 * completed, each shown only when at least k (and never so that the
 * difference is a count below k). */
rp_rc app_f360_program_counts(app_ctx *c, int64_t program_id, app_f360_counts *out, rp_err *e);

/* The jobs' share: closes requests past their deadline (up to 50 a run). */
rp_rc app_f360_close_due(app_ctx *c, int *changed, rp_err *e);

#endif
