/* sim_rng.h: a small deterministic random source for the trust engine's
 * simulations (unit tests and bench/trust/), header-only.
 *
 * xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64; uniform
 * doubles on [0,1) from the top 53 bits; standard normals by the polar
 * Box-Muller method (Marsaglia), both values of each pair used. Same seed,
 * same sequence, on every platform with IEEE doubles and a C11 libm.
 */
#ifndef RAPPORT_TESTS_SIM_RNG_H
#define RAPPORT_TESTS_SIM_RNG_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct sim_rng {
  uint64_t s[4];
  double spare;
  bool has_spare;
} sim_rng;

static inline uint64_t sim_rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t sim_splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline void sim_seed(sim_rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) r->s[i] = sim_splitmix(&seed);
  r->has_spare = false;
  r->spare = 0;
}

static inline uint64_t sim_next(sim_rng *r) {
  uint64_t *s = r->s;
  uint64_t out = sim_rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = sim_rotl(s[3], 45);
  return out;
}

/* Uniform on [0, 1). */
static inline double sim_uniform(sim_rng *r) {
  return (double)(sim_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), 0 < n <= 2^32 (by scaling a uniform double;
 * the bias is below 2^-20, plenty for shuffles and test data). */
static inline uint64_t sim_below(sim_rng *r, uint64_t n) {
  uint64_t k = (uint64_t)(sim_uniform(r) * (double)n);
  return k < n ? k : n - 1;
}

/* Standard normal. */
static inline double sim_normal(sim_rng *r) {
  if (r->has_spare) {
    r->has_spare = false;
    return r->spare;
  }
  double u, v, q;
  do {
    u = 2.0 * sim_uniform(r) - 1.0;
    v = 2.0 * sim_uniform(r) - 1.0;
    q = u * u + v * v;
  } while (q >= 1.0 || q == 0.0);
  double f = sqrt(-2.0 * log(q) / q);
  r->spare = v * f;
  r->has_spare = true;
  return u * f;
}

#endif
