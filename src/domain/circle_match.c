/* circle_match.c: the group constraints, the circle score and its
 * sentences, and forming circles by greedy seeding and swaps (see
 * circle_match.h).
 *
 * Inside cm_form every person is a pool index; the pairs to keep apart
 * become, per person, the short list of pool indexes they may not share a
 * circle with, and each person's topics one bit set, so that trying a swap
 * costs a few word operations per member.
 */
#include "domain/circle_match.h"

#include <stdlib.h>
#include <string.h>

static const char *const part_names[CM_NPARTS] = {"topics", "availability", "attributes"};

const char *cm_part_name(cm_part p) { return (unsigned)p < CM_NPARTS ? part_names[p] : "?"; }

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) abort(); /* the domain's policy, as match.c's */
  return p;
}

/* ---- the pairs kept apart ---- */

static int apart_cmp(const void *pa, const void *pb) {
  const cm_apart *x = pa, *y = pb;
  if (x->a != y->a) return x->a < y->a ? -1 : 1;
  return x->b < y->b ? -1 : x->b > y->b;
}

size_t cm_apart_sort(cm_apart *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i].a > p[i].b) {
      int64_t t = p[i].a;
      p[i].a = p[i].b;
      p[i].b = t;
    }
  if (n == 0) return 0;
  qsort(p, n, sizeof *p, apart_cmp);
  size_t k = 1;
  for (size_t i = 1; i < n; i++)
    if (p[i].a != p[k - 1].a || p[i].b != p[k - 1].b) p[k++] = p[i];
  return k;
}

bool cm_must_part(const cm_instance *in, int64_t x, int64_t y) {
  cm_apart key = {x < y ? x : y, x < y ? y : x};
  return in->napart && bsearch(&key, in->apart, in->napart, sizeof key, apart_cmp) != NULL;
}

void cm_count_values(cm_instance *in) {
  for (int a = 0; a < in->nattrs && a < MATCH_MAX_ATTRS; a++) {
    int top = -1;
    for (size_t i = 0; i < in->n; i++)
      if (in->people[i].attr[a] > top) top = in->people[i].attr[a];
    /* values are numbered from 0 by first appearance: count those present */
    bool *seen = xcalloc((size_t)top + 2, sizeof *seen);
    int count = 0;
    for (size_t i = 0; i < in->n; i++) {
      int v = in->people[i].attr[a];
      if (v >= 0 && !seen[v]) seen[v] = true, count++;
    }
    free(seen);
    in->nvalues[a] = count;
  }
}

/* ---- a group's common ground ---- */

typedef struct common {
  uint16_t langs[MATCH_MAX_LANGS];
  int nlangs;
  uint64_t avail[MATCH_AVAIL_WORDS];
} common;

static void common_start(common *cm, const match_person *p) {
  memcpy(cm->langs, p->langs, sizeof cm->langs);
  cm->nlangs = p->nlangs;
  memcpy(cm->avail, p->avail, sizeof cm->avail);
}

static void common_add(common *cm, const match_person *p) {
  int k = 0;
  for (int i = 0; i < cm->nlangs; i++)
    for (int j = 0; j < p->nlangs; j++)
      if (cm->langs[i] == p->langs[j]) {
        cm->langs[k++] = cm->langs[i];
        break;
      }
  cm->nlangs = k;
  for (int w = 0; w < MATCH_AVAIL_WORDS; w++) cm->avail[w] &= p->avail[w];
}

static int common_minutes(const common *cm) {
  int slots = 0;
  for (int w = 0; w < MATCH_AVAIL_WORDS; w++) slots += __builtin_popcountll(cm->avail[w]);
  return slots * MATCH_SLOT_MINUTES;
}

static void topics_of(const match_person *p, uint64_t t[CM_TOPIC_WORDS]) {
  memcpy(t, p->offers, CM_TOPIC_WORDS * sizeof *t);
  for (int i = 0; i < p->nwants; i++)
    if (p->wants[i] < MATCH_MAX_TOPICS) t[p->wants[i] / 64] |= (uint64_t)1 << (p->wants[i] % 64);
}

