/* match.c: hard constraints, the score and its sentences, the greedy
 * assignment, blocking pairs and unmatched reasons (see match.h). */
#include "domain/match.h"

#include <stdlib.h>
#include <string.h>

static const char *const part_names[MATCH_NPARTS] = {"topics", "availability", "language",
                                                     "attributes", "experience"};

static const char *const reason_names[MATCH_NREASONS] = {
    "fit",      "self",         "blocked",  "conflict_of_interest", "past_incident",
    "excluded", "not_taking_new", "no_shared_language", "too_little_overlap", "capacity"};

const char *match_part_name(match_part p) {
  return (unsigned)p < MATCH_NPARTS ? part_names[p] : "?";
}

const char *match_reason_name(match_reason r) {
  return (unsigned)r < MATCH_NREASONS ? reason_names[r] : "?";
}

match_settings match_settings_default(void) {
  match_settings s = {.weight = {40, 20, 10, 15, 15}, .min_overlap_minutes = 60,
                      .fairness = false};
  return s;
}

static int forbid_cmp(const void *pa, const void *pb) {
  const match_forbid *a = pa, *b = pb;
  if (a->learner != b->learner) return a->learner < b->learner ? -1 : 1;
  if (a->guide != b->guide) return a->guide < b->guide ? -1 : 1;
  return (int)a->reason - (int)b->reason;
}

size_t match_forbid_sort(match_forbid *f, size_t n) {
  if (n == 0) return 0;
  qsort(f, n, sizeof *f, forbid_cmp);
  size_t k = 1;
  for (size_t i = 1; i < n; i++)
    if (f[i].learner != f[k - 1].learner || f[i].guide != f[k - 1].guide) f[k++] = f[i];
  return k;
}

static match_reason forbidden(const match_instance *in, size_t l, size_t g) {
  size_t lo = 0, hi = in->nforbid;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const match_forbid *f = &in->forbid[mid];
    if (f->learner < l || (f->learner == l && f->guide < g)) lo = mid + 1;
    else hi = mid;
  }
  if (lo < in->nforbid && in->forbid[lo].learner == l && in->forbid[lo].guide == g)
    return in->forbid[lo].reason;
  return MATCH_FIT;
}

void match_avail_set(uint64_t avail[MATCH_AVAIL_WORDS], const int *start, const int *end,
                     size_t n) {
  memset(avail, 0, MATCH_AVAIL_WORDS * sizeof *avail);
  for (size_t i = 0; i < n; i++) {
    int a = (start[i] + MATCH_SLOT_MINUTES - 1) / MATCH_SLOT_MINUTES;
    int b = end[i] / MATCH_SLOT_MINUTES;
    if (a < 0) a = 0;
    if (b > MATCH_WEEK_SLOTS) b = MATCH_WEEK_SLOTS;
    for (int slot = a; slot < b; slot++) avail[slot / 64] |= (uint64_t)1 << (slot % 64);
  }
}

int match_overlap_minutes(const match_person *a, const match_person *b) {
  int slots = 0;
  for (int i = 0; i < MATCH_AVAIL_WORDS; i++)
    slots += __builtin_popcountll(a->avail[i] & b->avail[i]);
  return slots * MATCH_SLOT_MINUTES;
}

static bool shares_language(const match_person *a, const match_person *b) {
  for (int i = 0; i < a->nlangs; i++)
    for (int j = 0; j < b->nlangs; j++)
      if (a->langs[i] == b->langs[j]) return true;
  return false;
}

match_reason match_check(const match_instance *in, size_t l, size_t g) {
  const match_person *lp = &in->learners[l], *gp = &in->guides[g];
  if (lp->id == gp->id) return MATCH_SELF;
  match_reason r = in->nforbid ? forbidden(in, l, g) : MATCH_FIT;
  if (r != MATCH_FIT) return r;
  if (!gp->taking_new) return MATCH_NOT_TAKING;
  if (!shares_language(lp, gp)) return MATCH_LANGUAGE;
  if (match_overlap_minutes(lp, gp) < in->set.min_overlap_minutes) return MATCH_OVERLAP;
  return MATCH_FIT;
}

static bool offers(const match_person *g, unsigned topic) {
  return topic < MATCH_MAX_TOPICS && (g->offers[topic / 64] >> (topic % 64)) & 1;
}

