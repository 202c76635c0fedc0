/* match_solve.c: the optimal assignment (match_solve in match.h), solved
 * exactly by GLPK's simplex method on the assignment's linear program,
 * with the columns generated as the duals ask.
 *
 * The LP. Each candidate pair (one that passes every hard constraint, with
 * a guide who has a free place) is a column x in [0, 1] worth W + score,
 * where W = 100 * (the most pairs there can be) + 1; rows: each learner
 * takes at most one guide, each guide at most its capacity. With that W,
 * one more pair is worth more than any difference of totals, so the
 * optimum matches the most learners and, among those assignments, has the
 * largest total. The matrix is a bipartite graph's incidence matrix: every
 * vertex of the polytope is integral, and the simplex method's basic
 * optimum is an assignment (checked all the same; a fractional one, which
 * would be a solver fault, goes to GLPK's branch and cut).
 *
 * Columns as needed. A large program has millions of candidate pairs, yet
 * an optimum uses few of each learner's. The LP starts with each learner's
 * best few candidates; after each solve, the pricing reads the duals (u of
 * a learner's row, v of a guide's) and adds the candidates whose reduced
 * cost W + score - u - v is positive (the best few per learner), until
 * there is none: then the duals prove the restricted optimum optimal for
 * every candidate (LP duality), so the answer is exact, not a heuristic.
 * Each solve starts from the previous basis.
 *
 * Fairness mode: the largest threshold t such that the candidates scoring
 * t or more still match as many learners as all of them do, by a binary
 * search over solves with the columns below t fixed at 0 (and left out of
 * the pricing); the optimum at that t is the answer: the most learners,
 * the highest lowest score, then the largest total. Deterministic: the
 * input is built in the same order every time.
 *
 * The scores are integers 0..100 and W at most about 10^8 for any program
 * this serves, well within the simplex method's tolerances (GLPK measures
 * reduced costs relative to the coefficients).
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"

enum { FIRST_PER_LEARNER = 8, ADD_PER_LEARNER = 4 };

typedef struct cand {
  uint32_t l, g;
  int score;
} cand;

typedef struct lp {
  const match_instance *in;
  glp_prob *P;
  cand *c;
  size_t nc;
  size_t *first; /* nl + 1: the candidates of learner l are first[l]..first[l+1]-1 */
  int *col;      /* per candidate: its column, 0 while not in the LP */
  int *cand_of;  /* per column (from 1): its candidate */
  double weight; /* W */
  int t;         /* the threshold: candidates below it are out */
} lp;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

static void cand_list(lp *x) {
  const match_instance *in = x->in;
  size_t cap = 1024, k = 0;
  cand *c = xmalloc(cap * sizeof *c);
  x->first = xmalloc((in->nl + 1) * sizeof *x->first);
  for (size_t l = 0; l < in->nl; l++) {
    x->first[l] = k;
    for (size_t g = 0; g < in->ng; g++) {
      if (in->guides[g].capacity <= 0 || match_check(in, l, g) != MATCH_FIT) continue;
      if (k == cap) {
        cap *= 2;
        c = realloc(c, cap * sizeof *c);
        if (!c) abort();
      }
      c[k++] = (cand){(uint32_t)l, (uint32_t)g, match_score(in, l, g, NULL)};
    }
  }
  x->first[in->nl] = k;
  x->c = c;
  x->nc = k;
}

static void build(lp *x) {
  const match_instance *in = x->in;
  x->P = glp_create_prob();
  glp_set_obj_dir(x->P, GLP_MAX);
  int nl = (int)in->nl, ng = (int)in->ng;
  glp_add_rows(x->P, nl + ng);
  for (int l = 1; l <= nl; l++) glp_set_row_bnds(x->P, l, GLP_UP, 0, 1);
  int64_t places = 0;
  for (int g = 0; g < ng; g++) {
    int cap = in->guides[g].capacity > 0 ? in->guides[g].capacity : 0;
    glp_set_row_bnds(x->P, nl + 1 + g, GLP_UP, 0, cap);
    places += cap;
  }
  int64_t most = places < nl ? places : nl;
  x->weight = 100.0 * (double)most + 1;
  x->col = calloc(x->nc ? x->nc : 1, sizeof *x->col);
  x->cand_of = xmalloc((x->nc + 1) * sizeof *x->cand_of);
  if (!x->col) abort();
}

static void add_cols(lp *x, const size_t *which, size_t n) {
  if (n == 0) return;
  int nl = (int)x->in->nl;
  int first = glp_add_cols(x->P, (int)n);
  for (size_t k = 0; k < n; k++) {
    size_t i = which[k];
    int j = first + (int)k;
    int ind[3] = {0, (int)x->c[i].l + 1, nl + 1 + (int)x->c[i].g};
    double val[3] = {0, 1, 1};
    glp_set_mat_col(x->P, j, 2, ind, val);
    glp_set_col_bnds(x->P, j, GLP_DB, 0, 1);
    glp_set_obj_coef(x->P, j, x->weight + x->c[i].score);
    x->col[i] = j;
    x->cand_of[j] = (int)i;
  }
}

/* Up to k candidates of learner l, best first by key (ties: lower index),
 * that are at or above the threshold, not in the LP, and whose key is
 * above `floor`; written to out, returns how many. */
