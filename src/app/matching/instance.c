/* instance.c: a program's matching instance, built from the store (see
 * matching.h). Every name of the program's lists becomes a small integer:
 * topics by their position in the program's list, languages and attribute
 * values by first appearance; every hard constraint that concerns a pair
 * becomes a forbidden pair with its reason.
 */
#include "app/matching/matching.h"
#include "base/num.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exit answer's names (MATCH_EXIT_* in this order). */
static const char *const exit_names[] = {"topics", "availability", "style", "chemistry"};

bool app_match_exit_parse(const char *name, unsigned *flag) {
  for (unsigned i = 0; i < 4; i++)
    if (strcmp(name, exit_names[i]) == 0) {
      *flag = 1u << i;
      return true;
    }
  return false;
}

unsigned app_match_exit_flags(arena *a, const char *text) {
  unsigned flags = 0;
  const char *s = text;
  while (s && *s) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    unsigned f = 0;
    if (app_match_exit_parse(arena_strndup(a, s, len), &f)) flags |= f;
    s = comma ? comma + 1 : NULL;
  }
  return flags;
}

const char *app_match_exit_text(arena *a, unsigned flags) {
  char buf[64];
  size_t len = 0;
  for (unsigned i = 0; i < 4; i++)
    if (flags & (1u << i))
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? "," : "", exit_names[i]);
  buf[len] = 0;
  return arena_strdup(a, buf);
}

/* A small dictionary of strings to numbers, in the arena. */
typedef struct dict {
  const char **names;
  size_t n, cap;
} dict;

static int dict_id(arena *a, dict *d, const char *name) {
  for (size_t i = 0; i < d->n; i++)
    if (strcmp(d->names[i], name) == 0) return (int)i;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    const char **names = arena_alloc(a, cap * sizeof *names);
    if (d->n) memcpy(names, d->names, d->n * sizeof *names);
    d->names = names;
    d->cap = cap;
  }
  d->names[d->n] = name;
  return (int)d->n++;
}

static long index_of(const int64_t *ids, size_t n, int64_t id) {
  const int64_t *p = bsearch(&id, ids, n, sizeof *ids, rp_cmp_i64);
  return p ? (long)(p - ids) : -1;
}

long app_match_learner_index(const app_match_inst *m, int64_t person_id) {
  size_t lo = 0, hi = m->in.nl;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (m->learners[mid].id < person_id) lo = mid + 1;
    else hi = mid;
  }
  return lo < m->in.nl && m->learners[lo].id == person_id ? (long)lo : -1;
}

long app_match_guide_index(const app_match_inst *m, int64_t person_id) {
  size_t lo = 0, hi = m->in.ng;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (m->guides[mid].id < person_id) lo = mid + 1;
    else hi = mid;
  }
  return lo < m->in.ng && m->guides[lo].id == person_id ? (long)lo : -1;
}

static void add_forbid(app_match_inst *m, size_t *cap, arena *a, long l, long g,
                       match_reason r) {
  if (l < 0 || g < 0) return;
  if (m->nforbid == *cap) {
    size_t ncap = *cap ? *cap * 2 : 64;
    match_forbid *f = arena_alloc(a, ncap * sizeof *f);
    if (m->nforbid) memcpy(f, m->forbid, m->nforbid * sizeof *f);
    m->forbid = f;
    *cap = ncap;
  }
  m->forbid[m->nforbid++] = (match_forbid){(uint32_t)l, (uint32_t)g, r};
}

/* Applies a profile's languages ("en,fr") to both sides the person has. */
static void set_langs(match_person *p, const char *list, dict *langs, arena *a) {
  p->nlangs = 0;
  const char *s = list;
  while (s && *s && p->nlangs < MATCH_MAX_LANGS) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    if (len) p->langs[p->nlangs++] = (uint16_t)dict_id(a, langs, arena_strndup(a, s, len));
    s = comma ? comma + 1 : NULL;
  }
}

static match_person blank(const store_match_member *mm) {
  match_person p;
  memset(&p, 0, sizeof p);
  p.id = mm->person_id;
  p.name = mm->name;
  for (int i = 0; i < MATCH_MAX_ATTRS; i++) p.attr[i] = -1;
  return p;
}

