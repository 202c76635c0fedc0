/* profiles.c: the program's topics and attributes, profiles, blocks,
 * reporting lines and matching settings (see matching.h).
 */
#include "app/matching/matching.h"
#include "app/matching/room.h"

#include <ctype.h>
#include <strings.h>
#include <string.h>

rp_rc app_match_access(app_ctx *c, int64_t program_id, app_match_roles *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  program p;
  rp_rc rc = store_program_get(c->st, program_id, c->a, &p, e);
  if (rc == RP_ERR_NOT_FOUND) return rp_fail(e, rc, "not_found", "No such program.");
  if (!rc) rc = app_is_program_admin(c, program_id, &out->admin, e);
  if (!rc && c->actor) {
    rc = store_membership_has(c->st, program_id, c->actor, ROLE_LEARNER, &out->learner, e);
    if (!rc) rc = store_membership_has(c->st, program_id, c->actor, ROLE_GUIDE, &out->guide, e);
  }
  if (rc) return rc;
  if (!out->admin && !out->learner && !out->guide)
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such program.");
  return RP_OK;
}

rp_rc app_match_need_admin(app_ctx *c, int64_t program_id, rp_err *e) {
  app_match_roles r;
  rp_rc rc = app_match_access(c, program_id, &r, e);
  if (!rc && !r.admin)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only the program's administrators may do this.");
  return rc;
}

/* ---- the program's lists ---- */

rp_rc app_match_list_get(app_ctx *c, int64_t program_id, app_match_list which,
                         store_match_named **items, size_t *n, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_match_roles r;
  rc = app_match_access(c, program_id, &r, e);
  if (!rc)
    rc = which == APP_MATCH_TOPICS ? store_match_topics(c->st, program_id, c->a, items, n, e)
                                   : store_match_attributes(c->st, program_id, c->a, items, n, e);
  store_rollback(c->st);
  return rc;
}

/* A list name: 1..APP_MATCH_NAME_MAX bytes after trimming, no control
 * characters. Returns the trimmed copy or NULL with a field error. */
static const char *list_name(app_ctx *c, const char *name, rp_err *e) {
  while (name && (*name == ' ' || *name == '\t')) name++;
  size_t len = name ? strlen(name) : 0;
  while (len && (name[len - 1] == ' ' || name[len - 1] == '\t')) len--;
  if (len == 0 || len > APP_MATCH_NAME_MAX) {
    rp_field(e, "/name", "Must be 1 to %d characters.", APP_MATCH_NAME_MAX);
    return NULL;
  }
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)name[i] < 0x20) {
      rp_field(e, "/name", "Must not contain control characters.");
      return NULL;
    }
  return arena_strndup(c->a, name, len);
}

