/* trust_opinion.c: see trust_opinion.h. */
#include "trust/trust_opinion.h"

#include <assert.h>

trust_opinion trust_opinion_of(double r, double s, double w_prior, double a) {
  assert(r >= 0 && s >= 0 && w_prior > 0 && a > 0 && a < 1);
  double n = r + s + w_prior;
  trust_opinion o = {r / n, s / n, w_prior / n, a};
  return o;
}

double trust_opinion_p(trust_opinion o) {
  return o.b + o.a * o.u;
}

void trust_opinion_evidence(trust_opinion o, double w_prior, double *r, double *s) {
  assert(o.u > 0);
  *r = w_prior * o.b / o.u;
  *s = w_prior * o.d / o.u;
}

trust_opinion trust_opinion_fuse(trust_opinion x, trust_opinion y) {
  trust_opinion o;
  double k = x.u + y.u - x.u * y.u;
  if (k > 0) {
    o.b = (x.b * y.u + y.b * x.u) / k;
    o.d = (x.d * y.u + y.d * x.u) / k;
    o.u = x.u * y.u / k;
    if (x.u < 1 || y.u < 1)
      o.a = (x.a * y.u + y.a * x.u - (x.a + y.a) * x.u * y.u) / (x.u + y.u - 2 * x.u * y.u);
    else
      o.a = (x.a + y.a) / 2;
  } else {
    o.b = (x.b + y.b) / 2;
    o.d = (x.d + y.d) / 2;
    o.u = 0;
    o.a = (x.a + y.a) / 2;
  }
  return o;
}

double trust_beta_rep_e(double r, double s) {
  return (r + 1) / (r + s + 2);
}

double trust_beta_rep_rating(double r, double s) {
  return (r - s) / (r + s + 2);
}

void trust_forget_step(double *r, double *s, double lambda, double v, double w, double wneg) {
  *r = lambda * *r + w * v;
  *s = lambda * *s + wneg * w * (1 - v);
}
