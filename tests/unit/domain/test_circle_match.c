/* test_circle_match.c: proposing circles with exact figures
 * (domain/circle_match.h), and on random instances that no circle ever
 * breaks a hard constraint and that a converged search has no improving
 * swap left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/circle_match.h"

static const char *const topic_names[] = {"Negotiation", "Public speaking", "Leadership",
                                          "Writing", "Finance", "Hiring", "Data", "Design"};
static const char *const lang_names[] = {"en", "fr", "pt"};

static match_person person(int64_t id, const char *name) {
  match_person p;
  memset(&p, 0, sizeof p);
  p.id = id;
  p.name = name;
  p.nlangs = 1;
  for (int a = 0; a < MATCH_MAX_ATTRS; a++) p.attr[a] = -1;
  p.taking_new = true;
  p.capacity = 1;
  int s = 540, e = 840; /* Monday 9:00 to 14:00 UTC */
  match_avail_set(p.avail, &s, &e, 1);
  return p;
}

static void window(match_person *p, int start, int end) { match_avail_set(p->avail, &start, &end, 1); }
static void offer(match_person *g, unsigned t) { g->offers[t / 64] |= (uint64_t)1 << (t % 64); }
static void want(match_person *p, unsigned t) { p->wants[p->nwants++] = (uint16_t)t; }

static cm_instance instance(const match_person *people, size_t n) {
  cm_instance in = {.people = people, .n = n, .nattrs = 1, .topic_names = topic_names,
                    .lang_names = lang_names, .min_overlap_minutes = 60,
                    .weight = {40, 20, 15}};
  cm_count_values(&in);
  return in;
}

static const cm_request both = {.size = 3, .overlap_topics = true, .mix_attributes = true,
                                .seed = 1};

/* Ana wants 1 and 2; Ben wants 2 and 3 and offers 1; Caio wants 4 and is
 * free only 9:00 to 10:30. Departments: Ana 0, Ben 1, Caio 0; Dia (not in
 * the circle) 2, so the pool holds three. */
static void four(match_person p[4]) {
  p[0] = person(1, "Ana Lima");
  p[1] = person(2, "Ben Moss");
  p[2] = person(3, "Caio Reis");
  p[3] = person(4, "Dia Sato");
  want(&p[0], 1);
  want(&p[0], 2);
  want(&p[1], 2);
  want(&p[1], 3);
  offer(&p[1], 1);
  want(&p[2], 4);
  window(&p[2], 540, 630);
  p[0].attr[0] = 0;
  p[1].attr[0] = 1;
  p[2].attr[0] = 0;
  p[3].attr[0] = 2;
}

static void score_parts_are_exact(void **state) {
  (void)state;
  match_person p[4];
  four(p);
  cm_instance in = instance(p, 4);
  assert_int_equal(in.nvalues[0], 3);
  uint32_t members[] = {0, 1, 2};
  cm_parts parts;
  int s = cm_score(&in, &both, members, 3, &parts);
  /* topics: S = 2 + 2 + 0 of T = 2 + 3 + 1: (800 + 6) / 12 = 67 */
  assert_int_equal(parts.topics_shared, 4);
  assert_int_equal(parts.topics_held, 6);
  assert_int_equal(parts.common_topics, 2);
  assert_int_equal(parts.members_alone, 1);
  assert_int_equal(parts.part[CM_P_TOPICS], 67);
  /* availability: 90 minutes of a 120-minute target: 75 (rounded from 75.5 down by
   * integer halves: (9000 + 60) / 120 = 75) */
  assert_int_equal(parts.overlap_minutes, 90);
  assert_int_equal(parts.part[CM_P_AVAILABILITY], 75);
  /* attributes: 2 values of the 3 there could be among 3 declared: 1 of 2 */
  assert_int_equal(parts.mix_got, 1);
  assert_int_equal(parts.mix_most, 2);
  assert_int_equal(parts.part[CM_P_ATTRIBUTES], 50);
  /* (40*67 + 20*75 + 15*50) / 75 = 4930 / 75 = 65.73 */
  assert_int_equal(s, 66);
  assert_int_equal(parts.score, 66);
  assert_int_equal(parts.fine, 6573);
}