rp_rc app_match_list_add(app_ctx *c, int64_t program_id, app_match_list which, const char *name,
                         int64_t *id, rp_err *e) {
  const char *clean = list_name(c, name, e);
  if (!clean) return e->rc;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  store_match_named *items;
  size_t n = 0;
  if (!rc)
    rc = which == APP_MATCH_TOPICS ? store_match_topics(c->st, program_id, c->a, &items, &n, e)
                                   : store_match_attributes(c->st, program_id, c->a, &items, &n, e);
  size_t max = which == APP_MATCH_TOPICS ? APP_MATCH_LIST_MAX : MATCH_MAX_ATTRS;
  bool exists = false;
  for (size_t i = 0; !rc && i < n; i++) exists |= strcmp(items[i].name, clean) == 0;
  if (!rc && !exists && n >= max)
    rc = rp_fail(e, RP_ERR_CONFLICT, "list_full", "The program has %zu already, the most it may.",
                 max);
  if (!rc)
    rc = which == APP_MATCH_TOPICS
             ? store_match_topic_ensure(c->st, program_id, clean, c->now, id, e)
             : store_match_attribute_ensure(c->st, program_id, clean, c->now, id, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_list_delete(app_ctx *c, int64_t program_id, app_match_list which, int64_t id,
                            rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  if (!rc)
    rc = which == APP_MATCH_TOPICS ? store_match_topic_delete(c->st, program_id, id, e)
                                   : store_match_attribute_delete(c->st, program_id, id, e);
  if (rc == RP_ERR_NOT_FOUND)
    rc = rp_fail(e, rc, "not_found", which == APP_MATCH_TOPICS ? "No such topic."
                                                              : "No such attribute.");
  return app_finish(c, rc, e);
}

/* ---- profiles ---- */

static rp_rc load_profile(app_ctx *c, int64_t program_id, int64_t person_id, bool own,
                          bool admin, app_match_profile *out, rp_err *e) {
  bool found;
  out->program_id = program_id;
  out->person_id = person_id;
  out->own = own;
  rp_rc rc = store_match_profile_get(c->st, program_id, person_id, c->a, &out->p, &found, e);
  if (!rc) rc = store_match_profile_topics(c->st, program_id, person_id, "wants", c->a,
                                           &out->wants, &out->nwants, e);
  if (!rc) rc = store_match_profile_topics(c->st, program_id, person_id, "offers", c->a,
                                           &out->offers, &out->noffers, e);
  if (!rc) rc = store_match_profile_windows(c->st, program_id, person_id, c->a, &out->windows,
                                            &out->nwindows, e);
  if (!rc && own)
    rc = store_match_attribute_values(c->st, program_id, person_id, c->a, &out->attrs,
                                      &out->nattrs, e);
  if (!rc && own)
    rc = store_match_blocks_of(c->st, program_id, person_id, c->a, &out->blocks, &out->nblocks,
                               e);
  if (!rc && (own || admin))
    rc = store_match_reporting_line_get(c->st, program_id, person_id, c->a, &out->manager_email,
                                        e);
  person who;
  if (!rc) rc = store_person_get(c->st, person_id, c->a, &who, e);
  if (!rc) out->name = who.name;
  return rc;
}

rp_rc app_match_profile_get(app_ctx *c, int64_t program_id, int64_t person_id,
                            app_match_profile *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  if (person_id == 0) person_id = c->actor;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_match_roles me;
  rc = app_match_access(c, program_id, &me, e);
  bool learner = false, guide = false;
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_LEARNER, &learner, e);
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_GUIDE, &guide, e);
  /* a guide's public profile is the program's; a learner's is for those
   * who may guide or administer them */
  bool visible = person_id == c->actor || guide || (learner && (me.admin || me.guide));
  if (!rc && !visible) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such profile.");
  if (!rc) {
    out->learner = learner;
    out->guide = guide;
    rc = load_profile(c, program_id, person_id, person_id == c->actor, me.admin, out, e);
  }
  store_rollback(c->st);
  return rc;
}

/* A language code: 2..8 of [a-z0-9-], lowercased into buf. */
static bool lang_code(const char *s, char *buf, size_t cap) {
  size_t n = s ? strlen(s) : 0;
  if (n < 2 || n > 8 || n >= cap) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = (char)tolower((unsigned char)s[i]);
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
    buf[i] = ch;
  }
  buf[n] = 0;
  return true;
}

/* An IANA time zone name as far as its shape goes: 1..64 of [A-Za-z0-9/_+-]. */
static bool tz_name(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > 64) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (!(isalnum((unsigned char)ch) || ch == '/' || ch == '_' || ch == '+' || ch == '-'))
      return false;
  }
  return true;
}

