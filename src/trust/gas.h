/* gas.h: Goal Attainment Scaling (Kiresuk & Sherman), TRUST-MODEL.md 3.5.
 *
 *   T = 50 + 10 * sum(w_i x_i) / sqrt((1 - rho) sum(w_i^2) + rho (sum w_i)^2)
 *
 * with levels x_i in -2..+2 (0 = the expected outcome), weights w_i > 0 and
 * rho = 0.3 (TRUST_GAS_RHO). Pure arithmetic.
 */
#ifndef RAPPORT_TRUST_GAS_H
#define RAPPORT_TRUST_GAS_H

#include <stddef.h>

#define TRUST_GAS_RHO 0.3

/* The T score of n goals; 50 when n is 0. */
double trust_gas_t(const double *weights, const int *levels, size_t n, double rho);
/* The COM evidence value of a review: clamp((T - 30) / 20, 0, 1), so a
 * review at the expected outcome (T = 50) is a success (v = 1), one
 * standard deviation below it (T = 40) half of one, and T <= 30 none.
 * (The model's (T - 30) / 40 gave the expected outcome 0.5, so a pair on
 * track read as half failing: docs/trust-model.md.) */
double trust_gas_evidence(double t);

#endif
