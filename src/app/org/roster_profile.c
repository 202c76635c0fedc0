/* roster_profile.c: the matching profile columns of a roster
 * (roster_profile.h says who owns what). */
#include "app/org/roster_profile.h"
#include "domain/match.h"
#include "store/matching.h"

#include <ctype.h>
#include <string.h>

#define TOPIC_NAME_MAX 80

bool roster_profile_column(roster_profile_cols *pc, const char *name, const char *as_given,
                           int col) {
  if (strcmp(name, "manager_email") == 0 || strcmp(name, "manager") == 0) {
    pc->manager = col;
  } else if (strcmp(name, "time_zone") == 0 || strcmp(name, "timezone") == 0) {
    pc->time_zone = col;
  } else if (strcmp(name, "language") == 0 || strcmp(name, "languages") == 0) {
    pc->languages = col;
  } else if (strcmp(name, "topics") == 0 || strcmp(name, "topic") == 0) {
    pc->topics = col;
  } else if (pc->nattr < ROSTER_ATTRS_MAX && *name) {
    pc->attr[pc->nattr] = col;
    pc->attr_name[pc->nattr++] = as_given;
  } else {
    return false;
  }
  return true;
}

/* The pieces of a list cell separated by ';' (or ',' and '|'), trimmed,
 * empty ones dropped. */
static const char **split_list(app_ctx *c, const char *s, size_t *n) {
  size_t cap = 1;
  for (const char *p = s; *p; p++) cap += *p == ';' || *p == ',' || *p == '|';
  const char **out = arena_zalloc(c->a, cap * sizeof *out);
  *n = 0;
  while (*s) {
    size_t len = strcspn(s, ";,|");
    const char *b = s, *end = s + len;
    while (b < end && isspace((unsigned char)*b)) b++;
    while (end > b && isspace((unsigned char)end[-1])) end--;
    if (end > b) out[(*n)++] = arena_strndup(c->a, b, (size_t)(end - b));
    s += len;
    if (*s) s++;
  }
  return out;
}

static bool lang_ok(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n > 8) return false;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '-')) return false;
  return true;
}

static bool tz_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64) return false;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || strchr("/_+-", *s))) return false;
  return true;
}

static const char *cell(const csv_row *in, int col) {
  if (col < 0 || (size_t)col >= in->n || in->f[col].len == 0) return NULL;
  return in->f[col].s;
}

const char *roster_profile_check(app_ctx *c, const roster_profile_cols *pc, const csv_row *in,
                                 const char *email, member_role role, roster_profile *out,
                                 const char **detail) {
  memset(out, 0, sizeof *out);
  if (role == ROLE_ADMIN) return NULL; /* admins have no matching profile */
  const char *m = cell(in, pc->manager);
  if (m) {
    if (!person_email_valid(m)) {
      *detail = "The manager's e-mail address is not valid.";
      return "invalid_manager_email";
    }
    out->manager = person_email_fold(c->a, m);
    if (strcmp(out->manager, email) == 0) {
      *detail = "A person cannot be their own manager.";
      return "invalid_manager_email";
    }
  }
  const char *tz = cell(in, pc->time_zone);
  if (tz && !tz_ok(tz)) {
    *detail = "The time zone must be an IANA name such as Europe/Paris.";
    return "invalid_time_zone";
  }
  out->time_zone = tz;
  const char *langs = cell(in, pc->languages);
  if (langs) {
    size_t n;
    const char **codes = split_list(c, langs, &n);
    if (n > MATCH_MAX_LANGS) {
      *detail = arena_printf(c->a, "At most %d languages.", MATCH_MAX_LANGS);
      return "invalid_language";
    }
    const char *joined = "";
    for (size_t i = 0; i < n; i++) {
      if (!lang_ok(codes[i])) {
        *detail = arena_printf(c->a, "\"%s\" is not a language code such as en or pt-br.", codes[i]);
        return "invalid_language";
      }
      joined = i ? arena_printf(c->a, "%s,%s", joined, codes[i]) : codes[i];
    }
    out->languages = person_email_fold(c->a, joined); /* lower case */
  }
  const char *topics = cell(in, pc->topics);
  if (topics) {
    out->topics = split_list(c, topics, &out->ntopics);
    if (role == ROLE_LEARNER && out->ntopics > MATCH_MAX_WANTS) {
      *detail = arena_printf(c->a, "A learner ranks at most %d topics.", MATCH_MAX_WANTS);
      return "too_many_topics";
    }
    for (size_t i = 0; i < out->ntopics; i++)
      if (strlen(out->topics[i]) > TOPIC_NAME_MAX) {
        *detail = "A topic's name is longer than 80 characters.";
        return "invalid_topic";
      }
  }
  for (size_t i = 0; i < pc->nattr; i++) out->attr_value[i] = cell(in, pc->attr[i]);
  return NULL;
}

/* What the stored profile lacks of p: each field that would be written. */
typedef struct profile_plan {
  bool manager, time_zone, languages, topics, attrs;
  const char *side;
} profile_plan;