static void parts_apply_as_the_program_asks(void **state) {
  (void)state;
  match_person p[4];
  four(p);
  cm_instance in = instance(p, 4);
  uint32_t members[] = {0, 1, 2};
  cm_request none = {.size = 3};
  cm_parts parts;
  /* only availability applies */
  assert_int_equal(cm_score(&in, &none, members, 3, &parts), 75);
  assert_false(parts.applies[CM_P_TOPICS]);
  assert_false(parts.applies[CM_P_ATTRIBUTES]);
  /* an attribute outside the mask is not mixed */
  cm_request masked = both;
  masked.mix_mask = 2; /* attribute 1 only, which nobody declared */
  cm_score(&in, &masked, members, 3, &parts);
  assert_false(parts.applies[CM_P_ATTRIBUTES]);
  /* (40*67 + 20*75) / 60 = 69.67 */
  assert_int_equal(parts.score, 70);
  /* weights of zero for what applies: counted alike */
  in.weight[CM_P_TOPICS] = in.weight[CM_P_AVAILABILITY] = in.weight[CM_P_ATTRIBUTES] = 0;
  assert_int_equal(cm_score(&in, &both, members, 3, &parts), 64); /* (67+75+50)/3 */
}

static void group_constraints(void **state) {
  (void)state;
  match_person p[4];
  four(p);
  cm_apart apart[] = {{4, 2}};
  cm_instance in = instance(p, 4);
  in.apart = apart;
  in.napart = cm_apart_sort(apart, 1);
  assert_int_equal(apart[0].a, 2);
  assert_true(cm_must_part(&in, 4, 2));
  assert_true(cm_must_part(&in, 2, 4));
  assert_false(cm_must_part(&in, 1, 2));
  uint32_t abc[] = {0, 1, 2}, abd[] = {0, 1, 3}, aa[] = {0, 0, 1};
  assert_int_equal(cm_check(&in, abc, 3), CM_FIT);
  assert_int_equal(cm_check(&in, abd, 3), CM_APART);
  assert_int_equal(cm_check(&in, aa, 3), CM_APART);
  /* a language of two members is not everyone's */
  p[2].langs[0] = 1;
  assert_int_equal(cm_check(&in, abc, 3), CM_LANGUAGE);
  p[2].langs[1] = 0;
  p[2].nlangs = 2;
  assert_int_equal(cm_check(&in, abc, 3), CM_FIT);
  /* 90 minutes together, less than a minimum of 2 hours */
  in.min_overlap_minutes = 120;
  assert_int_equal(cm_check(&in, abc, 3), CM_OVERLAP);
}

static void sentences_name_topics_and_no_attribute(void **state) {
  (void)state;
  match_person p[4], g = person(9, "Gia Rossi");
  four(p);
  offer(&g, 2);
  offer(&g, 7);
  cm_instance in = instance(p, 4);
  in.guides = &g;
  in.ng = 1;
  cm_circle c = {.member = {0, 1, 2}, .nmembers = 3, .facilitator = 0};
  cm_request req = both;
  req.facilitator = true;
  cm_score(&in, &req, c.member, 3, &c.parts);
  strbuf b;
  sb_init(&b, 1024);
  assert_int_equal(cm_explain(&in, &req, &c, &b), 0);
  assert_string_equal(b.data,
                      "2 topics shared within the circle: Public speaking, Leadership; 1 member "
                      "shares no topic with the others; 1 h 30 min a week when everyone is "
                      "free; everyone speaks en; the attribute mix the program asks for counts "
                      "in the score; Gia facilitates, offering 1 of the circle's 4 topics");
  sb_free(&b);
  c.facilitator = -1;
  req.mix_attributes = false;
  p[2].wants[0] = 2;
  cm_score(&in, &req, c.member, 3, &c.parts);
  sb_init(&b, 1024);
  cm_explain(&in, &req, &c, &b);
  assert_string_equal(b.data,
                      "2 topics shared within the circle: Public speaking, Leadership; every "
                      "member shares a topic with another; 1 h 30 min a week when everyone is "
                      "free; everyone speaks en; no guide fits as facilitator");
  sb_free(&b);
}

