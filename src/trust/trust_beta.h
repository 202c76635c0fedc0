/* trust_beta.h: the Beta distribution's cumulative function and its
 * inverse, for credible intervals and the feedback balance
 * (TRUST-MODEL.md 2 and 4). No sampling, no tables.
 *
 * I_x(a, b), the regularised incomplete beta function, is evaluated by its
 * continued fraction (modified Lentz), on the side of the symmetry
 * I_x(a,b) = 1 - I_{1-x}(b,a) where it converges fast; ln Gamma is a
 * Lanczos approximation (g = 7, 9 terms), because libm's lgamma writes the
 * global `signgam` and is not safe to call from several threads. The
 * inverse is Newton's method safeguarded by bisection on a bracket that
 * always contains the root. Accuracy is about 1e-13 absolute for
 * parameters up to 1e5; the tests hold it to 1e-9 against mpmath.
 */
#ifndef RAPPORT_TRUST_BETA_H
#define RAPPORT_TRUST_BETA_H

/* ln Gamma(x) for x > 0. */
double trust_lgamma(double x);

/* ln B(a, b) for a, b > 0. */
double trust_lbeta(double a, double b);

/* I_x(a, b) for a, b > 0; 0 for x <= 0 and 1 for x >= 1. */
double trust_beta_cdf(double x, double a, double b);

/* The p-quantile of Beta(a, b): the x in [0,1] with I_x(a, b) = p, for
 * p in [0,1] (0 and 1 give 0 and 1), to about 1e-14. */
double trust_beta_quantile(double p, double a, double b);

/* The 80% credible interval of an opinion's evidence: the 10th and 90th
 * percentiles of Beta(r + a W, s + (1 - a) W). */
void trust_interval80(double r, double s, double w_prior, double a, double *low, double *high);

/* P(p < 0.5) for the recognition share p under Beta(1 + recognitions,
 * 1 + constructive): the probability that a giver's feedback leans to
 * criticism (CRITICISM_HEAVY, TRUST-MODEL.md 4). */
double trust_criticism_prob(double recognitions, double constructive);

#endif
