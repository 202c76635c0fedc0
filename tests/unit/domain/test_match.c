/* test_match.c: the matching rules with exact figures (domain/match.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/match.h"

static match_person person(int64_t id, const char *name) {
  match_person p;
  memset(&p, 0, sizeof p);
  p.id = id;
  p.name = name;
  p.langs[0] = 0;
  p.nlangs = 1;
  for (int a = 0; a < MATCH_MAX_ATTRS; a++) p.attr[a] = -1;
  p.capacity = 1;
  p.taking_new = true;
  int s = 540, e = 840; /* Monday 9:00 to 14:00 UTC */
  match_avail_set(p.avail, &s, &e, 1);
  return p;
}

static void offer(match_person *g, unsigned t) { g->offers[t / 64] |= (uint64_t)1 << (t % 64); }

static void want(match_person *l, int n, const uint16_t *t) {
  for (int i = 0; i < n; i++) l->wants[i] = t[i];
  l->nwants = n;
}

static const char *const attr_names[] = {"department"};

/* Leo wants 4 topics; Amara offers 3 of them. */
static void leo_and_amara(match_person *leo, match_person *amara) {
  *leo = person(1, "Leo Martin");
  *amara = person(2, "Amara Okafor");
  want(leo, 4, (const uint16_t[]){1, 2, 3, 4});
  offer(amara, 1);
  offer(amara, 2);
  offer(amara, 4);
  leo->langs[0] = 0; /* en */
  leo->langs[1] = 1; /* fr */
  leo->nlangs = 2;
  amara->langs[0] = 1;
  amara->nlangs = 1;
  leo->attr[0] = 0;
  leo->wish[0] = MATCH_WISH_DIFFERENT;
  amara->attr[0] = 1;
  amara->experience = 2;
}

static match_instance one_pair(match_person *l, match_person *g) {
  match_instance in = {.learners = l, .nl = 1, .guides = g, .ng = 1,
                       .set = match_settings_default(), .nattrs = 1, .attr_names = attr_names};
  return in;
}

static void score_has_exact_parts(void **state) {
  (void)state;
  match_person leo, amara;
  leo_and_amara(&leo, &amara);
  match_instance in = one_pair(&leo, &amara);
  match_parts p;
  assert_int_equal(match_check(&in, 0, 0), MATCH_FIT);
  /* topics: ranks weigh 4 3 2 1; offered 1, 2, 4 -> 8 of 10 = 80 */
  /* availability: 300 min against the 240 target -> 100; language not
   * first -> 60; the wish for a different department is met -> 100;
   * experience 2 -> 50. (40*80+20*100+10*60+15*100+15*50)/100 = 80.5 -> 81 */
  assert_int_equal(match_score(&in, 0, 0, &p), 81);
  assert_int_equal(p.part[MATCH_P_TOPICS], 80);
  assert_int_equal(p.part[MATCH_P_AVAILABILITY], 100);
  assert_int_equal(p.part[MATCH_P_LANGUAGE], 60);
  assert_int_equal(p.part[MATCH_P_ATTRIBUTES], 100);
  assert_int_equal(p.part[MATCH_P_EXPERIENCE], 50);
  assert_int_equal(p.topics_met, 3);
  assert_int_equal(p.overlap_minutes, 300);
}

static void score_leaves_out_parts_that_do_not_apply(void **state) {
  (void)state;
  match_person leo, amara;
  leo_and_amara(&leo, &amara);
  leo.wish[0] = MATCH_WISH_NONE;
  leo.nwants = 0;
  match_instance in = one_pair(&leo, &amara);
  match_parts p;
  /* availability 100, language 60, experience 50 with weights 20 10 15:
   * (2000 + 600 + 750) / 45 = 74.4 -> 74 */
  assert_int_equal(match_score(&in, 0, 0, &p), 74);
  assert_false(p.applies[MATCH_P_TOPICS]);
  assert_false(p.applies[MATCH_P_ATTRIBUTES]);
}

static void exit_answer_doubles_what_did_not_fit(void **state) {
  (void)state;
  match_person leo, amara;
  leo_and_amara(&leo, &amara);
  leo.exit_flags = MATCH_EXIT_TOPICS;
  match_instance in = one_pair(&leo, &amara);
  match_parts p;
  /* (80*80 + 2000 + 600 + 1500 + 750) / 140 = 80.36 -> 80 */
  assert_int_equal(match_score(&in, 0, 0, &p), 80);
  assert_int_equal(p.weight[MATCH_P_TOPICS], 80);
}

