/* bench_trust_throughput.c: the trust engine's arithmetic over an
 * in-memory array of evidence items (default 100,000 relationships x 200
 * items = 20 M items, 800 MB), on one core.
 *
 * Measures, each over the whole array:
 *   add (time order)     zero a relationship's trust_state, add its 200
 *                        items in time order (trust_state_add)
 *   add (shuffled)       the same with each relationship's items shuffled
 *                        (every other add is out of order)
 *   add + score          add, then score both directions at now
 *                        (trust_score without intervals)
 *   score + intervals    both directions with the 80% intervals (per
 *                        relationship, on the states built above)
 *   explain top 3        trust_explain_top for all 8 (party, component)
 * and prints items (or relationships) per second. Target: >= 10 M items/s
 * for add.
 *
 * Usage: bench_trust_throughput [relationships [items each]]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_rng.h"
#include "trust/trust_evidence.h"
#include "trust/trust_explain.h"
#include "trust/trust_index.h"

#define T0 ((int64_t)1735689600) /* 2025-01-01 */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long arg_long(const char *s, const char *what) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v < 1) {
    fprintf(stderr, "bad %s: %s\n", what, s);
    exit(2);
  }
  return v;
}

/* Items of one relationship over about two years, in time order: mostly
 * good behaviour, some misses, pulses every few weeks. */
static void make_items(sim_rng *rng, trust_item *it, size_t n, int64_t first_id) {
  int64_t t = T0 + (int64_t)sim_below(rng, 30 * 86400);
  for (size_t i = 0; i < n; i++) {
    t += (int64_t)sim_below(rng, 7 * 86400);
    trust_item *x = &it[i];
    memset(x, 0, sizeof *x);
    x->source_id = first_id + (int64_t)i;
    x->t = t;
    x->about = (uint8_t)sim_below(rng, TRUST_NPARTY);
    x->comp = (uint8_t)sim_below(rng, TRUST_NCOMP);
    x->source = (uint8_t)(sim_below(rng, 4) == 0 ? TRUST_SRC_PULSE : TRUST_SRC_BEHAVIOUR);
    double u = sim_uniform(rng);
    x->v = u < 0.75 ? 1.0 : u < 0.85 ? 0.75 : u < 0.93 ? 0.5 : 0.0;
    x->w = x->source == TRUST_SRC_PULSE ? 2.0 : (sim_below(rng, 10) == 0 ? 2.0 : 1.0);
    x->reason = 1;
  }
}

