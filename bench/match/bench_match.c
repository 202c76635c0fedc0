/* bench_match.c: the matcher on a large program, on one core.
 *
 *   bench_match [--learners N] [--guides N] [--seed S] [--rounds R] [--top-only]
 *
 * Generates a realistic program (10 topics; learners want 1 to 5 ranked,
 * guides offer 2 to 5; five languages, most people speak the first; three
 * regions of time zones with 2 to 4 weekday windows of 1 to 3 hours in
 * local working hours; three attributes with a wish from about a third of
 * learners; capacities 1 to 5, one guide in ten not taking new learners;
 * one conflict of interest per 20 learners and one block per 50; a minimum
 * overlap of one hour), then times: the greedy assignment, the optimum in
 * plain mode, the optimum in fairness mode, and the top five suggestions
 * for learners one at a time (the median and the slowest of R learners);
 * --top-only times the suggestions alone (for a program of many guides).
 * Prints the totals side by side: what optimising buys over greedy. Times
 * are the process's CPU time (one thread), so other load on the machine
 * does not count.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/match.h"

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}
static int rint_(int lo, int hi) { return lo + (int)(rnd() % (uint64_t)(hi - lo + 1)); }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill_common(match_person *p, int64_t id) {
  memset(p, 0, sizeof *p);
  p->id = id;
  p->name = "Person";
  p->nlangs = 0;
  if (rint_(1, 100) <= 85) p->langs[p->nlangs++] = 0;
  if (p->nlangs == 0 || rint_(1, 100) <= 35) p->langs[p->nlangs++] = (uint16_t)rint_(1, 4);
  int offset = (int[]){-300, 60, 330}[rint_(0, 2)]; /* minutes from UTC */
  int nw = rint_(2, 4), s[4], e[4];
  for (int i = 0; i < nw; i++) {
    int day = rint_(0, 4), start = rint_(8, 16) * 60, len = rint_(2, 6) * 30;
    int at = day * 1440 + start - offset;
    if (at < 0) at += 10080;
    if (at + len > 10080) at = 10080 - len;
    s[i] = at;
    e[i] = at + len;
  }
  match_avail_set(p->avail, s, e, (size_t)nw);
  for (int a = 0; a < MATCH_MAX_ATTRS; a++) p->attr[a] = a < 3 ? (int16_t)rint_(0, 4 + a) : -1;
}

int main(int argc, char **argv) {
  int nl = 5000, ng = 1000, rounds = 200;
  bool top_only = false;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--top-only")) top_only = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--top-only")) {
      i--;
      continue;
    }
    if (!strcmp(argv[i], "--learners")) nl = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--guides")) ng = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed")) rng_state = strtoull(argv[i + 1], NULL, 10) * 2654435761u + 1;
    else if (!strcmp(argv[i], "--rounds")) rounds = atoi(argv[i + 1]);
  }
  match_person *L = calloc((size_t)nl, sizeof *L), *G = calloc((size_t)ng, sizeof *G);
  for (int l = 0; l < nl; l++) {
    fill_common(&L[l], l + 1);
    int k = rint_(1, 5);
    for (int i = 0; i < k; i++) {
      uint16_t t;
      int dup;
      do {
        t = (uint16_t)rint_(0, 9);
        dup = 0;
        for (int j = 0; j < i; j++) dup |= L[l].wants[j] == t;
      } while (dup);
      L[l].wants[i] = t;
    }
    L[l].nwants = k;
    for (int a = 0; a < 3; a++)
      if (rint_(1, 100) <= 33) L[l].wish[a] = (uint8_t)rint_(1, 2);
  }
  int64_t capacity = 0;
  for (int g = 0; g < ng; g++) {
    fill_common(&G[g], 100000 + g);
    int k = rint_(2, 5);
    for (int i = 0; i < k; i++) {
      unsigned t = (unsigned)rint_(0, 9);
      G[g].offers[0] |= (uint64_t)1 << t;
    }
    G[g].capacity = rint_(1, 5);
    G[g].taking_new = rint_(1, 10) > 1;
    G[g].experience = rint_(0, 6);
    if (G[g].taking_new) capacity += G[g].capacity;
  }
  size_t nf = (size_t)(nl / 20 + nl / 50);
  match_forbid *F = calloc(nf ? nf : 1, sizeof *F);
  for (size_t i = 0; i < nf; i++)
    F[i] = (match_forbid){(uint32_t)rint_(0, nl - 1), (uint32_t)rint_(0, ng - 1),
                          i < (size_t)(nl / 20) ? MATCH_CONFLICT : MATCH_BLOCKED};
  nf = match_forbid_sort(F, nf);
  static const char *const attrs[] = {"department", "location", "career stage"};
  match_instance in = {.learners = L, .nl = (size_t)nl, .guides = G, .ng = (size_t)ng,
                       .forbid = F, .nforbid = nf, .set = match_settings_default(),
                       .nattrs = 3, .attr_names = attrs};
  int32_t *go = calloc((size_t)nl, sizeof *go);
  int *so = calloc((size_t)nl, sizeof *so);
  match_result r = {.guide_of = go, .score_of = so};

  printf("program: %d learners x %d guides, %lld places with guides taking new learners\n", nl,
         ng, (long long)capacity);
  double t0;
  if (top_only) goto top;
  t0 = now_s();
  match_greedy(&in, &r);
  double tg = now_s() - t0;
  int64_t g_total = r.total, g_matched = r.matched;
  int g_min = r.minimum;
  int64_t g_block = match_blocking_pairs(&in, &r);

  t0 = now_s();
  if (match_solve(&in, &r)) return fprintf(stderr, "solver failed\n"), 1;
  double tp = now_s() - t0;
  int64_t p_block = match_blocking_pairs(&in, &r);
  printf("candidate pairs (every hard constraint met): %lld of %lld\n",
         (long long)r.candidate_pairs, (long long)nl * ng);
  printf("%-10s %8s %8s %10s %8s %10s\n", "mode", "seconds", "matched", "total", "minimum",
         "blocking");
  printf("%-10s %8.2f %8lld %10lld %8d %10lld\n", "greedy", tg, (long long)g_matched,
         (long long)g_total, g_min, (long long)g_block);
  printf("%-10s %8.2f %8lld %10lld %8d %10lld\n", "optimum", tp, (long long)r.matched,
         (long long)r.total, r.minimum, (long long)p_block);
  in.set.fairness = true;
  t0 = now_s();
  if (match_solve(&in, &r)) return fprintf(stderr, "solver failed\n"), 1;
  double tf = now_s() - t0;
  printf("%-10s %8.2f %8lld %10lld %8d %10lld\n", "fairness", tf, (long long)r.matched,
         (long long)r.total, r.minimum, (long long)match_blocking_pairs(&in, &r));

top:;
  /* top five among the guides, one learner at a time */
  match_instance big = in;
  double *times = calloc((size_t)rounds, sizeof *times);
  for (int i = 0; i < rounds; i++) {
    uint32_t idx[5];
    int sc[5];
    t0 = now_s();
    match_top(&big, (size_t)(i % nl), 5, idx, sc);
    times[i] = now_s() - t0;
  }
  for (int i = 1; i < rounds; i++)
    for (int j = i; j > 0 && times[j - 1] > times[j]; j--) {
      double x = times[j];
      times[j] = times[j - 1];
      times[j - 1] = x;
    }
  printf("top five among %d guides: median %.3f ms, slowest %.3f ms (%d learners)\n", ng,
         times[rounds / 2] * 1e3, times[rounds - 1] * 1e3, rounds);
  return 0;
}