int match_score(const match_instance *in, size_t l, size_t g, match_parts *parts) {
  const match_person *lp = &in->learners[l], *gp = &in->guides[g];
  match_parts p;
  memset(&p, 0, sizeof p);
  for (int i = 0; i < MATCH_NPARTS; i++) p.weight[i] = in->set.weight[i];
  if (lp->exit_flags & MATCH_EXIT_TOPICS) p.weight[MATCH_P_TOPICS] *= 2;
  if (lp->exit_flags & MATCH_EXIT_AVAILABILITY) p.weight[MATCH_P_AVAILABILITY] *= 2;
  if (lp->exit_flags & MATCH_EXIT_STYLE) p.weight[MATCH_P_EXPERIENCE] *= 2;
  if (lp->exit_flags & MATCH_EXIT_CHEMISTRY) p.weight[MATCH_P_ATTRIBUTES] *= 2;

  /* topics, weighted by rank */
  int k = lp->nwants, got = 0, all = 0;
  for (int r = 0; r < k; r++) {
    int w = k - r;
    all += w;
    if (offers(gp, lp->wants[r])) {
      got += w;
      p.topics_met++;
    }
  }
  p.topics_wanted = k;
  p.applies[MATCH_P_TOPICS] = k > 0;
  p.part[MATCH_P_TOPICS] = all ? (got * 100 + all / 2) / all : 0;

  /* availability */
  p.overlap_minutes = match_overlap_minutes(lp, gp);
  int target = 2 * in->set.min_overlap_minutes;
  if (target < 240) target = 240;
  int ov = p.overlap_minutes < target ? p.overlap_minutes : target;
  p.applies[MATCH_P_AVAILABILITY] = true;
  p.part[MATCH_P_AVAILABILITY] = (ov * 100 + target / 2) / target;

  /* language */
  p.first_language = false;
  for (int j = 0; lp->nlangs > 0 && j < gp->nlangs; j++)
    if (gp->langs[j] == lp->langs[0]) p.first_language = true;
  p.applies[MATCH_P_LANGUAGE] = true;
  p.part[MATCH_P_LANGUAGE] = p.first_language ? 100 : 60;

  /* attribute wishes */
  for (int a = 0; a < in->nattrs && a < MATCH_MAX_ATTRS; a++) {
    if (lp->wish[a] == MATCH_WISH_NONE || lp->attr[a] < 0 || gp->attr[a] < 0) continue;
    p.wishes_considered++;
    bool same = lp->attr[a] == gp->attr[a];
    if (same == (lp->wish[a] == MATCH_WISH_SIMILAR)) p.wishes_met++;
  }
  p.applies[MATCH_P_ATTRIBUTES] = p.wishes_considered > 0;
  p.part[MATCH_P_ATTRIBUTES] =
      p.wishes_considered ? (p.wishes_met * 100 + p.wishes_considered / 2) / p.wishes_considered
                          : 0;

  /* experience */
  int ex = gp->experience > 4 ? 4 : gp->experience < 0 ? 0 : gp->experience;
  p.applies[MATCH_P_EXPERIENCE] = true;
  p.part[MATCH_P_EXPERIENCE] = 25 * ex;

  long num = 0, den = 0;
  for (int i = 0; i < MATCH_NPARTS; i++) {
    if (!p.applies[i]) continue;
    num += (long)p.weight[i] * p.part[i];
    den += p.weight[i];
  }
  p.score = den ? (int)((2 * num + den) / (2 * den)) : 0;
  if (parts) *parts = p;
  return p.score;
}

static const char *first_name(const char *name, char *buf, size_t cap) {
  if (!name || !*name) return "they";
  size_t i = 0;
  while (name[i] && name[i] != ' ' && i + 1 < cap) {
    buf[i] = name[i];
    i++;
  }
  buf[i] = 0;
  return buf;
}

int match_explain(const match_instance *in, size_t l, size_t g, const match_parts *p,
                  match_viewer v, strbuf *out) {
  char lb[64], gb[64];
  const char *ln = first_name(in->learners[l].name, lb, sizeof lb);
  const char *gn = first_name(in->guides[g].name, gb, sizeof gb);
  int rc = 0;
  if (p->topics_wanted == 0)
    rc |= sb_printf(out, "%s chose no topics yet", ln);
  else if (p->topics_met == 0)
    rc |= sb_printf(out, "none of %s's %d topic%s %s among %s's strengths", ln, p->topics_wanted,
                    p->topics_wanted == 1 ? "" : "s", p->topics_wanted == 1 ? "is" : "are", gn);
  else
    rc |= sb_printf(out, "%d of %s's %d topic%s %s %s's strengths", p->topics_met, ln,
                    p->topics_wanted, p->topics_wanted == 1 ? "" : "s",
                    p->topics_met == 1 ? "is" : "are", gn);
  int h = p->overlap_minutes / 60, m = p->overlap_minutes % 60;
  if (m)
    rc |= sb_printf(out, "; %d h %d min a week overlap", h, m);
  else
    rc |= sb_printf(out, "; %d hour%s a week overlap", h, h == 1 ? "" : "s");
  rc |= sb_printf(out, p->first_language ? "; %s's first language is shared"
                                         : "; a shared language, not %s's first",
                  ln);
  int ex = in->guides[g].experience;
  if (ex == 0)
    rc |= sb_printf(out, "; %s is new to guiding in this program", gn);
  else
    rc |= sb_printf(out, "; %s has guided %d relationship%s here", gn, ex, ex == 1 ? "" : "s");
  if (v == MATCH_VIEW_LEARNER) {
    const match_person *lp = &in->learners[l], *gp = &in->guides[g];
    for (int a = 0; a < in->nattrs && a < MATCH_MAX_ATTRS; a++) {
      if (lp->wish[a] == MATCH_WISH_NONE || lp->attr[a] < 0 || gp->attr[a] < 0) continue;
      bool same = lp->attr[a] == gp->attr[a];
      bool similar = lp->wish[a] == MATCH_WISH_SIMILAR;
      const char *an = in->attr_names ? in->attr_names[a] : "attribute";
      if (same == similar)
        rc |= sb_printf(out, "; %s %s, as %s asked", similar ? "the same" : "a different", an, ln);
      else
        rc |= sb_printf(out, "; not %s %s %s asked for", similar ? "the same" : "a different", an,
                        ln);
    }
    if (lp->exit_flags)
      rc |= sb_printf(out, "; what did not fit last time counts double");
  }
  return rc ? -1 : 0;
}

