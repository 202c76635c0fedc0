/* test_trust_explain.c: the items that move a score most now, by partial
 * selection (TRUST-MODEL.md 2, "Explanation"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trust_test.h"

#include <stdlib.h>
#include <string.h>

#include "sim_rng.h"
#include "trust/trust_explain.h"

#define DAY 86400
#define T0 ((int64_t)1767225600)

static trust_item item(int64_t id, int64_t t, double v, double w, trust_party p, trust_comp c,
                       trust_source s) {
  trust_item it;
  memset(&it, 0, sizeof it);
  it.source_id = id;
  it.t = t;
  it.v = v;
  it.w = w;
  it.about = (uint8_t)p;
  it.comp = (uint8_t)c;
  it.source = (uint8_t)s;
  return it;
}

static void recent_no_show_outranks_old_kept_items(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  int64_t now = T0 + 200 * DAY;
  trust_item items[] = {
      item(1, T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),              /* old kept */
      item(2, T0 + 190 * DAY, 0, 2, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR), /* no-show */
      item(3, T0 + 195 * DAY, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR), /* held */
      item(4, T0 + 100 * DAY, 0.75, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),
      item(5, T0 + 199 * DAY, 0, 9, TRUST_LEARNER, TRUST_REL, TRUST_SRC_BEHAVIOUR), /* other party */
      item(6, T0 + 199 * DAY, 0, 9, TRUST_GUIDE, TRUST_INT, TRUST_SRC_BEHAVIOUR),   /* other comp */
      item(7, T0 + 201 * DAY, 0, 9, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),   /* after now */
  };
  trust_contrib top[3];
  size_t n = trust_explain_top(items, 7, &cfg, TRUST_GUIDE, TRUST_REL, now, TRUST_RANK_IMPACT, 3, top);
  assert_int_equal(n, 3);
  assert_int_equal(top[0].source_id, 2);
  assert_int_equal(top[1].source_id, 3);
  assert_int_equal(top[2].source_id, 4);
  assert_true(top[0].delta < 0);
  assert_true(top[1].delta > 0);
  assert_near(top[0].cr, 0, 0);
  assert_near(top[0].cs, 4 * exp2(-10.0 / 90), 1e-12);
  assert_int_equal(top[0].index, 1);
}

static void delta_is_the_leave_one_out_change_of_p(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[] = {item(1, T0, 1, 1, TRUST_LEARNER, TRUST_EMP, TRUST_SRC_PULSE),
                        item(2, T0, 0.25, 2, TRUST_LEARNER, TRUST_EMP, TRUST_SRC_PULSE)};
  trust_contrib top[2];
  size_t n = trust_explain_top(items, 2, &cfg, TRUST_LEARNER, TRUST_EMP, T0, TRUST_RANK_IMPACT, 2, top);
  assert_int_equal(n, 2);
  /* All: r = 1.5, s = 1.5, P = 0.5. Without item 1: r 0.5, s 1.5 -> P 1.5/4.
   * Without item 2: r 1, s 0 -> P 2/3. */
  assert_int_equal(top[0].source_id, 2);
  assert_near(top[0].delta, 0.5 - 2.0 / 3, 1e-12);
  assert_int_equal(top[1].source_id, 1);
  assert_near(top[1].delta, 0.5 - 1.5 / 4, 1e-12);
}

static void mass_ranking_uses_the_larger_decayed_contribution(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[] = {item(1, T0, 1, 3, TRUST_GUIDE, TRUST_COM, TRUST_SRC_BEHAVIOUR),
                        item(2, T0, 0.5, 2, TRUST_GUIDE, TRUST_COM, TRUST_SRC_BEHAVIOUR)};
  trust_contrib top[1];
  /* Item 2: cr 1, cs 2; item 1: cr 3. Mass ranks 1 first. */
  assert_int_equal(trust_explain_top(items, 2, &cfg, TRUST_GUIDE, TRUST_COM, T0, TRUST_RANK_MASS, 1, top), 1);
  assert_int_equal(top[0].source_id, 1);
  assert_near(top[0].key, 3, 1e-15);
}