static void facilitator_rules(void **state) {
  (void)state;
  match_person p[4], g[3] = {person(9, "Gia"), person(2, "Ben as guide"), person(10, "Hal")};
  four(p);
  cm_apart apart[] = {{10, 3}};
  cm_instance in = instance(p, 4);
  in.guides = g;
  in.ng = 3;
  in.apart = apart;
  in.napart = cm_apart_sort(apart, 1);
  uint32_t abc[] = {0, 1, 2};
  assert_true(cm_facilitator_fits(&in, abc, 3, 0));
  assert_false(cm_facilitator_fits(&in, abc, 3, 1)); /* a member */
  assert_false(cm_facilitator_fits(&in, abc, 3, 2)); /* apart from Caio */
  g[0].taking_new = false;
  assert_false(cm_facilitator_fits(&in, abc, 3, 0));
  g[0].taking_new = true;
  window(&g[0], 600, 840); /* 30 minutes inside the members' 90 */
  assert_false(cm_facilitator_fits(&in, abc, 3, 0));
}

/* Two clusters of topics: the circles follow them, whatever the seed. */
static void forms_circles_by_topic(void **state) {
  (void)state;
  match_person p[7];
  const char *names[] = {"A", "B", "C", "D", "E", "F", "G"};
  for (int i = 0; i < 7; i++) {
    p[i] = person(i + 1, names[i]);
    want(&p[i], i % 2 ? 5 : 0); /* odd ids want Negotiation, even Finance */
    want(&p[i], i % 2 ? 6 : 1);
  }
  for (uint64_t seed = 0; seed < 5; seed++) {
    cm_instance in = instance(p, 7);
    cm_request req = {.size = 3, .overlap_topics = true, .seed = seed};
    cm_result r;
    assert_int_equal(cm_form(&in, &req, &r), 0);
    assert_int_equal(r.target, 2);
    assert_int_equal(r.ncircles, 2);
    assert_true(r.converged);
    for (size_t c = 0; c < 2; c++) {
      assert_int_equal(r.circles[c].parts.score, 100);
      int parity = (int)(p[r.circles[c].member[0]].id % 2);
      for (int i = 0; i < 3; i++) assert_int_equal(p[r.circles[c].member[i]].id % 2, parity);
    }
    assert_int_equal(r.total, 200);
    int unplaced = 0;
    for (int i = 0; i < 7; i++) unplaced += r.circle_of[i] < 0;
    assert_int_equal(unplaced, 1);
    cm_result_free(&r);
  }
}

/* Seeding puts the hardest person first; a swap then mends the topics:
 * the first circle is seeded as {A, B, C} where B's topic is D's. */
static void swaps_raise_the_total(void **state) {
  (void)state;
  match_person p[6];
  for (int i = 0; i < 6; i++) p[i] = person(i + 1, "X");
  /* topics 0 for A, C, D; topics 1 for B, E, F */
  want(&p[0], 0);
  want(&p[2], 0);
  want(&p[3], 0);
  want(&p[1], 1);
  want(&p[4], 1);
  want(&p[5], 1);
  cm_instance in = instance(p, 6);
  cm_request req = {.size = 3, .overlap_topics = true, .seed = 7};
  cm_result r;
  assert_int_equal(cm_form(&in, &req, &r), 0);
  assert_int_equal(r.ncircles, 2);
  assert_int_equal(r.total, 200);
  assert_true(r.total >= r.seeded);
  cm_result_free(&r);
  /* asking for one circle of 3 leaves 3 unplaced; it is a full-score one */
  req.circles = 1;
  assert_int_equal(cm_form(&in, &req, &r), 0);
  assert_int_equal(r.ncircles, 1);
  assert_int_equal(r.total, 100);
  cm_result_free(&r);
  /* asking for more than fit forms what fits */
  req.circles = 5;
  assert_int_equal(cm_form(&in, &req, &r), 0);
  assert_int_equal(r.target, 5);
  assert_int_equal(r.ncircles, 2);
  cm_result_free(&r);
}

