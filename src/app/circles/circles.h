/* circles.h: the circles room of app/: peer circles, what their members
 * do together, and their trust and warnings.
 *
 * It owns forming circles (an admin of the program), members accepting,
 * leaving and being added by the facilitator, the circle's states and
 * events; the circle agreement that every member acknowledges; group
 * check-ins with attendance; commitments, requests and replies, feedback,
 * notes, goals and incidents, sealed with the circle's own data key and
 * noted in the access log (app/privacy/); pulses about the circle; the
 * circle's trust in each member and each member's trust in the circle,
 * on the trust engine's arithmetic (trust/trust_circle.h); and the four
 * warnings of a circle, each shown first to the member it is about.
 * Incidents and repair plans, goal reviews and account deletion in
 * circles are declared in app/circles/practice.h.
 *
 * Who may see what (domain/circle.h): a circle's text only its members
 * and facilitator, each what was written while they were in it; its
 * states, dates, members and counts also the program's admins; anyone
 * else gets 404.
 *
 * The matcher's proposals of circles (propose.c) are formed from the
 * matching room's profiles and published through the same forming.
 *
 * It may call matching/, privacy/ and core/ (and store/, domain/, trust/
 * below app/); nothing above it calls it but the faces and yourdata/.
 */
#ifndef RAPPORT_APP_CIRCLES_CIRCLES_H
#define RAPPORT_APP_CIRCLES_CIRCLES_H

#include "app/core/core.h"
#include "domain/circle.h"
#include "domain/circle_match.h"
#include "store/circle_proposals.h"
#include "store/circles.h"
#include "trust/trust_index.h"
#include "trust/trust_explain.h"

/* A circle as its viewer may see it: metadata, members and counts. */
typedef struct app_circle {
  store_circle c;
  store_circle_member *members; /* everyone who is or was in it */
  size_t nmembers;
  int64_t facilitator_id; /* 0: none */
  bool viewer_in;         /* the viewer is or was in it (else an admin) */
  circle_place viewer;
  int agreement_version;  /* latest, 0 when none */
  bool agreement_in_force;
  int64_t checkins;
} app_circle;

typedef struct app_circle_form_in {
  int64_t program_id;
  const char *name;
  int cadence_days;           /* 0: the program's */
  const int64_t *member_ids;
  size_t nmembers;
  int64_t facilitator_id;     /* 0: none */
} app_circle_form_in;

rp_rc app_circle_form(app_ctx *c, const app_circle_form_in *in, app_circle *out, rp_err *e);
rp_rc app_circle_get(app_ctx *c, int64_t id, app_circle *out, rp_err *e);
rp_rc app_circles_mine(app_ctx *c, int64_t after, int limit, store_circle **items, size_t *n,
                       int64_t *next, rp_err *e);
rp_rc app_circles_of_program(app_ctx *c, int64_t program_id, int64_t after, int limit,
                             store_circle **items, size_t *n, int64_t *next, rp_err *e);
/* A member (or the facilitator) accepts; the circle becomes active once
 * everyone accepted. */
rp_rc app_circle_accept(app_ctx *c, int64_t id, app_circle *out, rp_err *e);
/* paused, active (resuming), completed, ended: the facilitator or an
 * admin, or any member of a circle without a facilitator. */
rp_rc app_circle_transition(app_ctx *c, int64_t id, circle_state to, app_circle *out, rp_err *e);
/* The actor leaves; a circle left with fewer than 3 members pauses. */
rp_rc app_circle_leave(app_ctx *c, int64_t id, app_circle *out, rp_err *e);
/* The facilitator (or an admin) adds a member of the program while the
 * circle is active. */
rp_rc app_circle_add_member(app_ctx *c, int64_t id, int64_t person_id, app_circle *out, rp_err *e);
/* Whether the actor and person_id are both in circle id now (accepted,
 * not left, as member or facilitator), in the caller's transaction, and
 * the circle's program (*program_id). *out is false, and nothing told,
 * for a circle the actor is not in or that does not exist: the rooms
 * above pick circle peers through it (feedback360/). */
rp_rc app_circle_both_in(app_ctx *c, int64_t id, int64_t person_id, bool *out,
                         int64_t *program_id, rp_err *e);
rp_rc app_circle_events(app_ctx *c, int64_t id, int64_t after, int limit,
                        store_circle_event **items, size_t *n, int64_t *next, rp_err *e);

/* ---- the agreement ---- */

typedef struct app_circle_agreement {
  int version, cadence_days;
  const char *text;
  rp_time created_at;
  int64_t *acknowledged_by;
  size_t nacknowledged;
  bool in_force; /* every member in the circle acknowledged this version */
} app_circle_agreement;