cm_reason cm_check(const cm_instance *in, const uint32_t *members, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++)
      if (members[i] == members[j] ||
          cm_must_part(in, in->people[members[i]].id, in->people[members[j]].id))
        return CM_APART;
  if (n == 0) return CM_FIT;
  common cm;
  common_start(&cm, &in->people[members[0]]);
  for (int i = 1; i < n; i++) common_add(&cm, &in->people[members[i]]);
  if (cm.nlangs == 0) return CM_LANGUAGE;
  if (common_minutes(&cm) < in->min_overlap_minutes) return CM_OVERLAP;
  return CM_FIT;
}

bool cm_facilitator_fits(const cm_instance *in, const uint32_t *members, int n, size_t g) {
  const match_person *gp = &in->guides[g];
  if (!gp->taking_new || n == 0) return false;
  for (int i = 0; i < n; i++)
    if (in->people[members[i]].id == gp->id || cm_must_part(in, in->people[members[i]].id, gp->id))
      return false;
  common cm;
  common_start(&cm, &in->people[members[0]]);
  for (int i = 1; i < n; i++) common_add(&cm, &in->people[members[i]]);
  common_add(&cm, gp);
  return cm.nlangs > 0 && common_minutes(&cm) >= in->min_overlap_minutes;
}

/* ---- the score ---- */

/* The score of n members given as persons and their topic sets. */
static int score_core(const cm_instance *in, const cm_request *req, const match_person *const *ps,
                      const uint64_t *const *ts, int n, cm_parts *out) {
  cm_parts p;
  memset(&p, 0, sizeof p);
  for (int i = 0; i < CM_NPARTS; i++) p.weight[i] = in->weight[i];

  /* topics: a topic in `twice` is held by two or more members */
  uint64_t once[CM_TOPIC_WORDS] = {0}, twice[CM_TOPIC_WORDS] = {0};
  for (int i = 0; i < n; i++)
    for (int w = 0; w < CM_TOPIC_WORDS; w++) {
      twice[w] |= once[w] & ts[i][w];
      once[w] |= ts[i][w];
    }
  for (int i = 0; i < n; i++) {
    int held = 0, shared = 0;
    for (int w = 0; w < CM_TOPIC_WORDS; w++) {
      held += __builtin_popcountll(ts[i][w]);
      shared += __builtin_popcountll(ts[i][w] & twice[w]);
    }
    p.topics_held += held;
    p.topics_shared += shared;
    if (held && !shared) p.members_alone++;
  }
  for (int w = 0; w < CM_TOPIC_WORDS; w++) p.common_topics += __builtin_popcountll(twice[w]);
  p.applies[CM_P_TOPICS] = req->overlap_topics && p.topics_held > 0;
  p.part[CM_P_TOPICS] =
      p.topics_held ? (200 * p.topics_shared + p.topics_held) / (2 * p.topics_held) : 0;

  /* availability */
  if (n > 0) {
    common cm;
    common_start(&cm, ps[0]);
    for (int i = 1; i < n; i++) common_add(&cm, ps[i]);
    p.overlap_minutes = common_minutes(&cm);
  }
  int target = 2 * in->min_overlap_minutes;
  if (target < 120) target = 120;
  int ov = p.overlap_minutes < target ? p.overlap_minutes : target;
  p.applies[CM_P_AVAILABILITY] = true;
  p.part[CM_P_AVAILABILITY] = (ov * 100 + target / 2) / target;

  /* attributes */
  for (int a = 0; req->mix_attributes && a < in->nattrs && a < MATCH_MAX_ATTRS; a++) {
    if ((req->mix_mask && !(req->mix_mask >> a & 1)) || in->nvalues[a] < 2) continue;
    int declared = 0, distinct = 0;
    for (int i = 0; i < n; i++) {
      int v = ps[i]->attr[a];
      if (v < 0) continue;
      declared++;
      bool seen = false;
      for (int j = 0; j < i && !seen; j++) seen = ps[j]->attr[a] == v;
      distinct += !seen;
    }
    if (declared < 2) continue;
    p.mix_got += distinct - 1;
    p.mix_most += (declared < in->nvalues[a] ? declared : in->nvalues[a]) - 1;
  }
  p.applies[CM_P_ATTRIBUTES] = p.mix_most > 0;
  p.part[CM_P_ATTRIBUTES] = p.mix_most ? (200 * p.mix_got + p.mix_most) / (2 * p.mix_most) : 0;

  long num = 0, den = 0;
  for (int i = 0; i < CM_NPARTS; i++) {
    if (!p.applies[i]) continue;
    num += (long)p.weight[i] * p.part[i];
    den += p.weight[i];
  }
  if (den == 0) /* the program weighs none of the parts that apply: count them alike */
    for (int i = 0; i < CM_NPARTS; i++)
      if (p.applies[i]) {
        p.weight[i] = 1;
        num += p.part[i];
        den++;
      }
  p.score = den ? (int)((2 * num + den) / (2 * den)) : 0;
  p.fine = den ? (int)((200 * num + den) / (2 * den)) : 0;
  if (out) *out = p;
  return p.score;
}