static void sentences_per_viewer(void **state) {
  (void)state;
  match_person leo, amara;
  leo_and_amara(&leo, &amara);
  amara.avail[0] = leo.avail[0];
  match_instance in = one_pair(&leo, &amara);
  match_parts p;
  match_score(&in, 0, 0, &p);
  strbuf b;
  sb_init(&b, 4096);
  assert_int_equal(match_explain(&in, 0, 0, &p, MATCH_VIEW_LEARNER, &b), 0);
  sb_append(&b, "", 1);
  assert_string_equal(b.data,
                      "3 of Leo's 4 topics are Amara's strengths; 5 hours a week overlap; a "
                      "shared language, not Leo's first; Amara has guided 2 relationships here; "
                      "a different department, as Leo asked");
  sb_free(&b);
  sb_init(&b, 4096);
  match_explain(&in, 0, 0, &p, MATCH_VIEW_GUIDE, &b);
  sb_append(&b, "", 1);
  assert_null(strstr(b.data, "department"));
  assert_string_equal(b.data,
                      "3 of Leo's 4 topics are Amara's strengths; 5 hours a week overlap; a "
                      "shared language, not Leo's first; Amara has guided 2 relationships here");
  sb_free(&b);
}

static void hard_constraints_in_order(void **state) {
  (void)state;
  match_person leo, amara;
  leo_and_amara(&leo, &amara);
  match_forbid f[2] = {{0, 0, MATCH_CONFLICT}, {0, 0, MATCH_BLOCKED}};
  match_instance in = one_pair(&leo, &amara);
  in.forbid = f;
  in.nforbid = match_forbid_sort(f, 2);
  assert_int_equal(in.nforbid, 1);
  assert_int_equal(match_check(&in, 0, 0), MATCH_BLOCKED);
  in.nforbid = 0;
  amara.taking_new = false;
  assert_int_equal(match_check(&in, 0, 0), MATCH_NOT_TAKING);
  amara.taking_new = true;
  amara.langs[0] = 7;
  assert_int_equal(match_check(&in, 0, 0), MATCH_LANGUAGE);
  amara.langs[0] = 1;
  int s = 600, e = 630; /* Monday 10:00-10:30: 30 min < 60 */
  match_avail_set(amara.avail, &s, &e, 1);
  assert_int_equal(match_overlap_minutes(&leo, &amara), 30);
  assert_int_equal(match_check(&in, 0, 0), MATCH_OVERLAP);
  amara.id = leo.id;
  assert_int_equal(match_check(&in, 0, 0), MATCH_SELF);
  assert_string_equal(match_reason_name(MATCH_CONFLICT), "conflict_of_interest");
}

static void avail_rounds_inwards_to_half_hours(void **state) {
  (void)state;
  uint64_t av[MATCH_AVAIL_WORDS];
  int s[2] = {10, 10050}, e[2] = {75, 10080};
  match_avail_set(av, s, e, 2);
  /* 10..75 covers the slot 30..60 only; 10050..10080 the last slot */
  match_person a = person(1, "A"), b = person(2, "B");
  memcpy(a.avail, av, sizeof av);
  memset(b.avail, 0xff, sizeof b.avail);
  assert_int_equal(match_overlap_minutes(&a, &b), 60);
}

/* Topic-only weights: the score is the topic part. */
static match_settings topics_only(void) {
  match_settings s = {.weight = {100, 0, 0, 0, 0}, .min_overlap_minutes = 0};
  return s;
}