static const char *join_langs(app_ctx *c, const app_match_profile_in *in, rp_err *e) {
  if (in->nlanguages > MATCH_MAX_LANGS) {
    rp_field(e, "/languages", "At most %d languages.", MATCH_MAX_LANGS);
    return NULL;
  }
  char *out = arena_alloc(c->a, in->nlanguages * 10 + 1);
  size_t len = 0;
  for (size_t i = 0; i < in->nlanguages; i++) {
    char code[10];
    if (!lang_code(in->languages[i], code, sizeof code)) {
      rp_field(e, arena_printf(c->a, "/languages/%zu", i),
               "A language code of 2 to 8 letters, digits or hyphens (\"en\", \"pt-br\").");
      continue;
    }
    for (size_t k = 0; k < i; k++)
      if (strcasecmp(in->languages[k], code) == 0)
        rp_field(e, arena_printf(c->a, "/languages/%zu", i), "Listed twice.");
    if (len) out[len++] = ',';
    size_t n = strlen(code);
    memcpy(out + len, code, n);
    len += n;
  }
  out[len] = 0;
  return out;
}

static void check_topics(app_ctx *c, const int64_t *ids, size_t n, const char *ptr, size_t max,
                         const store_match_named *topics, size_t ntopics, rp_err *e) {
  if (n > max) rp_field(e, ptr, "At most %zu topics.", max);
  for (size_t i = 0; i < n && i < max; i++) {
    bool known = false, twice = false;
    for (size_t k = 0; k < ntopics; k++) known |= topics[k].id == ids[i];
    for (size_t k = 0; k < i; k++) twice |= ids[k] == ids[i];
    if (!known) rp_field(e, arena_printf(c->a, "%s/%zu", ptr, i), "Not a topic of the program.");
    else if (twice) rp_field(e, arena_printf(c->a, "%s/%zu", ptr, i), "Listed twice.");
  }
}

static void check_windows(app_ctx *c, const store_match_window *w, size_t n, rp_err *e) {
  if (n > APP_MATCH_WINDOWS_MAX) rp_field(e, "/windows", "At most %d windows.",
                                          APP_MATCH_WINDOWS_MAX);
  for (size_t i = 0; i < n && i < APP_MATCH_WINDOWS_MAX; i++) {
    if (w[i].start_minute < 0 || w[i].end_minute > 10080 || w[i].start_minute >= w[i].end_minute)
      rp_field(e, arena_printf(c->a, "/windows/%zu", i),
               "A window is [start, end) in minutes of the week, 0 <= start < end <= 10080.");
    for (size_t k = 0; k < i; k++)
      if (w[k].start_minute == w[i].start_minute)
        rp_field(e, arena_printf(c->a, "/windows/%zu", i), "Two windows start together.");
  }
}

static rp_rc validate(app_ctx *c, int64_t program_id, const app_match_profile_in *in,
                      const char **langs, rp_err *e) {
  store_match_named *topics = NULL, *attrs = NULL;
  size_t ntopics = 0, nattrs = 0;
  rp_rc rc = store_match_topics(c->st, program_id, c->a, &topics, &ntopics, e);
  if (!rc) rc = store_match_attributes(c->st, program_id, c->a, &attrs, &nattrs, e);
  if (rc) return rc;
  if (in->has_languages) *langs = join_langs(c, in, e);
  if (in->has_time_zone && !tz_name(in->time_zone))
    rp_field(e, "/time_zone", "An IANA time zone name, such as \"Europe/Paris\".");
  if (in->has_capacity && (in->capacity < 0 || in->capacity > 50))
    rp_field(e, "/capacity", "From 0 to 50.");
  if (in->has_about && in->about && strlen(in->about) > APP_MATCH_ABOUT_MAX)
    rp_field(e, "/about", "At most %d characters.", APP_MATCH_ABOUT_MAX);
  if (in->has_wants)
    check_topics(c, in->wants, in->nwants, "/wants", MATCH_MAX_WANTS, topics, ntopics, e);
  if (in->has_offers)
    check_topics(c, in->offers, in->noffers, "/offers", APP_MATCH_LIST_MAX, topics, ntopics, e);
  if (in->has_windows) check_windows(c, in->windows, in->nwindows, e);
  for (size_t i = 0; in->has_attrs && i < in->nattrs; i++) {
    bool known = false;
    for (size_t k = 0; k < nattrs; k++) known |= attrs[k].id == in->attrs[i].attribute_id;
    if (!known)
      rp_field(e, arena_printf(c->a, "/attributes/%zu/attribute_id", i),
               "Not an attribute of the program.");
    const char *v = in->attrs[i].value;
    if (v && (strlen(v) == 0 || strlen(v) > APP_MATCH_NAME_MAX))
      rp_field(e, arena_printf(c->a, "/attributes/%zu/value", i), "Must be 1 to %d characters.",
               APP_MATCH_NAME_MAX);
  }
  return e->rc;
}

