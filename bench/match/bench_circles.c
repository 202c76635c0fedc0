/* bench_circles.c: the matcher's proposals of peer circles on a large
 * program, on one core.
 *
 *   bench_circles [--members N] [--size K] [--seed S] [--guides G] [--passes P]
 *
 * Generates a program of N members (10 topics, each member wanting 1 to 4;
 * five languages, most people speak the first; three regions of time
 * zones, each member free on 3 to 5 weekdays for 2 to 4 hours of local
 * working time; three attributes; one block per 50 members and one
 * reporting line per 10, with the manager in the program; a minimum
 * common overlap of an hour) and G guides, then forms as many circles of
 * K as fit, with overlapping topics and mixed attributes asked for and a
 * facilitator per circle. Prints the circles formed of those that fit,
 * the total after greedy seeding (the baseline, measured in the same run)
 * and after the swaps, the passes and swaps, and the CPU time; checks
 * every circle against the hard constraints again.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/circle_match.h"

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}
static int between(int lo, int hi) { return lo + (int)(next() % (uint64_t)(hi - lo + 1)); }

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A member of one of three regions, free a few weekdays of local hours. */
static void member(match_person *p, int64_t id) {
  memset(p, 0, sizeof *p);
  p->id = id;
  p->name = "Member";
  if (between(1, 100) <= 85) p->langs[p->nlangs++] = 0;
  if (p->nlangs == 0 || between(1, 100) <= 35) p->langs[p->nlangs++] = (uint16_t)between(1, 4);
  int utc_offset = (int[]){-300, 60, 330}[between(0, 2)];
  int days = between(3, 5), start[5], end[5];
  for (int d = 0; d < days; d++) {
    int from = d * 1440 + between(9, 13) * 60 - utc_offset;
    if (from < 0) from += 10080;
    int len = between(4, 8) * 30;
    if (from + len > 10080) from = 10080 - len;
    start[d] = from;
    end[d] = from + len;
  }
  match_avail_set(p->avail, start, end, (size_t)days);
  for (int k = between(1, 4); k > 0; k--) p->wants[p->nwants++] = (uint16_t)between(0, 9);
  for (int a = 0; a < MATCH_MAX_ATTRS; a++) p->attr[a] = a < 3 ? (int16_t)between(0, 3 + a) : -1;
  p->taking_new = true;
}

int main(int argc, char **argv) {
  int n = 1000, size = 5, ng = 100, passes = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--members")) n = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--size")) size = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--guides")) ng = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--passes")) passes = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seed")) state = strtoull(argv[i + 1], NULL, 10) * 2654435761u + 1;
  }
  match_person *people = calloc((size_t)n, sizeof *people);
  match_person *guides = calloc((size_t)ng + 1, sizeof *guides);
  cm_apart *apart = calloc((size_t)n, sizeof *apart);
  if (!people || !guides || !apart) return 1;
  for (int i = 0; i < n; i++) member(&people[i], i + 1);
  for (int g = 0; g < ng; g++) {
    member(&guides[g], n + g + 1);
    for (int k = 0; k < 3; k++) guides[g].offers[0] |= (uint64_t)1 << between(0, 9);
  }
  size_t na = 0;
  for (int i = 0; i < n / 50; i++) apart[na++] = (cm_apart){between(1, n), between(1, n)};
  for (int i = 0; i < n / 10; i++) apart[na++] = (cm_apart){between(1, n), between(1, n)};
  cm_instance in = {.people = people, .n = (size_t)n, .guides = guides, .ng = (size_t)ng,
                    .apart = apart, .nattrs = 3, .min_overlap_minutes = 60,
                    .weight = {40, 20, 15}};
  in.napart = cm_apart_sort(apart, na);
  cm_count_values(&in);
  cm_request req = {.size = size, .overlap_topics = true, .mix_attributes = true,
                    .facilitator = true, .seed = 1, .max_passes = passes};
  cm_result r;
  double t0 = cpu_s();
  if (cm_form(&in, &req, &r)) return 1;
  double t1 = cpu_s();
  int broken = 0, facilitated = 0;
  for (size_t c = 0; c < r.ncircles; c++) {
    broken += cm_check(&in, r.circles[c].member, r.circles[c].nmembers) != CM_FIT;
    facilitated += r.circles[c].facilitator >= 0;
  }
  printf("members %d, circles of %d: %zu formed of %zu that fit; %d with a facilitator of %d "
         "guides\n",
         n, size, r.ncircles, r.target, facilitated, ng);
  printf("total score: seeding %lld, after swaps %lld (+%.1f%%); mean %.1f per circle\n",
         (long long)r.seeded, (long long)r.total,
         r.seeded ? 100.0 * (double)(r.total - r.seeded) / (double)r.seeded : 0.0,
         r.ncircles ? (double)r.total / (double)r.ncircles : 0.0);
  printf("passes %d (%s), swaps %lld; circles breaking a constraint: %d\n", r.passes,
         r.converged ? "converged" : "stopped", (long long)r.swaps, broken);
  printf("CPU time %.2f s\n", t1 - t0);
  cm_result_free(&r);
  free(people);
  free(guides);
  free(apart);
  return broken ? 1 : 0;
}