static void bad_requests(void **state) {
  (void)state;
  match_person p[4];
  four(p);
  cm_instance in = instance(p, 4);
  cm_result r;
  cm_request req = {.size = 2};
  assert_int_equal(cm_form(&in, &req, &r), -1);
  req.size = 9;
  assert_int_equal(cm_form(&in, &req, &r), -1);
  req.size = 3;
  req.circles = -1;
  assert_int_equal(cm_form(&in, &req, &r), -1);
  /* an empty pool forms nothing */
  req.circles = 0;
  in.n = 0;
  assert_int_equal(cm_form(&in, &req, &r), 0);
  assert_int_equal(r.ncircles, 0);
  cm_result_free(&r);
}

/* ---- random instances ---- */

static uint64_t rng_state;
static unsigned rnd(unsigned n) {
  rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)((rng_state >> 33) % n);
}

static void random_people(match_person *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    p[i] = person((int64_t)(i * 3 + 5), "R");
    p[i].nlangs = 1 + (int)rnd(2);
    p[i].langs[0] = (uint16_t)rnd(3);
    p[i].langs[1] = (uint16_t)rnd(3);
    int s[2], e[2];
    s[0] = (int)rnd(3) * 60 + 480;
    e[0] = s[0] + 60 + (int)rnd(5) * 60;
    s[1] = 1440 * 2 + (int)rnd(4) * 60;
    e[1] = s[1] + 120;
    match_avail_set(p[i].avail, s, e, 1 + rnd(2));
    for (int k = 0, nw = (int)rnd(4); k < nw; k++) want(&p[i], rnd(8));
    if (rnd(3) == 0) offer(&p[i], rnd(8));
    p[i].attr[0] = rnd(4) ? (int16_t)rnd(3) : -1;
    p[i].attr[1] = rnd(2) ? (int16_t)rnd(2) : -1;
  }
}

/* The total of a result recomputed from its circles' fine scores, and
 * whether some single swap would raise it while keeping the constraints. */
static bool improving_swap_exists(const cm_instance *in, const cm_request *req, const cm_result *r) {
  for (size_t a = 0; a < r->ncircles; a++) {
    const cm_circle *ca = &r->circles[a];
    for (int i = 0; i < ca->nmembers; i++) {
      for (size_t x = 0; x < in->n; x++) {
        long b = r->circle_of[x];
        if (b == (long)a) continue;
        cm_circle na = *ca;
        na.member[i] = (uint32_t)x;
        if (cm_check(in, na.member, na.nmembers) != CM_FIT) continue;
        cm_parts pa, pb;
        cm_score(in, req, na.member, na.nmembers, &pa);
        int before = ca->parts.fine, after = pa.fine;
        if (b >= 0) {
          cm_circle nb = r->circles[b];
          for (int j = 0; j < nb.nmembers; j++)
            if (nb.member[j] == x) nb.member[j] = ca->member[i];
          if (cm_check(in, nb.member, nb.nmembers) != CM_FIT) continue;
          cm_score(in, req, nb.member, nb.nmembers, &pb);
          before += r->circles[b].parts.fine;
          after += pb.fine;
        }
        if (after > before) return true;
      }
    }
  }
  return false;
}