static rp_rc plan(app_ctx *c, int64_t program_id, int64_t person_id, const roster_profile_cols *pc,
                  const roster_profile *p, profile_plan *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  bool learner = false; /* a learner's topics are what they want, a guide's what they offer */
  rp_rc rc = person_id ? store_membership_has(c->st, program_id, person_id, ROLE_LEARNER, &learner, e)
                       : RP_OK;
  if (rc) return rc;
  out->side = learner ? "wants" : "offers";
  for (size_t i = 0; i < pc->nattr; i++) out->attrs |= p->attr_value[i] != NULL;
  if (!person_id) {
    out->manager = p->manager;
    out->time_zone = p->time_zone;
    out->languages = p->languages;
    out->topics = p->ntopics;
    return RP_OK;
  }
  const char *line = NULL;
  if (p->manager) rc = store_match_reporting_line_get(c->st, program_id, person_id, c->a, &line, e);
  out->manager = !rc && p->manager && (!line || strcmp(line, p->manager) != 0);
  store_match_profile prof;
  bool found = false;
  if (!rc && (p->time_zone || p->languages))
    rc = store_match_profile_get(c->st, program_id, person_id, c->a, &prof, &found, e);
  if (!rc && p->time_zone)
    out->time_zone = !found || (strcmp(prof.time_zone, "UTC") == 0 && strcmp(p->time_zone, "UTC") != 0);
  if (!rc && p->languages) out->languages = !found || prof.languages[0] == '\0';
  if (!rc && p->ntopics) {
    int64_t *ids;
    size_t n = 0;
    rc = store_match_profile_topics(c->st, program_id, person_id, out->side, c->a, &ids, &n, e);
    out->topics = !rc && n == 0;
  }
  return rc;
}

rp_rc roster_profile_diff(app_ctx *c, int64_t program_id, int64_t person_id,
                          const roster_profile_cols *pc, const roster_profile *p,
                          const char **changes, rp_err *e) {
  profile_plan pl;
  rp_rc rc = plan(c, program_id, person_id, pc, p, &pl, e);
  if (rc) return rc;
  const char *s = "";
  if (pl.manager) s = arena_printf(c->a, "%s manager %s;", s, p->manager);
  if (pl.time_zone) s = arena_printf(c->a, "%s time zone %s;", s, p->time_zone);
  if (pl.languages) s = arena_printf(c->a, "%s languages %s;", s, p->languages);
  if (pl.topics) s = arena_printf(c->a, "%s %zu topic%s;", s, p->ntopics, p->ntopics == 1 ? "" : "s");
  *changes = s;
  return RP_OK;
}

rp_rc roster_profile_apply(app_ctx *c, int64_t program_id, int64_t person_id,
                           const roster_profile_cols *pc, const roster_profile *p, rp_err *e) {
  profile_plan pl;
  /* A new member's role is known now: plan again as an existing one. */
  rp_rc rc = plan(c, program_id, person_id, pc, p, &pl, e);
  if (!rc && pl.manager)
    rc = store_match_reporting_line_set(c->st, program_id, person_id, p->manager, c->actor, c->now,
                                        e);
  if (!rc && pl.time_zone)
    rc = store_match_profile_set_time_zone(c->st, program_id, person_id, p->time_zone, c->now, e);
  if (!rc && pl.languages)
    rc = store_match_profile_set_languages(c->st, program_id, person_id, p->languages, c->now, e);
  if (!rc && pl.topics) {
    int64_t *ids = arena_alloc(c->a, p->ntopics * sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; i < p->ntopics && !rc; i++) {
      int64_t id = 0;
      rc = store_match_topic_ensure(c->st, program_id, p->topics[i], c->now, &id, e);
      bool twice = false;
      for (size_t k = 0; k < n; k++) twice |= ids[k] == id;
      if (!twice) ids[n++] = id;
    }
    if (!rc) rc = store_match_profile_set_topics(c->st, program_id, person_id, pl.side, ids, n,
                                                 c->now, e);
  }
  if (rc || !pl.attrs) return rc;
  store_match_attr_value *have;
  size_t nhave = 0;
  rc = store_match_attribute_values(c->st, program_id, person_id, c->a, &have, &nhave, e);
  for (size_t i = 0; i < pc->nattr && !rc; i++) {
    if (!p->attr_value[i]) continue;
    int64_t id = 0;
    rc = store_match_attribute_ensure(c->st, program_id, pc->attr_name[i], c->now, &id, e);
    const store_match_attr_value *had = NULL;
    for (size_t k = 0; k < nhave; k++)
      if (have[k].attribute_id == id) had = &have[k];
    if (!rc && !(had && had->value)) /* the person's wish, if any, stays */
      rc = store_match_attribute_value_set(c->st, program_id, person_id, id, p->attr_value[i],
                                           had && had->wish ? had->wish : "none", e);
  }
  return rc;
}
