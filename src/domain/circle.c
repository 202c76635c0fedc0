/* circle.c: the pure rules of peer circles (domain/circle.h). */
#include "domain/circle.h"

#include <string.h>

#include "crypto/seal.h"

static int index_of(const char *const *names, size_t count, const char *name) {
  if (!name) return -1;
  for (size_t i = 0; i < count; i++)
    if (strcmp(names[i], name) == 0) return (int)i;
  return -1;
}

bool circle_transition_allowed(circle_state from, circle_state to) {
  switch (from) {
  case REL_PROPOSED: return to == REL_ENDED;
  case REL_ACTIVE: return to == REL_PAUSED || to == REL_COMPLETED || to == REL_ENDED;
  case REL_PAUSED: return to == REL_ACTIVE || to == REL_COMPLETED || to == REL_ENDED;
  default: return false;
  }
}

bool circle_allows_writing(circle_state s) { return s == REL_ACTIVE; }

static const char *const g_roles[] = {"member", "facilitator"};

const char *circle_role_name(circle_role r) {
  return (unsigned)r < 2 ? g_roles[r] : "?";
}

bool circle_role_parse(const char *name, circle_role *out) {
  int i = index_of(g_roles, 2, name);
  if (i < 0) return false;
  *out = (circle_role)i;
  return true;
}

rp_rc circle_size_check(size_t members, const char *pointer, rp_err *e) {
  if (members >= CIRCLE_MIN_MEMBERS && members <= CIRCLE_MAX_MEMBERS) return RP_OK;
  rp_field(e, pointer, "A circle has %d to %d members.", CIRCLE_MIN_MEMBERS, CIRCLE_MAX_MEMBERS);
  return e->rc;
}

static const char *const g_attendance[] = {"present", "late", "absent_with_notice",
                                           "absent_without_notice"};

const char *circle_attendance_name(circle_attendance a) {
  return (unsigned)a < CIRCLE_ATTENDANCE_COUNT ? g_attendance[a] : "?";
}

bool circle_attendance_parse(const char *name, circle_attendance *out) {
  int i = index_of(g_attendance, CIRCLE_ATTENDANCE_COUNT, name);
  if (i < 0) return false;
  *out = (circle_attendance)i;
  return true;
}

bool circle_attended(circle_attendance a) { return a == CIRCLE_PRESENT || a == CIRCLE_LATE; }

static const char *const g_kinds[] = {"commitment", "request", "reply", "feedback",
                                      "note",       "goal",    "incident"};
static const int g_seal_kinds[] = {SEAL_COMMITMENT, SEAL_REQUEST, SEAL_REPLY,   SEAL_FEEDBACK,
                                   SEAL_NOTE,       SEAL_GOAL,    SEAL_INCIDENT};

const char *circle_item_kind_name(circle_item_kind k) {
  return (unsigned)k < CIRCLE_ITEM_KIND_COUNT ? g_kinds[k] : "?";
}

bool circle_item_kind_parse(const char *name, circle_item_kind *out) {
  int i = index_of(g_kinds, CIRCLE_ITEM_KIND_COUNT, name);
  if (i < 0) return false;
  *out = (circle_item_kind)i;
  return true;
}

int circle_item_seal_kind(circle_item_kind k) {
  return (unsigned)k < CIRCLE_ITEM_KIND_COUNT ? g_seal_kinds[k] : 0;
}

bool circle_is_current(const circle_place *place) { return place->in && place->left_at == 0; }

bool circle_text_readable(const circle_place *place, int64_t reader, int64_t author, bool shared,
                          rp_time written_at) {
  if (!place->in) return false;
  if (!shared) return reader == author;
  if (written_at < place->joined_at && reader != author) return false;
  return place->left_at == 0 || written_at < place->left_at;
}

rp_rc circle_text_check(const char *text, const char *pointer, rp_err *e) {
  size_t len = text ? strlen(text) : 0;
  if (len >= 1 && len <= CIRCLE_TEXT_MAX) return RP_OK;
  rp_field(e, pointer, "Write 1 to %d bytes.", CIRCLE_TEXT_MAX);
  return e->rc;
}

static const circle_warning_text g_warnings[CIRCLE_WARNING_COUNT] = {
    {"MEMBER_DRIFTING", true,
     "Your attendance at the circle's check-ins has fallen lately.",
     "LATE_CANCELLATIONS",
     {"What has made the circle's check-ins harder to reach lately?",
      "Is there something the circle could change so that you can take part?",
      "Who in the circle could you tell what is going on?"}},
    {"SILENT_MEMBER", true,
     "You have not asked, answered or given feedback in the circle for four check-ins.",
     "ONE_WAY_FEEDBACK",
     {"What would you like the circle's help with right now?",
      "Whose progress in the circle could you recognise this week?",
      "Is anything keeping you from speaking up in the circle?"}},
    {"ONE_WAY_FEEDBACK", false,
     "Most of the circle's feedback comes from one or two members.",
     "ONE_WAY_FEEDBACK",
     {"Whose voice have we heard least from lately, and how could we invite it?",
      "Could each of us recognise one thing another member did since we last met?",
      NULL}},
    {"CADENCE_GAP", false,
     "The circle's check-ins are further apart than its agreement says.",
     "CADENCE_GAP",
     {"What got in the way of meeting as often as we agreed?",
      "Is the cadence we agreed still the right one for us?",
      NULL}},
};

const circle_warning_text *circle_warning_of(circle_warning w) {
  return (unsigned)w < CIRCLE_WARNING_COUNT ? &g_warnings[w] : NULL;
}

bool circle_warning_parse(const char *code, circle_warning *out) {
  for (int i = 0; code && i < CIRCLE_WARNING_COUNT; i++)
    if (strcmp(g_warnings[i].code, code) == 0) {
      *out = (circle_warning)i;
      return true;
    }
  return false;
}