static void random_instances_never_break_a_constraint(void **state) {
  (void)state;
  enum { N = 60 };
  match_person p[N], g[6];
  cm_apart apart[40];
  size_t circles = 0, converged = 0;
  int64_t swaps = 0;
  for (unsigned round = 0; round < 40; round++) {
    rng_state = round + 1;
    random_people(p, N);
    random_people(g, 6);
    for (int i = 0; i < 6; i++) g[i].id = i % 2 ? p[rnd(N)].id : 1000 + i; /* some are in the pool */
    size_t na = 0;
    for (; na < 10 + round % 30; na++) apart[na] = (cm_apart){p[rnd(N)].id, p[rnd(N)].id};
    cm_instance in = instance(p, N);
    in.nattrs = 2;
    cm_count_values(&in);
    in.guides = g;
    in.ng = 6;
    in.apart = apart;
    in.napart = cm_apart_sort(apart, na);
    in.min_overlap_minutes = 30 + 30 * (int)(round % 3);
    cm_request req = {.size = 3 + (int)(round % 6), .circles = round % 4 == 0 ? 3 : 0,
                      .overlap_topics = round % 2 == 0, .mix_attributes = round % 3 != 1,
                      .facilitator = true, .seed = round * 11};
    cm_result r, again;
    assert_int_equal(cm_form(&in, &req, &r), 0);
    assert_true(r.ncircles <= (req.circles ? (size_t)req.circles : N / (size_t)req.size));
    int64_t total = 0;
    int placed = 0;
    bool fac_used[6] = {false};
    for (size_t c = 0; c < r.ncircles; c++) {
      const cm_circle *ci = &r.circles[c];
      assert_int_equal(ci->nmembers, req.size);
      assert_int_equal(cm_check(&in, ci->member, ci->nmembers), CM_FIT);
      for (int i = 0; i < ci->nmembers; i++) assert_int_equal(r.circle_of[ci->member[i]], (int)c);
      placed += ci->nmembers;
      total += ci->parts.score;
      assert_int_equal(cm_score(&in, &req, ci->member, ci->nmembers, NULL), ci->parts.score);
      if (ci->facilitator >= 0) {
        assert_true(cm_facilitator_fits(&in, ci->member, ci->nmembers, (size_t)ci->facilitator));
        assert_false(fac_used[ci->facilitator]);
        fac_used[ci->facilitator] = true;
        for (size_t x = 0; x < N; x++)
          if (p[x].id == g[ci->facilitator].id) assert_int_equal(r.circle_of[x], -1);
      }
    }
    int in_circles = 0;
    for (size_t x = 0; x < N; x++) in_circles += r.circle_of[x] >= 0;
    assert_int_equal(in_circles, placed);
    assert_int_equal(total, r.total);
    assert_true(r.total >= r.seeded || r.ncircles == 0);
    if (r.converged) assert_false(improving_swap_exists(&in, &req, &r));
    /* deterministic for a seed */
    assert_int_equal(cm_form(&in, &req, &again), 0);
    assert_int_equal(again.ncircles, r.ncircles);
    assert_memory_equal(again.circle_of, r.circle_of, N * sizeof *r.circle_of);
    assert_int_equal(again.total, r.total);
    circles += r.ncircles;
    converged += r.converged;
    swaps += r.swaps;
    cm_result_free(&again);
    cm_result_free(&r);
  }
  /* the instances are not trivial: circles form and swaps happen */
  print_message("%zu circles, %zu rounds converged, %lld swaps\n", circles, converged,
                (long long)swaps);
  assert_true(circles > 100);
  assert_true(swaps > 20);
  assert_int_equal(converged, 40);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(score_parts_are_exact),
      cmocka_unit_test(parts_apply_as_the_program_asks),
      cmocka_unit_test(group_constraints),
      cmocka_unit_test(sentences_name_topics_and_no_attribute),
      cmocka_unit_test(facilitator_rules),
      cmocka_unit_test(forms_circles_by_topic),
      cmocka_unit_test(swaps_raise_the_total),
      cmocka_unit_test(bad_requests),
      cmocka_unit_test(random_instances_never_break_a_constraint),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