rp_rc app_match_profile_put(app_ctx *c, int64_t program_id, const app_match_profile_in *in,
                            app_match_profile *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_match_roles me;
  rc = app_match_access(c, program_id, &me, e);
  if (!rc && !me.learner && !me.guide)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "Only the program's learners and guides have a "
                                              "matching profile.");
  const char *langs = NULL;
  if (!rc) rc = validate(c, program_id, in, &langs, e);
  store_match_profile p;
  bool found;
  if (!rc) rc = store_match_profile_get(c->st, program_id, c->actor, c->a, &p, &found, e);
  if (!rc) {
    if (in->has_languages) p.languages = langs;
    if (in->has_time_zone) p.time_zone = in->time_zone;
    if (in->has_capacity) p.capacity = in->capacity;
    if (in->has_taking_new) p.taking_new = in->taking_new;
    if (in->has_about) p.about = in->about ? in->about : "";
    rc = store_match_profile_put(c->st, &p, c->now, e);
  }
  if (!rc && in->has_wants)
    rc = store_match_profile_set_topics(c->st, program_id, c->actor, "wants", in->wants,
                                        in->nwants, c->now, e);
  if (!rc && in->has_offers)
    rc = store_match_profile_set_topics(c->st, program_id, c->actor, "offers", in->offers,
                                        in->noffers, c->now, e);
  if (!rc && in->has_windows)
    rc = store_match_profile_set_windows(c->st, program_id, c->actor, in->windows, in->nwindows,
                                         c->now, e);
  for (size_t i = 0; !rc && in->has_attrs && i < in->nattrs; i++)
    rc = store_match_attribute_value_set(c->st, program_id, c->actor, in->attrs[i].attribute_id,
                                         in->attrs[i].value, in->attrs[i].wish, e);
  if (!rc) {
    out->learner = me.learner;
    out->guide = me.guide;
    rc = load_profile(c, program_id, c->actor, true, me.admin, out, e);
  }
  return app_finish(c, rc, e);
}

rp_rc app_match_block(app_ctx *c, int64_t program_id, int64_t person_id, bool blocked,
                      rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_match_roles me;
  rc = app_match_access(c, program_id, &me, e);
  bool l = false, g = false;
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_LEARNER, &l, e);
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_GUIDE, &g, e);
  if (!rc && ((!l && !g) || person_id == c->actor))
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such member.");
  if (!rc) rc = store_match_block_set(c->st, program_id, c->actor, person_id, blocked, c->now, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_reporting_line(app_ctx *c, int64_t program_id, int64_t person_id,
                               const char *manager_email, rp_err *e) {
  char *email = NULL;
  if (manager_email && *manager_email) {
    size_t n = strlen(manager_email);
    if (n > 254 || !strchr(manager_email, '@')) {
      rp_field(e, "/manager_email", "An e-mail address.");
      return e->rc;
    }
    email = arena_strdup(c->a, manager_email);
    for (char *p = email; *p; p++) *p = (char)tolower((unsigned char)*p);
  }
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  bool l = false, g = false;
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_LEARNER, &l, e);
  if (!rc) rc = store_membership_has(c->st, program_id, person_id, ROLE_GUIDE, &g, e);
  if (!rc && !l && !g) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such member.");
  if (!rc)
    rc = store_match_reporting_line_set(c->st, program_id, person_id, email, c->actor, c->now, e);
  return app_finish(c, rc, e);
}

/* ---- settings ---- */

