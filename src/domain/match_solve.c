/* match_solve.c: the optimal assignment (match_solve in match.h), as
 * minimum-cost flows solved exactly by GLPK's RELAX-IV (Bertsekas and
 * Tseng's relaxation method, glp_mincost_relax4).
 *
 * Design. The candidate pairs (those that pass every hard constraint, with
 * a guide who has a free place) are listed once with their scores. Then:
 *
 *   1. cardinality: each learner sends one unit either to a fitting guide
 *      (cost 0) or straight to the sink (cost 1, "unmatched"); guides pass
 *      at most their capacity to the sink. The least cost leaves the fewest
 *      learners unmatched: M, the most learners any assignment matches.
 *   2. total: a source sends exactly M units through the learners (one
 *      each at most) and the candidate pairs (cost 100 - score) to the
 *      guides and the sink. The least cost is the largest total among the
 *      assignments that match M learners.
 *   Fairness mode first finds the largest threshold t such that the pairs
 *   scoring t or more still match M learners (a binary search over step 1
 *   on those pairs), then runs step 2 on them.
 *
 * Two steps, rather than one flow whose unmatched arcs cost a large
 * constant, keep every cost between 0 and 100: RELAX-IV works in integers
 * and a constant large enough to put the count first would approach their
 * range in programs of thousands. Every input is built in the same order,
 * so a run is deterministic.
 */
#include <glpk.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"

typedef struct vdata {
  double rhs;
} vdata;
typedef struct adata {
  double cap, cost, x;
} adata;

typedef struct cand {
  uint32_t l, g;
  int score;
} cand;

static void *xcalloc(size_t n, size_t sz) {
  void *p = calloc(n ? n : 1, sz);
  if (!p) abort();
  return p;
}

/* Builds the flow for the candidates scoring at least t. With fixed > 0,
 * step 2's network (a source sends `fixed` units); else step 1's. Returns
 * the graph; arcs of the candidates are arcs 1..nc in cand order (saved in
 * arcs[] when not NULL). */
static glp_graph *build(const match_instance *in, const cand *c, size_t nc, int t, int fixed,
                        glp_arc **arcs) {
  int nl = (int)in->nl, ng = (int)in->ng;
  glp_graph *G = glp_create_graph(sizeof(vdata), sizeof(adata));
  int nv = nl + ng + 1 + (fixed > 0 ? 1 : 0);
  glp_add_vertices(G, nv);
  int sink = nl + ng + 1, source = nl + ng + 2;
  for (int v = 1; v <= nv; v++) ((vdata *)G->v[v]->data)->rhs = 0;
  if (fixed > 0) {
    ((vdata *)G->v[source]->data)->rhs = fixed;
    ((vdata *)G->v[sink]->data)->rhs = -fixed;
    for (int l = 1; l <= nl; l++) {
      adata *d = glp_add_arc(G, source, l)->data;
      *d = (adata){1, 0, 0};
    }
  } else {
    for (int l = 1; l <= nl; l++) {
      ((vdata *)G->v[l]->data)->rhs = 1;
      adata *d = glp_add_arc(G, l, sink)->data;
      *d = (adata){1, 1, 0};
    }
    ((vdata *)G->v[sink]->data)->rhs = -nl;
  }
  for (size_t i = 0; i < nc; i++) {
    glp_arc *a = NULL;
    if (c[i].score >= t) {
      a = glp_add_arc(G, (int)c[i].l + 1, nl + 1 + (int)c[i].g);
      *(adata *)a->data = (adata){1, fixed > 0 ? 100 - c[i].score : 0, 0};
    }
    if (arcs) arcs[i] = a;
  }
  for (int g = 0; g < ng; g++) {
    int cap = in->guides[g].capacity;
    adata *d = glp_add_arc(G, nl + 1 + g, sink)->data;
    *d = (adata){cap > 0 ? cap : 0, 0, 0};
  }
  return G;
}

static int solve(glp_graph *G, double *cost) {
  int ret = glp_mincost_okalg(G, offsetof(vdata, rhs), -1, offsetof(adata, cap),
                              offsetof(adata, cost), cost, offsetof(adata, x), -1);
  return ret == 0 ? 0 : -1;
}

/* The most learners matched with the candidates scoring t or more, or -1. */
static int cardinality(const match_instance *in, const cand *c, size_t nc, int t) {
  glp_graph *G = build(in, c, nc, t, 0, NULL);
  double cost = 0;
  int rc = solve(G, &cost);
  glp_delete_graph(G);
  return rc ? -1 : (int)in->nl - (int)(cost + 0.5);
}

static int cand_list(const match_instance *in, cand **out, size_t *n) {
  size_t cap = 1024, k = 0;
  cand *c = xcalloc(cap, sizeof *c);
  for (size_t l = 0; l < in->nl; l++)
    for (size_t g = 0; g < in->ng; g++) {
      if (in->guides[g].capacity <= 0 || match_check(in, l, g) != MATCH_FIT) continue;
      if (k == cap) {
        cap *= 2;
        c = realloc(c, cap * sizeof *c);
        if (!c) abort();
      }
      c[k++] = (cand){(uint32_t)l, (uint32_t)g, match_score(in, l, g, NULL)};
    }
  *out = c;
  *n = k;
  return 0;
}

int match_solve(const match_instance *in, match_result *out) {
  glp_term_out(GLP_OFF);
  cand *c;
  size_t nc;
  cand_list(in, &c, &nc);
  out->candidate_pairs = (int64_t)nc;
  for (size_t l = 0; l < in->nl; l++) {
    out->guide_of[l] = -1;
    out->score_of[l] = 0;
  }
  int rc = 0, t = 0;
  int m = nc ? cardinality(in, c, nc, 0) : 0;
  if (m < 0) rc = -1;
  if (rc == 0 && m > 0 && in->set.fairness) {
    /* the largest t with cardinality(t) == m: lo holds, hi fails */
    int lo = 0, hi = 101;
    while (hi - lo > 1) {
      int mid = (lo + hi) / 2;
      int k = cardinality(in, c, nc, mid);
      if (k < 0) {
        rc = -1;
        break;
      }
      if (k == m) lo = mid;
      else hi = mid;
    }
    t = lo;
  }
  if (rc == 0 && m > 0) {
    glp_arc **arcs = xcalloc(nc, sizeof *arcs);
    glp_graph *G = build(in, c, nc, t, m, arcs);
    double cost = 0;
    rc = solve(G, &cost);
    for (size_t i = 0; rc == 0 && i < nc; i++) {
      if (!arcs[i] || ((adata *)arcs[i]->data)->x < 0.5) continue;
      out->guide_of[c[i].l] = (int32_t)c[i].g;
      out->score_of[c[i].l] = c[i].score;
    }
    glp_delete_graph(G);
    free(arcs);
  }
  free(c);
  out->threshold = t;
  match_result_summarise(in, out);
  return rc;
}
