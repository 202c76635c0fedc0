/* learning.c: which matches built trust (see matching.h), k-anonymous as
 * program health is (app/trust/health.h): every figure rests on at least
 * k relationships, and the score bands, which partition them, go through
 * the same complementary suppression as health's guide groups.
 *
 * A relationship counts once the matcher started it at least 90 days ago
 * and at least one direction of its trust is established; its trust index
 * is the mean of its established directions'. The correlation is
 * Pearson's, with its 95% interval by Fisher's z (needs 4 or more).
 */
#include "app/matching/matching.h"
#include "app/matching/room.h"
#include "app/trust/trust.h"
#include "trust/trust_index.h"

#include <math.h>
#include <string.h>

static void correlation(const double *x, const double *y, size_t n, size_t k,
                        app_match_figure *out) {
  memset(out, 0, sizeof *out);
  out->units = n;
  if (n < k || n < 4) {
    out->reason = "fewer than k";
    return;
  }
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; i++) mx += x[i], my += y[i];
  mx /= (double)n;
  my /= (double)n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) {
    out->reason = "no variation";
    return;
  }
  double r = sxy / sqrt(sxx * syy);
  if (r > 0.999999) r = 0.999999;
  if (r < -0.999999) r = -0.999999;
  double z = atanh(r), se = 1 / sqrt((double)n - 3);
  out->shown = true;
  out->value = r;
  out->low = tanh(z - 1.96 * se);
  out->high = tanh(z + 1.96 * se);
}

static int band_of(int score) { return score < 50 ? 0 : score >= 80 ? 4 : (score - 40) / 10; }

rp_rc app_match_learning_get(app_ctx *c, int64_t program_id, app_match_learning *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_match_need_admin(c, program_id, e);
  program prog;
  if (!rc) rc = store_program_get(c->st, program_id, c->a, &prog, e);
  out->program_id = program_id;
  out->k = prog.settings.k_anonymity < APP_HEALTH_K_MIN ? APP_HEALTH_K_MIN
                                                        : prog.settings.k_anonymity;
  out->as_of = c->now;
  out->matched_before = c->now - APP_MATCH_LEARN_DAYS * RP_DAY;
  store_match_outcome *o = NULL;
  size_t no = 0;
  if (!rc) rc = store_match_outcomes(c->st, program_id, out->matched_before, c->a, &o, &no, e);
  double *score = arena_alloc(c->a, (no + 1) * sizeof *score);
  double *idx = arena_alloc(c->a, (no + 1) * sizeof *idx);
  int *band = arena_alloc(c->a, (no + 1) * sizeof *band);
  const store_match_outcome **kept = arena_alloc(c->a, (no + 1) * sizeof *kept);
  size_t n = 0;
  trust_settings cfg = app_trust_settings();
  for (size_t i = 0; !rc && i < no; i++) {
    relationship r;
    trust_state st;
    rc = store_relationship_get(c->st, o[i].relationship_id, &r, e);
    if (!rc) rc = app_trust_state_of(c, &r, 0, &st, e);
    if (rc) break;
    double sum = 0;
    int est = 0;
    for (int p = 0; p < TRUST_NPARTY; p++) {
      trust_dir_score sc;
      trust_score(&st, &cfg, (trust_party)p, c->now, false, &sc);
      if (sc.label != TRUST_LABEL_ESTABLISHED) continue;
      sum += (double)trust_index_display(sc.index);
      est++;
    }
    if (!est) continue;
    score[n] = o[i].score;
    idx[n] = sum / est;
    band[n] = band_of(o[i].score);
    kept[n++] = &o[i];
  }
  store_rollback(c->st);
  if (rc) return rc;
  out->relationships = n;
  size_t k = (size_t)out->k;
  correlation(score, idx, n, k, &out->score);
  double *px = arena_alloc(c->a, (n + 1) * sizeof *px), *py = arena_alloc(c->a, (n + 1) * sizeof *py);
  for (int p = 0; p < MATCH_NPARTS; p++) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (kept[i]->part[p] >= 0) {
        px[m] = kept[i]->part[p];
        py[m++] = idx[i];
      }
    correlation(px, py, m, k, &out->part[p]);
  }
  /* bands: the program's cell and one per band, suppressed as health is */
  app_health_group g[6];
  memset(g, 0, sizeof g);
  for (size_t i = 0; i < n; i++) {
    g[0].cell[HEALTH_TRUST_INDEX].units++;
    g[0].cell[HEALTH_TRUST_INDEX].value += idx[i];
    g[1 + band[i]].cell[HEALTH_TRUST_INDEX].units++;
    g[1 + band[i]].cell[HEALTH_TRUST_INDEX].value += idx[i];
  }
  app_health_suppress(g, 6, k, NULL);
  for (int b = 0; b < 5; b++) {
    const app_health_cell *cell = &g[1 + b].cell[HEALTH_TRUST_INDEX];
    app_match_figure *f = &out->band[b];
    f->units = cell->units;
    f->shown = cell->hidden == HEALTH_SHOWN;
    f->reason = app_health_reason_text(cell->hidden);
    if (f->shown) f->value = cell->value / (double)cell->units;
  }
  return RP_OK;
}