int cm_score(const cm_instance *in, const cm_request *req, const uint32_t *members, int n,
             cm_parts *parts) {
  const match_person *ps[CIRCLE_MAX_MEMBERS];
  uint64_t tb[CIRCLE_MAX_MEMBERS][CM_TOPIC_WORDS];
  const uint64_t *ts[CIRCLE_MAX_MEMBERS];
  if (n > CIRCLE_MAX_MEMBERS) n = CIRCLE_MAX_MEMBERS;
  for (int i = 0; i < n; i++) {
    ps[i] = &in->people[members[i]];
    topics_of(ps[i], tb[i]);
    ts[i] = tb[i];
  }
  return score_core(in, req, ps, ts, n, parts);
}

/* ---- sentences ---- */

static const char *first_name(const char *name, char *buf, size_t cap) {
  if (!name || !*name) return "The facilitator";
  size_t i = 0;
  while (name[i] && name[i] != ' ' && i + 1 < cap) {
    buf[i] = name[i];
    i++;
  }
  buf[i] = 0;
  return buf;
}

static int explain_topics(const cm_instance *in, const cm_circle *c, strbuf *out) {
  const cm_parts *p = &c->parts;
  if (p->topics_held == 0) return sb_printf(out, "no member chose topics yet");
  if (p->common_topics == 0) return sb_printf(out, "no topic is shared within the circle");
  uint64_t once[CM_TOPIC_WORDS] = {0}, twice[CM_TOPIC_WORDS] = {0};
  for (int i = 0; i < c->nmembers; i++) {
    uint64_t t[CM_TOPIC_WORDS];
    topics_of(&in->people[c->member[i]], t);
    for (int w = 0; w < CM_TOPIC_WORDS; w++) {
      twice[w] |= once[w] & t[w];
      once[w] |= t[w];
    }
  }
  int rc = sb_printf(out, "%d topic%s shared within the circle: ", p->common_topics,
                     p->common_topics == 1 ? "" : "s");
  int named = 0;
  for (int t = 0; t < MATCH_MAX_TOPICS && named < 3; t++) {
    if (!(twice[t / 64] >> (t % 64) & 1)) continue;
    const char *name = in->topic_names ? in->topic_names[t] : NULL;
    rc |= sb_printf(out, "%s%s", named ? ", " : "", name ? name : "a topic");
    named++;
  }
  if (p->common_topics > named) rc |= sb_printf(out, " and %d more", p->common_topics - named);
  if (p->members_alone)
    rc |= sb_printf(out, "; %d member%s share%s no topic with the others", p->members_alone,
                    p->members_alone == 1 ? "" : "s", p->members_alone == 1 ? "s" : "");
  else
    rc |= sb_printf(out, "; every member shares a topic with another");
  return rc;
}

