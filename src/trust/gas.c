/* gas.c: see gas.h. */
#include "trust/gas.h"

#include <assert.h>
#include <math.h>

double trust_gas_t(const double *weights, const int *levels, size_t n, double rho) {
  double wx = 0, w2 = 0, w = 0;
  for (size_t i = 0; i < n; i++) {
    assert(weights[i] > 0 && levels[i] >= -2 && levels[i] <= 2);
    wx += weights[i] * levels[i];
    w2 += weights[i] * weights[i];
    w += weights[i];
  }
  if (n == 0) return 50.0;
  return 50.0 + 10.0 * wx / sqrt((1.0 - rho) * w2 + rho * w * w);
}

double trust_gas_evidence(double t) {
  double v = (t - 30.0) / 20.0;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
