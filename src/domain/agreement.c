/* agreement.c: validating agreement terms, the in-force rule and the
 * sealed body document (see agreement.h). */
#include "domain/agreement.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each check adds its field errors to e and returns how many problems it
 * found (counted here: e keeps at most RP_ERR_MAX_FIELDS). */

/* A text term of at most AGREEMENT_TEXT_MAX bytes; a required one must be
 * there and not empty. */
static int check_text(rp_err *e, const char *pointer, const char *text, bool required) {
  if (!text) {
    if (!required) return 0;
    rp_field(e, pointer, "Required.");
    return 1;
  }
  size_t n = strlen(text);
  if (required && n == 0) {
    rp_field(e, pointer, "Must not be empty.");
    return 1;
  }
  if (n <= AGREEMENT_TEXT_MAX) return 0;
  rp_field(e, pointer, "Must be at most %d bytes.", AGREEMENT_TEXT_MAX);
  return 1;
}

static int check_range(rp_err *e, const char *pointer, int v, int lo, int hi) {
  if (v >= lo && v <= hi) return 0;
  rp_field(e, pointer, "Must be between %d and %d.", lo, hi);
  return 1;
}

static int check_channels(const agreement_terms *t, rp_err *e) {
  if (t->nchannels < 1 || t->nchannels > AGREEMENT_CHANNELS_MAX) {
    rp_field(e, "/channels", "Name from 1 to %d channels.", AGREEMENT_CHANNELS_MAX);
    return 1;
  }
  int bad = 0;
  for (size_t i = 0; i < t->nchannels; i++) {
    char pointer[32];
    snprintf(pointer, sizeof pointer, "/channels/%zu", i);
    size_t n = t->channels[i] ? strlen(t->channels[i]) : 0;
    if (n == 0) rp_field(e, pointer, "Must not be empty.");
    else if (n > AGREEMENT_CHANNEL_MAX)
      rp_field(e, pointer, "Must be at most %d bytes.", AGREEMENT_CHANNEL_MAX);
    bad += n == 0 || n > AGREEMENT_CHANNEL_MAX;
  }
  return bad;
}

rp_rc agreement_terms_check(const agreement_terms *t, int32_t today, rp_err *e) {
  int bad = check_text(e, "/purpose", t->purpose, true);
  bad += check_range(e, "/cadence_days", t->cadence_days, AGREEMENT_CADENCE_MIN,
                     AGREEMENT_CADENCE_MAX);
  bad += check_channels(t, e);
  bad += check_range(e, "/reply_window_hours", t->reply_window_hours, AGREEMENT_REPLY_MIN,
                     AGREEMENT_REPLY_MAX);
  bad += check_text(e, "/confidentiality", t->confidentiality, true);
  bad += check_text(e, "/boundaries", t->boundaries, false);
  bad += check_text(e, "/feedback_preferences", t->feedback_preferences, false);
  if (t->has_quiet_hours &&
      (t->quiet_from < 0 || t->quiet_from >= 1440 || t->quiet_to < 0 || t->quiet_to >= 1440 ||
       t->quiet_from == t->quiet_to)) {
    rp_field(e, "/quiet_hours", "Give quiet hours as two different times such as 19:00 and 08:00.");
    bad++;
  }
  if (t->ends_on != AGREEMENT_NO_END && t->ends_on < today) {
    rp_field(e, "/ends_on", "The planned end may not be before the day of the agreement.");
    bad++;
  }
  return bad ? RP_ERR_INVALID : RP_OK;
}

static bool has(const int64_t *ids, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id) return true;
  return false;
}

bool agreement_acked_by_both(const relationship *r, const int64_t *ackers, size_t nack) {
  return has(ackers, nack, r->guide_id) && has(ackers, nack, r->learner_id);
}

rp_rc agreement_ack_check(const relationship *r, int64_t who, int version, int latest,
                          const int64_t *ackers, size_t nack, bool *puts_in_force, rp_err *e) {
  *puts_in_force = false;
  if (version < 1 || version > latest) {
    rp_field(e, "/version", "There is no version %d of this agreement.", version);
    return RP_ERR_INVALID;
  }
  if (version < latest)
    return rp_fail(e, RP_ERR_CONFLICT, "agreement_superseded",
                   "Version %d has been replaced by version %d; acknowledge that one.", version,
                   latest);
  if (has(ackers, nack, who))
    return rp_fail(e, RP_ERR_CONFLICT, "already_acknowledged",
                   "You have already acknowledged version %d.", version);
  bool guide = who == r->guide_id || has(ackers, nack, r->guide_id);
  bool learner = who == r->learner_id || has(ackers, nack, r->learner_id);
  *puts_in_force = guide && learner && !agreement_acked_by_both(r, ackers, nack);
  return RP_OK;
}

/* ---- the sealed body ---- */

static json_t *opt_str(const char *s) { return s ? json_string(s) : json_null(); }

char *agreement_body_encode(const agreement_terms *t, arena *a) {
  json_t *channels = json_array();
  bool ok = true;
  for (size_t i = 0; i < t->nchannels; i++)
    ok = json_array_append_new(channels, json_string(t->channels[i])) == 0 && ok;
  json_t *doc = json_pack("{s:o, s:o, s:o, s:o, s:o}", "purpose", opt_str(t->purpose), "channels",
                          channels, "confidentiality", opt_str(t->confidentiality), "boundaries",
                          opt_str(t->boundaries), "feedback_preferences",
                          opt_str(t->feedback_preferences));
  char *text = doc && ok ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(doc);
  if (!text) return NULL;
  char *out = arena_strdup(a, text);
  free(text);
  return out;
}

/* The string member key of doc in the arena; NULL when null. False when it
 * is neither a string nor null. */
static bool read_str(json_t *doc, const char *key, arena *a, const char **out) {
  json_t *v = json_object_get(doc, key);
  if (!v) return false;
  if (json_is_null(v)) {
    *out = NULL;
    return true;
  }
  if (!json_is_string(v)) return false;
  *out = arena_strndup(a, json_string_value(v), json_string_length(v));
  return true;
}

bool agreement_body_decode(const char *doc, arena *a, agreement_terms *out) {
  json_t *root = json_loads(doc, JSON_REJECT_DUPLICATES, NULL);
  json_t *channels = root ? json_object_get(root, "channels") : NULL;
  agreement_terms t = *out;
  bool ok = json_is_object(root) && json_is_array(channels) &&
            read_str(root, "purpose", a, &t.purpose) &&
            read_str(root, "confidentiality", a, &t.confidentiality) &&
            read_str(root, "boundaries", a, &t.boundaries) &&
            read_str(root, "feedback_preferences", a, &t.feedback_preferences);
  if (ok) {
    t.nchannels = json_array_size(channels);
    const char **names = arena_alloc(a, sizeof *names * (t.nchannels ? t.nchannels : 1));
    for (size_t i = 0; ok && i < t.nchannels; i++) {
      json_t *c = json_array_get(channels, i);
      ok = json_is_string(c);
      if (ok) names[i] = arena_strndup(a, json_string_value(c), json_string_length(c));
    }
    t.channels = names;
  }
  json_decref(root);
  if (ok) *out = t;
  return ok;
}
