/* json_body.c: fuzz target for request bodies.
 *
 * The input is a request body. It is collected as server.c collects it
 * (in chunks into a strbuf capped at HTTP_BODY_MAX), parsed by
 * http_body_parse (size limit, content type, depth limit, jansson with
 * duplicate keys refused, object check), and when it is an object, read
 * with the jin_* readers through the field sets of the routes (mirrored
 * from src/http/routes_*.c: text, enums, ids, integers, numbers, times,
 * dates, nested objects, arrays, arbitrary keys). Every refusal is turned
 * into the problem document the server would send, which must be whole:
 * every member present and one `errors` entry per recorded field error.
 * A body that parses is also written back as an answer would be
 * (http_json_text), which must give json_dumps's bytes.
 */
#include "fuzz.h"

#include "base/arena.h"
#include "base/strbuf.h"
#include "domain/agreement.h"
#include "domain/commitment.h"
#include "domain/exchange.h"
#include "domain/goal.h"
#include "domain/note.h"
#include "domain/program.h"
#include "http/http.h"
#include "http/parse.h"

#include <float.h>

#define CHUNK 1400 /* about what libmicrohttpd hands over per call */

static void check_str_member(json_t *p, const char *key) {
  json_t *v = json_object_get(p, key);
  FUZZ_CHECK(json_is_string(v));
  FUZZ_CHECK(json_string_length(v) > 0);
}

/* The problem document for e must be complete and serialisable. */
static void check_problem(const rp_err *e) {
  FUZZ_CHECK(e->rc != RP_OK);
  json_t *p = http_problem(e, "/api/v1/fuzz");
  FUZZ_CHECK(p != NULL);
  check_str_member(p, "type");
  check_str_member(p, "title");
  check_str_member(p, "detail");
  check_str_member(p, "code");
  FUZZ_CHECK(json_integer_value(json_object_get(p, "status")) == rp_rc_status(e->rc));
  json_t *errs = json_object_get(p, "errors");
  if (e->rc == RP_ERR_INVALID) {
    FUZZ_CHECK(json_is_array(errs));
    FUZZ_CHECK(e->nfield >= 1 && e->nfield <= RP_ERR_MAX_FIELDS);
    FUZZ_CHECK(json_array_size(errs) == (size_t)e->nfield);
    size_t i;
    json_t *f;
    json_array_foreach(errs, i, f) {
      FUZZ_CHECK(json_is_string(json_object_get(f, "pointer")));
      FUZZ_CHECK(json_is_string(json_object_get(f, "detail")));
    }
  } else {
    FUZZ_CHECK(errs == NULL);
  }
  char *text = json_dumps(p, JSON_COMPACT);
  FUZZ_CHECK(text != NULL);
  free(text);
  json_decref(p);
}

/* An answer's text (http_json_text) is what json_dumps writes. */
static void check_answer_text(const json_t *v) {
  char *want = json_dumps(v, HTTP_JSON_DUMP_FLAGS);
  char *got = http_json_text(v);
  FUZZ_CHECK((want == NULL) == (got == NULL));
  if (want) FUZZ_CHECK(strcmp(want, got) == 0);
  free(want);
  free(got);
}

static void check_text(const char *s, size_t max) {
  if (s) FUZZ_CHECK(strlen(s) <= max);
}

/* ---- the routes' field sets ---- */

static void fs_session(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"email", "password", NULL};
  jin_start(j, body, "", fields, a, e);
  check_text(jin_text(j, "email", true, 254), 254);
  check_text(jin_text(j, "password", true, 1024), 1024);
}

static void fs_program(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"name", "kind", "settings", "at", NULL};
  static const char *const kinds[] = {"mentoring", "coaching", NULL};
  static const char *const sfields[] = {"cadence_days", "reply_window_hours", "pulse_every_days",
                                        "k_anonymity", NULL};
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  check_text(jin_text(j, "name", true, PROGRAM_NAME_MAX), PROGRAM_NAME_MAX);
  int kind = jin_enum(j, "kind", true, kinds);
  FUZZ_CHECK(kind >= -1 && kind <= 1);
  json_t *settings = jin_object(j, "settings", false);
  jin_time(j, "at", false, &at);
  if (settings) {
    jin sj;
    int64_t v;
    jin_start(&sj, settings, "/settings", sfields, a, e);
    for (int i = 0; sfields[i]; i++)
      if (jin_int(&sj, sfields[i], false, INT32_MIN, INT32_MAX, &v))
        FUZZ_CHECK(v >= INT32_MIN && v <= INT32_MAX);
  }
}

static void fs_member(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"email", "name", "role", NULL};
  static const char *const roles[] = {"admin", "guide", "learner", NULL};
  jin_start(j, body, "", fields, a, e);
  check_text(jin_text(j, "email", true, PERSON_EMAIL_MAX), PERSON_EMAIL_MAX);
  check_text(jin_text(j, "name", true, PERSON_NAME_MAX), PERSON_NAME_MAX);
  jin_enum(j, "role", true, roles);
}