static void fewer_items_than_k_and_k_zero(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  trust_item items[] = {item(1, T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR)};
  trust_contrib top[3];
  assert_int_equal(trust_explain_top(items, 1, &cfg, TRUST_GUIDE, TRUST_REL, T0, TRUST_RANK_IMPACT, 3, top), 1);
  assert_int_equal(trust_explain_top(items, 1, &cfg, TRUST_GUIDE, TRUST_REL, T0, TRUST_RANK_IMPACT, 0, top), 0);
  assert_int_equal(trust_explain_top(items, 0, &cfg, TRUST_GUIDE, TRUST_REL, T0, TRUST_RANK_IMPACT, 3, top), 0);
}

static void ties_break_toward_the_newer_then_the_larger_event(void **state) {
  (void)state;
  trust_settings cfg = trust_settings_default();
  cfg.half_life_days[TRUST_REL] = 1e9; /* no decay: equal keys */
  trust_item items[] = {item(5, T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),
                        item(9, T0, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR),
                        item(7, T0 + 1, 1, 1, TRUST_GUIDE, TRUST_REL, TRUST_SRC_BEHAVIOUR)};
  trust_contrib top[3];
  assert_int_equal(trust_explain_top(items, 3, &cfg, TRUST_GUIDE, TRUST_REL, T0 + 1, TRUST_RANK_MASS, 3, top), 3);
  assert_int_equal(top[0].source_id, 7);
  assert_int_equal(top[1].source_id, 9);
  assert_int_equal(top[2].source_id, 5);
}

static const trust_item *cmp_items;

static int by_rank(const void *pa, const void *pb) {
  const trust_contrib *a = pa, *b = pb;
  if (a->key != b->key) return a->key > b->key ? -1 : 1;
  const trust_item *x = &cmp_items[a->index], *y = &cmp_items[b->index];
  if (x->t != y->t) return x->t > y->t ? -1 : 1;
  if (x->source_id != y->source_id) return x->source_id > y->source_id ? -1 : 1;
  return a->index > b->index ? -1 : 1;
}

/* The partial selection must agree with sorting everything. */
static void partial_selection_agrees_with_a_full_sort(void **state) {
  (void)state;
  enum { N = 2000, K = 10 };
  static trust_item items[N];
  static trust_contrib all[N];
  sim_rng rng;
  sim_seed(&rng, 7);
  trust_settings cfg = trust_settings_default();
  int64_t now = T0 + 400 * DAY;
  for (int i = 0; i < N; i++)
    items[i] = item(i + 1, T0 + (int64_t)sim_below(&rng, 400 * DAY), (double)sim_below(&rng, 5) / 4,
                    0.5 * (double)(1 + sim_below(&rng, 4)), (trust_party)sim_below(&rng, 2),
                    (trust_comp)sim_below(&rng, 4), (trust_source)sim_below(&rng, 2));
  for (int rank = 0; rank < 2; rank++) {
    /* Every candidate, via k = N. */
    size_t m = trust_explain_top(items, N, &cfg, TRUST_LEARNER, TRUST_EMP, now, (trust_rank)rank, N, all);
    assert_true(m > 100);
    for (size_t i = 1; i < m; i++) assert_true(by_rank(&all[i - 1], &all[i]) < 0);
    cmp_items = items;
    qsort(all, m, sizeof all[0], by_rank);
    trust_contrib top[K];
    assert_int_equal(trust_explain_top(items, N, &cfg, TRUST_LEARNER, TRUST_EMP, now, (trust_rank)rank, K, top), K);
    for (int i = 0; i < K; i++) assert_int_equal(top[i].index, all[i].index);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(recent_no_show_outranks_old_kept_items),
      cmocka_unit_test(delta_is_the_leave_one_out_change_of_p),
      cmocka_unit_test(mass_ranking_uses_the_larger_decayed_contribution),
      cmocka_unit_test(fewer_items_than_k_and_k_zero),
      cmocka_unit_test(ties_break_toward_the_newer_then_the_larger_event),
      cmocka_unit_test(partial_selection_agrees_with_a_full_sort),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