/* ---- assignments ---- */

void match_result_summarise(const match_instance *in, match_result *r) {
  r->matched = 0;
  r->total = 0;
  r->minimum = 0;
  for (size_t l = 0; l < in->nl; l++) {
    if (r->guide_of[l] < 0) continue;
    int s = r->score_of[l];
    if (r->matched == 0 || s < r->minimum) r->minimum = s;
    r->matched++;
    r->total += s;
  }
}

void match_greedy(const match_instance *in, match_result *out) {
  int *left = calloc(in->ng ? in->ng : 1, sizeof *left);
  if (!left) abort();
  for (size_t g = 0; g < in->ng; g++) left[g] = in->guides[g].capacity;
  out->candidate_pairs = 0;
  for (size_t l = 0; l < in->nl; l++) {
    int best = -1, bests = -1;
    for (size_t g = 0; g < in->ng; g++) {
      if (left[g] <= 0 || match_check(in, l, g) != MATCH_FIT) continue;
      int s = match_score(in, l, g, NULL);
      if (s > bests) {
        bests = s;
        best = (int)g;
      }
    }
    out->guide_of[l] = best;
    out->score_of[l] = best >= 0 ? bests : 0;
    if (best >= 0) left[best]--;
  }
  free(left);
  match_result_summarise(in, out);
  out->threshold = 0;
}

int64_t match_blocking_pairs(const match_instance *in, const match_result *r) {
  /* per guide: learners held and the lowest score among them */
  int *held = calloc(in->ng ? in->ng : 1, sizeof *held);
  int *lowest = calloc(in->ng ? in->ng : 1, sizeof *lowest);
  if (!held || !lowest) abort();
  for (size_t g = 0; g < in->ng; g++) lowest[g] = 101;
  for (size_t l = 0; l < in->nl; l++) {
    int g = r->guide_of[l];
    if (g < 0) continue;
    held[g]++;
    if (r->score_of[l] < lowest[g]) lowest[g] = r->score_of[l];
  }
  int64_t n = 0;
  for (size_t l = 0; l < in->nl; l++) {
    int own = r->guide_of[l] >= 0 ? r->score_of[l] : -1;
    for (size_t g = 0; g < in->ng; g++) {
      if ((int)g == r->guide_of[l] || match_check(in, l, g) != MATCH_FIT) continue;
      int s = match_score(in, l, g, NULL);
      if (s <= own) continue;
      bool free_place = held[g] < in->guides[g].capacity;
      if (free_place || s > lowest[g]) n++;
    }
  }
  free(held);
  free(lowest);
  return n;
}

match_reason match_unmatched_reason(const match_instance *in, const match_result *r, size_t l,
                                    int counts[MATCH_NREASONS]) {
  int local[MATCH_NREASONS] = {0};
  (void)r;
  bool fits = false;
  for (size_t g = 0; g < in->ng; g++) {
    match_reason why = match_check(in, l, g);
    if (why == MATCH_FIT) fits = true;
    else local[why]++;
  }
  if (counts) memcpy(counts, local, sizeof local);
  if (fits) return MATCH_CAPACITY;
  if (in->ng == 0) return MATCH_CAPACITY;
  match_reason best = MATCH_SELF;
  for (int i = MATCH_SELF; i < MATCH_NREASONS; i++)
    if (local[i] > local[best]) best = (match_reason)i;
  return best;
}

size_t match_top(const match_instance *in, size_t l, size_t k, uint32_t *idx, int *scores) {
  size_t n = 0;
  if (k == 0) return 0;
  for (size_t g = 0; g < in->ng; g++) {
    if (in->guides[g].capacity <= 0 || match_check(in, l, g) != MATCH_FIT) continue;
    int s = match_score(in, l, g, NULL);
    if (n == k && s <= scores[k - 1]) continue;
    size_t i = n < k ? n++ : k - 1;
    while (i > 0 && scores[i - 1] < s) {
      scores[i] = scores[i - 1];
      idx[i] = idx[i - 1];
      i--;
    }
    scores[i] = s;
    idx[i] = (uint32_t)g;
  }
  return n;
}
