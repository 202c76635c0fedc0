/* trust_beta.c: see trust_beta.h. */
#include "trust/trust_beta.h"

#include <assert.h>
#include <float.h>
#include <math.h>

#define PI_ 3.14159265358979323846
#define LN_SQRT_2PI 0.91893853320467274178
#define CF_EPS 1e-16
#define CF_TINY 1e-300
#define CF_MAXIT 100000

/* Lanczos coefficients for g = 7, n = 9 (Godfrey); relative error of
 * Gamma about 1e-15 for x >= 0.5. */
static const double lanczos_c[9] = {
    0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
    771.32342877765313,   -176.61502916214059,   12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

double trust_lgamma(double x) {
  assert(x > 0);
  if (x < 0.5) return log(PI_ / sin(PI_ * x)) - trust_lgamma(1.0 - x);
  x -= 1.0;
  double sum = lanczos_c[0];
  for (int i = 1; i < 9; i++) sum += lanczos_c[i] / (x + i);
  double t = x + 7.5;
  return LN_SQRT_2PI + (x + 0.5) * log(t) - t + log(sum);
}

double trust_lbeta(double a, double b) {
  return trust_lgamma(a) + trust_lgamma(b) - trust_lgamma(a + b);
}

/* The continued fraction of I_x(a,b) (Numerical Recipes 6.4), by the
 * modified Lentz method. Converges fast for x < (a + 1) / (a + b + 2). */
static double beta_cf(double x, double a, double b) {
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;
  if (fabs(d) < CF_TINY) d = CF_TINY;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= CF_MAXIT; m++) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (fabs(d) < CF_TINY) d = CF_TINY;
    c = 1.0 + aa / c;
    if (fabs(c) < CF_TINY) c = CF_TINY;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (fabs(d) < CF_TINY) d = CF_TINY;
    c = 1.0 + aa / c;
    if (fabs(c) < CF_TINY) c = CF_TINY;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (fabs(del - 1.0) < CF_EPS) break;
  }
  return h;
}

/* I_x(a, b) given lb = ln B(a, b), for 0 < x < 1. */
static double beta_cdf_lb(double x, double a, double b, double lb) {
  double front = exp(a * log(x) + b * log1p(-x) - lb);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_cf(x, a, b) / a;
  return 1.0 - front * beta_cf(1.0 - x, b, a) / b;
}

double trust_beta_cdf(double x, double a, double b) {
  assert(a > 0 && b > 0);
  if (!(x > 0)) return 0.0;
  if (x >= 1) return 1.0;
  return beta_cdf_lb(x, a, b, trust_lbeta(a, b));
}

/* A first guess at the p-quantile (Numerical Recipes 3rd ed. 6.14, after
 * Abramowitz & Stegun 26.5.22 for a, b >= 1, and the tail power laws
 * otherwise); falls back to the mean when it lands outside (0, 1). */
static double beta_quantile_guess(double p, double a, double b) {
  double x;
  if (a >= 1 && b >= 1) {
    double pp = p < 0.5 ? p : 1.0 - p;
    double t = sqrt(-2.0 * log(pp));
    double z = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) z = -z;
    double al = (z * z - 3.0) / 6.0;
    double h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0));
    double w = z * sqrt(al + h) / h -
               (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h));
    x = a / (a + b * exp(2.0 * w));
  } else {
    double lna = log(a / (a + b)), lnb = log(b / (a + b));
    double t = exp(a * lna) / a, u = exp(b * lnb) / b, w = t + u;
    x = p < t / w ? pow(a * w * p, 1.0 / a) : 1.0 - pow(b * w * (1.0 - p), 1.0 / b);
  }
  if (!(x > 0 && x < 1)) x = a / (a + b);
  return x;
}

double trust_beta_quantile(double p, double a, double b) {
  assert(a > 0 && b > 0 && p >= 0 && p <= 1);
  if (p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  /* Root of f(x) = I_x(a,b) - p on [lo, hi], f increasing. */
  double lb = trust_lbeta(a, b);
  double lo = 0.0, hi = 1.0;
  double x = beta_quantile_guess(p, a, b);
  double dx_old = 1.0, dx = 1.0;
  for (int it = 0; it < 200; it++) {
    double f = beta_cdf_lb(x, a, b, lb) - p;
    if (f == 0) return x;
    if (f < 0) lo = x; else hi = x;
    double df = exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lb);
    double step = df > 0 && isfinite(df) ? f / df : 2.0;
    double xn = x - step;
    /* Bisect when Newton leaves the bracket or does not at least halve
     * the step of two iterations ago (rtsafe's rule). */
    if (!(xn > lo && xn < hi) || fabs(2.0 * step) > fabs(dx_old)) {
      dx_old = dx;
      xn = 0.5 * (lo + hi);
      dx = xn - x;
    } else {
      dx_old = dx;
      dx = -step;
    }
    if (fabs(xn - x) <= 4 * DBL_EPSILON * fmax(x, 1e-300) || hi - lo <= 4 * DBL_EPSILON * hi)
      return xn;
    x = xn;
  }
  return x;
}

void trust_interval80(double r, double s, double w_prior, double a, double *low, double *high) {
  assert(r >= 0 && s >= 0 && w_prior > 0 && a > 0 && a < 1);
  double alpha = r + a * w_prior, beta = s + (1.0 - a) * w_prior;
  *low = trust_beta_quantile(0.1, alpha, beta);
  *high = trust_beta_quantile(0.9, alpha, beta);
}

double trust_criticism_prob(double recognitions, double constructive) {
  assert(recognitions >= 0 && constructive >= 0);
  return trust_beta_cdf(0.5, 1.0 + recognitions, 1.0 + constructive);
}
