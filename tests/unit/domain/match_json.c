/* match_json.c: runs the matcher on instances given as JSON, for the
 * proofs against an independent solver (test_match_optimal.py).
 *
 * stdin: a JSON array of instances
 *   {"min_overlap": m, "weights": [5 ints], "nattrs": k,
 *    "learners": [{"id", "langs": [..], "windows": [[s, e], ..], "wants": [..],
 *                  "attr": [..], "wish": [..], "exit": f}],
 *    "guides": [{"id", "langs", "windows", "offers": [..], "capacity",
 *                "taking_new", "experience", "attr"}],
 *    "forbid": [[l, g, reason], ..]}
 * stdout: a JSON array, per instance: "scores" (nl x ng, -1 where the pair
 * breaks a hard constraint), and per mode "plain", "fair", "greedy":
 * {"guide_of", "matched", "total", "minimum", "blocking", "reasons"}
 * (reasons: the unmatched learners' reason names).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"

static void read_person(json_t *o, match_person *p, bool learner) {
  memset(p, 0, sizeof *p);
  p->id = json_integer_value(json_object_get(o, "id"));
  p->name = "P";
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(o, "langs"), i, v) if (i < MATCH_MAX_LANGS) {
    p->langs[i] = (uint16_t)json_integer_value(v);
    p->nlangs = (int)i + 1;
  }
  json_t *w = json_object_get(o, "windows");
  int s[64], e[64];
  size_t nw = 0;
  json_array_foreach(w, i, v) if (nw < 64) {
    s[nw] = (int)json_integer_value(json_array_get(v, 0));
    e[nw++] = (int)json_integer_value(json_array_get(v, 1));
  }
  match_avail_set(p->avail, s, e, nw);
  for (int a = 0; a < MATCH_MAX_ATTRS; a++) p->attr[a] = -1;
  json_array_foreach(json_object_get(o, "attr"), i, v) if (i < MATCH_MAX_ATTRS) p->attr[i] =
      (int16_t)json_integer_value(v);
  if (learner) {
    json_array_foreach(json_object_get(o, "wants"), i, v) if (i < MATCH_MAX_WANTS) {
      p->wants[i] = (uint16_t)json_integer_value(v);
      p->nwants = (int)i + 1;
    }
    json_array_foreach(json_object_get(o, "wish"), i, v) if (i < MATCH_MAX_ATTRS) p->wish[i] =
        (uint8_t)json_integer_value(v);
    p->exit_flags = (unsigned)json_integer_value(json_object_get(o, "exit"));
  } else {
    json_array_foreach(json_object_get(o, "offers"), i, v) {
      unsigned t = (unsigned)json_integer_value(v);
      if (t < MATCH_MAX_TOPICS) p->offers[t / 64] |= (uint64_t)1 << (t % 64);
    }
    p->capacity = (int)json_integer_value(json_object_get(o, "capacity"));
    p->taking_new = json_is_true(json_object_get(o, "taking_new"));
    p->experience = (int)json_integer_value(json_object_get(o, "experience"));
  }
}

static json_t *mode_json(const match_instance *in, const match_result *r) {
  json_t *go = json_array(), *reasons = json_array();
  for (size_t l = 0; l < in->nl; l++) {
    json_array_append_new(go, json_integer(r->guide_of[l]));
    json_array_append_new(reasons, r->guide_of[l] >= 0
                                       ? json_null()
                                       : json_string(match_reason_name(
                                             match_unmatched_reason(in, r, l, NULL))));
  }
  return json_pack("{s:o,s:I,s:I,s:i,s:I,s:o,s:i}", "guide_of", go, "matched",
                   (json_int_t)r->matched, "total", (json_int_t)r->total, "minimum", r->minimum,
                   "blocking", (json_int_t)match_blocking_pairs(in, r), "reasons", reasons,
                   "threshold", r->threshold);
}

int main(void) {
  json_error_t err;
  json_t *all = json_loadf(stdin, 0, &err);
  if (!json_is_array(all)) return fprintf(stderr, "bad input: %s\n", err.text), 2;
  json_t *outs = json_array();
  size_t k;
  json_t *inst;
  json_array_foreach(all, k, inst) {
    json_t *L = json_object_get(inst, "learners"), *G = json_object_get(inst, "guides");
    size_t nl = json_array_size(L), ng = json_array_size(G);
    match_person *lp = calloc(nl + 1, sizeof *lp), *gp = calloc(ng + 1, sizeof *gp);
    for (size_t i = 0; i < nl; i++) read_person(json_array_get(L, i), &lp[i], true);
    for (size_t i = 0; i < ng; i++) read_person(json_array_get(G, i), &gp[i], false);
    json_t *F = json_object_get(inst, "forbid");
    size_t nf = json_array_size(F);
    match_forbid *f = calloc(nf + 1, sizeof *f);
    for (size_t i = 0; i < nf; i++) {
      json_t *x = json_array_get(F, i);
      f[i] = (match_forbid){(uint32_t)json_integer_value(json_array_get(x, 0)),
                            (uint32_t)json_integer_value(json_array_get(x, 1)),
                            (match_reason)json_integer_value(json_array_get(x, 2))};
    }
    nf = match_forbid_sort(f, nf);
    match_instance in = {.learners = lp, .nl = nl, .guides = gp, .ng = ng, .forbid = f,
                         .nforbid = nf, .set = match_settings_default(),
                         .nattrs = (int)json_integer_value(json_object_get(inst, "nattrs"))};
    in.set.min_overlap_minutes = (int)json_integer_value(json_object_get(inst, "min_overlap"));
    json_t *w = json_object_get(inst, "weights");
    for (int i = 0; i < MATCH_NPARTS && json_is_array(w); i++)
      in.set.weight[i] = (int)json_integer_value(json_array_get(w, (size_t)i));
    json_t *scores = json_array();
    for (size_t l = 0; l < nl; l++) {
      json_t *row = json_array();
      for (size_t g = 0; g < ng; g++)
        json_array_append_new(row, json_integer(match_check(&in, l, g) == MATCH_FIT
                                                    ? match_score(&in, l, g, NULL)
                                                    : -1));
      json_array_append_new(scores, row);
    }
    int32_t *go = calloc(nl + 1, sizeof *go);
    int *so = calloc(nl + 1, sizeof *so);
    match_result r = {.guide_of = go, .score_of = so};
    json_t *o = json_pack("{s:o}", "scores", scores);
    if (match_solve(&in, &r)) return fprintf(stderr, "solver failed\n"), 1;
    json_object_set_new(o, "plain", mode_json(&in, &r));
    in.set.fairness = true;
    if (match_solve(&in, &r)) return fprintf(stderr, "solver failed\n"), 1;
    json_object_set_new(o, "fair", mode_json(&in, &r));
    match_greedy(&in, &r);
    json_object_set_new(o, "greedy", mode_json(&in, &r));
    json_array_append_new(outs, o);
    free(lp);
    free(gp);
    free(f);
    free(go);
    free(so);
  }
  json_dumpf(outs, stdout, JSON_COMPACT);
  json_decref(outs);
  json_decref(all);
  return 0;
}
