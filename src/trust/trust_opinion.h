/* trust_opinion.h: subjective-logic opinions and Beta reputation
 * (TRUST-MODEL.md 2; Josang 2016, Josang & Ismail 2002).
 *
 * From evidence (r, s), prior weight W (2) and base rate a (0.5):
 *
 *     b = r / (r + s + W)    d = s / (r + s + W)    u = W / (r + s + W)
 *     P = b + a u            (= (r + a W) / (r + s + W), the mean of
 *                             Beta(r + a W, s + (1 - a) W))
 *
 * Cumulative fusion of two opinions is the opinion of the pooled evidence
 * (r1 + r2, s1 + s2) when both share W and a. Pure arithmetic.
 */
#ifndef RAPPORT_TRUST_OPINION_H
#define RAPPORT_TRUST_OPINION_H

typedef struct trust_opinion {
  double b, d, u; /* b + d + u = 1, each in [0,1] */
  double a;       /* base rate in (0,1) */
} trust_opinion;

/* The opinion of evidence (r, s) >= 0 with prior weight w_prior > 0 and
 * base rate a. Cannot fail. */
trust_opinion trust_opinion_of(double r, double s, double w_prior, double a);

/* Projected probability P = b + a u. */
double trust_opinion_p(trust_opinion o);

/* Back to evidence: r = W b / u, s = W d / u (u > 0). */
void trust_opinion_evidence(trust_opinion o, double w_prior, double *r, double *s);

/* Cumulative fusion (Josang 2016, 12.3). With u_x = u_y = 0 (both dogmatic)
 * the limit with equal relative dogmatism is used: the plain average. */
trust_opinion trust_opinion_fuse(trust_opinion x, trust_opinion y);

/* Beta reputation: E = (r + 1) / (r + s + 2), Rep = (r - s) / (r + s + 2). */
double trust_beta_rep_e(double r, double s);
double trust_beta_rep_rating(double r, double s);

/* One step of per-event forgetting (Josang & Ismail 2002): r <- lambda r + w v,
 * s <- lambda s + wneg w (1 - v). Kept for the model's test vectors and for
 * comparing with the time decay the engine uses. */
void trust_forget_step(double *r, double *s, double lambda, double v, double w, double wneg);

#endif