static void fs_propose(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"program_id", "guide_id", "learner_id", "at", NULL};
  int64_t id;
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  for (int i = 0; i < 3; i++)
    if (jin_id(j, fields[i], true, &id)) FUZZ_CHECK(id >= 1);
  jin_time(j, "at", false, &at);
}

static void fs_transition(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"to", "reason", "at", NULL};
  static const char *const targets[] = {"active", "declined", "paused", "completed",
                                        "alumni", "ended",    NULL};
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  jin_enum(j, "to", true, targets);
  check_text(jin_text(j, "reason", false, 2000), 2000);
  jin_time(j, "at", false, &at);
}

/* As routes_agreements.c reads "channels". */
static void read_channels(jin *j) {
  json_t *arr = jin_array(j, "channels", true, AGREEMENT_CHANNELS_MAX);
  if (!arr) return;
  FUZZ_CHECK(json_array_size(arr) <= AGREEMENT_CHANNELS_MAX);
  const char **names = arena_alloc(j->a, sizeof *names * (json_array_size(arr) + 1));
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *s = json_string_value(v);
    if (!s || memchr(s, '\0', json_string_length(v)))
      rp_field(j->e, arena_printf(j->a, "/channels/%zu", i), "Must be a string without NULs.");
    names[i] = s;
  }
}

static void fs_agreement(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"purpose",         "cadence_days", "channels",
                                       "reply_window_hours", "confidentiality", "boundaries",
                                       "feedback_preferences", "ends_on", "at", NULL};
  int64_t cadence, reply;
  int32_t ends_on;
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  check_text(jin_text(j, "purpose", true, AGREEMENT_TEXT_MAX), AGREEMENT_TEXT_MAX);
  jin_int(j, "cadence_days", true, INT32_MIN, INT32_MAX, &cadence);
  read_channels(j);
  jin_int(j, "reply_window_hours", true, INT32_MIN, INT32_MAX, &reply);
  check_text(jin_text(j, "confidentiality", true, AGREEMENT_TEXT_MAX), AGREEMENT_TEXT_MAX);
  check_text(jin_text(j, "boundaries", false, AGREEMENT_TEXT_MAX), AGREEMENT_TEXT_MAX);
  check_text(jin_text(j, "feedback_preferences", false, AGREEMENT_TEXT_MAX), AGREEMENT_TEXT_MAX);
  jin_date(j, "ends_on", false, &ends_on);
  jin_time(j, "at", false, &at);
}

static void fs_checkin_outcome(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"outcome", "caused_by", "new_scheduled_at", "at", NULL};
  static const char *const outcomes[] = {"held",    "rescheduled",   "cancelled",
                                         "no_show", "mutual_cancel", NULL};
  int64_t caused_by;
  rp_time t;
  jin_start(j, body, "", fields, a, e);
  jin_enum(j, "outcome", true, outcomes);
  jin_id(j, "caused_by", false, &caused_by);
  jin_time(j, "new_scheduled_at", false, &t);
  jin_time(j, "at", false, &t);
}

static void fs_commitment(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"owner_id", "text", "due_at", "at", NULL};
  int64_t owner;
  rp_time t;
  jin_start(j, body, "", fields, a, e);
  jin_id(j, "owner_id", true, &owner);
  check_text(jin_text(j, "text", true, COMMITMENT_TEXT_MAX), COMMITMENT_TEXT_MAX);
  jin_time(j, "due_at", true, &t);
  jin_time(j, "at", false, &t);
}

static void fs_goal(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"title",  "specific", "measurable", "achievable", "relevant",
                                       "due_on", "weight",   "levels",     "at",         NULL};
  int32_t due_on;
  double weight;
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  check_text(jin_text(j, "title", true, GOAL_TITLE_MAX), GOAL_TITLE_MAX);
  for (int i = 1; i <= 4; i++)
    check_text(jin_text(j, fields[i], false, GOAL_SMART_TEXT_MAX), GOAL_SMART_TEXT_MAX);
  jin_date(j, "due_on", false, &due_on);
  if (jin_number(j, "weight", false, -DBL_MAX, DBL_MAX, &weight) && !goal_weight_valid(weight))
    rp_field(e, "/weight", "Must be greater than 0 and at most %g.", GOAL_WEIGHT_MAX);
  json_t *levels = jin_object(j, "levels", false);
  if (levels) {
    jin lj;
    jin_start(&lj, levels, "/levels", goal_level_keys, a, e);
    for (int i = 0; i < GOAL_LEVEL_COUNT; i++)
      check_text(jin_text(&lj, goal_level_keys[i], false, GOAL_LEVEL_TEXT_MAX),
                 GOAL_LEVEL_TEXT_MAX);
  }
  jin_time(j, "at", false, &at);
}