static void optimum_beats_greedy(void **state) {
  (void)state;
  match_person l[2] = {person(10, "L0"), person(11, "L1")};
  match_person g[2] = {person(20, "G0"), person(21, "G1")};
  want(&l[0], 2, (const uint16_t[]){0, 1});
  want(&l[1], 1, (const uint16_t[]){0});
  offer(&g[0], 0);
  offer(&g[0], 1);
  offer(&g[1], 0);
  l[1].langs[0] = 1;
  g[0].langs[1] = 1;
  g[0].nlangs = 2;
  match_instance in = {.learners = l, .nl = 2, .guides = g, .ng = 2, .set = topics_only()};
  int32_t go[2];
  int so[2];
  match_result r = {.guide_of = go, .score_of = so};
  match_greedy(&in, &r);
  assert_int_equal(r.matched, 1);
  assert_int_equal(r.total, 100);
  assert_int_equal(match_unmatched_reason(&in, &r, 1, NULL), MATCH_CAPACITY);
  assert_int_equal(match_solve(&in, &r), 0);
  assert_int_equal(r.matched, 2);
  assert_int_equal(r.total, 167);
  assert_int_equal(r.minimum, 67);
  assert_int_equal(go[0], 1);
  assert_int_equal(go[1], 0);
  assert_int_equal(match_blocking_pairs(&in, &r), 0);
  uint32_t idx[5];
  int sc[5];
  assert_int_equal(match_top(&in, 0, 5, idx, sc), 2);
  assert_int_equal(idx[0], 0);
  assert_int_equal(sc[0], 100);
  assert_int_equal(sc[1], 67);
}

static void fairness_raises_the_lowest(void **state) {
  (void)state;
  match_person l[2] = {person(10, "L0"), person(11, "L1")};
  match_person g[2] = {person(20, "G0"), person(21, "G1")};
  want(&l[0], 3, (const uint16_t[]){0, 1, 2});
  want(&l[1], 3, (const uint16_t[]){3, 4, 5});
  for (unsigned t = 0; t < 4; t++) offer(&g[0], t);
  offer(&g[1], 0);
  offer(&g[1], 4);
  match_instance in = {.learners = l, .nl = 2, .guides = g, .ng = 2, .set = topics_only()};
  int32_t go[2];
  int so[2];
  match_result r = {.guide_of = go, .score_of = so};
  assert_int_equal(match_solve(&in, &r), 0);
  assert_int_equal(r.total, 133);
  assert_int_equal(r.minimum, 33);
  /* L1 would rather have G0 (50 > 33) but G0 holds L0 at 100: stable */
  assert_int_equal(match_blocking_pairs(&in, &r), 0);
  in.set.fairness = true;
  assert_int_equal(match_solve(&in, &r), 0);
  assert_int_equal(r.total, 100);
  assert_int_equal(r.minimum, 50);
  assert_int_equal(r.threshold, 50);
  assert_int_equal(go[0], 1);
  assert_int_equal(go[1], 0);
  /* L0 would rather have G0 (100 > 50) and G0 L0 over L1 (100 > 50) */
  assert_int_equal(match_blocking_pairs(&in, &r), 1);
}

static void capacity_is_never_exceeded(void **state) {
  (void)state;
  match_person l[3] = {person(10, "A"), person(11, "B"), person(12, "C")};
  match_person g[1] = {person(20, "G")};
  g[0].capacity = 2;
  match_instance in = {.learners = l, .nl = 3, .guides = g, .ng = 1, .set = topics_only()};
  int32_t go[3];
  int so[3];
  match_result r = {.guide_of = go, .score_of = so};
  assert_int_equal(match_solve(&in, &r), 0);
  assert_int_equal(r.matched, 2);
  int counts[MATCH_NREASONS];
  size_t un = go[0] < 0 ? 0 : go[1] < 0 ? 1 : 2;
  assert_int_equal(match_unmatched_reason(&in, &r, un, counts), MATCH_CAPACITY);
  g[0].langs[0] = 5;
  assert_int_equal(match_unmatched_reason(&in, &r, un, counts), MATCH_LANGUAGE);
  assert_int_equal(counts[MATCH_LANGUAGE], 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(score_has_exact_parts),
      cmocka_unit_test(score_leaves_out_parts_that_do_not_apply),
      cmocka_unit_test(exit_answer_doubles_what_did_not_fit),
      cmocka_unit_test(sentences_per_viewer),
      cmocka_unit_test(hard_constraints_in_order),
      cmocka_unit_test(avail_rounds_inwards_to_half_hours),
      cmocka_unit_test(optimum_beats_greedy),
      cmocka_unit_test(fairness_raises_the_lowest),
      cmocka_unit_test(capacity_is_never_exceeded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