static int explain_rest(const cm_instance *in, const cm_request *req, const cm_circle *c,
                        strbuf *out) {
  const cm_parts *p = &c->parts;
  int h = p->overlap_minutes / 60, m = p->overlap_minutes % 60, rc = 0;
  if (m)
    rc |= sb_printf(out, "; %d h %d min a week when everyone is free", h, m);
  else
    rc |= sb_printf(out, "; %d hour%s a week when everyone is free", h, h == 1 ? "" : "s");
  if (c->nmembers > 0) {
    common cm;
    common_start(&cm, &in->people[c->member[0]]);
    for (int i = 1; i < c->nmembers; i++) common_add(&cm, &in->people[c->member[i]]);
    if (cm.nlangs > 0 && in->lang_names)
      rc |= sb_printf(out, "; everyone speaks %s", in->lang_names[cm.langs[0]]);
  }
  if (req->mix_attributes && p->applies[CM_P_ATTRIBUTES])
    rc |= sb_printf(out, "; the attribute mix the program asks for counts in the score");
  if (req->facilitator) {
    if (c->facilitator < 0) return rc | sb_printf(out, "; no guide fits as facilitator");
    const match_person *g = &in->guides[c->facilitator];
    uint64_t want[CM_TOPIC_WORDS] = {0};
    for (int i = 0; i < c->nmembers; i++) {
      uint64_t t[CM_TOPIC_WORDS];
      topics_of(&in->people[c->member[i]], t);
      for (int w = 0; w < CM_TOPIC_WORDS; w++) want[w] |= t[w];
    }
    int got = 0, all = 0;
    for (int w = 0; w < CM_TOPIC_WORDS; w++) {
      got += __builtin_popcountll(want[w] & g->offers[w]);
      all += __builtin_popcountll(want[w]);
    }
    char gb[64];
    rc |= sb_printf(out, "; %s facilitates, offering %d of the circle's %d topic%s",
                    first_name(g->name, gb, sizeof gb), got, all, all == 1 ? "" : "s");
  }
  return rc;
}

int cm_explain(const cm_instance *in, const cm_request *req, const cm_circle *c, strbuf *out) {
  int rc = explain_topics(in, c, out);
  rc |= explain_rest(in, req, c, out);
  return rc ? -1 : 0;
}

/* ---- forming ---- */

typedef struct idmap {
  int64_t id;
  uint32_t idx;
} idmap;

