/* f360.c: the rules of 360-degree feedback (see f360.h). */
#include "domain/f360.h"

#include <stdio.h>
#include <string.h>

static const f360_item ITEMS[F360_NITEM] = {
    {"REL1", "REL", "follows through on what they say they will do", "keep-or-renegotiate"},
    {"REL2", "REL", "replies within the time they agreed", "reply-within-window"},
    {"INT1", "INT", "is straight with people, even when it is uncomfortable",
     "balance-feedback"},
    {"INT2", "INT", "keeps what is shared with them in confidence", "restate-confidentiality"},
    {"COM1", "COM", "helps others move forward on their goals", "set-smart-goals"},
    {"EMP1", "EMP", "tries to understand a situation before advising", "ask-for-feedback"},
    {"EMP2", "EMP", "makes it safe to raise a concern or disagree", "respond-to-concern"},
};

static const char *const GROUPS[F360_NGROUP] = {"guide", "peers", "colleagues", "others"};

const f360_item *f360_item_at(size_t i) { return i < F360_NITEM ? &ITEMS[i] : NULL; }

const char *f360_group_name(f360_group g) {
  return (unsigned)g < F360_NGROUP ? GROUPS[g] : "others";
}

bool f360_group_parse(const char *s, f360_group *out) {
  for (int i = 0; s && i < F360_NGROUP; i++) {
    if (strcmp(s, GROUPS[i]) == 0) {
      *out = (f360_group)i;
      return true;
    }
  }
  return false;
}

rp_rc f360_ratings_check(const int *ratings, bool self, rp_err *e) {
  int rated = 0;
  for (int i = 0; i < F360_NITEM; i++) {
    if (ratings[i] < 0 || ratings[i] > 5) {
      char ptr[32];
      snprintf(ptr, sizeof ptr, "/ratings/%d", i);
      rp_field(e, ptr, "A rating is 1 to 5, or 0 for \"can't say\".");
      return RP_ERR_INVALID;
    }
    rated += ratings[i] > 0;
  }
  if (self && rated == 0) {
    rp_field(e, "/ratings", "Rate yourself on at least one item.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

/* A cell's units: its members, or its outside raters when it has none. */
static size_t units_of(const f360_cell *c) { return c->members ? c->members : c->outsiders; }

/* The units of a whole group: members who answered, else outsiders. */
static size_t group_units(const f360_answer *a, size_t n, f360_group g) {
  size_t members = 0, outsiders = 0;
  for (size_t i = 0; i < n; i++) {
    if (a[i].group != g) continue;
    if (a[i].member) members++;
    else outsiders++;
  }
  return members ? members : outsiders;
}

static void add(f360_cell *c, const f360_answer *a, int x) {
  if (a->member) c->members++;
  else c->outsiders++;
  c->mean += x; /* a sum until divided */
}

void f360_figure(const f360_answer *answers, size_t n, const int *self, size_t k,
                 f360_figures *out) {
  memset(out, 0, sizeof *out);
  out->k = k < F360_K_MIN ? F360_K_MIN : k;
  for (int g = 0; g < F360_OTHER; g++) {
    size_t u = group_units(answers, n, (f360_group)g);
    out->merged[g] = u > 0 && u < out->k;
  }
  for (size_t i = 0; i < n; i++) {
    f360_group g = answers[i].group;
    if ((unsigned)g >= F360_NGROUP || out->merged[g]) g = F360_OTHER;
    size_t row = F360_ROW(g);
    out->answers[F360_ALL]++;
    out->answers[row]++;
    for (int j = 0; j < F360_NITEM; j++) {
      int x = answers[i].ratings[j];
      if (x < 1 || x > 5) continue;
      add(&out->cell[F360_ALL][j], &answers[i], x);
      add(&out->cell[row][j], &answers[i], x);
    }
  }
  kanon_cell m[F360_NROW * F360_NITEM];
  for (size_t r = 0; r < F360_NROW; r++)
    for (size_t j = 0; j < F360_NITEM; j++)
      m[r * F360_NITEM + j] = (kanon_cell){units_of(&out->cell[r][j]), KANON_SHOWN};
  kanon_suppress(m, F360_NROW, F360_NITEM, out->k, NULL, NULL);
  for (size_t r = 0; r < F360_NROW; r++) {
    for (size_t j = 0; j < F360_NITEM; j++) {
      f360_cell *c = &out->cell[r][j];
      size_t raters = c->members + c->outsiders;
      c->k = m[r * F360_NITEM + j];
      c->mean = c->k.hidden == KANON_SHOWN && raters ? c->mean / (double)raters : 0;
      out->shown[r] |= c->k.hidden == KANON_SHOWN;
    }
  }
  for (int j = 0; self && j < F360_NITEM; j++) {
    const f360_cell *c = &out->cell[F360_ALL][j];
    if (self[j] < 1 || self[j] > 5 || c->k.hidden != KANON_SHOWN) continue;
    out->has_gap[j] = true;
    out->gap[j] = (double)self[j] - c->mean;
  }
}

size_t f360_reflection(const f360_figures *f, const int *self, size_t out[F360_REFLECT_ITEMS]) {
  double score[F360_NITEM];
  bool any = false;
  for (int j = 0; j < F360_NITEM; j++) {
    const f360_cell *c = &f->cell[F360_ALL][j];
    score[j] = c->k.hidden == KANON_SHOWN ? c->mean : 6;
    any |= c->k.hidden == KANON_SHOWN;
  }
  if (!any)
    for (int j = 0; j < F360_NITEM; j++)
      score[j] = self && self[j] >= 1 && self[j] <= 5 ? self[j] : 6;
  size_t n = 0;
  bool used[F360_NITEM] = {false};
  while (n < F360_REFLECT_ITEMS) {
    int best = -1;
    for (int j = 0; j < F360_NITEM; j++)
      if (!used[j] && score[j] < 4 && (best < 0 || score[j] < score[best])) best = j;
    if (best < 0) break;
    used[best] = true;
    out[n++] = (size_t)best;
  }
  return n;
}

bool f360_rerate_blocked(long long invited, long long now) {
  return now - invited < (long long)F360_RERATE_DAYS * 86400;
}