rp_rc app_match_instance(app_ctx *c, int64_t program_id, app_match_inst *m, rp_err *e) {
  arena *a = c->a;
  memset(m, 0, sizeof *m);
  m->program_id = program_id;
  program prog;
  rp_rc rc = store_program_get(c->st, program_id, a, &prog, e);
  if (rc) return rc;
  m->k = prog.settings.k_anonymity < 3 ? 3 : prog.settings.k_anonymity;
  store_match_settings set;
  bool found = false;
  rc = store_match_settings_get(c->st, program_id, &set, &found, e);
  if (rc) return rc;
  m->in.set = match_settings_default();
  m->window_hours = APP_MATCH_WINDOW_HOURS;
  if (found) {
    for (int i = 0; i < MATCH_NPARTS; i++) m->in.set.weight[i] = set.weight[i];
    m->in.set.min_overlap_minutes = set.min_overlap_minutes;
    m->in.set.fairness = set.fairness;
    m->window_hours = set.request_window_hours;
  }

  store_match_member *mem;
  size_t nmem;
  if ((rc = store_match_members(c->st, program_id, a, &mem, &nmem, e))) return rc;
  size_t nl = 0, ng = 0;
  for (size_t i = 0; i < nmem; i++) nl += mem[i].learner, ng += mem[i].guide;
  m->learners = arena_zalloc(a, (nl + 1) * sizeof *m->learners);
  m->guides = arena_zalloc(a, (ng + 1) * sizeof *m->guides);
  m->learner_matched = arena_zalloc(a, nl + 1);
  m->former_guide = arena_zalloc(a, (nl + 1) * sizeof *m->former_guide);
  dict langs = {0};
  size_t il = 0, ig = 0;
  for (size_t i = 0; i < nmem; i++) {
    match_person p = blank(&mem[i]);
    set_langs(&p, mem[i].profile.languages, &langs, a);
    if (mem[i].learner) m->learners[il++] = p;
    if (mem[i].guide) {
      p.capacity = mem[i].profile.capacity;
      p.taking_new = mem[i].profile.taking_new;
      m->guides[ig++] = p;
    }
  }
  m->lang_names = langs.names;
  m->nlangs = langs.n;
  m->in.learners = m->learners;
  m->in.guides = m->guides;
  m->in.nl = nl;
  m->in.ng = ng;

  /* topics: numbers by position in the program's list */
  store_match_named *topics;
  size_t ntopics;
  if ((rc = store_match_topics(c->st, program_id, a, &topics, &ntopics, e))) return rc;
  int64_t *topic_ids = arena_alloc(a, (ntopics + 1) * sizeof *topic_ids);
  for (size_t i = 0; i < ntopics; i++) topic_ids[i] = topics[i].id;
  qsort(topic_ids, ntopics, sizeof *topic_ids, rp_cmp_i64);
  m->topic_names = arena_zalloc(a, (ntopics + 1) * sizeof *m->topic_names);
  for (size_t i = 0; i < ntopics; i++)
    for (size_t k = 0; k < ntopics; k++)
      if (topics[k].id == topic_ids[i]) m->topic_names[i] = topics[k].name;
  m->in.topic_names = m->topic_names;
  store_match_row *rows;
  size_t nrows;
  if ((rc = store_match_all_topics(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows; i++) {
    long t = index_of(topic_ids, ntopics, rows[i].other);
    if (t < 0 || t >= MATCH_MAX_TOPICS) continue;
    if (strcmp(rows[i].text, "wants") == 0) {
      long l = app_match_learner_index(m, rows[i].person_id);
      if (l >= 0 && m->learners[l].nwants < MATCH_MAX_WANTS)
        m->learners[l].wants[m->learners[l].nwants++] = (uint16_t)t;
    } else {
      long g = app_match_guide_index(m, rows[i].person_id);
      if (g >= 0) m->guides[g].offers[t / 64] |= (uint64_t)1 << (t % 64);
    }
  }

  /* windows */
  if ((rc = store_match_all_windows(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows;) {
    size_t j = i;
    while (j < nrows && rows[j].person_id == rows[i].person_id) j++;
    int s[APP_MATCH_WINDOWS_MAX], en[APP_MATCH_WINDOWS_MAX];
    size_t nw = 0;
    for (size_t k = i; k < j && nw < APP_MATCH_WINDOWS_MAX; k++, nw++) {
      s[nw] = (int)rows[k].a;
      en[nw] = (int)rows[k].b;
    }
    long l = app_match_learner_index(m, rows[i].person_id);
    long g = app_match_guide_index(m, rows[i].person_id);
    if (l >= 0) match_avail_set(m->learners[l].avail, s, en, nw);
    if (g >= 0) match_avail_set(m->guides[g].avail, s, en, nw);
    i = j;
  }

  /* attributes: numbers by position; values by first appearance */
  store_match_named *attrs;
  size_t nattrs;
  if ((rc = store_match_attributes(c->st, program_id, a, &attrs, &nattrs, e))) return rc;
  if (nattrs > MATCH_MAX_ATTRS) nattrs = MATCH_MAX_ATTRS;
  int64_t *attr_ids = arena_alloc(a, (nattrs + 1) * sizeof *attr_ids);
  m->attr_names = arena_alloc(a, (nattrs + 1) * sizeof *m->attr_names);
  for (size_t i = 0; i < nattrs; i++) attr_ids[i] = attrs[i].id;
  qsort(attr_ids, nattrs, sizeof *attr_ids, rp_cmp_i64);
  for (size_t i = 0; i < nattrs; i++)
    for (size_t k = 0; k < nattrs; k++)
      if (attrs[k].id == attr_ids[i]) m->attr_names[i] = attrs[k].name;
  m->in.nattrs = (int)nattrs;
  m->in.attr_names = m->attr_names;
  dict values[MATCH_MAX_ATTRS];
  memset(values, 0, sizeof values);
  if ((rc = store_match_all_attribute_values(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows; i++) {
    long at = index_of(attr_ids, nattrs, rows[i].other);
    if (at < 0) continue;
    int16_t v = rows[i].text ? (int16_t)dict_id(a, &values[at], rows[i].text) : -1;
    uint8_t wish = rows[i].text2 && strcmp(rows[i].text2, "similar") == 0     ? MATCH_WISH_SIMILAR
                   : rows[i].text2 && strcmp(rows[i].text2, "different") == 0 ? MATCH_WISH_DIFFERENT
                                                                              : MATCH_WISH_NONE;
    long l = app_match_learner_index(m, rows[i].person_id);
    long g = app_match_guide_index(m, rows[i].person_id);
    if (l >= 0) {
      m->learners[l].attr[at] = v;
      m->learners[l].wish[at] = wish;
    }
    if (g >= 0) m->guides[g].attr[at] = v;
  }

  size_t cap = 0;
  /* private blocks, either way */
  if ((rc = store_match_all_blocks(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows; i++) {
    add_forbid(m, &cap, a, app_match_learner_index(m, rows[i].person_id),
               app_match_guide_index(m, rows[i].other), MATCH_BLOCKED);
    add_forbid(m, &cap, a, app_match_learner_index(m, rows[i].other),
               app_match_guide_index(m, rows[i].person_id), MATCH_BLOCKED);
  }

  /* conflicts of interest: the manager and the manager's manager */
  if ((rc = store_match_all_lines(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows; i++) {
    long l = app_match_learner_index(m, rows[i].person_id);
    int64_t boss = rows[i].other;
    if (l < 0 || boss == 0) continue;
    add_forbid(m, &cap, a, l, app_match_guide_index(m, boss), MATCH_CONFLICT);
    for (size_t k = 0; k < nrows; k++)
      if (rows[k].person_id == boss && rows[k].other)
        add_forbid(m, &cap, a, l, app_match_guide_index(m, rows[k].other), MATCH_CONFLICT);
  }

  /* relationships: incidents, open ones, experience */
  if ((rc = store_match_all_relationships(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows; i++) {
    long l = app_match_learner_index(m, rows[i].person_id);
    long g = app_match_guide_index(m, rows[i].other);
    rel_state s = REL_PROPOSED;
    rel_state_parse(rows[i].text, &s);
    if (rows[i].a && s == REL_ENDED) add_forbid(m, &cap, a, l, g, MATCH_INCIDENT);
    bool open = s == REL_PROPOSED || s == REL_ACTIVE || s == REL_PAUSED;
    if (open && g >= 0) m->guides[g].capacity--;
    if (open && l >= 0) m->learner_matched[l] = true;
    if (g >= 0 && s != REL_PROPOSED && s != REL_DECLINED) m->guides[g].experience++;
    /* the pair of an earlier relationship is not matched again by the matcher */
    if (!open) add_forbid(m, &cap, a, l, g, MATCH_EXCLUDED);
  }
  for (size_t g = 0; g < ng; g++)
    if (m->guides[g].capacity < 0) m->guides[g].capacity = 0;

  /* exit answers: the latest per learner counts */
  if ((rc = store_match_latest_exits(c->st, program_id, a, &rows, &nrows, e))) return rc;
  for (size_t i = 0; i < nrows; i++) {
    long l = app_match_learner_index(m, rows[i].person_id);
    if (l < 0) continue;
    unsigned flags = app_match_exit_flags(a, rows[i].text);
    m->learners[l].exit_flags = flags; /* rows are in time order: the last wins */
    m->former_guide[l] = rows[i].other;
  }
  m->nforbid = match_forbid_sort(m->forbid, m->nforbid);
  m->in.forbid = m->forbid;
  m->in.nforbid = m->nforbid;
  return RP_OK;
}