rp_rc app_circle_agreement_put(app_ctx *c, int64_t id, const char *text, int cadence_days,
                               app_circle_agreement *out, rp_err *e);
rp_rc app_circle_agreement_get(app_ctx *c, int64_t id, app_circle_agreement *out, rp_err *e);
rp_rc app_circle_agreement_ack(app_ctx *c, int64_t id, int version, app_circle_agreement *out,
                               rp_err *e);

/* ---- check-ins ---- */

typedef struct app_circle_mark {
  int64_t person_id;
  circle_attendance status;
} app_circle_mark;

typedef struct app_circle_checkin {
  store_circle_checkin ck;
  app_circle_mark *marks;
  size_t nmarks;
} app_circle_checkin;

/* Records a check-in held at `at` (NULL: now) with every current member's
 * attendance, once each. */
rp_rc app_circle_checkin_add(app_ctx *c, int64_t id, const rp_time *at, const app_circle_mark *marks,
                             size_t n, app_circle_checkin *out, rp_err *e);
rp_rc app_circle_checkins(app_ctx *c, int64_t id, app_circle_checkin **items, size_t *n,
                          rp_err *e);
/* One page of them, in id order. */
rp_rc app_circle_checkins_page(app_ctx *c, int64_t id, int64_t after, int limit,
                               app_circle_checkin **items, size_t *n, int64_t *next, rp_err *e);

/* ---- what members write ---- */

typedef struct app_circle_item {
  store_circle_item it;
  const char *text;        /* opened; NULL once shredded (its author deleted their account) */
  int64_t repair_plan_id;  /* an incident: its repair plan, 0 while not acknowledged */
  rp_time acknowledged_at; /* an incident: 0 while not acknowledged */
} app_circle_item;

typedef struct app_circle_item_in {
  circle_item_kind kind;
  const char *text;
  int64_t subject_id; /* feedback: the member it is for; incident: the member concerned (0: none) */
  int64_t parent_id;  /* reply: the request */
  bool shared;        /* notes: false for a private note */
  const char *label;  /* feedback: recognition|constructive; incident: its kind */
  const char *focus;  /* feedback: task|person */
  rp_time due_at;     /* commitment: when due */
  const rp_time *at;  /* NULL: now */
} app_circle_item_in;

rp_rc app_circle_item_add(app_ctx *c, int64_t id, const app_circle_item_in *in,
                          app_circle_item *out, rp_err *e);
/* The items of kind k the actor may read, oldest first. */
rp_rc app_circle_items(app_ctx *c, int64_t id, circle_item_kind k, app_circle_item **items,
                       size_t *n, rp_err *e);
/* One page of them, in id order: after the id `after`, at most limit. */
rp_rc app_circle_items_page(app_ctx *c, int64_t id, circle_item_kind k, int64_t after, int limit,
                            app_circle_item **items, size_t *n, int64_t *next, rp_err *e);
rp_rc app_circle_item_get(app_ctx *c, int64_t item_id, app_circle_item *out, rp_err *e);
/* A commitment's outcome (kept, kept_late, broken, dropped) by its owner
 * or the facilitator; a goal's status (achieved, dropped) by its owner. */
rp_rc app_circle_item_close(app_ctx *c, int64_t item_id, const char *label, const rp_time *at,
                            app_circle_item *out, rp_err *e);

/* ---- pulses, trust, warnings (circle_trust.c) ---- */

typedef struct app_circle_pulse_view {
  store_circle_pulse mine; /* the viewer's latest (id 0: none) */
  size_t raters;           /* members whose latest pulse is counted */
  bool shown;              /* raters >= 3: the means are shown */
  double means[7];
  size_t counts[7];
} app_circle_pulse_view;

rp_rc app_circle_pulse_add(app_ctx *c, int64_t id, const int answers[7], app_circle_pulse_view *out,
                           rp_err *e);
rp_rc app_circle_pulse_get(app_ctx *c, int64_t id, app_circle_pulse_view *out, rp_err *e);

#define APP_CIRCLE_EXPLAIN_MAX 3
typedef struct app_circle_direction {
  trust_dir_score score;
  struct {
    trust_comp comp;
    const char *reason; /* the evidence's reason code */
    const char *sentence;
    double delta;
    rp_time t;
  } top[APP_CIRCLE_EXPLAIN_MAX];
  size_t ntop;
} app_circle_direction;

