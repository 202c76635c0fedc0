/* bench_trust_cusum.c: the CUSUM run-length simulation of TRUST-MODEL.md 8.
 *
 * 100,000 series of N(0,1) pulse z-scores per case, through
 * trust_cusum_step with k = 0.5: the in-control average run length must be
 * within 10% of 930 (h = 5) and 336 (h = 4), and after a 1-sigma drop
 * within 10% of 10.4 and 8.4. Deterministic (xoshiro256** seeded fixed,
 * polar Box-Muller). Prints each ARL with its standard error and the time
 * taken; exits 1 when a case is out of bounds.
 *
 * Usage: bench_trust_cusum [series per case, default 100000]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim_rng.h"
#include "trust/trust_change.h"

typedef struct arl_case {
  const char *name;
  double shift, h, want;
} arl_case;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  long series = 100000;
  if (argc > 1) {
    char *end;
    series = strtol(argv[1], &end, 10);
    if (*end || series < 1) {
      fprintf(stderr, "usage: %s [series per case]\n", argv[0]);
      return 2;
    }
  }
  static const arl_case cases[] = {
      {"in control, h = 5", 0.0, 5.0, 930.0},
      {"in control, h = 4", 0.0, 4.0, 336.0},
      {"1-sigma drop, h = 5", -1.0, 5.0, 10.4},
      {"1-sigma drop, h = 4", -1.0, 4.0, 8.4},
  };
  sim_rng rng;
  sim_seed(&rng, 20260301);
  int bad = 0;
  double t_all = now_s();
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    double t0 = now_s(), sum = 0, sum2 = 0, steps = 0;
    for (long i = 0; i < series; i++) {
      double s = 0;
      long n = 0;
      do n++;
      while (!trust_cusum_step(&s, sim_normal(&rng) + cases[c].shift, 0.5, cases[c].h));
      sum += (double)n;
      sum2 += (double)n * (double)n;
      steps += (double)n;
    }
    double arl = sum / (double)series;
    double se = sqrt((sum2 / (double)series - arl * arl) / (double)series);
    double dt = now_s() - t0;
    int ok = fabs(arl - cases[c].want) <= 0.1 * cases[c].want;
    bad |= !ok;
    printf("%-22s ARL %8.2f (se %.2f; model %.1f, within 10%%: %s)  %.0f steps in %.2f s\n",
           cases[c].name, arl, se, cases[c].want, ok ? "yes" : "NO", steps, dt);
  }
  printf("total %.2f s for %ld series per case\n", now_s() - t_all, series);
  return bad;
}
