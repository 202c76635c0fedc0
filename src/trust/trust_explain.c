/* trust_explain.c: see trust_explain.h. */
#include "trust/trust_explain.h"

#include <math.h>
#include <stdbool.h>

/* Whether x ranks strictly before y. */
static bool ranks_before(const trust_contrib *x, const trust_contrib *y, const trust_item *items) {
  if (x->key != y->key) return x->key > y->key;
  const trust_item *a = &items[x->index], *b = &items[y->index];
  if (a->t != b->t) return a->t > b->t;
  if (a->source_id != b->source_id) return a->source_id > b->source_id;
  return x->index > y->index;
}

/* heap[0] is the worst of the kept entries (a min-heap by rank). */
static void heap_sift_down(trust_contrib *heap, size_t n, size_t i, const trust_item *items) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, worst = i;
    if (l < n && ranks_before(&heap[worst], &heap[l], items)) worst = l;
    if (r < n && ranks_before(&heap[worst], &heap[r], items)) worst = r;
    if (worst == i) return;
    trust_contrib t = heap[i];
    heap[i] = heap[worst];
    heap[worst] = t;
    i = worst;
  }
}

static void heap_sift_up(trust_contrib *heap, size_t i, const trust_item *items) {
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!ranks_before(&heap[parent], &heap[i], items)) return;
    trust_contrib t = heap[i];
    heap[i] = heap[parent];
    heap[parent] = t;
    i = parent;
  }
}

static bool wanted(const trust_item *it, trust_party about, trust_comp c, int64_t now) {
  return trust_item_valid(it) && it->about == about && it->comp == c && it->t <= now;
}

size_t trust_explain_top(const trust_item *items, size_t n, const trust_settings *cfg,
                         trust_party about, trust_comp c, int64_t now, trust_rank rank, size_t k,
                         trust_contrib *out) {
  if (k == 0) return 0;
  double h = cfg->half_life_days[c], w = cfg->prior_weight, a = cfg->base_rate[c];
  trust_rs tot = trust_recompute(items, n, cfg, about, c, TRUST_SRC_MASK_ALL, h, now);
  double p_all = (tot.r + a * w) / (tot.r + tot.s + w);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    const trust_item *it = &items[i];
    if (!wanted(it, about, c, now)) continue;
    trust_rs d = trust_item_increment(it, cfg);
    double f = trust_decay((double)(now - it->t), h);
    trust_contrib e;
    e.index = i;
    e.source_id = it->source_id;
    e.cr = d.r * f;
    e.cs = d.s * f;
    if (e.cr + e.cs <= 0) continue;
    /* Clamp at 0: rounding may leave r - cr a hair below zero. */
    double r0 = fmax(tot.r - e.cr, 0.0), s0 = fmax(tot.s - e.cs, 0.0);
    e.delta = p_all - (r0 + a * w) / (r0 + s0 + w);
    e.key = rank == TRUST_RANK_MASS ? fmax(e.cr, e.cs) : fabs(e.delta);
    if (kept < k) {
      out[kept] = e;
      heap_sift_up(out, kept++, items);
    } else if (ranks_before(&e, &out[0], items)) {
      out[0] = e;
      heap_sift_down(out, kept, 0, items);
    }
  }
  /* Heap-sort the kept entries in place: best first. */
  for (size_t m = kept; m > 1; m--) {
    trust_contrib t = out[0];
    out[0] = out[m - 1];
    out[m - 1] = t;
    heap_sift_down(out, m - 1, 0, items);
  }
  return kept;
}
