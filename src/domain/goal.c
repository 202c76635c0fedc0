/* goal.c: the rules of goals, milestones and reviews (see goal.h). */
#include "domain/goal.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[GOAL_STATUS_COUNT] = {"active", "achieved", "dropped"};

const char *const goal_level_keys[GOAL_LEVEL_COUNT + 1] = {"-2", "-1", "0", "1", "2", NULL};

const char *goal_status_name(goal_status s) {
  assert((unsigned)s < GOAL_STATUS_COUNT);
  return status_names[s];
}

bool goal_status_parse(const char *name, goal_status *out) {
  for (int i = 0; i < GOAL_STATUS_COUNT; i++) {
    if (name && strcmp(name, status_names[i]) == 0) {
      *out = (goal_status)i;
      return true;
    }
  }
  return false;
}

const char *goal_level_key(int x) {
  assert(goal_level_valid(x));
  return goal_level_keys[x - GOAL_LEVEL_MIN];
}

bool goal_level_key_parse(const char *key, int *x) {
  for (int i = 0; key && i < GOAL_LEVEL_COUNT; i++) {
    if (strcmp(key, goal_level_keys[i]) == 0) {
      *x = i + GOAL_LEVEL_MIN;
      return true;
    }
  }
  return false;
}

bool goal_level_valid(int64_t x) { return x >= GOAL_LEVEL_MIN && x <= GOAL_LEVEL_MAX; }

bool goal_weight_valid(double w) { return isfinite(w) && w > 0 && w <= GOAL_WEIGHT_MAX; }

bool goal_text_present(const char *s) {
  if (!s) return false;
  for (; *s; s++)
    if (!strchr(" \t\r\n\f\v", *s)) return true;
  return false;
}

/* A field error when s is longer than max bytes. */
static void check_len(rp_err *e, const char *pointer, const char *s, size_t max) {
  if (s && strlen(s) > max) rp_field(e, pointer, "Must be at most %zu bytes.", max);
}

rp_rc goal_check(const goal_text *t, double weight, rp_err *e) {
  rp_err local = {0};
  if (!goal_text_present(t->title)) rp_field(&local, "/title", "Give the goal a title.");
  check_len(&local, "/title", t->title, GOAL_TITLE_MAX);
  check_len(&local, "/specific", t->specific, GOAL_SMART_TEXT_MAX);
  check_len(&local, "/measurable", t->measurable, GOAL_SMART_TEXT_MAX);
  check_len(&local, "/achievable", t->achievable, GOAL_SMART_TEXT_MAX);
  check_len(&local, "/relevant", t->relevant, GOAL_SMART_TEXT_MAX);
  for (int i = 0; i < GOAL_LEVEL_COUNT; i++) {
    char pointer[32];
    snprintf(pointer, sizeof pointer, "/levels/%s", goal_level_keys[i]);
    check_len(&local, pointer, t->levels[i], GOAL_LEVEL_TEXT_MAX);
  }
  if (!goal_weight_valid(weight))
    rp_field(&local, "/weight", "Must be greater than 0 and at most %g.", GOAL_WEIGHT_MAX);
  if (local.rc == RP_OK) return RP_OK;
  for (int i = 0; i < local.nfield; i++)
    rp_field(e, local.field[i].pointer, "%s", local.field[i].detail);
  return RP_ERR_INVALID;
}

size_t goal_hints(const goal_text *t, int32_t due_on, const char *hints[GOAL_HINT_MAX]) {
  static const char *const level_hints[GOAL_LEVEL_COUNT] = {"level -2", "level -1", "level 0",
                                                            "level 1", "level 2"};
  size_t n = 0;
  if (!goal_text_present(t->specific)) hints[n++] = "specific";
  if (!goal_text_present(t->measurable)) hints[n++] = "measurable";
  if (!goal_text_present(t->achievable)) hints[n++] = "achievable";
  if (!goal_text_present(t->relevant)) hints[n++] = "relevant";
  if (due_on == GOAL_NO_DUE) hints[n++] = "due_on";
  for (int i = 0; i < GOAL_LEVEL_COUNT; i++)
    if (!goal_text_present(t->levels[i])) hints[n++] = level_hints[i];
  assert(n <= GOAL_HINT_MAX);
  return n;
}

rp_rc goal_status_change(goal_status from, goal_status to, rp_err *e) {
  if (from == to)
    return rp_fail(e, RP_ERR_CONFLICT, "status_unchanged", "The goal is already %s.",
                   goal_status_name(to));
  return RP_OK;
}

rp_rc milestone_check(const char *title, rp_err *e) {
  if (!goal_text_present(title)) {
    rp_field(e, "/title", "Give the milestone a title.");
    return RP_ERR_INVALID;
  }
  if (strlen(title) > MILESTONE_TITLE_MAX) {
    rp_field(e, "/title", "Must be at most %d bytes.", MILESTONE_TITLE_MAX);
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

bool goal_review_key_parse(const char *key, int64_t *id) {
  if (!key || key[0] < '1' || key[0] > '9' || strlen(key) > 19) return false;
  int64_t v = 0;
  for (const char *p = key; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    int d = *p - '0';
    if (v > (INT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *id = v;
  return true;
}

static const goal *find_goal(const goal *gs, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (gs[i].id == id) return &gs[i];
  return NULL;
}

rp_rc goal_review_check(const goal_review_level *levels, size_t n, const goal *active,
                        size_t nactive, rp_time at, double *weights, rp_err *e) {
  rp_err local = {0};
  if (n == 0) rp_field(&local, "/levels", "Give a level for at least one active goal.");
  if (n > GOAL_REVIEW_MAX)
    rp_field(&local, "/levels", "Review at most %d goals at a time.", GOAL_REVIEW_MAX);
  for (size_t i = 0; i < n && i <= GOAL_REVIEW_MAX; i++) {
    char pointer[40];
    snprintf(pointer, sizeof pointer, "/levels/%lld", (long long)levels[i].goal_id);
    const goal *g = find_goal(active, nactive, levels[i].goal_id);
    bool twice = false;
    for (size_t k = 0; k < i && !twice; k++)
      twice = levels[k].goal_id == levels[i].goal_id;
    if (!g)
      rp_field(&local, pointer, "Must be the id of an active goal of this relationship.");
    else if (g->created_at > at)
      rp_field(&local, pointer, "The goal did not exist yet at the time of the review.");
    else if (twice)
      rp_field(&local, pointer, "The goal is named more than once.");
    if (!goal_level_valid(levels[i].level))
      rp_field(&local, pointer, "Must be an integer from -2 to 2.");
    if (g && weights) weights[i] = g->weight;
  }
  if (local.rc == RP_OK) return RP_OK;
  for (int i = 0; i < local.nfield; i++)
    rp_field(e, local.field[i].pointer, "%s", local.field[i].detail);
  return RP_ERR_INVALID;
}