static store_match_settings defaults(void) {
  match_settings d = match_settings_default();
  store_match_settings s;
  for (int i = 0; i < MATCH_NPARTS; i++) s.weight[i] = d.weight[i];
  s.min_overlap_minutes = d.min_overlap_minutes;
  s.fairness = d.fairness;
  s.request_window_hours = APP_MATCH_WINDOW_HOURS;
  return s;
}

rp_rc app_match_settings_get(app_ctx *c, int64_t program_id, store_match_settings *out,
                             rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  bool found = false;
  *out = defaults();
  if (!rc) rc = store_match_settings_get(c->st, program_id, out, &found, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_match_settings_put(app_ctx *c, int64_t program_id, const store_match_settings *in,
                             rp_err *e) {
  int sum = 0;
  for (int i = 0; i < MATCH_NPARTS; i++) {
    if (in->weight[i] < 0 || in->weight[i] > 100)
      rp_field(e, arena_printf(c->a, "/weights/%s", match_part_name((match_part)i)),
               "From 0 to 100.");
    sum += in->weight[i];
  }
  if (sum == 0 && !e->rc) rp_field(e, "/weights", "At least one weight must be above 0.");
  if (in->min_overlap_minutes < 0 || in->min_overlap_minutes > 2400)
    rp_field(e, "/min_overlap_minutes", "From 0 to 2400.");
  if (in->request_window_hours < 1 || in->request_window_hours > 720)
    rp_field(e, "/request_window_hours", "From 1 to 720.");
  if (e->rc) return e->rc;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  if (!rc) rc = store_match_settings_put(c->st, program_id, in, c->now, e);
  return app_finish(c, rc, e);
}

rp_rc app_match_forget(app_ctx *c, int64_t person_id, const char *email, rp_err *e) {
  return store_match_forget_person(c->st, person_id, email, c->now, e);
}

rp_rc app_match_export(app_ctx *c, app_match_profile **profiles, size_t *nprofiles,
                       store_match_request **requests, size_t *nrequests, rp_err *e) {
  store_program_role *roles;
  size_t nroles;
  *nprofiles = *nrequests = 0;
  rp_rc rc = store_roles_of(c->st, c->actor, c->a, &roles, &nroles, e);
  if (rc) return rc;
  *profiles = arena_zalloc(c->a, (nroles + 1) * sizeof **profiles);
  for (size_t i = 0; !rc && i < nroles; i++) {
    if (roles[i].role != ROLE_LEARNER && roles[i].role != ROLE_GUIDE) continue;
    bool seen = false;
    for (size_t k = 0; k < *nprofiles; k++) seen |= (*profiles)[k].program_id == roles[i].prog.id;
    if (seen) continue;
    app_match_profile *p = &(*profiles)[(*nprofiles)++];
    for (size_t k = 0; k < nroles; k++) {
      if (roles[k].prog.id != roles[i].prog.id) continue;
      p->learner |= roles[k].role == ROLE_LEARNER;
      p->guide |= roles[k].role == ROLE_GUIDE;
    }
    rc = load_profile(c, roles[i].prog.id, c->actor, true, false, p, e);
  }
  /* every request, page by page */
  int64_t after = 0, next = 0;
  store_match_request *all = NULL;
  size_t cap = 0;
  do {
    store_match_request *page;
    size_t n;
    if (!rc) rc = store_match_requests_of(c->st, c->actor, after, APP_PAGE_MAX, c->a, &page, &n,
                                          &next, e);
    if (rc) break;
    if (*nrequests + n > cap) {
      cap = (*nrequests + n) * 2;
      store_match_request *grown = arena_alloc(c->a, cap * sizeof *grown);
      if (*nrequests) memcpy(grown, all, *nrequests * sizeof *grown);
      all = grown;
    }
    if (n) memcpy(all + *nrequests, page, n * sizeof *page);
    *nrequests += n;
    after = next;
  } while (next);
  *requests = all;
  return rc;
}
