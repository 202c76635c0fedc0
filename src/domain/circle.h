/* circle.h: peer circles, the rules that need no store and no clock.
 *
 * A circle is 3 to 8 members of one program with an optional
 * facilitator, who work by the practices of pairs: an agreement that
 * every member acknowledges, group check-ins with attendance per member,
 * commitments, requests and replies, feedback from member to member,
 * notes, goals and incidents. Its states are those of a relationship
 * (proposed, active, paused, completed, ended) with the same moves; a
 * proposed circle becomes active once every member accepted.
 *
 * Who reads what: a member reads what the circle wrote while they were in
 * it (from joining until leaving), so that leaving ends access to what is
 * written afterwards and a newcomer does not read what was said before
 * they came. The facilitator reads the same as a member. A private note is
 * its author's alone. Nobody else reads any text (program admins see
 * states, dates and counts). Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_CIRCLE_H
#define RAPPORT_DOMAIN_CIRCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/relationship.h"

#define CIRCLE_MIN_MEMBERS 3
#define CIRCLE_MAX_MEMBERS 8
#define CIRCLE_NAME_MAX 120 /* bytes */
#define CIRCLE_TEXT_MAX 20000 /* bytes */

/* The states are a relationship's: rel_state and its names. */
typedef rel_state circle_state;

/* Whether a circle may move from `from` to `to` (rel_transition_allowed's
 * moves: proposed -> active happens only by everyone accepting). */
bool circle_transition_allowed(circle_state from, circle_state to);
/* Whether members may write (and check-ins be recorded): active only. */
bool circle_allows_writing(circle_state s);

typedef enum circle_role { CIRCLE_MEMBER = 0, CIRCLE_FACILITATOR } circle_role;
const char *circle_role_name(circle_role r);
bool circle_role_parse(const char *name, circle_role *out);

/* The size rule: between CIRCLE_MIN_MEMBERS and CIRCLE_MAX_MEMBERS
 * members (the facilitator not counted); RP_ERR_INVALID at `pointer`. */
rp_rc circle_size_check(size_t members, const char *pointer, rp_err *e);

/* Attendance of one member at a group check-in. */
typedef enum circle_attendance {
  CIRCLE_PRESENT = 0,
  CIRCLE_LATE,
  CIRCLE_ABSENT_WITH_NOTICE,
  CIRCLE_ABSENT_WITHOUT_NOTICE
} circle_attendance;
#define CIRCLE_ATTENDANCE_COUNT 4
/* "present", "late", "absent_with_notice", "absent_without_notice". */
const char *circle_attendance_name(circle_attendance a);
bool circle_attendance_parse(const char *name, circle_attendance *out);
/* Whether the member took part (present or late). */
bool circle_attended(circle_attendance a);

/* What members write; each kind is sealed as the pairs' kind of the same
 * name (circle_item_seal_kind returns a seal_kind value). */
typedef enum circle_item_kind {
  CIRCLE_COMMITMENT = 0,
  CIRCLE_REQUEST,
  CIRCLE_REPLY,
  CIRCLE_FEEDBACK,
  CIRCLE_NOTE,
  CIRCLE_GOAL,
  CIRCLE_INCIDENT
} circle_item_kind;
#define CIRCLE_ITEM_KIND_COUNT 7
const char *circle_item_kind_name(circle_item_kind k);
bool circle_item_kind_parse(const char *name, circle_item_kind *out);
int circle_item_seal_kind(circle_item_kind k);

/* A person's place in a circle, as the rules read it. */
typedef struct circle_place {
  bool in;            /* a member or the facilitator, now or before */
  circle_role role;
  rp_time joined_at;
  rp_time left_at;    /* 0 while in the circle */
} circle_place;

/* Whether a person at `place` may read text written (recorded, whatever
 * time it is dated with) at `written_at` by
 * `author` (private: only the author): in the circle when it was written. */
bool circle_text_readable(const circle_place *place, int64_t reader, int64_t author, bool shared,
                          rp_time written_at);
/* Whether the person is in the circle now (joined, not left). */
bool circle_is_current(const circle_place *place);

/* Text of 1..CIRCLE_TEXT_MAX bytes; RP_ERR_INVALID at pointer. */
rp_rc circle_text_check(const char *text, const char *pointer, rp_err *e);

/* ---- warnings of a circle: what they say and what to do ---- */

typedef enum circle_warning {
  CIRCLE_W_MEMBER_DRIFTING = 0, /* about a member: attendance falling (CUSUM) */
  CIRCLE_W_SILENT_MEMBER,       /* about a member: no requests, replies or feedback */
  CIRCLE_W_ONE_WAY_FEEDBACK,    /* the circle: feedback from one or two members */
  CIRCLE_W_CADENCE_GAP          /* the circle: its check-ins slipping */
} circle_warning;
#define CIRCLE_WARNING_COUNT 4

typedef struct circle_warning_text {
  const char *code;          /* "MEMBER_DRIFTING", ... */
  bool about_member;         /* shown to the member first */
  const char *sentence;      /* to the member (about_member) or to the circle */
  const char *practice_of;   /* the pairs' warning whose practice answers it */
  const char *questions[3];  /* reflection questions */
} circle_warning_text;

const circle_warning_text *circle_warning_of(circle_warning w);
bool circle_warning_parse(const char *code, circle_warning *out);
/* What the facilitator sees of a warning about a member who did not share
 * it: nobody named. */
#define CIRCLE_ANONYMOUS_SENTENCE "A member may need a check-in."

#endif