static size_t best_of(const lp *x, size_t l, size_t k, const double *key, double floor_,
                      size_t *out) {
  size_t n = 0;
  for (size_t i = x->first[l]; i < x->first[l + 1]; i++) {
    if (x->col[i] || x->c[i].score < x->t) continue;
    double v = key ? key[i - x->first[l]] : x->c[i].score;
    if (v <= floor_) continue;
    size_t at = n;
    if (n == k) {
      double lastv = key ? key[out[k - 1] - x->first[l]] : x->c[out[k - 1]].score;
      if (v <= lastv) continue;
      at = k - 1;
    } else {
      n++;
    }
    while (at > 0) {
      size_t p = out[at - 1];
      double pv = key ? key[p - x->first[l]] : x->c[p].score;
      if (pv >= v) break;
      out[at] = p;
      at--;
    }
    out[at] = i;
  }
  return n;
}

static int simplex(lp *x, int meth) {
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.meth = meth;
  int ret = glp_simplex(x->P, &parm);
  if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
    glp_adv_basis(x->P, 0);
    ret = glp_simplex(x->P, &parm);
  }
  return ret == 0 && glp_get_status(x->P) == GLP_OPT ? 0 : -1;
}

/* Solves at the current threshold until no candidate prices in. */
static int solve_priced(lp *x, int meth) {
  const match_instance *in = x->in;
  int nl = (int)in->nl;
  size_t *add = xmalloc((in->nl * ADD_PER_LEARNER + 1) * sizeof *add);
  double *rc = xmalloc((in->ng + 1) * sizeof *rc);
  int ret = 0;
  for (;;) {
    if (simplex(x, meth)) {
      ret = -1;
      break;
    }
    meth = GLP_PRIMAL; /* new columns keep the basis primal feasible */
    size_t n = 0;
    for (size_t l = 0; l < in->nl; l++) {
      double u = glp_get_row_dual(x->P, (int)l + 1);
      for (size_t i = x->first[l]; i < x->first[l + 1]; i++) {
        double v = glp_get_row_dual(x->P, nl + 1 + (int)x->c[i].g);
        rc[i - x->first[l]] = x->weight + x->c[i].score - u - v;
      }
      n += best_of(x, l, ADD_PER_LEARNER, rc, 1e-6, add + n);
    }
    if (n == 0) break;
    add_cols(x, add, n);
  }
  free(add);
  free(rc);
  return ret;
}

/* Sets the threshold: columns below it fixed at 0, the others free. */
static void set_threshold(lp *x, int t) {
  x->t = t;
  int ncols = glp_get_num_cols(x->P);
  for (int j = 1; j <= ncols; j++) {
    if (x->c[x->cand_of[j]].score < t) glp_set_col_bnds(x->P, j, GLP_FX, 0, 0);
    else glp_set_col_bnds(x->P, j, GLP_DB, 0, 1);
  }
}

static int64_t matched_now(const lp *x) {
  int64_t m = 0;
  int ncols = glp_get_num_cols(x->P);
  for (int j = 1; j <= ncols; j++) m += glp_get_col_prim(x->P, j) > 0.5;
  return m;
}

/* Whether the solution is integral; if not, branch and cut on the columns. */
static int integral(lp *x) {
  int ncols = glp_get_num_cols(x->P);
  for (int j = 1; j <= ncols; j++) {
    double v = glp_get_col_prim(x->P, j);
    if (fabs(v - floor(v + 0.5)) > 1e-6) {
      for (int k = 1; k <= ncols; k++) glp_set_col_kind(x->P, k, GLP_IV);
      glp_iocp parm;
      glp_init_iocp(&parm);
      parm.msg_lev = GLP_MSG_OFF;
      return glp_intopt(x->P, &parm) == 0 && glp_mip_status(x->P) == GLP_OPT ? 1 : -1;
    }
  }
  return 0;
}

int match_solve(const match_instance *in, match_result *out) {
  lp x = {.in = in};
  cand_list(&x);
  out->candidate_pairs = (int64_t)x.nc;
  for (size_t l = 0; l < in->nl; l++) {
    out->guide_of[l] = -1;
    out->score_of[l] = 0;
  }
  out->threshold = 0;
  int rc = 0;
  if (x.nc > 0) {
    build(&x);
    size_t *start = xmalloc((in->nl * FIRST_PER_LEARNER + 1) * sizeof *start);
    size_t n = 0;
    for (size_t l = 0; l < in->nl; l++)
      n += best_of(&x, l, FIRST_PER_LEARNER, NULL, -1, start + n);
    add_cols(&x, start, n);
    free(start);
    rc = solve_priced(&x, GLP_PRIMAL);
    if (rc == 0 && in->set.fairness) {
      int64_t m = matched_now(&x);
      int lo = 0, hi = 101; /* lo keeps m matched, hi does not */
      while (rc == 0 && hi - lo > 1) {
        int mid = (lo + hi) / 2;
        set_threshold(&x, mid);
        rc = solve_priced(&x, GLP_DUALP);
        if (rc == 0 && matched_now(&x) == m) lo = mid;
        else hi = mid;
      }
      if (rc == 0 && x.t != lo) {
        set_threshold(&x, lo);
        rc = solve_priced(&x, GLP_DUALP);
      }
      out->threshold = lo;
    }
    int mip = rc == 0 ? integral(&x) : -1;
    if (mip < 0) rc = -1;
    int ncols = rc == 0 ? glp_get_num_cols(x.P) : 0;
    for (int j = 1; j <= ncols; j++) {
      double v = mip ? glp_mip_col_val(x.P, j) : glp_get_col_prim(x.P, j);
      if (v < 0.5) continue;
      const cand *c = &x.c[x.cand_of[j]];
      out->guide_of[c->l] = (int32_t)c->g;
      out->score_of[c->l] = c->score;
    }
    glp_delete_prob(x.P);
  }
  free(x.c);
  free(x.first);
  free(x.col);
  free(x.cand_of);
  glp_free_env(); /* GLPK's per-thread environment: a server thread keeps none */
  match_result_summarise(in, out);
  return rc;
}