int main(int argc, char **argv) {
  size_t nrel = argc > 1 ? (size_t)arg_long(argv[1], "relationships") : 100000;
  size_t per = argc > 2 ? (size_t)arg_long(argv[2], "items") : 200;
  size_t total = nrel * per;
  trust_item *items = malloc(total * sizeof *items);
  trust_state *states = malloc(nrel * sizeof *states);
  if (!items || !states) {
    fprintf(stderr, "out of memory for %zu items\n", total);
    return 1;
  }
  sim_rng rng;
  sim_seed(&rng, 1);
  double t0 = now_s();
  for (size_t r = 0; r < nrel; r++) make_items(&rng, items + r * per, per, (int64_t)(r * per + 1));
  printf("generated %zu items (%zu relationships x %zu, %zu bytes each) in %.2f s\n", total, nrel,
         per, sizeof(trust_item), now_s() - t0);
  printf("sizeof trust_sums %zu, trust_state %zu, trust_dir_score %zu\n", sizeof(trust_sums),
         sizeof(trust_state), sizeof(trust_dir_score));

  trust_settings cfg = trust_settings_default();
  int64_t now = items[per - 1].t + 86400;
  double check = 0;

  /* add, in time order */
  t0 = now_s();
  for (size_t r = 0; r < nrel; r++) {
    memset(&states[r], 0, sizeof states[r]);
    const trust_item *it = items + r * per;
    for (size_t i = 0; i < per; i++) trust_state_add(&states[r], &cfg, &it[i]);
  }
  double dt = now_s() - t0;
  for (size_t r = 0; r < nrel; r += 97) check += states[r].main[0][0][0].r;
  printf("add (time order)    %10.2f M items/s  (%.3f s, %.1f ns/item)\n", (double)total / dt / 1e6,
         dt, dt / (double)total * 1e9);

  /* add + score both directions */
  trust_dir_score sc;
  t0 = now_s();
  for (size_t r = 0; r < nrel; r++) {
    trust_state st;
    memset(&st, 0, sizeof st);
    const trust_item *it = items + r * per;
    for (size_t i = 0; i < per; i++) trust_state_add(&st, &cfg, &it[i]);
    int64_t at = it[per - 1].t + 86400;
    for (int p = 0; p < TRUST_NPARTY; p++) {
      trust_score(&st, &cfg, (trust_party)p, at, false, &sc);
      check += sc.index;
    }
  }
  dt = now_s() - t0;
  printf("add + score         %10.2f M items/s  (%.3f s; %.0f relationships/s)\n",
         (double)total / dt / 1e6, dt, (double)nrel / dt);

  /* score with intervals, both directions */
  size_t nscore = nrel < 20000 ? nrel : 20000;
  t0 = now_s();
  for (size_t r = 0; r < nscore; r++) {
    int64_t at = items[r * per + per - 1].t + 86400;
    for (int p = 0; p < TRUST_NPARTY; p++) {
      trust_score(&states[r], &cfg, (trust_party)p, at, true, &sc);
      check += sc.comp[0].low;
    }
  }
  dt = now_s() - t0;
  printf("score + intervals   %10.0f relationships/s (both directions, 8 intervals; %.1f us each)\n",
         (double)nscore / dt, dt / (double)nscore * 1e6);

  /* explain: top 3 for every party and component */
  size_t nexp = nrel < 20000 ? nrel : 20000;
  trust_contrib top[3];
  t0 = now_s();
  for (size_t r = 0; r < nexp; r++) {
    const trust_item *it = items + r * per;
    int64_t at = it[per - 1].t + 86400;
    for (int p = 0; p < TRUST_NPARTY; p++)
      for (int c = 0; c < TRUST_NCOMP; c++) {
        size_t k = trust_explain_top(it, per, &cfg, (trust_party)p, (trust_comp)c, at,
                                     TRUST_RANK_IMPACT, 3, top);
        check += k ? top[0].delta : 0;
      }
  }
  dt = now_s() - t0;
  printf("explain top 3 x 8   %10.0f relationships/s (%.1f M item-visits/s)\n", (double)nexp / dt,
         (double)nexp * (double)per * 8 * 2 / dt / 1e6);

  /* add, shuffled within each relationship */
  for (size_t r = 0; r < nrel; r++) {
    trust_item *it = items + r * per;
    for (size_t i = per - 1; i > 0; i--) {
      size_t j = (size_t)sim_below(&rng, i + 1);
      trust_item tmp = it[i];
      it[i] = it[j];
      it[j] = tmp;
    }
  }
  t0 = now_s();
  double worst = 0;
  for (size_t r = 0; r < nrel; r++) {
    trust_state st;
    memset(&st, 0, sizeof st);
    const trust_item *it = items + r * per;
    for (size_t i = 0; i < per; i++) trust_state_add(&st, &cfg, &it[i]);
    /* Same sums as the in-order build, to rounding. */
    trust_rs a = trust_state_rs(&st, &cfg, TRUST_GUIDE, TRUST_REL, TRUST_SRC_MASK_ALL, now + 400 * 86400);
    trust_rs b = trust_state_rs(&states[r], &cfg, TRUST_GUIDE, TRUST_REL, TRUST_SRC_MASK_ALL, now + 400 * 86400);
    double d = fabs(a.r - b.r) / (b.r > 0 ? b.r : 1);
    worst = d > worst ? d : worst;
  }
  dt = now_s() - t0;
  printf("add (shuffled)      %10.2f M items/s  (%.3f s; worst relative gap to in-order %.2g)\n",
         (double)total / dt / 1e6, dt, worst);
  printf("checksum %.6g\n", check);
  free(items);
  free(states);
  return worst < 1e-9 ? 0 : 1;
}