static int idmap_cmp(const void *pa, const void *pb) {
  const idmap *x = pa, *y = pb;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* What cm_form works on. */
typedef struct work {
  const cm_instance *in;
  const cm_request *req;
  uint64_t (*topics)[CM_TOPIC_WORDS];
  uint32_t *adj_start, *adj; /* CSR: adj[adj_start[i] .. adj_start[i+1]) */
  uint64_t *key;             /* the seed's order of persons */
} work;

static uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static bool apart_idx(const work *w, uint32_t x, uint32_t y) {
  for (uint32_t k = w->adj_start[x]; k < w->adj_start[x + 1]; k++)
    if (w->adj[k] == y) return true;
  return false;
}

static void build_adjacency(work *w) {
  const cm_instance *in = w->in;
  idmap *ids = xcalloc(in->n, sizeof *ids);
  for (size_t i = 0; i < in->n; i++) ids[i] = (idmap){in->people[i].id, (uint32_t)i};
  qsort(ids, in->n, sizeof *ids, idmap_cmp);
  long *pa = xcalloc(in->napart, sizeof *pa), *pb = xcalloc(in->napart, sizeof *pb);
  w->adj_start = xcalloc(in->n + 1, sizeof *w->adj_start);
  for (size_t k = 0; k < in->napart; k++) {
    idmap ka = {in->apart[k].a, 0}, kb = {in->apart[k].b, 0};
    idmap *fa = in->n ? bsearch(&ka, ids, in->n, sizeof ka, idmap_cmp) : NULL;
    idmap *fb = in->n ? bsearch(&kb, ids, in->n, sizeof kb, idmap_cmp) : NULL;
    pa[k] = fa ? (long)fa->idx : -1;
    pb[k] = fb ? (long)fb->idx : -1;
    if (pa[k] >= 0 && pb[k] >= 0) w->adj_start[pa[k] + 1]++, w->adj_start[pb[k] + 1]++;
  }
  for (size_t i = 0; i < in->n; i++) w->adj_start[i + 1] += w->adj_start[i];
  w->adj = xcalloc(w->adj_start[in->n], sizeof *w->adj);
  uint32_t *fill = xcalloc(in->n, sizeof *fill);
  for (size_t k = 0; k < in->napart; k++) {
    if (pa[k] < 0 || pb[k] < 0) continue;
    w->adj[w->adj_start[pa[k]] + fill[pa[k]]++] = (uint32_t)pb[k];
    w->adj[w->adj_start[pb[k]] + fill[pb[k]]++] = (uint32_t)pa[k];
  }
  free(fill);
  free(pa);
  free(pb);
  free(ids);
}

/* Whether the members, with `out` replaced by `in_` (out == -1: added),
 * stay within the constraints; *fine gets the group's fine score. */
static bool try_group(const work *w, const uint32_t *members, int n, long out, uint32_t add,
                      int *fine) {
  const cm_instance *in = w->in;
  const match_person *ps[CIRCLE_MAX_MEMBERS];
  const uint64_t *ts[CIRCLE_MAX_MEMBERS];
  int k = 0;
  for (int i = 0; i < n; i++) {
    if ((long)i == out) continue;
    if (members[i] == add || apart_idx(w, add, members[i])) return false;
    ps[k] = &in->people[members[i]];
    ts[k++] = w->topics[members[i]];
  }
  ps[k] = &in->people[add];
  ts[k++] = w->topics[add];
  common cm;
  common_start(&cm, ps[0]);
  for (int i = 1; i < k; i++) common_add(&cm, ps[i]);
  if (cm.nlangs == 0 || common_minutes(&cm) < in->min_overlap_minutes) return false;
  cm_parts p;
  score_core(in, w->req, ps, ts, k, &p);
  *fine = p.fine;
  return true;
}

static int fine_of(const work *w, const uint32_t *members, int n) {
  const match_person *ps[CIRCLE_MAX_MEMBERS];
  const uint64_t *ts[CIRCLE_MAX_MEMBERS];
  for (int i = 0; i < n; i++) {
    ps[i] = &w->in->people[members[i]];
    ts[i] = w->topics[members[i]];
  }
  cm_parts p;
  score_core(w->in, w->req, ps, ts, n, &p);
  return p.fine;
}

static bool pair_fits(const work *w, uint32_t x, uint32_t y) {
  const match_person *a = &w->in->people[x], *b = &w->in->people[y];
  if (apart_idx(w, x, y)) return false;
  common cm;
  common_start(&cm, a);
  common_add(&cm, b);
  return cm.nlangs > 0 && common_minutes(&cm) >= w->in->min_overlap_minutes;
}

typedef struct ordered {
  uint32_t degree;
  uint64_t key;
  uint32_t idx;
} ordered;

static int order_cmp(const void *pa, const void *pb) {
  const ordered *x = pa, *y = pb;
  if (x->degree != y->degree) return x->degree < y->degree ? -1 : 1;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The persons in seeding order: fewest possible companions first, then
 * the seed's order. */
static uint32_t *seeding_order(const work *w) {
  size_t n = w->in->n;
  ordered *o = xcalloc(n, sizeof *o);
  uint32_t *order = xcalloc(n, sizeof *order);
  for (size_t i = 0; i < n; i++) o[i] = (ordered){0, w->key[i], (uint32_t)i};
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (pair_fits(w, (uint32_t)i, (uint32_t)j)) o[i].degree++, o[j].degree++;
  qsort(o, n, sizeof *o, order_cmp);
  for (size_t i = 0; i < n; i++) order[i] = o[i].idx;
  free(o);
  return order;
}

static void seed_circles(const work *w, const uint32_t *order, size_t target, cm_result *out) {
  size_t n = w->in->n;
  int k = w->req->size;
  bool *aside = xcalloc(n, sizeof *aside);
  for (size_t pos = 0; pos < n && out->ncircles < target; pos++) {
    uint32_t s = order[pos];
    if (out->circle_of[s] >= 0 || aside[s]) continue;
    cm_circle *c = &out->circles[out->ncircles];
    memset(c, 0, sizeof *c);
    c->facilitator = -1;
    c->member[c->nmembers++] = s;
    out->circle_of[s] = (int32_t)out->ncircles;
    while (c->nmembers < k) {
      long best = -1;
      int best_fine = -1;
      for (size_t q = 0; q < n; q++) {
        uint32_t cand = order[q];
        int fine;
        if (out->circle_of[cand] >= 0) continue;
        if (!try_group(w, c->member, c->nmembers, -1, cand, &fine)) continue;
        if (fine > best_fine) best_fine = fine, best = (long)cand;
      }
      if (best < 0) break;
      c->member[c->nmembers++] = (uint32_t)best;
      out->circle_of[best] = (int32_t)out->ncircles;
    }
    if (c->nmembers < k) { /* the seed cannot lead a full circle: free the others */
      for (int i = 0; i < c->nmembers; i++) out->circle_of[c->member[i]] = -1;
      aside[s] = true;
      continue;
    }
    c->parts.fine = fine_of(w, c->member, c->nmembers);
    out->ncircles++;
  }
  free(aside);
}

/* The best swap between circle A's member i and circle B's member j (B
 * NULL: an unplaced person of `free_list`), applied when it strictly
 * raises the total. Returns whether one was applied. */
static bool best_swap(const work *w, cm_result *r, size_t ia, long ib, uint32_t *free_list,
                      size_t nfree) {
  cm_circle *a = &r->circles[ia], *b = ib >= 0 ? &r->circles[ib] : NULL;
  int base = a->parts.fine + (b ? b->parts.fine : 0);
  int best = base, bi = -1, fa = 0, fb = 0;
  long bj = -1;
  size_t nj = b ? (size_t)b->nmembers : nfree;
  for (int i = 0; i < a->nmembers; i++)
    for (size_t j = 0; j < nj; j++) {
      uint32_t pj = b ? b->member[j] : free_list[j];
      int na, nb = 0;
      if (!try_group(w, a->member, a->nmembers, i, pj, &na)) continue;
      if (b && !try_group(w, b->member, b->nmembers, (long)j, a->member[i], &nb)) continue;
      if (na + nb > best) best = na + nb, bi = i, bj = (long)j, fa = na, fb = nb;
    }
  if (bi < 0) return false;
  uint32_t pi = a->member[bi];
  if (b) {
    uint32_t pj = b->member[bj];
    a->member[bi] = pj;
    b->member[bj] = pi;
    r->circle_of[pj] = (int32_t)ia;
    r->circle_of[pi] = (int32_t)ib;
    b->parts.fine = fb;
  } else {
    uint32_t pj = free_list[bj];
    a->member[bi] = pj;
    free_list[bj] = pi;
    r->circle_of[pj] = (int32_t)ia;
    r->circle_of[pi] = -1;
  }
  a->parts.fine = fa;
  r->swaps++;
  return true;
}

/* Passes over every pair of circles, and every circle with the unplaced,
 * until a pass finds nothing or the passes run out. A pair whose circles
 * both stayed unchanged since before the previous pass began is skipped:
 * it was searched with the same members and had no improving swap. */
static void local_search(const work *w, cm_result *r) {
  size_t m = r->ncircles, n = w->in->n;
  int passes = w->req->max_passes > 0 ? w->req->max_passes : CM_DEFAULT_PASSES;
  int64_t *changed = xcalloc(m + 1, sizeof *changed); /* [m]: the unplaced */
  uint32_t *free_list = xcalloc(n, sizeof *free_list);
  size_t nfree = 0;
  for (size_t i = 0; i < n; i++)
    if (r->circle_of[i] < 0) free_list[nfree++] = (uint32_t)i;
  int64_t clock = 1, prev_start = 0;
  for (size_t c = 0; c <= m; c++) changed[c] = clock;
  r->converged = false;
  for (r->passes = 0; r->passes < passes && !r->converged;) {
    int64_t start = ++clock, swaps = r->swaps;
    r->passes++;
    for (size_t ia = 0; ia < m; ia++)
      for (size_t ib = ia + 1; ib <= m; ib++) {
        if (ib == m && nfree == 0) continue;
        if (changed[ia] < prev_start && changed[ib] < prev_start) continue;
        while (best_swap(w, r, ia, ib < m ? (long)ib : -1, free_list, nfree))
          changed[ia] = changed[ib] = ++clock;
      }
    prev_start = start;
    r->converged = r->swaps == swaps;
  }
  free(changed);
  free(free_list);
}

static void choose_facilitators(const work *w, cm_result *r) {
  const cm_instance *in = w->in;
  bool *used = xcalloc(in->ng, sizeof *used);
  size_t *by_score = xcalloc(r->ncircles, sizeof *by_score);
  for (size_t i = 0; i < r->ncircles; i++) by_score[i] = i;
  for (size_t i = 1; i < r->ncircles; i++) /* stable: best first, then formed first */
    for (size_t j = i; j > 0 && r->circles[by_score[j]].parts.fine >
                                    r->circles[by_score[j - 1]].parts.fine;
         j--) {
      size_t t = by_score[j];
      by_score[j] = by_score[j - 1];
      by_score[j - 1] = t;
    }
  /* a person placed in a circle of this proposal does not also facilitate */
  idmap *placed = xcalloc(in->n, sizeof *placed);
  size_t np = 0;
  for (size_t i = 0; i < in->n; i++)
    if (r->circle_of[i] >= 0) placed[np++] = (idmap){in->people[i].id, (uint32_t)i};
  qsort(placed, np, sizeof *placed, idmap_cmp);
  for (size_t k = 0; k < r->ncircles; k++) {
    cm_circle *c = &r->circles[by_score[k]];
    uint64_t want[CM_TOPIC_WORDS] = {0};
    for (int i = 0; i < c->nmembers; i++)
      for (int t = 0; t < CM_TOPIC_WORDS; t++) want[t] |= w->topics[c->member[i]][t];
    common cm;
    common_start(&cm, &in->people[c->member[0]]);
    for (int i = 1; i < c->nmembers; i++) common_add(&cm, &in->people[c->member[i]]);
    long best = -1;
    int best_got = -1, best_ov = -1;
    for (size_t g = 0; g < in->ng; g++) {
      idmap key = {in->guides[g].id, 0};
      if (used[g] || (np && bsearch(&key, placed, np, sizeof key, idmap_cmp))) continue;
      if (!cm_facilitator_fits(in, c->member, c->nmembers, g)) continue;
      int got = 0, ov = 0;
      for (int t = 0; t < CM_TOPIC_WORDS; t++) got += __builtin_popcountll(want[t] & in->guides[g].offers[t]);
      for (int t = 0; t < MATCH_AVAIL_WORDS; t++) ov += __builtin_popcountll(cm.avail[t] & in->guides[g].avail[t]);
      if (got > best_got || (got == best_got && ov > best_ov)) best = (long)g, best_got = got, best_ov = ov;
    }
    if (best >= 0) {
      c->facilitator = (int32_t)best;
      used[best] = true;
    }
  }
  free(placed);
  free(by_score);
  free(used);
}

int cm_form(const cm_instance *in, const cm_request *req, cm_result *out) {
  memset(out, 0, sizeof *out);
  if (req->size < CIRCLE_MIN_MEMBERS || req->size > CIRCLE_MAX_MEMBERS || req->circles < 0)
    return -1;
  size_t fit = in->n / (size_t)req->size;
  out->target = req->circles ? (size_t)req->circles : fit;
  size_t target = out->target < fit ? out->target : fit;
  out->circles = xcalloc(target + 1, sizeof *out->circles);
  out->circle_of = xcalloc(in->n, sizeof *out->circle_of);
  for (size_t i = 0; i < in->n; i++) out->circle_of[i] = -1;

  work w = {.in = in, .req = req};
  w.topics = xcalloc(in->n, sizeof *w.topics);
  w.key = xcalloc(in->n, sizeof *w.key);
  for (size_t i = 0; i < in->n; i++) {
    topics_of(&in->people[i], w.topics[i]);
    w.key[i] = splitmix(req->seed ^ splitmix((uint64_t)in->people[i].id));
  }
  build_adjacency(&w);
  uint32_t *order = seeding_order(&w);
  seed_circles(&w, order, target, out);
  for (size_t c = 0; c < out->ncircles; c++)
    out->seeded += cm_score(in, req, out->circles[c].member, out->circles[c].nmembers, NULL);
  local_search(&w, out);
  if (req->facilitator) choose_facilitators(&w, out);
  for (size_t c = 0; c < out->ncircles; c++) {
    cm_circle *ci = &out->circles[c];
    cm_score(in, req, ci->member, ci->nmembers, &ci->parts);
    out->total += ci->parts.score;
  }
  free(order);
  free(w.adj);
  free(w.adj_start);
  free(w.key);
  free(w.topics);
  return 0;
}

void cm_result_free(cm_result *r) {
  free(r->circles);
  free(r->circle_of);
  memset(r, 0, sizeof *r);
}