typedef struct app_circle_trust {
  app_circle_direction in_me;   /* the circle's trust in the viewer */
  app_circle_direction me_in;   /* the viewer's trust in the circle */
  size_t raters;                /* members with a pulse about the circle */
  bool circle_shown;            /* raters >= 3 */
  double circle_index;          /* mean of the members' trust in the circle */
} app_circle_trust;

rp_rc app_circle_trust_get(app_ctx *c, int64_t id, app_circle_trust *out, rp_err *e);

typedef struct app_circle_warning {
  circle_warning code;
  const circle_warning_text *text;
  int64_t member_id;   /* 0: about the circle, or a member not named */
  bool anonymous;      /* the facilitator's "a member may need a check-in" */
  bool shared;         /* the member chose to show it by name */
  double figure;       /* the CUSUM statistic, the one-way share, the gap ratio */
} app_circle_warning;

/* The warnings the actor may see: the circle's, those about the actor,
 * and for the facilitator those about other members, by name only when
 * the member shared them. */
rp_rc app_circle_warnings(app_ctx *c, int64_t id, app_circle_warning **items, size_t *n,
                          rp_err *e);
/* The actor shows the facilitator a warning about them by name. */
rp_rc app_circle_warning_share(app_ctx *c, int64_t id, circle_warning code, rp_err *e);

/* ---- the matcher's proposals (propose.c) ---- */

#define APP_CIRCLE_SEED_MAX 2147483647
/* The circles' name, before " 1" .. " 10000" is added to each. */
#define APP_CIRCLE_PROPOSAL_NAME_MAX (CIRCLE_NAME_MAX - 6)

typedef struct app_circle_proposal_in {
  int64_t program_id;
  const char *name;    /* NULL: "Peer circle"; circles are "<name> 1", ... */
  int size;            /* 3..8 */
  int circles;         /* 0: as many as fit */
  const char *pool;    /* learners (NULL), guides, everyone */
  bool overlap_topics, mix_attributes, facilitator, include_active;
  const int64_t *mix_attribute_ids; /* none: every attribute */
  size_t nmix;
  int min_overlap_minutes; /* 0: the program's; never less than the program's */
  int64_t seed;
} app_circle_proposal_in;

typedef struct app_proposed_circle {
  int slot;
  const char *name;
  int64_t *member_ids;
  const char **member_names;
  size_t nmembers;
  int64_t facilitator_id; /* 0: none */
  const char *facilitator_name;
  int score, drafted_score; /* as the profiles stand now; when drafted */
  cm_parts parts;
  const char *why; /* the admin's sentences: no attribute, wish or block */
  bool fits;       /* meets every hard constraint now */
  int64_t circle_id; /* once published */
} app_proposed_circle;

typedef struct app_circle_proposal {
  store_circle_proposal p;
  app_proposed_circle *circles;
  size_t ncircles;
  int64_t *unplaced_ids;
  const char **unplaced_names;
  size_t nunplaced;
  size_t pool;     /* people considered when drafted */
  size_t target;   /* circles asked, or as many as the pool holds */
  int64_t total, seeded, swaps, created, skipped;
  int passes;
  bool converged;
} app_circle_proposal;

/* Admins of the program: forms a draft (domain/circle_match.h) from the
 * pool's profiles, leaving out people in an open circle of the program
 * unless include_active. Validation errors carry the body's pointers. */
rp_rc app_circle_proposal_create(app_ctx *c, const app_circle_proposal_in *in,
                                 app_circle_proposal *out, rp_err *e);
/* A proposal as the program stands now (scores, sentences, fit). Anyone
 * but the program's admins gets RP_ERR_NOT_FOUND. */
rp_rc app_circle_proposal_get(app_ctx *c, int64_t id, app_circle_proposal *out, rp_err *e);
rp_rc app_circle_proposals_list(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                store_circle_proposal **items, size_t *n, int64_t *next,
                                rp_err *e);
/* On a draft: takes a person out (a circle left with fewer than 3 members
 * leaves the draft; its members are unplaced). */
rp_rc app_circle_proposal_drop(app_ctx *c, int64_t id, int64_t person_id,
                               app_circle_proposal *out, rp_err *e);
/* Publishes the draft: each circle that still meets the constraints, and
 * whose members are in no open circle (unless the draft included them),
 * becomes a proposed circle that its members accept as any other; the
 * others are skipped. */
rp_rc app_circle_proposal_publish(app_ctx *c, int64_t id, app_circle_proposal *out, rp_err *e);
rp_rc app_circle_proposal_discard(app_ctx *c, int64_t id, app_circle_proposal *out, rp_err *e);

#endif