/* As routes_goals.c reads a review's {"<goal id>": level}: any key. */
static void fs_review(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"levels", "at", NULL};
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  json_t *levels = jin_object(j, "levels", true);
  jin_time(j, "at", false, &at);
  if (!levels) return;
  jin lj = {levels, e, a, "/levels"};
  const char *key;
  json_t *v;
  json_object_foreach(levels, key, v) {
    int64_t id = 0, x = 0;
    bool id_ok = goal_review_key_parse(key, &id);
    if (id_ok) FUZZ_CHECK(id >= 1);
    else rp_field(e, jin_pointer(&lj, key), "Must be the id of an active goal of this relationship.");
    if (jin_int(&lj, key, true, GOAL_LEVEL_MIN, GOAL_LEVEL_MAX, &x))
      FUZZ_CHECK(x >= GOAL_LEVEL_MIN && x <= GOAL_LEVEL_MAX);
  }
}

static void fs_feedback(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"kind", "focus", "text", "at", NULL};
  static const char *const kinds[] = {"recognition", "constructive", "ask", NULL};
  static const char *const focuses[] = {"task", "person", NULL};
  rp_time at;
  jin_start(j, body, "", fields, a, e);
  jin_enum(j, "kind", true, kinds);
  jin_enum(j, "focus", false, focuses);
  check_text(jin_text(j, "text", false, FEEDBACK_TEXT_MAX), FEEDBACK_TEXT_MAX);
  jin_time(j, "at", false, &at);
}

static void fs_note(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"visibility", "text", "at", NULL};
  static const char *const vis[] = {"private", "shared", NULL};
  rp_time at;
  bool b;
  jin_start(j, body, "", fields, a, e);
  jin_enum(j, "visibility", true, vis);
  check_text(jin_text(j, "text", true, NOTE_TEXT_MAX), NOTE_TEXT_MAX);
  jin_time(j, "at", false, &at);
  jin_bool(j, "visibility", false, &b); /* the boolean reader, on a field that is not one */
}

static void fs_dev(jin *j, json_t *body, arena *a, rp_err *e) {
  static const char *const fields[] = {"pages", "now", NULL};
  int64_t pages;
  rp_time now;
  jin_start(j, body, "", fields, a, e);
  if (jin_int(j, "pages", false, 0, 4294967294LL, &pages))
    FUZZ_CHECK(pages >= 0 && pages <= 4294967294LL);
  jin_time(j, "now", false, &now);
}

typedef void (*field_set)(jin *j, json_t *body, arena *a, rp_err *e);

static const field_set g_sets[] = {fs_session,    fs_program,         fs_member,     fs_propose,
                                   fs_transition, fs_agreement,       fs_checkin_outcome,
                                   fs_commitment, fs_goal,            fs_review,     fs_feedback,
                                   fs_note,       fs_dev};

static void read_fields(json_t *body) {
  static arena *a;
  if (!a) a = arena_new(16384);
  for (size_t i = 0; i < sizeof g_sets / sizeof g_sets[0]; i++) {
    rp_err e = {0};
    jin j;
    g_sets[i](&j, body, a, &e);
    if (e.rc) check_problem(&e);
    arena_reset(a);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  strbuf b;
  bool too_large = false;
  sb_init(&b, HTTP_BODY_MAX);
  for (size_t off = 0; off < size; off += CHUNK) {
    size_t n = size - off < CHUNK ? size - off : CHUNK;
    if (!too_large && sb_append(&b, data + off, n) < 0) too_large = true;
  }
  FUZZ_CHECK(too_large == (size > HTTP_BODY_MAX));

  rp_err e = {0};
  json_t *body = NULL;
  rp_rc rc = http_body_parse("application/json; charset=utf-8", b.data, b.len, too_large, &body, &e);
  FUZZ_CHECK((rc == RP_OK) == (body != NULL));
  if (too_large) FUZZ_CHECK(rc == RP_ERR_TOO_LARGE);
  if (size == 0) FUZZ_CHECK(rc == RP_OK && json_object_size(body) == 0);
  if (rc == RP_OK) {
    FUZZ_CHECK(json_is_object(body));
    FUZZ_CHECK(http_json_depth(b.data ? b.data : "", b.len) <= HTTP_JSON_DEPTH_MAX);
    check_answer_text(body);
    read_fields(body);
    json_decref(body);
  } else {
    check_problem(&e);
  }

  /* Anything but JSON is refused before it is parsed. */
  if (size > 0 && !too_large) {
    rp_err e2 = {0};
    json_t *other = NULL;
    FUZZ_CHECK(http_body_parse("text/plain", b.data, b.len, false, &other, &e2) ==
               RP_ERR_UNSUPPORTED);
    FUZZ_CHECK(other == NULL);
    FUZZ_CHECK(http_body_parse(NULL, b.data, b.len, false, &other, &e2) == RP_ERR_UNSUPPORTED);
  }
  sb_free(&b);
  return 0;
}
